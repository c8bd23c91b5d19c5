"""A comparison is also checked as soon as its variables are bound (engine/lineage.py
`_with_early_checks`), which prunes the product of several unknown amounts' regions,
without changing what the rule derives or which errors it reports."""
from __future__ import annotations

from pathlib import Path

import policy
from policy.decide.completions import Decision
from policy.engine.lineage import _Early, _with_early_checks
from policy.engine.lowering import LAtom, LCompare
from policy.inputs.applicant import applicant_from_mapping, fact_schema

A, B, C = ("var", "A"), ("var", "B"), ("var", "C")


def test_a_comparison_is_copied_to_right_after_its_last_variable_is_bound():
    body = (LAtom("n", (A,)), LAtom("m", (B,)), LAtom("k", (C,)),
            LCompare(">", C, A), LCompare("<", ("op", "+", A, B), ("const", 3000)))
    order = _with_early_checks(body)
    early = LCompare("<", ("op", "+", A, B), ("const", 3000))
    assert order[:4] == body[:2] + (_Early(early), body[2])
    assert order[4:] == body[3:]  # both still where they were written


def test_a_binding_equality_is_never_moved():
    body = (LAtom("n", (A,)), LAtom("m", (B,)), LCompare("==", C, ("op", "+", A, B)),
            LCompare(">", C, ("const", 2)))
    assert _with_early_checks(body) == body


def test_the_household_example_decides_as_the_rules_say():
    """Rent * 2 > Mine + Theirs and Mine + Theirs < 3000, with the rent given high and the
    two incomes unknown: the hardship review still depends on both incomes."""
    root = Path(__file__).resolve().parents[2] / "examples" / "household" / "rules"
    compiled = policy.load_policy(root)
    schema = fact_schema(compiled.program)
    decision = Decision(compiled, applicant_from_mapping(
        {"applicant": "t", "rent": 5000}, schema, "t", 1))
    hardship = decision.outcomes["hardship_review"]
    assert (hardship.status, hardship.missing) == ("undetermined", ["income", "partner_income"])
    known = Decision(compiled, applicant_from_mapping(
        {"applicant": "t", "rent": 5000, "income": 1000, "partner_income": 1000}, schema, "t", 1))
    assert known.outcomes["hardship_review"].status == "applies"

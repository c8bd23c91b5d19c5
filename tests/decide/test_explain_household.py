"""Key explanations of examples/household (three unknown amounts in one rule), as they were
before the explanation was made faster (benchmarks/explain_documents.py dumps them all),
and made without asking z3: the witness search (engine/open_witness.py, open_repair.py)
and the bounds (engine/open_refute.py) answer every check these explanations make."""
from __future__ import annotations

from pathlib import Path

import pytest

import policy.engine.open_solver as open_solver
from policy import api

ROOT = Path(__file__).resolve().parents[2]
RULES = ROOT / "examples" / "household" / "rules"
APPLICANTS = ROOT / "examples" / "household" / "applicants"


def _explained(applicant: str, pid: str) -> dict:
    return api.explain(APPLICANTS / applicant, pid, RULES)


def _suggestions(document: dict) -> list:
    return [[(c["fact"], c["condition"], c["value"]) for c in changes]
            for changes in document["would_apply_if"]]


def _decided_by(document: dict) -> dict:
    return {entry["fact"]: [(v["condition"], v["status"]) for v in entry["values"]]
            for entry in document["decided_by"]}


def test_danas_hardship_review_is_decided_below_a_partner_income_of_500():
    document = _explained("dana.yaml", "hardship_review")
    assert document["procedure"]["status"] == "undetermined"
    assert document["missing_facts"] == ["partner_income", "rent"]
    assert _decided_by(document) == {
        "partner_income": [("<= 499", "undetermined"), (">= 500", "not_applicable")],
        "rent": [("any value", "undetermined")]}
    assert _suggestions(document) == [[("partner_income", "<= 2", 1), ("rent", ">= 2000", 2000)]]


def test_elis_hardship_review_needs_all_three_amounts_in_schema_order():
    """The changes of a suggestion in the schema's order (they followed a set's order,
    which varied from run to run)."""
    document = _explained("eli.yaml", "hardship_review")
    assert _decided_by(document) == {name: [("any value", "undetermined")]
                                     for name in ("income", "partner_income", "rent")}
    assert _suggestions(document) == [
        [("income", "<= 2000", 1), ("partner_income", "<= 2", 1), ("rent", ">= 2000", 2000)],
        [("income", "<= 2", 1), ("partner_income", ">= 3 and <= 2000", 3),
         ("rent", ">= 2000", 2000)],
        [("income", "<= 2", 1), ("partner_income", "<= 2", 1), ("rent", ">= 3 and <= 1999", 3)],
        [("income", "<= 2", 1), ("partner_income", "<= 1", 1), ("rent", "= 2", 2)],
        [("income", "<= 1", 1), ("partner_income", "= 2", 2), ("rent", "= 2", 2)]]


@pytest.mark.parametrize("applicant", ["dana.yaml", "eli.yaml"])
@pytest.mark.parametrize("pid", ["hardship_review", "housing_allowance", "pay_partner_share"])
def test_the_household_explanations_ask_z3_nothing(monkeypatch, applicant, pid):
    def no_solver(self, formula):
        raise AssertionError("a check was left to z3")

    monkeypatch.setattr(open_solver.OpenSolver, "_holding", no_solver)
    monkeypatch.setattr(open_solver.OpenSolver, "differs", no_solver)
    assert _explained(applicant, pid)["procedure"]["id"] == pid

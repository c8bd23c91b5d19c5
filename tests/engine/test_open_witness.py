"""A witness (engine/open_witness.py) is claimed only for formulas the solver finds
satisfiable, and is found for the common ones, so that most checks skip the solver."""
from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings

import policy
import policy.engine.open_solver as open_solver
from policy.decide.completions import Decision
from policy.engine.open_refute import refuted
from policy.engine.open_witness import condition_value, differs_witnessed, paths, witnessed
from policy.inputs.applicant import applicant_from_mapping, fact_schema, load_applicant
from tests.decide.test_open_values_reference import (ARITHMETIC, HEADER, ORDER, ORDER_HELPERS,
                                                     UNKNOWN, applicants, programs)

ROOT = Path(__file__).resolve().parents[2]


def _decision(text: str, values: dict) -> Decision:
    compiled = policy.compile_text(text)
    known = {name: value for name, value in values.items() if value is not UNKNOWN}
    applicant = applicant_from_mapping({"applicant": "t", **known},
                                       fact_schema(compiled.program), "t", 1)
    return Decision(compiled, applicant)


def _formulas(decision: Decision) -> list:
    found = []
    for outcome in decision.outcomes.values():
        for formula in (outcome.applies, outcome.blocked, outcome.eligible):
            if formula is not None:
                found += [decision.constraint & formula, decision.constraint & ~formula]
    return found


def _solver_alone(decision: Decision, monkeypatch):
    monkeypatch.setattr(open_solver, "witnessed", lambda *args, **kwargs: False)
    monkeypatch.setattr(open_solver, "refuted", lambda *args, **kwargs: False)
    checks = decision._open
    return open_solver.OpenSolver(decision.bdd, checks.solver().candidates,
                                  checks.solver().meanings)


@settings(max_examples=30, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                 HealthCheck.function_scoped_fixture])
@given(programs(ORDER + ARITHMETIC, ORDER_HELPERS), applicants)
def test_a_witness_or_a_refutation_is_claimed_only_where_the_solver_agrees(monkeypatch, text,
                                                                           values):
    """open_witness: a completion; open_refute: none; either only where z3 says so."""
    decision = _decision(text, values)
    if decision._open is None:
        return
    solver = decision._open.solver()
    alone = _solver_alone(decision, monkeypatch)
    for formula in _formulas(decision):
        if witnessed(decision.bdd, formula, solver.candidates, solver.meanings):
            assert alone.satisfiable(formula) is True, text
        if refuted(paths(decision.bdd, formula), solver._spans(), solver.meanings,
                   condition_value):
            assert alone.satisfiable(formula) is False, text


def test_contradicting_conditions_have_no_witness_and_a_sum_has_one():
    text = HEADER + "eligible(p0) :- n(A), m(B), A + B > 100, A + B < 50.\n" \
        "eligible(p1) :- n(A), m(B), A + B > 100.\n"
    decision = _decision(text, {"x0": True, "n": UNKNOWN, "m": UNKNOWN})
    solver = decision._open.solver()
    p0, p1 = decision.outcomes["p0"], decision.outcomes["p1"]
    assert not witnessed(decision.bdd, decision.constraint & p0.eligible, solver.candidates,
                         solver.meanings)
    assert witnessed(decision.bdd, decision.constraint & p1.eligible, solver.candidates,
                     solver.meanings)
    assert witnessed(decision.bdd, decision.constraint & ~p1.eligible, solver.candidates,
                     solver.meanings)
    assert (p0.status, p1.status) == ("not_applicable", "undetermined")


def _owned(decision: Decision, name: str) -> set:
    owners = decision._open.registry.owners
    return set(decision.domains[name].variables) | {v for v, facts in owners.items()
                                                    if name in facts}


@settings(max_examples=30, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                 HealthCheck.function_scoped_fixture])
@given(programs(ORDER + ARITHMETIC, ORDER_HELPERS), applicants)
def test_a_deciding_pair_is_claimed_only_where_the_solver_finds_one(monkeypatch, text, values):
    decision = _decision(text, values)
    if decision._open is None:
        return
    solver = decision._open.solver()
    alone = _solver_alone(decision, monkeypatch)
    for outcome in decision.outcomes.values():
        formulas = [outcome.applies, outcome.blocked]
        for name in decision.domains:
            if differs_witnessed(decision.bdd, name, formulas, decision.constraint,
                                 solver.candidates, solver.meanings):
                assert alone.differs(_owned(decision, name), formulas,
                                     decision.constraint) is True, (text, name)


def test_a_deciding_pair_is_found_for_each_income_of_the_household_example():
    """Eli (examples/household) gives no amount: each of the three decides a procedure,
    and a pair of completions showing it is found without the solver (the other amounts
    drawn from all their regions, not only the lowest, where none decides)."""
    compiled = policy.load_policy(ROOT / "examples" / "household" / "rules")
    applicant = load_applicant(ROOT / "examples" / "household" / "applicants" / "eli.yaml",
                               fact_schema(compiled.program))
    decision = Decision(compiled, applicant)
    solver = decision._open.solver()
    outcome = decision.outcomes["hardship_review"]
    for name in ("income", "partner_income", "rent"):
        assert differs_witnessed(decision.bdd, name, [outcome.applies, outcome.blocked],
                                 decision.constraint, solver.candidates, solver.meanings)
    assert outcome.missing == ["income", "partner_income", "rent"]


def test_bounds_that_cannot_meet_are_refuted_and_a_sum_that_can_is_not():
    """Bounds narrow one condition at a time: `A + B > 100, A + B < 50` (no bound on A
    or B alone) is left to the solver."""
    text = HEADER + "eligible(p0) :- n(A), m(B), A + B > 100, A + B < 50.\n" \
        "eligible(p1) :- n(A), m(B), A + B > 100, A < 20, B < 90.\n" \
        "eligible(p2) :- n(A), m(B), A + B > 100, A < 20, B < 81.\n"
    decision = _decision(text, {"x0": True, "n": UNKNOWN, "m": UNKNOWN})
    solver = decision._open.solver()

    def refutes(pid):
        formula = decision.constraint & decision.outcomes[pid].eligible
        return refuted(paths(decision.bdd, formula), solver._spans(), solver.meanings,
                       condition_value)
    assert (refutes("p0"), refutes("p1"), refutes("p2")) == (False, False, True)

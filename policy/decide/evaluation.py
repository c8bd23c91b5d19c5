"""One applicant evaluated once: the decision, its plan and the proofs behind both.

`explain`, `query --explain`, `test` and the web service all need the same three
things of an applicant, in the same order (decide, then plan from the decision,
then an explainer over the decision's certain and possible models); this is the
one place that sequence lives.
"""
from __future__ import annotations

from dataclasses import dataclass

from policy.decide.completions import Decision, decide
from policy.decide.plan import Plan, make_plan
from policy.decide.proofs import Explainer
from policy.inputs.applicant import Applicant


@dataclass
class Evaluation:
    """What the policy says of one applicant, and why."""

    applicant: Applicant
    decision: Decision
    plan: Plan
    explainer: Explainer

    def status(self, procedure: str) -> str:
        """The procedure's status, or "(no such procedure)"."""
        found = next((p for p in self.plan.procedures if p.id == procedure), None)
        return found.status if found else "(no such procedure)"

    def missing(self, procedure: str):
        """The unknown facts that decide the procedure, sorted (None: no such procedure)."""
        found = next((p for p in self.plan.procedures if p.id == procedure), None)
        return sorted(found.missing) if found else None


def evaluate(compiled, applicant: Applicant, engine: str = "pydatalog") -> Evaluation:
    """Decide every procedure for `applicant`, plan them, and keep the proofs (`engine`:
    see completions.decide)."""
    decision = decide(compiled, applicant, engine)
    plan = make_plan(compiled, applicant, decision)
    explainer = Explainer(compiled, *decision.models(), applicant=applicant)
    return Evaluation(applicant, decision, plan, explainer)

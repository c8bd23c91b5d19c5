"""What would change the answer: the smallest changes of applicant facts that make a
procedure apply, and, for one that applies, the facts it hinges on.

Candidates come from the declared schema only (a yes/no fact's two answers, an
enum's declared values), restricted to the facts the procedure's rules and its
prerequisites depend on. Every candidate is checked by evaluating the policy
with it, so a suggestion is never a guess; a set is reported only when no
smaller set inside it works, so every suggestion is minimal.
"""
from __future__ import annotations

import itertools
from dataclasses import dataclass, replace

from policy.inputs.applicant import Applicant
from policy.decide.plan import APPLIES, make_plan, relevant_inputs

MAX_CHANGES = 3
MAX_SUGGESTIONS = 5


@dataclass(frozen=True)
class Change:
    """Set the fact `name` to `value` (True/False for a yes/no fact)."""

    name: str
    value: object
    was: object  # the value given before, or None when it was unknown


def apply_changes(applicant: Applicant, changes, schema: dict) -> Applicant:
    """A copy of the applicant with the changes made."""
    facts = dict(applicant.facts)
    for change in changes:
        spec = schema[change.name]
        facts[change.name] = ({()} if change.value else set()) if spec.is_flag else {(change.value,)}
    unknown = [spec for spec in applicant.unknown if spec.name not in facts]
    return replace(applicant, facts=facts, unknown=unknown)


def current_value(applicant: Applicant, spec):
    if spec.name not in applicant.facts:
        return None
    rows = applicant.facts[spec.name]
    if spec.is_flag:
        return bool(rows)
    return next(iter(rows))[0] if len(rows) == 1 else sorted(r[0] for r in rows)


def candidate_changes(applicant: Applicant, specs: list) -> list:
    """Every single change of a relevant fact to another value its declaration allows."""
    changes = []
    for spec in specs:
        if spec.is_record:
            continue  # a list of records: no single other value to try
        was = current_value(applicant, spec)
        values = [True, False] if spec.is_flag else [row[0] for row in sorted(spec.possible_rows())]
        changes.extend(Change(spec.name, value, was) for value in values if value != was)
    return changes


class WhatIf:
    """Searches the smallest changes that make a procedure apply."""

    def __init__(self, compiled, applicant: Applicant, schema: list):
        self.compiled, self.applicant = compiled, applicant
        self.schema = {spec.name: spec for spec in schema}

    def status(self, procedure: str, changes=()) -> str:
        plan = make_plan(self.compiled, apply_changes(self.applicant, changes, self.schema))
        return next(p.status for p in plan.procedures if p.id == procedure)

    def relevant(self, procedure: str) -> list:
        names = relevant_inputs(self.compiled, procedure)
        return [self.schema[name] for name in self.schema if name in names]

    def would_apply_if(self, procedure: str) -> list:
        """Up to MAX_SUGGESTIONS minimal sets of changes (lists of Change), smallest first."""
        candidates = candidate_changes(self.applicant, self.relevant(procedure))
        found = []
        for size in range(1, MAX_CHANGES + 1):
            for combination in itertools.combinations(candidates, size):
                if len({c.name for c in combination}) < size:
                    continue
                if any(set(smaller) <= set(combination) for smaller in found):
                    continue
                if self.status(procedure, combination) == APPLIES:
                    found.append(combination)
            if found:
                break
        return [list(c) for c in found[:MAX_SUGGESTIONS]]

    def hinges_on(self, procedure: str) -> list:
        """The given facts whose change (or absence) would stop the procedure applying."""
        hinges = []
        for spec in self.relevant(procedure):
            if spec.name not in self.applicant.facts:
                continue
            was = current_value(self.applicant, spec)
            if any(self.status(procedure, [change]) != APPLIES
                   for change in candidate_changes(self.applicant, [spec])):
                hinges.append((spec.name, was))
        return hinges

"""What would change the answer: the smallest changes of applicant facts that make a
procedure apply, and, for one that applies, the facts it hinges on.

Candidates come from the declared schema only (a yes/no fact's two answers, an
enum's declared values, one value of each region of an open type: see
domains.py), restricted to the facts the procedure's status can depend on. The
search reads statuses from the policy's decision diagrams when its schema is
finite (completions.StatusTable: microseconds a candidate), else evaluates each
candidate; either way every suggestion returned is checked by evaluating the
policy with it (`make_plan`), so a suggestion is never a guess, and a set is
reported only when no smaller set inside it works, so every suggestion is
minimal. At most MAX_SUGGESTIONS sets are returned: the fewest changes first,
then in the order of the schema's facts.
"""
from __future__ import annotations

import itertools
from dataclasses import dataclass, replace

from policy.decide.completions import StatusTable, _constants, _fits
from policy.decide.domains import FINITE, domain_of
from policy.decide.plan import APPLIES, make_plan, relevant_inputs
from policy.errors import PolicyError
from policy.inputs.applicant import Applicant

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
    # several values (a list in the file) as a tuple: a Change must be hashable
    return next(iter(rows))[0] if len(rows) == 1 else tuple(sorted((r[0] for r in rows), key=repr))


def candidate_changes(applicant: Applicant, specs: list, compiled=None) -> list:
    """Every single change of a relevant fact to another value its declaration allows
    (an open type: one value of each region the policy tells apart, with `compiled`)."""
    changes = []
    for spec in specs:
        was = current_value(applicant, spec)
        changes.extend(Change(spec.name, value, was) for value in candidate_values(spec, compiled, applicant)
                       if value != was)
    return changes


def candidate_values(spec, compiled=None, applicant=None) -> list:
    if spec.is_flag:
        return [True, False]
    if spec.type.name in FINITE or compiled is None:
        return [row[0] for row in sorted(spec.possible_rows(), key=repr)]
    pool = {c for c in _constants(compiled, applicant) if _fits(spec, c)}
    return [row[0] for row, _ in domain_of(spec, 0, pool).candidates]


class WhatIf:
    """Searches the smallest changes that make a procedure apply."""

    def __init__(self, compiled, applicant: Applicant, schema: list):
        self.compiled, self.applicant = compiled, applicant
        self.schema = {spec.name: spec for spec in schema}
        try:
            self.table = StatusTable.of(compiled)
        except PolicyError:
            self.table = None

    def status(self, procedure: str, changes=()) -> str:
        """The status with the changes made, by evaluating the policy (make_plan)."""
        plan = make_plan(self.compiled, apply_changes(self.applicant, changes, self.schema))
        return next(p.status for p in plan.procedures if p.id == procedure)

    def quick_status(self, procedure: str, changes=()) -> str:
        """The same status, from the decision diagrams when the policy has them."""
        if self.table is None:
            return self.status(procedure, changes)
        facts = dict(self.applicant.facts)
        for change in changes:
            spec = self.schema[change.name]
            facts[change.name] = ({()} if change.value else set()) if spec.is_flag \
                else {(change.value,)}
        return self.table.status(procedure, facts)

    def relevant(self, procedure: str) -> list:
        if self.table is not None:
            names = set(self.table.deciding_names(procedure))
        else:
            names = relevant_inputs(self.compiled, procedure)
        return [self.schema[name] for name in self.schema if name in names]

    def would_apply_if(self, procedure: str) -> list:
        """Up to MAX_SUGGESTIONS minimal sets of changes (lists of Change), smallest first."""
        candidates = candidate_changes(self.applicant, self.relevant(procedure), self.compiled)
        found = []
        for size in range(1, MAX_CHANGES + 1):
            for combination in itertools.combinations(candidates, size):
                if len({c.name for c in combination}) < size:
                    continue
                if any(set(smaller) <= set(combination) for smaller in found):
                    continue
                if self.quick_status(procedure, combination) == APPLIES:
                    found.append(combination)
            if found:
                break
        verified = [c for c in found[:MAX_SUGGESTIONS] if self.status(procedure, c) == APPLIES]
        return [list(c) for c in verified]

    def hinges_on(self, procedure: str) -> list:
        """The given facts whose change (or absence) would stop the procedure applying."""
        hinges = []
        for spec in self.relevant(procedure):
            if spec.name not in self.applicant.facts:
                continue
            was = current_value(self.applicant, spec)
            changes = candidate_changes(self.applicant, [spec], self.compiled)
            if any(self.quick_status(procedure, [c]) != APPLIES for c in changes) and any(
                    self.status(procedure, [c]) != APPLIES for c in changes):
                hinges.append((spec.name, was))
        return hinges

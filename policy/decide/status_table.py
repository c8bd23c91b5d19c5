"""Statuses of many applicants of one policy with a finite schema: the batch's table.

Built from the policy's Symbolic compile (lineage_model.py) and its procedure formulas
(completions.py); an applicant's statuses are then look-ups, exactly decide()'s.
"""
from __future__ import annotations

import threading

from policy.analysis.cache import analysis
from policy.decide.completions import APPLIES, BLOCKED, NOT_APPLICABLE, UNDETERMINED, Decision
from policy.decide.domains import constraint
from policy.decide.lineage_model import Symbolic, symbolic_of
from policy.engine.diagrams import manager_for
from policy.inputs.applicant import Applicant
from policy.limits import current as current_limits


class StatusTable:
    """Statuses of many applicants of one policy with a finite schema (what a batch needs).

    The policy's Symbolic compile gives, for each procedure, the completions where
    it applies and where it is blocked as diagrams over *every* fact. A procedure's
    status can only depend on the facts in their support, so it is decided once per
    distinct value of those facts (given rows, or unknown) and remembered: an
    applicant's statuses are then one look-up per procedure. Exactly `decide`'s
    statuses: substituting the given facts commutes with the diagrams' operations,
    and the constraints of facts outside the support are satisfiable on their own.
    """

    CACHE_SIZE = 100_000  # remembered (procedure, facts) pairs

    def __init__(self, compiled, symbolic: "Symbolic", bdd):
        self.bdd, self.symbolic = bdd, symbolic
        self.procedures = []
        for pid, applies, blocked in _policy_outcomes(compiled):
            support = set(bdd.support(applies)) | set(bdd.support(blocked))
            names = tuple(name for name, domain in symbolic.domains.items()
                          if set(domain.variables) & support)
            self.procedures.append((pid, names, applies, blocked))
        self.constraints = {name: constraint(domain, bdd)
                            for name, domain in symbolic.domains.items()}
        self.seen, self.assignments, self.conditions = {}, {}, {}

    @classmethod
    def of(cls, compiled):
        """The table for a policy (made once per thread), or None when it has no Symbolic
        compile."""
        return _status_table(compiled, cls, threading.get_ident(), current_limits().max_facts)

    def statuses(self, facts: dict) -> dict:
        """{procedure: status} for given `facts` ({fact: rows}); the others are unknown."""
        return {entry[0]: self._cached(entry, facts) for entry in self.procedures}

    def status(self, pid: str, facts: dict) -> str:
        """One procedure's status for given `facts`."""
        return self._cached(next(e for e in self.procedures if e[0] == pid), facts)

    def deciding_names(self, pid: str) -> tuple:
        """The facts that can matter to the procedure at all (its diagrams' support)."""
        return next(e[1] for e in self.procedures if e[0] == pid)

    def _cached(self, entry: tuple, facts: dict) -> str:
        pid, names, applies, blocked = entry
        key = (pid,) + tuple(_frozen(facts.get(name)) for name in names)
        status = self.seen.get(key)
        if status is None:
            if len(self.seen) >= self.CACHE_SIZE:
                self.seen.clear()
            status = self.seen[key] = self._status(names, facts, applies, blocked)
        return status

    def _status(self, names: tuple, facts: dict, applies, blocked) -> str:
        assignment = {}
        for name in names:
            if name in facts:
                assignment.update(self._assignment(name, facts[name]))
        condition = self._condition(tuple(name for name in names if name not in facts))
        applies, blocked = (self.bdd.let(assignment, applies), self.bdd.let(assignment, blocked)) \
            if assignment else (applies, blocked)
        false = self.bdd.false
        if (condition & ~applies) == false:
            return APPLIES
        if (condition & ~blocked) == false:
            return BLOCKED
        if (condition & (applies | blocked)) == false:
            return NOT_APPLICABLE
        return UNDETERMINED


    def _assignment(self, name: str, rows) -> dict:
        key = (name, _frozen(rows))
        found = self.assignments.get(key)
        if found is None:
            found = self.assignments[key] = self.symbolic.assignment({name: rows}, self.bdd)
        return found

    def _condition(self, unknown: tuple):
        """The constraints of these unknown facts together (remembered)."""
        found = self.conditions.get(unknown)
        if found is None:
            found = self.bdd.true
            for name in unknown:
                found &= self.constraints[name]
            self.conditions[unknown] = found
        return found


def _policy_outcomes(compiled) -> list:
    """[(procedure, applies, blocked)] over every fact left unknown: from the policy's
    procedure formulas when it has them (no deciding facts worked out), else decided."""
    nobody = Decision(compiled, Applicant(name="", file="", facts={}, unknown=[]),
                      decide_procedures=False)
    base = nobody._symbolic_procedures()
    if base is None:
        nobody._decide_procedures()
        return [(pid, o.applies, o.blocked) for pid, o in nobody.outcomes.items()]
    procedures, _, eligible, ready, _ = base
    return [(pid, eligible[pid] & ready[pid], eligible[pid] & ~ready[pid]) for pid in procedures]


def _frozen(rows):
    return None if rows is None else frozenset(rows)


@analysis
def _status_table(compiled, cls, _thread, _max_facts):
    """StatusTable.of, once per thread (its manager) and fact limit."""
    symbolic = symbolic_of(compiled)
    return None if symbolic is None else cls(compiled, symbolic, manager_for(compiled))

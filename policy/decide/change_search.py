"""The smallest sets of changes that make a procedure apply, read from decision diagrams.

Trying every combination of candidate changes one status at a time (what
counterfactual.WhatIf does without diagrams) costs a status per combination:
tens of thousands for an applicant who gave little. With the policy's Symbolic
compile (completions.StatusTable) the question is asked once per *set of facts*
instead: for facts S, fix the given facts outside S, and take the assignments
of S's variables under which some completion of the remaining unknown facts
does not make the procedure apply,

    fails_S = exists (unknown facts outside S) . constraints & not applies,

one diagram over S's variables. A combination of changes (one value for each
fact of S) makes the procedure apply exactly when it makes fails_S false: the
same test StatusTable.status makes, so the answers are those of trying each
combination, found in a fraction of the diagram operations. Sets of facts whose
fails_S is already true (no values of them can work) are dropped whole.
"""
from __future__ import annotations

import itertools


def applying_combinations(table, pid: str, facts: dict, candidates: list, rows_of,
                          max_size: int) -> list:
    """The combinations (tuples of `candidates`, at most one change per fact, in the order
    itertools.combinations gives them) of the smallest size up to `max_size` that make
    the procedure apply to an applicant with given `facts`; [] when none does.

    `rows_of(change)` is the rows the changed fact then has."""
    applies = next(entry[2] for entry in table.procedures if entry[0] == pid)
    names = table.deciding_names(pid)
    index = {id(change): n for n, change in enumerate(candidates)}
    by_fact = {}
    for change in candidates:
        by_fact.setdefault(change.name, []).append(
            (change, table._assignment(change.name, rows_of(change))))
    search = _Search(table, applies, names, facts)
    for size in range(1, max_size + 1):
        found = []
        for chosen in itertools.combinations(by_fact, size):
            found.extend(search.working(chosen, [by_fact[name] for name in chosen]))
        if found:
            return sorted(found, key=lambda combination: [index[id(c)] for c in combination])
    return []


class _Search:
    """fails_S for sets of facts S of one procedure and one applicant."""

    def __init__(self, table, applies, names: tuple, facts: dict):
        self.table, self.bdd, self.applies = table, table.bdd, applies
        self.given = [name for name in names if name in facts]
        self.unknown = [name for name in names if name not in facts]
        self.fixed = {name: table._assignment(name, facts[name]) for name in self.given}
        self.domains = table.symbolic.domains
        self.substituted = {}

    def fails(self, chosen: tuple):
        """fails_S: the assignments of the chosen facts under which the procedure does not
        apply in some completion of the other unknown facts."""
        kept = tuple(name for name in self.given if name not in chosen)
        formula = self.substituted.get(kept)
        if formula is None:
            assignment = {}
            for name in kept:
                assignment.update(self.fixed[name])
            formula = self.bdd.let(assignment, self.applies) if assignment else self.applies
            self.substituted[kept] = formula
        free = tuple(name for name in self.unknown if name not in chosen)
        bad = self.table._condition(free) & ~formula
        variables = [v for name in free for v in self.domains[name].variables]
        return self.bdd.exist(variables, bad) if variables and bad != self.bdd.false else bad

    def working(self, chosen: tuple, options: list) -> list:
        """The combinations of one change per chosen fact under which fails_S is false."""
        fails = self.fails(chosen)
        if fails == self.bdd.true:
            return []
        found = []
        self._extend(fails, options, (), found)
        return found

    def _extend(self, fails, options: list, prefix: tuple, found: list) -> None:
        if not options:
            if fails == self.bdd.false:
                found.append(prefix)
            return
        for change, assignment in options[0]:
            rest = self.bdd.let(assignment, fails)
            if rest != self.bdd.true:
                self._extend(rest, options[1:], prefix + (change,), found)

"""Exact checks for a decision whose formulas hold open conditions.

The decision diagrams treat each open condition (engine/open_conditions.py) as free,
which over-approximates the completions where several conditions on the same values
meet. When a formula's support holds one, `none` and `deciding` ask the SMT check
(engine/open_solver.py) instead: with what the conditions mean and the regions tied to
the facts' values, a status is exactly the enumeration's, and a fact is listed exactly
when two completions differing only in it disagree. Where z3 cannot answer, the sound
answer of the diagrams stands.
"""
from __future__ import annotations

from policy.decide.lineage_model import condition_registry

# The solver and the witness search (engine/open_solver.py, open_witness.py) are imported
# by the first decision that has open conditions: a policy without them never needs them.


class OpenChecks:
    """The checks of one Decision (its manager, unknown facts and constraint)."""

    def __init__(self, decision):
        self.decision = decision
        self.registry = condition_registry(decision.compiled)
        self._solver = None

    def active(self) -> bool:
        return bool(self.registry.owners) and any(d.open_type for d in self.decision.domains.values())

    def conditioned(self, formula) -> bool:
        owners = self.registry.owners
        return any(v in owners for v in self.decision.bdd.support(formula))

    def none(self, formula) -> bool:
        """No completion satisfies `formula` (given it is satisfiable as a diagram): True
        only when z3 says so."""
        if not self.conditioned(formula):
            return False
        return self.solver().satisfiable(formula) is False

    def deciding(self, names: list, formulas) -> list:
        """Of the facts the diagrams found deciding, those z3 does not rule out."""
        formulas = [f for f in formulas]
        if not any(self.conditioned(f) for f in formulas):
            return names
        kept = []
        for name in names:
            owned = set(self.decision.domains[name].variables)
            owned |= {v for v, facts in list(self.registry.owners.items()) if name in facts}
            if self._differs_witnessed(name, formulas) \
                    or self.solver().differs(owned, formulas, self.decision.constraint) is not False:
                kept.append(name)
        return kept

    def _differs_witnessed(self, name: str, formulas: list) -> bool:
        """Two completions at representative values that show `name` deciding, found
        without the solver (engine/open_witness.py): most deciding facts have one."""
        from policy.engine.open_witness import differs_witnessed

        solver = self.solver()
        return differs_witnessed(self.decision.bdd, name, formulas, self.decision.constraint,
                                 solver.candidates, solver.meanings)

    def solver(self):
        """The OpenSolver of this decision, made on first use."""
        if self._solver is None:
            from policy.engine.open_solver import OpenSolver

            candidates, rows = {}, {}
            for name, domain in self.decision.domains.items():
                if domain.chains:
                    rows.update(list_rows(domain))
                    continue
                if not domain.open_type or not domain.exactly_one or not domain.regions:
                    continue
                for (row, variable), stands in zip(domain.candidates, domain.regions):
                    candidates[variable] = (name, row[0], stands[0])
            self._solver = OpenSolver(self.decision.bdd, candidates,
                                      dict(self.registry.meanings), rows)
        return self._solver


def list_rows(domain) -> dict:
    """{row value name: (fact, representative, Stands, presence variable, its region's
    row names in presence order)} of a list with symbolic rows (decide/list_rows.py)."""
    found = {}
    for chain in domain.chains:
        names = tuple(domain.regions[i][0].expr[1] for i in chain)
        for i in chain:
            (row, variable), stands = domain.candidates[i], domain.regions[i][0]
            found[stands.expr[1]] = (domain.name, row[0], stands, variable, names)
    return found

"""Which of the policy's constants each argument of each predicate can meet.

An unknown number, date or string is evaluated over one representative per region of
its values, the regions cut at constants (domains.py). Cut at every constant of the
policy, a fact of records multiplied them: `payment(month: string, amount: decimal)` in a
policy with fourteen titles and fifteen numbers had 210 candidate rows, and a count over
them never finished. A month that no rule compares with anything needs one
representative; an amount compared with 1000 needs the regions around 1000.

So the argument positions of the lowered program are grouped: two positions are in one
group when one rule's variable stands at both, when variables are compared with each
other (`Mine + Theirs < 3000` links Mine's and Theirs' positions), or when an aggregate
groups by them. A group's constants are those written at its positions (atoms, static
facts, static rows computed by the rules) and those its variables are compared with
(folded, and bounds moved across `+`/`-` of a constant: `A + 1 > 18` -> 17). An argument is told apart
only at its group's constants. Sound as before, since every comparison or join of the
argument with a constant of the policy reaches its group: the regions no constant of
its group cuts come out the same in every rule.
"""
from __future__ import annotations

from policy.analysis.cache import analysis
from policy.decide.domains import comparison_constants, constants_in
from policy.engine.lowering import LAtom, LCompare, LFunction, term_variables
from policy.errors import PolicyError


def argument_constants(compiled, predicate: str, index: int) -> frozenset:
    """The policy's constants the argument `index` of `predicate` can meet."""
    return _by_position(compiled).get((predicate, index), frozenset())


@analysis
def _by_position(compiled) -> dict:
    """{(predicate, index): frozenset of constants}, once per policy."""
    groups = _Groups()
    for number, rule in enumerate(compiled.lowered.rules):
        for literal in (rule.head,) + tuple(rule.body):
            groups.literal(number, literal)
    for aggregate in compiled.lowered.aggregates:
        for index in range(len(aggregate.groups)):
            groups.union(("pos", aggregate.function, index), ("pos", aggregate.source, index))
    try:
        static = compiled._static_engine_model
    except PolicyError:
        static = {}
    for name, rows in static.items():
        for row in rows:
            for index, value in enumerate(row):
                groups.attach(("pos", name, index), value)
    return groups.constants()


class _Groups:
    """Union-find over argument positions and rule variables, with constants per group."""

    def __init__(self):
        self.parent, self.attached = {}, {}

    def find(self, node):
        parent = self.parent.setdefault(node, node)
        if parent != node:
            parent = self.parent[node] = self.find(parent)
        return parent

    def union(self, one, other) -> None:
        self.parent[self.find(one)] = self.find(other)

    def attach(self, node, value) -> None:
        if not isinstance(value, float):
            self.attached.setdefault(node, set()).add(value)

    def literal(self, rule: int, literal) -> None:
        if isinstance(literal, LAtom):
            self.arguments(rule, literal.predicate, literal.args)
        elif isinstance(literal, LFunction):
            self.arguments(rule, literal.function, tuple(literal.keys) + (literal.value,))
        elif isinstance(literal, LCompare):
            self.comparison(rule, literal)

    def arguments(self, rule: int, predicate: str, args: tuple) -> None:
        for index, term in enumerate(args):
            position = ("pos", predicate, index)
            self.find(position)
            for name in term_variables(term):
                self.union(position, ("var", rule, name))
            found = set()
            constants_in(term, found)
            for value in found:
                self.attach(position, value)

    def comparison(self, rule: int, literal: LCompare) -> None:
        names = sorted(term_variables(literal.left) | term_variables(literal.right))
        if not names:
            return
        first = ("var", rule, names[0])
        for name in names[1:]:
            self.union(first, ("var", rule, name))
        found = set()
        comparison_constants(literal, found)
        for value in found:
            self.attach(first, value)

    def constants(self) -> dict:
        by_group = {}
        for node, values in self.attached.items():
            by_group.setdefault(self.find(node), set()).update(values)
        return {(node[1], node[2]): frozenset(by_group.get(self.find(node), ()))
                for node in list(self.parent) if node[0] == "pos"}

"""The fact budget of one evaluation: counted while pyDatalog works, not after.

pyDatalog's loop is compiled and cannot be interrupted, so a rule that joins
large relations (a cross product) used to run to its end before `--max-facts`
was looked at: 18 s and 800 MB for a model that was refused anyway. Only a join
(a body with two or more positive atoms) can derive more rows than one relation
holds, so only joins need watching, and a counter literal at the end of a
join's positive atoms counts its rows one by one as pyDatalog finds them (the
seam raises FactLimit from inside the loop at the first row past the budget).

Counting costs a pyDatalog subgoal per row (a plan took a quarter longer with
every join counted), so it runs only when it could matter: `JoinBound`
computes, from the numbers of facts given, an upper bound of the rows every
join can give (the product of its atoms' sizes, through the rules in
dependency order; a recursive predicate may have any size). When the facts
given plus that bound fit the budget, no count can pass it and the evaluation
runs on the plain logic; otherwise on a second logic whose joins are counted.
"""
from __future__ import annotations

from policy.engine.collection import collect_if_due
from policy.engine.lowering import LAtom
from policy.limits import check_stopped


class FactLimit(Exception):
    """An evaluation went past its fact budget; `count` is how far it had got."""

    def __init__(self, count: int):
        super().__init__(count)
        self.count = count


class Budget:
    """How many facts an evaluation may still hold: given facts, join rows, recursive facts."""

    def __init__(self, limit=None):
        self.limit = limit if limit is not None else float("inf")
        self.spent = 0

    @property
    def unlimited(self) -> bool:
        return self.limit == float("inf")

    def spend(self, count: int = 1) -> None:
        check_stopped()
        collect_if_due()  # between steps, never inside a dd call (collection.py)
        self.spent += count
        if self.spent > self.limit:
            raise FactLimit(self.spent)

    def left(self):
        return self.limit - self.spent


def is_join(rule) -> bool:
    """Two or more positive atoms: the rows can be the product of relations."""
    return sum(1 for lit in rule.body if isinstance(lit, LAtom) and not lit.negated) >= 2


def positive_atoms(body) -> list:
    return [lit for lit in body if isinstance(lit, LAtom) and not lit.negated]


class JoinBound:
    """An upper bound of the rows that the joins of `rules` can give, from relation sizes.

    Each rule gives at most the product of its positive atoms' sizes (a bodiless
    rule one fact); a predicate holds at most what its rules give plus what was
    asserted. (An aggregate's result is read through a rule with one positive
    atom, so it is bounded by that atom.) The rules are pyDatalog's (recursion
    already turned into steps), so they form no cycle.
    """

    def __init__(self, rules, unknown=()):
        import graphlib  # here: a command that never bounds joins does not import it

        self.unknown = frozenset(unknown)  # predicates of any size (recursive ones)
        sorter = graphlib.TopologicalSorter()
        by_head = {}
        for rule in rules:
            atoms = tuple(a.predicate for a in positive_atoms(rule.body))
            by_head.setdefault(rule.head.predicate, []).append((atoms, is_join(rule)))
            sorter.add(rule.head.predicate, *atoms)
        try:
            order = list(sorter.static_order())
        except graphlib.CycleError:  # not expected; without an order, always count
            order = None
        self.steps = None if order is None else [(name, by_head[name]) for name in order
                                                 if name in by_head]

    def exceeds(self, sizes: dict, left) -> bool:
        """True when the joins could give more than `left` rows, given `sizes` {name: rows}."""
        if self.steps is None:
            return True
        cap = left + 1  # a size past the cap cannot change the answer
        size = {**sizes, **{name: cap for name in self.unknown}}
        joined = 0
        for head, rules in self.steps:
            total = 0
            for atoms, join in rules:
                rows = 1
                for atom in atoms:
                    rows = min(rows * size.get(atom, 0), cap)
                total += rows
                if join:
                    joined += rows
                    if joined > left:
                        return True
            size[head] = min(size.get(head, 0) + total, cap)
        return False

"""Witnesses kept per formula: a part of a region shown satisfiable by its neighbour's.

"Decided by" asks the same few formulas of every part of an unknown amount's region (the
parts between its cut points, decide/range_status.py): about 700 checks for Eli's
hardship review (examples/household), each a fresh witness search (open_witness.py:
the diagram's paths, the regions' representatives, repairs). A completion that satisfies
a formula with the amount in one part mostly does so, or nearly, in the next: the same
path, the other amounts where they were, only the amount moved into the part (by
open_repair, which moves it to where each failing condition of the path holds, and the
other amounts within their regions if it must). What it finds is checked like every
witness, each condition of the path evaluated at the moved values, so "satisfiable"
stays exact; when no kept witness moves into the part, the caller searches afresh.
"""
from __future__ import annotations

from policy.engine.open_refute import known_bounds
from policy.engine.open_repair import repaired
from policy.engine.open_witness import agrees, condition_value, plain_value

KEPT = 8  # witnesses kept per formula and fact, the latest useful first


class KeptWitnesses:
    """The witnesses satisfiable_within found, per (formula, fact)."""

    def __init__(self, meanings: dict):
        self.meanings = meanings
        self._kept = {}  # (diagram node, fact) -> [(cube, values, ranges)]

    def keep(self, formula, fact: str, found: tuple) -> None:
        """Keep `found` (open_witness.witness's answer) for the formula's next parts."""
        kept = self._kept.setdefault((formula, fact), [])
        kept.insert(0, found)
        del kept[KEPT:]

    def moved_into(self, formula, fact: str, bounds: tuple, inside, whole: bool) -> bool:
        """Whether a kept witness of the formula, with `fact` moved within `bounds` (and
        the other amounts within their regions), satisfies it: then some completion with
        the fact's value in the part does."""
        kept = self._kept.get((formula, fact), ())
        for index, (cube, values, ranges) in enumerate(kept):
            if self._moves(cube, values, ranges, fact, bounds, inside, whole):
                kept.insert(0, kept.pop(index))
                return True
        return False

    def _moves(self, cube: dict, values: dict, ranges: dict, fact: str, bounds: tuple,
               inside, whole: bool) -> bool:
        starts = [plain_value(value) for value in inside]
        for start in starts:
            if agrees(cube, {**values, fact: start}, self.meanings):
                return True
        span = _span(bounds, whole)
        if span is None or not starts:
            return False
        # the fact first: open_repair moves the first value that makes a condition hold
        movable = {fact: span, **{name: r for name, r in ranges.items() if name != fact}}
        return repaired(cube, {**values, fact: starts[0]}, movable, self.meanings,
                        condition_value) is not None


def _span(bounds: tuple, whole: bool):
    """(whole, lo, hi) with the values strictly between lo and hi (None: unbounded) those
    within `bounds`, as open_repair moves a value; None for a point, or for decimals
    bounded by anything but `<` and `>`."""
    if any(op == "=" for op, _ in bounds):
        return None
    if whole:
        lo, hi, _ = known_bounds(bounds, True, plain_value)
        return True, None if lo is None else lo - 1, None if hi is None else hi + 1
    if any(op not in ("<", ">") for op, _ in bounds):
        return None
    lo = max((plain_value(v) for op, v in bounds if op == ">"), default=None)
    hi = min((plain_value(v) for op, v in bounds if op == "<"), default=None)
    return False, lo, hi

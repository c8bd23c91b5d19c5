"""A witness off the representatives: open values moved within their regions until the
conditions of one diagram path hold.

The witness search (open_witness.py) tries each unknown number or date at its regions'
representative values. With several unknown amounts in one condition that often misses:
`Income + Partner < 3000` with the income at 2,999 holds only for a partner income of 0
or less, which no representative is when the region is (-3001, 2). The solver then
decides (a few milliseconds a check, and z3's import on the first); here, a failing
condition linear in one movable value is made to hold by moving that value to the
nearest point of its region where it does (its root worked out exactly), and the path
is checked again, a few rounds at most. What it finds is a real completion (each value
in the region its path chose, every condition of the path as it says), so "satisfiable"
stays exact; when it finds none, the solver decides.

A region's values are those its candidate variable is tied to in the solver
(`tied_range`, the one statement of it: open_solver._region reads it too).
"""
from __future__ import annotations

import math
import operator
from decimal import Decimal
from fractions import Fraction

from policy.values import Day

ROUNDS = 4  # conditions repaired per path before handing over to the solver
_HOLDS = {"<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge,
          "==": operator.eq, "!=": operator.ne}
_NEGATED = {"<": ">=", "<=": ">", ">": "<=", ">=": "<", "==": "!=", "!=": "=="}


def tied_range(value, stands) -> tuple:
    """(point, lo, hi): the values an ordered region's candidate `value` is tied to: the
    one `point` (not None), else those strictly between `lo` and `hi` (None: unbounded).
    An integer's or a date's region with more than one value inside has two candidates
    (its first and last value, _two_ends): the last is tied to itself, the first to the
    rest. Not a symbolic row of a list (decide/list_rows.py): its rows are values of their
    own, each tied to the whole region (tied like that, two rows between 2 and 6 could
    only be 3 and 4, never 3 and 5)."""
    lo, hi = stands.lo, stands.hi
    if stands.row is None and _two_ends(value, lo, hi):
        if _key(value) == _key(hi) - 1:
            return value, None, None
        hi = Day(hi.ordinal - 1) if isinstance(hi, Day) else hi - 1
    return None, lo, hi


def _two_ends(value, lo, hi) -> bool:
    """Whether `value` is one of the two candidates of an integer's or a date's region
    between two constants with more than one value inside (domains.representatives: its
    first and last value, each standing for the region in the diagrams). Tied both to the
    whole region, they would be one and the same, and "exactly one candidate" would then
    rule the region out (`170 - B > 100, B - C > 50` with B between 50 and 100 came out
    impossible): so the last value is tied to itself and the first to the rest."""
    if lo is None or hi is None or isinstance(value, (Decimal, float, str, bool)):
        return False
    return _key(hi) - _key(lo) > 2


def _key(value):
    return value.ordinal if isinstance(value, Day) else value


def movable(value, stands, number):
    """(whole, lo, hi) of a value that can move within its region (plain numbers, as
    `number` makes them: dates by day), or None (a point, a string, a fixed value)."""
    if stands is None or not stands.ordered or isinstance(value, (str, bool)):
        return None
    point, lo, hi = tied_range(value, stands)
    if point is not None:
        return None
    whole = not isinstance(value, (Decimal, float))
    return (whole, None if lo is None else number(lo), None if hi is None else number(hi))


def repaired(cube: dict, values: dict, ranges: dict, meanings: dict, evaluate):
    """Values that make every condition of `cube` what it says, found by moving the facts
    of `ranges` ({fact: (whole, lo, hi)}) one at a time, or None. `evaluate(expr,
    values)` computes a side of a condition exactly (open_witness.condition_value)."""
    values = dict(values)
    for _ in range(ROUNDS):
        failing = _first_failing(cube, values, meanings, evaluate)
        if failing is None:
            return values
        if failing is False:
            return None
        op, left, right = failing
        for fact in ranges:
            moved = _moved(fact, op, left, right, values, ranges[fact], evaluate)
            if moved is not None:
                values[fact] = moved
                break
        else:
            return None
    return values if _first_failing(cube, values, meanings, evaluate) is None else None


def _first_failing(cube: dict, values: dict, meanings: dict, evaluate):
    """(op, left, right) of the first condition of the cube that does not hold as the cube
    says (op turned so that it should hold), None when all do, False when one cannot be
    computed or is a pair's "greater" (left to the solver)."""
    try:
        for variable, wanted in cube.items():
            meaning = meanings.get(variable)
            if meaning is None:
                continue
            if meaning[0] == "more":
                return False
            op = meaning[0] if wanted else _NEGATED[meaning[0]]
            if not _HOLDS[op](evaluate(meaning[1], values), evaluate(meaning[2], values)):
                return op, meaning[1], meaning[2]
    except (KeyError, TypeError, ArithmeticError):
        return False
    return None


def _moved(fact: str, op: str, left, right, values: dict, bounds: tuple, evaluate):
    """The value of `fact` nearest its current one, within its region, at which
    `left op right` holds, the others as they are (the condition linear in it), or None."""
    def gap(x):
        return evaluate(left, {**values, fact: x}) - evaluate(right, {**values, fact: x})

    try:
        g0, g1, g2 = gap(0), gap(1), gap(2)
    except (KeyError, TypeError, ArithmeticError):
        return None
    slope = g1 - g0
    if slope == 0 or g2 - g1 != slope:  # not read by it, or not linear in it
        return None
    root = Fraction(-g0) / Fraction(slope)
    whole, lo, hi = bounds
    for x in _nearest(root, op, whole, values[fact]):
        if (lo is None or x > lo) and (hi is None or x < hi) and _HOLDS[op](gap(x), 0):
            return x
    return None


def _nearest(root: Fraction, op: str, whole: bool, now) -> list:
    """Values close to where `gap op 0` starts to hold (the gap, linear, is 0 at `root`),
    nearest the current value `now` first: the root, the whole numbers around it, or half
    a step and a step past it."""
    if whole:
        below, above = math.floor(root), math.ceil(root)
        near = [below - 1, below, above, above + 1]
    else:
        near = [root - 1, root - Fraction(1, 2), root, root + Fraction(1, 2), root + 1]
    if op == "!=":
        near.append(now + 1)
        near.append(now - 1)
    return sorted(near, key=lambda x: abs(x - now))

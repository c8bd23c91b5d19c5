"""A proof of "no completion" before the solver: bounds that cannot meet on every path.

The solver (open_solver.py) is asked only what the witness search (open_witness.py)
could not show satisfiable; most of those are unsatisfiable, and a few linear
conditions on a few amounts say so: `2500 + P < 3000` with the partner income P at
least 500 cannot hold. Here each path of the diagram to true is read as bounds on the
unknown amounts (the region its path chose, the part a caller bounds a value to) and
linear conditions, and the bounds are narrowed by each condition in turn (interval
propagation, whole numbers rounded inward). When every path ends with an amount that
has no value left, no completion satisfies the formula: exact, since every step only
drops what no completion can have. What it cannot prove (a condition it does not
read, too many paths) is left to the solver, which also spares z3's import (about a
tenth of a second) for most explanations.
"""
from __future__ import annotations

import functools
import math
from fractions import Fraction

from policy.engine.open_repair import tied_range

MAX_PATHS = 64  # paths read before handing over to the solver
ROUNDS = 6  # narrowing passes over a path's conditions
_TURNED = {"<": ">", "<=": ">=", ">": "<", ">=": "<=", "==": "==", "!=": "!="}
_NEGATED = {"<": ">=", "<=": ">", ">": "<=", ">=": "<", "==": "!=", "!=": "=="}


def spans(candidates: dict, plain) -> dict:
    """{region variable: (fact, lo, hi, whole)} of the numeric candidates: the closed
    bounds (None: unbounded) of the values it is tied to (open_repair.tied_range), as
    plain numbers (`plain`: open_witness.plain_value)."""
    found = {}
    for variable, (fact, value, stands) in candidates.items():
        number = plain(value)
        if isinstance(number, (str, bool)):
            continue
        whole = isinstance(number, int)
        if stands is None:
            found[variable] = (fact, number, number, whole)
            continue
        if not stands.ordered:
            found[variable] = (fact, None, None, whole)
            continue
        point, lo, hi = tied_range(value, stands)
        if point is not None:
            found[variable] = (fact, plain(point), plain(point), whole)
        else:
            found[variable] = (fact, *_inward(plain(lo) if lo is not None else None,
                                              plain(hi) if hi is not None else None, whole),
                               whole)
    return found


def known_bounds(bounds: tuple, whole: bool, plain) -> tuple:
    """(lo, hi, whole): the closed bounds of the values within `bounds` ((operator,
    value) comparisons that all hold), strict ones one step in for whole numbers."""
    lo = hi = None
    for op, value in bounds:
        number = plain(value)
        step = 1 if whole else 0
        if op in (">", ">=", "="):
            low = number + step if op == ">" else number
            lo = low if lo is None else max(lo, low)
        if op in ("<", "<=", "="):
            high = number - step if op == "<" else number
            hi = high if hi is None else min(hi, high)
    return lo, hi, whole


def _inward(lo, hi, whole: bool) -> tuple:
    """Closed bounds of the open interval (lo, hi): whole numbers one step in; others
    as they are (a relaxation: the interval's ends let in, never a value left out)."""
    if whole:
        return (None if lo is None else lo + 1), (None if hi is None else hi - 1)
    return lo, hi


def refuted(paths, regions: dict, meanings: dict, evaluate, known=None) -> bool:
    """Whether no path of `paths` (open_witness.paths) has a completion: True only when
    every path's bounds cannot meet. `regions`: spans(); `known`: {fact: (lo, hi,
    whole)} closed bounds a caller puts on a fact; `evaluate`: condition_value."""
    for count, cube in enumerate(paths):
        if count >= MAX_PATHS or not _path_refuted(cube, regions, meanings, evaluate,
                                                    known or {}):
            return False
    return True


def _path_refuted(cube: dict, regions: dict, meanings: dict, evaluate, known: dict) -> bool:
    bounds = {fact: [None, None, whole] for fact, _, _, whole in regions.values()}
    for fact, (lo, hi, whole) in known.items():
        if not _narrowed(bounds, fact, lo, hi, whole):
            return True
    for variable, wanted in cube.items():
        span = regions.get(variable)
        if span is not None and wanted is True:
            fact, lo, hi, whole = span
            if not _narrowed(bounds, fact, lo, hi, whole):
                return True
    rows = []
    for variable, wanted in cube.items():
        meaning = meanings.get(variable)
        if meaning is None or meaning[0] == "more":
            continue  # a region variable, or a pair's "greater": left out (a relaxation)
        form = linear(meaning)
        if form is None:
            continue
        op = meaning[0] if wanted else _NEGATED[meaning[0]]
        rows += _at_least_zero(form, op)
    for _ in range(ROUNDS):
        changed = False
        for form, strict in rows:
            outcome = _narrow_by(form, strict, bounds)
            if outcome is None:
                return True
            changed |= outcome
        if not changed:
            break
    return False


def _at_least_zero(form: dict, op: str) -> list:
    """[(form, strict)]: `left op right` as forms (left - right or its negation) that are
    at least (strict: above) zero; `!=` says nothing usable here."""
    negated = {name: -c for name, c in form.items()}
    return {">": [(form, True)], ">=": [(form, False)], "<": [(negated, True)],
            "<=": [(negated, False)], "==": [(form, False), (negated, False)]}.get(op, [])


def _narrow_by(form: dict, strict: bool, bounds: dict):
    """Narrow each amount of `const + sum(c * amount) >= 0` (> 0 when strict) by the others'
    bounds: None when one has no value left, else whether any bound moved."""
    constant = form.get("", 0)
    terms = [(name, c) for name, c in form.items() if name]
    if not terms:
        return None if (constant <= 0 if strict else constant < 0) else False
    highest = {}  # each term's largest value over its amount's bounds (None: unbounded)
    for name, c in terms:
        lo, hi, _ = bounds.get(name, (None, None, False))
        top = hi if c > 0 else lo
        highest[name] = None if top is None else c * top
    changed = False
    for name, c in terms:
        rest = [highest[other] for other, _ in terms if other != name]
        if None in rest:
            continue
        # c * x >= -(constant + rest), or > when strict
        need = Fraction(-(constant + sum(rest))) / c
        whole = bounds.get(name, (None, None, False))[2]  # unknown: not rounded
        if c > 0:
            lo = (math.floor(need) + 1 if strict else math.ceil(need)) if whole else need
            moved = _narrowed(bounds, name, lo, None, whole)
        else:
            hi = (math.ceil(need) - 1 if strict else math.floor(need)) if whole else need
            moved = _narrowed(bounds, name, None, hi, whole)
        if moved is False:
            return None
        changed |= moved == "moved"
    return changed


def _narrowed(bounds: dict, fact: str, lo, hi, whole: bool):
    """Put closed bounds on `fact`: False when none of its values is left, "moved" when
    a bound moved, True otherwise."""
    mine = bounds.setdefault(fact, [None, None, whole])
    moved = True
    if lo is not None and (mine[0] is None or lo > mine[0]):
        mine[0], moved = lo, "moved"
    if hi is not None and (mine[1] is None or hi < mine[1]):
        mine[1], moved = hi, "moved"
    if mine[0] is not None and mine[1] is not None and mine[0] > mine[1]:
        return False
    return moved


@functools.lru_cache(maxsize=4096)
def linear(meaning: tuple):
    """{fact: coefficient, "": constant} with left - right = constant + the sum of
    coefficient * fact, checked at another point; None when not linear, or not numbers."""
    from policy.engine.open_witness import condition_value, facts_of

    names = sorted(facts_of(meaning))

    def at(values):
        return Fraction(condition_value(meaning[1], values) - condition_value(meaning[2], values))
    try:
        zero = {name: 0 for name in names}
        constant = at(zero)
        form = {name: at({**zero, name: 1}) - constant for name in names}
        check = {name: 2 + 3 * index for index, name in enumerate(names)}
        if at(check) != constant + sum(form[n] * check[n] for n in names):
            return None
    except (TypeError, ArithmeticError, KeyError, ValueError):
        return None
    form = {name: c for name, c in form.items() if c}
    form[""] = constant
    return form

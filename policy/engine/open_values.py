"""Values that stand for a region of an unknown fact's values, and what they settle.

An unknown number, date or string fact has infinitely many values; the policy is evaluated
over one representative per region of them (decide/domains.py): the constants of the policy
and of the facts cut the line into points and open intervals. A comparison of one unknown
value with such a constant comes out the same everywhere in a region, so the
representative answers for all of it. Nothing else does: two unknown values compared or
joined (`A < L`), arithmetic on them (`A + L > 100`), a value computed from an unknown one
and compared with a value that is not a cut point, a string ordered against a constant,
or a count over rows of an unknown list (one representative row stands for one or more
rows) can come out either way inside the regions. Answering those from the
representatives claimed, for example, that `A + L > 100` holds in every completion.

So the representative of a region with more than one value is an `Open` value: it equals
and hashes as its representative (rows, indexes and outputs see the plain value) and
carries what it stands for (`Stands`): the facts it comes from, the bounds of the values
it can take, the constants it cannot be, whether it stands for one row or for many, and
whether it was computed. `settled(op, left, right)` decides a comparison or an equality
from the bounds when they settle it (True/False) and says None otherwise; the lineage
evaluator then makes the outcome an *open condition*: a decision variable of its own,
owned by the facts involved, so that both outcomes stay possible. That alone is sound;
the decision then asks an SMT solver what the conditions mean together
(engine/open_solver.py, decide/open_checks.py), which makes it exact.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from policy.values import Day, Truth


@dataclass(frozen=True)
class Stands:
    """What an open value stands for. Bounds are None when unbounded; `closed` flags say
    whether the bound itself can be taken. `cuts`: constants it is known not to equal
    (the region's own for an unordered value such as "any other string")."""

    origins: frozenset
    lo: object = None
    lo_closed: bool = False
    hi: object = None
    hi_closed: bool = False
    ordered: bool = True
    cuts: frozenset = frozenset()
    many: bool = False  # a row of a list fact: stands for one or more rows
    computed: bool = False
    # what it is in terms of the facts' values, for the exact check (engine/open_solver.py):
    # ("fact", name), ("const", value), ("op", op, left, right); None when it cannot be said
    expr: tuple = None
    # a symbolic row of an unknown list (decide/list_rows.py): (fact, region number); two
    # rows of one region are different values, ordered as their representatives
    row: tuple = None


class Open:
    """Mixin of the open value classes: `stands` is a Stands."""

    __slots__ = ()


class OpenInt(Open, int):
    pass


class OpenFloat(Open, float):
    pass


class OpenDecimal(Open, Decimal):
    pass


class OpenStr(Open, str):
    pass


class OpenDay(Open, Day):
    pass


def opened(value, stands: Stands):
    """`value` as an open value standing for `stands`."""
    if isinstance(value, Day):
        made = OpenDay(value.ordinal)
    elif isinstance(value, (bool, Truth)):
        return value
    elif isinstance(value, int):
        made = OpenInt(value)
    elif isinstance(value, float):
        made = OpenFloat(value)
    elif isinstance(value, Decimal):
        made = OpenDecimal(value)
    elif isinstance(value, str):
        made = OpenStr(value)
    else:
        return value
    object.__setattr__(made, "stands", stands)
    return made


def stands_of(value):
    return value.stands if isinstance(value, Open) else None


def computed(value, left, right, op: str):
    """The result of `left op right` (value: the representatives' result) as an open
    value when an operand is open: the bounds by interval arithmetic."""
    a, b = stands_of(left), stands_of(right)
    if a is None and b is None:
        return value
    origins = (a.origins if a else frozenset()) | (b.origins if b else frozenset())
    many = bool(a and a.many) or bool(b and b.many)
    lo, lo_closed, hi, hi_closed = _interval(op, _bounds(left), _bounds(right))
    left_expr, right_expr = expression(left), expression(right)
    expr = None if left_expr is None or right_expr is None or many \
        else ("op", op, left_expr, right_expr)
    return opened(value, Stands(origins, lo, lo_closed, hi, hi_closed, ordered=lo is not None
                                or hi is not None, many=many, computed=True, expr=expr))


def expression(value):
    """What a value is in terms of the unknown facts' values (Stands.expr), or None."""
    stands = stands_of(value)
    return ("const", value) if stands is None else stands.expr


def aggregated(value, origins: frozenset, count: bool):
    """An aggregate's value over rows holding open values: anything, but for a count of
    no rows (no candidate row present: nothing to count)."""
    if count and value == 0:
        return value
    return opened(value, Stands(origins, ordered=False, computed=True))


def settled(op: str, left, right, concrete: bool):
    """True/False when the comparison comes out the same for every value the operands stand
    for, else None. `concrete` is its outcome on the representatives."""
    a, b = stands_of(left), stands_of(right)
    if a is None and b is None:
        return concrete
    if _same_value(a, b, left, right) or _rows_of_one_region(a, b, op):
        return concrete
    if op in ("==", "!="):
        equal = _equality(a, b, left, right)
        return equal if equal is None or op == "==" else not equal
    return _order(op, _bounds(left), _bounds(right))


def _same_value(a, b, left, right) -> bool:
    """Both sides the one value of the same single-valued fact (its representative twice)."""
    return (a is not None and b is not None and not a.computed and not b.computed
            and not a.many and a.origins == b.origins and left == right)


def _rows_of_one_region(a, b, op: str) -> bool:
    """Two symbolic rows of one region of a list (decide/list_rows.py): different copies
    hold different values, in the order of their representatives (the solver's ties),
    so an equality, or an order of numbers or dates, is their representatives'."""
    if a is None or b is None or a.row is None or a.row != b.row:
        return False
    return op in ("==", "!=") or a.ordered


def _equality(a, b, left, right):
    for mine, other in ((a, right), (b, left)):
        if mine is not None and not mine.ordered and stands_of(other) is None:
            if other in mine.cuts:
                return False
    if (a is not None and not a.ordered) or (b is not None and not b.ordered):
        return None
    lo1, c1, hi1, d1 = _bounds(left)
    lo2, c2, hi2, d2 = _bounds(right)
    if _below(hi1, d1, lo2, c2) or _below(hi2, d2, lo1, c1):
        return False
    return None


def _below(hi, hi_closed, lo, lo_closed) -> bool:
    """Every value up to `hi` is below every value from `lo`."""
    if hi is None or lo is None:
        return False
    return hi < lo or (hi == lo and not (hi_closed and lo_closed))


def _order(op: str, left: tuple, right: tuple):
    if op in (">", ">="):
        op, left, right = {">": "<", ">=": "<="}[op], right, left
    lo1, c1, hi1, d1 = left
    lo2, c2, hi2, d2 = right
    if op == "<":
        if _below(hi1, d1, lo2, c2):
            return True
        if lo1 is not None and hi2 is not None and lo1 >= hi2:
            return False
        return None
    if hi1 is not None and lo2 is not None and hi1 <= lo2:
        return True
    if _below(hi2, d2, lo1, c1):
        return False
    return None


def _bounds(value) -> tuple:
    """(lo, lo_closed, hi, hi_closed) of the values `value` stands for, as numbers."""
    stands = stands_of(value)
    if stands is None:
        number = _number(value)
        return number, True, number, True
    if not stands.ordered:
        return None, False, None, False
    return _number(stands.lo), stands.lo_closed, _number(stands.hi), stands.hi_closed


def _number(value):
    if value is None or isinstance(value, (bool, Truth)):
        return None
    if isinstance(value, Day):
        return value.ordinal
    if isinstance(value, float):
        return Decimal(repr(value))
    if isinstance(value, (int, Decimal)):
        return value
    return None


def _interval(op: str, left: tuple, right: tuple) -> tuple:
    lo1, c1, hi1, d1 = left
    lo2, c2, hi2, d2 = right
    if op == "+":
        return _add(lo1, lo2), c1 and c2, _add(hi1, hi2), d1 and d2
    if op == "-":
        return _sub(lo1, hi2), c1 and d2, _sub(hi1, lo2), d1 and c2
    if op in ("*", "/") and lo2 is not None and lo2 == hi2 and c2 and d2 and lo2 != 0:
        return _scaled(left, lo2 if op == "*" else _inverse(lo2))
    if op == "*" and lo1 is not None and lo1 == hi1 and c1 and d1:
        return _scaled(right, lo1)
    if None in (lo1, hi1, lo2, hi2):
        return None, False, None, False
    if op == "/" and (lo2 <= 0 <= hi2):
        return None, False, None, False
    corners = []
    for x, xc in ((lo1, c1), (hi1, d1)):
        for y, yc in ((lo2, c2), (hi2, d2)):
            try:
                corners.append((x * y if op == "*" else Decimal(x) / Decimal(y), xc and yc))
            except (ArithmeticError, TypeError):
                return None, False, None, False
    low = min(v for v, _ in corners)
    high = max(v for v, _ in corners)
    return (low, any(c for v, c in corners if v == low),
            high, any(c for v, c in corners if v == high))


def _scaled(bounds: tuple, factor) -> tuple:
    """The bounds of x * factor (factor a nonzero constant, or 0), an open end staying
    open: `D * 2` with D below -499 is below -998, which decides `S - D * 2 > 1000` for S
    at 1000 (the general product below needs both operands bounded)."""
    lo, lo_closed, hi, hi_closed = bounds
    if factor == 0:
        return 0, True, 0, True

    def scale(x):
        return None if x is None else _times(x, factor)

    if factor > 0:
        return scale(lo), lo_closed, scale(hi), hi_closed
    return scale(hi), hi_closed, scale(lo), lo_closed


def _inverse(value):
    """1 / value exactly (fractions imported here: a cold `query` does not need them)."""
    from fractions import Fraction

    return Fraction(1) / Fraction(value)


def _times(x, factor):
    """x * factor exactly; a division's factor (a Fraction) gives None (no bound: an open
    end, which is sound) where the result is neither an integer nor a decimal."""
    if not isinstance(factor, (int, Decimal)):  # a division's exact inverse, a Fraction
        exact = factor * x if isinstance(x, int) else factor * type(factor)(x)
        if exact.denominator == 1:
            return int(exact) if isinstance(x, int) else Decimal(exact.numerator)
        decimal = Decimal(exact.numerator) / Decimal(exact.denominator)
        return decimal if type(factor)(decimal) == exact else None
    return x * factor


def _add(x, y):
    return None if x is None or y is None else x + y


def _sub(x, y):
    return None if x is None or y is None else x - y

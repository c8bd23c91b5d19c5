"""What an unknown fact can be: its candidate rows, one decision variable each, and the
constraint that a completion obeys.

A yes/no fact is one variable. A valued fact takes one value in a completion
(the applicant file may list several values when they know them; unknown, it
is one value of its declaration): an enum or boolean one of its values; an open
type (string, integer, decimal, date, untyped) any value of its type. A fact
declared `@values("many")` (a list: `overdue(item: string)`) is any set of
values, the empty set included. An open
type has infinitely many values, but the policy can only tell apart finitely
many *regions* of them: the constants it compares or joins with (its own, the
values its static facts hold, the values the applicant gave) cut the line into
points and open intervals, and every value inside one region makes every
comparison and every equality come out the same. So each region is one
candidate (a representative value: the constant itself, a value between two
constants, one beyond the ends; for strings, each constant and one other
string), and "exactly one candidate holds" is the constraint. A comparison with
arithmetic on an unknown value (`A + 1 > 18`) gets its boundary moved to the
value (`17`) when the other side is constant; see the README for what stays
approximate.
"""
from __future__ import annotations

import datetime
from dataclasses import dataclass
from functools import cached_property
from decimal import Decimal

from policy.analysis.checks import value_fits
from policy.engine.lineage import inward
from policy.engine.lowering import LCompare
from policy.engine.open_values import Stands, opened
from policy.values import FALSE, TRUE, Day, Truth

FINITE = ("boolean", "enum")
COPIED = ("integer", "date", "decimal", "string")  # lists that can get symbolic rows


@dataclass(frozen=True)
class Domain:
    """An unknown fact's candidates: (row, variable name) pairs, and whether exactly one holds."""

    name: str
    candidates: tuple  # ((row of Python values, variable), ...)
    exactly_one: bool
    open_type: bool = False
    regions: tuple = ()  # per candidate, per value: the Stands of an open region, or None
    # a list's symbolic rows (list_rows.py): per open region, its copies' candidate indexes
    # in presence order (copy i+1 present only with copy i)
    chains: tuple = ()

    @cached_property
    def variables(self) -> list:
        return [variable for _, variable in self.candidates]

    @cached_property
    def variable_set(self) -> frozenset:
        return frozenset(self.variables)


def domain_of(spec, index: int, constants=None, copies=None) -> Domain:
    """The domain of an unknown FactSpec; `index` is its place in the schema (variable names
    are `f<index>` and `f<index>_<n>`, the same for every applicant of a policy when finite)."""
    if spec.is_flag:
        return Domain(spec.name, (((), f"f{index}"),), False)
    if spec.is_record:
        return _record_domain(spec, index, constants)
    kind = spec.type.name
    if kind == "boolean":
        values = [TRUE, FALSE]
    elif kind == "enum":
        values = list(spec.type.values)
    else:
        values = representatives(kind, constants or ())
    candidates = tuple(((value,), f"f{index}_{n}") for n, value in enumerate(values))
    many = spec.holds_many
    regions = tuple((region_of(kind, value, constants or (), spec.name, many),)
                    for value in values) if kind not in FINITE else ()
    if copies and many and kind in COPIED:  # symbolic rows per region (list_rows.py)
        from policy.decide.symbolic_rows import copied_rows
        values, stands, chains = copied_rows(kind, spec.name, values,
                                             [r[0] for r in regions], copies)
        candidates = tuple(((value,), f"f{index}_{n}") for n, value in enumerate(values))
        return Domain(spec.name, candidates, False, True, tuple((s,) for s in stands), chains)
    return Domain(spec.name, candidates, not many, kind not in FINITE, regions)


def _record_domain(spec, index: int, constants) -> Domain:
    """An unknown fact of records is any set of rows: one variable per combination of each
    argument's values (an open argument's representatives, as for a valued fact).
    `constants`: one set for every argument, or a list of one set per argument."""
    params = spec.declaration.params
    pools = constants if isinstance(constants, list) else [constants or ()] * len(params)
    rows, open_kind = [((), ())], False
    for param, pool in zip(params, pools):
        values = _values_of(param.type, pool)
        kind = param.type.name
        open_kind = open_kind or kind not in FINITE
        rows = [(row + (value,), stands + (region_of(kind, value, pool, spec.name, True),))
                for row, stands in rows for value in values]
    candidates = tuple((row, f"f{index}_{n}") for n, (row, _) in enumerate(rows))
    regions = tuple(stands for _, stands in rows) if open_kind else ()
    return Domain(spec.name, candidates, False, open_kind, regions)


def _values_of(param_type, constants) -> list:
    if param_type.name == "boolean":
        return [TRUE, FALSE]
    if param_type.name == "enum":
        return list(param_type.values)
    return representatives(param_type.name, constants or ())


def representatives(kind: str, constants) -> list:
    """One value per region of an open type that the constants delimit (see module doc)."""
    if kind in ("integer", "date"):
        points = _points(kind, constants)
        if not points:
            return [Day.of(datetime.date(2000, 1, 1))] if kind == "date" else [0]
        values = set(points)
        for point in points:
            values.update((point - 1, point + 1))
        return sorted(values)
    if kind == "decimal":
        points = _points(kind, constants)
        if not points:
            return [Decimal(0)]
        values = set(points) | {points[0] - 1, points[-1] + 1}
        values.update((a + b) / 2 for a, b in zip(points, points[1:]))
        return sorted(values)
    # in a fixed order (the constants come in a set): the same candidates, and so the same
    # examples in explanations, on every run
    values = _pool(kind, constants)
    values.append(_fresh_string(values))
    return values


def _points(kind: str, constants) -> list:
    """The constants that cut an ordered open type's line, sorted."""
    if kind == "decimal":
        return sorted({Decimal(c) if not isinstance(c, Decimal) else c
                       for c in constants if _is(c, (int, Decimal))})
    wanted = Day if kind == "date" else int
    return sorted({c for c in constants if _is(c, wanted)})


def _pool(kind: str, constants) -> list:
    """The constants an unordered open type (a string, an untyped value) is told apart by."""
    pool = [c for c in constants if isinstance(c, str)] if kind == "string" else list(constants)
    return sorted(set(pool), key=lambda c: (type(c).__name__, str(c)))


def region_of(kind: str, value, constants, fact: str, many: bool):
    """The Stands of the region that the representative `value` of an open type stands
    for (open_values.py), or None when the region is that one value: a constant, or the
    one integer (day) between two constants."""
    if kind in FINITE:
        return None
    origins = frozenset((fact,))
    if kind in ("integer", "date", "decimal"):
        points = _points(kind, constants)
        if value in points:
            return None
        lower = max((p for p in points if p < value), default=None)
        upper = min((p for p in points if p > value), default=None)
        if kind != "decimal" and lower is not None and upper is not None \
                and upper - lower == 2:
            return None
        return Stands(origins, lower, False, upper, False, many=many,
                      expr=None if many else ("fact", fact))
    pool = _pool(kind, constants)
    if value in pool:
        return None
    return Stands(origins, ordered=False, cuts=frozenset(pool), many=many,
                  expr=None if many or kind != "string" else ("fact", fact))


def _is(value, kinds) -> bool:
    if isinstance(value, (bool, Truth)):
        return False
    if kinds is int:
        return isinstance(value, int) and not isinstance(value, Day)
    return isinstance(value, kinds)


def _fresh_string(taken: list) -> str:
    """A string equal to no constant: the region of every other string."""
    fresh = "other value"
    while fresh in taken:
        fresh += "'"
    return fresh


def comparison_constants(literal: LCompare, found: set) -> None:
    """Add to `found` the constants a comparison tells a value apart at (folded, and bounds
    moved across `+`/`-` of a constant)."""
    for side, other in ((literal.left, literal.right), (literal.right, literal.left)):
        value = _fold(side)
        if value is not None:
            found.add(value)
        constants_in(side, found)
        bound = _fold(other)
        if bound is not None and side[0] == "op" and side[1] in "+-":
            for moved in _moved(side, bound):
                found.add(moved)


def _moved(side: tuple, bound) -> list:
    """`X + c op bound` -> bound - c; `X - c` -> bound + c; `c - X` -> c - bound."""
    _, op, left, right = side
    try:
        if right[0] == "const" and left[0] == "var":
            return [bound - right[1] if op == "+" else bound + right[1]]
        if left[0] == "const" and right[0] == "var":
            return [bound - left[1] if op == "+" else left[1] - bound]
    except (TypeError, ArithmeticError):
        pass
    return []


def constants_in(term: tuple, found: set) -> None:
    """Add to `found` the constants written in one lowered term."""
    if term[0] == "const":
        found.add(term[1])
    elif term[0] == "op":
        constants_in(term[2], found)
        constants_in(term[3], found)


def _fold(term: tuple):
    """The value of a variable-free expression, or None."""
    if term[0] == "const":
        return term[1]
    if term[0] == "var":
        return None
    left, right = _fold(term[2]), _fold(term[3])
    if left is None or right is None:
        return None
    try:
        value = {"+": lambda a, b: a + b, "-": lambda a, b: a - b, "*": lambda a, b: a * b,
                 "/": lambda a, b: a / b}[term[1]](left, right)
    except (TypeError, ArithmeticError):
        return None
    return Decimal(repr(value)) if isinstance(value, float) else value


def model_values(rows_by_predicate: dict) -> set:
    """Every value held in some rows (static facts, the applicant's given facts)."""
    return {value for rows in rows_by_predicate.values() for row in rows for value in row}


def fits(spec, value) -> bool:
    return not value_fits(value, spec.type)


def candidate_facts(domain: Domain, bdd) -> dict:
    """{row (row values): formula} of an unknown fact, each row its own variable; a value
    standing for a region of several values is open (open_values.py)."""
    if not domain.regions:
        return {tuple(inward(v) for v in row): bdd.var(variable)
                for row, variable in domain.candidates}
    if domain.chains:
        return _copied_facts(domain, bdd)
    return {tuple(inward(v) if stands is None else opened(v, stands)
                  for v, stands in zip(row, regions)): bdd.var(variable)
            for (row, variable), regions in zip(domain.candidates, domain.regions)}


def _copied_facts(domain: Domain, bdd) -> dict:
    """candidate_facts of a list with symbolic rows (list_rows.py): a region's copy i is
    present when the variables of copies 1..i all hold, so every assignment is a set of
    rows with a region's copies a prefix (no constraint: a constraint over independent
    presence variables left the disjunction of a rule's pairs exponential)."""
    found, presence = {}, {}
    for chain in domain.chains:
        prefix = bdd.true
        for index in chain:
            prefix &= bdd.var(domain.candidates[index][1])
            presence[index] = prefix
    for index, ((row, variable), regions) in enumerate(zip(domain.candidates, domain.regions)):
        value = inward(row[0]) if regions[0] is None else opened(row[0], regions[0])
        found[(value,)] = presence.get(index, bdd.var(variable))
    return found


def constraint(domain: Domain, bdd):
    """The formula a completion satisfies for this fact: exactly one candidate when single-valued."""
    if not domain.exactly_one:
        return bdd.true
    names = domain.variables
    exactly, none = bdd.false, bdd.true
    for name in reversed(names):  # exactly one of the suffix / none of the suffix
        var = bdd.var(name)
        exactly, none = bdd.ite(var, none, exactly), ~var & none
    return exactly

"""A witness before the solver: one completion that shows a formula satisfiable.

Most formulas the decisions ask about are satisfiable, and most of those have a witness
among the completions that give each unknown value its region's representative. Finding
one takes a few diagram paths and some arithmetic in Python, where z3 takes a millisecond
or more per check (open_solver.py); a what-if search asks thousands. Only "satisfiable"
is ever answered here: when no witness turns up, the solver decides.
"""
from __future__ import annotations

import functools
import itertools
import operator
import random
from decimal import Decimal
from fractions import Fraction

from policy.engine.open_repair import movable, repaired
from policy.values import Day

TRIES = 128  # completions tried before handing over to the solver
_COMPARE = {"<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge,
            "==": operator.eq, "!=": operator.ne}
_ARITHMETIC = {"+": operator.add, "-": operator.sub, "*": operator.mul,
               "/": lambda a, b: Fraction(a) / Fraction(b)}  # the solver divides as reals


def witnessed(bdd, formula, candidates: dict, meanings: dict, fixed=None,
              by_fact=None) -> bool:
    """Whether a completion with representative values satisfies `formula`.

    `candidates`: {region variable: (fact, representative, stands)}; `meanings`:
    {condition variable: (op, left expression, right expression[, its pair's "less"])};
    `fixed`: {value name: value} of a list's symbolic rows (decide/list_rows.py), each
    at its representative (distinct, in its region and in order: a real completion);
    `by_fact`: regions_by_fact(candidates), when the caller keeps it."""
    return witness(bdd, formula, candidates, meanings, fixed, by_fact) is not None


def witness(bdd, formula, candidates: dict, meanings: dict, fixed=None, by_fact=None,
            cubes=None):
    """The completion `witnessed` finds, as (cube: the path it satisfies, values: {fact:
    plain value}, ranges: {fact: the range it may move in}), or None: a caller can try
    the same path with one value moved (open_solver.satisfiable_within). `cubes`: the
    formula's paths, when the caller remembers them (KnownPaths)."""
    fixed = {name: plain_value(value) for name, value in (fixed or {}).items()}
    if by_fact is None:
        by_fact = regions_by_fact(candidates)
    tries = 0
    for cube in paths(bdd, formula) if cubes is None else cubes:
        for values, ranges in _value_choices(cube, by_fact, _read(cube, meanings)):
            values = {**fixed, **values} if fixed else values
            if agrees(cube, values, meanings):
                return cube, values, ranges
            # off the representatives: each value moved within its region (open_repair)
            moved = repaired(cube, values, ranges, meanings, condition_value) if ranges \
                else None
            if moved is not None:
                return cube, moved, ranges
            tries += 1
            if tries >= TRIES:
                return None
    return None


def regions_by_fact(candidates: dict) -> dict:
    """{fact: [(region variable, representative as a plain value, the range it may move
    in or None)]} of `candidates` ({variable: (fact, representative, stands)})."""
    by_fact = {}
    for variable, (fact, value, stands) in candidates.items():
        by_fact.setdefault(fact, []).append((variable, plain_value(value),
                                             movable(value, stands, plain_value)))
    return by_fact


def paths(bdd, formula):
    """The diagram's paths to true, as partial assignments (children read from the
    regular node: dd.cudd's low/high drop a complemented edge's complement)."""
    stack = [(formula, {})]
    true, false = bdd.true, bdd.false
    while stack:
        node, path = stack.pop()
        if node == false:
            continue
        if node == true:
            yield path
            continue
        if node.negated:
            regular = ~node
            low, high = ~regular.low, ~regular.high
        else:
            low, high = node.low, node.high
        stack.append((low, {**path, node.var: False}))
        stack.append((high, {**path, node.var: True}))


class KnownPaths:
    """The paths of a manager's diagrams, each walked once and remembered as far as a
    caller read them: "Decided by" asks one formula of every part of a region, and
    walking its paths again (a dictionary per node) took a fifth of those checks."""

    def __init__(self, bdd):
        self.bdd = bdd
        self._found = {}  # diagram node -> ([paths read so far], the walk that goes on)

    def __call__(self, formula):
        found = self._found.get(formula)
        if found is None:
            found = self._found[formula] = ([], paths(self.bdd, formula))
        cubes, walk = found
        index = 0
        while True:
            if index == len(cubes):
                cube = next(walk, None)
                if cube is None:
                    return
                cubes.append(cube)
            yield cubes[index]
            index += 1


def _read(cube: dict, meanings: dict) -> set:
    """The facts whose values the conditions of the cube read."""
    found = set()
    for variable in cube:
        meaning = meanings.get(variable)
        if meaning is not None:
            found |= facts_of(meaning)
    return found


@functools.lru_cache(maxsize=4096)
def facts_of(meaning: tuple) -> frozenset:
    """The facts a condition's meaning reads."""
    found, stack = set(), [meaning[1], meaning[2]]
    while stack:
        expr = stack.pop()
        if expr[0] == "fact":
            found.add(expr[1])
        elif expr[0] == "op":
            stack += [expr[2], expr[3]]
    return frozenset(found)


def _value_choices(cube: dict, by_fact: dict, read: set):
    """({fact: value}, {fact: range it may move in}) completions the cube allows: a
    fact's region set true, or each of the regions the cube leaves open (a few
    combinations at most; one of them for a fact no condition of the cube reads, as
    any does as well); `by_fact`: {fact: [(variable, value, range or None)]}."""
    options = []
    for fact, regions in by_fact.items():
        chosen = [(value, span) for variable, value, span in regions
                  if cube.get(variable) is True]
        if len(chosen) > 1:  # two regions at once: no completion
            return
        chosen = chosen or [(value, span) for variable, value, span in regions
                            if variable not in cube]
        if not chosen:
            return
        options.append((fact, chosen if fact in read else chosen[:1]))
    for combination in itertools.product(*[values for _, values in options]):
        yield ({fact: value for (fact, _), (value, _) in zip(options, combination)},
               {fact: span for (fact, _), (_, span) in zip(options, combination) if span})


def agrees(model: dict, values: dict, meanings: dict) -> bool:
    """Whether every condition the model sets is what it means at these values."""
    try:
        for variable, wanted in model.items():
            meaning = meanings.get(variable)
            if meaning is None:
                continue  # a region variable, or a condition free in every completion
            left, right = condition_value(meaning[1], values), condition_value(meaning[2], values)
            if meaning[0] != "more":
                if _COMPARE[meaning[0]](left, right) != wanted:
                    return False
            elif len(meaning) == 4:  # "greater" when its pair's "less" is false
                less = model.get(meaning[3], None)
                less = left < right if less is None else less
                if not less and (left > right) != wanted:
                    return False
        return True
    except (KeyError, TypeError, ArithmeticError):  # not computable here: the solver decides
        return False


def condition_value(expr: tuple, values: dict):
    """An expression of a condition's meaning at {fact: plain value}, exactly."""
    return _evaluator(expr)(values)


@functools.lru_cache(maxsize=8192)
def _evaluator(expr: tuple):
    """condition_value of `expr` as a function of the values, made once per expression
    (its constants made plain once): the witness search and the repairs evaluate the
    same few conditions tens of thousands of times in one explanation. Built from the
    expression's parts as closures; no text is ever compiled."""
    if expr[0] == "const":
        value = plain_value(expr[1])
        return lambda values: value
    if expr[0] == "fact":
        return operator.itemgetter(expr[1])
    _, op, left, right = expr
    combine, first, second = _ARITHMETIC[op], _evaluator(left), _evaluator(right)
    return lambda values: combine(first(values), second(values))


def plain_value(value):
    """A plain value for exact arithmetic, as the solver's: dates by their day number,
    decimals and floats as fractions (an open value's subclass left behind)."""
    if isinstance(value, Day):
        return int(value.ordinal)
    if isinstance(value, float):
        return Fraction(Decimal(repr(float(value))))
    if isinstance(value, Decimal):
        return Fraction(Decimal(value))
    if isinstance(value, bool):
        return bool(value)
    if isinstance(value, int):
        return int(value)
    if isinstance(value, str):
        return str(value)
    return value


PAIR_TRIES = 16  # completions of the other unknown values tried per fact


def differs_witnessed(bdd, fact: str, formulas: list, constraint, candidates: dict,
                      meanings: dict) -> bool:
    """Whether two completions that differ only in `fact`, every open value one of its
    regions' representatives, give some formula different values (the finite unknowns
    alike in both). A found pair is real, so True is exact; False means "not found", and
    the solver decides (open_solver.OpenSolver.differs).

    Each completion's open values become an assignment of the region and condition
    variables; substituted, the formulas and the constraint are diagrams over the
    finite unknowns alone, so the pair's check is one diagram operation."""
    by_fact = {}
    for variable, (name, value, _) in candidates.items():
        by_fact.setdefault(name, []).append((variable, plain_value(value)))
    if fact not in by_fact:
        return False
    support = set(bdd.support(constraint))
    for formula in formulas:
        support |= bdd.support(formula)
    conditions = [v for v in support if v in meanings]
    others = [name for name in by_fact if name != fact]
    chooser = random.Random(fact)  # the same tries on every run
    for _ in range(PAIR_TRIES):
        # the other values drawn at random: in the product's order the first tries
        # all sit in one corner (every other amount at its lowest), where one fact
        # seldom decides anything
        base = {name: chooser.choice(by_fact[name])[1] for name in others}
        outcomes = []
        for _, value in by_fact[fact]:
            assignment = _assignment({**base, fact: value}, by_fact, conditions, meanings)
            if assignment is None:
                return False
            outcomes.append([bdd.let(assignment, f) for f in [constraint, *formulas]])
        if _some_pair_differs(bdd, outcomes):
            return True
    return False


def _assignment(values: dict, by_fact: dict, conditions: list, meanings: dict):
    """{region or condition variable: bool} at these open values (None: a condition
    this cannot compute). A pair's "greater" is set to its meaning: with "less" true it
    may be either, and false is one of them."""
    assignment = {variable: values[name] == value
                  for name, regions in by_fact.items() for variable, value in regions}
    try:
        for variable in conditions:
            meaning = meanings[variable]
            left = condition_value(meaning[1], values)
            right = condition_value(meaning[2], values)
            op = ">" if meaning[0] == "more" else meaning[0]
            assignment[variable] = bool(_COMPARE[op](left, right))
    except (KeyError, TypeError, ArithmeticError):
        return None
    return assignment


def _some_pair_differs(bdd, outcomes: list) -> bool:
    """Whether two of the substituted outcomes ([constraint, formulas...]) disagree on a
    formula for some finite assignment both constraints allow."""
    false = bdd.false
    for first, second in itertools.combinations(outcomes, 2):
        both = first[0] & second[0]
        if both == false:
            continue
        for one, other in zip(first[1:], second[1:]):
            if one != other and (both & bdd.apply("xor", one, other)) != false:
                return True
    return False

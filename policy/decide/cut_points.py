"""Cut points: the values at which a condition on one unknown number or date changes.

An unknown open-typed fact's regions are cut at the policy's and the applicant's
constants (domains.py). A condition computed from them can change elsewhere: with an
income of 2,500 given, `Mine - Theirs > 2000` changes at a partner income of 500, which
no constant names. A region then holds values that decide differently, so what-if
suggestions and "Decided by" could only say "undetermined" for it. Here, from the open
conditions of one applicant's decision for a procedure that one unknown number or date
decides, those linear in it have their roots computed exactly (fractions), so that an
explanation can cut that fact's regions there too (`Applicant.cuts`). Statuses never depend on it: they are exact
with any regions.
"""
from __future__ import annotations

import math
from decimal import Decimal
from fractions import Fraction

from policy.decide.domains import FINITE
from policy.engine.open_witness import condition_value
from policy.values import Day


def cut_points(decision, pid: str) -> dict:
    """{fact: values (of its type) at which a condition on that fact alone changes}, for a
    procedure decided by one unknown number or date (else {}). With two, a condition's
    other side can be the other fact at one of its values (a region of a single value
    enters the conditions as that constant), which would cut at every such pairing."""
    checks, outcome = decision._open, decision.outcomes[pid]
    opens = [name for name in outcome.missing if _is_open(decision.schema[name])]
    if checks is None or len(opens) != 1:
        return {}
    (fact,) = opens
    support = set()
    for formula in (outcome.applies, outcome.blocked, outcome.eligible):
        if formula is not None:
            support |= decision.bdd.support(formula)
    values = set()
    for variable in support:
        meaning = checks.registry.meanings.get(variable)
        if meaning is not None and meaning[0] != "more" and \
                _facts(meaning[1]) | _facts(meaning[2]) == {fact}:
            values |= _as_values(_root(meaning, fact), decision.schema[fact].type.name)
    return {fact: frozenset(values)} if values else {}


def _is_open(spec) -> bool:
    return not spec.is_flag and not spec.is_record and spec.type.name not in FINITE


def _facts(expr: tuple) -> set:
    if expr[0] == "fact":
        return {expr[1]}
    if expr[0] == "const":
        return set()
    return _facts(expr[2]) | _facts(expr[3])


def _root(meaning: tuple, fact: str):
    """Where left - right is zero, when it is linear in the fact's value (else None)."""
    try:
        at = [condition_value(meaning[1], {fact: x}) - condition_value(meaning[2], {fact: x})
              for x in (0, 1, 2)]
    except (TypeError, ArithmeticError, KeyError):
        return None
    slope = at[1] - at[0]
    if slope == 0 or at[2] - at[1] != slope:
        return None
    return Fraction(-at[0]) / Fraction(slope)


def _as_values(root, kind: str) -> set:
    """The constants a region boundary needs at `root` for a fact of type `kind`."""
    if root is None:
        return set()
    if kind == "integer":
        return {math.floor(root)}
    if kind == "date":
        return {Day(math.floor(root))} if 1 <= math.floor(root) <= 3_652_059 else set()
    if kind == "decimal":
        exact = Decimal(root.numerator) / Decimal(root.denominator)
        return {exact} if Fraction(exact) == root else set()
    return set()

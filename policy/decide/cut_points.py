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
    """{fact: values (of its type) at which the procedure's status can change as it varies},
    for a procedure decided by one unknown number or date (else {}): where a condition on
    it changes (condition_cuts). With several, cutting each at every such value multiplies
    the regions of every amount in a rule (see single_fact_cuts)."""
    checks, outcome = decision._open, decision.outcomes[pid]
    opens = [name for name in outcome.missing if _is_open(decision.schema[name])]
    if checks is None or len(opens) != 1:
        return {}
    (fact,) = opens
    values = condition_cuts(decision, pid, fact)
    return {fact: values} if values else {}


def single_fact_cuts(decision, pid: str) -> dict:
    """{fact: values} where a condition on that unknown number or date alone changes, for
    each of the decision's (no other amount eliminated: fewer cuts, for a search that
    tries their product)."""
    if decision._open is None:
        return {}
    found = {}
    for fact in decision.domains:
        if _is_open(decision.schema[fact]):
            values = condition_cuts(decision, pid, fact, eliminate=False)
            if values:
                found[fact] = values
    return found


def given_cuts(searching, pid: str, given: dict) -> dict:
    """{fact: values} where a condition over an unknown number or date and given amounts
    changes, the given ones at their values: a what-if search makes the given facts it may
    change unknown, so `S - D * 2 > 1000` is open in both there, while a suggestion that
    keeps the debt of 100 needs the savings cut at 1200. Only given values are put in (not
    the other facts' region ends: each would cut the others' regions again, a product
    that grows with every amount in a rule). `given`: {fact: its one plain value}."""
    if searching._open is None:
        return {}
    found = {}
    for meaning in _meanings(searching, pid):
        facts = _facts(meaning[1]) | _facts(meaning[2])
        for fact in facts:
            others = facts - {fact}
            if others and others <= set(given) and fact in searching.domains \
                    and _is_open(searching.schema[fact]):
                root = _root(meaning, fact, {name: given[name] for name in others})
                kind = searching.schema[fact].type.name
                found.setdefault(fact, set()).update(_as_values(root, kind))
    return {fact: frozenset(values) for fact, values in found.items() if values}


def condition_cuts(decision, pid: str, fact: str, eliminate: bool = True) -> frozenset:
    """Values (of the fact's type) at which the procedure's status can change as the
    unknown `fact` varies, whatever else is unknown: where a condition on the fact alone
    changes, and where two conditions sharing one other unknown amount do once it is
    eliminated (`P - D > 100` and `P * 2 < 301` meet at a discount of 50.5). Candidates:
    a caller checks each part between them (range_status.py); a change that needs two
    amounts eliminated is not found. Without `eliminate`, only the first kind."""
    if decision._open is None:
        return frozenset()
    meanings = _meanings(decision, pid)
    roots = {_root(m, fact) for m in meanings if _facts(m[1]) | _facts(m[2]) == {fact}}
    if eliminate:
        roots |= _eliminated(meanings, fact)
    kind = decision.schema[fact].type.name
    return frozenset(value for root in roots for value in _as_values(root, kind))


def _meanings(decision, pid: str) -> list:
    """The meanings of the open conditions the procedure's formulas read."""
    outcome, support = decision.outcomes[pid], set()
    for formula in (outcome.applies, outcome.blocked, outcome.eligible):
        if formula is not None:
            support |= decision.bdd.support(formula)
    meanings = [decision._open.registry.meanings.get(v) for v in support]
    return [m for m in meanings if m is not None and m[0] != "more"]


def _eliminated(meanings: list, fact: str) -> set:
    """Roots in `fact` of each pair of linear conditions over it and one other amount Y
    (or Y alone), Y eliminated: b2 * c1 - b1 * c2."""
    by_other = {}
    for meaning in meanings:
        facts = _facts(meaning[1]) | _facts(meaning[2])
        others = facts - {fact}
        if len(others) == 1 and len(facts) <= 2:
            (other,) = others
            form = _linear(meaning, fact, other)
            if form is not None and form[2] != 0:
                by_other.setdefault(other, []).append(form)
    roots = set()
    for forms in by_other.values():
        for index, (k1, a1, b1) in enumerate(forms):
            for k2, a2, b2 in forms[index + 1:]:
                slope = b2 * a1 - b1 * a2
                if slope != 0:
                    roots.add(Fraction(-(b2 * k1 - b1 * k2)) / Fraction(slope))
    return roots


def _linear(meaning: tuple, x: str, y: str):
    """(k, a, b) with left - right = k + a*x + b*y, checked at a fourth point (else None)."""
    def at(vx, vy):
        values = {x: vx, y: vy}
        return condition_value(meaning[1], values) - condition_value(meaning[2], values)
    try:
        k = at(0, 0)
        a, b = at(1, 0) - k, at(0, 1) - k
        return (k, a, b) if at(2, 3) == k + 2 * a + 3 * b else None
    except (TypeError, ArithmeticError, KeyError):
        return None


def _is_open(spec) -> bool:
    return not spec.is_flag and not spec.is_record and spec.type.name not in FINITE


def _facts(expr: tuple) -> set:
    if expr[0] == "fact":
        return {expr[1]}
    if expr[0] == "const":
        return set()
    return _facts(expr[2]) | _facts(expr[3])


def _root(meaning: tuple, fact: str, fixed: dict = None):
    """Where left - right is zero, when it is linear in the fact's value (else None);
    `fixed`: the other facts' values."""
    fixed = {} if fixed is None else fixed
    try:
        at = [condition_value(meaning[1], {**fixed, fact: x})
              - condition_value(meaning[2], {**fixed, fact: x}) for x in (0, 1, 2)]
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

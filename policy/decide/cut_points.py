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
from policy.engine.open_refute import linear
from policy.engine.open_witness import condition_value
from policy.values import Day

MAX_FORMS = 300  # boundaries kept at each step of an elimination
ORDERED_KINDS = ("integer", "decimal", "date")


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
    eliminated (`P - D > 100` and `P * 2 < 301` meet at a discount of 50.5), also several
    amounts and the other amounts' region ends (_eliminated). Candidates: a caller checks
    each part between them (range_status.py). Without `eliminate`, only the first kind."""
    if decision._open is None:
        return frozenset()
    meanings = _meanings(decision, pid)
    roots = {_root(m, fact) for m in meanings if _facts(m[1]) | _facts(m[2]) == {fact}}
    kind = decision.schema[fact].type.name
    values = {value for root in roots for value in _as_values(root, kind)}
    if eliminate:
        for root in _eliminated(decision, meanings, fact):
            values |= _as_values(root, kind)
            if kind in ("integer", "date") and root.denominator != 1:
                values |= _as_values(root + 1, kind)  # its ceiling as well
    return frozenset(values)


def _meanings(decision, pid: str) -> list:
    """The meanings of the open conditions the procedure's formulas read."""
    outcome, support = decision.outcomes[pid], set()
    for formula in (outcome.applies, outcome.blocked, outcome.eligible):
        if formula is not None:
            support |= decision.bdd.support(formula)
    meanings = [decision._open.registry.meanings.get(v) for v in support]
    return [m for m in meanings if m is not None and m[0] != "more"]


def _eliminated(decision, meanings: list, fact: str) -> set:
    """Roots in `fact` once every other unknown amount is eliminated (Fourier-Motzkin:
    each boundary read as `form >= 0` or `> 0`, a lower and an upper bound on an amount
    added with positive weights to cancel it; strictness ignored: candidates only, each
    part checked by the caller). The other amounts' region ends enter as bounds too
    (`C > 10` is decided by C's regions, not an open condition): `A - B > 100,
    B - C > 50` then cut A at 160 and B at 60. At most MAX_FORMS bounds are kept at each
    step."""
    whole = {name for name, spec in decision.schema.items()
             if not spec.is_flag and spec.type.name in ("integer", "date")}
    forms = [form for meaning in meanings for form in _bounds(meaning, whole)]
    forms = [_integral(form) for form in forms + _region_ends(decision, fact)]
    others = sorted({name for form in forms for name in form if name and name != fact})
    for other in others:
        lower = [form for form in forms if form.get(other, 0) > 0]
        upper = [form for form in forms if form.get(other, 0) < 0]
        forms = [form for form in forms if not form.get(other)]
        for first in lower:
            forms += [c for c in (_cancelled(first, second, other) for second in upper)
                      if set(c) - {""}]
            if len(forms) > MAX_FORMS:
                break
        forms = forms[:MAX_FORMS]
    return {Fraction(-form.get("", 0), form[fact]) for form in forms
            if form.get(fact) and set(form) - {""} == {fact}}


def _integral(form: dict) -> dict:
    """The form scaled by a positive number to whole coefficients with no common divisor:
    the same bound (`form >= 0`), in integers, which add and compare faster than
    fractions, and one way of writing each (see _distinct)."""
    scale = math.lcm(*(Fraction(c).denominator for c in form.values()))
    whole = {name: int(c * scale) for name, c in form.items()}
    return _reduced(whole)


def _reduced(form: dict) -> dict:
    divisor = math.gcd(*form.values())
    return form if divisor <= 1 else {name: c // divisor for name, c in form.items()}


def _bounds(meaning: tuple, whole: set) -> list:
    """A condition's boundary as two forms, one at least 0 where it holds and one where
    it fails (`>`/`>=` left minus right and its negation, `<`/`<=` the other way round,
    `=` both; `!=` none): a status can turn on a condition failing as well as holding
    (`n < m, m < 1` rules n = 0 out: the failing side of `n < m` meets `m <= 0`, which
    pairing only the holding side with m's region ends never found). Over integers and
    dates only (`whole`) with whole coefficients, `f > 0` is `f - 1 >= 0` (and `f >= 0`
    fails where `-f - 1 >= 0`), so that eliminating whole amounts finds whole bounds
    (`A - B > 100, B - C > 50, C > 10`: A at least 163, where the real line says above
    160)."""
    form = _form(meaning)
    if form is None or meaning[0] == "!=":
        return []
    negated = {name: -c for name, c in form.items()}
    holds, fails = {">": (form, negated), ">=": (form, negated), "<": (negated, form),
                    "<=": (negated, form), "==": (form, negated)}.get(meaning[0], (None, None))
    if holds is None:
        return []
    if set(form) - {""} <= whole and all(c.denominator == 1 for c in form.values()):
        if meaning[0] in (">", "<"):
            holds = {**holds, "": holds[""] - 1}
        elif meaning[0] in (">=", "<="):
            fails = {**fails, "": fails[""] - 1}
    return [holds, fails]


def _form(meaning: tuple):
    """{fact: coefficient, "": constant} with left - right = constant + sum of
    coefficient * fact (None: not linear), a copy of open_refute.linear's."""
    form = linear(meaning)
    return None if form is None else dict(form)


def _region_ends(decision, fact: str) -> list:
    """`Y - c >= 0` and `c - Y >= 0` for each end c of a region of every other unknown
    amount Y (a region lies on one side of each of its ends)."""
    forms = []
    for name, domain in decision.domains.items():
        spec = decision.schema[name]
        if name == fact or not _is_open(spec) or spec.type.name not in ORDERED_KINDS:
            continue
        ends = set()
        for (row, _), stands in zip(domain.candidates, domain.regions or ()):
            stand = stands[0] if stands else None
            ends.update(v for v in ((row[0],) if stand is None else (stand.lo, stand.hi))
                        if v is not None)
        step = 1 if spec.type.name in ("integer", "date") else 0  # beside the end too
        for end in ends:
            value = Fraction(condition_value(("const", end), {}))
            for shift in {0, step}:
                forms += [{name: Fraction(1), "": -value - shift},
                          {name: Fraction(-1), "": value - shift}]
    return forms


def _cancelled(first: dict, second: dict, other: str) -> dict:
    """A bound without `other`: first (other's coefficient positive) and second (negative)
    added with positive weights that cancel it (whole coefficients, reduced)."""
    a, b = -second[other], first[other]
    names = (set(first) | set(second)) - {other}
    combined = {name: a * first.get(name, 0) + b * second.get(name, 0) for name in names}
    return _reduced({name: c for name, c in combined.items() if c or name == ""})


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

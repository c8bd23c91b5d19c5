"""The sum class of an unknown list: how many symbolic rows a sum over it needs.

list_rows.py bounds the rows of a list by keeping, of any completion, the rows its
observed atoms' derivations read: a subset of the completion. A sum is not kept by a
subset (drop a row and it changes), so a policy that sums a list is bounded here by
another argument, for a narrower class: every rule that reads a row of the list
(`amount(V)`) uses its variable only in comparisons with constants (`V > 2`), and, in the
source of an aggregate, as the value it counts or sums (or sums times a number, below);
negated atoms of the list are
written with constants; the aggregates over it are sums of its rows and counts (no
groups), the counts compared with integer constants only; no least or greatest, no
recursion through it. A sum's value may then be used any way (`S > L` with L unknown).

Why max(2, T) rows per region suffice, T one more than the largest constant a count
is compared with (exactness, not only soundness). The regions are cut at the policy's
constants and at 0 (lineage_model.unknown_domains adds it), so each open region of an
integer or decimal list is above some c >= 0 (`V > c`), below some c <= 0, or between
two constants. Every rule compares a row with constants only, and each comparison comes
out the same for all values of a region: so what the policy derives from a completion
depends only on which constants are present and, for each open region R, on n_R (its
rows' number, capped at T: a count over a union of regions compared with constants
below T) and s_R (its rows' sum; a sum over the rows past constants adds these). Take a
completion with m > max(2, T) rows in a region above c >= 0: replace them by the
max(2, T) - 1 least values of the region (c + 1, c + 2, ... for integers; c + e, c + 2e,
... with e small enough for decimals) and one value y that makes up the sum. The m
rows sum to at least the m least values of the region, so y is above all the others:
a set of max(2, T) values of R, with the same sum and a number past T as before
(below c <= 0, the same with the greatest values). A region between two constants holds
finitely many integers and needs as many rows as it holds (a bounded region of
decimals has no bound: the list keeps one representative per region then, see
summed_copies). The new completion derives the same atoms, and so gives every
procedure the same status; it depends on the list alone, so two completions that differ
only in another fact are mapped to two that differ only in it, and the pairs that make
a fact deciding are kept as well.

A sum may add each row times a number (`S = sum X * 2 : { amount(X) }`, `3 * X`): it is c
times the sum of the rows, which the replacement keeps, so the same rows suffice. In the
lineage each row's addend is then a value computed from the row's own
(open_conditions.exact_rows), and the sum of them a condition on the rows as before.
"""
from __future__ import annotations

from decimal import Decimal

from policy.decide.list_rows import STATUS_PREDICATES, _dependent, _recursive
from policy.decide.row_aggregates import counted_rows, counts_rows, multiples, takes_rows
from policy.engine.lowering import LAtom, LCompare, LFunction, term_variables

SUMMED = ("integer", "decimal")


def summed_bound(lowered, fact: str):
    """max(2, T) (module doc) when every reading of the list `fact` is in the sum class and
    it has a sum of its rows, else None (list_rows keeps the representative per region).
    The rows of regions between constants are added by summed_copies."""
    dependent = _dependent(lowered, fact)
    if dependent & set(STATUS_PREDICATES) or _recursive(lowered, dependent):
        return None
    sources, largest, sums = {}, 2, 0
    for aggregate in lowered.aggregates:
        if aggregate.source not in dependent:
            continue
        rules = [r for r in lowered.rules if r.head.predicate == aggregate.source]
        if aggregate.op != "sum" or aggregate.groups:
            return None
        if all(takes_rows(rule, fact, dependent, scaled=True) for rule in rules):
            sums += 1
        elif all(counts_rows(rule, fact, dependent) for rule in rules):
            rows = counted_rows(lowered, aggregate, fact, dependent)
            if rows is None:
                return None
            largest = max(largest, rows)
        else:
            return None
        sources[aggregate.source] = aggregate
    if not sums:
        return None
    for rule in lowered.rules:
        for literal in rule.body:
            if isinstance(literal, LAtom) and literal.predicate == fact and \
                    not _read_at_constants(rule, literal, rule.head.predicate in sources):
                return None
    return largest


def summed_copies(base: int, kind: str, pool) -> int:
    """The rows per region for a list in the sum class: `base` (max(2, T)), or the most
    integers a region between two constants holds when that is more; None for a kind
    that is not summed, regions not cut at 0, or a region of decimals between two
    constants (no bound)."""
    if kind not in SUMMED or pool is None:
        return None
    wanted = Decimal if kind == "decimal" else int
    points = sorted({Decimal(c) if kind == "decimal" else c for c in pool
                     if isinstance(c, (int, Decimal)) and not isinstance(c, bool)
                     and (kind == "decimal" or not isinstance(c, Decimal))})
    if wanted(0) not in points:
        return None
    if kind == "decimal":
        return base if len(points) == 1 else None
    inside = [high - low - 1 for low, high in zip(points, points[1:])]
    return max([base] + inside)


def _read_at_constants(rule, atom: LAtom, source: bool) -> bool:
    """Whether the rule uses the row's variables only in comparisons with constants (and,
    in an aggregate's source, as the value it aggregates: the head and `W = V`). A
    negated atom of the list must be written with constants."""
    if atom.negated:
        return all(kind == "const" for kind, _ in atom.args)
    for term in atom.args:
        if term[0] != "var":
            continue
        if not source and term in rule.head.args:
            return False
        for literal in rule.body:
            if literal is atom:
                continue
            if isinstance(literal, LCompare) and term[1] in _variables(literal):
                if not _with_constant(literal, term, source, rule.head.args[-1]):
                    return False
            elif isinstance(literal, LAtom) and term in literal.args:
                return False
            elif isinstance(literal, LFunction) and term in tuple(literal.keys) + (literal.value,):
                return False
    return True


def _with_constant(literal: LCompare, term: tuple, source: bool, value: tuple) -> bool:
    """`V op constant` (either way round), or in a source `W = V` (or `W = V * c`,
    takes_rows) for its value W."""
    sides = (literal.left, literal.right)
    if source and literal.op == "==" and literal.left == value and (
            literal.right == term or literal.right in multiples((literal,), term)):
        return True
    return term in sides and any(side[0] == "const" for side in sides)


def _variables(literal: LCompare) -> set:
    return term_variables(literal.left) | term_variables(literal.right)

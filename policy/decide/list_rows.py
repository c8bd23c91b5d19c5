"""An unknown list of numbers, dates or strings as a few symbolic rows per region.

An unknown `@values("many")` fact of an open type can hold any finite set of values.
Its values are told apart in regions (domains.py); a region's one representative
row, read as "one or more rows here", left every comparison between two of its rows,
or between one of them and another unknown value, a condition of its own ("some rows
so compare"), so `amount(V), amount(W), W = V + 1` did not imply `V < W`.

Here, when the policy reads the list in a way whose witnesses are bounded (below), each
open region gets `k` symbolic rows instead: copies with their own presence variable
and their own value (`amount[1.0]`, `amount[1.1]`, ...; engine/open_values.Stands.row).
A completion of the list is a set of rows; with the copies of a region present as a
prefix (copy i+1 present only with copy i: the domain's constraint) and their values
in the order of their representatives (the solver's ties, engine/open_solver.py), the
bounded completions are exactly the sets with at most `k` values in each region. Two
copies of a region compare as their representatives do (different copies are
different values, ordered as their indexes), and a copy compared with another unknown
value, or computed with (`V + 1`), is an open condition with a meaning over the copy's
value: the SMT check decides all of them together.

Why `k` rows suffice (exactness, not only soundness): let the list's predicate be L
and D the predicates that read it, directly or through others. The class this module
accepts: no aggregate over a predicate of D, no recursion among D, D holds none of
`achieved`, `needs`, `provides`, `procedure`, every negated atom of D written with
constants only (`not big`, `not amount(2)`), and every `eligible` head of a rule of D
written with constants only. Then a set O of ground atoms is *observed*: the
`eligible` heads and the negated atoms of D. For a completion C (any set of rows), let
C' keep, for each atom of O true in C, the rows of one of its derivations (d(p) rows at
most: d(L) = 1, d(p) = the largest sum of d over a rule's positive atoms). By
induction over the strata, every atom of O, and so every status, is the same in C and
C' (a derivation in C' is one in C, as C' is a subset and the negated atoms agree; a
derivation kept from C stays one in C'). So sum(d(o) for o in O) rows per region show
every status vector; two completions differing only in another fact share the list,
so twice that shows every pair that decides a procedure: `k` is twice the sum, or the
sum when the list is the applicant's only unknown fact (at least the largest d, for what
the explanations read). Outside the class, or when `k`
would pass MAX_COPIES, the list keeps its one representative per region (sound, as
before). Lists of records also keep it.
"""
from __future__ import annotations

from decimal import Decimal

from policy.analysis.cache import analysis
from policy.analysis.graph import is_recursive, strongly_connected
from policy.engine.lowering import LAtom, LFunction
from policy.engine.open_values import Stands
from policy.values import Day

MAX_COPIES = 6  # symbolic rows per region; beyond, the list is read as before (sound)
# (a rule comparing two rows makes a condition per pair of rows: at 8 rows in each of two
# regions, `V + W = 7` took 13 s to decide; at 4, under 1 s)
STATUS_PREDICATES = ("achieved", "needs", "provides", "procedure")


def row_copies(compiled, fact: str, alone: bool = False):
    """How many symbolic rows per region an unknown list `fact` gets, or None when the
    bounded model is not known to be exact for this policy (see the module doc).
    `alone`: no other fact is unknown, so no two completions differ in another fact
    while sharing the list, and the rows of one completion's witnesses suffice."""
    bound = _copies(compiled).get(fact)
    if bound is None:
        return None
    total, deepest = bound
    copies = max(total if alone else 2 * total, deepest)
    return copies if 1 <= copies <= MAX_COPIES else None


@analysis
def _copies(compiled) -> dict:
    lowered = compiled.lowered
    return {name: _bound(lowered, name) for name in lowered.user_predicates}


def _bound(lowered, fact: str):
    dependent = _dependent(lowered, fact)
    if dependent & set(STATUS_PREDICATES) or _recursive(lowered, dependent):
        return None
    if any(a.source in dependent for a in lowered.aggregates):
        return None
    observed = set()
    for rule in lowered.rules:
        if rule.head.predicate not in dependent:
            continue
        if rule.head.predicate == "eligible":
            if not _ground(rule.head):
                return None
            observed.add(rule.head)
        for literal in rule.body:
            if isinstance(literal, LAtom) and literal.negated and literal.predicate in dependent:
                if not _ground(literal):
                    return None
                if literal.predicate != fact:  # a constant of the list: a point, no rows
                    observed.add(LAtom(literal.predicate, literal.args))
    depth = _depths(lowered, fact, dependent)
    total = sum(_atom_depth(lowered, atom, depth, fact) for atom in observed)
    return total, max(depth.values())


def _dependent(lowered, fact: str) -> set:
    """The predicates that read `fact`, directly or through others (and it)."""
    found, changed = {fact}, True
    sources = {a.function: a.source for a in lowered.aggregates}
    while changed:
        changed = False
        for rule in lowered.rules:
            if rule.head.predicate in found:
                continue
            for literal in rule.body:
                name = literal.predicate if isinstance(literal, LAtom) else \
                    sources.get(literal.function) if isinstance(literal, LFunction) else None
                if name in found or (isinstance(literal, LFunction) and literal.function in found):
                    found.add(rule.head.predicate)
                    changed = True
                    break
        for function, source in sources.items():
            if source in found and function not in found:
                found.add(function)
                changed = True
    return found


def _recursive(lowered, dependent: set) -> bool:
    graph = {}
    for rule in lowered.rules:
        reads = graph.setdefault(rule.head.predicate, set())
        for literal in rule.body:
            if isinstance(literal, LAtom):
                reads.add(literal.predicate)
    return any(is_recursive(c, graph) and c & dependent for c in strongly_connected(graph))


def _atom_depth(lowered, atom: LAtom, depth: dict, fact: str) -> int:
    """The most rows of the list one derivation of this ground atom reads: the largest
    over the rules whose head can be it."""
    best = 0
    for rule in lowered.rules:
        head = rule.head
        if head.predicate == atom.predicate and all(
                kind != "const" or (kind, value) == arg for (kind, value), arg
                in zip(head.args, atom.args)):
            best = max(best, _rows_read(rule, depth, fact))
    return best


def _rows_read(rule, depth: dict, fact: str) -> int:
    """The rows of the list one instance of the rule reads through its positive atoms (a
    row of the list written with a constant is a point of its own, not a region's row)."""
    return sum(depth.get(lit.predicate, 0) for lit in rule.body
               if isinstance(lit, LAtom) and not lit.negated
               and not (lit.predicate == fact and _ground(lit)))


def _ground(atom: LAtom) -> bool:
    return all(kind == "const" for kind, _ in atom.args)


def _depths(lowered, fact: str, dependent: set) -> dict:
    """{predicate of D: the most rows of the list one derivation of one of its atoms
    reads} (no recursion among D: checked before)."""
    depth = {fact: 1}

    def of(name: str, seen=()) -> int:
        if name in depth:
            return depth[name]
        if name not in dependent or name in seen:
            return 0
        best = 0
        for rule in lowered.rules:
            if rule.head.predicate == name:
                for lit in rule.body:
                    if isinstance(lit, LAtom) and not lit.negated:
                        of(lit.predicate, seen + (name,))
                best = max(best, _rows_read(rule, depth, fact))
        depth[name] = best
        return best

    for name in dependent:
        of(name)
    return depth


def copied_rows(kind: str, fact: str, values: list, regions: list, copies: int):
    """(candidates, regions, chains) of a list whose open regions get `copies` symbolic
    rows each. `values`, `regions`: the representatives and their Stands (None for a
    point) as domains.domain_of makes them; several representatives of one region give
    its copies once. Each chain is a region's copies in presence order (nearest its
    first representative first)."""
    rows, stands_of_rows, chains, done = [], [], [], {}
    for value, stands in zip(values, regions):
        if stands is None:
            rows.append(value)
            stands_of_rows.append(None)
            continue
        key = (stands.lo, stands.hi, stands.cuts)
        if key in done:
            continue
        number = done[key] = len(done)
        chain = []
        for index, rep in enumerate(_spread(kind, value, stands, copies, values)):
            name = f"{fact}[{number}.{index}]"
            rows.append(rep)
            stands_of_rows.append(Stands(stands.origins, stands.lo, stands.lo_closed,
                                         stands.hi, stands.hi_closed, stands.ordered,
                                         stands.cuts, expr=("fact", name), row=(fact, number)))
            chain.append(len(rows) - 1)
        chains.append(tuple(chain))
    return rows, stands_of_rows, tuple(chains)


def _spread(kind: str, value, stands, copies: int, taken: list) -> list:
    """`copies` distinct values of the region, in presence order: from its representative
    away from its nearest bound (fewer when the region holds fewer integers or days)."""
    if not stands.ordered:
        found, fresh = [], value
        while len(found) < copies:
            if fresh not in taken:
                found.append(fresh)
            fresh += "'"
        return found
    lo, hi = _plain(stands.lo), _plain(stands.hi)
    start = _plain(value)
    if kind == "decimal":
        if lo is not None and hi is not None:
            step = (hi - lo) / (copies + 1)
            numbers = [lo + step * (i + 1) for i in range(copies)]
        else:
            step = Decimal(-1) if hi is not None else Decimal(1)
            numbers = [start + step * i for i in range(copies)]
    else:
        step = -1 if lo is None and hi is not None else 1
        first = start if lo is None or hi is None else lo + 1
        numbers = [first + step * i for i in range(copies)]
        numbers = [n for n in numbers if (lo is None or n > lo) and (hi is None or n < hi)]
    return [Day(int(n)) if kind == "date" else n for n in numbers]


def _plain(value):
    return value.ordinal if isinstance(value, Day) else value

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
the explanations read).

Counts, least and greatest rows over the list add the rows they need to C'
(row_aggregates.py argues how many).

A negation of the list with variables that single-valued input facts bind (`limit(L),
not amount(L)`, list_rows._observed) asks, in a completion, about one row: C' keeps it
when C holds it (one row more per such negation, doubled as the others), so the
negation comes out the same in C' (C' a subset: absent stays absent).

A negation of the list at the rows of another unknown list B that does not read it
(`amount(X), not excluded(X)`, this list `excluded`; _negation_rows) asks about the
values of B's rows. B is reduced first, by its own argument, which holds whatever this
list is (its class does not read the negated atom: excluded is outside B's D), to B',
at most row_copies(B) rows (both completions' rows when a pair shares B; when the pair
differs in B, each B_i' has at most half of them). C' then keeps, beside this list's
own rows, every row whose value a row of B' has: at most row_copies(B) more, however
many negations B binds, and each such negation comes out the same in C' for every
binding from B' (present rows kept, absent stay absent). These rows are not doubled: a
pair that shares this list asks about the values of one B' (or of B_1' and B_2'). A
given B's values are points of this list (its regions are cut at the applicant's
values); a B in the sum class, or two lists whose negations bind each other, keep one
representative per region.

A count may also be compared with a partner value (`limit(L), N = count : { ... }, N >
L`): count_partners.py argues the rows it needs then.

A sum is not kept by a subset: summed_rows.py bounds a narrower class of its own.
Outside these classes, or when `k` would pass MAX_COPIES, the list keeps its one
representative per region (sound, as before). Lists of records also keep it.
"""
from __future__ import annotations

from policy.analysis.cache import analysis
from policy.analysis.graph import is_recursive, strongly_connected
from policy.decide.row_aggregates import (counted_rows, covered_by_counts, extreme_rows,
                                          list_only, mentions)
from policy.engine.lowering import LAtom, LFunction, lowered_graph

ORDERED = ("integer", "decimal", "date")  # a least or greatest row: kinds whose rows are ordered
MAX_COPIES = 6  # symbolic rows per region; beyond, the list is read as before (sound)
# (a rule comparing two rows makes a condition per pair of rows: at 8 rows in each of two
# regions, `V + W = 7` took 13 s to decide; at 4, under 1 s)
STATUS_PREDICATES = ("achieved", "needs", "provides", "procedure")


def row_copies(compiled, fact: str, alone: bool = False, kind: str = None, pool=None,
               given=None, seen=frozenset()):
    """How many symbolic rows per region an unknown list `fact` gets, or None when the
    bounded model is not known to be exact for this policy (see the module doc).
    `alone`: no other fact is unknown, so no two completions differ in another fact
    while sharing the list, and the rows of one completion's witnesses suffice.
    `kind`: the list's type (a least or greatest needs an ordered one); `pool`: the
    constants its regions are cut at (a sum's bound depends on its regions); `given`: the
    applicant's facts (a count compared with a given value needs one row more than it);
    `seen`: the lists whose rows are being counted (a negation bound by another list's
    rows asks for that list's rows)."""
    bound = _copies(compiled).get(fact)
    if bound is None:
        return None
    if bound[0] == "sum":
        from policy.decide.summed_rows import summed_copies

        copies = summed_copies(bound[1], kind, pool)
    else:
        _, shared, total, deepest, extremes, partner, binders, negated_at = bound
        if extremes and kind not in ORDERED or not _single_valued(compiled, binders):
            return None
        negations = _negation_rows(compiled, fact, negated_at, given or {}, seen)
        if negations is None:
            return None
        single, listed = negations
        kept = shared + listed + (total + single if alone else 2 * (total + single))
        if partner is not None:  # count_partners.py: W, then M + p + 2 past max(M, W)
            from policy.decide.count_partners import partnered_copies

            copies = partnered_copies(compiled, partner, kept, given or {})
            copies = None if copies is None else max(copies, deepest)
        else:
            copies = max(kept, deepest)
    return copies if copies is not None and 1 <= copies <= MAX_COPIES else None


def _single_valued(compiled, names) -> bool:
    if not names:
        return True
    from policy.inputs.applicant import fact_schema

    specs = {spec.name: spec for spec in fact_schema(compiled.program)}
    return all(name in specs and not specs[name].is_record and not specs[name].holds_many
               for name in names)


def _negation_rows(compiled, fact: str, negated_at: tuple, given: dict, seen: frozenset):
    """(rows doubled, rows not doubled) that the negations of the list with variables
    need (_observed), or None when one is not bound so. A negation bound by single-valued
    facts asks about one row per completion (doubled as the other rows); one bound by a
    row of another list B (`amount(X), not excluded(X)`) asks about as many rows as B keeps
    (B's row_copies, which holds both completions' rows when they share B; 1 when B is
    given: its values are points of this list), not doubled, and once for all the
    negations B binds: they ask about the values of the same kept rows (module doc)."""
    if not negated_at:
        return 0, 0
    from policy.inputs.applicant import fact_schema

    specs = {spec.name: spec for spec in fact_schema(compiled.program)}
    single, listed = 0, {}
    for names in negated_at:
        lists = [name for name in names if name in specs and specs[name].holds_many
                 and not specs[name].is_record]
        if not _single_valued(compiled, [name for name in names if name not in lists]):
            return None
        if not lists:
            single += 1
            continue
        rows = [(1 if name in given else row_copies(
            compiled, name, False, specs[name].type.name, None, given, seen | {fact}), name)
            for name in lists if name not in seen | {fact}]
        rows = [(count, name) for count, name in rows if count is not None]
        if not rows:
            return None
        count, name = min(rows)
        listed[name] = count  # every negation it binds asks about its kept rows' values
    return single, sum(listed.values())


def sums_rows(compiled, fact: str) -> bool:
    """Whether the list is read in the sum class (summed_rows.py): its regions are then
    cut at 0 too."""
    bound = _copies(compiled).get(fact)
    return bound is not None and bound[0] == "sum"


@analysis
def _copies(compiled) -> dict:
    from policy.decide.summed_rows import summed_bound  # it reads this module's helpers

    lowered = compiled.lowered
    found = {}
    for name in lowered.user_predicates:
        rows = _bound(lowered, name)
        if rows is None:
            rows = summed_bound(lowered, name)
            rows = None if rows is None else ("sum", rows)
        found[name] = rows
    return found


def _bound(lowered, fact: str):
    dependent = _dependent(lowered, fact)
    if dependent & set(STATUS_PREDICATES) or _recursive(lowered, dependent):
        return None
    counted, shared, covered, extremes, partnered = 0, 0, set(), False, []
    binders, rows_read = set(), dependent - _point_readers(lowered, fact, dependent)
    for aggregate in lowered.aggregates:
        if aggregate.source in dependent:
            if aggregate.op in ("min", "max"):
                rows, extremes = extreme_rows(lowered, aggregate, fact, rows_read, binders), True
            else:
                rows = counted_rows(lowered, aggregate, fact, rows_read, partnered, binders)
            if rows is None:
                return None
            if list_only(lowered, aggregate.source):
                shared += rows  # the same rows whatever the other facts are
            else:
                counted += rows
            covered.add(aggregate.source)
    covered = covered_by_counts(lowered, covered, dependent)
    found = _observed(lowered, fact, dependent, covered)
    if found is None:
        return None
    observed, negated_at = found
    depth = _depths(lowered, fact, dependent, covered)
    total = counted + sum(_atom_depth(lowered, atom, depth, fact) for atom in observed)
    partner = None
    if partnered:
        from policy.decide.count_partners import partners_of

        partner = partners_of(lowered, fact, dependent, partnered)
        if partner is None:
            return None
    return ("rows", shared, total, max(depth.values()), extremes, partner, frozenset(binders),
            tuple(negated_at))


def _point_readers(lowered, fact: str, dependent: set) -> set:
    """The predicates of D that read the list only at constants (`amount(1)`, directly or
    through others that do): the same in C and C', which keeps every point of C (the
    bounded model bounds a region's rows, never its points). A grouped aggregate's
    context may read them (row_aggregates.group_count counts their tuples)."""
    functions = {a.function for a in lowered.aggregates} | {a.source for a in lowered.aggregates}
    found = set(dependent) - {fact} - functions
    changed = True
    while changed:
        changed = False
        for rule in lowered.rules:
            if rule.head.predicate in found and not all(
                    (lit.predicate == fact and _ground(lit)) or lit.predicate in found
                    for lit in rule.body if isinstance(lit, LAtom) and lit.predicate in dependent):
                found.discard(rule.head.predicate)
                changed = True
            elif rule.head.predicate in found and any(isinstance(lit, LFunction)
                                                      for lit in rule.body):
                found.discard(rule.head.predicate)
                changed = True
    return found


def _observed(lowered, fact: str, dependent: set, covered: set):
    """(O, the negations of the list with variables): the `eligible` heads and negated
    atoms of D, or None when one is not written with constants. A negation of the list
    whose variables input facts that do not read it bind (`limit(L), not amount(L)`,
    `excluded(X), not amount(X)`) is accepted: each gives the names of the facts that
    bind it, for _negation_rows to count the rows it asks about. A
    negation of a predicate the counts cover (covered_by_counts; the lowering's `not
    X_agg_any(L)` of a count of 0 in L's group) needs no rows: the counts' kept rows
    decide it, group by group."""
    observed, negated_at = set(), []
    for rule in lowered.rules:
        if rule.head.predicate not in dependent:
            continue
        if rule.head.predicate == "eligible":
            if not _ground(rule.head):
                return None
            observed.add(rule.head)
        for literal in rule.body:
            if not (isinstance(literal, LAtom) and literal.negated
                    and literal.predicate in dependent):
                continue
            if literal.predicate in covered and literal.predicate != fact:
                continue  # the counts' kept rows decide it, group by group
            if _ground(literal):
                if literal.predicate != fact:  # a constant of the list: a point, no rows
                    observed.add(LAtom(literal.predicate, literal.args))
            else:
                names = _bound_by_inputs(lowered, rule, literal, dependent) \
                    if literal.predicate == fact else None
                if names is None:
                    return None
                negated_at.append(names)
    return observed, negated_at


def _bound_by_inputs(lowered, rule, literal: LAtom, dependent: set):
    """The names of the facts that bind the negated atom's variables, or None unless each
    is bound by positive one-argument atoms of input facts that do not read the list,
    and by nothing else in the rule."""
    heads, binders = {r.head.predicate for r in lowered.rules}, set()
    for term in literal.args:
        if term[0] != "var":
            continue
        atoms = [lit for lit in rule.body if lit is not literal and isinstance(lit, LAtom)
                 and term in lit.args]
        if not atoms or any(lit.negated or lit.args != (term,) or lit.predicate in dependent
                            or lit.predicate in heads for lit in atoms):
            return None
        if any(isinstance(lit, LFunction) and mentions(lit, term) for lit in rule.body):
            return None
        binders.update(lit.predicate for lit in atoms)
    return frozenset(binders)


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
    """Whether a recursive group of predicates holds one that reads the list."""
    graph = lowered_graph(lowered)
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


def _depths(lowered, fact: str, dependent: set, covered=frozenset()) -> dict:
    """{predicate of D: the most rows of the list one derivation of one of its atoms
    reads} (no recursion among D: checked before). A `covered` predicate reads none
    beyond the rows its counts keep (_covered)."""
    depth = {fact: 1, **dict.fromkeys(covered, 0)}

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

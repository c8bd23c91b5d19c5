"""How the aggregates over an unknown list read its rows, and how many rows each keeps.

list_rows.py bounds the symbolic rows of an unknown list by keeping, of a completion C,
a subset C' that gives every observed atom the same truth (its module doc). The
aggregates over the list add rows to C' as follows (sums: summed_rows.py).

A count over the list (`N = count : { amount(X), X > 2 }`, its value only compared
with integer constants) is accepted: C' keeps min(count, c + 1) of the rows it counts,
c its largest constant, which decides every comparison of the count with its constants
(and whether a row exists), so what reads the list only through the count needs no rows
of its own (covered_by_counts), and a negation of such a predicate, with variables or
not, comes out the same in C and C'. The count is exact in the lineage as its rows are
different values (open_conditions._distinct_rows). Rows counted past constants only are
the same for two completions that differ in another fact, so they are not doubled.

A least or greatest row (`M = min X : { amount(X), X > 0 }`, no groups, a list of
numbers or dates) is accepted with its value used any way (compared with constants,
with another unknown value, with a row): C' keeps the extreme row of C, one row more,
and as C' is a subset of C holding it, the least (greatest) is the same row in both.
In the lineage it is that row itself (lineage_aggregates.row_values), whose value the
solver knows. It is not doubled when its source reads the list alone.

Either may have groups bound outside the aggregate by values that do not read the list's
rows (`limit(L), N = count : { amount(X), X > L }`, `K = 1, M = min X : { amount(X), X > K }`;
reading it at a constant, `amount(1)`, is reading a point, which C' keeps):
a completion then holds at most G groups (group_count: one per rule of the source for a
single-valued input fact or an assignment), and the same groups in C and C', since what
binds them does not read the list. C' keeps, for each group, what the aggregate without
groups keeps of the rows that group aggregates (min(count, c + 1) of them, or its
extreme row), so every group's count compared with its constants, whether it has a
row, and its extreme come out the same in C and C': G times the rows suffice. In the
lineage each group's rows are symbolic rows (different values) whose filter against
the group's value (`X > L`) is an open condition the solver decides with the rest. The
rows a group aggregates change with the group's value, which another unknown fact can
change too: they are doubled as any rows read next to another fact. A group bound by a
row of the list, or by a fact of several values, keeps one representative per region.
"""
from __future__ import annotations

from decimal import Decimal

from policy.engine.lowering import LAtom, LCompare, LFunction, term_variables


def extreme_rows(lowered, aggregate, fact: str, dependent: set, binders=None):
    """The rows of the list a least or greatest over it needs kept: its one row per group,
    or None when it is not such an aggregate (groups not bound as group_count accepts; a
    source rule that does not take its value from one atom of the list)."""
    for rule in lowered.rules:
        if rule.head.predicate == aggregate.source and not takes_rows(rule, fact, dependent):
            return None
    return group_count(lowered, aggregate, dependent, binders)


def counted_rows(lowered, aggregate, fact: str, dependent: set, partnered=None, binders=None):
    """The rows of the list a count over it needs kept: one more than the largest constant
    its value is compared with, per group, or None when it is not such a count. Accepted:
    a count (a sum of ones) whose every source rule reads the list through one atom whose
    value it counts (so different rows are different values), its groups bound as
    group_count accepts, and whose value is only compared with integer constants, or
    also with variables when `partnered` (a list) is given and there are no groups: it
    gets (aggregate, rows, [(rule, variable)]) for count_partners.py to judge."""
    if aggregate.op != "sum":
        return None
    for rule in lowered.rules:
        if rule.head.predicate == aggregate.source and not counts_rows(rule, fact, dependent):
            return None
    groups = group_count(lowered, aggregate, dependent, binders)
    if groups is None:
        return None
    partnered = None if aggregate.groups else partnered
    holders = {rule.head.predicate: rule.head.args[-1] for rule in lowered.rules
               if any(isinstance(lit, LFunction) and lit.function == aggregate.function
                      for lit in rule.body)}
    width = len(aggregate.groups) + 1
    if any(len(rule.head.args) != width for rule in lowered.rules
           if rule.head.predicate in holders):
        return None
    largest, partners = 0, []
    for rule in lowered.rules:
        if rule.head.predicate in holders:
            continue
        for literal in rule.body:
            if isinstance(literal, LAtom) and literal.predicate in holders:
                found = None if partnered is None else []
                compared = _only_compared(rule, literal, found)
                partners.extend((rule, term) for term in found or ())
                if compared is None:
                    return None
                largest = max([largest] + compared)
    if partners:
        partnered.append((aggregate, largest + 1, partners))
    return groups * (largest + 1)


def group_count(lowered, aggregate, dependent: set, binders=None):
    """How many groups of the aggregate one completion can hold: 1 without groups; with
    groups (`limit(L), N = count : { amount(X), X > L }`), the sum over its source rules
    of the product of the tuples each of their other positive atoms can have, or None
    when an atom is not bound so. An input fact with no rule has one tuple (its name goes
    to `binders`: row_copies checks it holds one value); a lowering's helper (the
    group's context) as many as its rules' atoms give; a predicate of the policy with
    rules, or recursion, is not accepted."""
    if not aggregate.groups:
        return 1
    if binders is None:
        return None
    total = 0
    for rule in lowered.rules:
        if rule.head.predicate == aggregate.source:
            tuples = _tuples_of(lowered, rule, dependent, binders, (aggregate.source,))
            if tuples is None:
                return None
            total += tuples
    return total


def _tuples_of(lowered, rule, dependent: set, binders: set, seen: tuple):
    """The most tuples one rule's positive atoms outside `dependent` can give together."""
    product = 1
    for atom in rule.body:
        if not isinstance(atom, LAtom) or atom.negated or atom.predicate in dependent:
            continue
        name = atom.predicate
        rules = [r for r in lowered.rules if r.head.predicate == name]
        if name in seen or (rules and name in lowered.user_predicates):
            return None
        if not rules:
            binders.add(name)
            continue
        tuples = [_tuples_of(lowered, r, dependent, binders, seen + (name,)) for r in rules]
        if None in tuples:
            return None
        product *= sum(tuples)
    return product


def list_only(lowered, source: str) -> bool:
    """Whether a count's rows are the list's rows past constants alone (its source rules
    read no other atom): then the rows it keeps serve two completions that differ in
    another fact alike, and are not doubled."""
    return all(len([lit for lit in rule.body if isinstance(lit, LAtom)]) == 1
               for rule in lowered.rules if rule.head.predicate == source)


def covered_by_counts(lowered, sources: set, dependent: set) -> set:
    """The predicates whose truth only the counts over `sources` decide: the sources and
    what reads the list only through them (the count's helpers, a rule comparing the
    count). The rows a count keeps (one more than its largest constant, or all) decide
    every comparison of it with its constants, and that a row exists: so they need no
    rows of their own."""
    functions = {a.function for a in lowered.aggregates if a.source in sources}
    covered, changed = set(sources), True
    while changed:
        changed = False
        for rule in lowered.rules:
            name = rule.head.predicate
            if name in covered or rule.head.predicate in sources:
                continue
            reads = [lit.predicate for lit in rule.body
                     if isinstance(lit, LAtom) and lit.predicate in dependent]
            fns = [lit.function for lit in rule.body if isinstance(lit, LFunction)]
            others = [r for r in lowered.rules if r.head.predicate == name]
            if (reads or fns) and set(reads) <= covered and set(fns) <= functions and all(
                    _reads_only(r, covered, functions, dependent) for r in others):
                covered.add(name)
                changed = True
    return covered


def _reads_only(rule, covered: set, functions: set, dependent: set) -> bool:
    return all(lit.predicate in covered for lit in rule.body
               if isinstance(lit, LAtom) and lit.predicate in dependent) and all(
        lit.function in functions for lit in rule.body if isinstance(lit, LFunction))


def counts_rows(rule, fact: str, dependent: set) -> bool:
    """A source rule of a count: `W = 1` for its value, one atom of the list whose
    variable is among the counted values, no other predicate that reads the list."""
    return _source_of_rows(rule, fact, dependent, ("const", 1))


def takes_rows(rule, fact: str, dependent: set, scaled: bool = False) -> bool:
    """A source rule of a sum, least or greatest of the list's rows: `W = X` for its
    value, X the variable of one atom of the list, among the aggregated values; with
    `scaled` (a sum), also `W = X * c` or `W = c * X`, c a number (summed_rows.py)."""
    atoms = [lit for lit in rule.body if isinstance(lit, LAtom) and lit.predicate == fact]
    if len(atoms) != 1:
        return False
    row = atoms[0].args[0]
    terms = (row,) + (multiples(rule.body, row) if scaled else ())
    return any(_source_of_rows(rule, fact, dependent, term) for term in terms)


def multiples(literals, row: tuple) -> tuple:
    """The terms `row * c` and `c * row` the literals compare with, c a number."""
    found = []
    for literal in literals:
        term = literal.right if isinstance(literal, LCompare) else None
        if term and term[0] == "op" and term[1] == "*" and row in term[2:]:
            other = term[3] if term[2] == row else term[2]
            if other[0] == "const" and isinstance(other[1], (int, Decimal)) \
                    and not isinstance(other[1], bool):
                found.append(term)
    return tuple(found)


def _source_of_rows(rule, fact: str, dependent: set, value_term: tuple) -> bool:
    value = rule.head.args[-1]
    taken = [lit for lit in rule.body if isinstance(lit, LCompare) and lit.op == "=="
             and lit.left == value and lit.right == value_term]
    reads = [lit for lit in rule.body if isinstance(lit, LAtom) and lit.predicate in dependent]
    if not taken or len(reads) != 1 or reads[0].predicate != fact or reads[0].negated:
        return False
    return reads[0].args[0][0] == "var" and reads[0].args[0] in rule.head.args[:-1]


def _only_compared(rule, holder: LAtom, variables=None):
    """The integer constants the count's value (read by the atom `holder`) is compared
    with in the rule, or None when it is used any other way (in the head, in arithmetic,
    in another atom). With a list `variables`, a comparison with a variable is accepted
    too, and the variable added to it."""
    term = holder.args[-1]
    if term[0] != "var" or term in rule.head.args:
        return None
    found = []
    for literal in rule.body:
        if literal is holder:
            continue
        if isinstance(literal, LCompare) and term in (literal.left, literal.right):
            other = literal.right if literal.left == term else literal.left
            if other[0] == "var" and variables is not None:
                variables.append(other)
                continue
            if other[0] != "const" or not isinstance(other[1], int) or isinstance(other[1], bool):
                return None
            found.append(other[1])
        elif isinstance(literal, LCompare) and _inside(literal, term):
            return None
        elif isinstance(literal, (LAtom, LFunction)) and mentions(literal, term):
            return None
    return found


def _inside(literal: LCompare, term: tuple) -> bool:
    return term[1] in term_variables(literal.left) | term_variables(literal.right)


def mentions(literal, term: tuple) -> bool:
    args = literal.args if isinstance(literal, LAtom) else tuple(literal.keys) + (literal.value,)
    return term in args

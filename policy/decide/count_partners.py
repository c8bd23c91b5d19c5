"""A count over an unknown list compared with another value: how many rows it needs.

list_rows.py accepts a count over a list (no groups) whose value is compared with
integer constants: it keeps one row more than the largest. Here the count may also be
compared (`N > L`, `N = L`, any order) with the value of a *partner*: a single-valued
integer fact, given or not, that the policy reads only as `limit(L)` with L compared
with integer constants and with this count, and nothing else (no arithmetic, no other
atom, no head). One such count per list, its source reading the list alone.

Why a bound exists, M the largest of 0, the constants the count and its partners are
compared with and the partners' given values, p the number of partners (exactness, not
only soundness). Take a completion, or two that differ in one fact,
and W the rows list_rows keeps of their list(s) for everything else (C' will hold W and
be a subset of the list); let w be the rows of W the count counts and T = max(M, w). A
partner value at most M is left as it is, and so is a count n <= T + p + 2 (all its
rows are kept). Otherwise n > T + p + 2: the values above T among the counts and the
partners' values of these completions (one count and p + 1 values of partners, or two
counts and p values: at most p + 2 of them) are mapped in their order onto T + 1,
T + 2, ...; those at most T stay. A partner's value above M stays above every constant
it is compared with (the same region), its order with the count is the same, the
count's new value n' (T < n' <= T + p + 2 < n, n' >= w) is the number of W's counted
rows with n' - w more of the counted rows of the list, and every comparison of the
count with its constants (at most M) comes out as before. Everything else is
list_rows's argument (C' holds W and is a subset of the list). Completions that
differ only in one fact are mapped to two that differ only in it (the same mapping of
values for both). A list of C' holds its W_i and n' - w_i <= T - w_i + p + 2 more rows,
T at most max(M, |W|): with |W| the rows list_rows keeps without this count (both
completions' when they share the list), |W| + max(M, |W|) + p + 2 rows per region
suffice (list_rows._partnered_copies), p counting only the partners not given.
"""
from __future__ import annotations

from policy.engine.lowering import LAtom, LCompare, LFunction, term_variables


def partners_of(lowered, fact: str, dependent: set, partnered: list):
    """(M without the given values, partner facts, the count's own rows) for the one count
    of the list `fact` compared with other values, or None when it is not in the class
    (module doc). `partnered`: [(aggregate, largest constant + 1, [(rule, term)])]."""
    from policy.decide.row_aggregates import list_only

    if len(partnered) != 1:
        return None
    aggregate, own_rows, compared = partnered[0]
    if not list_only(lowered, aggregate.source):
        return None
    facts = set()
    for rule, term in compared:
        bound = [lit for lit in rule.body if isinstance(lit, LAtom) and term in lit.args]
        if len(bound) != 1 or bound[0].negated or bound[0].args != (term,):
            return None
        facts.add(bound[0].predicate)
    if facts & dependent or any(r.head.predicate in facts for r in lowered.rules):
        return None  # a partner is an input that does not read the list
    holders = _holders(lowered, aggregate)
    largest = own_rows - 1
    for name in facts:
        constants = _partner_constants(lowered, name, holders)
        if constants is None:
            return None
        largest = max([largest] + constants)
    return max(largest, 0), tuple(sorted(facts)), own_rows


def partner_largest(partner, specs: dict, given: dict):
    """M: the largest constant with the partners' given values, or None when a partner is
    not a single-valued integer fact or a given value is not an integer."""
    largest, facts, _ = partner
    for name in facts:
        spec = specs.get(name)
        if spec is None or spec.is_record or spec.holds_many or spec.type.name != "integer":
            return None
        for row in given.get(name, ()):
            value = row[0] if isinstance(row, tuple) and row else row
            if not isinstance(value, int) or isinstance(value, bool):
                return None
            largest = max(largest, value)
    return largest


def partnered_copies(compiled, partner, kept: int, given: dict):
    """The rows of a list whose count is compared with partners: `kept`, list_rows's rows
    with the count's own, gives W (without them); then W + max(M, W) + p + 2."""
    from policy.inputs.applicant import fact_schema

    specs = {spec.name: spec for spec in fact_schema(compiled.program)}
    largest = partner_largest(partner, specs, given)
    if largest is None:
        return None
    unknown = len([name for name in partner[1] if name not in given])
    others = kept - partner[2]
    return others + max(largest, others) + unknown + 2


def _holders(lowered, aggregate) -> set:
    return {rule.head.predicate for rule in lowered.rules
            if any(isinstance(lit, LFunction) and lit.function == aggregate.function
                   for lit in rule.body)}


def _partner_constants(lowered, name: str, holders: set):
    """The integer constants the partner `name` is compared with across the policy, or
    None when it is read any other way than `name(L)`, L compared with an integer
    constant, with the count (a variable of a holder atom) or with a variable the rule
    sets to an integer constant (the count's `N = 0` rule when nothing is counted)."""
    found = []
    for rule in lowered.rules:
        for atom in rule.body:
            if not (isinstance(atom, LAtom) and atom.predicate == name):
                continue
            if atom.negated or len(atom.args) != 1 or atom.args[0][0] != "var":
                return None
            term = atom.args[0]
            if term in rule.head.args:
                return None
            for literal in rule.body:
                if literal is atom:
                    continue
                if isinstance(literal, LCompare) and term[1] in _variables(literal):
                    other = _other_side(literal, term)
                    if other is None:
                        return None
                    if other[0] == "const":
                        if not isinstance(other[1], int) or isinstance(other[1], bool):
                            return None
                        found.append(other[1])
                    elif not (_held(rule, other, holders) or _set_to_constant(rule, other)):
                        return None
                elif isinstance(literal, LAtom) and term in literal.args:
                    return None
                elif isinstance(literal, LFunction) and term in tuple(literal.keys) + (
                        literal.value,):
                    return None
    return found


def _other_side(literal: LCompare, term: tuple):
    if literal.left == term and term[1] not in term_variables(literal.right):
        return literal.right if literal.right[0] in ("const", "var") else None
    if literal.right == term and term[1] not in term_variables(literal.left):
        return literal.left if literal.left[0] in ("const", "var") else None
    return None


def _held(rule, term: tuple, holders: set) -> bool:
    return any(isinstance(lit, LAtom) and not lit.negated and lit.predicate in holders
               and lit.args == (term,) for lit in rule.body)


def _set_to_constant(rule, term: tuple) -> bool:
    return any(isinstance(lit, LCompare) and lit.op == "==" and lit.left == term
               and lit.right[0] == "const" for lit in rule.body)


def _variables(literal: LCompare) -> set:
    return term_variables(literal.left) | term_variables(literal.right)

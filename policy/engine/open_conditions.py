"""Open conditions: the lineage evaluator's outcomes that no region settles.

When a comparison, a join or a negated look-up involves open values (open_values.py)
and their bounds do not settle it, its outcome becomes a decision variable of its own
(`o<n>`), free in every completion and owned by the facts the values come from: a fact
owning one can decide what the condition decides (completions.deciding_facts). One
variable per place in the program and values involved, the same on every evaluation of
the policy, so that a recursive round re-deriving an instance finds the same one.
"""
from __future__ import annotations

import threading

from policy.engine.open_values import Open, aggregated, expression, settled, stands_of
from policy.values import Day


class Conditions:
    """The open conditions of one policy's evaluations: their variables and owners."""

    def __init__(self):
        self.names = {}  # key -> variable name
        self.owners = {}  # variable name -> frozenset of facts
        # variable name -> (op, left expr, right expr): what it means, for the exact check
        # (open_solver.py); "more" is the second variable of a pair's relation
        self.meanings = {}
        self._lock = threading.Lock()

    def variable(self, bdd, key: tuple, left, right, op: str):
        """The decision variable of the condition `left op right` at `key` (a place in the
        program) on these two values."""
        sides = (expression(left), expression(right))
        if None in sides:  # what it means cannot be said: one per place and values
            full = key + (left, right, stands_of(left), stands_of(right))
        else:  # a function of the facts' values: one for every place that asks it
            full = ("means", op) + sides
        name = self.names.get(full)
        if name is None:
            with self._lock:
                name = self.names.get(full)
                if name is None:
                    name = f"o{len(self.names)}"
                    self.owners[name] = _origins(left) | _origins(right)
                    if None not in sides:
                        self.meanings[name] = (op,) + sides
                    self.names[full] = name
        return _declared(bdd, name)

    def compared(self, bdd, key: tuple, op: str, left, right):
        """The condition `left op right`. Between two values as an applicant gave them (not
        computed), it is read from the one relation of the pair: two variables p, q with
        p = "left < right" and (not p and not q) = "equal", so that `A < L` and `L < A`
        are never both possible, and a join `A = L` agrees with them.

        Not for a row of an unknown list (`many`): its region stands for one or more rows,
        so "the same" row on both sides may be two rows (`V < W` and `V = V'` over one
        region both hold for {2, 3}), and one relation for both said they contradict,
        a wrong `not_applicable`. There each comparison of rows of these regions is its
        own condition, "some rows so compare", the same wherever the policy asks it
        (tests/decide/test_lists_reference.py: sound against the enumeration; not exact
        where one such condition implies another, as `W = V + 1` implies `V < W`)."""
        a, b = stands_of(left), stands_of(right)
        if (a is not None and a.many) or (b is not None and b.many):
            return self.variable(bdd, ("rows", op), left, right, op)
        if a is None or b is None or a.computed or b.computed:
            return self.variable(bdd, key, left, right, op)
        if _side(right) < _side(left):
            left, right, op = right, left, _FLIPPED.get(op, op)
        p = self.variable(bdd, ("less",), left, right, "<")
        q = self.variable(bdd, ("more",), left, right, "more")
        meaning = self.meanings.get(q.var)
        if meaning is not None and len(meaning) == 3:
            self.meanings[q.var] = meaning + (p.var,)
        less, same = p, ~p & ~q
        return {"<": less, "<=": less | same, "==": same, "!=": ~same,
                ">": ~less & ~same, ">=": ~less}[op]


_FLIPPED = {"<": ">", "<=": ">=", ">": "<", ">=": "<="}


def _side(value) -> tuple:
    """A value's place in the pair's order: its facts, kind and representative."""
    return (tuple(sorted(stands_of(value).origins)), type(value).__name__, str(value))


def _declared(bdd, name: str):
    if name not in bdd.vars:
        bdd.declare(name)
    return bdd.var(name)


class OpenRun:
    """The lineage run's steps where values may be open (mixed into engine/lineage._Run,
    which holds `model`, `indexes`, `evaluator`, `bdd`, `true`, `false`, `candidates`)."""

    def open_matches(self, atom, binding: dict, formula):
        """matches() where values may be open: an equality they do not settle is an open
        condition of the match."""
        found = []
        for row, row_formula in self.candidates(atom, binding):
            extended, pending = open_unify(atom.args, row, binding)
            if extended is None:
                continue
            conj = formula & row_formula if row_formula != self.true else formula
            for left, right in pending:
                conj &= self.compared(("match", id(atom)), "==", left, right)
            if conj != self.false:
                found.append((extended, conj))
        return found

    def open_absent(self, literal, row: tuple, binding: dict, formula):
        """`not p(row)` where values may be open: absent unless some row of p is present
        and equal to it (an equality they do not settle being an open condition)."""
        present = self.false
        for other, other_formula in self.model.get(literal.predicate, {}).items():
            conj = other_formula
            for left, right in zip(row, other):
                same = equal(left, right, left == right)
                if same is False:
                    conj = self.false
                    break
                if same is None:
                    conj &= self.compared(("absent", id(literal)), "==", left, right)
            present |= conj
        conj = formula & ~present
        return [] if conj == self.false else [(binding, conj)]

    def loose(self, predicate: str) -> bool:
        """Whether some row of the predicate holds an open value (cached until it changes)."""
        key = (predicate, "loose")
        found = self.indexes.get(key)
        if found is None:
            found = self.indexes[key] = any(has_open(row)
                                            for row in self.model.get(predicate, {}))
        return found

    def compared(self, key: tuple, op: str, left, right):
        return self.evaluator.conditions.compared(self.bdd, key, op, left, right)


def open_unify(args: tuple, row: tuple, binding: dict):
    """_unify where values may be open: (binding or None, [(left, right)] equalities the
    values do not settle)."""
    extended, pending = binding, []
    for (kind, name), value in zip(args, row):
        if kind == "const" or name in extended:
            other = name if kind == "const" else extended[name]
            same = equal(other, value, other == value)
            if same is False:
                return None, ()
            if same is None:
                pending.append((other, value))
        else:
            if extended is binding:
                extended = dict(binding)
            extended[name] = value
    return extended, pending



def _origins(value) -> frozenset:
    stands = stands_of(value)
    return stands.origins if stands is not None else frozenset()


def equal(left, right, same: bool):
    """True/False when the two values are (not) equal whatever the open ones stand for,
    None when that depends. `same`: their representatives' equality."""
    if not isinstance(left, Open) and not isinstance(right, Open):
        return same
    return settled("==", left, right, same)


def _distinct_rows(members: list, computed_last: bool = False) -> bool:
    """Whether the rows are different rows in every completion: no row stands for several
    (a list's region read as one representative), and each two differ at a place where
    their values are surely different (different symbolic rows of a list, decide/list_rows.py,
    or values the bounds keep apart). Then the lineage's count, row by row, is exact.
    `computed_last`: the last value may be computed (a sum's `X * 2`), the others tell
    the rows apart."""
    for row in members:
        for index, value in enumerate(row):
            stands = stands_of(value)
            if stands is not None and (stands.many or stands.computed and not (
                    computed_last and index == len(row) - 1)):
                return False
    for index, row in enumerate(members):
        for other in members[index + 1:]:
            if not any(equal(a, b, a == b) is False for a, b in zip(row, other)):
                return False
    return True


def has_open(row) -> bool:
    return any(isinstance(value, Open) for value in row)


def open_aggregate(values: dict, members: list) -> dict:
    """The aggregate's {value: formula}, each value opened when the group's rows hold open
    values: a row of a list fact's region stands for one or more rows, and two open values
    that look alike may differ (or the other way round), so only a count of no rows at
    all is settled."""
    origins = frozenset()
    for row in members:
        for value in row:
            stands = stands_of(value)
            if stands is not None:
                origins |= stands.origins
    if not origins:
        return values
    count = all(row[-1] == 1 and stands_of(row[-1]) is None for row in members)
    if all(stands_of(row[-1]) is None for row in members) and _distinct_rows(members):
        return values  # known values of rows that are different rows: as exact as known ones
    return {aggregated(value, origins, count): formula for value, formula in values.items()}


def exact_rows(op: str, members: list) -> bool:
    """Whether an aggregate over these rows can be exact value by value: the values it
    takes are symbolic rows of a list (decide/list_rows.py) or plain, the rows are
    different values in every completion, and each aggregated value says what it is
    (a sum's is then the sum of what its rows are) and, for a least or greatest, is a
    number or a date whose order the representatives keep."""
    values = [row[-1] for row in members]
    if not any(isinstance(value, Open) for value in values) or \
            not _distinct_rows(members, op == "sum"):
        return False
    for value in values:
        stands = stands_of(value)
        if stands is None:
            continue
        if op == "sum" and stands.computed and stands.expr is not None and \
                not isinstance(value, Day):
            continue  # computed from a row's values (`X * 2`): the sum of what they are
        if stands.expr is None or stands.row is None or not stands.ordered:
            return False
        if op == "sum" and isinstance(value, Day):
            return False
    return True

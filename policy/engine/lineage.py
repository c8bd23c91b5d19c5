"""Evaluation with lineage: every possibly-true atom with the condition under which it holds.

An applicant's unknown facts become boolean variables of a binary decision
diagram (the `dd` package): "went_abroad_as is self_funded", "age lies in
[18, 65)". Each candidate input row carries such a formula (given rows carry
`true`), and the lowered program is evaluated over rows *labelled* by
formulas: a rule instance holds under the conjunction of its premises'
formulas (a negated premise contributes the negation of its atom's formula,
which is exact because the program is stratified), and an atom holds under
the disjunction of all the instances that conclude it. The result is, for
each atom that holds in some completion, exactly the set of completions in
which it holds, as a diagram (policy/decide/completions.py decides statuses
and deciding facts from it).

This is a third evaluator of the lowered program beside pyDatalog and DuckDB;
tests check that with every fact known it gives pyDatalog's model. It runs no
text: rules are the lowered dataclasses, values are Python values.
"""
from __future__ import annotations

import operator
from dataclasses import dataclass
from decimal import Decimal

from policy.engine.collection import collect_if_due
from policy.engine.diagrams import reordering_held
from policy.errors import EvaluationError
from policy.engine.lowering import LAtom, LCompare, LFunction, Lowered, term_variables
from policy.engine.lineage_aggregates import AggregateRun
from policy.engine.lineage_values import failure as _failure
from policy.engine.lineage_values import inward, inward_row, outward, outward_row  # noqa: F401
from policy.engine.open_conditions import Conditions, OpenRun, has_open
from policy.engine.open_values import Open, computed, settled
from policy.analysis.graph import is_recursive, strongly_connected
from policy.limits import check_fact_count, check_stopped

CHECK_EVERY = 65_536  # bindings made between two looks at the limits


class LineageEvaluator:
    """Evaluates one lowered program over labelled rows; built once per policy."""

    def __init__(self, lowered: Lowered):
        self.lowered = lowered
        self.rules = {}
        for rule in lowered.rules:
            self.rules.setdefault(rule.head.predicate, []).append(_converted_rule(rule) + (rule.origin,))
        self.aggregates = {a.function: a for a in lowered.aggregates}
        self.conditions = Conditions()
        graph = {}
        for rule in lowered.rules:
            reads = graph.setdefault(rule.head.predicate, set())
            for literal in rule.body:
                if isinstance(literal, LAtom):
                    reads.add(literal.predicate)
                elif isinstance(literal, LFunction):
                    reads.add(literal.function)
        for aggregate in lowered.aggregates:
            graph.setdefault(aggregate.function, set()).add(aggregate.source)
        self.strata = [(sorted(c), is_recursive(c, graph)) for c in strongly_connected(graph)]

    def evaluate(self, bdd, facts: dict, skip=frozenset(), rule_formulas=None) -> dict:
        """{predicate: {row: formula}} from input `facts` of the same shape (rows in
        `inward` values; formulas of `bdd`). Rows whose formula is false are left out.

        Predicates in `skip` are taken from `facts` as they are (static predicates,
        evaluated once per policy). `rule_formulas`, when a dict, receives for each rule
        (the lowered rules' `origin`) the completions where some instance of it holds.
        """
        run = _Run(self, bdd, facts, rule_formulas)
        with reordering_held(bdd):
            for names, recursive in self.strata:
                if not set(names) <= skip:
                    run.stratum(names, recursive)
        # What the evaluation derived (not the facts it was given): every applicant's model
        # is within this one, so an evaluation with all facts unknown bounds them all.
        check_fact_count(sum(len(rows) for name, rows in run.model.items() if name not in facts))
        return run.model


def _converted_rule(rule):
    """The rule with its constants as row values (Python booleans as TRUE/FALSE)."""
    def term(t):
        if t[0] == "const":
            return ("const", inward(t[1]))
        if t[0] == "op":
            return ("op", t[1], term(t[2]), term(t[3]))
        return t

    def literal(lit):
        if isinstance(lit, LAtom):
            return LAtom(lit.predicate, tuple(term(a) for a in lit.args), lit.negated)
        if isinstance(lit, LCompare):
            return LCompare(lit.op, term(lit.left), term(lit.right))
        return LFunction(lit.function, tuple(term(k) for k in lit.keys), term(lit.value))

    return literal(rule.head), _with_early_checks(tuple(literal(lit) for lit in rule.body))


@dataclass(frozen=True)
class _Early:
    """A copy of a later comparison, checked as soon as its variables are bound: three
    unknown amounts in one rule bind a product of their regions, and a comparison of two
    of them written after the third's premise pruned that product only at its end. The
    comparison itself stays where it was written (it alone may report an error)."""

    compare: LCompare


def _with_early_checks(body: tuple) -> tuple:
    """The body with each filtering comparison (not one that binds a variable) also
    placed right after the premise that binds the last of its variables, when that is
    earlier than where it is written."""
    bound, order = set(), []
    pending = [(i, lit) for i, lit in enumerate(body)
               if isinstance(lit, LCompare) and not _binds(lit, body[:i])]
    for index, literal in enumerate(body):
        order.append(literal)
        bound |= _bound_by(literal)
        for position, compare in list(pending):
            if position <= index + 1:  # where it is written, or right after: no copy
                continue
            if term_variables(compare.left) | term_variables(compare.right) <= bound:
                order.append(_Early(compare))
                pending.remove((position, compare))
    return tuple(order)


def _binds(compare: LCompare, before: tuple) -> bool:
    """Whether `X == expr` binds X (X bound by no literal before it)."""
    if compare.op != "==" or compare.left[0] != "var":
        return False
    return all(compare.left[1] not in _bound_by(lit) for lit in before)


def _bound_by(literal) -> set:
    if isinstance(literal, LAtom):
        return set() if literal.negated else {v for a in literal.args for v in term_variables(a)}
    if isinstance(literal, LCompare):
        return term_variables(literal.left) if literal.op == "==" else set()
    if isinstance(literal, LFunction):
        return term_variables(literal.value) | {v for k in literal.keys for v in term_variables(k)}
    return set()


class _Run(AggregateRun, OpenRun):
    """One evaluation: the model so far and the aggregates' values."""

    def __init__(self, evaluator: LineageEvaluator, bdd, facts: dict, rule_formulas=None):
        self.evaluator, self.bdd = evaluator, bdd
        self.rule_formulas = rule_formulas
        self.true, self.false = bdd.true, bdd.false
        self.model = {name: dict(rows) for name, rows in facts.items()}
        self.functions = {}  # aggregate function -> {group row: {value: formula}}
        self.indexes = {}
        # open values (open_values.py) in the facts: comparisons, joins and negations
        # then also ask what the values stand for
        self.open = any(has_open(row) for rows in facts.values() for row in rows)

    def stratum(self, names: list, recursive: bool) -> None:
        for name in names:
            if name in self.evaluator.aggregates:
                self.functions[name] = self.aggregate(self.evaluator.aggregates[name])
        rules = [rule for name in names for rule in self.evaluator.rules.get(name, ())]
        if not rules:
            return
        for name in names:
            self.model.setdefault(name, {})
        changed = True
        while changed:
            changed = False
            derived = {}
            for head, body, origin in rules:
                check_stopped()
                collect_if_due()  # between steps, never inside a dd call (collection.py)
                instances = self.instances(head, body)
                for row, formula in instances:
                    derived.setdefault((head.predicate, row), []).append(formula)
                if self.rule_formulas is not None and origin is not None and instances:
                    self.rule_formulas[origin] = _disjunction(
                        [self.rule_formulas.get(origin, self.false)] + [f for _, f in instances],
                        self.false)
            for (name, row), formulas in derived.items():
                formula = _disjunction(formulas, self.false)
                rows = self.model[name]
                old = rows.get(row, self.false)
                new = old | formula
                if new != old:
                    rows[row] = new
                    self.indexes.pop(name, None)
                    self.indexes.pop((name, "loose"), None)
                    changed = True
            changed &= recursive
            if changed:
                check_fact_count(sum(len(self.model[n]) for n in names))

    def instances(self, head: LAtom, body: tuple):
        """(head row, formula) for every way the body holds in some completion."""
        states = [({}, self.true)]
        for literal in body:
            states = self._extend(states, literal)
            if not states:
                return []
        return [(tuple(_value(arg, binding) for arg in head.args), formula)
                for binding, formula in states]

    def _extend(self, states: list, literal) -> list:
        """The states with `literal` matched too. A cross product stops at --max-facts
        bindings (or when the work is abandoned at its time limit) as it grows, checked
        every CHECK_EVERY new bindings, not after the round."""
        found, next_check = [], CHECK_EVERY
        for binding, formula in states:
            found.extend(self.literal(literal, binding, formula))
            if len(found) >= next_check:
                check_fact_count(len(found))
                next_check += CHECK_EVERY
        return found

    def literal(self, literal, binding: dict, formula):
        if isinstance(literal, LAtom):
            if literal.negated:
                row = tuple(_value(arg, binding) for arg in literal.args)
                if self.open and (has_open(row) or self.loose(literal.predicate)):
                    return self.open_absent(literal, row, binding, formula)
                other = self.model.get(literal.predicate, {}).get(row)
                if other is None:
                    return [(binding, formula)]
                conj = formula & ~other
                return [] if conj == self.false else [(binding, conj)]
            return self.matches(literal, binding, formula)
        if isinstance(literal, LCompare):
            return self.compare(literal, binding, formula)
        if isinstance(literal, _Early):
            return self.early(literal.compare, binding, formula)
        return self.function(literal, binding, formula)

    def early(self, literal: LCompare, binding: dict, formula):
        """An early copy of a comparison (_Early): where it cannot be computed yet the
        binding passes, and the comparison where it is written decides."""
        try:
            return self.compare(literal, binding, formula)
        except EvaluationError:
            return [(binding, formula)]

    def matches(self, atom: LAtom, binding: dict, formula):
        if self.open:
            return self.open_matches(atom, binding, formula)
        found = []
        for row, row_formula in self.candidates(atom, binding):
            extended = _unify(atom.args, row, binding)
            if extended is None:
                continue
            conj = formula & row_formula if row_formula != self.true else formula
            if conj != self.false:
                found.append((extended, conj))
        return found

    def candidates(self, atom: LAtom, binding: dict):
        rows = self.model.get(atom.predicate, {})
        if not atom.args or len(rows) < 8:
            return rows.items()
        kind, value = atom.args[0]
        if kind == "var":
            if value not in binding:
                return rows.items()
            value = binding[value]
        if isinstance(value, Open):
            return rows.items()
        index = self.indexes.get(atom.predicate)
        if index is None:
            index = self.indexes[atom.predicate] = {}
            for row, row_formula in rows.items():
                # a row whose first value is open can equal more than its representative
                key = _LOOSE if isinstance(row[0], Open) else _key(row[0])
                index.setdefault(key, []).append((row, row_formula))
        loose = index.get(_LOOSE)
        found = index.get(_key(value), ())
        return found if loose is None else list(found) + loose

    def compare(self, literal: LCompare, binding: dict, formula):
        left = literal.left
        if literal.op == "==" and left[0] == "var" and left[1] not in binding:
            return [({**binding, left[1]: _compute(literal.right, binding)}, formula)]
        left, right = _compute(left, binding), _compute(literal.right, binding)
        try:
            holds = _COMPARE[literal.op](left, right)
        except TypeError as problem:
            raise _failure(problem) from None
        if self.open and (isinstance(left, Open) or isinstance(right, Open)):
            holds = settled(literal.op, left, right, holds)
            if holds is None:  # the regions do not settle it: an open condition
                conj = formula & self.compared(("compare", id(literal)), literal.op, left, right)
                return [] if conj == self.false else [(binding, conj)]
        return [(binding, formula)] if holds else []

    def function(self, literal: LFunction, binding: dict, formula):
        group = tuple(_value(key, binding) for key in literal.keys)
        found = []
        for value, value_formula in self.functions.get(literal.function, {}).get(group, {}).items():
            extended = _unify((literal.value,), (value,), binding)
            if extended is not None:
                conj = formula & value_formula
                if conj != self.false:
                    found.append((extended, conj))
        return found

def _key(value):
    return value


def _value(term: tuple, binding: dict):
    if term[0] == "const":
        return term[1]
    if term[0] == "var":
        return binding[term[1]]
    return _compute(term, binding)


def _unify(args: tuple, row: tuple, binding: dict):
    extended = binding
    for (kind, name), value in zip(args, row):
        if kind == "const":
            if not _same(name, value):
                return None
        elif name in extended:
            if not _same(extended[name], value):
                return None
        else:
            if extended is binding:
                extended = dict(binding)
            extended[name] = value
    return extended


_LOOSE = object()  # the index entry of rows whose first value is open


def _same(left, right) -> bool:
    return left == right  # the value model's one equality (policy/values.py)


_ARITHMETIC = {"+": operator.add, "-": operator.sub, "*": operator.mul, "/": operator.truediv}


def _compute(term: tuple, binding: dict):
    """An expression's value (pyDatalog's Python arithmetic: int / int is a float)."""
    if term[0] != "op":
        return _value(term, binding)
    left, right = _compute(term[2], binding), _compute(term[3], binding)
    if isinstance(left, Open) or isinstance(right, Open):
        return _open_result(term[1], left, right)
    try:
        return _ARITHMETIC[term[1]](left, right)
    except (ArithmeticError, TypeError) as problem:
        raise _failure(problem) from None


_OPEN_RESULTS = {}  # (op, id(left), id(right)) -> (left, right, their open result)
MAX_OPEN_RESULTS = 4096


def _open_result(op: str, left, right):
    """`left op right` with an open operand (its bounds by interval arithmetic, its
    expression for the solver), made once per pair of operands: with three unknown
    amounts in one rule, `Mine + Theirs` is met once per combination of all three
    amounts' regions (Dana's what-if search: a third of its evaluation). Kept by the
    operands' identity, checked (the entry holds them, so no other object takes their
    id); an operand's value and bounds never change."""
    key = (op, id(left), id(right))
    found = _OPEN_RESULTS.get(key)
    if found is not None and found[0] is left and found[1] is right:
        return found[2]
    try:
        value = _ARITHMETIC[op](left, right)
    except (ArithmeticError, TypeError) as problem:
        raise _failure(problem) from None
    result = computed(value, left, right, op)
    if len(_OPEN_RESULTS) >= MAX_OPEN_RESULTS:
        _OPEN_RESULTS.clear()
    _OPEN_RESULTS[key] = (left, right, result)
    return result


def _equal(left, right) -> bool:
    return _same(left, right)


def _ordered(op):
    def compare(left, right):
        if isinstance(left, float) or isinstance(right, float):
            left, right = _decimal(left), _decimal(right)
        return op(left, right)
    return compare


def _decimal(value):
    return Decimal(repr(value)) if isinstance(value, float) else value


_COMPARE = {"==": _equal, "!=": lambda a, b: not _same(a, b), "<": _ordered(operator.lt),
            "<=": _ordered(operator.le), ">": _ordered(operator.gt), ">=": _ordered(operator.ge)}


def _disjunction(formulas: list, false):
    """The disjunction of many formulas, as a balanced tree: or-ing hundreds of a rule's
    instances into one growing diagram, one at a time, rebuilt it hundreds of times
    (three unknown amounts in one rule: a few hundred region combinations)."""
    while len(formulas) > 1:
        paired = [formulas[i] | formulas[i + 1] for i in range(0, len(formulas) - 1, 2)]
        if len(formulas) % 2:
            paired.append(formulas[-1])
        formulas = paired
    return formulas[0] if formulas else false

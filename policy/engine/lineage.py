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

import functools
import operator
import sys
import threading
from decimal import Decimal

from policy.engine.lowering import LAtom, LCompare, LFunction, Lowered
from policy.errors import EvaluationError, PolicyError, error_at
from policy.analysis.cache import analysis
from policy.analysis.graph import is_recursive, strongly_connected
from policy.limits import check_fact_count, check_stopped
from policy.values import truth

CHECK_EVERY = 65_536  # bindings made between two looks at the limits
MAX_PARTIAL_SUMS = 4096  # values a sum over rows whose presence is unknown can take


def new_manager():
    """A fresh decision-diagram manager."""
    return _bdd_class()()


@functools.lru_cache(maxsize=None)
def _bdd_class():
    """dd's BDD class: CUDD when the wheel has it (much faster), else dd's pure-Python
    diagrams. Imported on first use, and without networkx: dd imports it only to draw
    diagrams as graphs (which policylog never does), and it would triple the start-up
    time of every command that decides an applicant."""
    blocked = "networkx" not in sys.modules
    if blocked:
        sys.modules["networkx"] = None  # makes `import networkx` fail inside dd
    try:
        try:
            from dd.cudd import BDD
        except ImportError:  # pragma: no cover - depends on the platform's wheel
            from dd.autoref import BDD
    finally:
        if blocked:
            del sys.modules["networkx"]
    return BDD


@analysis
def _managers(owner) -> dict:
    """{thread id: manager} of `owner` (a compiled policy)."""
    return {}


def manager_for(owner):
    """The decision-diagram manager of `owner` (a compiled policy) in this thread: made
    once (a CUDD manager takes tens of milliseconds to start), its variables declared
    as they are first needed; unused nodes are freed by CUDD's reference counts."""
    managers = _managers(owner)
    thread = threading.get_ident()
    found = managers.get(thread)
    if found is None:
        found = managers[thread] = new_manager()
    return found


def inward(value):
    """A Python/engine value as a row value here: Python's booleans become the value model's
    TRUE/FALSE (which, unlike True and False, are never equal to 1 and 0)."""
    return truth(value) if isinstance(value, bool) else value


def outward(value):
    return value


def inward_row(row) -> tuple:
    return tuple(inward(v) for v in row)


def outward_row(row) -> tuple:
    return tuple(outward(v) for v in row)


class LineageEvaluator:
    """Evaluates one lowered program over labelled rows; built once per policy."""

    def __init__(self, lowered: Lowered):
        self.lowered = lowered
        self.rules = {}
        for rule in lowered.rules:
            self.rules.setdefault(rule.head.predicate, []).append(_converted_rule(rule) + (rule.origin,))
        self.aggregates = {a.function: a for a in lowered.aggregates}
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

    return literal(rule.head), tuple(literal(lit) for lit in rule.body)


class _Run:
    """One evaluation: the model so far and the aggregates' values."""

    def __init__(self, evaluator: LineageEvaluator, bdd, facts: dict, rule_formulas=None):
        self.evaluator, self.bdd = evaluator, bdd
        self.rule_formulas = rule_formulas
        self.true, self.false = bdd.true, bdd.false
        self.model = {name: dict(rows) for name, rows in facts.items()}
        self.functions = {}  # aggregate function -> {group row: {value: formula}}
        self.indexes = {}

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
                for row, formula in self.instances(head, body):
                    derived[(head.predicate, row)] = derived.get((head.predicate, row),
                                                                 self.false) | formula
                    if self.rule_formulas is not None and origin is not None:
                        self.rule_formulas[origin] = self.rule_formulas.get(
                            origin, self.false) | formula
            for (name, row), formula in derived.items():
                rows = self.model[name]
                old = rows.get(row, self.false)
                new = old | formula
                if new != old:
                    rows[row] = new
                    self.indexes.pop(name, None)
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
                other = self.model.get(literal.predicate, {}).get(row)
                if other is None:
                    return [(binding, formula)]
                conj = formula & ~other
                return [] if conj == self.false else [(binding, conj)]
            return self.matches(literal, binding, formula)
        if isinstance(literal, LCompare):
            return self.compare(literal, binding, formula)
        return self.function(literal, binding, formula)

    def matches(self, atom: LAtom, binding: dict, formula):
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
        index = self.indexes.get(atom.predicate)
        if index is None:
            index = self.indexes[atom.predicate] = {}
            for row, row_formula in rows.items():
                index.setdefault(_key(row[0]), []).append((row, row_formula))
        return index.get(_key(value), ())

    def compare(self, literal: LCompare, binding: dict, formula):
        left = literal.left
        if literal.op == "==" and left[0] == "var" and left[1] not in binding:
            return [({**binding, left[1]: _compute(literal.right, binding)}, formula)]
        try:
            holds = _COMPARE[literal.op](_compute(left, binding), _compute(literal.right, binding))
        except TypeError as problem:
            raise _failure(problem) from None
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

    def aggregate(self, aggregate) -> dict:
        """{group: {value: formula}}: the aggregate's value in each set of completions."""
        width = len(aggregate.groups)
        groups = {}
        for row, formula in self.model.get(aggregate.source, {}).items():
            groups.setdefault(row[:width], []).append((row[-1], formula))
        return {group: self.group_values(aggregate.op, members) for group, members in groups.items()}

    def group_values(self, op: str, members: list) -> dict:
        """{value: formula}: the aggregate of the rows present, in each set of completions
        (no value where no row is present). Linear in the rows for min and max; a sum
        follows each partial sum (refused beyond MAX_PARTIAL_SUMS of them)."""
        certain = [value for value, formula in members if formula == self.true]
        uncertain = [(value, formula) for value, formula in members if formula != self.true]
        if op in ("min", "max"):
            return self.extremes(op, certain, uncertain)
        return self.sums(certain, uncertain)

    def extremes(self, op: str, certain: list, uncertain: list) -> dict:
        """The minimum (maximum) is v where a row of value v is present and none of a
        smaller (larger) value is."""
        rows = [(outward(v), self.true) for v in certain] + \
            [(outward(v), f) for v, f in uncertain]
        try:
            ordered = sorted({value for value, _ in rows}, reverse=op == "max")
        except TypeError as problem:
            raise _failure(problem) from None
        values, none_before = {}, self.true
        for value in ordered:
            present = self.false
            for other, formula in rows:
                if other == value:
                    present |= formula
            condition = none_before & present
            if condition != self.false:
                key = inward(value)
                values[key] = values.get(key, self.false) | condition
            none_before &= ~present
            if none_before == self.false:
                break
        return values

    def sums(self, certain: list, uncertain: list) -> dict:
        """Each partial sum (in the order `sum` adds the rows: the certain ones, then the
        others) with the completions that reach it; None while no row is present."""
        start = _aggregated("sum", [outward(v) for v in certain]) if certain else None
        partial = {start: self.true}
        for value, formula in uncertain:
            value = outward(value)
            following = {}
            for total, condition in partial.items():
                for key, holds in ((total, condition & ~formula),
                                   (_added(total, value), condition & formula)):
                    if holds != self.false:
                        following[key] = following.get(key, self.false) | holds
            partial = following
            if len(partial) > MAX_PARTIAL_SUMS:
                raise PolicyError([error_at(
                    "limit_exceeded", f"a sum over {len(uncertain)} rows that are not known "
                    f"takes more than {MAX_PARTIAL_SUMS} values; give more of the applicant's "
                    f"facts")])
        return {total: formula for total, formula in partial.items() if total is not None}


def _added(total, value):
    """A partial sum (row value) with one more row: the first row starts it from 0."""
    return _aggregated("sum", [value] if total is None else [outward(total), value])


def _aggregated(op: str, values: list):
    try:
        if op == "sum":
            return inward(sum(values, 0))
        return inward(min(values) if op == "min" else max(values))
    except TypeError as problem:
        raise _failure(problem) from None


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


def _same(left, right) -> bool:
    return left == right  # the value model's one equality (policy/values.py)


_ARITHMETIC = {"+": operator.add, "-": operator.sub, "*": operator.mul, "/": operator.truediv}


def _compute(term: tuple, binding: dict):
    """An expression's value (pyDatalog's Python arithmetic: int / int is a float)."""
    if term[0] != "op":
        return _value(term, binding)
    left, right = _compute(term[2], binding), _compute(term[3], binding)
    try:
        return _ARITHMETIC[term[1]](left, right)
    except (ArithmeticError, TypeError) as problem:
        raise _failure(problem) from None


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


def _failure(problem: BaseException) -> EvaluationError:
    message = f"evaluation failed: {type(problem).__name__}: {problem}"
    return EvaluationError([error_at("evaluation_error", message)])

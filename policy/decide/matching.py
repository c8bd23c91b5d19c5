"""Matching a rule's body against an evaluated model.

Explanations are rebuilt from the evaluation: this module never derives a new
fact, it only finds the variable bindings under which a body's literals hold
in a model pyDatalog computed. Values are model values (policy/values.py), compared
with `values.same`, the equality every engine uses.
"""
from __future__ import annotations

import operator
from dataclasses import dataclass

from policy.lang import ast
from policy.analysis.safety import order_body
from policy.engine.open_values import Open, computed, settled
from policy.values import divide, row_key, same, to_engine

_ARITHMETIC = {"+": operator.add, "-": operator.sub, "*": operator.mul, "/": divide}
_COMPARE = {"=": operator.eq, "!=": operator.ne, "<": operator.lt, "<=": operator.le,
            ">": operator.gt, ">=": operator.ge}


class Unbound(Exception):
    """An expression needs a variable that has no value yet."""


@dataclass
class Model:
    """{predicate: set of rows} in engine values, with a lookup by predicate."""

    rows: dict
    opposite: "Model" = None  # where negations are looked up (see Explainer)

    ordered: dict = None  # predicate -> rows in a fixed order, so explanations never vary
    by_first: dict = None  # predicate -> {first value: rows}: the first is usually bound

    def __post_init__(self):
        if self.ordered is None:
            self.ordered, self.by_first = {}, {}
            for name, rows in self.rows.items():
                self.ordered[name], self.by_first[name] = _arrange(rows)

    @classmethod
    def from_python(cls, model: dict, converted: dict = None) -> "Model":
        """A model of engine values; `converted` remembers rows already converted (by identity),
        as the static predicates' rows are the same objects for every applicant."""
        rows, ordered, by_first = {}, {}, {}
        for name, python_rows in model.items():
            known = converted.get(name) if converted is not None else None
            if known is None or known[0] is not python_rows:
                engine_rows = {tuple(to_engine(v) for v in row) for row in python_rows}
                known = (python_rows, engine_rows, *_arrange(engine_rows))
                if converted is not None:
                    converted[name] = known
            _, rows[name], ordered[name], by_first[name] = known
        return cls(rows, ordered=ordered, by_first=by_first)

    def holds(self, predicate: str, row: tuple) -> bool:
        return row in self.rows.get(predicate, ())

    def matches(self, atom: ast.Atom, bindings: dict):
        """Each extension of `bindings` under which `atom` is a row of the model."""
        for row in self._candidates(atom, bindings):
            extended = unify(atom, row, bindings)
            if extended is not None:
                yield extended


    def _candidates(self, atom: ast.Atom, bindings: dict):
        if atom.args:
            first = atom.args[0]
            if isinstance(first, ast.Constant):
                return self.by_first.get(atom.predicate, {}).get(first.value, ())
            if isinstance(first, ast.Variable) and not first.anonymous and first.name in bindings:
                return self.by_first.get(atom.predicate, {}).get(bindings[first.name], ())
        return self.ordered.get(atom.predicate, ())


def _arrange(rows) -> tuple:
    ordered = sorted(rows, key=row_key)
    index = {}
    for row in ordered:
        if row:
            index.setdefault(row[0], []).append(row)
    return ordered, index


def unify(atom: ast.Atom, row: tuple, bindings: dict, partial: bool = False):
    """`bindings` extended so that `atom` equals `row`, or None.

    An argument written as arithmetic is worked out once the plain arguments are
    bound; with `partial`, one that needs a variable still unbound is left for the
    caller to check (a head's `X + Y`, before its body is solved).
    """
    extended = dict(bindings)
    arithmetic = []
    for arg, value in zip(atom.args, row):
        if not ast.is_term(arg):
            arithmetic.append((arg, value))
        elif isinstance(arg, ast.Constant):
            if not same(arg.value, value):
                return None
        elif not arg.anonymous:
            if arg.name in extended:
                if not same(extended[arg.name], value):
                    return None
            else:
                extended[arg.name] = value
    for arg, value in arithmetic:
        try:
            if not same(value_of(arg, extended), value):
                return None
        except Unbound:
            if not partial:
                return None
        except (TypeError, ArithmeticError):
            return None
    return extended


def ground(atom: ast.Atom, bindings: dict):
    """The row of `atom` under `bindings`, or None when a variable is unbound."""
    row = []
    for arg in atom.args:
        if isinstance(arg, ast.Constant):
            row.append(arg.value)
        elif not ast.is_term(arg):
            try:
                row.append(value_of(arg, bindings))
            except (Unbound, TypeError, ArithmeticError):
                return None
        elif arg.anonymous or arg.name not in bindings:
            return None
        else:
            row.append(bindings[arg.name])
    return tuple(row)


def value_of(expr, bindings: dict):
    """The value of an expression; Unbound when it needs a variable without a value."""
    if isinstance(expr, ast.Constant):
        return expr.value
    if isinstance(expr, ast.Variable):
        if expr.name not in bindings:
            raise Unbound(expr.name)
        return bindings[expr.name]
    if isinstance(expr, ast.Negative):
        return 0 - value_of(expr.operand, bindings)
    left, right = value_of(expr.left, bindings), value_of(expr.right, bindings)
    result = _ARITHMETIC[expr.op](left, right)
    result = to_engine(result) if isinstance(result, float) else result
    if isinstance(left, Open) or isinstance(right, Open):
        return computed(result, left, right, expr.op)
    return result


def unsettled(literal, bindings: dict) -> bool:
    """A comparison of open values (an unknown fact's region, engine/open_values.py) that
    comes out either way for the values they stand for: it holds in some completions only."""
    if not isinstance(literal, ast.Comparison) or isinstance(literal.right, ast.Aggregate):
        return False
    try:
        left, right = value_of(literal.left, bindings), value_of(literal.right, bindings)
        concrete = _COMPARE[literal.op](left, right)
    except (Unbound, TypeError):
        return False
    if not isinstance(left, Open) and not isinstance(right, Open):
        return False
    op = "==" if literal.op == "=" else literal.op
    return settled(op, left, right, concrete) is None


def compare(literal: ast.Comparison, bindings: dict):
    """Extensions of `bindings` under which a comparison holds (an `=` may bind)."""
    try:
        left = value_of(literal.left, bindings)
    except Unbound:
        if literal.op == "=" and isinstance(literal.left, ast.Variable):
            yield {**bindings, literal.left.name: value_of(literal.right, bindings)}
        return
    try:
        right = value_of(literal.right, bindings)
    except Unbound:
        if literal.op == "=" and isinstance(literal.right, ast.Variable):
            yield {**bindings, literal.right.name: left}
        return
    try:
        if _COMPARE[literal.op](left, right):
            yield bindings
    except TypeError:
        return


def aggregate_value(aggregate: ast.Aggregate, model: Model, bindings: dict):
    """The aggregate's value over the model's solutions of its body, or None (empty min/max)."""
    found = set()
    for solution in solutions(_named_anonymous(aggregate.body), bindings, model):
        value = 1 if aggregate.value is None else value_of(aggregate.value, solution)
        key = tuple(sorted((k, repr(v)) for k, v in solution.items()))
        found.add((key, value))
    values = [value for _, value in found]
    if aggregate.op in ("count", "sum"):
        return sum(values, 0)
    if not values:
        return None
    return min(values) if aggregate.op == "min" else max(values)


def _named_anonymous(body: tuple) -> tuple:
    """The body with each `_` made a distinct named variable: the engine counts those positions."""
    counter = iter(range(1_000_000))

    def rename(atom: ast.Atom) -> ast.Atom:
        args = tuple(ast.Variable(f"_anonymous{next(counter)}", a.span)
                     if isinstance(a, ast.Variable) and a.anonymous else a for a in atom.args)
        return ast.Atom(atom.predicate, args, atom.span)

    return tuple(rename(lit) if isinstance(lit, ast.Atom) else lit for lit in body)


def literal_solutions(literal, bindings: dict, model: Model):
    """Extensions of `bindings` under which one body literal holds in `model`."""
    if isinstance(literal, ast.Atom):
        yield from model.matches(literal, bindings)
    elif isinstance(literal, ast.Negation):
        if next((model.opposite or model).matches(literal.atom, bindings), None) is None:
            yield bindings
    elif isinstance(literal.right, ast.Aggregate):
        value = aggregate_value(literal.right, model, bindings)
        if value is not None:
            yield from compare(ast.Comparison("=", literal.left, ast.Constant(value, literal.span),
                                              literal.span), bindings)
    else:
        yield from compare(literal, bindings)


def solutions(body: tuple, bindings: dict, model: Model, head=None):
    """Every extension of `bindings` under which the whole body holds in `model`."""
    ordered = order_body(head or ast.Atom("_", (), None), body, frozenset(bindings)).literals
    yield from _solve(ordered, 0, bindings, model)


def _solve(literals: list, index: int, bindings: dict, model: Model):
    if index == len(literals):
        yield bindings
        return
    for extended in literal_solutions(literals[index], bindings, model):
        yield from _solve(literals, index + 1, extended, model)


def rule_instances(rule: ast.Rule, row: tuple, model: Model):
    """The bindings under which `rule` concludes `row` in `model`."""
    start = unify(rule.head, row, {}, partial=True)
    if start is None:
        return
    seen = []
    for bindings in solutions(rule.body, start, model, rule.head):
        if ast.arithmetic_args(rule.head) and unify(rule.head, row, bindings) is None:
            continue
        if bindings not in seen:
            seen.append(bindings)
            yield bindings

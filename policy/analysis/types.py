"""Kinds of values in a rule, and the type errors of its arithmetic and comparisons.

A value's kind is integer, decimal, date, string or boolean (policy/values.py).
Variables get theirs from the declared types of the atoms that bind them and
from assignments (`E = D + 30` makes E a date when D is one); an expression's
kind follows from its parts:

    date + integer, integer + date, date - integer  -> date
    date - date                                     -> integer (days)
    integer op integer                              -> integer ('/' -> decimal)
    number op number                                -> decimal

Anything else with a date (`D + D`, `D * 2`, `-D`, `D + 1.5`), arithmetic on a
string or a boolean, and a comparison of two different kinds (a date with an
integer) is a `type_error` at the expression's file:line:col. The engine
refuses the same operations at run time (values.Day), so an unchecked
variable never yields a number of internal days either. Unknown kinds (an
undeclared predicate's argument) are never reported.
"""
from __future__ import annotations

from policy.lang import ast
from policy.analysis.safety import assignment_target, atom_variables, order_body
from policy.lang.program import Program, all_atoms
from policy.values import type_of

_NUMBERS = {"integer", "decimal"}
DATE_RULE = "date arithmetic is only date + integer, date - integer and date - date"
_DECLARED = {"string": "string", "integer": "integer", "decimal": "decimal", "date": "date",
             "boolean": "boolean", "enum": "string"}


class Typing:
    """The kinds of one rule's variables, and the problems found while working them out."""

    def __init__(self, program: Program, rule: ast.Rule):
        self.program, self.rule = program, rule
        self.kinds, self.problems = {}, []
        for atom in [rule.head, *all_atoms(rule)]:
            for param, arg in _declared_args(program, atom):
                kind = _DECLARED.get(param.type.name)
                if kind and isinstance(arg, ast.Variable) and not arg.anonymous:
                    self.kinds.setdefault(arg.name, kind)
        self._assign()

    def _assign(self) -> None:
        """Kinds of the variables that assignments bind (`E = D + 30`, E bound by nothing
        else), in the order the body binds them; a comparison of an already bound variable
        gives it no kind."""
        for body in _bodies(self.rule.body):
            ordering = order_body(ast.Atom("_", (), None), body)
            bound = {v.name for lit in ordering.literals if isinstance(lit, ast.Atom)
                     for v in atom_variables(lit)}
            for literal in ordering.literals:
                if not isinstance(literal, ast.Comparison):
                    continue
                target = assignment_target(literal, bound)
                if target is None:
                    continue
                bound.add(target.name)
                source = literal.right if target is literal.left else literal.left
                kind = self.kind(source, report=False)
                if kind is not None and target.name not in self.kinds:
                    self.kinds[target.name] = kind

    def kind(self, expr, report: bool = True):
        """The kind of an expression, or None when it is not known."""
        if isinstance(expr, ast.Constant):
            return type_of(expr.value)
        if isinstance(expr, ast.Variable):
            return self.kinds.get(expr.name)
        if isinstance(expr, ast.Aggregate):
            return self._aggregate_kind(expr, report)
        if isinstance(expr, ast.Negative):
            operand = self.kind(expr.operand, report)
            if operand in _NUMBERS or operand is None:
                return operand
            return self._problem(f"'-' on {_a(operand)}: "
                                 + (DATE_RULE if operand == "date" else "arithmetic needs numbers"),
                                 expr, report)
        left, right = self.kind(expr.left, report), self.kind(expr.right, report)
        return self._binary(expr, left, right, report)

    def _binary(self, expr: ast.BinaryOp, left, right, report: bool):
        kinds = {left, right} - {None}
        if "date" in kinds:
            return self._date_arithmetic(expr, left, right, report)
        if kinds - _NUMBERS:
            wrong = next(iter(sorted(kinds - _NUMBERS)))
            return self._problem(f"'{expr.op}' on {_a(wrong)}: arithmetic needs numbers", expr, report)
        if None in (left, right):
            return "decimal" if expr.op == "/" or "decimal" in kinds else None
        return "integer" if kinds == {"integer"} and expr.op != "/" else "decimal"

    def _date_arithmetic(self, expr: ast.BinaryOp, left, right, report: bool):
        if expr.op == "-" and left == "date" and right == "date":
            return "integer"
        if expr.op == "+" and {left, right} == {"date", "integer"}:
            return "date"
        if expr.op == "-" and left == "date" and right == "integer":
            return "date"
        if expr.op in "+-" and None in (left, right) and (expr.op == "+" or left == "date"):
            return None  # an unknown operand may be an integer (or, for '-', a date)
        what = f"'{expr.op}' on {_a(left or 'value')} and {_a(right or 'value')}"
        return self._problem(f"{what}: {DATE_RULE}", expr, report)

    def _aggregate_kind(self, aggregate: ast.Aggregate, report: bool):
        if aggregate.op == "count":
            return "integer"
        value = self.kind(aggregate.value, report)
        if aggregate.op == "sum" and value not in _NUMBERS and value is not None:
            return self._problem(f"'sum' of {_a(value)}: a sum needs numbers", aggregate, report)
        return value

    def _problem(self, message: str, expr, report: bool):
        if report:
            self.problems.append((message, expr.span))
        return None


def rule_type_problems(program: Program, rule: ast.Rule) -> list:
    """(message, span) of every type error in the rule's arithmetic, comparisons and atom
    arguments written as expressions."""
    typing = Typing(program, rule)
    for literal in _comparisons(rule.body):
        if isinstance(literal.right, ast.Aggregate):
            typing.kind(literal.right)
            continue
        left, right = typing.kind(literal.left), typing.kind(literal.right)
        if left and right and _ordered(left) != _ordered(right):
            typing.problems.append((f"compares {_a(_ordered(left))} with {_a(_ordered(right))}",
                                    literal.span))
    for atom in [rule.head, *all_atoms(rule)]:
        for param, arg in _declared_args(program, atom, expressions=True):
            kind, wanted = typing.kind(arg), _DECLARED.get(param.type.name)
            if kind and wanted and kind != wanted and not (kind == "integer" and wanted == "decimal"):
                message = f"'{atom.predicate}' argument '{param.name}': {_a(kind)}, not {_a(wanted)}"
                typing.problems.append((message, arg.span))
    return typing.problems


def _declared_args(program: Program, atom: ast.Atom, expressions: bool = False):
    """(param, argument) pairs of an atom of a declared predicate; with `expressions`, only
    the arguments written as arithmetic."""
    declaration = program.declared.get(atom.predicate)
    if declaration is None or len(declaration.params) != atom.arity:
        return []
    pairs = zip(declaration.params, atom.args)
    if expressions:
        return [(p, a) for p, a in pairs if isinstance(a, (ast.BinaryOp, ast.Negative))]
    return list(pairs)


def _bodies(body: tuple):
    """A rule's body and the bodies of its aggregates."""
    yield body
    for literal in ast.aggregates_of(body):
        yield literal.right.body


def _comparisons(body: tuple):
    """Every comparison of a body, inside aggregates too."""
    for literal in body:
        if isinstance(literal, ast.Comparison):
            yield literal
            if isinstance(literal.right, ast.Aggregate):
                yield from _comparisons(literal.right.body)


def _ordered(kind: str) -> str:
    return "number" if kind in _NUMBERS else kind


def _a(noun: str) -> str:
    return ("an " if noun[0] in "aeiou" else "a ") + noun

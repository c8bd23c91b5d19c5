"""The policy AST: plain dataclasses, each node carrying where it was written.

Every node has a `span` so that checks, explanations and error messages can
point at the file, line and column an analyst wrote.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Optional, Union

from policy.errors import Span  # where a node starts (re-exported: ast.Span)


@dataclass(frozen=True)
class Variable:
    """A variable of a rule (`X`, `_`); one name is one variable within a rule."""

    name: str
    span: Span = field(compare=False)

    @property
    def anonymous(self) -> bool:
        """`_` alone is anonymous: every occurrence is a fresh variable."""
        return self.name == "_"


@dataclass(frozen=True)
class Constant:
    """A constant; `value` is already a model value (str, int, Decimal, Day, Truth: policy/values.py)."""

    value: Any
    span: Span = field(compare=False)


@dataclass(frozen=True)
class BinaryOp:
    """Arithmetic `left op right` (+, -, *, /) inside a comparison or an aggregate."""

    op: str
    left: "Expr"
    right: "Expr"
    span: Span = field(compare=False)


@dataclass(frozen=True)
class Negative:
    """A minus sign before an expression (`-X`)."""

    operand: "Expr"
    span: Span = field(compare=False)


@dataclass(frozen=True)
class Aggregate:
    """`count : { body }` or `sum X : { body }` (also min, max)."""

    op: str
    value: Optional["Expr"]
    body: tuple
    span: Span = field(compare=False)


Term = Union[Variable, Constant]
Expr = Union[Variable, Constant, BinaryOp, Negative, Aggregate]


@dataclass(frozen=True)
class Atom:
    """`predicate(args...)`: a rule's head, or a condition of its body."""

    predicate: str
    args: tuple
    span: Span = field(compare=False)

    @property
    def arity(self) -> int:
        return len(self.args)

    @property
    def key(self) -> str:
        return f"{self.predicate}/{self.arity}"


@dataclass(frozen=True)
class Negation:
    """`not atom` in a body: holds when the atom does not (stratified, checked)."""

    atom: Atom
    span: Span = field(compare=False)


@dataclass(frozen=True)
class Comparison:
    """`left op right` in a body (==, !=, <, <=, >, >=)."""

    op: str
    left: Expr
    right: Expr
    span: Span = field(compare=False)


Literal = Union[Atom, Negation, Comparison]


@dataclass(frozen=True)
class Annotation:
    """`@name("text")` or `@name(en: "...", zh: "...")`."""

    name: str
    positional: tuple
    keywords: tuple  # pairs (key, text)
    span: Span = field(compare=False)

    def text(self, lang: str = "en") -> str:
        """The text in `lang`, else English, else the first one given."""
        by_key = dict(self.keywords)
        if lang in by_key:
            return by_key[lang]
        if "en" in by_key:
            return by_key["en"]
        return self.positional[0] if self.positional else next(iter(by_key.values()), "")


@dataclass(frozen=True)
class Rule:
    """A clause `head :- body.`; a fact is a rule with an empty body."""

    head: Atom
    body: tuple
    annotations: tuple
    span: Span = field(compare=False)

    @property
    def is_fact(self) -> bool:
        return not self.body

    def annotation(self, name: str) -> Optional[Annotation]:
        return find_annotation(self.annotations, name)

    @property
    def rule_id(self) -> Optional[str]:
        found = self.annotation("id")
        return found.text() if found else None


@dataclass(frozen=True)
class ParamType:
    """A declared argument type; `values` lists the allowed values of an enum."""

    name: str  # string, integer, decimal, date, boolean, enum, any
    values: tuple = ()


@dataclass(frozen=True)
class Param:
    """One argument of a declaration: its name and declared type."""

    name: str
    type: ParamType
    span: Span = field(compare=False)


@dataclass(frozen=True)
class Declaration:
    """`input p(...)` or `derived p(...)`: a predicate's arguments, typed, and its annotations."""

    kind: str  # "input" or "derived"
    predicate: str
    params: tuple
    annotations: tuple
    span: Span = field(compare=False)

    @property
    def key(self) -> str:
        return f"{self.predicate}/{len(self.params)}"

    def annotation(self, name: str) -> Optional[Annotation]:
        return find_annotation(self.annotations, name)


Statement = Union[Rule, Declaration]


def find_annotation(annotations: tuple, name: str) -> Optional[Annotation]:
    return next((a for a in annotations if a.name == name), None)


def expr_variables(expr) -> list:
    """The named variables of an expression, outside aggregates, in order."""
    if isinstance(expr, Variable):
        return [] if expr.anonymous else [expr]
    if isinstance(expr, BinaryOp):
        return expr_variables(expr.left) + expr_variables(expr.right)
    if isinstance(expr, Negative):
        return expr_variables(expr.operand)
    return []


def is_term(expr) -> bool:
    """A variable or a constant: an atom argument that needs no arithmetic."""
    return isinstance(expr, (Variable, Constant))


def arithmetic_args(atom: Atom) -> list:
    """The arguments of an atom written as arithmetic (`p(X + 1)`, `total(X, Y, X + Y)`)."""
    return [arg for arg in atom.args if not is_term(arg)]


def argument_variables(atom: Atom) -> list:
    """The named variables inside an atom's arithmetic arguments: used there, never bound by it."""
    return [v for arg in arithmetic_args(atom) for v in expr_variables(arg)]


def anonymous_in_arithmetic(expr) -> list:
    """Each `_` inside arithmetic (it has no value there)."""
    if isinstance(expr, BinaryOp):
        return anonymous_in_arithmetic_operand(expr.left) + anonymous_in_arithmetic_operand(expr.right)
    if isinstance(expr, Negative):
        return anonymous_in_arithmetic_operand(expr.operand)
    return []


def anonymous_in_arithmetic_operand(expr) -> list:
    if isinstance(expr, Variable):
        return [expr] if expr.anonymous else []
    return anonymous_in_arithmetic(expr)


def aggregates_of(body: tuple):
    """The aggregate comparisons of a body: `Var = agg : { ... }`."""
    for literal in body:
        if isinstance(literal, Comparison) and isinstance(literal.right, Aggregate):
            yield literal

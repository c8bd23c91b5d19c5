"""AST nodes back to rule-language text, optionally with variables replaced by values."""
from __future__ import annotations

from policy.lang import ast
from policy.values import show


def term_text(term, bindings=None) -> str:
    if isinstance(term, ast.Constant):
        return show(term.value)
    if bindings and not term.anonymous and term.name in bindings:
        return show(bindings[term.name])
    return term.name


def expr_text(expr, bindings=None) -> str:
    if isinstance(expr, (ast.Variable, ast.Constant)):
        return term_text(expr, bindings)
    if isinstance(expr, ast.Negative):
        operand = expr_text(expr.operand, bindings)
        return f"-({operand})" if isinstance(expr.operand, ast.BinaryOp) else f"-{operand}"
    if isinstance(expr, ast.Aggregate):
        value = f" {expr_text(expr.value, bindings)}" if expr.value is not None else ""
        body = ", ".join(literal_text(literal, bindings) for literal in expr.body)
        return f"{expr.op}{value} : {{ {body} }}"
    left = _operand(expr.left, bindings, _PRECEDENCE[expr.op] - 1)
    return f"{left} {expr.op} {_operand(expr.right, bindings, _PRECEDENCE[expr.op])}"


_PRECEDENCE = {"+": 1, "-": 1, "*": 2, "/": 2}


def _operand(expr, bindings, looser: int) -> str:
    """An operand, in parentheses when its operator binds no tighter than `looser` allows:
    `1 - 2 - 3` reads back as written, `1 - (2 - 3)` keeps its parentheses."""
    text = expr_text(expr, bindings)
    if isinstance(expr, ast.BinaryOp) and _PRECEDENCE[expr.op] <= looser:
        return f"({text})"
    return text


def atom_text(atom: ast.Atom, bindings=None) -> str:
    if not atom.args:
        return atom.predicate
    return f"{atom.predicate}({', '.join(expr_text(a, bindings) for a in atom.args)})"


def literal_text(literal, bindings=None) -> str:
    if isinstance(literal, ast.Atom):
        return atom_text(literal, bindings)
    if isinstance(literal, ast.Negation):
        return f"not {atom_text(literal.atom, bindings)}"
    return f"{expr_text(literal.left, bindings)} {literal.op} {expr_text(literal.right, bindings)}"


def row_text(predicate: str, row: tuple) -> str:
    """`name(a, b)` for a fact given as a row of values."""
    return predicate if not row else f"{predicate}({', '.join(show(v) for v in row)})"

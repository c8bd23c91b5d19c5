"""Answering a query atom such as `path(a, X)` against an evaluated model."""
from __future__ import annotations

from policy.lang import ast
from policy.errors import PolicyError, did_you_mean
from policy.lang.parser import parse_text
from policy.values import row_key, same


def parse_query(text: str) -> ast.Atom:
    """The atom of a query; PolicyError(query_error) when it is not one atom."""
    statements, problems = parse_text(text.strip().rstrip(".") + ".", "<query>")
    if problems or len(statements) != 1 or not isinstance(statements[0], ast.Rule) \
            or not statements[0].is_fact or statements[0].annotations:
        detail = problems[0].message if problems else "write one atom, such as 'path(a, X)'"
        raise PolicyError.single("query_error", f"the query {text!r} is not an atom: {detail}")
    for arg in ast.arithmetic_args(statements[0].head):
        message = f"the query {text!r} has arithmetic in an argument: write values and variables"
        raise PolicyError.single("query_error", message)
    return statements[0].head


def check_query(atom: ast.Atom, predicates: dict) -> None:
    """PolicyError(query_error) when the policy has no such predicate and arity."""
    if atom.predicate not in predicates:
        message = f"the policy has no predicate '{atom.predicate}'"
        raise PolicyError.single("query_error", message + did_you_mean(atom.predicate, predicates))
    if predicates[atom.predicate] != atom.arity:
        message = f"'{atom.predicate}' takes {predicates[atom.predicate]} argument(s), not {atom.arity}"
        raise PolicyError.single("query_error", message)


def answer(atom: ast.Atom, rows) -> list:
    """The bindings ({variable: value}) of each row matching `atom`, sorted."""
    found, seen = [], set()
    for row in rows:
        bindings = _match(atom, row)
        if bindings is None:
            continue
        key = tuple((name, type(value).__name__, value) for name, value in bindings.items())
        if key not in seen:  # a set: a list's `in` made eval quadratic in the answers
            seen.add(key)
            found.append(bindings)
    return sorted(found, key=lambda b: row_key(tuple(b.values())))


def _match(atom: ast.Atom, row: tuple):
    bindings = {}
    for arg, value in zip(atom.args, row):
        if isinstance(arg, ast.Constant):
            if not same(arg.value, value):
                return None
        elif not arg.anonymous:
            if arg.name in bindings and not same(bindings[arg.name], value):
                return None
            bindings[arg.name] = value
    return bindings

"""Which variables a body binds, and an order of its literals that binds before use.

pyDatalog resolves a body left to right and fails or loops when a comparison or
a negation meets an unbound variable. `order_body` puts positive atoms first,
then each assignment, comparison, aggregate and negation as soon as what it
needs is bound; what can never be bound is reported as unsafe.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from policy.lang import ast


@dataclass
class Ordering:
    literals: list = field(default_factory=list)
    bound: set = field(default_factory=set)
    unsafe: list = field(default_factory=list)  # (Variable, why)


def atom_variables(atom: ast.Atom) -> list:
    return [a for a in atom.args if isinstance(a, ast.Variable) and not a.anonymous]


def assignment_target(literal: ast.Comparison, bound: set):
    """The variable an `=` binds (`X = expr` with expr bound), or None."""
    if literal.op != "=":
        return None
    for target, source in ((literal.left, literal.right), (literal.right, literal.left)):
        if isinstance(target, ast.Variable) and target.name not in bound and not target.anonymous:
            if isinstance(source, ast.Aggregate):
                return target
            if all(v.name in bound for v in ast.expr_variables(source)):
                return target
    return None


def aggregate_groups(literal: ast.Comparison, outside: set) -> list:
    """The variables of an aggregate's body that the rule also uses outside it."""
    inner = _inner_variables(literal.right)
    return [name for name in inner if name in outside]


def _inner_variables(aggregate: ast.Aggregate) -> list:
    names = []
    for literal in aggregate.body:
        for variable in _literal_variables(literal):
            if variable.name not in names:
                names.append(variable.name)
    if aggregate.value is not None:
        for variable in ast.expr_variables(aggregate.value):
            if variable.name not in names:
                names.append(variable.name)
    return names


def _literal_variables(literal) -> list:
    if isinstance(literal, ast.Atom):
        return atom_variables(literal)
    if isinstance(literal, ast.Negation):
        return atom_variables(literal.atom)
    if isinstance(literal.right, ast.Aggregate):
        return ast.expr_variables(literal.left)
    return ast.expr_variables(literal.left) + ast.expr_variables(literal.right)


def outside_variables(rule_head: ast.Atom, body: tuple, skip) -> set:
    """Variable names used in the head or in body literals other than `skip`."""
    names = {v.name for v in atom_variables(rule_head)}
    for literal in body:
        if literal is not skip:
            names.update(v.name for v in _literal_variables(literal))
    return names


def order_body(head: ast.Atom, body: tuple, bound=frozenset()) -> Ordering:
    """Order `body` so that every literal finds its inputs bound.

    Cached: explanations order the same bodies again and again. AST nodes compare
    without their positions, so the positions are part of the key: two equal rules
    in two places keep their own. Callers only read the result.
    """
    where = (head.span, tuple(getattr(literal, "span", None) for literal in body))
    return _order_body(head, body, frozenset(bound), where)


@lru_cache(maxsize=8192)
def _order_body(head: ast.Atom, body: tuple, bound: frozenset, where) -> Ordering:
    result = Ordering(bound=set(bound))
    pending = []
    for literal in body:
        if isinstance(literal, ast.Atom):
            result.literals.append(literal)
            result.bound.update(v.name for v in atom_variables(literal))
        else:
            pending.append(literal)
    while pending:
        ready = next((lit for lit in pending if _is_ready(lit, head, body, result.bound)), None)
        if ready is None:
            break
        pending.remove(ready)
        result.literals.append(ready)
        if isinstance(ready, ast.Comparison):
            target = assignment_target(ready, result.bound)
            if target is not None:
                result.bound.add(target.name)
    for literal in pending:
        result.literals.append(literal)
        result.unsafe.extend(_unbound_in(literal, result.bound))
    return result


def _is_ready(literal, head, body, bound: set) -> bool:
    if isinstance(literal, ast.Negation):
        return all(v.name in bound for v in atom_variables(literal.atom))
    if isinstance(literal.right, ast.Aggregate):
        groups = aggregate_groups(literal, outside_variables(head, body, literal))
        return all(name in bound for name in groups)
    if assignment_target(literal, bound) is not None:
        return True
    return all(v.name in bound for v in _literal_variables(literal))


def _unbound_in(literal, bound: set) -> list:
    if isinstance(literal, ast.Negation):
        why = "appears in a negated atom ('not') but no positive atom binds it"
        return [(v, why) for v in atom_variables(literal.atom) if v.name not in bound]
    if isinstance(literal.right, ast.Aggregate):
        why = "is shared with an aggregate but no positive atom outside it binds it"
        return [(literal.left, why)] if literal.left.name not in bound else []
    why = "appears in a comparison but no positive atom binds it"
    unbound, seen = [], set()
    for variable in _literal_variables(literal):
        if variable.name not in bound and variable.name not in seen:
            seen.add(variable.name)
            unbound.append((variable, why))
    return unbound


def unsafe_in_rule(rule: ast.Rule) -> list:
    """Every (Variable, why) of a rule that nothing binds, aggregates' bodies included."""
    problems = []
    for arg in rule.head.args:
        if isinstance(arg, ast.Variable) and arg.anonymous:
            problems.append((arg, "'_' cannot stand in a head: the conclusion needs a value"))
    ordering = order_body(rule.head, rule.body)
    problems.extend(ordering.unsafe)
    for variable in atom_variables(rule.head):
        if variable.name not in ordering.bound:
            problems.append((variable, "appears in the head but no positive body atom binds it"))
    for literal in ast.aggregates_of(rule.body):
        problems.extend(_unsafe_in_aggregate(literal.right))
    return problems


def _unsafe_in_aggregate(aggregate: ast.Aggregate) -> list:
    ordering = order_body(ast.Atom("_", (), aggregate.span), aggregate.body)
    problems = list(ordering.unsafe)
    if aggregate.value is not None:
        why = f"is the value of '{aggregate.op}' but its body does not bind it"
        problems.extend(
            (v, why) for v in ast.expr_variables(aggregate.value) if v.name not in ordering.bound
        )
    return problems

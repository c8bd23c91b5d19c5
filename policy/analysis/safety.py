"""Which variables a body binds, and an order of its literals that binds before use.

pyDatalog resolves a body left to right and fails or loops when a comparison or
a negation meets an unbound variable. `order_body` puts positive atoms first,
then each assignment, comparison, aggregate and negation as soon as what it
needs is bound; what can never be bound is reported as unsafe.

An atom binds the variables written as its arguments, not those inside an
argument written as arithmetic: `p(X + 1)` only checks that p holds for X + 1,
so it waits, like a comparison, until X is bound elsewhere (`p(Y, Y + 1)`
binds Y itself and is ready at once). A head argument written as arithmetic
needs its variables bound by the body.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from policy.lang import ast


@dataclass
class Ordering:
    """A rule body in an order that binds each variable before it is compared or negated, and
    the variables no order binds."""

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
        return atom_variables(literal) + ast.argument_variables(literal)
    if isinstance(literal, ast.Negation):
        return atom_variables(literal.atom) + ast.argument_variables(literal.atom)
    if isinstance(literal.right, ast.Aggregate):
        return ast.expr_variables(literal.left)
    return ast.expr_variables(literal.left) + ast.expr_variables(literal.right)


def outside_variables(rule_head: ast.Atom, body: tuple, skip) -> set:
    """Variable names used in the head or in body literals other than `skip`."""
    names = {v.name for v in atom_variables(rule_head) + ast.argument_variables(rule_head)}
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
        if isinstance(literal, ast.Atom) and not ast.arithmetic_args(literal):
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
        if isinstance(ready, ast.Atom):
            result.bound.update(v.name for v in atom_variables(ready))
        elif isinstance(ready, ast.Comparison):
            target = assignment_target(ready, result.bound)
            if target is not None:
                result.bound.add(target.name)
    for literal in pending:
        result.literals.append(literal)
        result.unsafe.extend(_unbound_in(literal, result.bound))
    return result


def _is_ready(literal, head, body, bound: set) -> bool:
    if isinstance(literal, ast.Atom):
        own = {v.name for v in atom_variables(literal)}
        return all(v.name in bound or v.name in own for v in ast.argument_variables(literal))
    if isinstance(literal, ast.Negation):
        return all(v.name in bound for v in _literal_variables(literal))
    if isinstance(literal.right, ast.Aggregate):
        groups = aggregate_groups(literal, outside_variables(head, body, literal))
        return all(name in bound for name in groups)
    if assignment_target(literal, bound) is not None:
        return True
    return all(v.name in bound for v in _literal_variables(literal))


def _unbound_in(literal, bound: set) -> list:
    if isinstance(literal, ast.Atom):
        why = ("is used in arithmetic in an atom's argument, which does not bind it, and no"
               " other positive atom binds it")
        own = {v.name for v in atom_variables(literal)}
        return _first_each([(v, why) for v in ast.argument_variables(literal)
                            if v.name not in bound and v.name not in own])
    if isinstance(literal, ast.Negation):
        why = "appears in a negated atom ('not') but no positive atom binds it"
        return _first_each([(v, why) for v in _literal_variables(literal) if v.name not in bound])
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


def _first_each(found: list) -> list:
    """One problem per variable name, the first."""
    seen, kept = set(), []
    for variable, why in found:
        if variable.name not in seen:
            seen.add(variable.name)
            kept.append((variable, why))
    return kept


def unsafe_in_rule(rule: ast.Rule) -> list:
    """Every (Variable, why) of a rule that nothing binds, aggregates' bodies included."""
    problems = []
    for arg in rule.head.args:
        if isinstance(arg, ast.Variable) and arg.anonymous:
            problems.append((arg, "'_' cannot stand in a head: the conclusion needs a value"))
    problems.extend(_anonymous_in_arithmetic(rule))
    ordering = order_body(rule.head, rule.body)
    problems.extend(ordering.unsafe)
    why = "appears in the head but no positive body atom binds it"
    head = atom_variables(rule.head) + ast.argument_variables(rule.head)
    problems.extend(_first_each([(v, why) for v in head if v.name not in ordering.bound]))
    outside = context_bound(rule.body)
    for literal in ast.aggregates_of(rule.body):
        groups = aggregate_groups(literal, outside_variables(rule.head, rule.body, literal))
        problems.extend(_unsafe_in_aggregate(literal.right, frozenset(groups) & outside))
    return problems


def context_literals(body: tuple) -> tuple:
    """The literals that can bind an aggregate's group variables outside it: atoms and
    comparisons (negations only filter; another aggregate's value is not a group)."""
    return tuple(lit for lit in body if isinstance(lit, ast.Atom) or (
        isinstance(lit, ast.Comparison) and not isinstance(lit.right, ast.Aggregate)))


def context_bound(body: tuple) -> set:
    """The variables the context literals of a body bind."""
    return order_body(ast.Atom("_", (), None), context_literals(body)).bound


def _anonymous_in_arithmetic(rule: ast.Rule) -> list:
    """Each `_` written inside arithmetic, anywhere in the rule: it has no value there."""
    why = "stands in arithmetic, where it has no value"
    found = []
    for atom in [rule.head, *_all_atoms(rule.body)]:
        for arg in ast.arithmetic_args(atom):
            found.extend((v, why) for v in ast.anonymous_in_arithmetic(arg))
    for literal in _all_comparisons(rule.body):
        for side in (literal.left, literal.right):
            if isinstance(side, ast.Aggregate):
                side = side.value
            found.extend((v, why) for v in ast.anonymous_in_arithmetic_operand(side))
    return found


def _all_atoms(body: tuple):
    for literal in body:
        if isinstance(literal, ast.Atom):
            yield literal
        elif isinstance(literal, ast.Negation):
            yield literal.atom
        elif isinstance(literal.right, ast.Aggregate):
            yield from _all_atoms(literal.right.body)


def _all_comparisons(body: tuple):
    for literal in body:
        if isinstance(literal, ast.Comparison):
            yield literal
            if isinstance(literal.right, ast.Aggregate):
                yield from _all_comparisons(literal.right.body)


def _unsafe_in_aggregate(aggregate: ast.Aggregate, given: frozenset = frozenset()) -> list:
    """What the aggregate's body leaves unbound, given the group variables bound outside it."""
    ordering = order_body(ast.Atom("_", (), aggregate.span), aggregate.body, given)
    problems = list(ordering.unsafe)
    if aggregate.value is not None:
        why = f"is the value of '{aggregate.op}' but its body does not bind it"
        problems.extend(
            (v, why) for v in ast.expr_variables(aggregate.value) if v.name not in ordering.bound
        )
    return problems

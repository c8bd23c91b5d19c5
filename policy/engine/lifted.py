"""A lowered program lifted by a situation key: many applicants in one evaluation.

A batch evaluates the same program once per situation (one applicant's facts).
Set at a time, it is cheaper to evaluate them all at once: every predicate
that depends on the applicant's facts gets one more first argument, the key of
the situation, and every rule passes the key along. Predicates no applicant
fact reaches (the catalogue, the policy's own facts) stay as they are and are
evaluated once for the whole block.

- a lifted rule's head and its lifted premises (plain, negated, or an
  aggregate's result) share the key variable;
- a lifted rule that reads no lifted premise positively before the first one
  that needs the key bound (a negation, an aggregate read) starts with
  `X_situation(K)`: the keys of the block (so `p :- not q.` holds per situation);
- an aggregate over a lifted source groups by the key as well.

The lifted program is an ordinary lowered program: any engine evaluates it.
`split_model` takes the model apart again, one model per key.
"""
from __future__ import annotations

from dataclasses import replace

from policy.engine.lowering import AUXILIARY, LAggregate, LAtom, LFunction, Lowered, LRule

KEY = ("var", "Ksituation")  # lowered variables are V<name>, A<n>, W<n>, R<name>: no clash
SITUATION = AUXILIARY + "situation"


def lifted_predicates(lowered: Lowered, inputs) -> frozenset:
    """The predicates (and aggregate functions) whose facts depend on the `inputs`."""
    lifted = set(inputs)
    changed = True
    while changed:
        changed = False
        for rule in lowered.rules:
            if rule.head.predicate not in lifted and any(_name(lit) in lifted for lit in rule.body
                                                         if _name(lit)):
                lifted.add(rule.head.predicate)
                changed = True
        for aggregate in lowered.aggregates:
            if aggregate.function not in lifted and aggregate.source in lifted:
                lifted.add(aggregate.function)
                changed = True
    return frozenset(lifted)


def lift(lowered: Lowered, inputs) -> Lowered:
    """The program with every predicate depending on `inputs` keyed by the situation."""
    lifted = lifted_predicates(lowered, inputs)
    result = Lowered(user_predicates=dict(lowered.user_predicates))
    for name, arity in lowered.arities.items():
        result.arities[name] = arity + 1 if name in lifted else arity
    result.arities[SITUATION] = 1
    for rule in lowered.rules:
        result.rules.append(_lift_rule(rule, lifted) if rule.head.predicate in lifted else rule)
    for aggregate in lowered.aggregates:
        if aggregate.function in lifted:
            aggregate = replace(aggregate, groups=(KEY,) + aggregate.groups)
        result.aggregates.append(aggregate)
    return result


def _lift_rule(rule: LRule, lifted: frozenset) -> LRule:
    body = [_lift_literal(lit, lifted) for lit in rule.body]
    if not _key_bound_first(rule.body, lifted):
        body.insert(0, LAtom(SITUATION, (KEY,)))
    head = LAtom(rule.head.predicate, (KEY,) + rule.head.args)
    return LRule(head, tuple(body), rule.origin)


def _lift_literal(literal, lifted: frozenset):
    if isinstance(literal, LAtom) and literal.predicate in lifted:
        return LAtom(literal.predicate, (KEY,) + literal.args, literal.negated)
    if isinstance(literal, LFunction) and literal.function in lifted:
        return LFunction(literal.function, (KEY,) + literal.keys, literal.value)
    return literal


def _key_bound_first(body: tuple, lifted: frozenset) -> bool:
    """Whether a positive lifted atom binds the key before any literal that needs it bound."""
    for literal in body:
        if _name(literal) in lifted:
            return isinstance(literal, LAtom) and not literal.negated
    return False


def _name(literal):
    if isinstance(literal, LAtom):
        return literal.predicate
    if isinstance(literal, LFunction):
        return literal.function
    return None


def split_model(model: dict, lifted: frozenset, keys: list) -> list:
    """One {predicate: rows} per key of `keys`, from the model of the lifted program."""
    models = [{name: set() for name in model} for _ in keys]
    position = {key: i for i, key in enumerate(keys)}
    for name, rows in model.items():
        if name not in lifted:
            for one in models:
                one[name] = set(rows)
            continue
        for row in rows:
            models[position[row[0]]][name].add(row[1:])
    return models


__all__ = ["KEY", "SITUATION", "LAggregate", "lift", "lifted_predicates", "split_model"]

"""The three-valued rewrite: a lowered program over certain and possible copies.

When some facts are unknown, the engine evaluates this rewrite of the program
(compiled.evaluate_with_unknowns): `c_p` holds what is certain whatever the
unknowns turn out to be, `p_p` what is possible for some of them.
"""
from __future__ import annotations

from policy.engine.lowering import LAggregate, LAtom, LFunction, Lowered, LRule

CERTAIN, POSSIBLE = "c_", "p_"


def three_valued(lowered: Lowered) -> Lowered:
    """The program over certain (c_) and possible (p_) copies of every predicate.

    With unknown facts, a conclusion is certain when it holds whatever the
    unknown facts turn out to be, and possible when it holds for some of them.
    A certain conclusion needs certain positive premises and premises it
    negates that are not even possible; a possible one needs possible positive
    premises and negated premises that are not certain. Given facts go into
    both copies; every value an unknown fact could take goes into p_ only.
    The original program is stratified, so this one is too.
    """
    dual = Lowered()
    for prefix, other in ((CERTAIN, POSSIBLE), (POSSIBLE, CERTAIN)):
        for name, arity in lowered.arities.items():
            dual.arities[prefix + name] = arity
        for rule in lowered.rules:
            body = tuple(_renamed(literal, prefix, other) for literal in rule.body)
            dual.rules.append(LRule(_renamed(rule.head, prefix, other), body, rule.origin))
        for aggregate in lowered.aggregates:
            dual.aggregates.append(LAggregate(
                prefix + aggregate.function, aggregate.op, prefix + aggregate.source,
                aggregate.groups, aggregate.locals, aggregate.value))
    dual.user_predicates = {prefix + name: arity for prefix in (CERTAIN, POSSIBLE)
                            for name, arity in lowered.user_predicates.items()}
    return dual


def _renamed(literal, prefix: str, other: str):
    if isinstance(literal, LAtom):
        return LAtom((other if literal.negated else prefix) + literal.predicate, literal.args,
                     literal.negated)
    if isinstance(literal, LFunction):
        return LFunction(prefix + literal.function, literal.keys, literal.value)
    return literal

"""Fixpoint planning: recursion is never handed to pyDatalog.

Each recursive group of a lowered program becomes non-recursive step rules
that the pyDatalog seam runs to a fixpoint itself (semi-naive; see Fixpoint).
"""
from __future__ import annotations

from dataclasses import dataclass

from policy.analysis.graph import is_recursive, strongly_connected
from policy.engine.lowering import AUXILIARY, LAtom, Lowered, LRule, lowered_graph


@dataclass(frozen=True)
class Fixpoint:
    """A group of recursive predicates that our own loop, not pyDatalog, takes to a fixpoint.

    pyDatalog 0.22 never finishes on some recursion: a cycle through three predicates, a rule
    with two recursive premises, two linear rules of one predicate (depending even on the
    order of the rules). So pyDatalog is never given recursion: for every recursive group
    (that instances.py could not split), its rules become non-recursive steps, `X_init_P`
    (rules with no premise in the group) and `X_next_P` (each recursive premise in turn read
    from `X_delta_Q`, the facts new in the last round), and Engine.evaluate asserts what they
    give until nothing is new: semi-naive evaluation, each step evaluated by pyDatalog
    without recursion.
    """

    predicates: tuple


def init_name(predicate: str) -> str:
    return AUXILIARY + "init_" + predicate


def next_name(predicate: str) -> str:
    return AUXILIARY + "next_" + predicate


def delta_name(predicate: str) -> str:
    return AUXILIARY + "delta_" + predicate


def plan_fixpoints(lowered: Lowered) -> tuple:
    """(rules for pyDatalog, Fixpoints in dependency order, arities of every predicate)."""
    graph = lowered_graph(lowered)
    rules, fixpoints, arities = list(lowered.rules), [], dict(lowered.arities)
    for component in strongly_connected(graph):  # dependencies first
        if not is_recursive(component, graph):
            continue  # every recursive group needs its own loop (see Fixpoint)
        group_rules = [r for r in lowered.rules if r.head.predicate in component]
        rules = [r for r in rules if r.head.predicate not in component]
        for predicate in sorted(component):
            for name in (init_name, next_name, delta_name):
                arities[name(predicate)] = lowered.arities[predicate]
        for rule in group_rules:
            rules.extend(_step_rules(rule, component))
        fixpoints.append(Fixpoint(tuple(sorted(component))))
    return rules, fixpoints, arities


def _step_rules(rule: LRule, component: set) -> list:
    recursive = [i for i, lit in enumerate(rule.body)
                 if isinstance(lit, LAtom) and not lit.negated and lit.predicate in component]
    head = rule.head
    if not recursive:
        return [LRule(LAtom(init_name(head.predicate), head.args), rule.body, rule.origin)]
    steps = []
    for i in recursive:
        body = list(rule.body)
        body[i] = LAtom(delta_name(body[i].predicate), body[i].args)
        steps.append(LRule(LAtom(next_name(head.predicate), head.args), tuple(body), rule.origin))
    return steps

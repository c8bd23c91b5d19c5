"""Recursion that is only apparent: split a recursive group into its ground instances.

A policy often looks recursive at the level of predicates while no fact ever
depends on itself. In the bundled policy `eligible` and `insured_or_enrolling`
form a cycle, but only because `insured_or_enrolling :- eligible(P),
provides(P, enrolment)` reads the enrolment procedures, and the card
procedures read `insured_or_enrolling`: the enrolments never depend on a card.
Policylog takes real recursion through its own semi-naive rounds (see
compiler.Fixpoint), and every round is one more pyDatalog question that
recomputes everything below it (pyDatalog forgets its tables between
questions): most of the cost of an evaluation.

So before that, each recursive group is tried here. Static premises (the same
for every applicant, e.g. the catalogue's `provides`) are unfolded with their
facts, which makes the group's atoms ground; each ground atom becomes its own
0-ary predicate (`eligible(enroll_employee_medical_insurance)` ->
`X_inst9_eligible`) when a premise reads it; and if those instances form no
cycle, the group is no longer recursive and pyDatalog answers it in the same
question as everything else. Rules `eligible(enroll_employee_medical_insurance)
:- X_inst9_eligible` give the predicates back their original shape; instances
no premise reads keep their atom as the head. A group that is recursive among
its instances, or whose atoms stay non-ground, is left as it was (and goes
through the rounds).
"""
from __future__ import annotations

import itertools

from policy.engine.lowering import AUXILIARY, LAtom, LCompare, LFunction, Lowered, LRule, lowered_graph
from policy.analysis.graph import is_recursive, strongly_connected
from policy.values import same


def split_instances(lowered: Lowered, static: frozenset, static_rows, inputs) -> Lowered:
    """`lowered` with every apparently recursive group split into ground instances
    (`lowered` itself when there is none).

    `static` names the predicates no input reaches, the same for every
    applicant; only these are unfolded, with the rows `static_rows()` gives
    (called only when a group has static premises). A group with an input
    predicate (facts given at evaluation feed it) is left as it is.
    """
    static_rows = _LazyRows(static, static_rows)
    rules = list(lowered.rules)
    arities = dict(lowered.arities)
    graph = lowered_graph(lowered)
    changed = False
    for component in strongly_connected(graph):
        if not is_recursive(component, graph):
            continue
        if component & set(inputs) or component <= static:
            continue  # facts given at evaluation feed it / the same for every applicant
        group = [r for r in rules if r.head.predicate in component]
        split = _split_group(group, component, static_rows)
        if split is None:
            continue
        split_rules, names = split
        rules = [r for r in rules if r.head.predicate not in component] + split_rules
        arities.update({name: 0 for name in names.values()})
        changed = True
    if not changed:
        return lowered
    return Lowered(rules, list(lowered.aggregates), arities, dict(lowered.user_predicates))


def _split_group(group: list, component: set, static_rows: dict):
    """(the group's rules over ground instances, {(predicate, args): instance name}),
    or None when that does not remove the cycle."""
    unfolded = []
    for rule in group:
        instances = _unfold(rule, static_rows)
        if instances is None:
            return None
        unfolded.extend(instances)
    names, types = {}, {}
    for rule in unfolded:
        for atom in _group_atoms(rule, component):
            if any(kind != "const" for kind, _ in atom.args):
                return None  # not ground: the instances are not known before evaluation
            key = (atom.predicate, atom.args)
            if types.setdefault(key, _types(atom.args)) != _types(atom.args):
                return None  # 1 and 1.0 are one number to the engine: the union could not say which
            names.setdefault(key, f"{AUXILIARY}inst{len(names)}_{atom.predicate}")
    if _cyclic(unfolded, component, names):
        return None
    # Only instances that some premise reads need a name of their own; the others keep
    # their atom as the head (fewer rules for pyDatalog to go through).
    read = {(atom.predicate, atom.args) for rule in unfolded
            for atom in _group_atoms(rule, component)[1:]}
    names = {atom: name for atom, name in names.items() if atom in read}
    renamed = [_renamed(rule, component, names) for rule in unfolded]
    unions = [LRule(LAtom(predicate, args), (LAtom(name, ()),))
              for (predicate, args), name in names.items()]
    return renamed + unions, names


def _types(args: tuple) -> tuple:
    return tuple(type(value) for _, value in args)


class _LazyRows:
    """The static predicates' rows, evaluated on first use (most programs never need them)."""

    def __init__(self, names: frozenset, load):
        self.names, self.load, self.rows = names, load, None

    def __contains__(self, name) -> bool:
        return name in self.names

    def __getitem__(self, name) -> set:
        if self.rows is None:
            self.rows = self.load()
        return self.rows[name]


def _group_atoms(rule: LRule, component: set) -> list:
    body = [lit for lit in rule.body if isinstance(lit, LAtom) and lit.predicate in component]
    return [rule.head] + body


def _unfold(rule: LRule, static_rows: dict):
    """The rule once for every solution of its static positive premises, or None when a
    variable they bind is also used by a comparison or an aggregate (left as it is)."""
    static = [lit for lit in rule.body
              if isinstance(lit, LAtom) and not lit.negated and lit.predicate in static_rows]
    if not static:
        return [rule]
    bound = {arg[1] for lit in static for arg in lit.args if arg[0] == "var"}
    for literal in rule.body:
        if isinstance(literal, (LCompare, LFunction)) and bound & _variables(literal):
            return None
    rest = [lit for lit in rule.body if not any(lit is s for s in static)]
    return [LRule(_substituted(rule.head, binding), tuple(_substituted(l, binding) for l in rest),
                  rule.origin)
            for binding in static_solutions(static, static_rows)]


def static_solutions(atoms: list, static_rows) -> list:
    """Every binding of the atoms' variables that the static rows satisfy (a nested join)."""
    bindings = [{}]
    for atom in atoms:
        bindings = [extended for binding, row in itertools.product(bindings, static_rows[atom.predicate])
                    for extended in [_match(atom.args, row, binding)] if extended is not None]
    return bindings


def _match(args: tuple, row: tuple, binding: dict):
    extended = dict(binding)
    for (kind, value), actual in zip(args, row):
        if kind == "const":
            if not same(value, actual):
                return None
        elif not same(extended.setdefault(value, actual), actual):
            return None
    return extended


def _variables(literal) -> set:
    found = set()

    def walk(term):
        if term[0] == "var":
            found.add(term[1])
        elif term[0] == "op":
            walk(term[2])
            walk(term[3])

    if isinstance(literal, LCompare):
        walk(literal.left)
        walk(literal.right)
    else:
        for term in literal.keys + (literal.value,):
            walk(term)
    return found


def _substituted(literal, binding: dict):
    if not isinstance(literal, LAtom):
        return literal  # comparisons and aggregates use none of the unfolded variables
    args = tuple(("const", binding[a[1]]) if a[0] == "var" and a[1] in binding else a
                 for a in literal.args)
    return LAtom(literal.predicate, args, literal.negated)


def _cyclic(rules: list, component: set, names: dict) -> bool:
    graph = {}
    for rule in rules:
        head, *body = _group_atoms(rule, component)
        graph.setdefault(names[(head.predicate, head.args)], set()).update(
            names[(atom.predicate, atom.args)] for atom in body)
    return any(is_recursive(c, graph) for c in strongly_connected(graph))


def _renamed(rule: LRule, component: set, names: dict) -> LRule:
    def rename(literal):
        if isinstance(literal, LAtom) and (literal.predicate, literal.args) in names:
            return LAtom(names[(literal.predicate, literal.args)], (), literal.negated)
        return literal

    return LRule(rename(rule.head), tuple(rename(lit) for lit in rule.body), rule.origin)

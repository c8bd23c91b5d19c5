"""Which unknown facts decide a formula: the `missing_facts` of an undetermined procedure.

Two completions that differ only in fact f, and disagree on the formula: f decides. Read
from the diagrams with one quantification per fact (no enumeration of completions); an
open condition (engine/open_conditions.py) goes with every fact whose values it compares.
"""
from __future__ import annotations

from policy.decide.lineage_model import variable_owners


def deciding_facts(bdd, domains: dict, constraints: dict, formulas, owner=None) -> list:
    """The facts of `domains` (in their order) on which some formula depends: f such that
    two completions differing only in f disagree on it. With H = constraints & formula
    (the constraints of the facts in the formulas' support; the others hold apart):
    a fact without a constraint (yes/no, a set of rows) decides exactly when one of its
    variables is in H's support, as flipping a variable leaves the constraints true; a
    fact taking exactly one value decides exactly when H differs from its own constraint
    & (exists f. H), which is H made blind to f's value. `owner` maps each variable to
    its fact (made from `domains` when not given)."""
    if owner is None:
        owner = variable_owners(domains)
    support = set()
    for formula in formulas:
        support.update(bdd.support(formula))
    names = {name for v in support if v in owner for name in owner[v]}
    own = {name: list(domains[name].variables) for name in names}
    for v in support:  # an open condition goes with each fact whose values it compares
        facts = owner.get(v, ())
        if facts and v not in domains[facts[0]].variable_set:
            for name in facts:
                own[name].append(v)
    valid = bdd.true
    for name in names:
        if domains[name].exactly_one:
            valid &= constraints[name]
    found = set()
    for formula in formulas:
        holds = valid & formula
        if holds == bdd.false:
            continue
        held = {name for v in bdd.support(holds) for name in owner.get(v, ())}
        for name in names - found:
            if not domains[name].exactly_one:
                if name in held:
                    found.add(name)
            elif holds != constraints[name] & bdd.exist(own[name], holds):
                found.add(name)
    return [name for name in domains if name in found]

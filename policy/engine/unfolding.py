"""Rules a recursive component's member can follow to its own fixpoint through another member.

The DuckDB engine (duckdb_rounds.py) runs a member of a recursive component to its own
fixpoint in one recursive CTE, the other members held, when its rules read it at most
once. A two-member cycle such as

    reach(M) :- callgraph(I, M).
    callgraph(I, M) :- scall(I, M), inmethod(I, C), reach(C).

has no member that reads itself, so each step around it cost a whole round of every
member's statements (on the points-to analysis of benchmarks/points_to.py, the chains
of static calls took a round per call). Unfolding the premise `callgraph(I, M)` by the
rule for `callgraph` gives a rule of `reach` that reads `reach` once:

    reach(M) :- scall(I, M), inmethod(I, C), reach(C).

and `callgraph(I, M) :- scall(I, M), inmethod(I, C), callgraph(J, C)` likewise. Such
rules are consequences of the program (so they add no answer), and the engine uses
them only inside a member's own fixpoint; every rule of the program still runs in the
rounds, so they drop none either.

Only the plainest case is unfolded, where it costs little per step and is easy to see
right: a rule of X whose one premise of the component is Y (once, not negated), and a
rule of Y whose one premise of the component is X (once), whose head's arguments are
distinct variables, and neither rule computes a value or reads an aggregate.
"""
from __future__ import annotations

import itertools

from policy.engine.lowering import LAtom, LCompare, LRule


def unfolded_rules(rules: dict, components: list) -> dict:
    """{member: [derived rules reading it once]} for the members of `components` (sets of
    predicate names, each a recursive component of several members); `rules` maps a
    predicate to its lowered rules."""
    found = {}
    serial = itertools.count()
    for members in components:
        for name in sorted(members):
            for rule in rules.get(name, []):
                other = _only_member_premise(rule, members)
                if other is None or other[1].predicate == name:
                    continue
                index, atom = other
                for through in rules.get(atom.predicate, []):
                    back = _only_member_premise(through, members)
                    if back is None or back[1].predicate != name or not _plain_head(through):
                        continue
                    found.setdefault(name, []).append(
                        _unfold(rule, index, atom, through, f"\0u{next(serial)}_"))
    return found


def _only_member_premise(rule: LRule, members: set):
    """(index, atom) of the rule's one positive premise in `members`; None if it has none,
    several, a negated one, or anything but atoms and comparisons of plain terms."""
    found = None
    for index, literal in enumerate(rule.body):
        if isinstance(literal, LAtom):
            if literal.predicate not in members:
                continue
            if literal.negated or found is not None:
                return None
            found = (index, literal)
        elif not (isinstance(literal, LCompare) and _plain(literal.left)
                  and _plain(literal.right)):
            return None
    return found


def _plain(term) -> bool:
    return term[0] in ("var", "const")


def _plain_head(rule: LRule) -> bool:
    args = rule.head.args
    return (all(arg[0] == "var" for arg in args)
            and len({arg[1] for arg in args}) == len(args))


def _unfold(rule: LRule, index: int, atom: LAtom, through: LRule, prefix: str) -> LRule:
    """`rule` with its premise `atom` (at `index`) replaced by the body of `through`, whose
    head variables become the premise's arguments and whose other variables are renamed
    apart (`prefix`: a name no policy variable can have)."""
    mapping = {head[1]: arg for head, arg in zip(through.head.args, atom.args)}

    def term(t):
        if t[0] != "var":
            return t
        return mapping.get(t[1], ("var", prefix + t[1]))

    body = []
    for literal in through.body:
        if isinstance(literal, LAtom):
            body.append(LAtom(literal.predicate, tuple(term(a) for a in literal.args),
                              literal.negated))
        else:
            body.append(LCompare(literal.op, term(literal.left), term(literal.right)))
    return LRule(rule.head, rule.body[:index] + tuple(body) + rule.body[index + 1:],
                 rule.origin)

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

`held_unfolded_rules` unfolds where the other member reads the first one several times,
as the heap does in the points-to analysis:

    vpt(T, H) :- load(T, X, F), vpt(X, B), hpt(B, F, H).
    hpt(B, F, H) :- store(Y, F, V), vpt(Y, B), vpt(V, H).

give `vpt(T, H) :- load(T, X, F), vpt(X, B), store(Y, F, V), vpt(Y, B), vpt(V, H).`,
which reads `vpt` three times, so a step of the member's recursive CTE cannot follow it
as it is (the CTE holds only the last step's rows). It follows three copies instead, each
reading the step's rows at one of the places and the member's table as it was before the
statement (`HELD`) at the others: every row they give is in the model, and what they
miss (two rows made in the same statement meeting) the rounds still find, as every rule
of the program still runs there, reading each new row at every place. A value stored in
the heap is then loaded in the same statement, not a round of each member later (the
points-to analysis: 12 rounds to 7).
"""
from __future__ import annotations

import itertools

from policy.engine.lowering import LAtom, LCompare, LRule

HELD = "\0held"  # in a held unfolded rule: the member's table as it was before the statement


def unfolded_rules(rules: dict, components: list) -> dict:
    """{member: [derived rules reading it once]} for the members of `components` (sets of
    predicate names, each a recursive component of several members); `rules` maps a
    predicate to its lowered rules."""
    found = {}
    serial = itertools.count()
    for name, rule, (index, atom), through, members in _pairs(rules, components, _other):
        back = _only_member_premise(through, members)
        if back is not None and back[1].predicate == name:
            found.setdefault(name, []).append(
                _unfold(rule, index, atom, through, f"\0u{next(serial)}_"))
    return found


def held_unfolded_rules(rules: dict, components: list) -> dict:
    """{member: [derived rules reading it once, and the premise HELD elsewhere]}: a rule
    of the member whose premises of the component are the member itself (any number of
    times) and one other, unfolded by that other's rules whose premises of the component
    are the member twice or more (once is unfolded_rules' case); one copy per place the
    member is read, that place reading it and the others HELD."""
    found = {}
    serial = itertools.count()
    for name, rule, (index, atom), through, members in _pairs(rules, components, _one_other):
        back = _member_premises(through, members)
        if back is None or len(back) < 2 or any(a.predicate != name for _, a in back):
            continue
        unfolded = _unfold(rule, index, atom, through, f"\0h{next(serial)}_")
        came = range(index, index + len(through.body))
        found.setdefault(name, []).extend(_held_copies(unfolded, name, came))
    return found


def _pairs(rules: dict, components: list, premise):
    """(member, its rule, (index, atom) of the other member it reads as `premise` finds
    it, a rule of that other member with a plain head, the component) for every such."""
    for members in components:
        for name in sorted(members):
            for rule in rules.get(name, []):
                other = premise(rule, members, name)
                if other is None:
                    continue
                for through in rules.get(other[1].predicate, []):
                    if _plain_head(through):
                        yield name, rule, other, through, members


def _other(rule: LRule, members: set, name: str):
    """The rule's one premise in the component, if it is another member."""
    found = _only_member_premise(rule, members)
    return None if found is None or found[1].predicate == name else found


def _one_other(rule: LRule, members: set, name: str):
    """The rule's one premise of another member, whatever times it reads `name` itself."""
    others = [(i, atom) for i, atom in _member_premises(rule, members) or ()
              if atom.predicate != name]
    return others[0] if len(others) == 1 else None


def _held_copies(rule: LRule, name: str, came: range) -> list:
    """One copy of `rule` per premise `name` that the unfolding brought in (at `came`):
    that one kept, every other one read as HELD. A place the rule itself had needs no
    copy: reading the step's rows there is the rule itself, which the CTE follows, with
    the other member's table as it is (the copy cost a third more on the points-to
    analysis and saved no round)."""
    places = [i for i, lit in enumerate(rule.body)
              if isinstance(lit, LAtom) and lit.predicate == name]
    copies = []
    for kept in (i for i in places if i in came):
        body = tuple(LAtom(HELD, lit.args) if i in places and i != kept else lit
                     for i, lit in enumerate(rule.body))
        copies.append(LRule(rule.head, body, rule.origin))
    return copies


def _member_premises(rule: LRule, members: set):
    """[(index, atom)] of the rule's premises in `members`; None if one is negated or the
    body has anything but atoms and comparisons of plain terms."""
    found = []
    for index, literal in enumerate(rule.body):
        if isinstance(literal, LAtom):
            if literal.predicate in members:
                if literal.negated:
                    return None
                found.append((index, literal))
        elif not (isinstance(literal, LCompare) and _plain(literal.left)
                  and _plain(literal.right)):
            return None
    return found


def _only_member_premise(rule: LRule, members: set):
    """(index, atom) of the rule's one premise in `members`; None if it has none, several,
    a negated one, or anything but atoms and comparisons of plain terms."""
    found = _member_premises(rule, members)
    return found[0] if found and len(found) == 1 else None


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

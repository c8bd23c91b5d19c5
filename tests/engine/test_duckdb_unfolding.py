"""Rules derived by unfolding one member of a component through another (unfolding.py).

A member of a recursive component that reads no member but one other, which reads it
back, now runs to its own fixpoint through that other member (the chains of static
calls of the points-to analysis in one statement instead of a round per call). The
derived rules must add no answer and lose none: both engines give the same model on
programs where they apply, with constants, repeated variables, negation and
comparisons in the rules unfolded, and where they must not apply.
"""
from __future__ import annotations

import policy
from policy.engine.duckdb_seam import DuckEngine
from policy.engine.unfolding import unfolded_rules

CALLS = """input entry(m). input scall(i, m). input inmethod(i, m). input blocked(i).
input kind(i, k).
reach(M) :- entry(M).
reach(M) :- callgraph(I, M).
callgraph(I, M) :- scall(I, M), inmethod(I, C), reach(C), not blocked(I).
callgraph(I, I) :- kind(I, loop), inmethod(I, C), reach(C).
unreached(M) :- inmethod(_, M), not reach(M).
"""


def agree(text: str, facts: dict) -> dict:
    compiled = policy.compile_text(text)
    duckdb = compiled.evaluate(facts, engine="duckdb")
    assert duckdb == compiled.evaluate(facts, engine="pydatalog"), text
    return duckdb


def call_chain(n: int) -> dict:
    """Method k calls method k + 1 from call site 1000 + k; one site is blocked, so the
    methods past it are reached only through a second entry."""
    return {"entry": [(0,), (30,)],
            "scall": [(1000 + k, k + 1) for k in range(n)],
            "inmethod": [(1000 + k, k) for k in range(n)],
            "blocked": [(1010,)],
            "kind": [(1005, "loop"), (1020, "plain"), (1040, "loop")]}


def test_a_chain_of_calls_reaches_as_far_as_the_rounds_did():
    model = agree(CALLS, call_chain(60))
    reached = {m for (m,) in model["reach"]}
    assert set(range(11)) <= reached and 12 not in reached and 45 in reached
    assert (1005, 1005) in model["callgraph"] and (1040, 1040) in model["callgraph"]
    assert (15,) in model["unreached"] and (1010, 11) not in model["callgraph"]


def test_both_members_follow_the_other_in_their_own_fixpoint():
    compiled = policy.compile_text(CALLS)
    engine = DuckEngine(compiled.lowered)
    derived = engine._unfolded()
    assert {"reach", "callgraph"} <= set(derived)
    assert engine._fits_local("callgraph") and engine._fits_local("reach")
    reach = [str(r.body) for r in derived["reach"]]
    assert any("scall" in text and "'blocked'" in text for text in reach)


def test_constants_and_repeated_variables_in_the_premise_unfolded():
    """`a` reads `b(X, X, k)`: the head variables of `b`'s rule take a variable twice and a
    constant; its other variable `Y` is renamed apart from `a`'s own `Y`."""
    text = """input e(x, y). input f(x, y). input tag(x, t).
    a(X, Y) :- e(X, Y).
    a(X, Y) :- b(X, X, k), f(X, Y), X != 3.
    b(P, Q, T) :- a(P, Y), a(Q, Y), tag(P, T).
    b(P, Q, T) :- a(P, Y), e(Y, Q), tag(Q, T).
    """
    # `b`'s first rule reads `a` twice: only its second unfolds into `a`'s fixpoint
    facts = {"e": [(0, 1), (1, 0), (3, 4), (4, 3), (30, 31)],
             "f": [(i, i + 1) for i in range(40)] + [(3, 33)],
             "tag": [(i, "k") for i in range(0, 40)] + [(7, "j")]}
    model = agree(text, facts)
    engine = DuckEngine(policy.compile_text(text).lowered)
    assert [str(r.head.predicate) for r in engine._unfolded().get("a", [])] == ["a"]
    # b(X, X, k) for each X with a row of `a` (and tag k): `a` then takes X's rows of f,
    # except for X = 3; 2 has no row of `a`, so the chain of f stops there
    assert model["a"] - set(facts["e"]) == {(1, 2), (4, 5)}
    assert (3, 3, "k") in model["b"] and (2, 2, "k") not in model["b"]


def test_nothing_is_unfolded_through_a_member_read_twice_or_computing():
    text = """input e(x, y). input n(x).
    a(X) :- n(X).
    a(Y) :- b(X, Y).
    b(X, Y) :- a(X), e(X, Y), a(W), n(W).
    c(X) :- d(Y), X = Y + 1, X < 20.
    c(X) :- n(X).
    d(X) :- c(X).
    """
    compiled = policy.compile_text(text)
    members = [{"a", "b"}, {"c", "d"}]
    rules = {}
    for rule in compiled.lowered.rules:
        rules.setdefault(rule.head.predicate, []).append(rule)
    assert unfolded_rules(rules, members) == {}
    model = agree(text, {"e": [(i, i + 1) for i in range(10)], "n": [(0,), (1,)]})
    assert (19,) in model["c"] and (10,) in model["a"]


HEAP = """input alloc(v, h). input assign(t, f). input store(b, f, v). input load(t, b, f).
pt(V, H) :- alloc(V, H).
pt(T, H) :- assign(T, F), pt(F, H).
heap(B, F, H) :- store(X, F, Y), pt(X, B), pt(Y, H).
pt(T, H) :- load(T, X, F), pt(X, B), heap(B, F, H).
"""


def heap_chain(n: int) -> dict:
    """Variable k's value is stored in a field of object 1000 + k and loaded back from it
    into variable k + 1, through bases that point to that object only by a load too (so
    the aliases themselves come out of the heap); one store goes to a field no load reads."""
    facts = {"alloc": [(0, 1), (100, 2)], "assign": [], "store": [], "load": []}
    for k in range(n):
        base, other = 200 + k, 400 + k
        facts["alloc"].append((other, 1000 + k))
        facts["store"].append((other, "key", other))  # object 1000 + k holds itself at key
        facts["load"].append((base, other, "key"))  # so base points to it, by the heap
        facts["store"].append((base, "val", k))
        facts["load"].append((k + 1, other, "val"))
        facts["assign"].append((600 + k, k + 1))
    facts["store"].append((100, "unread", 0))
    return facts


def test_a_value_through_the_heap_follows_in_the_members_own_fixpoint():
    """`heap` reads `pt` twice, so `pt`'s load rule unfolds through it in two copies,
    each reading one place as the step's rows and the other as `pt` was (HELD)."""
    from policy.engine.unfolding import HELD

    model = agree(HEAP, heap_chain(25))
    assert (25, 1) in model["pt"] and (624, 1) in model["pt"]
    assert (2, "unread", 1) in model["heap"] and (1012, "val", 1) in model["heap"]
    engine = DuckEngine(policy.compile_text(HEAP).lowered)
    copies = engine._held_unfolded()["pt"]
    assert len(copies) == 2 and engine._fits_local("pt")
    for rule in copies:
        read = [lit.predicate for lit in rule.body if hasattr(lit, "predicate")]
        assert read.count("pt") == 1 and read.count(HELD) == 2 and "heap" not in read


def test_nothing_is_held_unfolded_through_arithmetic_one_reading_or_two_members():
    """Not held-unfolded: the other member's rule computes, or reads the member once (the
    plain unfolding's case), or the rule reads two other members; both engines agree."""
    computing = HEAP.replace("pt(Y, H).", "pt(Y, H), H < Y + 1010.")
    once = HEAP.replace("pt(Y, H).", "alloc(Y, H).")
    two = HEAP + "pt(T, H) :- load(T, X, F), heap(B, F, H), heap(X, F, B).\n"
    for text in (computing, once, two):
        engine = DuckEngine(policy.compile_text(text).lowered)
        held = engine._held_unfolded().get("pt", [])
        if text is two:
            assert len(held) == 2  # from the load rule only, not the rule reading heap twice
        else:
            assert held == []
        agree(text, heap_chain(12))

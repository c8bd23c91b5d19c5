"""The DuckDB engine's recursion, as it now runs, against pyDatalog.

Semi-naive rounds read each member's newest rows as the end of its own table (from the
row number it had before its last step; nothing read for a member with nothing new);
the linear recursive CTE keeps no DISTINCT per round. These programs reach those paths
(components of two and three members over long chains, a member that has nothing new
for rounds and then something, a rule reading two members of its component, facts
given for members, negation and aggregates in later strata over the recursive
results): both engines must give the same model.
"""
from __future__ import annotations

import policy


def agree(text: str, facts: dict) -> dict:
    compiled = policy.compile_text(text)
    duckdb = compiled.evaluate(facts, engine="duckdb")
    assert duckdb == compiled.evaluate(facts, engine="pydatalog"), text
    return duckdb


LATER_STRATA = """
unreached(X) :- node(X), not reached_any(X).
reached_any(Y) :- {name}(_, Y).
fanout(X, N) :- node(X), N = count : {{ {name}(X, _) }}.
"""


def test_two_members_over_a_long_chain_with_negation_and_counts_after():
    """An even number of members, each one's newest rows the end of its table."""
    text = """input node(x). input link(x, y).
    a(X, Y) :- link(X, Y).
    b(X, Z) :- a(X, Y), link(Y, Z).
    a(X, Z) :- b(X, Y), link(Y, Z).
    both(X, Y) :- a(X, Y), b(X, Y).
    ab(X, Y) :- a(X, Y).
    ab(X, Y) :- b(X, Y).
    """ + LATER_STRATA.format(name="ab")
    links = [(i, i + 1) for i in range(40)] + [(45, 46)]
    model = agree(text, {"node": [(i,) for i in range(47)], "link": links})
    assert (0, 40) in model["ab"] and (0, 2) in model["b"] and (0, 3) in model["a"]
    assert (0,) in model["unreached"] and (44,) in model["unreached"]
    assert (0, 40) in model["fanout"] and (45, 1) in model["fanout"]


def test_three_members_one_idle_for_rounds_then_busy():
    """`c` gets its first rows only when the chain reaches a marked node, rounds later:
    nothing is read of it before, and the rows it then gives are read."""
    text = """input start(x). input link(x, y). input mark(x). input node(x).
    a(X) :- start(X).
    a(Y) :- a(X), link(X, Y).
    a(Y) :- c(X, Y).
    c(X, Y) :- a(X), mark(X), b(X, Y).
    b(X, Y) :- link(Y, X), a(X).
    b(X, Y) :- c(Y, X).
    """ + LATER_STRATA.format(name="c")
    links = [(i, i + 1) for i in range(30)] + [(100, 30), (101, 100)]
    facts = {"start": [(0,)], "link": links, "mark": [(30,), (100,)],
             "node": [(i,) for i in range(31)] + [(100,), (101,)]}
    model = agree(text, facts)
    assert (101,) in model["a"] and (30, 100) in model["c"] and (100, 101) in model["c"]


def test_a_rule_reading_two_members_and_a_later_sum():
    text = """input e(x, y). input w(x, n: integer).
    p(X, Y) :- e(X, Y).
    q(X, Y) :- p(X, Y), w(Y, _).
    p(X, Z) :- p(X, Y), q(Y, Z).
    weight(X, S) :- w(X, _), S = sum N : { p(X, Y), w(Y, N) }.
    """
    edges = [(i, i + 1) for i in range(25)] + [(25, 0)]
    facts = {"e": edges, "w": [(i, i % 4) for i in range(0, 26, 2)]}
    model = agree(text, facts)
    assert len(model["p"]) > 26 and len(model["weight"]) == 13


def test_a_linear_recursion_with_several_steps_and_a_start_per_rule():
    """The linear CTE: two rules read the predicate, two start it; the CTE's UNION alone
    removes the duplicates two steps make of one row."""
    text = """input e(x, y). input f(x, y). input node(x).
    r(X, Y) :- e(X, Y).
    r(X, Y) :- f(Y, X).
    r(X, Z) :- r(X, Y), e(Y, Z).
    r(X, Z) :- r(X, Y), f(Z, Y).
    """ + LATER_STRATA.format(name="r")
    e = [(i, i + 1) for i in range(20)]
    f = [(i + 1, i) for i in range(0, 20, 3)]  # the same edges again, some of them
    model = agree(text, {"e": e, "f": f, "node": [(i,) for i in range(22)]})
    assert len(model["r"]) == 20 * 21 // 2 and (21,) in model["unreached"]


def test_a_member_run_to_its_own_fixpoint_reads_what_the_others_add_later():
    """`reach` reads itself once: each round it runs to its own end in one recursive CTE,
    `hop` held as it is. Edges of `hop` that appear only once a node is reached (and
    the jumps out of them) must still extend `reach` in the rounds after."""
    text = """input start(x). input link(x, y). input jump(x, y). input node(x).
    reach(X) :- start(X).
    reach(Y) :- reach(X), hop(X, Y).
    hop(X, Y) :- link(X, Y).
    hop(X, Y) :- reach(X), jump(X, Y).
    hop(Y, Z) :- hop(X, Y), jump(X, Z), link(Y, Z).
    far(X) :- node(X), not reach(X).
    fanout(X, N) :- node(X), N = count : { hop(X, _) }.
    """
    links = [(i, i + 1) for i in range(10)] + [(20 + i, 21 + i) for i in range(10)]
    jumps = [(10, 20), (30, 40), (5, 41)]
    facts = {"start": [(0,)], "link": links, "jump": jumps,
             "node": [(i,) for i in range(45)]}
    model = agree(text, facts)
    assert (30,) in model["reach"] and (40,) in model["reach"] and (41,) in model["reach"]
    assert (15,) in model["far"] and (5, 2) in model["fanout"]


def test_a_member_run_to_its_own_fixpoint_keeps_to_the_fact_limit():
    """The local fixpoint is one statement: it adds at most one row past the room left,
    and the evaluation stops there with the limit's error, as on pyDatalog."""
    import pytest

    from policy.limits import Limits, restore, using

    text = """input link(x, y). input start(x).
    reach(X, Y) :- start(X), link(X, Y).
    reach(X, Z) :- reach(X, Y), hop(Y, Z).
    hop(X, Y) :- link(X, Y), reach(_, X).
    """
    facts = {"start": [(i,) for i in range(30)], "link": [(i, i + 1) for i in range(60)]}
    compiled = policy.compile_text(text)
    assert len(compiled.evaluate(facts, ["reach"], engine="duckdb")["reach"]) > 900
    token = using(Limits(max_facts=400))
    try:
        for engine in ("duckdb", "pydatalog"):
            with pytest.raises(policy.PolicyError) as raised:
                compiled.evaluate(facts, engine=engine)
            assert raised.value.diagnostics[0].code == "limit_exceeded"
    finally:
        restore(token)


def test_rows_given_for_members_are_read_in_the_first_round():
    """A member's table may start with rows (the engine takes them for a derived
    predicate, as the lifted batch gives them): row numbers from 0, which the first
    round reads with what the first rules add; later rounds read only the end. The same
    as giving them through an input predicate and a rule."""
    from policy.engine.duckdb_seam import DuckEngine

    rules = """a(X, Z) :- b(X, Y), link(Y, Z).
    b(X, Z) :- a(X, Y), link(Y, Z).
    b(X, Y) :- link(X, Y), a(Y, _).
    """
    links = [(i, i + 1) for i in range(30)]
    given = {"a": [(0, 0), (50, 10)], "b": [(7, 20), (7, 7)]}
    through = agree("input link(x, y). input a0(x, y). input b0(x, y).\n"
                    "a(X, Y) :- a0(X, Y).\nb(X, Y) :- b0(X, Y).\n" + rules,
                    {"link": links, "a0": given["a"], "b0": given["b"]})
    engine = DuckEngine(policy.compile_text("input link(x, y).\n" + rules).lowered)
    direct = engine.evaluate({"link": links, **given}, ["a", "b"])
    assert direct == {"a": through["a"], "b": through["b"]}
    assert (50, 30) in through["a"] | through["b"] and (7, 30) in through["a"] | through["b"]

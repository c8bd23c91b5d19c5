"""The Python functions behind DuckDB's arithmetic and comparisons are made only when an
evaluation meets values that need them (duckdb_seam._with_functions, sql.STAND_INS).

Making them imports NumPy, which costs more than evaluating a small program, so a
connection starts with stand-ins that fail; the evaluation that meets them is run again
with the functions. Each case runs in a thread of its own, so on a connection of its own.
"""
from __future__ import annotations

import threading
from decimal import Decimal

import policy
from policy.engine import duckdb_seam

COMPARE = """input age(p, n: integer). input name(p, s: string).
adult(P) :- age(P, N), N >= 18.
next(P, M) :- age(P, N), M = N + 1.
early(P) :- name(P, S), S < "m".
"""


def in_a_thread(text: str, *runs: dict) -> tuple:
    """Each facts dict evaluated in turn on one new thread's connection: the models, and
    whether the connection had the Python functions after each."""
    compiled = policy.compile_text(text)
    models, made = [], []

    def work():
        for facts in runs:
            models.append(compiled.evaluate(facts, engine="duckdb"))
            made.append(getattr(duckdb_seam._LOCAL, "functions", None) is not None)
    thread = threading.Thread(target=work)
    thread.start()
    thread.join()
    assert len(models) == len(runs)
    for facts, model in zip(runs, models):
        assert model == compiled.evaluate(facts, engine="pydatalog")
    return models, made


def test_integers_need_no_python_functions_and_strings_make_them_once():
    ages = {"age": [("a", 17), ("b", 18), ("c", 40)], "name": []}
    names = {"age": [("a", 3)], "name": [("a", "lee"), ("b", "zhu")]}
    models, made = in_a_thread(COMPARE, ages, names, ages)
    assert made == [False, True, True]
    assert models[0]["adult"] == {("b",), ("c",)} and ("c", 41) in models[0]["next"]
    assert models[1]["early"] == {("a",)}


def test_a_division_and_decimals_are_right_on_the_first_evaluation():
    text = """input v(x, n: decimal).
    half(X, H) :- v(X, N), H = N / 2.
    big(X) :- v(X, N), N > 2.5.
    """
    facts = {"v": [("a", 5), ("b", Decimal("2.4")), ("c", 3)]}
    models, made = in_a_thread(text, facts)
    assert made == [True]
    halves = {("a", Decimal("2.5")), ("b", Decimal("1.2")), ("c", Decimal("1.5"))}
    assert models[0]["half"] == halves
    assert models[0]["big"] == {("a",), ("c",)}


def test_a_division_by_zero_is_still_an_evaluation_error_on_a_new_connection():
    import pytest

    compiled = policy.compile_text("input v(n: integer).\nw(Y) :- v(X), Y = 1 / X.\n")
    failures = []

    def work():
        with pytest.raises(policy.PolicyError) as raised:
            compiled.evaluate({"v": [(0,)]}, engine="duckdb")
        failures.append(raised.value.diagnostics[0].message)
    thread = threading.Thread(target=work)
    thread.start()
    thread.join()
    assert failures and "division by zero" in failures[0]


CLOSURE = """input edge(a, b).
path(X, Y) :- edge(X, Y).
path(X, Z) :- path(X, Y), edge(Y, Z), X != Z.
"""


def test_the_macros_are_made_only_for_a_program_that_calls_them():
    """A closure (`!=` is plain SQL) leaves a new connection without sql.MACROS; the
    comparisons and sums evaluated next on that connection make them, and both
    programs agree with pyDatalog."""
    closure = policy.compile_text(CLOSURE)
    compare = policy.compile_text(COMPARE)
    edges = {"edge": [(1, 2), (2, 3), (3, 1), (3, 4)]}
    ages = {"age": [("a", 17), ("b", 18)], "name": []}
    seen = []

    def work():
        seen.append(closure.evaluate(edges, engine="duckdb"))
        seen.append(duckdb_seam._LOCAL.macros)
        seen.append(compare.evaluate(ages, engine="duckdb"))
        seen.append(duckdb_seam._LOCAL.macros is duckdb_seam._LOCAL.connection)
        seen.append(closure.evaluate(edges, engine="duckdb"))
    thread = threading.Thread(target=work)
    thread.start()
    thread.join()
    first, macros_after_closure, model, macros_after_compare, again = seen
    assert macros_after_closure is None and macros_after_compare is True
    assert first == again == closure.evaluate(edges, engine="pydatalog")
    assert model == compare.evaluate(ages, engine="pydatalog")
    assert model["next"] == {("a", 18), ("b", 19)}


def test_which_rules_call_the_macros():
    from policy.engine.sql import uses_macros

    def rules(text):
        return policy.compile_text(text).lowered.rules
    assert not uses_macros(rules(CLOSURE))
    assert not uses_macros(rules("input p(x).\nq(X) :- p(X), not r(X), X = 3.\nr(1).\n"))
    assert uses_macros(rules("input p(n: integer).\nq(X) :- p(X), X > 3.\n"))
    assert uses_macros(rules("input p(n: integer).\nq(Y) :- p(X), Y = X * 2.\n"))
    assert uses_macros(rules("input p(n: integer).\nq(X + 1) :- p(X).\n"))

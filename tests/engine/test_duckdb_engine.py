"""The DuckDB engine against the pyDatalog engine: the same program, the same answer.

The programs are the property tests' random stratified programs (recursion,
mutual recursion, negation, comparisons, aggregates, constants) and
conformance cases written out (dates, decimals, booleans, arithmetic). Answers
are compared with their types, so `1`, `true` and `"1"` must stay apart.
"""
from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from hypothesis import given

import policy
from policy.values import TRUE
from hypothesis import HealthCheck, settings

from tests.engine.test_properties import EXPLORE, cases, reference_evaluate, render

# Fewer examples than the pyDatalog properties (each DuckDB evaluation is some statements of
# about a millisecond); POLICYLOG_PROPERTY_EXAMPLES explores more, as there.
PROPERTY = settings(max_examples=EXPLORE or 10, derandomize=not EXPLORE, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def kind(value) -> str:
    """The value's kind; integers and decimals are one kind, numbers (values.py: 1 = 1.0)."""
    return "number" if type(value) in (int, Decimal) else type(value).__name__


def typed(model: dict) -> dict:
    """Every value with its kind, so that values of two kinds never compare equal here."""
    return {name: {tuple((kind(v), v) for v in row) for row in rows}
            for name, rows in model.items()}


def assert_engines_agree(text: str, facts: dict) -> dict:
    compiled = policy.compile_text(text)
    expected = compiled.evaluate(facts, engine="pydatalog")
    actual = compiled.evaluate(facts, engine="duckdb")
    assert typed(actual) == typed(expected), text
    return actual


@PROPERTY
@given(cases())
def test_duckdb_agrees_with_the_reference_on_stratified_programs(case):
    program, fact_list = case
    compiled = policy.compile_text(render(program))
    for facts in fact_list:
        expected = reference_evaluate(program, facts)
        actual = compiled.evaluate(facts, engine="duckdb")
        assert typed({p: actual[p] for p in expected}) == typed(expected), render(program)


@PROPERTY
@given(cases(aggregates=True))
def test_duckdb_agrees_with_the_reference_with_aggregates(case):
    program, fact_list = case
    compiled = policy.compile_text(render(program))
    for facts in fact_list:
        expected = reference_evaluate(program, facts)
        actual = compiled.evaluate(facts, engine="duckdb")
        assert typed({p: actual[p] for p in expected}) == typed(expected), render(program)


CLOSURE = """
input edge(a, b).
path(X, Y) :- edge(X, Y).
path(X, Z) :- path(X, Y), edge(Y, Z).
"""


def test_transitive_closure_on_a_cycle_and_a_chain():
    edges = [(1, 2), (2, 3), (3, 1), (3, 4), ("a", "b"), ("b", "c")]
    model = assert_engines_agree(CLOSURE, {"edge": edges})
    assert (4, 4) not in model["path"] and (1, 1) in model["path"] and ("a", "c") in model["path"]
    assert len(model["path"]) == 3 * 4 + 3


def test_nonlinear_and_mutual_recursion():
    text = """
    input e(a, b).
    p(X, Y) :- e(X, Y).
    p(X, Z) :- p(X, Y), p(Y, Z).
    odd(X, Y) :- e(X, Y).
    odd(X, Z) :- even(X, Y), e(Y, Z).
    even(X, Z) :- odd(X, Y), e(Y, Z).
    """
    chain = [(i, i + 1) for i in range(12)]
    model = assert_engines_agree(text, {"e": chain})
    assert len(model["p"]) == 12 * 13 // 2
    assert (0, 2) in model["even"] and (0, 2) not in model["odd"]


def test_negation_with_anonymous_variables_and_zero_arity():
    text = """
    input node(x). input edge(a, b).
    reach(X) :- edge(start, X).
    reach(Y) :- reach(X), edge(X, Y).
    cut(X) :- node(X), not reach(X), not edge(X, _).
    anything :- cut(_).
    nothing :- node(X), not node(X).
    """
    facts = {"node": [("start",), ("a",), ("b",), ("z",)], "edge": [("start", "a"), ("a", "b")]}
    model = assert_engines_agree(text, facts)
    assert model["cut"] == {("z",)} and model["anything"] == {()} and model["nothing"] == set()


def test_aggregates_with_empty_groups_and_decimals():
    text = """
    input pay(p, m, amount).
    input person(p).
    total(P, S) :- person(P), S = sum A : { pay(P, _, A) }.
    months(P, N) :- person(P), N = count : { pay(P, _, _) }.
    top(P, A) :- person(P), A = max X : { pay(P, _, X) }.
    least(A) :- A = min X : { pay(_, _, X) }.
    """
    facts = {"person": [("li",), ("wang",), ("zhao",)],
             "pay": [("li", 1, Decimal("0.1")), ("li", 2, Decimal("0.2")), ("wang", 1, 5),
                     ("wang", 2, 5)]}
    model = assert_engines_agree(text, facts)
    assert ("li", Decimal("0.3")) in model["total"] and ("zhao", 0) in model["total"]
    assert ("wang", 10) in model["total"] and ("zhao", 0) in model["months"]


def test_dates_arithmetic_and_comparisons():
    text = """
    input born(p, d: date).
    input today(d: date).
    adult(P) :- born(P, B), today(T), T - B >= 6570.
    due(P, D) :- born(P, B), D = B + 30.
    older(P, Q) :- born(P, A), born(Q, B), A < B.
    """
    facts = {"born": [("li", datetime.date(2000, 1, 31)), ("wang", datetime.date(2015, 6, 1))],
             "today": [(datetime.date(2026, 1, 1),)]}
    model = assert_engines_agree(text, facts)
    assert model["adult"] == {("li",)} and ("li", datetime.date(2000, 3, 1)) in model["due"]
    assert model["older"] == {("li", "wang")}


def test_booleans_integers_and_strings_stay_apart():
    text = """
    input flag(x). input number(x). input word(x).
    one(X) :- flag(X), X = 1.
    one(X) :- word(X), X = 1.
    one(X) :- number(X), X = 1.
    yes(X) :- number(X), X = true.
    yes(X) :- flag(X), X = true.
    same(X) :- flag(X), number(X).
    """
    facts = {"flag": [(True,)], "number": [(1,)], "word": [("1",)]}
    model = policy.compile_text(text).evaluate(facts, engine="duckdb")
    assert typed(model)["one"] == {(("number", 1),)}
    assert typed(model)["yes"] == {(("Truth", TRUE),)}
    assert model["same"] == set()


def test_arithmetic_in_sql_and_in_python_agree():
    text = """
    input v(x).
    r(X, Y) :- v(X), Y = X * 3 - 1.
    half(X, Y) :- v(X), X > 0, X < 1000, Y = X / 2.
    big(Y) :- v(X), Y = X * 100000000000000000000.
    """
    facts = {"v": [(4,), (-7,), (Decimal("2.5"),), (10**30,)]}
    assert_engines_agree(text, facts)


def test_a_division_by_zero_is_an_evaluation_error():
    compiled = policy.compile_text("input v(x). r(Y) :- v(X), Y = 1 / X.")
    with pytest.raises(policy.EvaluationError):
        compiled.evaluate({"v": [(0,)]}, engine="duckdb")


def test_runaway_recursion_stops_at_the_fact_limit():
    from policy.limits import Limits, restore, using

    compiled = policy.compile_text("input s(x). n(X) :- s(X). n(Y) :- n(X), Y = X + 1.")
    token = using(Limits(max_facts=500))
    try:
        with pytest.raises(policy.PolicyError) as raised:
            compiled.evaluate({"s": [(0,)]}, engine="duckdb")
    finally:
        restore(token)
    assert raised.value.diagnostics[0].code == "limit_exceeded"


def test_a_cross_product_stops_one_fact_past_the_limit_on_both_engines(run, tmp_path):
    """Not at its end: each statement adds at most one row more than there is room for."""
    facts = tmp_path / "p.yaml"
    facts.write_text("p:\n" + "".join(f"  - [{i}]\n" for i in range(60)))
    rules = tmp_path / "cross.pl"
    rules.write_text("input p(x).\nbig(X, Y, Z) :- p(X), p(Y), p(Z).\n")
    for engine in ("duckdb", "pydatalog"):
        result = run("eval", rules, "--facts", facts, "--max-facts", "1000", "--engine", engine)
        assert result.exit_code == 2 and result.stdout == ""
        assert "holds 1,001 facts, more than the limit of 1,000" in result.stderr


def test_strings_that_look_like_sql_are_only_values():
    text = "input name(x). greet(X) :- name(X), X != \"'; DROP TABLE t0; --\"."
    hostile = [("'; DROP TABLE t0; --",), ("Robert'); --",), ("$1",)]
    model = assert_engines_agree(text, {"name": hostile})
    assert model["greet"] == {("Robert'); --",), ("$1",)}


def test_the_bundled_policy_gives_the_same_model_on_both_engines():
    compiled = policy.load_policy()
    facts = {name: rows for name, rows in compiled.static_model.items()
             if name in compiled.program.inputs and name not in compiled.program.rules_by_head}
    assert typed(compiled.evaluate(facts, engine="duckdb")) == typed(compiled.evaluate(facts))


def test_auto_picks_duckdb_for_many_facts_and_sooner_for_recursion(run, tmp_path):
    from policy.engine.compiled import auto_engine

    closure, join = policy.compile_text(CLOSURE), policy.compile_text(
        "input a(x, y). input b(y, z). j(X, Z) :- a(X, Y), b(Y, Z).")
    chain = {"edge": [(i, i + 1) for i in range(100)]}
    assert auto_engine(closure, chain) == "duckdb"
    assert auto_engine(closure, {"edge": chain["edge"][:99]}) == "pydatalog"
    assert auto_engine(join, {"a": [(i, i) for i in range(600)], "b": [(1, 2)] * 399}) == "pydatalog"
    assert auto_engine(join, {"a": [(i, i) for i in range(600)], "b": [(i, 2) for i in range(400)]}) \
        == "duckdb"
    facts = tmp_path / "chain.json"
    facts.write_text('{"edge": [' + ", ".join(f"[{i}, {i + 1}]" for i in range(120)) + "]}")
    rules = tmp_path / "closure.pl"
    rules.write_text(CLOSURE)
    outputs = {engine: run("eval", rules, "path(3, X)", "--facts", facts, "--engine", engine)
               for engine in ("auto", "duckdb", "pydatalog")}
    assert outputs["auto"].stdout == outputs["duckdb"].stdout == outputs["pydatalog"].stdout
    assert outputs["auto"].stdout.count("\n") == 117

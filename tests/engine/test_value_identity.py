"""Booleans are not numbers: `true` and 1, `false` and 0 stay apart everywhere.

pyDatalog keys facts by the values themselves and Python has `True == 1`, so
the value model (policy/values.py) gives booleans and dates their own types.
These tests follow one policy through the engine, aggregates, queries,
explanations and relevance keys.
"""
from __future__ import annotations

import datetime
import json
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

import policy
from policy.decide.answers import answer, parse_query
from policy.decide.matching import Model, unify
from policy.decide.proofs import HOLDS, Explainer
from policy.tools.relevance import SituationKeys
from policy.values import FALSE, TRUE, Day, order_key, same, to_engine, to_python, type_of

MIXED = ("input p(x).\np(1). p(true). p(0). p(false).\n"
         "derived n(c). n(N) :- N = count : { p(X) }.\n"
         "derived t(x). t(X) :- p(X), X = true.\n"
         "derived o(x). o(X) :- p(X), X = 1.\n"
         "derived z(x). z(X) :- p(X), X = 0.\n"
         "derived f(x). f(X) :- p(X), X = false.\n")


def test_one_and_true_are_two_facts_and_count_two():
    model = policy.compile_text("p(1). p(true).\nderived n(c). n(N) :- N = count : { p(X) }.\n") \
        .evaluate({})
    assert model["n"] == {(2,)}
    assert model["p"] == {(1,), (TRUE,)}


def test_comparisons_tell_booleans_from_numbers():
    model = policy.compile_text(MIXED).evaluate({})
    assert model["n"] == {(4,)}
    assert model["t"] == {(TRUE,)} and model["o"] == {(1,)}
    assert model["f"] == {(FALSE,)} and model["z"] == {(0,)}


def test_facts_given_as_python_booleans_stay_booleans():
    compiled = policy.compile_text("input p(x).\nderived n(c). n(N) :- N = count : { p(X) }.\n"
                                   "derived one(x). one(X) :- p(X), X = 1.\n")
    model = compiled.evaluate({"p": [(True,), (1,), (False,), (0,)]})
    assert model["n"] == {(4,)} and model["one"] == {(1,)}
    assert {type(v) for (v,) in model["p"]} == {int, type(TRUE)}


def test_a_rule_constant_true_does_not_match_a_fact_one():
    compiled = policy.compile_text("input flag(x).\nderived yes. yes :- flag(true).\n")
    assert compiled.evaluate({"flag": [(1,)]})["yes"] == set()
    assert compiled.evaluate({"flag": [(True,)]})["yes"] == {()}


def test_query_answers_keep_them_apart():
    model = policy.compile_text(MIXED).evaluate({})
    assert answer(parse_query("p(true)"), model["p"]) == [{}]
    assert answer(parse_query("p(X)"), {(1,)}) == [{"X": 1}]
    assert answer(parse_query("p(true)"), {(1,)}) == []
    assert answer(parse_query("p(1)"), {(TRUE,)}) == []
    assert answer(parse_query("p(0)"), {(FALSE,)}) == []


def test_eval_prints_both_and_json_has_true_and_1(run, tmp_path):
    rules = tmp_path / "mixed.pl"
    rules.write_text(MIXED)
    result = run("eval", rules, "p(X)")
    assert result.exit_code == 0
    assert result.stdout.split("\n")[:4] == ["X = false", "X = true", "X = 0", "X = 1"]
    result = run("eval", rules, "--format", "json")
    predicates = json.loads(result.stdout)["predicates"]
    assert predicates["t"] == [[True]] and predicates["o"] == [[1]] and predicates["n"] == [[4]]


def test_eval_with_facts_file_counts_a_yaml_true_apart_from_1(run, tmp_path):
    rules = tmp_path / "count.pl"
    rules.write_text("input p(x).\nderived n(c). n(N) :- N = count : { p(X) }.\n")
    facts = tmp_path / "facts.yaml"
    facts.write_text("p: [true, 1, false, 0, 1]\n")
    result = run("eval", rules, "n(N)", "--facts", facts)
    assert result.exit_code == 0 and result.stdout.strip() == "N = 4"


def test_matching_in_explanations_keeps_them_apart():
    compiled = policy.compile_text(MIXED)
    model = compiled.evaluate({})
    rows = Model.from_python(model)
    atom = parse_query("p(X)")
    assert unify(parse_query("p(true)"), (1,), {}) is None
    assert unify(parse_query("p(1)"), (TRUE,), {}) is None
    assert sorted(rows.matches(atom, {}), key=lambda b: order_key(b["X"])) == [
        {"X": FALSE}, {"X": TRUE}, {"X": 0}, {"X": 1}]
    explainer = Explainer(compiled, model, model)
    proof = explainer.why("o", (1,))[0]
    assert proof.bindings == {"X": 1} and type(proof.bindings["X"]) is int
    attempts = explainer.why_not("o", (TRUE,))
    assert [c.status for c in attempts[0].conditions] == [HOLDS, "false"]


def test_relevance_keys_tell_one_from_true():
    compiled = policy.compile_text("input p(x).\nderived g(x). g(X) :- p(X).\n")
    keys = SituationKeys(compiled, ["g"])
    assert keys.key({"p": {(1,)}}) != keys.key({"p": {(True,)}})
    assert keys.key({"p": {(0,)}}) != keys.key({"p": {(False,)}})
    assert keys.key({"p": {(True,)}}) == keys.key({"p": {(TRUE,)}})


def test_ground_units_on_a_boolean_are_judged_apart():
    compiled = policy.compile_text("input a(x).\nderived g(x).\ng(true) :- a(1).\ng(1) :- a(true).\n")
    keys = SituationKeys(compiled, ["g"])
    assert sorted(keys.units, key=repr) == [("g", (1,)), ("g", (TRUE,))]
    model = compiled.evaluate({"a": [(1,)]})
    assert model["g"] == {(TRUE,)}


def test_dates_are_not_their_day_numbers():
    day = to_engine(datetime.date(2026, 1, 1))
    model = policy.compile_text(f"p(2026-01-01). p({day.ordinal}).\n"
                                "derived n(c). n(N) :- N = count : { p(X) }.\n").evaluate({})
    assert model["n"] == {(2,)}
    assert day != day.ordinal and not same(day, day.ordinal) and not same(datetime.date(2026, 1, 1),
                                                                          day.ordinal)


def test_equal_numbers_of_two_kinds_are_one_number():
    model = policy.compile_text("p(1). p(1.0).\nderived n(c). n(N) :- N = count : { p(X) }.\n") \
        .evaluate({})
    assert model["n"] == {(1,)}
    assert same(1, Decimal("1.0")) and not same(1, True) and not same(0, False)


def test_the_order_puts_kinds_apart_and_numbers_by_value():
    values = ["b", 10, TRUE, Decimal("9.5"), Day.of(datetime.date(2026, 1, 1)), FALSE, 2, "a"]
    assert sorted(values, key=order_key) == [
        FALSE, TRUE, 2, Decimal("9.5"), 10, Day.of(datetime.date(2026, 1, 1)), "a", "b"]


VALUES = st.one_of(
    st.booleans(),
    st.integers(min_value=-10**12, max_value=10**12),
    st.decimals(allow_nan=False, allow_infinity=False, places=6,
                min_value=Decimal(-10**6), max_value=Decimal(10**6)),
    st.dates(min_value=datetime.date(1900, 1, 1), max_value=datetime.date(2100, 1, 1)),
    st.text(max_size=8),
)
ROUND_TRIP = ("input v(x).\nderived w(x). w(X) :- v(X).\n"
              "derived n(c). n(N) :- N = count : { v(X) }.\n")


@settings(max_examples=25, deadline=None)
@given(st.lists(VALUES, max_size=6))
def test_values_come_back_from_the_engine_with_their_kind_and_equality(values):
    model = policy.compile_text(ROUND_TRIP).evaluate({"v": [(v,) for v in values]})
    distinct = {to_engine(v) for v in values}
    assert model["n"] == {(len(distinct),)}
    back = {to_engine(v) for (v,) in model["w"]}
    assert back == distinct
    for value in values:
        found = [w for (w,) in model["w"] if same(w, value)]
        assert len(found) == 1
        assert type_of(to_engine(found[0])) == type_of(value) or \
            {type_of(to_engine(found[0])), type_of(value)} == {"integer", "decimal"}
        if isinstance(value, bool):
            assert found[0] is (TRUE if value else FALSE) and bool(found[0]) is value
        elif isinstance(value, (datetime.date, str)):
            assert type(found[0]) is type(value) and found[0] == value

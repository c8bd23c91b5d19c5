"""Evaluation on pyDatalog: recursion, negation, dates, aggregates, isolation."""
from __future__ import annotations

import datetime
import threading
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal
from pathlib import Path

import pytest

import policy

FIXTURES = Path(__file__).parents[1] / "fixtures"
GRAPH = (FIXTURES / "graph.pl").read_text()


def test_transitive_closure_over_a_thousand_nodes():
    compiled = policy.compile_text(GRAPH)
    edges = [(child, child // 2) for child in range(1, 1000)]  # a binary tree, child -> parent
    model = compiled.evaluate({"edge": edges}, ["path"])
    paths = model["path"]
    assert (999, 0) in paths and (999, 499) in paths and (1, 0) in paths
    assert (0, 1) not in paths
    expected = sum(child.bit_length() for child in range(1, 1000))  # ancestors of each node
    assert len(paths) == expected


def test_stratified_negation_over_a_recursive_predicate():
    compiled = policy.compile_text(GRAPH)
    model = compiled.evaluate({"edge": [("a", "b"), ("b", "c")], "node": ["a", "b", "c", "d"],
                               "start": ["a"]})
    assert model["reach"] == {("a",), ("b",), ("c",)}
    assert model["unreachable"] == {("d",)}


def test_every_predicate_is_in_the_answer_even_without_facts():
    model = policy.compile_text(GRAPH).evaluate({})
    assert set(model) == {"edge", "node", "start", "path", "reach", "unreachable"}
    assert all(rows == set() for rows in model.values())


def test_date_comparisons_and_arithmetic():
    compiled = policy.compile_text(
        "input left(p, on: date).\nderived late(p). derived due(p, d). derived days(p, n).\n"
        "late(P) :- left(P, D), D < 2020-01-01.\n"
        "due(P, E) :- left(P, D), E = D + 30.\n"
        "days(P, N) :- left(P, D), N = 2026-01-01 - D.\n"
    )
    model = compiled.evaluate({"left": [("li", datetime.date(2019, 12, 31)),
                                        ("wang", datetime.date(2025, 12, 2))]})
    assert model["late"] == {("li",)}
    assert ("wang", datetime.date(2026, 1, 1)) in model["due"]
    assert ("li", 2193) in model["days"] and ("wang", 30) in model["days"]


def test_aggregates_count_sum_min_max():
    compiled = policy.compile_text(
        "input person(p). input child(p, c). input pay(p, month, amount: decimal).\n"
        "derived kids(p, n). derived paid(p, s). derived lowest(p, m). derived highest(p, m).\n"
        "kids(P, N) :- person(P), N = count : { child(P, _) }.\n"
        "paid(P, S) :- person(P), S = sum A : { pay(P, _, A) }.\n"
        "lowest(P, M) :- person(P), M = min A : { pay(P, _, A) }.\n"
        "highest(P, M) :- person(P), M = max A : { pay(P, _, A) }.\n"
    )
    model = compiled.evaluate({
        "person": ["li", "wang"],
        "child": [("li", "a"), ("li", "b")],
        "pay": [("li", 1, 100), ("li", 2, 100), ("li", 3, Decimal("50.5"))],
    })
    assert model["kids"] == {("li", 2), ("wang", 0)}
    assert model["paid"] == {("li", Decimal("250.5")), ("wang", 0)}
    assert model["lowest"] == {("li", Decimal("50.5"))}
    assert model["highest"] == {("li", 100)}


def test_unicode_strings_and_reserved_looking_names():
    compiled = policy.compile_text(
        'derived class(x). derived lambda(x).\n'
        'len_("北京市 海淀区"). sum_("X.y"). format_(employee).\n'
        'class(X) :- len_(X). class(X) :- sum_(X). lambda(X) :- format_(X), X = "employee".\n'
    )
    model = compiled.evaluate({})
    assert model["class"] == {("北京市 海淀区",), ("X.y",)}
    assert model["lambda"] == {("employee",)}


def test_a_policy_of_several_files(tmp_path):
    (tmp_path / "b_rules.pl").write_text("derived ok.\nok :- employee, wage(W), W > 0.\n")
    (tmp_path / "a_schema.pl").write_text("input employee.\ninput wage(amount: integer).\n")
    (tmp_path / "notes.txt").write_text("this is not a rule file")
    compiled = policy.load_policy(tmp_path)
    assert [Path(f).name for f in compiled.program.files] == ["a_schema.pl", "b_rules.pl"]
    assert compiled.evaluate({"employee": [()], "wage": [1]})["ok"] == {()}
    assert compiled.evaluate({"employee": [()]})["ok"] == set()


def test_evaluations_never_see_each_others_facts():
    compiled = policy.compile_text(GRAPH)
    first = compiled.evaluate({"start": ["a"], "edge": [("a", "b")]})
    second = compiled.evaluate({"start": ["x"]})
    assert first["reach"] == {("a",), ("b",)}
    assert second["reach"] == {("x",)}
    assert second["edge"] == set()


def test_two_policies_in_one_thread_stay_apart():
    one = policy.compile_text("input p(x). derived q(x). q(X) :- p(X).")
    two = policy.compile_text("input p(x). derived q(x). q(X) :- p(X), X > 1.")
    assert one.evaluate({"p": [1, 2]})["q"] == {(1,), (2,)}
    assert two.evaluate({"p": [1, 2]})["q"] == {(2,)}
    assert one.evaluate({"p": [1]})["q"] == {(1,)}


def test_concurrent_evaluations_agree_with_evaluations_run_alone():
    compiled = policy.compile_text(GRAPH)
    cases = [{"start": [i], "edge": [(j, j + 1) for j in range(i, i + 5)]} for i in range(40)]
    alone = [compiled.evaluate(case) for case in cases]
    barrier = threading.Barrier(8)

    def run(index):
        if index < 8:
            barrier.wait()
        return compiled.evaluate(cases[index])

    with ThreadPoolExecutor(max_workers=8) as pool:
        together = list(pool.map(run, range(len(cases))))
    assert together == alone


def test_bad_facts_raise_facts_error_with_every_problem():
    compiled = policy.compile_text("input age(p, years: integer). derived x(p). x(P) :- age(P, _).")
    with pytest.raises(policy.FactsError) as raised:
        compiled.evaluate({"age": [("li", "old"), ("wang",)], "agee": [("x", 1)], "x": ["y"]})
    messages = [d.message for d in raised.value.diagnostics]
    assert len(messages) == 4
    assert any("did you mean 'age'" in m for m in messages)
    assert any("takes 2 value(s)" in m for m in messages)
    assert any("is derived" in m for m in messages)
    assert all(d.code == "facts_error" for d in raised.value.diagnostics)


def test_non_finite_numbers_are_refused():
    compiled = policy.compile_text("input w(x). derived y(x). y(X) :- w(X).")
    with pytest.raises(policy.FactsError):
        compiled.evaluate({"w": [float("nan")]})


def test_division_by_zero_is_an_evaluation_error():
    compiled = policy.compile_text("input w(x). derived y(x). y(Z) :- w(X), Z = 10 / X.")
    assert compiled.evaluate({"w": [4]})["y"] == {(Decimal("2.5"),)}
    with pytest.raises(policy.EvaluationError) as raised:
        compiled.evaluate({"w": [0, 5]})
    assert raised.value.code == "evaluation_error"
    assert "ZeroDivisionError" in raised.value.message
    assert compiled.evaluate({"w": [2]})["y"] == {(5,)}


def test_a_discarded_policy_releases_its_engine():
    import gc

    from policy.engine import pydatalog_seam as engine

    gc.collect()
    held = len(engine._LOCAL.logics)  # policies other tests keep alive (module-level ones)
    for _ in range(20):
        policy.compile_text("input p(x). derived q(x). q(X) :- p(X).").evaluate({"p": [1]})
    gc.collect()
    assert len(engine._LOCAL.logics) <= held + 1


def test_a_fact_the_policy_states_survives_an_evaluation_that_gives_it_too():
    """Giving (or leaving open) a fact the policy itself states must not retract the policy's
    own copy when the evaluation's facts are taken back."""
    from policy.tools.batch import plan_statuses

    compiled = policy.compile_text(
        "input f(v: enum(a, b)).\nf(a).\nprocedure(p, must).\neligible(p) :- f(a).\n")
    for facts in ({"f": {("b",)}}, {}, {"f": {("a",)}}, {"f": {("b",)}}):
        assert plan_statuses(compiled, facts) == {"p": "applies"}
    assert compiled.evaluate({"f": [("a",)]})["eligible"] == {("p",)}
    assert compiled.evaluate({"f": [("b",)]})["eligible"] == {("p",)}

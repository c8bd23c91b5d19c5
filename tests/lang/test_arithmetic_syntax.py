"""Negative constants, and arithmetic in rule heads and atom arguments (as Souffle and clingo).

Arithmetic in an argument is lowered to the comparisons every engine has
(engine/lowering.py), the safety check knows it binds nothing, explanations
match it, and `fmt` writes it back as it reads.
"""
from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import policy
from policy.decide.matching import Model, rule_instances
from policy.decide.proofs import Explainer
from policy.lang import ast
from policy.lang.formatter import format_text
from policy.lang.parser import parse_text
from policy.lang.printer import expr_text


def _model(text: str, facts=None) -> dict:
    return policy.compile_text(text).evaluate(facts or {})


def _head(text: str):
    statements, problems = parse_text(text)
    assert problems == []
    return statements[0].head


def test_head_arithmetic_as_in_souffle():
    model = _model("p(1). p(2). q(10). q(20).\ntotal(X, Y, X + Y) :- p(X), q(Y).\n")
    assert model["total"] == {(1, 10, 11), (1, 20, 21), (2, 10, 12), (2, 20, 22)}


def test_arithmetic_in_a_fact_is_left_associative():
    assert _model("r(1 - 2 - 3).\n")["r"] == {(-4,)}
    assert _model("r(2 * 3 - 4 / 2).\n")["r"] == {(Decimal(4),)}
    assert _model("r(1 - (2 - 3)).\n")["r"] == {(2,)}
    assert _model("r(8 / 2 / 2).\n")["r"] == {(2,)}


def test_negative_constants_in_facts_rules_and_facts_files(run, tmp_path):
    model = _model("s(-1). s(-2.5). s(- 3).\nneg(X) :- s(X), X < -2.\nzero(X) :- s(X), X + 1 = 0.\n")
    assert model["s"] == {(-1,), (Decimal("-2.5"),), (-3,)}
    assert model["neg"] == {(Decimal("-2.5"),), (-3,)}
    assert model["zero"] == {(-1,)}
    assert _head("s(-1).").args[0] == ast.Constant(-1, None)
    rules = tmp_path / "neg.pl"
    rules.write_text("input t(x: integer).\nderived below(x). below(X) :- t(X), X < -5.\n")
    facts = tmp_path / "facts.yaml"
    facts.write_text("t: [-10, -5, 3]\n")
    result = run("eval", rules, "below(X)", "--facts", facts)
    assert result.exit_code == 0 and result.stdout.strip() == "X = -10"
    assert run("eval", rules, "below(-10)", "--facts", facts).stdout.strip() == "yes"


def test_arithmetic_in_a_premise_checks_but_does_not_bind():
    text = ("p(1). p(2). p(4).\nnext(X) :- p(X), p(X + 1).\nlone(X) :- p(X), not p(X + 1).\n"
            "before(Y) :- p(Y + 1), p(Y).\n")
    model = _model(text)
    assert model["next"] == {(1,)}
    assert model["lone"] == {(2,), (4,)}
    assert model["before"] == {(1,)}


def test_the_safety_check_knows_arithmetic_in_an_argument_binds_nothing(run, tmp_path):
    path = tmp_path / "unsafe.pl"
    path.write_text("p(1).\nq(2).\nbad(X) :- p(Y), q(X + 1).\nh(X + Y) :- p(X).\n"
                    "w(X) :- p(X), not p(_ + 1).\nok(X) :- q(X + 1), p(X).\n")
    result = run("check", path)
    assert result.exit_code == 1
    errors = [line for line in result.stdout.splitlines() if ": error: " in line]
    assert errors == [
        f"{path}:3:5: error: unsafe_variable: variable 'X' appears in the head but no positive body"
        " atom binds it",
        f"{path}:3:19: error: unsafe_variable: variable 'X' is used in arithmetic in an atom's"
        " argument, which does not bind it, and no other positive atom binds it",
        f"{path}:4:7: error: unsafe_variable: variable 'Y' appears in the head but no positive body"
        " atom binds it",
        f"{path}:5:21: error: unsafe_variable: variable '_' stands in arithmetic, where it has no"
        " value",
    ]


def test_a_variable_bound_by_the_same_atom_may_be_used_in_its_arithmetic():
    assert _model("e(1, 2). e(2, 5). e(3, 4).\nstep(X) :- e(X, X + 1).\n")["step"] == {(1,), (3,)}


def test_group_variable_bound_outside_an_aggregate_and_compared_inside():
    text = ("b(1). b(2). b(3). b(9).\na(1). a(2). a(3). a(4).\n"
            "g(K, S) :- b(K), S = sum X : { a(X), X > K }.\n"
            "c(K, N) :- b(K), N = count : { a(X), X > K }.\n"
            "m(K, M) :- b(K), M = max X : { a(X), X < K }.\n")
    model = _model(text)
    assert model["g"] == {(1, 9), (2, 7), (3, 4), (9, 0)}
    assert model["c"] == {(1, 3), (2, 2), (3, 1), (9, 0)}
    assert model["m"] == {(2, 1), (3, 2), (9, 4)}


def test_group_variable_through_an_assignment_and_a_negation_outside(run, tmp_path):
    path = tmp_path / "groups.pl"
    path.write_text("b(1). b(2). x(2).\na(1). a(2). a(3). a(4).\n"
                    "g(K, S) :- b(J), K = J + 1, not x(J), S = sum X : { a(X), X > K }.\n")
    assert run("check", path).exit_code == 0
    assert _model(path.read_text())["g"] == {(2, 7)}


def test_a_group_variable_nothing_outside_binds_is_still_unsafe(run, tmp_path):
    path = tmp_path / "unsafe_group.pl"
    path.write_text("a(1).\ng(K, S) :- S = sum X : { a(X), X > K }.\n")
    result = run("check", path)
    assert result.exit_code == 1 and "unsafe_variable: variable 'K'" in result.stdout


def test_explanations_match_arithmetic_in_heads_and_premises():
    compiled = policy.compile_text("p(1). p(2). q(10).\ntotal(X, Y, X + Y) :- p(X), q(Y).\n"
                                   "next(X) :- p(X), p(X + 1).\n")
    model = compiled.evaluate({})
    rows = Model.from_python(model)
    total = compiled.program.rules_by_head["total"][0]
    assert list(rule_instances(total, (2, 10, 12), rows)) == [{"X": 2, "Y": 10}]
    assert list(rule_instances(total, (2, 10, 13), rows)) == []
    explainer = Explainer(compiled, model, model)
    proof = explainer.why("next", (1,))[0]
    assert [child.row for child in proof.children] == [(1,), (2,)]
    assert explainer.why("total", (1, 10, 11))[0].bindings == {"X": 1, "Y": 10}


def test_a_query_with_arithmetic_is_refused_cleanly(run, tmp_path):
    path = tmp_path / "q.pl"
    path.write_text("p(2).\n")
    result = run("eval", path, "p(1 + 1)")
    assert result.exit_code == 2 and "query_error" in result.stderr


def test_an_aggregate_in_an_argument_is_a_syntax_error(run, tmp_path):
    path = tmp_path / "agg.pl"
    path.write_text("q(1).\np(count : { q(X) }).\n")
    result = run("check", path)
    assert result.exit_code in (1, 2) and f"{path}:2:3: error: syntax_error" in result.stdout


ROUND_TRIPS = [
    "r(1 - 2 - 3).",
    "r(1 - (2 - 3)).",
    "r(-1, -2.5, 2 * -3).",
    "total(X, Y, X + Y) :-\n    p(X),\n    q(Y).",
    "next(X) :-\n    p(X),\n    p(X + 1),\n    not p(X - 1).",
    "x(A) :-\n    p(A),\n    A - (A - 1) > -(A + 1) * 2,\n    A * A / 2 = A * (A / 2).",
]


@pytest.mark.parametrize("text", ROUND_TRIPS)
def test_fmt_writes_the_new_syntax_back_as_written(text):
    assert format_text(text + "\n") == text + "\n"


def test_fmt_on_a_file(run, tmp_path):
    path = tmp_path / "messy.pl"
    path.write_text("r( 1-2 -3 ).\ns(- 1).\ntotal(X,Y,X+Y):-p(X),q(Y).\np(1). q(2).\n")
    assert run("fmt", path).exit_code == 0
    assert path.read_text() == ("r(1 - 2 - 3).\ns(-1).\ntotal(X, Y, X + Y) :-\n    p(X),\n"
                                "    q(Y).\np(1).\nq(2).\n")
    assert _model(path.read_text())["r"] == {(-4,)}


LEAVES = st.one_of(st.integers(min_value=-50, max_value=50).map(lambda n: ast.Constant(n, None)),
                   st.sampled_from(["X", "Y"]).map(lambda name: ast.Variable(name, None)))


def _expressions():
    return st.recursive(LEAVES, lambda inner: st.one_of(
        st.builds(lambda op, l, r: ast.BinaryOp(op, l, r, None), st.sampled_from("+-*"), inner, inner),
        st.builds(lambda e: ast.Negative(e, None), inner.filter(lambda e: not isinstance(e, ast.Constant)))),
        max_leaves=6)


@settings(max_examples=60, deadline=None)
@given(_expressions())
def test_printed_expressions_parse_back_to_the_same_tree(expr):
    text = f"r(X, Y, {expr_text(expr)}) :- p(X), p(Y)."
    assert _head(text).args[2] == expr

"""Date arithmetic is only date +/- integer and date - date; anything else is a type_error.

`check` reports it at the expression's file:line:col; the engine refuses the
same operations at run time (values.Day), so no rule ever yields a number of
internal days.
"""
from __future__ import annotations

import datetime

import pytest

import policy
from policy.errors import PolicyCheckError
from policy.analysis.types import DATE_RULE

HEAD = ("input left(p, on: date).\ninput n(p, k: integer).\ninput amount(p, a: decimal).\n"
        "input name(p, s: string).\ninput flag(p, b: boolean).\nderived r(p, x).\n")


def _check(run, tmp_path, rule: str):
    path = tmp_path / "dates.pl"
    path.write_text(HEAD + rule + "\n")
    return path, run("check", path)


@pytest.mark.parametrize("rule, column, message", [
    ("r(P, E) :- left(P, D), E = D + D.", 28, "'+' on a date and a date"),
    ("r(P, E) :- left(P, D), E = D * 2.", 28, "'*' on a date and an integer"),
    ("r(P, E) :- left(P, D), E = 2 * D.", 28, "'*' on an integer and a date"),
    ("r(P, E) :- left(P, D), E = D / 7.", 28, "'/' on a date and an integer"),
    ("r(P, E) :- left(P, D), E = D + 1.5.", 28, "'+' on a date and a decimal"),
    ("r(P, E) :- left(P, D), E = 30 - D.", 28, "'-' on an integer and a date"),
    ("r(P, E) :- left(P, D), amount(P, A), E = D + A.", 42, "'+' on a date and a decimal"),
    ("r(P, E) :- left(P, D), E = -D.", 28, "'-' on a date"),
    ("r(P, E) :- left(P, D), E = (D - 2026-01-01) + D + D.", 28, "'+' on a date and a date"),
])
def test_date_arithmetic_other_than_plus_minus_integer_is_a_type_error(run, tmp_path, rule, column,
                                                                        message):
    path, result = _check(run, tmp_path, rule)
    assert result.exit_code == 1
    assert f"{path}:7:{column}: error: type_error: {message}: {DATE_RULE}" in result.stdout


@pytest.mark.parametrize("rule, column", [
    ("r(P, D) :- left(P, D), D < 20.", 24),
    ("r(P, D) :- left(P, D), D = 739617.", 24),
    ("r(P, D) :- left(P, D), n(P, K), D >= K.", 33),
    ("r(P, E) :- left(P, D), E = D - 2026-01-01, E > 2026-01-01.", 44),
    ("r(P, E) :- left(P, D), E = D + 30, E != 5.", 36),
])
def test_a_date_compared_with_a_number_is_a_type_error(run, tmp_path, rule, column):
    path, result = _check(run, tmp_path, rule)
    assert result.exit_code == 1
    assert f"{path}:7:{column}: error: type_error: compares a" in result.stdout
    assert "date" in result.stdout and "number" in result.stdout


@pytest.mark.parametrize("rule", [
    "r(P, E) :- left(P, D), E = D + 30.",
    "r(P, E) :- left(P, D), E = 30 + D.",
    "r(P, E) :- left(P, D), E = D - 30.",
    "r(P, E) :- left(P, D), n(P, K), E = D + K * 7.",
    "r(P, N) :- left(P, D), N = 2026-01-01 - D, N > 365.",
    "r(P, E) :- left(P, D), E = D + (2026-01-01 - D) - 1, E < 2027-01-01.",
    "r(P, D) :- left(P, D), D >= 2020-01-01.",
])
def test_the_date_arithmetic_that_means_something_is_accepted(run, tmp_path, rule):
    path, result = _check(run, tmp_path, rule)
    assert result.exit_code == 0, result.stdout


@pytest.mark.parametrize("rule, message", [
    ("r(P, E) :- name(P, S), E = S + 1.", "'+' on a string: arithmetic needs numbers"),
    ("r(P, E) :- flag(P, B), E = B * 2.", "'*' on a boolean: arithmetic needs numbers"),
    ("r(P, E) :- flag(P, B), n(P, K), B = K.", "compares a boolean with a number"),
    ("r(P, S) :- n(P, _), S = sum D : { left(P, D) }.", "'sum' of a date: a sum needs numbers"),
])
def test_arithmetic_on_strings_booleans_and_sums_of_dates(run, tmp_path, rule, message):
    path, result = _check(run, tmp_path, rule)
    assert result.exit_code == 1 and f"type_error: {message}" in result.stdout


def test_every_type_error_of_a_file_is_reported_at_once(run, tmp_path):
    path = tmp_path / "many.pl"
    path.write_text(HEAD + "r(P, E) :- left(P, D), E = D + D.\nr(P, E) :- left(P, D), E = D * D.\n"
                    "r(P, D) :- left(P, D), D > 3.\n")
    result = run("check", path)
    assert [line.split(": ")[0] for line in result.stdout.splitlines() if ": type_error: " in line] == [
        f"{path}:7:28", f"{path}:8:28", f"{path}:9:24"]


def test_a_head_argument_written_as_date_arithmetic_is_checked_against_its_declaration(run, tmp_path):
    path = tmp_path / "head.pl"
    path.write_text("input left(p, on: date).\nderived due(p, d: date).\nderived gap(p, n: integer).\n"
                    "due(P, D + 30) :- left(P, D).\ngap(P, D + 30) :- left(P, D).\n")
    result = run("check", path)
    assert result.exit_code == 1
    assert f"{path}:5:8: error: type_error: 'gap' argument 'n': a date, not an integer" in result.stdout
    assert ":4:" not in result.stdout


def test_undeclared_dates_fail_cleanly_at_run_time_never_as_day_numbers(run, tmp_path):
    for rule in ("q(X) :- p(D), X = D * 2.", "q(X) :- p(D), X = D + D.", "q(D) :- p(D), D < 5.",
                 "q(X) :- p(D), X = -D."):
        path = tmp_path / "untyped.pl"
        path.write_text("p(2026-01-01).\n" + rule + "\n")
        result = run("eval", path)
        assert result.exit_code == 2, (rule, result.stdout)
        assert "evaluation_error" in result.stderr and "'date'" in result.stderr
        assert "Traceback" not in result.stderr and "739" not in result.stdout


def test_date_arithmetic_in_the_engine():
    compiled = policy.compile_text(HEAD + "r(P, E) :- left(P, D), E = D + 30.\n"
                                   "derived gap(p, n). gap(P, N) :- left(P, D), N = 2026-01-01 - D.\n")
    model = compiled.evaluate({"left": [("li", datetime.date(2025, 12, 2))]})
    assert model["r"] == {("li", datetime.date(2026, 1, 1))}
    assert model["gap"] == {("li", 30)} and type(next(iter(model["gap"]))[1]) is int
    with pytest.raises(PolicyCheckError):
        policy.compile_text(HEAD + "r(P, E) :- left(P, D), E = D * 2.\n")


def test_a_date_equal_to_its_day_number_is_not_the_same_value():
    compiled = policy.compile_text("p(2026-01-01).\nq(D) :- p(D), D = 739617.\n")
    assert compiled.evaluate({})["q"] == set()

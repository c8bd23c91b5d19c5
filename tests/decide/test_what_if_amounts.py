""""Would apply if" when two unknown amounts meet in one condition: the search's regions
are cut where the condition changes once the other amount is given or kept (before:
"no change of at most 3 facts makes it apply" though age >= 18 and savings > 1200 would),
and each suggested range is checked against `query` at values inside and just outside it."""
from __future__ import annotations

import json

import pytest
import yaml

POLICY = """\
@description(en: "Age")
input age(years: integer).
@description(en: "Savings")
input savings(amount: decimal).
@description(en: "Debt")
input debt(amount: decimal).
derived eligible(p: enum(small_loan)).
eligible(small_loan) :- age(A), A >= 18, savings(S), debt(D), S - D * 2 > 1000.
procedure(small_loan, may).
derived procedure(p: enum(small_loan), modality: enum(must, may, option)).
"""


@pytest.fixture
def policy(tmp_path):
    path = tmp_path / "loan.pl"
    path.write_text(POLICY, encoding="utf-8")
    return path


def suggestions(run, tmp_path, policy, facts: dict) -> list:
    applicant = tmp_path / "applicant.yaml"
    applicant.write_text(yaml.safe_dump({"applicant": "Ann", **facts}), encoding="utf-8")
    result = run("explain", applicant, "small_loan", "--policy", policy, "--format", "json")
    assert result.exit_code == 0, result.output
    return [sorted((c["fact"], c.get("condition")) for c in s)
            for s in json.loads(result.stdout)["would_apply_if"]]


def status_with(run, tmp_path, policy, facts: dict) -> str:
    applicant = tmp_path / "check.yaml"
    applicant.write_text(yaml.safe_dump({"applicant": "Ann", **facts}), encoding="utf-8")
    result = run("query", applicant, "--policy", policy, "--all", "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)["procedures"][0]["status"]


@pytest.mark.parametrize("given, expected, inside, outside", [
    ({"debt": 100}, [("age", ">= 18"), ("savings", "> 1200")],
     {"age": 18, "savings": 1200.01}, {"age": 18, "savings": 1200}),
    ({"age": 16, "debt": 100}, [("age", ">= 18"), ("savings", "> 1200")],
     {"age": 40, "savings": 9000}, {"age": 17, "savings": 9000}),
    ({"savings": 1000}, [("age", ">= 18"), ("debt", "< 0")],
     {"age": 18, "debt": -10000}, {"age": 18, "debt": 0}),
])
def test_a_suggestion_names_the_range_where_the_other_amount_makes_it_apply(
        run, tmp_path, policy, given, expected, inside, outside):
    assert suggestions(run, tmp_path, policy, given) == [expected]
    assert status_with(run, tmp_path, policy, {**given, **inside}) == "applies"
    assert status_with(run, tmp_path, policy, {**given, **outside}) != "applies"


def test_with_nothing_given_every_suggestion_applies_at_its_ranges_ends(run, tmp_path, policy):
    """Three changes each; every range is checked at a value of it (its bound when closed,
    else just inside)."""
    found = suggestions(run, tmp_path, policy, {})
    assert found and all(len(s) == 3 for s in found)
    for suggestion in found:
        facts = {name: _inside(condition) for name, condition in suggestion}
        assert status_with(run, tmp_path, policy, facts) == "applies", suggestion


def _inside(condition: str):
    """A value satisfying a condition such as `>= 18`, `< -499` or `> -499 and < 0`."""
    bounds = [part.split() for part in condition.split(" and ")]
    low = max((float(v) + (op == ">") * 0.25 for op, v in bounds if op in (">", ">=")),
              default=None)
    high = min((float(v) - (op == "<") * 0.25 for op, v in bounds if op in ("<", "<=")),
               default=None)
    for op, v in bounds:
        if op == "=":
            return float(v) if "." in v else int(v)
    value = low if low is not None else high
    return int(value) if float(value).is_integer() else value

""""Decided by" ranges with several unknown amounts (decide/range_status.py): each range
exact for all its values, cut where a condition changes, also once another unknown
amount is eliminated; checked against `query` with a value of the range given."""
from __future__ import annotations

import json

import pytest
import yaml

POLICY = """\
@description(en: "Price")
input price(p: decimal).
@description(en: "Discount")
input discount(d: decimal).
@description(en: "Left on")
input left(on: date).
@description(en: "Returned on")
input returned(on: date).
derived eligible(p: enum(refund, visa)).
eligible(refund) :- price(P), discount(D), P - D > 100, P * 2 < 301.
eligible(visa) :- left(L), returned(R), R > L, L + 10 < 2026-01-01.
procedure(refund, may).
procedure(visa, may).
derived procedure(p: enum(refund, visa), modality: enum(must, may, option)).
"""


@pytest.fixture
def policy(tmp_path):
    path = tmp_path / "policy.pl"
    path.write_text(POLICY, encoding="utf-8")
    return path


def decided_by(run, tmp_path, policy, procedure) -> dict:
    applicant = tmp_path / "nobody.yaml"
    applicant.write_text("applicant: x\n", encoding="utf-8")
    result = run("explain", applicant, procedure, "--policy", policy, "--format", "json")
    assert result.exit_code == 0, result.output
    return {d["fact"]: [(g["condition"], g["status"]) for g in d["values"]]
            for d in json.loads(result.stdout)["decided_by"]}


def status_with(run, tmp_path, policy, procedure, fact, value) -> str:
    applicant = tmp_path / "one.yaml"
    applicant.write_text(yaml.safe_dump({"applicant": "x", fact: value}), encoding="utf-8")
    result = run("query", applicant, "--policy", policy, "--all", "--format", "json")
    assert result.exit_code == 0, result.output
    return {p["id"]: p["status"] for p in json.loads(result.stdout)["procedures"]}[procedure]


def test_a_decimal_range_is_cut_where_another_amount_eliminated_meets_it(run, tmp_path, policy):
    """P - D > 100 and P * 2 < 301 can both hold only for a discount below 50.5, a value no
    constant names (before: `< 100 or > 100 and < 301: undetermined`)."""
    found = decided_by(run, tmp_path, policy, "refund")
    assert found["discount"] == [("< 50.5", "undetermined"), (">= 50.5", "not_applicable")]
    assert found["price"] == [("< 150.5", "undetermined"), (">= 150.5", "not_applicable")]
    for value, expected in ((50.49, "undetermined"), (50.5, "not_applicable"),
                            (100, "not_applicable"), (200, "not_applicable"), (-7, "undetermined")):
        assert status_with(run, tmp_path, policy, "refund", "discount", value) == expected, value


def test_a_date_range_is_cut_at_the_day_a_condition_changes(run, tmp_path, policy):
    found = decided_by(run, tmp_path, policy, "visa")
    assert found["left"] == [("<= 2025-12-21", "undetermined"), (">= 2025-12-22", "not_applicable")]
    assert found["returned"] == [("any value", "undetermined")]
    assert status_with(run, tmp_path, policy, "visa", "left", "2025-12-21") == "undetermined"
    assert status_with(run, tmp_path, policy, "visa", "left", "2025-12-22") == "not_applicable"

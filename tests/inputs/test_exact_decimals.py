"""Decimals read from YAML, JSON, JSONL and CSV keep every digit written.

YAML would read `2.5000000000000000000001` as the float 2.5; documents.py reads
the scalar's text as a Decimal instead, and JSON output writes it back exactly.
"""
from __future__ import annotations

import json
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from policy.inputs.documents import load_document, mapping_items, scalar, sequence_items
from policy.inputs.rows import read_rows
from policy.inputs.applicant import fact_schema, load_applicant
from policy.views.render import dumps, json_value
import policy

ABOVE = ("input p(x: decimal).\nderived above(x). above(X) :- p(X), X > 2.5.\n"
         "derived equal(x). equal(X) :- p(X), X = 2.5.\n")
VALUES = ["2.5000000000000000000001", "2.5", "2.4999999999999999999999"]


def _values(path):
    root, file = load_document(path)
    return {key: [scalar(item, file) for item in sequence_items(node)]
            for key, node in mapping_items(root, file, "a facts file")}


@pytest.mark.parametrize("suffix, text", [
    (".yaml", "p: [" + ", ".join(VALUES) + "]\n"),
    (".json", json.dumps({"p": "@"}).replace('"@"', "[" + ", ".join(VALUES) + "]")),
])
def test_documents_read_decimals_from_their_text(tmp_path, suffix, text):
    path = tmp_path / ("facts" + suffix)
    path.write_text(text)
    assert _values(path) == {"p": [Decimal(v) for v in VALUES]}


@pytest.mark.parametrize("suffix, text", [
    (".yaml", "p: [" + ", ".join(VALUES) + "]\n"),
    (".json", '{"p": [' + ", ".join(VALUES) + "]}"),
])
def test_a_decimal_just_above_two_and_a_half_is_above_it(run, tmp_path, suffix, text):
    rules = tmp_path / "above.pl"
    rules.write_text(ABOVE)
    facts = tmp_path / ("facts" + suffix)
    facts.write_text(text)
    result = run("eval", rules, "above(X)", "--facts", facts)
    assert result.exit_code == 0
    assert result.stdout.strip() == "X = 2.5000000000000000000001"
    result = run("eval", rules, "equal(X)", "--facts", facts)
    assert result.stdout.strip() == "X = 2.5"


def test_json_output_writes_every_digit(run, tmp_path):
    rules = tmp_path / "above.pl"
    rules.write_text(ABOVE)
    facts = tmp_path / "facts.yaml"
    facts.write_text("p: [2.5000000000000000000001, 0.1]\n")
    result = run("eval", rules, "p(X)", "--facts", facts, "--format", "json")
    answers = json.loads(result.stdout, parse_float=Decimal)["answers"]
    assert [a["X"] for a in answers] == [Decimal("0.1"), Decimal("2.5000000000000000000001")]


def test_yaml_spellings_of_numbers(tmp_path):
    path = tmp_path / "spellings.yaml"
    path.write_text('p: [1_000.25, 1.5e3, 1e5, -0.0000000000000000000001, "2.5", 7]\n')
    assert _values(path)["p"] == [Decimal("1000.25"), Decimal("1.5e3"), Decimal("1e5"),
                                  Decimal("-1E-22"), "2.5", 7]


def test_infinity_and_nan_are_refused_with_their_line(run, tmp_path):
    rules = tmp_path / "above.pl"
    rules.write_text(ABOVE)
    for text in ("p:\n  - 1.5\n  - .inf\n", "p:\n  - 1.5\n  - .nan\n"):
        facts = tmp_path / "facts.yaml"
        facts.write_text(text)
        result = run("eval", rules, "--facts", facts)
        assert result.exit_code == 2
        assert "facts.yaml:3" in result.stderr and "not a finite number" in result.stderr
        assert "Traceback" not in result.stderr


def test_applicant_files_keep_decimals_exact(tmp_path):
    compiled = policy.compile_text("input income(amount: decimal).\n"
                                   "derived high. high :- income(X), X > 2.5.\n")
    path = tmp_path / "applicant.yaml"
    path.write_text("applicant: li\nincome: 2.5000000000000000000001\n")
    applicant = load_applicant(path, fact_schema(compiled.program))
    assert applicant.facts["income"] == {(Decimal("2.5000000000000000000001"),)}
    assert compiled.evaluate(applicant.facts)["high"] == {()}


def test_jsonl_and_csv_rows_keep_decimals_exact(tmp_path):
    compiled = policy.compile_text("input income(amount: decimal).\n")
    schema = fact_schema(compiled.program)
    jsonl = tmp_path / "rows.jsonl"
    jsonl.write_text('{"applicant": "li", "income": 2.5000000000000000000001}\n')
    csv = tmp_path / "rows.csv"
    csv.write_text("applicant,income\nli,2.5000000000000000000001\n")
    for path, kind in ((jsonl, "jsonl"), (csv, "csv")):
        (row,) = list(read_rows(path, kind, schema))
        assert row.values["income"] == Decimal("2.5000000000000000000001")


@settings(max_examples=50, deadline=None)
@given(st.decimals(allow_nan=False, allow_infinity=False))
def test_json_value_and_dumps_round_trip_any_finite_decimal(number):
    text = dumps({"x": json_value(number)})
    assert json.loads(text, parse_float=Decimal, parse_int=Decimal)["x"] == number


def test_a_decimal_beyond_float_range_is_an_ordinary_exact_value(run, tmp_path):
    rules = tmp_path / "above.pl"
    rules.write_text(ABOVE)
    facts = tmp_path / "facts.yaml"
    facts.write_text("p: [1.0e+400]\n")
    result = run("eval", rules, "above(X)", "--facts", facts)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.strip() == "X = 1" + "0" * 400


@pytest.mark.parametrize("value", ["1e+999999999", "1e-5000"])
def test_a_decimal_with_a_huge_exponent_is_refused_at_its_line(run, tmp_path, value):
    rules = tmp_path / "above.pl"
    rules.write_text(ABOVE)
    facts = tmp_path / "facts.yaml"
    facts.write_text(f"p:\n  - 1.5\n  - {value}\n")
    result = run("eval", rules, "--facts", facts)
    assert result.exit_code == 2 and "Traceback" not in result.stderr
    assert f"{facts}:3" in result.stderr and "too large or too small" in result.stderr


def test_division_is_decimal_not_binary_float(run, tmp_path):
    model = policy.compile_text("r(1 / 3).\nr(X) :- X = 1 / 4.\ns(X) :- r(Y), X = Y * 3.\n"
                                "t(X) :- X = 0.1 + 0.2, X = 0.3.\n").evaluate({})
    assert model["r"] == {(Decimal(1) / Decimal(3),), (Decimal("0.25"),)}
    assert (Decimal("0.9999999999999999999999999999"),) in model["s"]
    assert model["t"] == {(Decimal("0.3"),)}
    rules = tmp_path / "zero.pl"
    rules.write_text("input n(x: integer).\nderived q(x). q(X) :- n(N), X = 1 / N.\n")
    facts = tmp_path / "facts.yaml"
    facts.write_text("n: [0]\n")
    result = run("eval", rules, "--facts", facts)
    assert result.exit_code == 2 and "division by zero" in result.stderr
    assert "Traceback" not in result.stderr

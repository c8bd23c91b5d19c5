"""No tracebacks, ever: lone surrogates, raw bytes that are not UTF-8 and JSON nested
100,000 deep, in rules, facts, applicant files, scenarios and batch rows.

Every file-level problem is one diagnostic naming the file (exit 2, or 1 from `check`);
in a batch, a bad row becomes an error record and every other row still comes out.
Unwritable output paths are in test_output_files.py.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures"
MINI = FIXTURES / "mini_policy.pl"
GRAPH = FIXTURES / "graph.pl"
DEEP = "[" * 100_000 + "]" * 100_000
DEEP_OBJECT = '{"a": ' * 100_000 + "1" + "}" * 100_000


def write(path: Path, data) -> Path:
    path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    return path


def clean_refusal(result, path, *expected):
    assert result.exit_code == 2, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr and result.stdout == ""
    errors = [line for line in result.stderr.splitlines() if ": error: " in line]
    assert errors and errors[0].startswith(f"{path}:"), result.stderr
    for text in expected:
        assert text in result.stderr
    return errors


# --- lone surrogates --------------------------------------------------------------------------


@pytest.mark.parametrize("escape", ["\\ud800", "\\udfff", "\\uDC00", "\\ud83d x", "\\ude00\\ud83d"])
def test_a_lone_surrogate_escape_in_a_rule_is_a_syntax_error_at_its_place(run, tmp_path, escape):
    rules = write(tmp_path / "s.pl", f'derived y(x).\ny("a{escape}").\n')
    result = run("check", rules)
    assert result.exit_code == 1 and "Traceback" not in result.stdout + result.stderr
    assert f"{rules}:2:3: error: syntax_error:" in result.stdout
    assert "half of a surrogate pair" in result.stdout
    clean_refusal(run("eval", rules), rules, "syntax_error")


def test_a_surrogate_pair_escape_in_a_rule_is_one_character(run, tmp_path):
    rules = write(tmp_path / "s.pl", 'derived y(x).\ny("a\\ud83d\\ude00").\n')
    result = run("eval", rules, "y(X)", "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["answers"] == [{"X": "a\U0001F600"}]


def test_a_lone_surrogate_in_a_query_is_refused(run):
    result = run("eval", GRAPH, 'reach("\\ud800")')
    assert result.exit_code == 2 and "Traceback" not in result.stderr


def test_a_query_argument_with_bytes_that_are_not_utf8_is_refused(run):
    # Python hands an argument byte that is not UTF-8 over as a lone surrogate (surrogateescape)
    result = run("eval", GRAPH, 'reach("\udcff")', "--facts", FIXTURES / "graph_facts.yaml")
    assert result.exit_code == 2 and "Traceback" not in result.stderr
    assert "not UTF-8" in result.stderr


@pytest.mark.parametrize("suffix,text,line", [
    (".yaml", 'edge:\n  - [a, b]\nstart: ["a\\ud800"]\n', 3),
    (".json", '{"edge": [["a", "b"]],\n "start": ["\\udc80"]}\n', 2),
    (".yaml", 'edge:\n  - [a, b]\n"st\\ud800art": [a]\n', 3),
])
def test_a_lone_surrogate_in_a_facts_file_is_refused_at_its_line(run, tmp_path, suffix, text, line):
    facts = write(tmp_path / f"f{suffix}", text)
    (error,) = clean_refusal(run("eval", GRAPH, "--facts", facts), facts, "lone surrogate")
    assert error.startswith(f"{facts}:{line}:")


@pytest.mark.parametrize("suffix,text,line", [
    (".yaml", 'applicant: "Li\\ud800"\nreturnee: true\n', 1),
    (".yaml", 'applicant: Li\ncard_by: "self\\udfff"\n', 2),
    (".json", '{"applicant": "Li",\n "card_by": "\\ud800"}\n', 2),
])
def test_a_lone_surrogate_in_an_applicant_file_is_refused_at_its_line(run, tmp_path, suffix, text, line):
    applicant = write(tmp_path / f"a{suffix}", text)
    (error,) = clean_refusal(run("query", applicant, "--policy", MINI), applicant, "lone surrogate")
    assert error.startswith(f"{applicant}:{line}:")


def test_a_lone_surrogate_in_a_scenario_file_is_refused(run, tmp_path):
    scenarios = write(tmp_path / "s.yaml", 'scenarios:\n- name: "one\\ud800"\n  facts: {returnee: true}\n')
    clean_refusal(run("test", scenarios, "--policy", MINI), scenarios, "lone surrogate")


# --- batch rows: the bad row is an error record, the others come out ----------------------------

GOOD = '{"applicant": "Li", "returnee": true}\n'
BAD_ROWS = {
    "a lone surrogate value": ('{"applicant": "Wang", "card_by": "\\ud800"}\n', "lone surrogate"),
    "a lone surrogate key": ('{"applicant": "Wang", "\\udfffx": true}\n', "lone surrogate"),
    "a lone surrogate name": ('{"applicant": "\\ud800", "returnee": true}\n', "lone surrogate"),
    "raw bytes not UTF-8": (b'{"applicant": "W\xffang", "returnee": true}\n', "not UTF-8"),
    "JSON nested 100,000 deep": (DEEP + "\n", "nested too deeply"),
    "an object nested 100,000 deep": (DEEP_OBJECT + "\n", "nested too deeply"),
    "a value nested 100,000 deep": ('{"applicant": "Wang", "card_by": ' + DEEP + "}\n",
                                    "nested too deeply"),
    "a value nested 70 deep": ('{"applicant": "Wang", "card_by": ' + "[" * 70 + "]" * 70 + "}\n",
                               "nested too deeply"),
    "NaN": ('{"applicant": "Wang", "card_by": NaN}\n', "NaN"),
}


def run_jsonl(run, tmp_path, bad):
    source = tmp_path / "people.jsonl"
    bad = bad if isinstance(bad, bytes) else bad.encode("utf-8")
    source.write_bytes(GOOD.encode() + bad + GOOD.encode())
    out = tmp_path / "out.jsonl"
    result = run("batch", source, "--out", out, "--policy", MINI, "--jobs", "1")
    assert "Traceback" not in result.stderr
    assert result.exit_code == 1, result.stderr
    return [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]


@pytest.mark.parametrize("kind", list(BAD_ROWS))
def test_a_hostile_jsonl_row_is_an_error_record_and_the_others_come_out(run, tmp_path, kind):
    row, expected = BAD_ROWS[kind]
    records = run_jsonl(run, tmp_path, row)
    assert [r["line"] for r in records] == [1, 2, 3]
    assert [r["error"] is None for r in records] == [True, False, True]
    assert expected in records[1]["error"]
    assert records[0]["procedures"] == records[2]["procedures"] is not None


CSV_BAD = {
    "raw bytes not UTF-8": (b"Wang,tr\xffue,self\n", "not UTF-8"),
    "a NUL byte": (b"Wang,true\x00,self\n", "is not a yes/no value"),  # csv reads NUL since 3.11
    "a field over the csv module's limit": (b"Wang,true,self" + b"x" * 200_000 + b"\n", "not valid CSV"),
}


@pytest.mark.parametrize("kind", list(CSV_BAD))
def test_a_hostile_csv_row_is_an_error_record_and_the_others_come_out(run, tmp_path, kind):
    row, expected = CSV_BAD[kind]
    source = tmp_path / "people.csv"
    good = b"Li,true,self\n"
    source.write_bytes(b"applicant,returnee,card_by\n" + good + row + good)
    out = tmp_path / "out.jsonl"
    result = run("batch", source, "--out", out, "--policy", MINI, "--jobs", "1")
    assert "Traceback" not in result.stderr and result.exit_code == 1, result.stderr
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r["error"] is None for r in records] == [True, False, True]
    assert expected in records[1]["error"]


def test_a_csv_header_that_is_not_utf8_is_refused(run, tmp_path):
    source = write(tmp_path / "people.csv", b"applicant,retur\xffnee\nLi,true\n")
    clean_refusal(run("batch", source, "--out", tmp_path / "o.jsonl", "--policy", MINI), source,
                  "not UTF-8")


# --- JSON nested 100,000 deep in files ----------------------------------------------------------


@pytest.mark.parametrize("text", [DEEP, DEEP_OBJECT, '{"edge": ' + DEEP + "}"])
def test_json_nested_100000_deep_as_a_facts_file_is_refused(run, tmp_path, text):
    facts = write(tmp_path / "deep.json", text)
    clean_refusal(run("eval", GRAPH, "--facts", facts), facts, "nested too deeply")


@pytest.mark.parametrize("text", [DEEP, '{"applicant": "Li", "card_by": ' + DEEP + "}"])
def test_json_nested_100000_deep_as_an_applicant_file_is_refused(run, tmp_path, text):
    applicant = write(tmp_path / "deep.json", text)
    clean_refusal(run("query", applicant, "--policy", MINI), applicant, "nested too deeply")


def test_json_nested_100000_deep_as_a_scenario_file_is_refused(run, tmp_path):
    scenarios = write(tmp_path / "deep.json", '{"scenarios": ' + DEEP + "}")
    clean_refusal(run("test", scenarios, "--policy", MINI), scenarios, "nested too deeply")

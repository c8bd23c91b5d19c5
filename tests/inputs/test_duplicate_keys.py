"""A key given twice is reported with both of its lines, never silently half-dropped.

YAML and JSON readers keep one of two equal keys without a word; policylog refuses the
document (exit 2) and names both places: applicant files, facts files, scenario files,
JSONL batch rows (an error record; the other rows go on) and CSV headers.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures"
MINI = FIXTURES / "mini_policy.pl"
GRAPH = FIXTURES / "graph.pl"


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def errors(result) -> list:
    assert result.exit_code == 2, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    return [line for line in result.stderr.splitlines() if ": error: " in line]


APPLICANTS = {
    "yaml": ("applicant: Li\nreturnee: true\nhas_hukou: false\nreturnee: false\n", "returnee", 2, 4),
    "json": ('{\n  "applicant": "Li",\n  "returnee": true,\n  "returnee": false\n}\n', "returnee", 3, 4),
    "quoted and plain": ("applicant: Li\nreturnee: true\n'returnee': false\n", "returnee", 2, 3),
    "the name": ("applicant: Li\napplicant: Wang\n", "applicant", 1, 2),
}


@pytest.mark.parametrize("kind", list(APPLICANTS))
def test_an_applicant_file_with_a_key_twice_is_refused_with_both_lines(run, tmp_path, kind):
    text, key, first, second = APPLICANTS[kind]
    applicant = write(tmp_path / f"li.{'json' if kind == 'json' else 'yaml'}", text)
    (line,) = errors(run("query", applicant, "--policy", MINI))
    assert line.startswith(f"{applicant}:{second}:")
    assert f"the key '{key}' is given twice (lines {first} and {second})" in line


def test_a_facts_file_with_a_predicate_twice_is_refused_with_both_lines(run, tmp_path):
    facts = write(tmp_path / "graph.yaml", "edge:\n  - [a, b]\nstart: [a]\nedge:\n  - [b, c]\n")
    (line,) = errors(run("eval", GRAPH, "--facts", facts))
    assert line.startswith(f"{facts}:4:") and "'edge' is given twice (lines 1 and 4)" in line


def test_a_json_facts_file_with_a_predicate_twice_is_refused(run, tmp_path):
    facts = write(tmp_path / "graph.json",
                  '{"edge": [["a", "b"]],\n "start": ["a"],\n "edge": [["b", "c"]]}\n')
    (line,) = errors(run("eval", GRAPH, "--facts", facts))
    assert "'edge' is given twice (lines 1 and 3)" in line


def test_every_duplicate_is_reported_at_once(run, tmp_path):
    facts = write(tmp_path / "graph.yaml",
                  "edge: [[a, b]]\nstart: [a]\nedge: [[b, c]]\nstart: [b]\nnode: [a]\n")
    lines = errors(run("eval", GRAPH, "--facts", facts))
    assert [line.split(":")[1] for line in lines] == ["3", "4"]
    assert "'edge'" in lines[0] and "'start'" in lines[1]


def test_a_duplicate_inside_a_nested_mapping_is_reported(run, tmp_path):
    facts = write(tmp_path / "graph.yaml", "edge: [[a, b]]\nnode:\n  x: 1\n  x: 2\n")
    (line,) = errors(run("eval", GRAPH, "--facts", facts))
    assert "'x' is given twice (lines 3 and 4)" in line


def test_integer_keys_that_mean_one_number_are_duplicates(run, tmp_path):
    facts = write(tmp_path / "graph.yaml", "edge: [[a, b]]\nnode:\n  1: a\n  0x1: b\n")
    (line,) = errors(run("eval", GRAPH, "--facts", facts))
    assert "is given twice (lines 3 and 4)" in line


def test_equal_keys_in_different_mappings_are_fine(run, tmp_path):
    facts = write(tmp_path / "graph.yaml", "edge:\n  - [a, b]\nstart: [a]\n")
    assert run("eval", GRAPH, "--facts", facts).exit_code == 0


SCENARIOS = """\
scenarios:
- name: one
  facts:
    returnee: true
    has_hukou: false
    returnee: false
  expect:
    restore: applies
"""


def test_a_scenario_file_with_a_fact_twice_is_refused_with_both_lines(run, tmp_path):
    scenarios = write(tmp_path / "s.yaml", SCENARIOS)
    (line,) = errors(run("test", scenarios, "--policy", MINI))
    assert line.startswith(f"{scenarios}:6:") and "'returnee' is given twice (lines 4 and 6)" in line


def test_a_scenario_file_with_an_expectation_twice_is_refused(run, tmp_path):
    scenarios = write(tmp_path / "s.yaml", SCENARIOS.replace("    returnee: false\n", "")
                      + "    restore: not_applicable\n")
    (line,) = errors(run("test", scenarios, "--policy", MINI))
    assert "'restore' is given twice (lines 7 and 8)" in line


def test_a_jsonl_row_with_a_key_twice_is_an_error_record_and_the_rest_go_on(run, tmp_path):
    source = write(tmp_path / "people.jsonl",
                   '{"applicant": "Li", "returnee": true}\n'
                   '{"applicant": "Wang", "returnee": true, "returnee": false}\n'
                   '{"applicant": "Zhao", "card_by": "self"}\n')
    out = tmp_path / "out.jsonl"
    result = run("batch", source, "--out", out, "--policy", MINI, "--jobs", "1")
    assert result.exit_code == 1, result.stderr
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r["error"] is None for r in records] == [True, False, True]
    assert records[1]["line"] == 2
    assert records[1]["error"] == "the key 'returnee' is given twice (columns 23 and 41)"


def test_a_csv_header_with_a_column_twice_is_refused(run, tmp_path):
    source = write(tmp_path / "people.csv", "applicant,returnee,card_by,returnee\nLi,true,self,false\n")
    out = tmp_path / "out.jsonl"
    (line,) = errors(run("batch", source, "--out", out, "--policy", MINI))
    assert line.startswith(f"{source}:1:")
    assert "the column 'returnee' is given twice (columns 2 and 4)" in line
    assert not out.exists()

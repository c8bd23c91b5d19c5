"""Exit codes and streams, for every command: 0 done, 1 problems found, 2 bad input or usage.
Results go to stdout, messages to stderr."""
from __future__ import annotations

from pathlib import Path

import pytest

import cli
import policy

ROOT = Path(__file__).parents[2]
FIXTURES = ROOT / "tests" / "fixtures"
APPLICANT = ROOT / "facts" / "07_employee.yaml"
MISSING = ROOT / "no" / "such.file"

DONE = {
    "check": ["check"],
    "eval": ["eval", FIXTURES / "graph.pl", "--facts", FIXTURES / "graph_facts.yaml"],
    "facts": ["facts"],
    "query": ["query", APPLICANT],
    "explain": ["explain", APPLICANT, "enroll_employee_medical_insurance"],
    "batch": ["batch", "{jsonl}", "--out", "{out}", "--jobs", "1"],
    "test": ["test", policy.BUNDLED_SCENARIOS / "cards.yaml"],
    "fmt": ["fmt", "--check", policy.BUNDLED_POLICY],
    "docs": ["docs", "--out", "{dir}"],
    "graph": ["graph"],
    "interview": ["interview", "--answers", APPLICANT],
    "serve": ["serve", "--help"],  # a server runs until stopped: tests/web/ start one for real
    "diff": ["diff", policy.BUNDLED_POLICY, policy.BUNDLED_POLICY, "--scenarios",
             policy.BUNDLED_SCENARIOS / "cards.yaml"],
}
BAD_INPUT = {
    "check": ["check", MISSING],
    "eval": ["eval", MISSING],
    "facts": ["facts", "--policy", MISSING],
    "query": ["query", MISSING],
    "explain": ["explain", APPLICANT, "no_such_procedure"],
    "batch": ["batch", MISSING, "--out", "{out}"],
    "test": ["test", MISSING],
    "fmt": ["fmt", MISSING],
    "docs": ["docs", MISSING, "--out", "{dir}"],
    "graph": ["graph", MISSING],
    "interview": ["interview", MISSING],
    "serve": ["serve", "--policy", MISSING],
    "diff": ["diff", MISSING, policy.BUNDLED_POLICY],
}
PROBLEMS = {
    "check": ["check", FIXTURES / "five_mistakes.pl"],
    "test": ["test", "--policy", FIXTURES / "mini_policy.pl", "{scenario}"],
}


def test_every_command_is_covered():
    assert set(DONE) == set(BAD_INPUT) == set(cli.main.commands)


def fill(args, tmp_path):
    jsonl = tmp_path / "one.jsonl"
    jsonl.write_text('{"applicant": "A", "employment": "employee"}\n')
    scenario = tmp_path / "s.yaml"
    scenario.write_text("scenarios:\n  - name: wrong\n    facts: {returnee: true}\n"
                        "    expect: {restore: applies}\n")
    values = {"{jsonl}": jsonl, "{out}": tmp_path / "out.jsonl", "{dir}": tmp_path / "docs",
              "{scenario}": scenario}
    return [values.get(a, a) if isinstance(a, str) else a for a in args]


@pytest.mark.parametrize("name", sorted(DONE))
def test_done_exits_0_with_results_on_stdout(run, tmp_path, name):
    result = run(*fill(DONE[name], tmp_path))
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""


@pytest.mark.parametrize("name", sorted(BAD_INPUT))
def test_bad_input_exits_2_with_one_message_on_stderr(run, tmp_path, name):
    result = run(*fill(BAD_INPUT[name], tmp_path))
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.strip() and "Traceback" not in result.stderr


@pytest.mark.parametrize("name", sorted(PROBLEMS))
def test_problems_found_exit_1_with_the_findings_on_stdout(run, tmp_path, name):
    result = run(*fill(PROBLEMS[name], tmp_path))
    assert result.exit_code == 1
    assert result.stdout.strip() and result.stderr == ""


def test_bad_usage_exits_2(run):
    result = run("query")
    assert result.exit_code == 2 and "Missing argument" in result.stderr
    assert run("no-such-command").exit_code == 2

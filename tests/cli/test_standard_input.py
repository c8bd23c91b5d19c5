"""`-` reads standard input, as for other command-line tools: an applicant for `query` and
`explain`, facts for `eval --facts`, a population for `batch` and `diff --population`."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

import cli

ROOT = Path(__file__).resolve().parents[2]
GRAPH = ROOT / "tests" / "fixtures" / "graph.pl"
PART_TIMER = "applicant: Li\nreturned_overseas_student: false\nemployment: employee\n"


def invoke(*args, stdin: str):
    return CliRunner().invoke(cli.main, [str(a) for a in args], input=stdin)


def test_query_reads_the_applicant_from_standard_input():
    result = invoke("query", "-", "--format", "json", stdin=PART_TIMER)
    assert result.exit_code == 0, result.stderr
    plan = json.loads(result.stdout)
    assert plan["applicant"] == "Li"
    statuses = {p["id"]: p["status"] for p in plan["procedures"]}
    assert statuses["enroll_employee_medical_insurance"] == "undetermined"


def test_a_bad_applicant_on_standard_input_is_named_dash_with_its_line():
    result = invoke("query", "-", stdin="applicant: Li\nreturned_overseas_student: maybe\n")
    assert result.exit_code == 2
    assert result.stderr.startswith("-:2:") and "yes/no fact" in result.stderr


def test_a_plan_with_nothing_certain_says_the_steps_depend_on_facts_not_given():
    result = invoke("query", "-", stdin=PART_TIMER)
    assert "No procedure applies for certain yet: the steps below depend on facts not given." \
        in result.stdout
    assert "Step 1" in result.stdout


def test_eval_reads_facts_from_standard_input():
    facts = {"edge": [[1, 2], [2, 3]], "node": [[1], [2], [3]], "start": [[1]]}
    result = invoke("eval", GRAPH, "path(1, X)", "--facts", "-", stdin=json.dumps(facts))
    assert result.exit_code == 0, result.stderr
    assert result.stdout.split() == ["X", "=", "2", "X", "=", "3"]


def test_batch_reads_a_population_from_standard_input():
    rows = [{"applicant": "Li", "returned_overseas_student": False, "employment": "employee"},
            {"applicant": "Wang", "employment": "bogus"}]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    result = subprocess.run([sys.executable, str(ROOT / "cli.py"), "batch", "-", "--out", "-",
                             "--jobs", "1"], input="".join(json.dumps(r) + "\n" for r in rows),
                            capture_output=True, text=True, env=env, timeout=120)
    assert result.returncode == 1, result.stderr  # the second row is an error record
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["applicant"] for r in records] == ["Li", "Wang"]
    assert records[0]["error"] is None and "bogus" in records[1]["error"]

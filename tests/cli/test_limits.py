"""Limits: a time limit on every command, caps on input size and on facts."""
from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).parents[2]
GRAPH = ROOT / "tests" / "fixtures" / "graph.pl"


def long_chain(tmp_path, length=1500):
    facts = tmp_path / "chain.yaml"
    facts.write_text("edge:\n" + "".join(f"  - [{i}, {i + 1}]\n" for i in range(length)))
    return facts


def test_a_slow_evaluation_stops_at_the_timeout_with_exit_2(tmp_path):
    started = time.monotonic()
    result = subprocess.run(
        [sys.executable, str(ROOT / "cli.py"), "eval", str(GRAPH), "--facts",
         str(long_chain(tmp_path)), "--timeout", "1"],
        capture_output=True, text=True, timeout=60)
    elapsed = time.monotonic() - started
    assert result.returncode == 2
    assert result.stdout == ""
    assert "limit_exceeded" in result.stderr and "--timeout" in result.stderr
    assert elapsed < 20  # the evaluation alone takes far longer than that


def test_the_fact_cap_is_a_clean_refusal(run, tmp_path):
    result = run("eval", GRAPH, "--facts", long_chain(tmp_path, 60), "--max-facts", "100")
    assert result.exit_code == 2 and result.stdout == ""
    assert "limit_exceeded" in result.stderr and "--max-facts" in result.stderr


def test_the_input_size_cap_names_the_file(run, tmp_path):
    facts = long_chain(tmp_path, 2000)
    result = run("eval", GRAPH, "--facts", facts, "--max-input-mb", "0.01")
    assert result.exit_code == 2
    assert str(facts) in result.stderr and "--max-input-mb" in result.stderr


def test_within_the_limits_nothing_changes(run, tmp_path):
    result = run("eval", GRAPH, "reach(X)", "--facts", long_chain(tmp_path, 3), "--timeout", "30")
    assert result.exit_code == 0

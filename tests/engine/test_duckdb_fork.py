"""DuckDB in a process that later forks worker processes (issue 16's landing blocker).

A process forked from one thread clears the other threads' states in the child,
their thread-locals included. The DuckDB seam keeps each thread's connection in
a thread-local; held only there, the child destroyed it, DuckDB's destructor
crashed the child (its threads and locks did not survive the fork), and a
batch's pool respawned crashing workers without end. The test runs the exact
sequence in a fresh interpreter: DuckDB used on the main thread, then `batch
--jobs 2` through CliRunner (which runs the command on another thread, so the
pool forks from there).
"""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).parent.parent.parent

SCRIPT = r"""
import csv, sys
sys.path.insert(0, sys.argv[1])
import faulthandler; faulthandler.enable()
import policy, cli
from click.testing import CliRunner
from policy.inputs.applicant import fact_schema

closure = policy.compile_text("input edge(a, b). path(X, Y) :- edge(X, Y). "
                              "path(X, Z) :- path(X, Y), edge(Y, Z).")
assert len(closure.evaluate({"edge": [(1, 2), (2, 3)]}, engine="duckdb")["path"]) == 3
schema = fact_schema(policy.load_policy().program)
with open(sys.argv[2], "w", newline="") as stream:
    writer = csv.writer(stream)
    writer.writerow(["applicant"] + [spec.name for spec in schema])
    for i in range(20):
        writer.writerow([f"a{i}"] + [""] * len(schema))
result = CliRunner().invoke(cli.main, ["batch", sys.argv[2], "--out", sys.argv[3], "--jobs", "2"])
print("exit", result.exit_code)
"""


def test_workers_forked_after_duckdb_was_used_do_not_crash(tmp_path):
    script = tmp_path / "fork_after_duckdb.py"
    script.write_text(SCRIPT, encoding="utf-8")
    out = tmp_path / "out.jsonl"
    done = subprocess.run([sys.executable, str(script), str(ROOT), str(tmp_path / "rows.csv"),
                           str(out)], capture_output=True, text=True, timeout=300)
    assert "Fatal Python error" not in done.stderr, done.stderr[-2000:]
    assert done.returncode == 0 and done.stdout.strip() == "exit 0", done.stderr[-2000:]
    assert len(out.read_text(encoding="utf-8").splitlines()) == 20

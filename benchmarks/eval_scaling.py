"""`policylog eval --engine duckdb` as the facts grow: time and peak memory per size.

The transitive closure of tests/fixtures/graph.pl (path, reach, unreachable) on a chain
of N edges (N(N+1)/2 path answers), each size one `python cli.py eval` process from start
to exit, answers written (text, or --format json) to /dev/null. Peak memory is the process's maximum
resident set (its children's included: the command runs in a forked child for its
limits), read with os.wait4.

    python benchmarks/eval_scaling.py                       # N = 250, 500, 1000, 2000
    python benchmarks/eval_scaling.py --sizes 500,1000 --engine pydatalog
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PROGRAM = ROOT / "tests" / "fixtures" / "graph.pl"


def chain_facts(n: int) -> dict:
    return {"edge": [[i, i + 1] for i in range(n)], "node": [[i] for i in range(n + 1)],
            "start": [[0]]}


def run(n: int, engine: str, folder: Path, output_format: str = "text") -> tuple:
    """(seconds, peak MB, exit code) of one `eval` on a chain of n edges."""
    facts = folder / f"chain{n}.json"
    facts.write_text(json.dumps(chain_facts(n)), encoding="utf-8")
    command = [sys.executable, str(ROOT / "cli.py"), "eval", str(PROGRAM), "--facts", str(facts),
               "--engine", engine, "--format", output_format, "--max-facts", "100000000",
               "--timeout", "3600", "--max-memory-mb", "16000"]
    start = time.perf_counter()
    with open(os.devnull, "w") as sink:
        process = subprocess.Popen(command, stdout=sink, stderr=subprocess.PIPE)
        _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    if code:
        sys.stderr.write(process.stderr.read().decode())
    return seconds, usage.ru_maxrss / 1024, code


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="250,500,1000,2000")
    parser.add_argument("--engine", default="duckdb", choices=["duckdb", "pydatalog"])
    parser.add_argument("--format", default="text", choices=["text", "json"])
    args = parser.parse_args(argv)
    print("| chain of N edges | facts given | path answers | seconds | peak MB |")
    print("| --- | --- | --- | --- | --- |")
    with tempfile.TemporaryDirectory() as folder:
        for n in (int(size) for size in args.sizes.split(",")):
            seconds, peak, code = run(n, args.engine, Path(folder), args.format)
            shown = f"{seconds:.2f}" if code == 0 else f"failed (exit {code})"
            print(f"| {n:,} | {2 * n + 2:,} | {n * (n + 1) // 2:,} | {shown} | {peak:.0f} |",
                  flush=True)


if __name__ == "__main__":
    main()

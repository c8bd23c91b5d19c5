"""`policylog batch --scheduler` on a Dask cluster against `--jobs`, on one file, in one run.

    python benchmarks/cluster_scale.py 1000000           # the issue's size
    python benchmarks/cluster_scale.py 200000 --jsonl    # and the same rows as JSONL

The population is batch_scale.py's: every fact of every applicant drawn uniformly from the
bundled policy's schema (unknown, or one of its values), so that few rows repeat. Each
command runs as a child process, process start to exit, on the same file, one after the
other (in the order given by --order, default jobs1, jobs2, local1, local2):

  jobs1   `batch --jobs 1`: one process, the file decided a block at a time
  jobs2   `batch --jobs 2`: two forked workers each read and decide their own parts of the
          file (batch_split.py), the parent writes the parts in order
  local1  `batch --scheduler local:1`: a distributed.LocalCluster of one worker process
          started for the run; the same parts, one Dask task each (batch_cluster.py)
  local2  `batch --scheduler local:2`: the same with two worker processes

Reported per command: seconds, rows per second and its ratio to jobs1, the CPU seconds
(user + system) of the whole process tree, rows per CPU second, and the peak memory (max
RSS) of the largest single process. Every output is checked byte-equal to jobs1's. The
machine's load average before and after is printed: its cores may be shared, and then the
CPU seconds say more than the wall-clock ratios. --repeat N runs the whole sequence N times
and reports each command's fastest run (and its CPU and memory).
"""
from __future__ import annotations

import argparse
import filecmp
import os
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from batch_scale import _load, timed_child, write_jsonl, write_uniform  # noqa: E402

COMMANDS = {"jobs1": ["--jobs", "1"], "jobs2": ["--jobs", "2"],
            "local1": ["--scheduler", "local:1"], "local2": ["--scheduler", "local:2"]}


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("rows", type=int)
    parser.add_argument("--dir", type=Path, default=Path("/tmp/policylog-cluster-scale"))
    parser.add_argument("--jsonl", action="store_true", help="also the rows as JSONL input")
    parser.add_argument("--no-csv", action="store_true", help="with --jsonl: JSONL input only")
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--order", default=",".join(COMMANDS))
    args = parser.parse_args(argv)
    args.dir.mkdir(parents=True, exist_ok=True)
    inputs = {"CSV": args.dir / "rows.csv"}
    write_uniform(inputs["CSV"], args.rows)
    if args.jsonl:
        inputs["JSONL"] = args.dir / "rows.jsonl"
        write_jsonl(inputs["CSV"], inputs["JSONL"])
        if args.no_csv:
            del inputs["CSV"]
    load_before = os.getloadavg()
    results = {}
    for _ in range(args.repeat):
        for kind, source in inputs.items():
            for label in args.order.split(","):
                seconds, peak, cpu = timed_child(_command(source, args.dir, label))
                best = results.get((kind, label))
                if best is None or seconds < best[0]:
                    results[kind, label] = (seconds, peak, cpu)
            _check(args.dir, args.order.split(","))
    print(f"load average before {_load(load_before)}, after {_load(os.getloadavg())}, "
          f"{os.cpu_count()} cores; {args.rows:,} uniform rows, best of {args.repeat}\n")
    print("| input | command | seconds | rows/s | x jobs1 | CPU s | rows per CPU s | peak MB |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    for (kind, label), (seconds, peak, cpu) in results.items():
        base = args.rows / results.get((kind, "jobs1"), (seconds,))[0]
        rate = args.rows / seconds
        print(f"| {kind} | {label} | {seconds:,.1f} | {rate:,.0f} | {rate / base:.2f} | "
              f"{cpu:,.1f} | {args.rows / cpu:,.0f} | {peak:,.0f} |")


def _command(source: Path, folder: Path, label: str) -> list:
    return [sys.executable, "cli.py", "batch", str(source), "--timeout", "86400",
            "--out", str(folder / f"{label}.jsonl"), *COMMANDS[label]]


def _check(folder: Path, labels: list) -> None:
    """SystemExit when an output differs from the first command's. Compared a block at a
    time: reading the outputs whole would grow this process, and a child's peak memory
    counts the memory of the process it was forked from (Linux keeps the high-water mark
    across exec)."""
    for label in labels[1:]:
        if not filecmp.cmp(folder / f"{labels[0]}.jsonl", folder / f"{label}.jsonl",
                           shallow=False):
            raise SystemExit(f"{label}'s output differs from {labels[0]}'s")


if __name__ == "__main__":
    main()

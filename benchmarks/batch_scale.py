"""`policylog batch` on a population drawn uniformly from the schema, against two baselines.

    python benchmarks/batch_scale.py 1000000      # the issue's size
    python benchmarks/batch_scale.py 20000        # what fits a few minutes here

Every fact of every applicant is drawn uniformly: unknown, or one of its values
(yes/no or an enum value), so that few rows repeat. Measured in the same run,
each as rows per second over the same CSV file:

  loop      a plain Python CSV-to-JSONL loop (csv.DictReader, json.dumps per row): the
            cost of reading and writing the rows at all
  policylog `policylog batch --jobs 1` (process start to exit; the bundled policy's schema
            is finite, so a CSV's rows are decided a block at a time by its compiled status
            diagrams, decide/status_diagram.py, whichever --engine)
  jobs2     the same with `--jobs 2` (skipped with --no-jobs2): two worker processes type,
            decide and encode the blocks, the parent reads the CSV (batch_parallel.py)
  clingo    the batch's three-valued job on clingo (baseline_clingo, 1,000 applicants per
            ground-and-solve, statuses built from certain/possible models)

policylog's statuses are exact over the completions; clingo's three-valued ones are an
approximation, so they are checked equal wherever clingo decides (not undetermined), and the
rows where policylog decides more are counted. Peak memory (max RSS) of each child process
is reported too (the batch streams, so its peak hardly grows with the rows: at 1,000,000
rows it is the peak memory per million).
"""
from __future__ import annotations

import argparse
import csv
import json
import os
import random
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))

from population import schema  # noqa: E402


def write_uniform(path: Path, n: int, seed: int = 2) -> None:
    rng = random.Random(seed)
    specs = schema()
    with open(path, "w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(["applicant"] + list(specs))
        for i in range(n):
            row = [f"a{i}"]
            for values in specs.values():
                choices = ["true", "false"] if values is None else list(values)
                pick = rng.randrange(len(choices) + 1)
                row.append("" if pick == len(choices) else choices[pick])
            writer.writerow(row)


def plain_loop(source: Path, target: Path) -> None:
    with open(source, newline="", encoding="utf-8") as rows, open(target, "w", encoding="utf-8") as out:
        for number, row in enumerate(csv.DictReader(rows), start=2):
            out.write(json.dumps({"line": number, "applicant": row.pop("applicant"),
                                  "facts": {k: v for k, v in row.items() if v}}) + "\n")


def clingo_statuses(source: Path, target: Path, chunk: int = 1000) -> None:
    import baseline_clingo

    specs = schema()

    def facts_of(row):
        facts = {}
        for name, values in specs.items():
            cell = row[name]
            if cell:
                facts[name] = (cell == "true") if values is None else cell
        return facts

    with open(source, newline="", encoding="utf-8") as rows, open(target, "w", encoding="utf-8") as out:
        block = []
        for row in csv.DictReader(rows):
            block.append(facts_of(row))
            if len(block) == chunk:
                for statuses in baseline_clingo.statuses_many_three_valued(block):
                    out.write(json.dumps(statuses) + "\n")
                block = []
        for statuses in baseline_clingo.statuses_many_three_valued(block):
            out.write(json.dumps(statuses) + "\n")


def timed_child(command: list) -> tuple:
    """(seconds, peak MB of that child alone) of a child process run to its end."""
    start = time.perf_counter()
    child = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status):
        raise SystemExit(f"{command} failed:\n{child.stderr.read().decode()[-2000:]}")
    return seconds, usage.ru_maxrss / 1024


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("rows", type=int)
    parser.add_argument("--dir", type=Path, default=Path("/tmp/policylog-batch-scale"))
    parser.add_argument("--no-jobs2", action="store_true")
    args = parser.parse_args(argv)
    args.dir.mkdir(parents=True, exist_ok=True)
    source = args.dir / "rows.csv"
    write_uniform(source, args.rows)
    me = [sys.executable, __file__, "--child"]
    batch = [sys.executable, "cli.py", "batch", str(source), "--timeout", "86400", "--out"]
    runs = {"loop": me + ["loop", str(source), str(args.dir / "loop.jsonl")],
            "policylog": batch + [str(args.dir / "policylog.jsonl"), "--jobs", "1"],
            "clingo": me + ["clingo", str(source), str(args.dir / "clingo.jsonl")]}
    if not args.no_jobs2:
        runs["jobs2"] = batch + [str(args.dir / "jobs2.jsonl"), "--jobs", "2"]
    results = {label: timed_child(command) for label, command in runs.items()}
    further = _check(args.dir)
    loop = args.rows / results["loop"][0]
    print(f"| {args.rows:,} uniform rows | seconds | rows/s | x loop | x clingo | peak MB |")
    print("| --- | --- | --- | --- | --- | --- |")
    for label, (seconds, peak) in results.items():
        rate = args.rows / seconds
        print(f"| {label} | {seconds:,.1f} | {rate:,.0f} | {rate / loop:.3f} | "
              f"{rate / (args.rows / results['clingo'][0]):.2f} | {peak:,.0f} |")
    print(f"\nStatuses equal wherever clingo's three-valued job decides; policylog decides "
          f"further on {further:,} of {args.rows:,} rows.")


def _check(folder: Path) -> int:
    """Rows where policylog decides a status clingo's approximation leaves undetermined;
    SystemExit when a status clingo decides differs, or the two policylog runs differ."""
    further = 0
    with open(folder / "policylog.jsonl") as ours, open(folder / "clingo.jsonl") as theirs:
        for number, (record, statuses) in enumerate(zip(ours, theirs), start=1):
            exact, approximate = json.loads(record)["procedures"], json.loads(statuses)
            for pid, status in approximate.items():
                if status != "undetermined" and exact[pid] != status:
                    raise SystemExit(f"row {number}: {pid} is {exact[pid]} in policylog, "
                                     f"{status} in clingo's three-valued job")
            further += any(approximate[p] == "undetermined" != exact[p] for p in approximate)
    if (folder / "jobs2.jsonl").exists():
        if (folder / "jobs2.jsonl").read_text() != (folder / "policylog.jsonl").read_text():
            raise SystemExit("--jobs 1 and --jobs 2 outputs differ")
    return further


def child(argv) -> None:
    kind, source, target = argv
    {"loop": plain_loop, "clingo": clingo_statuses}[kind](Path(source), Path(target))


if __name__ == "__main__":
    if sys.argv[1:2] == ["--child"]:
        child(sys.argv[2:])
    else:
        main()

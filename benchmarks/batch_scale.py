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
  jobs2     the same with `--jobs 2` (skipped with --no-jobs2): two worker processes each
            read, decide and encode their own parts of the file, the parent writes the
            parts in order (batch_split.py)
  jsonl1/2  with --jsonl: the same rows as JSONL (yes/no as JSON booleans, an unknown left
            out), `--jobs 1` and `--jobs 2`
  clingo    the batch's three-valued job on clingo (baseline_clingo, 1,000 applicants per
            ground-and-solve, statuses built from certain/possible models)

policylog's statuses are exact over the completions; clingo's three-valued ones are an
approximation, so they are checked equal wherever clingo decides (not undetermined), and the
rows where policylog decides more are counted. Peak memory (max RSS) of each child process
is reported too (the batch streams, so its peak hardly grows with the rows: at 1,000,000
rows it is the peak memory per million; with workers, the largest single process), and the
CPU seconds (user + system) of the whole process tree, which say what the work costs when
other work shares the cores and wall-clock ratios are noisy. The load average (`uptime`)
before and after the runs is printed: rerun when it is high.
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


def write_jsonl(source: Path, target: Path) -> None:
    """The CSV's rows as JSONL applicants (yes/no as booleans, an unknown cell left out)."""
    specs = schema()
    with open(source, newline="", encoding="utf-8") as rows, open(target, "w", encoding="utf-8") as out:
        for row in csv.DictReader(rows):
            values = {"applicant": row.pop("applicant")}
            for name, cell in row.items():
                if cell:
                    values[name] = (cell == "true") if specs[name] is None else cell
            out.write(json.dumps(values) + "\n")


def timed_child(command: list) -> tuple:
    """(seconds, peak MB of the largest process, CPU seconds of the whole tree) of a child
    process run to its end."""
    start = time.perf_counter()
    child = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status):
        raise SystemExit(f"{command} failed:\n{child.stderr.read().decode()[-2000:]}")
    return seconds, usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("rows", type=int)
    parser.add_argument("--dir", type=Path, default=Path("/tmp/policylog-batch-scale"))
    parser.add_argument("--no-jobs2", action="store_true")
    parser.add_argument("--no-clingo", action="store_true")
    parser.add_argument("--jsonl", action="store_true", help="also JSONL input, 1 and 2 jobs")
    args = parser.parse_args(argv)
    load_before = os.getloadavg()
    args.dir.mkdir(parents=True, exist_ok=True)
    source = args.dir / "rows.csv"
    write_uniform(source, args.rows)
    me = [sys.executable, __file__, "--child"]
    batch = [sys.executable, "cli.py", "batch", str(source), "--timeout", "86400", "--out"]
    runs = {"loop": me + ["loop", str(source), str(args.dir / "loop.jsonl")],
            "policylog": batch + [str(args.dir / "policylog.jsonl"), "--jobs", "1"]}
    if not args.no_jobs2:
        runs["jobs2"] = batch + [str(args.dir / "jobs2.jsonl"), "--jobs", "2"]
    if args.jsonl:
        write_jsonl(source, args.dir / "rows.jsonl")
        for jobs in ("1", "2"):
            runs[f"jsonl{jobs}"] = [sys.executable, "cli.py", "batch", str(args.dir / "rows.jsonl"),
                                    "--timeout", "86400", "--out",
                                    str(args.dir / f"jsonl{jobs}.jsonl"), "--jobs", jobs]
    if not args.no_clingo:
        runs["clingo"] = me + ["clingo", str(source), str(args.dir / "clingo.jsonl")]
    results = {label: timed_child(command) for label, command in runs.items()}
    further = _check(args.dir, not args.no_clingo)
    loop = args.rows / results["loop"][0]
    clingo = args.rows / results["clingo"][0] if "clingo" in results else None
    print(f"load average before {_load(load_before)}, after {_load(os.getloadavg())}, "
          f"{os.cpu_count()} cores\n")
    print(f"| {args.rows:,} uniform rows | seconds | rows/s | x loop | x clingo | CPU s | "
          f"rows per CPU s | peak MB |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    for label, (seconds, peak, cpu) in results.items():
        rate = args.rows / seconds
        versus = f"{rate / clingo:.2f}" if clingo else "-"
        print(f"| {label} | {seconds:,.1f} | {rate:,.0f} | {rate / loop:.3f} | {versus} | "
              f"{cpu:,.1f} | {args.rows / cpu:,.0f} | {peak:,.0f} |")
    if clingo:
        print(f"\nStatuses equal wherever clingo's three-valued job decides; policylog decides "
              f"further on {further:,} of {args.rows:,} rows.")


def _load(averages) -> str:
    return "/".join(f"{a:.2f}" for a in averages)


def _check(folder: Path, with_clingo: bool = True) -> int:
    """Rows where policylog decides a status clingo's approximation leaves undetermined;
    SystemExit when a status clingo decides differs, or the policylog runs differ."""
    for other in ("jobs2", "jsonl2"):
        if (folder / f"{other}.jsonl").exists():
            base = "policylog" if other == "jobs2" else "jsonl1"
            if (folder / f"{other}.jsonl").read_bytes() != (folder / f"{base}.jsonl").read_bytes():
                raise SystemExit(f"{base} and {other} outputs differ")
    if (folder / "jsonl1.jsonl").exists():
        with open(folder / "policylog.jsonl") as ours, open(folder / "jsonl1.jsonl") as theirs:
            for csv_record, jsonl_record in zip(ours, theirs):
                one, other = json.loads(csv_record), json.loads(jsonl_record)
                if (one["applicant"], one["procedures"]) != (other["applicant"], other["procedures"]):
                    raise SystemExit(f"CSV line {one['line']} and JSONL line {other['line']} differ")
    if not with_clingo:
        return 0
    further = 0
    with open(folder / "policylog.jsonl") as ours, open(folder / "clingo.jsonl") as theirs:
        for number, (record, statuses) in enumerate(zip(ours, theirs), start=1):
            exact, approximate = json.loads(record)["procedures"], json.loads(statuses)
            for pid, status in approximate.items():
                if status != "undetermined" and exact[pid] != status:
                    raise SystemExit(f"row {number}: {pid} is {exact[pid]} in policylog, "
                                     f"{status} in clingo's three-valued job")
            further += any(approximate[p] == "undetermined" != exact[p] for p in approximate)
    return further


def child(argv) -> None:
    kind, source, target = argv
    {"loop": plain_loop, "clingo": clingo_statuses}[kind](Path(source), Path(target))


if __name__ == "__main__":
    if sys.argv[1:2] == ["--child"]:
        child(sys.argv[2:])
    else:
        main()

"""policylog against raw pyDatalog and clingo, on the bundled policy, in one run.

    python benchmarks/run.py --quick     # about 2 minutes on 2 cores
    python benchmarks/run.py             # the full run: 100,000-applicant batch, about 8-10 minutes

Prints four things (benchmarks/README.md explains every row):

  correctness  policylog, the hand-written raw-pyDatalog rules and the clingo
               rules give the same eligible/achieved on applicants with no
               unknown fact (and `policylog batch` the matching statuses);
               the run stops with an error if any differ
  a. cold      one applicant, process start to exit, median of N runs
  b. per applicant, in-process (after a warm-up)
  c. batch     throughput on a synthetic population

Every ratio is against raw pyDatalog measured in the same run.
"""
from __future__ import annotations

import argparse
import json
import os
import re
try:
    import resource
except ImportError:  # not on Windows
    resource = None
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
for path in (str(ROOT), str(HERE)):
    if path not in sys.path:
        sys.path.insert(0, path)

import clingo  # noqa: E402
from rich.console import Console  # noqa: E402
from rich.table import Table  # noqa: E402

import baseline_clingo  # noqa: E402
import baseline_pydatalog  # noqa: E402
import policy  # noqa: E402
from policy.inputs.applicant import applicant_from_mapping, fact_schema  # noqa: E402
from policy.tools.explanation import ApplicantExplainer  # noqa: E402
from policy.decide.plan import NOT_APPLICABLE, UNDETERMINED, make_plan  # noqa: E402
from population import (population, read_csv, situation, to_engine_facts,  # noqa: E402
                        write_csv)

APPLICANT_FILE = ROOT / "facts" / "01_returnee_self_funded.yaml"
OUTPUTS = ["eligible", "achieved"]

QUICK = dict(cold_runs=5, sample=200, explain_sample=100, rounds=3, check=500, batch=10_000)
FULL = dict(cold_runs=15, sample=1000, explain_sample=300, rounds=5, check=3000, batch=100_000)

console = Console(width=120)


# --- helpers -------------------------------------------------------------------

def policylog_command() -> list:
    """The `policylog` console script next to this interpreter, else `python cli.py`."""
    script = Path(sys.executable).parent / ("policylog.exe" if os.name == "nt" else "policylog")
    if script.exists():
        return [str(script)]
    return [sys.executable, str(ROOT / "cli.py")]


def run_checked(command: list, **kwargs) -> subprocess.CompletedProcess:
    done = subprocess.run(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          text=True, **kwargs)
    if done.returncode != 0:
        raise SystemExit(f"FAILED ({done.returncode}): {' '.join(command)}\n{done.stderr}")
    return done


def cpu_seconds() -> float:
    """CPU time (user + system) of this process and of its finished, waited-for descendants.

    Beside the wall time it shows contention: on a busy machine wall >> CPU.
    """
    own = time.process_time()
    if resource is None:
        return own
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own + children.ru_utime + children.ru_stime


def fmt_time(seconds: float) -> str:
    if seconds >= 1:
        return f"{seconds:.2f} s"
    if seconds >= 1e-3:
        return f"{seconds * 1e3:.1f} ms"
    return f"{seconds * 1e6:.0f} µs"


def fmt_ratio(ratio: float) -> str:
    return f"{ratio:.2f}×"


def two_valued(decision: tuple) -> tuple:
    eligible, achieved = decision
    return frozenset(eligible), frozenset(achieved)


def policylog_decision(compiled, facts: dict) -> tuple:
    model = compiled.evaluate(to_engine_facts(facts), OUTPUTS)
    return (frozenset(p for (p,) in model["eligible"]), frozenset(m for (m,) in model["achieved"]))


def plan_decision(plan) -> tuple:
    if any(p.status == UNDETERMINED for p in plan.procedures):
        raise SystemExit(f"an applicant with no unknown fact has an undetermined procedure: "
                         f"{plan.applicant.name}")
    return (frozenset(p.id for p in plan.procedures if p.status != NOT_APPLICABLE),
            frozenset(plan.achieved))


def disagree(label: str, names: list, answers: dict) -> None:
    """Fail loudly with the first applicant on which the answers differ."""
    reference = "raw pyDatalog"
    for i, name in enumerate(names):
        values = {who: answer[i] for who, answer in answers.items()}
        if len(set(values.values())) > 1:
            lines = [f"  {who}: eligible={sorted(v[0])} achieved={sorted(v[1])}"
                     for who, v in values.items()]
            raise SystemExit(f"DISAGREEMENT ({label}) on {name} (vs {reference}):\n"
                             + "\n".join(lines))


# --- correctness -----------------------------------------------------------------

def check_correctness(compiled, schema, n: int, workdir: Path) -> str:
    """Every engine, on n applicants with every fact given; raises SystemExit on a difference."""
    baseline = baseline_pydatalog.Baseline()
    baseline_pydatalog.self_check(baseline)
    program = baseline_clingo.asp_program()
    applicants = list(population(n, seed=7, complete=True))
    names = [name for name, _ in applicants]
    facts = [f for _, f in applicants]
    answers = {
        "raw pyDatalog": [baseline.decide(f) for f in facts],
        "clingo (a Control per applicant)": [baseline_clingo.decide(f, program) for f in facts],
        "clingo (one program)": list(baseline_clingo.decide_chunked(facts)),
        "policylog evaluate": [policylog_decision(compiled, f) for f in facts],
        "policylog plan": [plan_decision(make_plan(compiled, applicant_from_mapping(
            f, schema, "check", i + 1))) for i, f in enumerate(facts)],
    }
    disagree("two-valued decisions", names, answers)

    # `policylog batch` end to end: a procedure is not_applicable iff it is not eligible.
    source, out = workdir / "check.csv", workdir / "check_out.csv"
    write_csv(applicants, source)
    run_checked(policylog_command() + ["batch", str(source), "--out", str(out),
                                       "--jobs", str(os.cpu_count() or 1)])
    import csv
    with open(out, encoding="utf-8", newline="") as stream:
        records = list(csv.DictReader(stream))
    if len(records) != n:
        raise SystemExit(f"policylog batch wrote {len(records)} records for {n} applicants")
    procedures = [c for c in records[0] if c not in ("line", "applicant", "error")]
    batch_eligible = []
    for record in records:
        if record["error"]:
            raise SystemExit(f"policylog batch: error on line {record['line']}: {record['error']}")
        batch_eligible.append(frozenset(p for p in procedures if record[p] != NOT_APPLICABLE))
    for i, (name, expected) in enumerate(zip(names, answers["raw pyDatalog"])):
        if batch_eligible[i] != expected[0]:
            raise SystemExit(f"DISAGREEMENT (policylog batch) on {name}: batch "
                             f"{sorted(batch_eligible[i])} vs raw pyDatalog {sorted(expected[0])}")
    distinct = len({situation(f) for f in facts})
    return (f"[bold green]agree[/]: raw pyDatalog, clingo (both modes), policylog evaluate, "
            f"plan and batch give the same eligible/achieved on {n} applicants with no unknown "
            f"fact ({distinct} distinct situations); no pyDatalog facts leak between decisions")


# --- a. cold ---------------------------------------------------------------------

def cold(runs: int, workdir: Path) -> Table:
    asp_file = workdir / "policy.lp"
    asp_file.write_text(baseline_clingo.asp_program(), encoding="utf-8")
    commands = {
        "python -c pass (interpreter start only)": [sys.executable, "-c", "pass"],
        "raw pyDatalog script": [sys.executable, str(HERE / "baseline_pydatalog.py"),
                                 str(APPLICANT_FILE)],
        "clingo script": [sys.executable, str(HERE / "baseline_clingo.py"), "--program",
                          str(asp_file), str(APPLICANT_FILE)],
        "policylog query": policylog_command() + ["query", str(APPLICANT_FILE)],
    }
    times = {label: [] for label in commands}
    cpu = {label: [] for label in commands}
    for label, command in commands.items():  # warm the file cache
        run_checked(command)
    for _ in range(runs):  # interleaved, so drift hits every command alike
        for label, command in commands.items():
            start, start_cpu = time.perf_counter(), cpu_seconds()
            run_checked(command)
            times[label].append(time.perf_counter() - start)
            cpu[label].append(cpu_seconds() - start_cpu)
    medians = {label: statistics.median(t) for label, t in times.items()}
    reference = medians["raw pyDatalog script"]
    table = Table(title=f"a. Cold: one applicant ({APPLICANT_FILE.relative_to(ROOT)}), process "
                        f"start to exit, median of {runs} runs", title_justify="left")
    table.add_column("command")
    table.add_column("median", justify="right")
    table.add_column("min-max", justify="right")
    table.add_column("CPU (median)", justify="right")
    table.add_column("× raw pyDatalog time", justify="right")
    for label, median in medians.items():
        table.add_row(label, fmt_time(median),
                      f"{fmt_time(min(times[label]))}-{fmt_time(max(times[label]))}",
                      fmt_time(statistics.median(cpu[label])), fmt_ratio(median / reference))
    shown = " ".join(Path(c).name if "/" in c else c for c in commands["policylog query"])
    table.caption = (f"policylog: `{shown}` (prints the full plan); the baseline scripts read "
                     f"the same YAML and print eligible/achieved")
    return table


# --- b. per applicant ------------------------------------------------------------------

def per_applicant(compiled, schema, sample: int, explain_sample: int, rounds: int):
    pairs = list(population(sample, seed=2))
    facts = [f for _, f in pairs]
    engine_facts = [to_engine_facts(f) for f in facts]
    applicants = [applicant_from_mapping(f, schema, "sample", i + 1) for i, f in enumerate(facts)]
    procedures = sorted(p for p, _ in compiled.static_model["procedure"])
    baseline = baseline_pydatalog.Baseline()
    program = baseline_clingo.asp_program()

    def explain_all(applicant):
        explainer = ApplicantExplainer(compiled, applicant)
        return [explainer.reason(pid) for pid in procedures]

    # (label, function, inputs): each is the whole job for one applicant.
    jobs = [
        ("raw pyDatalog (two-valued)", baseline.decide, facts),
        ("clingo, a fresh Control (two-valued)", lambda f: baseline_clingo.decide(f, program), facts),
        ("policylog evaluate(facts, \\[eligible, achieved]) (two-valued)",
         lambda f: compiled.evaluate(f, OUTPUTS), engine_facts),
        ("policylog plan: make_plan (three-valued)", lambda a: make_plan(compiled, a), applicants),
        (f"policylog plan, first {explain_sample}", lambda a: make_plan(compiled, a),
         applicants[:explain_sample]),
        (f"policylog explain: ApplicantExplainer + reason() x {len(procedures)}, "
         f"first {explain_sample}", explain_all, applicants[:explain_sample]),
    ]
    # Same job, same answers: the two-valued engines must agree on every sample applicant.
    disagree("per-applicant sample, unknown = false", [n for n, _ in pairs], {
        "raw pyDatalog": [baseline.decide(f) for f in facts],
        "clingo": [baseline_clingo.decide(f, program) for f in facts],
        "policylog evaluate": [policylog_decision(compiled, f) for f in facts]})
    best = {label: float("inf") for label, _, _ in jobs}
    for _ in range(rounds):  # interleaved rounds; the best round of each counts
        for label, function, inputs in jobs:
            start = time.perf_counter()
            for item in inputs:
                function(item)
            best[label] = min(best[label], (time.perf_counter() - start) / len(inputs))
    reference = best["raw pyDatalog (two-valued)"]
    with_unknown = sum(1 for a in applicants if a.unknown)
    table = Table(title=f"b. Per applicant, in-process: {sample} applicants of the population "
                        f"(best of {rounds} rounds, mean per applicant)", title_justify="left")
    table.add_column("decision")
    table.add_column("per applicant", justify="right")
    table.add_column("applicants/s", justify="right")
    table.add_column("× raw pyDatalog time", justify="right")
    for label, _, _ in jobs:
        table.add_row(label, fmt_time(best[label]), f"{1 / best[label]:,.0f}",
                      fmt_ratio(best[label] / reference))
    explain_label, plan_label = jobs[5][0], jobs[4][0]
    ratio = best[explain_label] / best[plan_label]
    verdict = "[green]within[/]" if ratio <= 2 else "[red]above[/]"
    table.caption = (f"{with_unknown} of {sample} applicants leave at least one fact unknown (the "
                     f"example files leave some out too): two-valued rows "
                     f"read them as false, the plan keeps them open. Explain every procedure / plan "
                     f"alone (same {explain_sample} applicants) = [bold]{ratio:.2f}×[/] "
                     f"({verdict} the target of 2×)")
    return table, ratio


# --- c. batch ---------------------------------------------------------------------------

def check_three_valued(policylog_out: Path, clingo_statuses: list) -> int:
    """clingo's certain/possible program is the sound approximation policylog had before its
    answers were exact: wherever it decides a status, policylog's batch must give the same;
    where it says undetermined, policylog may decide (by case analysis). Returns how many
    rows policylog decided further."""
    refined = 0
    with open(policylog_out, encoding="utf-8") as stream:
        for number, (line, expected) in enumerate(zip(stream, clingo_statuses), start=1):
            record = json.loads(line)
            statuses = record["procedures"] or {}
            differing = {p: (s, expected.get(p)) for p, s in statuses.items()
                         if s != expected.get(p) and expected.get(p) != "undetermined"}
            if differing:
                raise SystemExit(f"row {number}: policylog batch contradicts clingo three-valued "
                                 f"(procedure: (policylog, clingo)): {differing}")
            refined += statuses != expected
    return refined


def batch(compiled, n: int, workdir: Path) -> Table:
    source = workdir / "population.csv"
    applicants = list(population(n, seed=1))
    write_csv(applicants, source)
    distinct = len({situation(f) for _, f in applicants})
    del applicants
    cores = os.cpu_count() or 1
    results, cpu = {}, {}

    def timed(label, function):
        start, start_cpu = time.perf_counter(), cpu_seconds()
        count = function()
        results[label] = time.perf_counter() - start
        cpu[label] = cpu_seconds() - start_cpu
        if callable(count):  # counted after the clock stopped
            count = count()
        if count != n:
            raise SystemExit(f"{label}: {count} answers for {n} applicants")

    evaluated = []

    def policylog_batch(jobs):
        out = workdir / f"out_{jobs}.jsonl"
        done = run_checked(policylog_command() + ["batch", str(source), "--out", str(out),
                                                  "--jobs", str(jobs), "--max-input-mb", "1000"])
        evaluated.append(re.search(r"(\d+) situation\(s\) evaluated", done.stdout).group(1))
        def count():
            with open(out, encoding="utf-8") as stream:
                return sum(1 for line in stream if json.loads(line)["error"] is None)
        return count

    def pydatalog_batch(cache: bool):
        baseline = baseline_pydatalog.Baseline()
        answers, count = {}, 0
        for _, facts in read_csv(source):
            if cache:
                key = situation(facts)
                if key not in answers:
                    answers[key] = baseline.decide(facts)
            else:
                baseline.decide(facts)
            count += 1
        return count

    def clingo_batch():
        program = baseline_clingo.asp_program()
        count = 0
        for _, facts in read_csv(source):
            baseline_clingo.decide(facts, program)
            count += 1
        return count

    def clingo_one_program():
        return sum(1 for _ in baseline_clingo.decide_chunked(f for _, f in read_csv(source)))

    clingo_statuses = []

    def clingo_three_valued(cache: bool):
        """The batch's own job on clingo: certain/possible program, then the statuses."""
        clingo_statuses.clear()
        answers, pending, order = {}, {}, []  # pending: key -> facts, CHUNK at a time

        def flush():
            found = baseline_clingo.statuses_many_three_valued(list(pending.values()))
            answers.update(zip(pending, found))
            pending.clear()

        for index, (_, facts) in enumerate(read_csv(source)):
            key = situation(facts) if cache else index
            order.append(key)
            if key not in answers and key not in pending:
                pending[key] = facts
                if len(pending) == baseline_clingo.CHUNK:
                    flush()
        flush()
        clingo_statuses.extend(answers[key] for key in order)
        return len(order)

    rows = [
        ("policylog batch --jobs 1 (three-valued, answers shared)",
         lambda: policylog_batch(1)),
        (f"policylog batch --jobs {cores} (every core)", lambda: policylog_batch(cores)),
        ("raw pyDatalog, 1 core (two-valued)", lambda: pydatalog_batch(False)),
        ("raw pyDatalog + the same per-situation cache, 1 core", lambda: pydatalog_batch(True)),
        ("clingo, a fresh Control per applicant, 1 core", clingo_batch),
        (f"clingo, one program per {baseline_clingo.CHUNK} applicants, 1 core (two-valued)",
         clingo_one_program),
        (f"clingo, three-valued (the batch's job), one program per {baseline_clingo.CHUNK}, 1 core",
         lambda: clingo_three_valued(False)),
        ("clingo, three-valued + the same per-situation cache, 1 core",
         lambda: clingo_three_valued(True)),
    ]
    for label, function in rows:
        timed(label, function)
    refined = check_three_valued(workdir / "out_1.jsonl", clingo_statuses)
    print(f"policylog batch agrees with clingo's three-valued statuses wherever those are "
          f"decided, and decides {refined:,} more rows (case analysis over the unknown facts)")
    reference = n / results["raw pyDatalog, 1 core (two-valued)"]
    table = Table(title=f"c. Batch: {n:,} applicants ({distinct:,} distinct situations, "
                        f"policylog evaluated {int(evaluated[0]):,}), {cores} cores",
                  title_justify="left")
    table.add_column("engine")
    table.add_column("wall time", justify="right")
    table.add_column("CPU time", justify="right")
    table.add_column("applicants/s", justify="right")
    table.add_column("× raw pyDatalog speed", justify="right")
    for label, _ in rows:
        rate = n / results[label]
        table.add_row(label, fmt_time(results[label]), fmt_time(cpu[label]), f"{rate:,.0f}",
                      fmt_ratio(rate / reference))
    table.caption = ("policylog rows: the CLI end to end (process start, compile, read CSV, write "
                     "JSONL); baseline rows: in this process, reading the same CSV. Higher × = "
                     "faster. CPU time counts every process (workers too): wall >> CPU/cores "
                     "means other programs had the cores")
    return table


# --- main ----------------------------------------------------------------------------

def main(argv=None) -> None:
    parser = argparse.ArgumentParser(
        description="Benchmark policylog against raw pyDatalog and clingo on the bundled policy. "
                    "The full run (100,000-applicant batch) takes about 8-10 minutes on 2 cores; "
                    "--quick takes about 2.",
        formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    parser.add_argument("--quick", action="store_true",
                        help="smaller samples: 10,000-applicant batch, 5 cold runs")
    parser.add_argument("--batch", type=int, default=None, help="batch size (overrides the mode)")
    parser.add_argument("--cold-runs", type=int, default=None, help="cold runs per command")
    parser.add_argument("--cold-only", action="store_true",
                        help="only table a (cold start-up), with its baselines")
    args = parser.parse_args(argv)
    settings = dict(QUICK if args.quick else FULL)
    if args.batch:
        settings["batch"] = args.batch
    if args.cold_runs:
        settings["cold_runs"] = args.cold_runs

    from importlib.metadata import version  # pyDatalog's own version string says 0.17.4

    load = " ".join(f"{x:.2f}" for x in os.getloadavg()) if hasattr(os, "getloadavg") else "?"
    console.print(f"[bold]policylog benchmarks[/] ({'quick' if args.quick else 'full'}): "
                  f"Python {platform.python_version()}, pyDatalog {version('pyDatalog')}, "
                  f"clingo {clingo.__version__}, {os.cpu_count()} cores, load average {load}")
    if hasattr(os, "getloadavg") and os.getloadavg()[0] > 0.5:
        console.print("[yellow]note[/]: the machine is busy (load average above 0.5): absolute "
                      "times are inflated and --jobs scaling is understated; compare wall with "
                      "CPU time")
    started = time.perf_counter()
    compiled = policy.load_policy()
    schema = fact_schema(compiled.program)
    workdir = Path(tempfile.mkdtemp(prefix="policylog-bench-"))
    try:
        if args.cold_only:
            console.print(cold(settings["cold_runs"], workdir))
            return
        console.print(check_correctness(compiled, schema, settings["check"], workdir))
        console.print(cold(settings["cold_runs"], workdir))
        table, _ = per_applicant(compiled, schema, settings["sample"],
                                 settings["explain_sample"], settings["rounds"])
        console.print(table)
        console.print(batch(compiled, settings["batch"], workdir))
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    console.print(f"total {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()

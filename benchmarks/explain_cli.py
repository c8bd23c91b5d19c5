"""`policylog explain` from the command line, for the slowest procedure of any example applicant.

    python benchmarks/explain_cli.py            # the 5 slowest pairs, 3 runs each
    python benchmarks/explain_cli.py --top 10 --runs 5
    python benchmarks/explain_cli.py --policy examples/household/rules \
        --applicants examples/household/applicants --top 6     # another policy

Every procedure of the bundled policy is explained for every applicant in facts/ in-process
(`policy.api.explain`, the policy loaded once), which finds the slowest (applicant,
procedure) pairs. Each of those is then run as a user runs it, `python cli.py explain FILE
PROCEDURE`, a new process each time (interpreter start, imports, loading the policy, the
explanation), and its wall time taken as the median of the runs. Python's own start
(`python -c pass`) is measured in the same run as the baseline. Byte-code is written and
used, as an installed policylog has it (pip compiles on install): a first run of each
command warms it and is not counted.
"""
from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import policy  # noqa: E402
from policy import api  # noqa: E402


def in_process(files: list, procedures: list, policy_path=None) -> list:
    """[(seconds, file, procedure)] for every pair, slowest first."""
    timings = []
    for path in files:
        for pid in procedures:
            start = time.perf_counter()
            api.explain(path, pid, policy_path)
            timings.append((time.perf_counter() - start, path, pid))
    return sorted(timings, reverse=True)


def wall(command: list, runs: int, env: dict) -> tuple:
    """(wall seconds, CPU seconds) of the command, the medians of `runs` runs. The CPU time
    (user and system, the command's own processes: resource.RUSAGE_CHILDREN) moves less
    than the wall time with the load of a shared machine."""
    subprocess.run(command, cwd=ROOT, env=env, capture_output=True, check=False)  # warm up
    times, cpu = [], []
    for _ in range(runs):
        used = _children_cpu()
        start = time.perf_counter()
        done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, check=False)
        times.append(time.perf_counter() - start)
        cpu.append(_children_cpu() - used)
        if done.returncode not in (0, 1):
            raise SystemExit(f"{' '.join(command)} failed: {done.stderr.decode()[-500:]}")
    return statistics.median(times), statistics.median(cpu)


def fresh_env() -> dict:
    """The environment for timed commands: bytecode written and read, as an installed
    policylog runs (this machine sets PYTHONDONTWRITEBYTECODE)."""
    return {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def query_times(policies: dict, runs: int) -> tuple:
    """((wall, CPU) of `python -c pass`, {name: (wall, CPU)} of `cli.py query` of an applicant
    who gives nothing under each policy text), each a new process, medians of `runs`: the
    small-policy benchmarks (string_rows.py, list_classes.py) write their policies to a
    temporary folder and time them so."""
    env = fresh_env()
    with tempfile.TemporaryDirectory() as folder:
        applicant = Path(folder) / "nobody.yaml"
        applicant.write_text("applicant: nobody\n", encoding="utf-8")
        baseline = wall([sys.executable, "-c", "pass"], runs, env)
        times = {}
        for name, text in policies.items():
            rules = Path(folder) / f"{name}.pl"
            rules.write_text(text, encoding="utf-8")
            times[name] = wall([sys.executable, "cli.py", "query", str(applicant), "--policy",
                                str(rules)], runs, env)
    return baseline, times


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--top", type=int, default=5)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--policy", default=None, help="rule file or folder (default: bundled)")
    parser.add_argument("--applicants", default="facts", help="folder of applicant files")
    args = parser.parse_args()
    env = fresh_env()
    compiled = policy.load_policy(args.policy or policy.BUNDLED_POLICY)
    procedures = sorted(p for p, _ in compiled.static_model["procedure"])
    files = sorted(str(p.resolve().relative_to(ROOT))
                   for p in (ROOT / args.applicants).glob("*.yaml"))
    timings = in_process(files, procedures, args.policy)
    print(f"in-process: {len(timings)} explanations ({len(files)} applicants x "
          f"{len(procedures)} procedures), slowest {timings[0][0] * 1000:.0f} ms, median "
          f"{statistics.median(t for t, _, _ in timings) * 1000:.0f} ms")
    baseline, _ = wall([sys.executable, "-c", "pass"], args.runs, env)
    print(f"python -c pass: {baseline * 1000:.0f} ms")
    print(f"{'applicant':34} {'procedure':46} {'in-process':>10} {'command':>8} {'CPU':>8}")
    worst = worst_cpu = 0.0
    for seconds, path, pid in timings[:args.top]:
        policy_option = ["--policy", args.policy] if args.policy else []
        took, cpu = wall([sys.executable, "cli.py", "explain", path, pid, *policy_option],
                         args.runs, env)
        worst, worst_cpu = max(worst, took), max(worst_cpu, cpu)
        print(f"{path:34} {pid:46} {seconds * 1000:8.0f} ms {took * 1000:5.0f} ms "
              f"{cpu * 1000:5.0f} ms")
    print(f"slowest command: {worst * 1000:.0f} ms ({worst / baseline:.1f}x python -c pass), "
          f"most CPU {worst_cpu * 1000:.0f} ms; load average {os.getloadavg()[0]:.2f}")

if __name__ == "__main__":
    main()

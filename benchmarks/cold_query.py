"""Cold `policylog query` in two checkouts, interleaved: is one slower than the other?

    git worktree add /tmp/before <commit>        # or: git archive <commit> | tar -x -C /tmp/before
    python benchmarks/cold_query.py /tmp/before . [RUNS]

Each run is a new process (`python cli.py query facts/01_returnee_self_funded.yaml`)
from start to exit; the two checkouts take turns, so load from other work on
the machine falls on both alike. Prints wall and CPU (user+sys) time, median
and minimum, the ratio after/before, and how many modules each imports
(`python -X importtime`). CPU time is the steadier measure on a busy machine.
"""
from __future__ import annotations

import resource
import statistics
import subprocess
import sys
import time

ARGS = ["cli.py", "query", "facts/01_returnee_self_funded.yaml"]


def one_run(directory: str) -> tuple:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run([sys.executable, *ARGS], cwd=directory, capture_output=True, check=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime


def modules_imported(directory: str) -> int:
    err = subprocess.run([sys.executable, "-X", "importtime", *ARGS], cwd=directory,
                         capture_output=True, text=True, check=True).stderr
    return sum(1 for line in err.splitlines() if line.startswith("import time:") and "|" in line) - 1


def main() -> None:
    dirs = {"before": sys.argv[1], "after": sys.argv[2]}
    runs = int(sys.argv[3]) if len(sys.argv) > 3 else 15
    for directory in dirs.values():
        one_run(directory)  # warm the parse cache and the OS's file cache
    found = {name: [] for name in dirs}
    for _ in range(runs):
        for name, directory in dirs.items():
            found[name].append(one_run(directory))
    medians = {}
    for name, directory in dirs.items():
        walls, cpus = [w for w, _ in found[name]], [c for _, c in found[name]]
        medians[name] = statistics.median(cpus)
        print(f"{name:6}: wall median {statistics.median(walls):.3f} s (min {min(walls):.3f}); "
              f"cpu median {medians[name]:.3f} s (min {min(cpus):.3f}); "
              f"{modules_imported(directory)} modules imported; {runs} runs")
    print(f"cpu ratio after/before: {medians['after'] / medians['before']:.2f}")


if __name__ == "__main__":
    main()

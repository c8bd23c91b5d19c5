"""Growth with input size: `fmt` on n commented rules, and check + eval of one rule whose
body has n literals, each at n, 2n and 4n. Prints the times and the ratio to n: linear work
gives about 2 and 4, quadratic about 4 and 16. Not part of the test suite (the tests count
what grows instead; see tests/lang/test_format_scaling.py, tests/engine/test_long_bodies.py).

    python benchmarks/scaling.py            # n = 5,000 rules and 750 literals
    python benchmarks/scaling.py --quick    # n = 1,000 rules and 250 literals
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from policy import compile_text  # noqa: E402
from policy.lang.formatter import format_text  # noqa: E402


def commented_rules(n: int) -> str:
    return "input p(x).\n" + "".join(f"% rule {i}\nq{i}(X) :- p(X). % after {i}\n"
                                     for i in range(n))


def long_body(n: int) -> str:
    return "input p(x).\nderived h(x).\nh(X0) :- " + ", ".join(f"p(X{i})" for i in range(n)) + ".\n"


def cpu(work) -> float:
    started = time.process_time()
    work()
    return time.process_time() - started


def row(label: str, n: int, work) -> None:
    times = [cpu(lambda k=k: work(k * n)) for k in (1, 2, 4)]
    ratios = " ".join(f"{t / times[0]:5.1f}x" for t in times)
    print(f"{label:34} n={n:<6} " + " ".join(f"{t:7.2f}s" for t in times) + f"   {ratios}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    quick = parser.parse_args().quick
    rules, literals = (1000, 250) if quick else (5000, 750)
    print(f"{'':34} {'':8} {'n':>8} {'2n':>8} {'4n':>8}   ratios to n (CPU seconds)")
    row("fmt: commented rules", rules, lambda n: format_text(commented_rules(n)))
    row("check + eval: literals in one body", literals,
        lambda n: compile_text(long_body(n)).evaluate({"p": [(1,)]}))


if __name__ == "__main__":
    main()

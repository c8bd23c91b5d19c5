"""`policylog query` of small policies that read an unknown list in the newer exact classes.

    python benchmarks/list_classes.py             # 3 runs each
    python benchmarks/list_classes.py --runs 5

Three policies (below), each with two procedures over unknown `@values("many")` lists of
integers, the applicant giving nothing: a count grouped by an unknown `limit` that cannot
be both above and below 2 (`grouped`), a negation of one list at another's rows with an
equality that contradicts it (`negated`), and a sum of twice the rows that would have to be
5 (`scaled`). Each is `not_applicable` through symbolic rows (decide/list_rows.py and the
modules it names); before, each was `undetermined`, the list read through one
representative row per region. Each run is a new process, as a user runs it (`python cli.py
query FILE --policy RULES`); printed: the median wall time per policy, `python -c pass` in
the same run as the baseline, and the load average. Run it on two checkouts, alternated, to
compare.
"""
from __future__ import annotations

import argparse
import os

from explain_cli import query_times  # noqa: E402 (benchmarks/ is the script's folder)

HEADER = """\
input x0.
input limit(v: integer).
@values("many")
input amount(v: integer).
@values("many")
input excluded(v: integer).
procedure(main, must).
procedure(other, must).
"""
POLICIES = {
    "grouped": "eligible(main) :- limit(L), N = count : { amount(X), X > L }, N > 2, N < 2.\n"
               "eligible(other) :- x0.\n",
    "negated": "eligible(main) :- amount(X), X > 2, not excluded(X), excluded(Y), Y = X.\n"
               "eligible(other) :- amount(X), not excluded(X), x0.\n",
    "scaled": "eligible(main) :- S = sum X * 2 : { amount(X) }, S > 4, S < 6.\n"
              "eligible(other) :- S = sum X * 2 : { amount(X), X > 0 }, S >= 10, x0.\n",
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    policies = {name: HEADER + rules for name, rules in POLICIES.items()}
    (baseline, _), times = query_times(policies, args.runs)
    print(f"python -c pass: {baseline * 1000:.0f} ms")
    for name, (took, cpu) in times.items():
        print(f"query, {name}: {took * 1000:.0f} ms, CPU {cpu * 1000:.0f} ms (median of {args.runs})")
    print(f"load average {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()

"""`policylog query` of a policy that compares the rows of an unknown list of strings.

    python benchmarks/string_rows.py             # 3 runs
    python benchmarks/string_rows.py --runs 5

The policy (below) compares two rows of an unknown `@values("many")` list of strings
with each other and one of them with another unknown string; the applicant gives
nothing. Its exact checks (engine/open_solver.py) once went to z3's theory of strings,
which gave up on each at its time limit (2 s): `query` took 6.6 s where it had taken
0.83 s before lists had symbolic rows (decide/list_rows.py). Each run is a new process,
as a user runs it (`python cli.py query FILE --policy RULES`: interpreter start,
imports, loading the policy, the plan); printed: the median wall time, `python -c pass`
in the same run as the baseline, and the load average.
"""
from __future__ import annotations

import argparse
import os

from explain_cli import query_times  # noqa: E402 (benchmarks/ is the script's folder)

POLICY = """\
@description(en: "A name you have used")
@values("many")
input name(n: string).

@description(en: "The name on your other document")
input other(s: string).

@id("names.1")
@title(en: "Check the names")
eligible(check) :- name(A), name(B), A != B, other(S), S = A.

procedure(check, must).
title(check, "Check the names", "核对姓名").
derived eligible(procedure: enum(check)).
derived procedure(procedure: enum(check), modality: enum(must, may, option)).
derived title(procedure, en: string, zh: string).
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    (baseline, _), times = query_times({"names": POLICY}, args.runs)
    took, cpu = times["names"]
    print(f"python -c pass: {baseline * 1000:.0f} ms")
    print(f"query of an unknown list of strings compared row with row: {took * 1000:.0f} ms, "
          f"CPU {cpu * 1000:.0f} ms (median of {args.runs}); load average "
          f"{os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()

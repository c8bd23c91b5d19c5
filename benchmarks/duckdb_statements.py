"""Where a DuckDB evaluation's time goes, statement by statement (one workload of general.py).

    python benchmarks/duckdb_statements.py                 # the points-to analysis
    python benchmarks/duckdb_statements.py --only chain    # the first workload whose label has it
    python benchmarks/duckdb_statements.py --plan          # also each statement's planning time

Evaluates the workload once (so that the connection, the compiled program and the Python
side are warm), then again with every SQL statement timed: process CPU of each statement
(executing it and fetching its result: DuckDB runs on the calling thread), what it wrote
to (a predicate's table) and how many rows it added. `--plan` also times `PREPARE` of
each INSERT before it runs (DuckDB's parsing, binding and optimising; it plans again when
the statement runs, so this is what planning costs, not a saving). The totals at the end
say how much of the evaluation is statements and how much Python.
"""
from __future__ import annotations

import argparse
import re
import sys
import time
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

import general  # noqa: E402  (benchmarks/general.py: the workloads)


class Timed:
    """A connection whose statements are timed (the seam's thread-local connection wrapped)."""

    def __init__(self, connection, plan: bool):
        self.connection, self.plan, self.log = connection, plan, []

    def execute(self, statement, params=None):
        planning = 0.0
        if self.plan and statement.startswith("INSERT"):
            start = time.process_time()
            self.connection.execute("PREPARE pl_timed AS " + statement)
            planning = time.process_time() - start
        start = time.process_time()
        rows = self.connection.execute(statement, params).fetchall()
        self.log.append((time.process_time() - start, planning, statement, rows))
        return _Fetched(rows)

    def __getattr__(self, name):
        return getattr(self.connection, name)


class _Fetched:
    def __init__(self, rows):
        self.rows = rows

    def fetchone(self):
        return self.rows[0] if self.rows else None

    def fetchall(self):
        return self.rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", default="points-to", help="text in the workload's label")
    parser.add_argument("--plan", action="store_true", help="time PREPARE of every INSERT too")
    options = parser.parse_args()
    label, text, _, kind, size, target = next(
        w for w in general.workloads(False) if options.only in w[0])
    import policy
    from policy.engine import duckdb_seam

    compiled, facts = policy.compile_text(text), general.make_facts(kind, size)
    compiled.evaluate(facts, [target], engine="duckdb")
    timed = Timed(duckdb_seam._LOCAL.connection, options.plan)
    duckdb_seam._LOCAL.connection = timed
    start = time.process_time()
    compiled.evaluate(facts, [target], engine="duckdb")
    total = time.process_time() - start
    duckdb_seam._LOCAL.connection = timed.connection
    names = {table: name for name, table in compiled.duck_engine(False).tables.items()}
    report(label, timed.log, names, total)


def report(label: str, log: list, names: dict, total: float) -> None:
    print(f"{label}: {len(log)} statements")
    per_predicate = defaultdict(lambda: [0, 0.0, 0.0, 0])
    for cpu, planning, statement, rows in log:
        found = re.match(r"INSERT INTO (\w+)", statement)
        what = names.get(found.group(1), found.group(1)) if found else statement.split()[0]
        kind = " (recursive CTE)" if "RECURSIVE" in statement else ""
        added = rows[0][0] if found and rows else ""
        print(f"{cpu * 1000:8.1f} ms  {f'plan {planning * 1000:5.1f} ms  ' if planning else ''}"
              f"{what}{kind} {added}")
        entry = per_predicate[what]
        entry[0] += 1
        entry[1] += cpu
        entry[2] += planning
        entry[3] += added or 0
    print("\nper table: statements, CPU ms, planning ms, rows added")
    for what, (count, cpu, planning, added) in sorted(per_predicate.items(),
                                                      key=lambda item: -item[1][1]):
        print(f"  {what:24} {count:3} {cpu * 1000:8.1f} {planning * 1000:8.1f} {added:9}")
    statements = sum(entry[0] for entry in log)
    planned = sum(entry[1] for entry in log)
    print(f"\nevaluation {total:.3f} s CPU: statements {statements:.3f} s"
          + (f" (planning {planned:.3f} s)" if planned else "")
          + f", Python {total - statements - planned:.3f} s")


if __name__ == "__main__":
    main()

"""The impact of a policy change on a whole population: `diff OLD NEW --population FILE`.

Every row of the population file (CSV or JSONL, as `batch` reads them) gets
its statuses under the old and the new policy, with the batch's own machinery
(answers shared, blocks, one lifted evaluation per block on DuckDB), and the
report counts, per procedure, how many applicants move from one status to
another, with the first few of them as examples. Rows that are errors under
either policy are counted apart. Memory stays flat: only counts and examples
are kept.
"""
from __future__ import annotations

import functools
from collections import Counter
from dataclasses import dataclass, field

from policy.tools.batch import (BLOCK_LIFTED, BLOCK_PER_JOB, Evaluator, _blocks,
                                _submit_lifted)

EXAMPLES = 3  # applicants shown per procedure and change


@dataclass
class PopulationImpact:
    """Counts of status changes per procedure between two policies, over a population."""

    rows: int = 0
    errors: int = 0  # rows that are an error record under either policy
    changed: int = 0  # applicants with at least one procedure whose status changes
    moves: dict = field(default_factory=dict)  # procedure -> Counter((old, new) -> applicants)
    examples: dict = field(default_factory=dict)  # (procedure, old, new) -> [(line, applicant)]

    def add(self, old: dict, new: dict) -> None:
        self.rows += 1
        if old["error"] or new["error"]:
            self.errors += 1
            return
        before, after = old["procedures"], new["procedures"]
        moved = False
        for procedure in sorted(set(before) | set(after)):
            change = (before.get(procedure, "absent"), after.get(procedure, "absent"))
            if change[0] == change[1]:
                continue
            moved = True
            self.moves.setdefault(procedure, Counter())[change] += 1
            shown = self.examples.setdefault((procedure, *change), [])
            if len(shown) < EXAMPLES:
                shown.append((old["line"], old["applicant"]))
        self.changed += moved


def population_impact(old, new, rows, source: str, engine: str = "duckdb") -> PopulationImpact:
    """Statuses of every row under `old` and `new` (compiled policies), compared."""
    evaluators = [_evaluator(compiled, source, engine) for compiled in (old, new)]
    size = BLOCK_LIFTED if engine == "duckdb" else BLOCK_PER_JOB
    impact = PopulationImpact()
    for block in _blocks(rows, size):
        before, after = (evaluator.records(block) for evaluator in evaluators)
        for old_record, new_record in zip(before, after):
            impact.add(old_record, new_record)
    return impact


def _evaluator(compiled, source: str, engine: str) -> Evaluator:
    if engine == "duckdb":
        return Evaluator(compiled, source, functools.partial(_submit_lifted, compiled))
    return Evaluator(compiled, source)

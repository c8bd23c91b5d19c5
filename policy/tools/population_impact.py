"""The impact of a policy change on a whole population: `diff OLD NEW --population FILE`.

Every row of the population file (CSV or JSONL, as `batch` reads them) gets
its statuses under the old and the new policy with the batch's own machinery
(statuses exact over the completions, answers shared, blocks; on DuckDB one
lifted evaluation per block where a policy needs evaluating at all), and the
report lists the applicants whose statuses change and counts, per procedure,
how many move from one status to another, with the first few as examples.
A row that is wrong (a bad value, a limit met) is not compared and is counted,
the first few named with their line, as `batch` writes an error record and goes
on: one bad row of a million no longer throws the other rows' report away. Rows
are read a block at a time; what is kept is the changed rows and the counts.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from policy.tools.batch import BLOCK_LIFTED, BLOCK_PER_JOB, Evaluator, _blocks
from policy.tools.batch_lifted import lifted_submit
from policy.tools.impact import Change

EXAMPLES = 3  # applicants shown per procedure and change


@dataclass(frozen=True)
class Case:
    """A population row as `diff` lists it (as a scenario: name, file, line)."""

    name: str
    file: str
    line: int


@dataclass
class PopulationImpact:
    """Counts of status changes per procedure between two policies, over a population."""

    rows: int = 0
    changes: list = field(default_factory=list)  # impact.Change per row whose statuses change
    moves: dict = field(default_factory=dict)  # procedure -> Counter((old, new) -> applicants)
    examples: dict = field(default_factory=dict)  # (procedure, old, new) -> [Case]
    errors: int = 0  # rows not compared: a bad value, a limit met
    error_examples: list = field(default_factory=list)  # the first: (file, line, message)

    def refuse(self, file: str, line: int, message: str) -> None:
        self.errors += 1
        if len(self.error_examples) < EXAMPLES:
            self.error_examples.append((file, line, message))

    def add(self, case: Case, before: dict, after: dict) -> None:
        self.rows += 1
        differing = []
        for procedure in sorted(set(before) | set(after)):
            change = (before.get(procedure, "(absent)"), after.get(procedure, "(absent)"))
            if change[0] == change[1]:
                continue
            differing.append((procedure, *change))
            self.moves.setdefault(procedure, Counter())[change] += 1
            shown = self.examples.setdefault((procedure, *change), [])
            if len(shown) < EXAMPLES:
                shown.append(case)
        if differing:
            self.changes.append(Change(case, differing))


def population_impact(old, new, rows, source: str, engine: str = "pydatalog") -> PopulationImpact:
    """Statuses of every row under `old` and `new` (compiled policies), compared."""
    evaluators = [_evaluator(compiled, source, engine) for compiled in (old, new)]
    size = BLOCK_LIFTED if engine == "duckdb" else BLOCK_PER_JOB
    impact = PopulationImpact()
    for block in _blocks(rows, size):
        before, after = (evaluator.records(block) for evaluator in evaluators)
        for old_record, new_record in zip(before, after):
            wrong = old_record["error"] or new_record["error"]
            if wrong:
                impact.refuse(source, old_record["line"], wrong)
                continue
            case = Case(str(old_record["applicant"]), source, old_record["line"])
            impact.add(case, old_record["procedures"], new_record["procedures"])
    return impact


def _evaluator(compiled, source: str, engine: str) -> Evaluator:
    if engine == "duckdb":
        return Evaluator(compiled, source, lifted_submit(compiled))
    return Evaluator(compiled, source)

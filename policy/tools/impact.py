"""`policylog diff OLD NEW`: whose outcome a change of the policy would change, and which rules changed.

Logic only; policy/views/diffview.py draws the result."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from policy.errors import PolicyError
from policy.lang.formatter import format_statement
from policy.decide.plan import make_plan


@dataclass
class Change:
    """A scenario whose outcome differs between two policies: the procedures that changed."""

    scenario: object
    procedures: list = field(default_factory=list)  # (id, old status, new status)


def applicant_cases(applicant_paths=(), population=None, schema=()) -> list:
    """Applicant files (or directories of them) and the rows of a CSV/JSONL population as
    cases to compare, shaped like scenarios (name, file, line, facts)."""
    from policy.tools.tester import Scenario, SCENARIO_SUFFIXES

    cases = []
    for path in map(Path, applicant_paths):
        if not path.exists():
            raise PolicyError.single("file_error", "no such file or directory", str(path))
        files = [path] if path.is_file() else sorted(
            p for p in path.rglob("*") if p.suffix in SCENARIO_SUFFIXES + (".json",))
        for file in files:
            cases.append(Scenario(file.stem, str(file), 1, None, file))
    if population is not None:
        cases.extend(_population_cases(Path(population), schema))
    return cases


def _population_cases(path: Path, schema) -> list:
    from policy.inputs.rows import read_rows
    from policy.tools.tester import Scenario

    if not path.is_file():
        raise PolicyError.single("file_error", "no such file", str(path))
    kind = "csv" if path.suffix.lower() == ".csv" else "jsonl"
    cases = []
    for row in read_rows(path, kind, schema):
        if row.error:
            raise PolicyError.single("facts_error", row.error, str(path), row.line)
        cases.append(Scenario(str(row.name or f"line {row.line}"), str(path), row.line, None,
                              dict(row.values)))
    return cases


def statuses(compiled, scenario) -> dict:
    plan = make_plan(compiled, scenario.applicant(compiled))
    return {p.id: p.status for p in plan.procedures}


def outcome_changes(old, new, scenarios) -> list:
    """The scenarios whose procedures' statuses differ between the two policies."""
    changes = []
    for scenario in scenarios:
        before, after = statuses(old, scenario), statuses(new, scenario)
        differing = [(pid, before.get(pid, "(absent)"), after.get(pid, "(absent)"))
                     for pid in sorted(set(before) | set(after)) if before.get(pid) != after.get(pid)]
        if differing:
            changes.append(Change(scenario, differing))
    return changes


def rule_changes(old_program, new_program) -> list:
    """(kind, id or text, file, line) for rules added, removed or modified; matched by @id,
    else by their text."""
    old, new = _by_key(old_program), _by_key(new_program)
    found = []
    for key in sorted(set(old) | set(new)):
        if key not in new:
            found.append(("removed", key, old[key].span.file, old[key].span.line))
        elif key not in old:
            found.append(("added", key, new[key].span.file, new[key].span.line))
        elif format_statement(old[key]) != format_statement(new[key]):
            found.append(("modified", key, new[key].span.file, new[key].span.line))
    return found


def _by_key(program) -> dict:
    return {rule.rule_id or format_statement(rule): rule for rule in program.rules}

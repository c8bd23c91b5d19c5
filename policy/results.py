"""What each command of policy.api returns: plain result objects that the views draw.

A result whose `problems` is true makes the command line exit 1. They live apart from
api.py so that the library's functions read as the commands they are.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass
class CheckResult:
    """What `check` found: every diagnostic, errors and warnings."""

    diagnostics: list

    @property
    def problems(self) -> bool:
        return any(d.is_error for d in self.diagnostics)


@dataclass
class EvalResult:
    """What `eval` found: the answers to a query, or the whole model without one."""

    query: str | None
    model: dict | None = None  # predicate -> rows, when no query was asked
    answers: list | None = None  # one dict of variable bindings per answer


@dataclass
class QueryResult:
    """What `query` found: the applicant's plan, and whether to show every procedure."""

    plan: object
    show_all: bool = False


@dataclass
class BatchResult:
    """What `batch` did: its summary and per-procedure counts (the records are already written)."""

    summary: object
    procedures: list
    to_stderr: bool = False  # the records went to standard output: the summary goes to stderr

    @property
    def problems(self) -> bool:
        """Some rows could not be evaluated (their records hold the error): exit 1."""
        return self.summary.errors > 0


class _no_progress:
    def __init__(self, total: int):
        pass

    def __enter__(self):
        return None

    def __exit__(self, *exc):
        return False


@dataclass
class TestResult:
    """What `test` found: each scenario's outcome, and coverage when asked for."""

    outcomes: list
    coverage: dict | None = None
    fail_under: float | None = None

    @property
    def coverage_too_low(self) -> bool:
        from policy.views.testview import coverage_percent

        return (self.coverage is not None and self.fail_under is not None
                and coverage_percent(self.coverage) < self.fail_under)

    @property
    def problems(self) -> bool:
        return any(not o.passed for o in self.outcomes) or self.coverage_too_low


TestResult.__test__ = False  # a result, not a pytest test class


@dataclass
class FmtResult:
    """What `fmt` did or, with --check, would change: the files."""

    changed: list
    check_only: bool

    @property
    def problems(self) -> bool:
        return self.check_only and bool(self.changed)


@dataclass
class DiffResult:
    """What `diff` found: the scenarios whose outcome changes, and the rules that changed."""

    changes: list  # impact.Change per scenario whose outcome changes
    scenarios: int
    rules: list  # (kind, key, file, line)
    exit_code: bool = False  # --exit-code: a changed outcome is a finding (exit 1)
    population: object = None  # population_impact.PopulationImpact, with --population

    @property
    def problems(self) -> bool:
        """Exit 1: changed outcomes with --exit-code, or population rows not compared
        (as `batch` exits 1 when a row is an error record)."""
        refused = self.population is not None and self.population.errors > 0
        return (self.exit_code and bool(self.changes)) or refused

"""Diagnostics and the one error hierarchy of policylog.

A check never stops at the first problem: it returns Diagnostics, and only the
API boundary turns a list holding errors into a PolicyError carrying them all.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable

ERROR = "error"
WARNING = "warning"

# Every diagnostic code, with what it means; the README documents the same list.
CODES = {
    "syntax_error": "the text is not valid rule language",
    "unsafe_variable": "a variable is not bound by a positive body atom",
    "arity_mismatch": "a predicate is used with different numbers of arguments",
    "undefined_predicate": "a body uses a predicate nothing defines",
    "cyclic_negation": "negation or aggregation through recursion",
    "type_error": "a value does not fit the declared type",
    "duplicate_id": "two clauses or declarations share an @id",
    "bad_annotation": "an annotation is unknown or malformed",
    "bad_declaration": "a declaration contradicts itself or the rules",
    "unused_declaration": "a declared input predicate is never used",
    "unused_derived": "a derived predicate is never used and not declared",
    "unknown_source": "a @source names no clause of the policy's sources list",
    "usage_error": "options that do not fit together, or select nothing",
    "file_error": "a file or directory cannot be read",
    "facts_error": "a facts file is malformed or does not fit the policy",
    "query_error": "a query is malformed or names an unknown predicate",
    "evaluation_error": "evaluation failed (for example a division by zero)",
    "limit_exceeded": "a time, size or fact-count limit was reached",
    "cluster_error": "a Dask scheduler cannot be reached, or lost a partition of a batch",
}


@dataclass(frozen=True)
class Span:
    """A place in a file: 1-based line and column (0: the whole file or line).

    AST nodes carry one (where a node starts); documents and facts files use one
    to point at a line.
    """

    file: str
    line: int
    column: int = 1

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"


@dataclass(frozen=True)
class Failed:
    """A batch evaluation that raised a PolicyError (a limit): its message, as a value.

    Workers return it instead of models, so that one failing situation becomes
    an error record without an exception crossing the process pool.
    """

    message: str


@dataclass(frozen=True)
class Diagnostic:
    """One problem found at one place."""

    code: str
    severity: str
    message: str
    file: str = ""
    line: int = 0
    column: int = 0
    source_line: str = field(default="", compare=False)

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR

    def sort_key(self):
        return (self.file, self.line, self.column, self.code, self.message)

    def location(self) -> str:
        parts = [self.file or "<input>"]
        if self.line:
            parts.append(str(self.line))
            if self.column:
                parts.append(str(self.column))
        return ":".join(parts)

    def render(self) -> str:
        """`file:line:col: severity: code: message`, then the line and a caret."""
        where = f"{self.location()}: " if self.file else ""
        text = f"{where}{self.severity}: {self.code}: {self.message}"
        if self.source_line and self.column:
            text += f"\n    {self.source_line}\n    {' ' * (self.column - 1)}^"
        return text

    def as_dict(self) -> dict:
        return {
            "code": self.code,
            "severity": self.severity,
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "message": self.message,
        }


def error_at(code: str, message: str, span=None, source_line: str = "") -> Diagnostic:
    """An error Diagnostic at an AST span (or nowhere)."""
    if span is None:
        return Diagnostic(code, ERROR, message)
    return Diagnostic(code, ERROR, message, span.file, span.line, span.column, source_line)


def warning_at(code: str, message: str, span) -> Diagnostic:
    return Diagnostic(code, WARNING, message, span.file, span.line, span.column)


class PolicyError(Exception):
    """Anything wrong with a policy, a facts file or a query.

    `.code`, `.file`, `.line`, `.column` describe the first problem;
    `.diagnostics` holds all of them.
    """

    def __init__(self, diagnostics: Iterable[Diagnostic]):
        self.diagnostics = sorted(diagnostics, key=Diagnostic.sort_key)
        if not self.diagnostics:
            raise ValueError("a PolicyError needs at least one diagnostic")
        first = next((d for d in self.diagnostics if d.is_error), self.diagnostics[0])
        self.code = first.code
        self.message = first.message
        self.file = first.file
        self.line = first.line
        self.column = first.column
        super().__init__(first.render())

    @classmethod
    def single(cls, code: str, message: str, file: str = "", line: int = 0, column: int = 0,
               source_line: str = "") -> "PolicyError":
        return cls([Diagnostic(code, ERROR, message, file, line, column, source_line)])


class PolicySyntaxError(PolicyError):
    """The rule text does not parse."""


class PolicyCheckError(PolicyError):
    """The rules parse but a static check refused them."""


class FactsError(PolicyError):
    """A facts file is malformed or does not fit the policy."""


class EvaluationError(PolicyError):
    """Evaluation itself failed."""


class TimeLimitExceeded(PolicyError):
    """The work went on past --timeout; its thread is abandoned, still running."""


class Interrupted(Exception):
    """Ctrl-C stopped a batch: the records finished so far are written.

    `summary` counts them; `output_path` is where they are (set by policy.api).
    Not a PolicyError: nothing was wrong with the input (the CLI exits 130).
    """

    def __init__(self, summary, output_path=None):
        super().__init__(f"interrupted after {summary.rows} row(s)")
        self.summary, self.output_path = summary, output_path


def did_you_mean(name: str, candidates: Iterable[str]) -> str:
    """` (did you mean 'x'?)` when a close candidate exists, else ''."""
    import difflib  # only when a name is wrong: every start would import it

    close = difflib.get_close_matches(name, sorted(set(candidates)), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""

"""Row values of the lineage evaluator, and its one evaluation error."""
from __future__ import annotations

import datetime

from policy.errors import EvaluationError, error_at
from policy.values import Day, truth


def inward(value):
    """A Python/engine value as a row value here: Python's booleans become the value model's
    TRUE/FALSE (which, unlike True and False, are never equal to 1 and 0), and a date as
    an applicant file gives it (datetime.date) the engine's Day, so that a given date row
    (a what-if search puts the applicant's own rows back) is one of a fact's candidates."""
    if isinstance(value, bool):
        return truth(value)
    return Day.of(value) if isinstance(value, datetime.date) else value


def outward(value):
    return value


def inward_row(row) -> tuple:
    return tuple(inward(v) for v in row)


def outward_row(row) -> tuple:
    return tuple(outward(v) for v in row)


def failure(problem: BaseException) -> EvaluationError:
    message = f"evaluation failed: {type(problem).__name__}: {problem}"
    return EvaluationError([error_at("evaluation_error", message)])

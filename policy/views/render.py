"""Turning results into text for people and JSON for programs.

JSON output of every command carries `"schema": "policylog/<kind>/<version>"`
so that programs can tell what they read; the README documents each schema.
"""
from __future__ import annotations

import datetime
import json
import math
import re
import secrets
from decimal import Decimal

from policy.values import Day, Truth, row_key, show, to_engine


def json_value(value):
    """A Python value as JSON: dates as ISO strings, decimals as numbers, TRUE/FALSE as booleans.

    A decimal that a float holds exactly becomes that float; any other stays a Decimal,
    which `dumps` writes digit for digit (2.5000000000000000000001, not 2.5).
    """
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, Day):
        return str(value)
    if isinstance(value, Truth):
        return value.value
    if isinstance(value, Decimal):
        number = float(value)
        return number if math.isfinite(number) and Decimal(repr(number)) == value else value
    return value


_TOKEN = secrets.token_hex(8)  # no string a user writes can pass for a marked decimal
_EXACT = f"\x00exact-{_TOKEN}:"
_EXACT_JSON = re.compile(r'"\\u0000exact-' + _TOKEN + r':(-?[0-9.]+(?:E[-+]?[0-9]+)?)"')


def _json_default(value):
    """Decimals as a marked string that `dumps` turns back into the number's own digits."""
    if isinstance(value, Decimal) and value.is_finite():
        return _EXACT + str(value)
    converted = json_value(value)
    if converted is value:
        raise TypeError(f"{type(value).__name__} is not JSON serializable")
    return converted


def dumps(document) -> str:
    text = json.dumps(document, ensure_ascii=False, indent=2, default=_json_default)
    return _EXACT_JSON.sub(lambda match: match.group(1), text) if _TOKEN in text else text


def diagnostics_text(diagnostics) -> str:
    from policy.views.terminal import paint

    styles = {"error": "bold red", "warning": "bold yellow"}
    lines = [d.render().replace(f"{d.severity}: ", paint(d.severity, styles[d.severity]) + ": ", 1)
             for d in diagnostics]
    errors = sum(d.is_error for d in diagnostics)
    warnings = len(diagnostics) - errors
    lines.append(f"{errors} error(s), {warnings} warning(s)")
    return "\n".join(lines)


def diagnostics_json(diagnostics) -> str:
    return dumps([d.as_dict() for d in diagnostics])


def literal_text(predicate: str, row: tuple) -> str:
    """`name(a, "b c", 2026-01-31)` as the rule language writes it."""
    if not row:
        return predicate
    return f"{predicate}({', '.join(str(v) if type(v) is int else show(to_engine(v)) for v in row)})"


def model_text(model: dict) -> str:
    lines = []
    for name in sorted(model):
        for row in sorted_rows(model[name]):
            lines.append(literal_text(name, row) + ".")
    return "\n".join(lines)


def model_json(model: dict) -> str:
    predicates = {
        name: [[v if type(v) is int else json_value(v) for v in row] for row in sorted_rows(rows)]
        for name, rows in sorted(model.items())
    }
    return dumps({"schema": "policylog/model/1", "predicates": predicates})


def answers_text(query: str, answers: list) -> str:
    if not answers:
        return "no"
    if answers == [{}]:
        return "yes"
    return "\n".join(", ".join(f"{k} = {show(to_engine(v))}" for k, v in a.items()) for a in answers)


def answers_json(query: str, answers: list) -> str:
    rows = [{k: json_value(v) for k, v in a.items()} for a in answers]
    return dumps({"schema": "policylog/answers/1", "query": query, "answers": rows})


def batch_summary(summary, procedures: list) -> str:
    """A table of how many applicants got each status, per procedure."""
    from io import StringIO

    from rich.table import Table

    from policy.views import terminal

    statuses = ("applies", "blocked", "undetermined", "not_applicable")
    title = (f"{summary.rows} row(s), {summary.errors} error(s), "
             f"{summary.evaluated} situation(s) evaluated")
    table = Table(title=title, box=None, title_justify="left", title_style="bold",
                  header_style="bold")
    table.add_column("procedure")
    for status in statuses:
        table.add_column(status, justify="right")
    counts = summary.counts  # worked out from the rows on each read: read once
    for procedure in procedures:
        table.add_row(procedure, *(str(counts.get((procedure, s), 0)) for s in statuses))
    buffer = StringIO()
    terminal.console(buffer, 100).print(table)
    return terminal.tidy(buffer.getvalue())


class progress_bar:
    """A rich progress bar on stderr when it is a terminal; otherwise nothing is shown."""

    def __init__(self, total: int):
        import sys

        self.total, self.progress = total, None
        if sys.stderr.isatty():
            from rich.progress import Progress

            self.progress = Progress(transient=True)

    def __enter__(self):
        if self.progress is None:
            return None
        self.progress.start()
        task = self.progress.add_task("evaluating", total=self.total)
        return lambda: self.progress.advance(task)

    def __exit__(self, *exc):
        if self.progress is not None:
            self.progress.stop()
        return False


def _row_key(row: tuple):
    return row_key(row)


def sorted_rows(rows) -> list:
    """Rows in row_key's order. When each column holds only integers or only strings, that
    is the rows' own tuple order, which sorts without a key per value (500,500 rows of a
    transitive closure: 15 s of keys before)."""
    rows = list(rows)
    for column in zip(*rows):
        kinds = set(map(type, column))
        if kinds != {int} and kinds != {str}:
            return sorted(rows, key=_row_key)
    return sorted(rows)

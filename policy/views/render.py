"""Turning results into text for people and JSON for programs.

JSON output of every command carries `"schema": "policylog/<kind>/<version>"`
so that programs can tell what they read; the README documents each schema.
"""
from __future__ import annotations

import datetime
import json
import math
import os
import re
from decimal import Decimal
from operator import itemgetter

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


_TOKEN = os.urandom(8).hex()  # no string a user writes can pass for a marked decimal
# (what secrets.token_hex(8) is, without importing secrets and random for it)
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


def dumps(document, indent=2) -> str:
    """JSON with decimals digit for digit and dates as ISO strings; `indent=None`: one line
    (the job line a web worker reads)."""
    text = json.dumps(document, ensure_ascii=False, indent=indent, default=_json_default)
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
    return f"{predicate}({', '.join(map(_value_text, row))})"


def _value_text(value) -> str:
    return str(value) if type(value) is int else show(to_engine(value))


def model_text(model: dict) -> str:
    """Every row as a fact, predicates by name, rows in row_key's order. The collector is
    held: two million rows of a transitive closure are millions of short-lived tuples and
    strings, which it would otherwise walk again and again."""
    from policy.engine.collection import held

    lines = []
    with held():
        for name in sorted(model):
            rows = list(model[name])
            kinds = _column_kinds(rows)
            lines.extend(_fact_lines(name, sorted_rows(rows, kinds), kinds))
        return "\n".join(lines)


def _fact_lines(name: str, rows: list, kinds: list) -> list:
    """`name(1, "a")` per row, with one %-template per predicate: plain integers go in as
    they are, anything else as the rule language writes it."""
    if not kinds:
        return [name + "."] * len(rows)
    template = name.replace("%", "%%") + "(" + ", ".join(
        "%d" if kind is int else "%s" for kind in kinds) + ")."
    if all(kind is int for kind in kinds):
        return [template % row for row in rows]
    writers = [(lambda v: v) if kind is int else _value_text for kind in kinds]
    return [template % tuple([w(v) for w, v in zip(writers, row)]) for row in rows]


def model_json(model: dict) -> str:
    """The model as JSON, one row a line. Written here rather than by `dumps`: Python's
    JSON encoder is pure Python as soon as it indents, 2 s for half a million rows."""
    from policy.engine.collection import held

    parts = []
    with held():
        for name, rows in sorted(model.items()):
            lines = ",\n".join(_json_lines(list(rows)))
            parts.append(f"    {json.dumps(name)}: [\n{lines}\n    ]" if lines
                         else f"    {json.dumps(name)}: []")
        body = ",\n".join(parts)
        text = ('{\n  "schema": "policylog/model/1",\n  "predicates": {'
                + (f"\n{body}\n  " if body else "") + "}\n}")
        return _EXACT_JSON.sub(lambda match: match.group(1), text) if _TOKEN in text else text


def _json_lines(rows: list) -> list:
    """Each row, sorted, as an indented JSON list: a table of plain integers through one
    %-template (four times faster than encoding each row)."""
    kinds = _column_kinds(rows)
    rows = sorted_rows(rows, kinds)
    if kinds and all(kind is int for kind in kinds):
        template = "      [" + ", ".join("%d" for _ in kinds) + "]"
        return [template % row for row in rows]
    encode = json.JSONEncoder(ensure_ascii=False, default=_json_default).encode
    return ["      " + encode([v if type(v) is int else json_value(v) for v in row])
            for row in rows]


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


def sorted_rows(rows, kinds: list | None = None) -> list:
    """Rows in row_key's order. When each column holds only integers or only strings, that
    is the rows' own tuple order: sorted one column at a time, last column first (a stable
    sort per column compares plain integers or strings, 2.5x faster than comparing tuples;
    a key per value took 15 s for the 500,500 rows of a transitive closure)."""
    rows = list(rows)
    kinds = _column_kinds(rows) if kinds is None else kinds
    if not all(kind in (int, str) for kind in kinds):
        return sorted(rows, key=_row_key)
    for index in reversed(range(len(kinds))):
        rows.sort(key=itemgetter(index))
    return rows


def _column_kinds(rows: list) -> list:
    """Each column's type when all its values share one (bool is not int), else None."""
    kinds = []
    for index in range(len(rows[0]) if rows else 0):
        types = set(map(type, map(itemgetter(index), rows)))
        kinds.append(types.pop() if len(types) == 1 else None)
    return kinds

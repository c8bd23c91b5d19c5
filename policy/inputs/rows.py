"""Batch input: the rows of a CSV or JSONL file, read lazily, each typed or marked bad.

A CSV row's cells are typed by the fact schema (an empty cell is unknown; yes/no
cells take true/false/yes/no/1/0); a JSONL line is an applicant object. A bad
row is a Row with an `error`, so that the batch still gives it a record.
"""
from __future__ import annotations

import csv
import datetime
import json
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

from policy.inputs.applicant import NAME_KEY
from policy.errors import Failed, PolicyError, did_you_mean

CACHE_SIZE = 100_000  # distinct CSV cell rows typed and remembered at a time
TRUE_WORDS = {"true", "yes", "y", "1"}
FALSE_WORDS = {"false", "no", "n", "0"}


@dataclass
class Row:
    """One input row: its line, and either the applicant's values or why it is bad.

    `values` leaves the name out and may be shared by rows with the same cells;
    `raw`, when the reader has it, identifies those cells (a cheap cache key).
    """

    line: int
    values: dict = None
    error: str = ""
    name: object = None
    raw: tuple = None


def read_rows(path: Path, input_format: str, schema: list):
    """The rows of a CSV or JSONL file, lazily; PolicyError for a bad CSV header."""
    if input_format == "csv":
        yield from _csv_rows(path, schema)
    else:
        yield from _jsonl_rows(path)


def _jsonl_rows(path: Path):
    with open(path, encoding="utf-8-sig", newline="") as stream:
        for number, text in enumerate(stream, start=1):
            if not text.strip():
                yield Row(number, error="empty line")
                continue
            try:
                values = json.loads(text, parse_float=Decimal)
            except ValueError as problem:
                yield Row(number, error=f"not valid JSON: {problem}")
                continue
            if not isinstance(values, dict):
                yield Row(number, error="a line must be a JSON object of fact names to values")
                continue
            name = values.pop(NAME_KEY, None)
            yield Row(number, values, name=name)


def _csv_rows(path: Path, schema: list):
    """Typed rows; cells seen before (most rows repeat a situation) are typed once."""
    specs = {spec.name: spec for spec in schema}
    with open(path, encoding="utf-8-sig", newline="") as stream:
        reader = csv.reader(stream)
        header = next(reader, None)
        if header is None:
            return
        _check_header(header, specs, str(path))
        name_at = header.index(NAME_KEY) if NAME_KEY in header else None
        typed = {}  # the cells but the name -> their values, or what is wrong with them
        for cells in reader:
            line = reader.line_num
            if len(cells) != len(header):
                yield Row(line, error=f"the row has {len(cells)} cells; the header has {len(header)}")
                continue
            raw = tuple(cells) if name_at is None else tuple(cells[:name_at] + cells[name_at + 1:])
            if raw not in typed:
                if len(typed) >= CACHE_SIZE:
                    typed.clear()
                typed[raw] = _typed_or_problem(header, cells, specs)
            found = typed[raw]
            if isinstance(found, Failed):
                yield Row(line, error=found.message)
            else:
                name = cells[name_at].strip() if name_at is not None else ""
                yield Row(line, found, name=name or None, raw=raw)


def _typed_or_problem(header: list, cells: list, specs: dict):
    try:
        return _typed_cells(header, cells, specs)
    except ValueError as problem:
        return Failed(str(problem))


def _check_header(header: list, specs: dict, file: str) -> None:
    for column in header:
        if column != NAME_KEY and column not in specs:
            message = f"unknown column '{column}'" + did_you_mean(column, list(specs) + [NAME_KEY])
            raise PolicyError.single("facts_error", message, file, 1)


def _typed_cells(header: list, cells: list, specs: dict) -> dict:
    """A CSV row's cells as typed values, but the name; an empty cell is unknown (left out)."""
    values = {}
    for column, cell in zip(header, cells):
        cell = cell.strip()
        if cell and column != NAME_KEY:
            values[column] = _cell_value(specs[column], cell)
    return values


def _cell_value(spec, cell: str):
    kind = "boolean" if spec.is_flag else spec.type.name
    try:
        if kind == "boolean":
            if cell.lower() in TRUE_WORDS | FALSE_WORDS:
                return cell.lower() in TRUE_WORDS
            raise ValueError
        if kind == "integer":
            return int(cell)
        if kind == "decimal":
            return Decimal(cell)
        if kind == "date":
            return datetime.date.fromisoformat(cell)
    except (ValueError, InvalidOperation):
        raise ValueError(f"'{spec.name}': {cell!r} is not {_article(kind)}") from None
    return cell


def _article(kind: str) -> str:
    return ("an " if kind[0] in "aeiou" else "a ") + ("yes/no value" if kind == "boolean" else kind)


def count_rows(path: Path, input_format: str) -> int:
    """How many rows the input holds (for the progress bar); a cheap pass over the lines."""
    with open(path, "rb") as stream:
        lines = sum(1 for _ in stream)
    return max(lines - 1, 0) if input_format == "csv" else lines

"""Batch input: the rows of a CSV or JSONL file, read lazily, each typed or marked bad.

A CSV row's cells are typed by the fact schema (an empty cell is unknown; yes/no
cells take true/false/yes/no/1/0); a JSONL line is an applicant object. A bad
row is a Row with an `error`, so that the batch still gives it a record.
"""
from __future__ import annotations

import csv
import datetime
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

from policy.inputs.applicant import NAME_KEY
from policy.inputs.strict_json import JsonProblem, loads
from policy.errors import Failed, PolicyError, did_you_mean
from policy.limits import bounded_lines, current

_SURROGATE = re.compile("[\ud800-\udfff]")
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
    """The rows of a CSV, JSONL or Parquet file, read lazily as they are iterated;
    PolicyError for a bad CSV header (once iterating starts)."""
    if input_format == "csv":
        return CsvRows(path, schema)
    if input_format == "parquet":
        from policy.inputs.parquet_rows import parquet_rows

        return TypedRows(lambda: parquet_rows(Path(path)), path, input_format)
    return TypedRows(lambda: _jsonl_rows(path), path, input_format)


class TypedRows:
    """The rows of a JSONL or Parquet file, typed as read: iterating reads the file (once
    a time it is iterated); a batch knows by this type that it may decide them a block at a
    time by column (batch_values.py), and by `path` and `format` that it may read parts of
    the file on several cores (batch_split.py)."""

    def __init__(self, read, path: Path = None, input_format: str = None):
        self.read, self.path, self.format = read, path, input_format

    def __iter__(self):
        return iter(self.read())


def text_lines(path: Path):
    """The file's lines as text; bytes that are not UTF-8 become lone surrogates
    (surrogateescape), which the readers report as the row's error, not a traceback.
    Bounded: PolicyError past --max-input-mb or at a line longer than MAX_ROW_BYTES
    (limits.py), counted as read, so a pipe or a device stops too."""
    return _text_lines(path, _decoded)


def _text_lines(path: Path, decode):
    with open(path, "rb") as stream:
        yield from bounded_lines(stream, str(path), decode)


def _decoded(line: bytes, number: int) -> str:
    return line.decode("utf-8-sig" if number == 1 else "utf-8", errors="surrogateescape")


class _Decoder:
    """_decoded, noting whether a line since `escaped` was last cleared was not UTF-8 (so
    that only then are rows searched for its lone surrogates)."""

    escaped = False

    def __call__(self, line: bytes, number: int) -> str:
        try:
            return line.decode("utf-8-sig" if number == 1 else "utf-8")
        except UnicodeDecodeError:
            self.escaped = True
            return _decoded(line, number)


def _jsonl_rows(path: Path):
    return jsonl_rows(text_lines(path))


def jsonl_rows(lines, first: int = 1):
    """The Rows of JSONL text lines, the first being line `first`."""
    for number, text in enumerate(lines, start=first):
        if not text.strip():
            yield Row(number, error="empty line")
            continue
        try:
            values = loads(text)
        except JsonProblem as problem:
            yield Row(number, error=str(problem))
            continue
        if not isinstance(values, dict):
            yield Row(number, error="a line must be a JSON object of fact names to values")
            continue
        name = values.pop(NAME_KEY, None)
        yield Row(number, values, name=name)


class CsvRows:
    """The rows of a CSV file: iterating gives typed Rows (read_rows); `cell_blocks` gives
    them a block at a time as their cells, for a batch that types whole columns at once
    and hands any other row to `row`, which types it as iterating would have."""

    def __init__(self, path: Path, schema: list):
        self.path, self.specs = path, {spec.name: spec for spec in schema}
        self.header, self.name_at, self.typed = None, None, {}

    def __iter__(self):
        for block in self.cell_blocks(1):
            for line, cells, problem in block:
                yield self.row(line, cells, problem)

    def cell_blocks(self, size: int):
        """Lists of up to `size` (line, cells, problem), once `header` is read and checked
        (PolicyError when it is wrong); `problem` says why the csv module or the UTF-8
        decoding refused the row."""
        decoder = _Decoder()
        reader = csv.reader(_text_lines(self.path, decoder))
        header = _header(reader, self.specs, str(self.path))
        if header is None:
            return
        self.header = header
        self.name_at = header.index(NAME_KEY) if NAME_KEY in header else None
        yield from _cell_blocks(reader, decoder, size)

    def part_blocks(self, stream, first: int, size: int):
        """As `cell_blocks`, of a part of the file after its header (a binary `stream` of
        whole lines, the first being line `first`), once `header` is set (batch_split.py)."""
        decoder = _Decoder()
        reader = csv.reader(bounded_lines(stream, str(self.path), decoder, first))
        return _cell_blocks(reader, decoder, size, first - 1)

    def name(self, cells: list):
        """The applicant's name in these cells (None when the row gives none)."""
        at = self.name_at
        return cells[at].strip() or None if at is not None and at < len(cells) else None

    def row(self, line: int, cells: list, problem: str) -> Row:
        """One typed Row; cells seen before (most rows repeat a situation) are typed once."""
        header, name_at, typed = self.header, self.name_at, self.typed
        name = self.name(cells)
        if problem or len(cells) != len(header):
            problem = problem or f"the row has {len(cells)} cells; the header has {len(header)}"
            return Row(line, error=problem, name=name)
        raw = tuple(cells) if name_at is None else tuple(cells[:name_at] + cells[name_at + 1:])
        if raw not in typed:
            if len(typed) >= CACHE_SIZE:
                typed.clear()
            typed[raw] = _typed_or_problem(header, cells, self.specs)
        found = typed[raw]
        if isinstance(found, Failed):
            return Row(line, error=found.message, name=name)
        return Row(line, found, name=name, raw=raw)


def _cell_blocks(reader, decoder, size: int, offset: int = 0):
    """Blocks of (line, cells, problem) from a csv reader over `decoder`'s lines; a row's
    line is the reader's line number plus `offset`."""
    while True:
        decoder.escaped = False
        block, more = _cell_block(reader, size, offset)
        if decoder.escaped:  # some line was not UTF-8: find its rows
            block = [(line, [], "the row is not UTF-8 text")
                     if _SURROGATE.search("".join(cells)) else (line, cells, problem)
                     for line, cells, problem in block]
        if block:
            yield block
        if not more:
            return


def _cell_block(reader, size: int, offset: int = 0):
    """([(line, cells, problem)] of up to `size` rows, whether more may follow): a row the
    csv module refuses (a NUL byte, a huge field) has its problem, and reading goes on at
    the next row."""
    block = []
    append = block.append
    while len(block) < size:
        try:
            cells = next(reader)
        except StopIteration:
            return block, False
        except csv.Error as problem:
            append((reader.line_num + offset, [], f"not valid CSV: {problem}"))
            continue
        append((reader.line_num + offset, cells, ""))
    return block, True


def _header(reader, specs: dict, file: str):
    """The checked header row, or None for an empty file; PolicyError when it is wrong."""
    try:
        header = next(reader, None)
    except csv.Error as problem:
        raise PolicyError.single("facts_error", f"the header is not valid CSV: {problem}", file, 1) \
            from None
    if header is not None:
        _check_header(header, specs, file)
    return header


def _typed_or_problem(header: list, cells: list, specs: dict):
    try:
        return _typed_cells(header, cells, specs)
    except ValueError as problem:
        return Failed(str(problem))


def _check_header(header: list, specs: dict, file: str) -> None:
    if _SURROGATE.search("".join(header)):
        raise PolicyError.single("facts_error", "the header is not UTF-8 text", file, 1)
    for index, column in enumerate(header):
        if column in header[:index]:
            message = (f"the column '{column}' is given twice (columns {header.index(column) + 1} "
                       f"and {index + 1})")
            raise PolicyError.single("facts_error", message, file, 1)
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
    """A cell's value; a fact of records or of several values reads its cell as the
    interview reads a one-line answer (`[{book: Dune, days: 41}]`, `zh, en`, `[]`)."""
    if spec.is_record or spec.holds_many:
        return _several(spec, cell)
    return _one_value(spec, cell)


def _several(spec, cell: str) -> list:
    from policy.inputs.answers import listed

    try:
        return listed(spec, cell, lambda part: _one_value(spec, part))
    except ValueError as problem:
        raise ValueError(f"'{spec.name}': {problem}") from None


def _one_value(spec, cell: str):
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


def count_rows(path: Path, input_format: str):
    """How many rows the input holds (for the progress bar), or None when that cannot be
    known without reading it twice (a pipe, a device) or it is past the input limit."""
    if not path.is_file() or path.stat().st_size > current().max_input_bytes:
        return None
    if input_format == "parquet":
        from policy.inputs.parquet_rows import parquet_row_count

        return parquet_row_count(path)
    with open(path, "rb") as stream:
        lines = sum(1 for _ in stream)
    return max(lines - 1, 0) if input_format == "csv" else lines

"""Batch evaluation: a stream of applicants in, one record per applicant out, in order.

The input (CSV or JSONL) is read lazily and handled a block at a time, so memory
stays flat however long the input is. Applicants are independent, so blocks go
to a pool of worker processes, each holding its own compiled policy; and since
many applicants share the same situation, each distinct set of facts is
evaluated once and its answer reused. A bad row becomes an error record naming
its line: the output always has exactly one record per input row, in input order.
"""
from __future__ import annotations

import csv
import datetime
import json
import multiprocessing
import os
import signal
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from .applicant import NAME_KEY, Applicant, applicant_from_mapping, fact_schema
from .errors import FactsError, PolicyError, did_you_mean
from .plan import procedure_statuses

BLOCK_PER_JOB = 256
CACHE_SIZE = 100_000
TRUE_WORDS = {"true", "yes", "y", "1"}
FALSE_WORDS = {"false", "no", "n", "0"}


@dataclass
class Row:
    """One input row: its line, and either the applicant's values or why it is bad."""

    line: int
    values: dict = None
    error: str = ""


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
            yield Row(number, values)


def _csv_rows(path: Path, schema: list):
    specs = {spec.name: spec for spec in schema}
    with open(path, encoding="utf-8-sig", newline="") as stream:
        reader = csv.reader(stream)
        header = next(reader, None)
        if header is None:
            return
        _check_header(header, specs, str(path))
        for cells in reader:
            line = reader.line_num
            if len(cells) != len(header):
                yield Row(line, error=f"the row has {len(cells)} cells; the header has {len(header)}")
                continue
            try:
                yield Row(line, _typed_cells(header, cells, specs))
            except ValueError as problem:
                yield Row(line, error=str(problem))


def _check_header(header: list, specs: dict, file: str) -> None:
    for column in header:
        if column != NAME_KEY and column not in specs:
            message = f"unknown column '{column}'" + did_you_mean(column, list(specs) + [NAME_KEY])
            raise PolicyError.single("facts_error", message, file, 1)


def _typed_cells(header: list, cells: list, specs: dict) -> dict:
    """A CSV row's cells as typed values; an empty cell is unknown (left out)."""
    values = {}
    for column, cell in zip(header, cells):
        cell = cell.strip()
        if not cell:
            continue
        values[column] = cell if column == NAME_KEY else _cell_value(specs[column], cell)
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


class Evaluator:
    """Turns rows into records; each distinct situation is planned once, by `plan_many`.

    `plan_many` maps a list of fact sets to their statuses in order: in-process
    with one job, on a process pool with more. The cache lives here, in the
    parent, so no situation is planned twice, whichever worker planned it.
    """

    def __init__(self, compiled, source: str, plan_many=None):
        self.compiled, self.source = compiled, source
        self.schema = fact_schema(compiled.program)
        self.plan_many = plan_many or (lambda many: [plan_statuses(compiled, f) for f in many])
        self.cache = {}
        self.checked = {}  # a row's values (but its name) -> (facts, situation key)

    def records(self, block: list) -> list:
        """The records of a block of rows, in order."""
        prepared = [self._prepare(row) for row in block]
        pending = {}
        for item in prepared:
            if isinstance(item, tuple) and item[1] not in self.cache:
                pending.setdefault(item[1], item[0].facts)
        for key, found in zip(pending, self.plan_many(list(pending.values()))):
            if len(self.cache) >= CACHE_SIZE:
                self.cache.clear()
            self.cache[key] = found
        return [item if isinstance(item, dict) else self._record(*item) for item in prepared]

    def _prepare(self, row: Row):
        """A finished error record, or (applicant, situation key, line)."""
        if row.error:
            return _error_record(row.line, None, row.error)
        values = {k: v for k, v in row.values.items() if k != NAME_KEY}
        raw = tuple(sorted((k, repr(v)) for k, v in values.items()))
        if raw not in self.checked:  # many rows repeat a situation: check its values once
            try:
                applicant = applicant_from_mapping(values, self.schema, self.source, row.line)
            except FactsError as problem:
                return _error_record(row.line, None,
                                     "; ".join(d.message for d in problem.diagnostics))
            key = tuple(sorted((name, tuple(sorted(map(repr, rows))))
                               for name, rows in applicant.facts.items()))
            if len(self.checked) >= CACHE_SIZE:
                self.checked.clear()
            self.checked[raw] = (applicant.facts, key)
        facts, key = self.checked[raw]
        name = str(row.values.get(NAME_KEY) or f"line {row.line}")
        return Applicant(name=name, file=self.source, facts=facts), key, row.line

    def _record(self, applicant, key, line) -> dict:
        found = self.cache[key]
        if isinstance(found, str):
            return _error_record(line, applicant.name, found)
        return {"line": line, "applicant": applicant.name, "error": None, "procedures": found}


def _error_record(line: int, name, message: str) -> dict:
    return {"line": line, "applicant": name, "error": message, "procedures": None}


def plan_statuses(compiled, facts: dict):
    """{procedure: status} for one situation, or the message of the PolicyError it raised."""
    schema = fact_schema(compiled.program)
    applicant = Applicant(name="", file="", facts=facts,
                          unknown=[spec for spec in schema if spec.name not in facts])
    try:
        return procedure_statuses(compiled, applicant)
    except PolicyError as problem:
        return problem.message


_WORKER = {}


def _start_worker(policy_path) -> None:
    """Each worker compiles the policy once; Ctrl-C is the parent's to handle."""
    from . import load_policy

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _WORKER["compiled"] = load_policy(policy_path)


def _work(facts: dict):
    return plan_statuses(_WORKER["compiled"], facts)


@dataclass
class Summary:
    rows: int = 0
    errors: int = 0
    counts: dict = field(default_factory=dict)  # (procedure, status) -> count

    def add(self, record: dict) -> None:
        self.rows += 1
        if record["error"]:
            self.errors += 1
            return
        for procedure, status in record["procedures"].items():
            self.counts[(procedure, status)] = self.counts.get((procedure, status), 0) + 1


def run_batch(compiled, policy_path, rows, write, jobs: int, source: str, progress=None) -> Summary:
    """Evaluate `rows`, calling `write(record)` for each in input order; returns the summary.

    On KeyboardInterrupt the records written so far stay written; the summary
    travels on the exception as `.summary`.
    """
    summary = Summary()
    try:
        if jobs <= 1:
            _run_blocks(Evaluator(compiled, source), rows, write, summary, progress, BLOCK_PER_JOB)
        else:
            _run_pool(compiled, policy_path, rows, write, jobs, source, summary, progress)
    except KeyboardInterrupt as interrupted:
        interrupted.summary = summary
        raise
    return summary


def _run_blocks(evaluator, rows, write, summary, progress, size: int) -> None:
    for block in _blocks(rows, size):
        for record in evaluator.records(block):
            _emit(record, write, summary, progress)


def _run_pool(compiled, policy_path, rows, write, jobs, source, summary, progress) -> None:
    context = multiprocessing.get_context("fork" if hasattr(os, "fork") else "spawn")
    with context.Pool(jobs, initializer=_start_worker, initargs=(policy_path,)) as pool:
        try:
            evaluator = Evaluator(compiled, source, lambda many: pool.map(_work, many, chunksize=8))
            _run_blocks(evaluator, rows, write, summary, progress, jobs * BLOCK_PER_JOB)
        except KeyboardInterrupt:
            pool.terminate()
            raise


def _blocks(rows, size: int):
    block = []
    for row in rows:
        block.append(row)
        if len(block) == size:
            yield block
            block = []
    if block:
        yield block


def _emit(record: dict, write, summary: Summary, progress) -> None:
    write(record)
    summary.add(record)
    if progress is not None:
        progress()


class JsonlWriter:
    """One JSON object per line: line, applicant, error, procedures {id: status}."""

    def __init__(self, stream, procedures: list):
        self.stream = stream

    def __call__(self, record: dict) -> None:
        self.stream.write(json.dumps(record, ensure_ascii=False) + "\n")


class CsvWriter:
    """Columns line, applicant, error, then one column per procedure holding its status."""

    def __init__(self, stream, procedures: list):
        self.procedures = procedures
        self.writer = csv.writer(stream)
        self.writer.writerow(["line", "applicant", "error", *procedures])

    def __call__(self, record: dict) -> None:
        statuses = record["procedures"] or {}
        self.writer.writerow([record["line"], record["applicant"] or "", record["error"] or "",
                              *(statuses.get(p, "") for p in self.procedures)])


WRITERS = {"jsonl": JsonlWriter, "csv": CsvWriter}


def count_rows(path: Path, input_format: str) -> int:
    """How many rows the input holds (for the progress bar); a cheap pass over the lines."""
    with open(path, "rb") as stream:
        lines = sum(1 for _ in stream)
    return max(lines - 1, 0) if input_format == "csv" else lines

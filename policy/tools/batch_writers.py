"""Batch records out: one JSON object a line, or CSV with a column per procedure.

A record is {line, applicant, error, procedures: {id: status}}; rows of one
situation share one statuses dict (batch.py), which the JSONL writer encodes
once. Names and errors come from the input, so CSV cells are neutralised
against spreadsheet formulas. Summary counts the rows, errors and statuses written.
"""
from __future__ import annotations

import csv
import json
import re
from dataclasses import dataclass, field
from json.encoder import encode_basestring  # what json.dumps(text, ensure_ascii=False) uses

CACHE_SIZE = 100_000  # encodings remembered at a time (as batch.py's caches)


class JsonlWriter:
    """One JSON object per line: line, applicant, error, procedures {id: status}.

    Rows of one situation share one statuses dict, which is encoded once.
    """

    def __init__(self, stream, procedures: list):
        self.stream = stream
        self.encoded = {}  # id(statuses) -> (statuses, its JSON)

    def __call__(self, record: dict) -> None:
        self.stream.write(self._line(record))

    def write_block(self, items: list) -> None:
        """Write records and (line, applicant, statuses) triples (rows without an error, the
        applicant a string) at once: the same bytes as a record each."""
        encoded, parts = self._encoded, []
        for item in items:
            if type(item) is tuple:
                line, name, statuses = item
                parts.append(f'{{"line": {line}, "applicant": {encode_basestring(name)}, '
                             f'"error": null, "procedures": {encoded(statuses)}}}\n')
            else:
                parts.append(self._line(item))
        self.stream.write("".join(parts))

    def _line(self, record: dict) -> str:
        statuses = record["procedures"]
        if statuses is None:
            return json.dumps(record, ensure_ascii=False) + "\n"
        name = json.dumps(record["applicant"], ensure_ascii=False)
        return (f'{{"line": {record["line"]}, "applicant": {name}, "error": null, '
                f'"procedures": {self._encoded(statuses)}}}\n')

    def _encoded(self, statuses: dict) -> str:
        found = self.encoded.get(id(statuses))
        if found is None:
            if len(self.encoded) >= CACHE_SIZE:
                self.encoded.clear()
            found = self.encoded[id(statuses)] = statuses, json.dumps(statuses, ensure_ascii=False)
        return found[1]


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
NEGATIVE_NUMBER = re.compile(r"-[0-9]+(\.[0-9]+)?")


def neutralised(cell: str) -> str:
    """A cell a spreadsheet will not run as a formula (OWASP, CSV injection): a text starting
    with = + - @, a tab or a carriage return gets a leading single quote. A negative number
    such as -12 or -0.5 stays itself: a spreadsheet reads it as the number it is."""
    if cell.startswith(FORMULA_STARTS) and not NEGATIVE_NUMBER.fullmatch(cell):
        return "'" + cell
    return cell


class CsvWriter:
    """Columns line, applicant, error, then one column per procedure holding its status.

    The applicant's name and the error message come from the input: both are neutralised."""

    def __init__(self, stream, procedures: list):
        self.procedures, self.stream = procedures, stream
        self.writer = csv.writer(stream)
        self.writer.writerow(["line", "applicant", "error", *map(neutralised, procedures)])

    def __call__(self, record: dict) -> None:
        statuses = record["procedures"] or {}
        self.writer.writerow([record["line"], neutralised(record["applicant"] or ""),
                              neutralised(record["error"] or ""),
                              *(statuses.get(p, "") for p in self.procedures)])


class ParquetWriter:
    """Columns line (int64), applicant, error, then one string column per procedure; written a
    row group of BLOCK records at a time into the output file's bytes. `close()` writes the
    footer: the batch calls it at the end and on Ctrl-C, so a prefix is a valid file too."""

    BLOCK = 65_536

    def __init__(self, stream, procedures: list):
        import pyarrow
        import pyarrow.parquet

        self.pyarrow, self.procedures, self.records = pyarrow, procedures, []
        self.schema = pyarrow.schema([("line", pyarrow.int64()), ("applicant", pyarrow.string()),
                                      ("error", pyarrow.string())]
                                     + [(p, pyarrow.string()) for p in procedures])
        self.writer = pyarrow.parquet.ParquetWriter(stream.buffer, self.schema)

    def __call__(self, record: dict) -> None:
        self.records.append(record)
        if len(self.records) >= self.BLOCK:
            self._flush()

    def _flush(self) -> None:
        if not self.records:
            return
        records, self.records = self.records, []
        columns = [[r["line"] for r in records],
                   [None if r["applicant"] is None else str(r["applicant"]) for r in records],
                   [r["error"] or None for r in records]]
        columns += [[(r["procedures"] or {}).get(p) for r in records] for p in self.procedures]
        self.writer.write_table(self.pyarrow.Table.from_arrays(
            [self.pyarrow.array(c, type=f.type) for c, f in zip(columns, self.schema)],
            schema=self.schema))

    def close(self) -> None:
        self._flush()
        self.writer.close()


WRITERS = {"jsonl": JsonlWriter, "csv": CsvWriter, "parquet": ParquetWriter}


@dataclass
class Summary:
    """Rows, errors and counts per (procedure, status).

    Rows of one situation share one statuses dict, so rows are counted per
    dict and spread over its statuses only when `counts` is read.
    """

    rows: int = 0
    errors: int = 0
    evaluated: int = 0  # distinct situations planned
    _answers: dict = field(default_factory=dict)  # id(statuses) -> [statuses, rows]
    _counted: dict = field(default_factory=dict)  # (procedure, status) -> rows, added as such

    def add(self, record: dict) -> None:
        self.rows += 1
        if record["error"]:
            self.errors += 1
            return
        statuses = record["procedures"]
        entry = self._answers.get(id(statuses))
        if entry is None:
            self._answers[id(statuses)] = [statuses, 1]
        else:
            entry[1] += 1

    def add_rows(self, statuses: dict, rows: int) -> None:
        """`rows` records without an error, sharing one statuses dict."""
        self.rows += rows
        entry = self._answers.get(id(statuses))
        if entry is None:
            self._answers[id(statuses)] = [statuses, rows]
        else:
            entry[1] += rows

    def add_counts(self, rows: int, errors: int, counts: dict) -> None:
        """Another summary's rows, errors and counts (a part decided by a worker process)."""
        self.rows += rows
        self.errors += errors
        for key, number in counts.items():
            self._counted[key] = self._counted.get(key, 0) + number

    @property
    def counts(self) -> dict:
        """(procedure, status) -> number of rows."""
        counts = dict(self._counted)
        for statuses, rows in self._answers.values():
            for procedure, status in statuses.items():
                counts[(procedure, status)] = counts.get((procedure, status), 0) + rows
        return counts

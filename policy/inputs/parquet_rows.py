"""Batch input from Parquet: one applicant a row, a column per fact (null = unknown).

Parquet has no lines: a row's `line` is its number in the file (the first row is
1), and messages name it so. Values are what the columns hold, given to the same
checks as a JSONL applicant's values (a yes/no column of booleans, an enum of
strings, a list of structs for a fact of records); a date column's values are
written as ISO dates first, as a JSONL file writes them. The file is read a row
group batch at a time, so memory stays flat in the number of rows; its size is
checked against --max-input-mb before anything is read.
"""
from __future__ import annotations

import datetime
from pathlib import Path

from policy.errors import PolicyError
from policy.inputs.applicant import NAME_KEY
from policy.limits import check_input_size

BATCH_ROWS = 8192  # rows converted to Python at a time


def _file(path: Path):
    import pyarrow
    import pyarrow.parquet

    check_input_size(path.stat().st_size, str(path))
    try:
        return pyarrow.parquet.ParquetFile(path)
    except (pyarrow.ArrowException, OSError) as problem:
        raise PolicyError.single("facts_error", f"not a Parquet file: {problem}", str(path)) \
            from None


def parquet_row_count(path: Path) -> int:
    """The number of rows, from the file's footer."""
    return _file(path).metadata.num_rows


def parquet_rows(path: Path, groups=None, first: int = 1):
    """Row objects (rows.Row) of a Parquet file, lazily: of its row groups `groups` (a
    range; all by default), the first row being row `first` of the file."""
    from policy.inputs.rows import Row

    number = first - 1
    parquet = _file(path)
    for batch in parquet.iter_batches(batch_size=BATCH_ROWS,
                                      row_groups=None if groups is None else list(groups)):
        for values in batch.to_pylist():
            number += 1
            name = values.pop(NAME_KEY, None)
            yield Row(number, {key: _plain(value) for key, value in values.items()
                               if value is not None}, name=name)


def row_group_parts(path: Path, part_bytes: int) -> list:
    """(first group, end group, first row) of runs of the file's row groups of about
    `part_bytes` (uncompressed) each, a row group never cut (batch_cluster.py)."""
    metadata = _file(path).metadata
    parts, start, row, size, rows = [], 0, 1, 0, 0
    for group in range(metadata.num_row_groups):
        info = metadata.row_group(group)
        size, rows = size + info.total_byte_size, rows + info.num_rows
        if size >= part_bytes or group == metadata.num_row_groups - 1:
            parts.append((start, group + 1, row))
            start, row, size, rows = group + 1, row + rows, 0, 0
    return parts


def _plain(value):
    """A column's value as a JSONL applicant would give it."""
    if isinstance(value, datetime.datetime):
        return value.isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, list):
        return [_plain(item) for item in value]
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, float):
        from decimal import Decimal

        return Decimal(repr(value))
    return value

"""A batch of JSONL or Parquet rows decided by column, as batch_columns.py decides CSV cells.

JSONL and Parquet rows arrive typed (rows.py, parquet_rows.py): each is a Row of
{fact: value}. A block of them becomes branch codes a fact at a time through a small
dictionary of (fact, type of value, value) -> code, each pair checked once by
MappingReader (the check the general way makes), and the status diagrams decide the
whole block with numpy. A row that is not plain (a bad row, an unknown fact, a list,
a number, a value that is not one value of its fact) goes the general way
(batch.Evaluator), so the records are those the general way writes, byte for byte,
in input order. The rows are read a block at a time: memory stays flat in their count.
"""
from __future__ import annotations

import itertools

import numpy

from policy.errors import FactsError
from policy.tools.batch_columns import CACHE_SIZE, ODD, ColumnBatch

PLAIN_TYPES = (str, bool, type(None))  # values a finite fact can take as one value


class ValueBatch(ColumnBatch):
    """Decides blocks of typed Rows (an iterable of rows.Row) with the diagrams."""

    def __init__(self, diagrams, evaluator, rows):
        super().__init__(diagrams, evaluator, rows)
        self.index = {name: number for number, name in enumerate(diagrams.names)}
        self.unknown_codes = [diagrams.unknown[name] for name in diagrams.names]
        self.known = {}  # (fact, type of value, value) -> branch code (ODD: the general way)

    def blocks(self, size: int):
        return typed_blocks(self.rows, size)

    def decide(self, block: list):
        """(the block's items in order, [(statuses, rows)] of its plain rows)."""
        codes, plain_at = [], []
        for position, row in enumerate(block):
            found = None if row.error else self._row_codes(row.values)
            if found is not None:
                codes.append(found)
                plain_at.append(position)
        if codes:
            statuses, counts = self._statuses(numpy.array(codes, dtype=numpy.intp).T)
        else:
            statuses, counts = [], []
        items, odd = list(block), []
        decided = dict(zip(plain_at, statuses))
        for position, row in enumerate(block):
            if position in decided:
                items[position] = (row.line, str(row.name or f"line {row.line}"),
                                   decided[position])
            else:
                odd.append(position)
        if odd:
            for position, record in zip(odd, self.evaluator.records([block[p] for p in odd])):
                items[position] = record
        return items, counts

    def _row_codes(self, values: dict):
        """The row's branch codes in diagram order, or None when it is not plain."""
        codes = list(self.unknown_codes)
        index, known = self.index, self.known
        for key, value in values.items():
            fact = index.get(key)
            if fact is None or not isinstance(value, PLAIN_TYPES):
                return None
            memo = (key, type(value), value)
            code = known.get(memo)
            if code is None:
                if len(known) >= CACHE_SIZE:
                    known.clear()
                code = known[memo] = self._value_code(key, value)
            if code == ODD:
                return None
            codes[fact] = code
        return codes

    def _value_code(self, name: str, value) -> int:
        """One value's branch code, checked as MappingReader checks it (ODD: a problem)."""
        if value is None:
            return self.diagrams.unknown[name]
        try:
            rows = self.reader.facts({name: value}, 0).get(name)
        except FactsError:
            return ODD
        if rows is None:
            return self.diagrams.unknown[name]
        return self.diagrams.branches[name].get(rows, ODD)


def typed_blocks(rows, size: int):
    """Lists of up to `size` of the rows, read as they are needed."""
    rows = iter(rows)
    while True:
        block = list(itertools.islice(rows, size))
        if not block:
            return
        yield block

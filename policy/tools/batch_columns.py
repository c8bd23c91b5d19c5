"""A batch of CSV rows on a policy with a finite schema: a block at a time, by column.

The policy's status diagrams (decide/status_diagram.py) decide every procedure for a
whole block of rows with a few numpy look-ups per fact, once the block's cells are
branch codes. A column's cells are coded through a small dictionary (a cell text is
typed and checked once, as rows.py and MappingReader would: the same value, the same
problem), and the records are rendered a block at a time, each distinct statuses dict
encoded once (batch_writers.JsonlWriter.write_block). Any row that is not plain (a cell
that is not one value of its fact, a bad row) goes the general way (batch.Evaluator),
so the records are those the general way writes, byte for byte, in input order.
"""
from __future__ import annotations

import numpy

from policy.decide.status_diagram import STATUSES
from policy.engine import collection
from policy.errors import FactsError
from policy.limits import check_stopped
from policy.supervisor import sigint_held
from policy.inputs.rows import FALSE_WORDS, TRUE_WORDS

BLOCK = 8192  # rows decided at a time
CACHE_SIZE = 100_000  # cell texts per column, and statuses, remembered at a time
ODD = -1  # a cell the general way must see


class ColumnBatch:
    """Decides blocks of CsvRows with the diagrams; `evaluator` (batch.Evaluator) makes the
    records of the rows that are not plain."""

    def __init__(self, diagrams, evaluator, rows):
        self.diagrams, self.evaluator, self.rows = diagrams, evaluator, rows
        self.reader, self.specs = evaluator.reader, evaluator.reader.specs
        self.shared = {}  # statuses number -> the one statuses dict of that content
        self.columns = None  # set once the header is read (decide)
        self.weights = numpy.array([4 ** p for p in range(len(diagrams.procedures))],
                                   dtype=numpy.int64)

    def run(self, write, summary, progress, size: int = BLOCK) -> None:
        """Decide and write every block; the cyclic garbage collector is held off meanwhile
        (a block is hundreds of thousands of fresh, acyclic lists and strings, which it
        would otherwise walk again and again, doubling the time)."""
        with collection.held():
            self._run(write, summary, progress, size)

    def _run(self, write, summary, progress, size: int) -> None:
        self.write_blocks(self.blocks(size), write, summary, progress)

    def write_blocks(self, blocks, write, summary, progress) -> None:
        """Decide and write each block of `blocks` in order (all the input's, or a part's:
        batch_split.py), counting its rows into `summary`."""
        block_writer = getattr(write, "write_block", None)
        for block in blocks:
            check_stopped()  # abandoned at the time limit: no further block
            items, plain = self.decide(block)
            with sigint_held():  # Ctrl-C between blocks: what is written is what is counted
                if block_writer is not None:
                    block_writer(items)
                else:
                    for item in items:
                        write(_record(item) if type(item) is tuple else item)
                for item in items:
                    if type(item) is not tuple:
                        summary.add(item)
                for statuses, count in plain:
                    summary.add_rows(statuses, count)
            if progress is not None:
                for _ in items:
                    progress()

    def blocks(self, size: int):
        """The input a block at a time (here: CSV cells, batch_values.py: typed rows)."""
        return self.rows.cell_blocks(size)

    def decide(self, block: list):
        """(the block's items in order, [(statuses, rows)] of its plain rows)."""
        if self.columns is None:  # the header is read with the first block
            self.columns = self._columns(self.rows.header)
        return self._items(block, self.columns)

    def _columns(self, header: list) -> list:
        """[(position in a row, fact number, {cell text: branch code})] per fact column."""
        names = self.diagrams.names
        return [(at, names.index(column), {}) for at, column in enumerate(header)
                if column in self.specs]

    def _items(self, block: list, columns: list):
        """The block's items in order (a (line, applicant, statuses) triple per plain row, a
        record per other row) and [(statuses, rows)] of the plain ones."""
        width = len(self.rows.header)
        fine = [item for item in block if not item[2] and len(item[1]) == width]
        codes = numpy.empty((len(self.diagrams.names), len(fine)), dtype=numpy.intp)
        for number, name in enumerate(self.diagrams.names):
            codes[number] = self.diagrams.unknown[name]
        if fine:
            cells = list(zip(*[item[1] for item in fine]))
            for at, fact, known in columns:
                codes[fact] = self._coded(cells[at], fact, known)
        plain = (codes >= 0).all(axis=0) if fine else numpy.zeros(0, dtype=bool)
        if len(fine) == len(block) and plain.all():  # the usual block: every row plain
            statuses, counts = self._statuses(codes)
            lines = [item[0] for item in block]
            return list(zip(lines, self._names(cells, lines), statuses)), counts
        statuses, counts = self._statuses(codes[:, plain])
        items, odd, next_plain = [], [], iter(statuses)
        plain_list = plain.tolist()
        position = 0
        for item in block:
            line, cells, problem = item
            if not problem and len(cells) == width:
                is_plain = plain_list[position]
                position += 1
                if is_plain:
                    name = self.rows.name(cells)
                    items.append((line, name or f"line {line}", next(next_plain)))
                    continue
            odd.append(len(items))
            items.append(self.rows.row(line, cells, problem))
        if odd:
            records = self.evaluator.records([items[at] for at in odd])
            for at, record in zip(odd, records):
                items[at] = record
        return items, counts

    def _names(self, cells: list, lines: list) -> list:
        """The applicants' names of plain rows (as batch.Evaluator names them)."""
        at = self.rows.name_at
        if at is None:
            return [f"line {line}" for line in lines]
        return [name.strip() or f"line {line}" for name, line in zip(cells[at], lines)]

    def _coded(self, cells: tuple, fact: int, known: dict) -> list:
        """The branch codes of one column's cells (ODD where the general way must look)."""
        found = list(map(known.get, cells))
        if None in found:
            if len(known) >= CACHE_SIZE:
                known.clear()
            name = self.diagrams.names[fact]
            for cell in set(cells):
                if cell not in known:
                    known[cell] = self._code(name, cell)
            found = list(map(known.get, cells))
        return found

    def _code(self, name: str, cell: str) -> int:
        """One cell's branch code, typed as rows.py and MappingReader type it; ODD when it is
        anything but one value of the fact (a problem, or not a plain value)."""
        text = cell.strip()
        if not text:
            return self.diagrams.unknown[name]
        spec = self.specs[name]
        if spec.is_flag or spec.type.name == "boolean":
            word = text.lower()
            if word not in TRUE_WORDS | FALSE_WORDS:
                return ODD
            value = word in TRUE_WORDS
        elif spec.type.name == "enum":
            value = text
        else:
            return ODD
        try:
            rows = self.reader.facts({name: value}, 0).get(name)
        except FactsError:
            return ODD
        return self.diagrams.branches[name].get(rows, ODD)

    def _statuses(self, codes):
        """(the statuses dict of each column of codes, [(statuses dict, rows)])."""
        if codes.shape[1] == 0:
            return [], []
        numbers = self.weights @ self.diagrams.codes(codes).astype(numpy.int64)
        distinct, inverse, counts = numpy.unique(numbers, return_inverse=True,
                                                 return_counts=True)
        dicts = [self._shared(number) for number in distinct.tolist()]
        return ([dicts[at] for at in inverse.tolist()],
                [(dicts[at], int(count)) for at, count in enumerate(counts.tolist())])

    def _shared(self, number: int) -> dict:
        """The one statuses dict of a statuses number (2 bits a procedure)."""
        found = self.shared.get(number)
        if found is None:
            if len(self.shared) >= CACHE_SIZE:
                self.shared.clear()
            found = self.shared[number] = {
                pid: STATUSES[(number >> (2 * p)) & 3]
                for p, pid in enumerate(self.diagrams.procedures)}
        return found


def _record(item: tuple) -> dict:
    line, name, statuses = item
    return {"line": line, "applicant": name, "error": None, "procedures": statuses}

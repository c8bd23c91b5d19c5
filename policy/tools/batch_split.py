"""The block batch on several cores: each worker reads, decides and writes its own part of the file.

Profiled on 200,000 uniform CSV rows of the bundled policy: at --jobs 1 about a quarter
of the time is reading the CSV into cells, two fifths deciding blocks by the diagrams, the
rest encoding JSONL. batch_parallel.py gave the workers the deciding and encoding, but the
parent still read every cell and pickled it to a worker and unpickled each block's records
and statuses back: at --jobs 2 the parent alone used 7.6 s of CPU against 8.5 s for the
whole --jobs 1 run, so a second core gained nothing.

Here the parent only plans and stitches. It scans the file's bytes once (a C-speed count
of newlines) and cuts it into parts of about PART_BYTES at line ends, noting each part's
first line number; each worker reads its part's bytes itself, decides it a block at a
time (ColumnBatch / ValueBatch, the same code as one job) and returns the part's output
bytes and its summary counts; the parent writes the parts in order. The records are
those of --jobs 1, byte for byte: the same line numbers, the same error records.

A part must start where a record starts. A JSONL line is one record; a CSV line is one
only when no field is quoted (a quoted field may hold a newline), so a CSV file holding a
`"` anywhere is not split, nor is a file with a carriage return that does not end a CRLF
(the readers count a lone CR as a line end; the scan does not). Those, and whatever is not
a regular file (a pipe, a device) or is past --max-input-mb, go the way they went before
(batch_parallel.py or one process). Parquet input, and Parquet output, are not split.

At most AHEAD parts a worker are in flight, so memory stays flat. Ctrl-C or the time limit
stops the parent between parts; a part is written with SIGINT held off, so what is written
is a prefix of the --jobs 1 output ending at a record's end.
"""
from __future__ import annotations

import collections
import io
import multiprocessing
import os
import signal
import stat
from dataclasses import dataclass
from pathlib import Path

from policy.engine import collection
from policy.errors import PolicyError
from policy.inputs.rows import CsvRows
from policy.limits import bounded_lines, check_stopped, current
from policy.supervisor import die_with_parent, on_timeout, sigint_held
from policy.tools.batch_columns import BLOCK
from policy.tools.batch_parallel import pool_result
from policy.tools.batch_writers import CsvWriter, JsonlWriter, Summary

PART_BYTES = 2 * 1024 * 1024  # input bytes a worker reads and decides at a time
SCAN_BYTES = 8 * 1024 * 1024  # read at a time while the parent plans the parts
AHEAD = 2  # parts a worker, in flight at a time

_WORKER = {}


@dataclass(frozen=True)
class Part:
    """Bytes [start, end) of the input file, whose first line is line `first`."""

    start: int
    end: int
    first: int


@dataclass(frozen=True)
class _Failure:
    """A PolicyError a worker met (a line past MAX_ROW_BYTES): raised again by the parent."""

    kind: type
    diagnostics: list


def failure(problem: PolicyError) -> _Failure:
    """What a worker returns for a PolicyError, for the parent to raise (`emit`)."""
    return _Failure(type(problem), problem.diagnostics)


def can_split(rows, write, jobs: int) -> bool:
    """Whether the input and output allow it: several jobs, fork, JSONL or CSV out, CSV or
    JSONL in from a regular file within --max-input-mb (the file is not read here)."""
    if jobs <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        return False
    return why_not_split(rows, write) is None


def why_not_split(rows, write, parquet: bool = False):
    """None when the input may be cut into parts (CSV or JSONL in, or Parquet with
    `parquet`, from a regular file within --max-input-mb) and the output stitched from them
    (JSONL or CSV); else why not, a phrase (batch_cluster.py says it). The file's bytes
    are not read here (see `plan`)."""
    from policy.inputs.rows import TypedRows

    formats = ("jsonl", "parquet") if parquet else ("jsonl",)
    if type(write) not in (JsonlWriter, CsvWriter):
        return "the output is written as one file (Parquet): only JSONL or CSV out is cut"
    if not (isinstance(rows, CsvRows) or (isinstance(rows, TypedRows) and rows.format in formats)):
        return "only CSV or JSONL input is cut into parts"
    try:
        info = os.stat(rows.path)
    except (OSError, TypeError):
        return "the input is not a file"
    if not stat.S_ISREG(info.st_mode):
        return "the input is not a regular file (a pipe or a device cannot be read in parts)"
    if info.st_size > current().max_input_bytes:
        return "the input is past --max-input-mb"
    return None


def plan(path: Path, is_csv: bool, part_bytes: int = None):
    """The parts of the file after its header (CSV) or from its start (JSONL), each of about
    `part_bytes` (PART_BYTES), or None when the file may not be cut at line ends (module
    docstring)."""
    with open(path, "rb") as stream:
        starts = _starts(stream, is_csv, part_bytes or PART_BYTES)
        size = stream.tell()
    if starts is None:
        return None
    if not is_csv:
        starts.insert(0, (0, 1))
    starts = [(start, first) for start, first in starts if start < size]
    ends = [start for start, _ in starts[1:]] + [size]
    return [Part(start, end, first) for (start, first), end in zip(starts, ends)]


def _starts(stream, is_csv: bool, part_bytes: int):
    """[(offset, line number)] of the line starts where parts begin: the first line end
    past each `part_bytes` (for CSV, the header's end first); None when not splittable."""
    starts, offset, lines = [], 0, 0
    target = 0 if is_csv else part_bytes
    while True:
        block = stream.read(SCAN_BYTES)
        if not block:
            return starts
        if block.endswith(b"\r"):  # a CRLF cut by the read: take its LF too
            block += stream.read(1)
        if (is_csv and b'"' in block) or block.count(b"\r") != block.count(b"\r\n"):
            return None
        counted, at = 0, max(target - offset, 0)
        while at < len(block):
            newline = block.find(b"\n", at)
            if newline < 0:
                break
            lines += block.count(b"\n", counted, newline + 1)
            counted = newline + 1
            starts.append((offset + counted, lines + 1))
            target = offset + counted + part_bytes
            at = target - offset
        lines += block.count(b"\n", counted)
        offset += len(block)


def run_split(batch, parts: list, write, summary, progress, jobs: int) -> None:
    """Decide every part of `batch`'s file (a ColumnBatch or ValueBatch whose rows' header,
    for CSV, is read) on `jobs` workers; write their bytes in order."""
    from policy.tools.batch import _once, forked_pool

    if not parts:
        return
    _WORKER.update(batch=batch, kind=type(write), procedures=getattr(write, "procedures", []))
    pool = forked_pool(jobs, _start_worker)
    terminate = _once(pool.terminate)
    on_timeout(terminate)  # an abandoned batch (thread mode) leaves no worker behind
    try:
        waiting = collections.deque()
        for part in parts:
            check_stopped()  # abandoned at the time limit: no further part
            waiting.append(pool.apply_async(_decide, (part,)))
            if len(waiting) >= jobs * AHEAD:
                emit(pool_result(waiting.popleft()), write.stream, summary, progress)
        while waiting:
            emit(pool_result(waiting.popleft()), write.stream, summary, progress)
    finally:
        terminate()
        _WORKER.clear()


def read_header(rows) -> None:
    """Read and check a CsvRows' header, as the first block would (PolicyError when wrong)."""
    header = rows.cell_blocks(1)
    next(header, None)
    header.close()


def emit(result, stream, summary: Summary, progress) -> None:
    """Write one part's bytes and count its rows, SIGINT held off meanwhile (Ctrl-C then
    comes between parts: the output ends at a record's end, and the summary counts it)."""
    if isinstance(result, _Failure):
        raise result.kind(result.diagnostics)
    data, rows, errors, counts, evaluated = result
    with sigint_held():
        buffer = getattr(stream, "buffer", None)
        if buffer is not None:
            stream.flush()  # what went through the text layer (a CSV header) comes first
            buffer.write(data)
        else:
            stream.write(data.decode("utf-8"))
        summary.add_counts(rows, errors, counts)
        summary.evaluated += evaluated
    if progress is not None:
        for _ in range(rows):
            progress()


def _start_worker() -> None:
    """Ctrl-C is the parent's to handle; the worker ends with the parent (supervisor.py)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    die_with_parent()
    kind = _WORKER["kind"]
    _WORKER["writer"] = kind(io.StringIO(), _WORKER["procedures"])


def _decide(part: Part):
    return decide_part(_WORKER["batch"], _WORKER["writer"], part)


def decide_part(batch, writer, part: Part):
    """(the part's output bytes, rows, errors, {(procedure, status): rows}, situations
    evaluated the general way), or a _Failure: `batch` (a ColumnBatch or ValueBatch of the
    whole file, its CSV header read) decides the part's blocks, `writer` writes them."""
    before = batch.evaluator.evaluated
    out, summary = io.StringIO(), Summary()
    point_writer(writer, out)
    try:
        with collection.held():
            batch.write_blocks(_blocks(batch, part), writer, summary, None)
    except PolicyError as problem:
        return failure(problem)
    return (out.getvalue().encode("utf-8"), summary.rows, summary.errors, summary.counts,
            batch.evaluator.evaluated - before)


def point_writer(writer, out) -> None:
    """Have the worker's writer write into `out` (a CsvWriter's header is not written again)."""
    import csv

    writer.stream = out
    if isinstance(writer, CsvWriter):
        writer.writer = csv.writer(out)


def _blocks(batch, part: Part):
    """The part's rows a block at a time, as the whole file's would be."""
    from policy.tools.batch_values import typed_blocks

    rows = batch.rows
    if isinstance(rows, CsvRows):
        return rows.part_blocks(part_bytes(rows.path, part), part.first, BLOCK)
    return typed_blocks(part_rows(rows, part), BLOCK)


def part_bytes(path, part: Part):
    """The part's bytes, as a binary stream."""
    with open(path, "rb") as file:
        file.seek(part.start)
        return io.BytesIO(file.read(part.end - part.start))


def part_rows(rows, part: Part):
    """The part's typed Rows (rows.Row), as iterating the whole file would give them (for a
    batch decided the general way: batch_cluster.py). Of a Parquet file, a part is a run of
    row groups: [start, end) are row group numbers (batch_cluster.py)."""
    from policy.inputs.rows import _decoded, jsonl_rows

    if getattr(rows, "format", None) == "parquet":
        from policy.inputs.parquet_rows import parquet_rows

        return parquet_rows(Path(rows.path), range(part.start, part.end), part.first)
    stream = part_bytes(rows.path, part)
    if isinstance(rows, CsvRows):
        return (rows.row(line, cells, problem)
                for block in rows.part_blocks(stream, part.first, BLOCK)
                for line, cells, problem in block)
    return jsonl_rows(bounded_lines(stream, str(rows.path), _decoded, part.first), part.first)

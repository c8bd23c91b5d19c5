"""The columnar batch (batch_columns.py) on several cores: blocks decided by worker processes.

Profiled at --jobs 1 (100,000 uniform rows of the bundled policy): reading the CSV into
cells is about a quarter of the time, typing cells and deciding a block by the diagrams
(ColumnBatch._items) two fifths, encoding the JSONL records the rest. So a worker owns
typing, deciding and encoding a block, and returns the block's JSONL text; the parent
only reads the CSV (the csv module finds the rows, quoted newlines, bad rows and line
numbers exactly as at --jobs 1) and writes the texts in input order. At most
`AHEAD` blocks a worker are in flight, so memory stays flat; Ctrl-C or the time limit
stops the parent between blocks, and what it wrote is a prefix of the --jobs 1 output.

The workers are forked from the parent once it has read the header, so each holds the
loaded policy, its diagrams and a ColumnBatch of its own (rows it cannot decide by the
diagrams go the general way, batch.Evaluator, in that worker).

Since batch_split.py (workers reading their own parts of the file) this runs only for a CSV
that cannot be split there: one holding a `"` (a quoted field may hold a newline), a lone
carriage return, or read from a pipe or a device.
"""
from __future__ import annotations

import collections
import io
import itertools
import multiprocessing
import signal

from policy.engine import collection
from policy.limits import check_stopped
from policy.supervisor import die_with_parent, on_timeout, sigint_held
from policy.tools.batch_columns import BLOCK
from policy.tools.batch_writers import JsonlWriter

AHEAD = 2  # blocks a worker, in flight at a time
CACHE_SIZE = 100_000  # distinct statuses the parent keeps one dict of

_WORKER = {}


def can_run(write, jobs: int) -> bool:
    """Several workers pay off, and the output is JSONL (the text a worker makes); forking
    is what hands each worker the loaded policy."""
    return jobs > 1 and type(write) is JsonlWriter and "fork" in multiprocessing.get_all_start_methods()


def run_parallel(batch, write, summary, progress, jobs: int, size: int = BLOCK) -> None:
    """Decide every block of `batch` (a ColumnBatch) on `jobs` workers; write in order."""
    from policy.tools.batch import _once, forked_pool

    blocks = batch.rows.cell_blocks(size)
    first = next(blocks, None)  # reads the header: the workers see it
    if first is None:
        return
    _WORKER["batch"] = batch
    pool = forked_pool(jobs, _start_worker)
    terminate = _once(pool.terminate)
    on_timeout(terminate)  # an abandoned batch (thread mode) leaves no worker behind
    try:
        _feed(pool, itertools.chain([first], blocks), write, summary, progress, jobs * AHEAD)
    finally:
        terminate()
        _WORKER.clear()


def _feed(pool, blocks, write, summary, progress, ahead: int) -> None:
    waiting, interned = collections.deque(), {}
    for block in blocks:
        check_stopped()  # abandoned at the time limit: no further block
        waiting.append(pool.apply_async(_decide, (block,)))
        if len(waiting) >= ahead:
            _emit(pool_result(waiting.popleft()), write, summary, progress, interned)
    while waiting:
        _emit(pool_result(waiting.popleft()), write, summary, progress, interned)


def pool_result(pending):
    """A block's result; the wait is checked against the time limit, since an abandoned
    batch's pool is terminated and would never give it."""
    while not pending.ready():
        check_stopped()
        pending.wait(0.1)
    return pending.get()


def _emit(result, write, summary, progress, interned: dict) -> None:
    """Write one block's text; count its rows into the summary (statuses of equal content
    share one dict here, so the summary holds one entry per distinct statuses)."""
    text, plain, records, rows, evaluated = result
    with sigint_held():  # Ctrl-C between blocks: what is written is what is counted
        write.stream.write(text)
        for values, count in plain:
            summary.add_rows(_interned(values, interned), count)
        for record in records:
            if record["procedures"] is not None:
                record["procedures"] = _interned(record["procedures"], interned)
            summary.add(record)
        summary.evaluated += evaluated
    if progress is not None:
        for _ in range(rows):
            progress()


def _interned(statuses: dict, interned: dict) -> dict:
    key = tuple(statuses.items())
    found = interned.get(key)
    if found is None:
        if len(interned) >= CACHE_SIZE:
            interned.clear()
        found = interned[key] = statuses
    return found


def _start_worker() -> None:
    """Ctrl-C is the parent's to handle; the worker ends with the parent (supervisor.py)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    die_with_parent()
    batch = _WORKER["batch"]
    _WORKER["columns"] = batch._columns(batch.rows.header)
    _WORKER["writer"] = JsonlWriter(io.StringIO(), [])


def _decide(block: list):
    """(the block's JSONL text, [(statuses, rows)] of its plain rows, its other records,
    its rows, situations evaluated the general way)."""
    batch, writer = _WORKER["batch"], _WORKER["writer"]
    before = batch.evaluator.evaluated
    with collection.held():
        items, plain = batch._items(block, _WORKER["columns"])
        writer.stream = io.StringIO()
        writer.write_block(items)
    records = [item for item in items if type(item) is not tuple]
    return (writer.stream.getvalue(), plain, records, len(items),
            batch.evaluator.evaluated - before)

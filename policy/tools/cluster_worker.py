"""What a Dask worker runs for `batch --scheduler`: one partition of the input file (a
batch_split.Part: a byte range of whole lines, or a run of a Parquet file's row groups),
decided exactly as `batch` decides it.

A task carries a Job (plain data: the paths, the formats, the limits) and a Part. The
first task of a job in a worker process loads the policy, makes its status diagrams and
a ColumnBatch / ValueBatch (or, for a policy without diagrams, the general Evaluator)
and keeps them; every later task of the same job reuses them, so the compiled policy
and its diagrams are made once per worker (per worker thread, as pyDatalog's state is
per thread), not per task, and a worker's answers are shared by its partitions.

The worker reads the files itself, at the paths the parent gives (absolute): every
worker must see the same files there. It checks the input's size and the policy's
procedures against the parent's, so a worker reading another file says so instead of
writing wrong records. A PolicyError (a line past the row limit, a policy that does not
load) comes back as a value (batch_split._Failure), which the parent raises: exit 2.
"""
from __future__ import annotations

import io
import os
import threading
from dataclasses import dataclass
from pathlib import Path

from policy.errors import PolicyError
from policy.limits import Limits, restore, using
from policy.tools import batch_split

_PREPARED = threading.local()  # (job, (batch, writer)) of the last job this thread ran


@dataclass(frozen=True)
class Job:
    """What every partition of one batch shares (pickled to the workers: plain data)."""

    policy: tuple | None  # absolute paths of the policy's files, None: the bundled policy
    input: str  # the input file's absolute path
    source: str  # the input as the command line named it (as records and messages name it)
    input_format: str  # csv, jsonl or parquet
    size: int  # the input's bytes where the batch started
    output_format: str  # jsonl or csv
    procedures: tuple
    engine: str
    limits: Limits


def decide(job: Job, part: batch_split.Part):
    """The part's (output bytes, rows, errors, counts, situations evaluated), or a
    batch_split._Failure, within the batch's limits (--max-facts, --max-memory-mb)."""
    token = using(job.limits)
    try:
        try:
            batch, writer = _prepared(job)
        except PolicyError as problem:
            return batch_split.failure(_on_worker(problem))
        if isinstance(batch, _General):
            return batch.decide(writer, part)
        return batch_split.decide_part(batch, writer, part)
    finally:
        restore(token)


def _prepared(job: Job):
    state = getattr(_PREPARED, "state", None)
    if state is None or state[0] != job:
        _PREPARED.state = None  # the last job's policy and caches go first
        _PREPARED.state = (job, _build(job))
    return _PREPARED.state[1]


def _build(job: Job):
    """(ColumnBatch, ValueBatch or _General; a writer) for the job, in this process."""
    import policy
    from policy.inputs.applicant import fact_schema
    from policy.inputs.rows import read_rows
    from policy.tools.batch import column_batch
    from policy.tools.batch_writers import WRITERS

    compiled = policy.load_policy(list(job.policy) if job.policy else policy.BUNDLED_POLICY)
    procedures = tuple(sorted(p for p, _ in compiled.static_model["procedure"]))
    if procedures != job.procedures:
        raise _elsewhere("the policy the worker loaded has other procedures than the one the "
                         "batch started with", job.source)
    _check_size(job)
    rows = read_rows(Path(job.input), job.input_format, fact_schema(compiled.program))
    batch = column_batch(compiled, rows, job.source) or _General(compiled, rows, job)
    if job.input_format == "csv":
        batch_split.read_header(rows)
    return batch, WRITERS[job.output_format](io.StringIO(), list(job.procedures))


def _check_size(job: Job) -> None:
    try:
        size = os.stat(job.input).st_size
    except OSError as problem:
        raise _elsewhere(f"the worker cannot read {job.input}: {problem.strerror}",
                         job.source) from None
    if size != job.size:
        raise _elsewhere(f"{job.input} is {size} bytes on the worker, {job.size} where the "
                         "batch started", job.source)


def _elsewhere(message: str, file: str) -> PolicyError:
    return PolicyError.single("cluster_error", f"{message}: every worker must read the same "
                              "files at the same paths", file)


def _on_worker(problem: PolicyError) -> PolicyError:
    """The problem, its messages saying which worker met it."""
    from dataclasses import replace

    where = _worker_address()
    if where is None:
        return problem
    return type(problem)([replace(d, message=f"{d.message} (on the Dask worker {where})")
                          for d in problem.diagnostics])


def _worker_address():
    try:
        from distributed import get_worker

        return get_worker().address
    except (ImportError, ValueError):  # not on a Dask worker (called in-process)
        return None


class _General:
    """A policy without status diagrams (an open-typed fact): rows decided the general way
    (batch.Evaluator, on pyDatalog, or on DuckDB a block at a time with --engine duckdb),
    the answers kept for this worker's later partitions."""

    def __init__(self, compiled, rows, job: Job):
        from policy.tools.batch import BLOCK_LIFTED, BLOCK_PER_JOB, Evaluator

        self.rows, self.size, submit = rows, BLOCK_PER_JOB, None
        if job.engine == "duckdb":
            from policy.tools.batch_lifted import lifted_submit

            submit, self.size = lifted_submit(compiled), BLOCK_LIFTED
        self.evaluator = Evaluator(compiled, job.source, submit)

    def decide(self, writer, part: batch_split.Part):
        from policy.tools.batch import _run_blocks
        from policy.tools.batch_writers import Summary

        out, summary = io.StringIO(), Summary()
        batch_split.point_writer(writer, out)
        before = self.evaluator.evaluated
        try:
            _run_blocks(self.evaluator, batch_split.part_rows(self.rows, part), writer,
                        summary, None, self.size)
        except PolicyError as problem:
            return batch_split.failure(problem)
        return (out.getvalue().encode("utf-8"), summary.rows, summary.errors, summary.counts,
                self.evaluator.evaluated - before)

"""`batch --scheduler ADDRESS`: the input's partitions decided on a Dask cluster.

The population is partitioned as batch_split.py partitions it for --jobs: byte ranges
of whole lines of a CSV or JSONL file (about 2 MiB each, --partition-kb), each with the
number of its first line; a Parquet file, by runs of whole row groups. Each partition is
one Dask task (cluster_worker.decide): a worker reads its bytes itself and decides them
as `batch` decides a block, with the policy compiled once per worker process. The parent sends only paths and offsets, and
writes the parts' bytes in partition order as they come back, so the output is that of
`batch` without a scheduler, byte for byte (JSONL or CSV out), the summary too.

At most AHEAD partitions a worker slot are in flight, so the parent's memory stays flat
whatever the file. Ctrl-C (or the time limit) stops the parent between partitions: what
is written is the finished partitions, in order, a prefix of the output ending at a
record's end; the partitions in flight are cancelled and a local cluster is shut down.
A task that raised is run again (dask_seam.RETRIES); a task whose worker died is moved
to another worker by Dask itself; a partition lost past that ends the batch with a
cluster_error (exit 2), the output left as it was.
"""
from __future__ import annotations

import collections
import os
from dataclasses import replace
from pathlib import Path

import policy
from policy.errors import PolicyError
from policy.limits import check_input_size, check_stopped, current
from policy.tools import batch_split
from policy.tools.dask_seam import Scheduler, connected

AHEAD = 2  # partitions a worker slot, in flight at a time


def run_cluster(compiled, policy_path, rows, write, summary, progress, scheduler: Scheduler,
                source: str, engine: str = "pydatalog", part_bytes: int | None = None) -> None:
    """Decide every row of `rows` (CsvRows or JSONL TypedRows of a file) on the cluster;
    write their records in input order with `write` (a JsonlWriter or CsvWriter)."""
    from policy.inputs.rows import CsvRows
    from policy.tools.batch_writers import CsvWriter
    from policy.tools.cluster_worker import Job

    parts = _parts(rows, write, part_bytes)
    if not parts:
        return
    job = Job(_policy_paths(policy_path), str(Path(rows.path).resolve()), source,
              "csv" if isinstance(rows, CsvRows) else rows.format, os.stat(rows.path).st_size,
              "csv" if isinstance(write, CsvWriter) else "jsonl",
              tuple(sorted(p for p, _ in compiled.static_model["procedure"])), engine,
              current())
    if scheduler.address is None:
        workers = scheduler.workers or os.cpu_count() or 1
        scheduler = replace(scheduler, workers=min(workers, len(parts)))
    with connected(scheduler) as cluster:
        _run(cluster, job, parts, write, summary, progress)


def _parts(rows, write, part_bytes):
    """The file's partitions (its CSV header read and checked first); PolicyError when the
    input or output cannot be partitioned."""
    from policy.inputs.rows import CsvRows

    reason = batch_split.why_not_split(rows, write, parquet=True)
    if reason == "the input is past --max-input-mb":
        check_input_size(os.stat(rows.path).st_size, str(rows.path))
    if reason is not None:
        raise _refused(f"{reason}; without --scheduler the batch runs on this machine")
    if getattr(rows, "format", None) == "parquet":
        from policy.inputs.parquet_rows import row_group_parts

        return [batch_split.Part(*run) for run in
                row_group_parts(Path(rows.path), part_bytes or batch_split.PART_BYTES)]
    is_csv = isinstance(rows, CsvRows)
    parts = batch_split.plan(rows.path, is_csv, part_bytes)
    if parts is None:
        raise _refused("the file cannot be cut at line ends: "
                       + ("a CSV field is quoted (a quoted field may hold a line end) or "
                          if is_csv else "")
                       + "a carriage return stands alone; without --scheduler the batch "
                       "runs on this machine")
    if is_csv:
        batch_split.read_header(rows)
    return parts


def _refused(message: str) -> PolicyError:
    return PolicyError.single("usage_error", f"--scheduler: {message}")


def _policy_paths(policy_path):
    """The policy as the workers are to load it: absolute paths, None for the bundled one."""
    if policy_path is None or policy_path == policy.BUNDLED_POLICY:
        return None
    paths = policy_path if isinstance(policy_path, (list, tuple)) else [policy_path]
    return tuple(str(Path(p).resolve()) for p in paths)


def _run(cluster, job, parts: list, write, summary, progress) -> None:
    from policy.tools.cluster_worker import decide

    ahead = AHEAD * cluster.slots()
    waiting = collections.deque()
    try:
        for number, part in enumerate(parts):
            check_stopped()  # abandoned at the time limit: no further partition
            future = cluster.submit(decide, job, part, name=f"part{number}")
            waiting.append((number, part, future))
            if len(waiting) >= ahead:
                _emit(cluster, waiting.popleft(), write, summary, progress)
        while waiting:
            _emit(cluster, waiting.popleft(), write, summary, progress)
    finally:
        cluster.cancel(future for _, _, future in waiting)


def _emit(cluster, pending, write, summary, progress) -> None:
    number, part, future = pending
    what = f"partition {number + 1} (bytes {part.start}-{part.end}, from line {part.first})"
    batch_split.emit(cluster.result(future, what), write.stream, summary, progress)

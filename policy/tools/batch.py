"""Batch evaluation: a stream of applicants in, one record per applicant out, in order.

The input (CSV or JSONL, rows.py) is read lazily and handled a block at a time, so memory
stays flat however long the input is. Applicants are independent, so blocks go
to a pool of worker processes, each holding its own compiled policy. And many
applicants share answers: a procedure's status is built from a few goal atoms
(`eligible(P)`, `achieved(M)`), each decided by only some facts (relevance.py).
Each answer is remembered under the facts that decide it, so an applicant is
evaluated only when one of their answers is new; the others' statuses are
assembled from answers other applicants needed. A bad row becomes an error
record naming its line: the output always has exactly one record per input
row, in input order. batch_writers.py writes the records as JSONL or CSV.
"""
from __future__ import annotations

import collections
import multiprocessing
import os
import threading
import signal
from dataclasses import dataclass

from policy.inputs.applicant import Applicant, MappingReader, fact_schema
from policy.errors import Failed, FactsError, Interrupted, PolicyError
from policy.limits import check_stopped, memory_error
from policy.supervisor import die_with_parent, on_timeout, sigint_held
from policy.decide.plan import CATALOGUE, evaluate_applicant, procedure_statuses, require_catalogue
from policy.decide.status_table import StatusTable
from policy.tools.batch_writers import Summary
from policy.tools.relevance import AllFacts
from policy.inputs.rows import Row

BLOCK_PER_JOB = 1024
BLOCK_LIFTED = 20_000  # rows per block on DuckDB: its situations are one evaluation
AHEAD = 2  # blocks prepared while an earlier one is planned (pool only)
CACHE_SIZE = 100_000  # answers (and checked rows, statuses, encodings) remembered at a time


class Evaluator:
    """Turns rows into records; each answer is evaluated once.

    A row's *signature* numbers the answers it needs (relevance.py). `submit(list
    of fact sets)` starts evaluating the situations of rows with an answer never
    seen and returns a handle whose `get()` gives their goal models in order: at
    once in-process with one job, on a process pool with more. A block is
    `prepare`d (each signature's answers found, or submitted) while earlier
    blocks are still being evaluated, and `finish`ed in input order. The answers
    live here, in the parent, so none is evaluated twice, whichever worker did it.
    """

    def __init__(self, compiled, source: str, submit=None):
        self.compiled, self.source = compiled, source
        require_catalogue(compiled)
        self.reader = MappingReader(fact_schema(compiled.program), source)
        try:
            self.table = StatusTable.of(compiled)
        except PolicyError:
            self.table = None
        self.keys = _ExactSituations(goal_predicates(compiled), compiled.predicates)
        self.submit = submit or (lambda many: _Done([plan_statuses(compiled, f) for f in many]))
        self.answers = {}  # answer number -> the answer
        self.in_flight = {}  # answer number -> the _Pending evaluation that gives it
        self.by_signature = {}  # signature -> statuses (or Failed)
        self.by_answers = {}  # the answers -> statuses
        self.by_content = {}  # statuses as items -> the one dict of equal statuses
        self.checked = {}  # a row's values (but its name) -> (facts, signature)
        self.evaluated = 0  # situations submitted for evaluation

    def records(self, block: list) -> list:
        """The records of a block of rows, in order (prepare and finish at once)."""
        return self.finish(self.prepare(block))

    def prepare(self, block: list) -> "_Block":
        """Find each new signature's answers; submit the situations of those never seen."""
        items = [self._prepare(row) for row in block]
        ticket, sources, new = _Ticket(), {}, []
        for item in items:
            if isinstance(item, dict) or item[1] in sources:
                continue
            signature = item[1]
            known = self.by_signature.get(signature)
            sources[signature] = known if known is not None else self._sources(
                signature, item[2], ticket, new)
        ticket.handle = self.submit([facts for facts, _ in new])
        self.evaluated += len(new)
        return _Block(items, sources, ticket, new)

    def _sources(self, signature: tuple, facts: dict, ticket, new: list) -> list:
        """Where each answer of the signature comes from: known, or an evaluation (this
        situation's, submitted with the block, or another's still running)."""
        sources, pending = [], None
        for number in signature:
            if number in self.answers:
                sources.append(self.answers[number])
                continue
            source = self.in_flight.get(number)
            if source is None:
                if pending is None:
                    pending = _Pending(ticket, len(new), signature)
                    new.append((facts, signature))
                source = self.in_flight[number] = pending
            sources.append(source)
        return sources

    def finish(self, block: "_Block") -> list:
        """The block's records; the answers its evaluations gave are remembered."""
        results = _waited(block.ticket.handle)
        for (_, signature), result in zip(block.new, results):
            # A failed evaluation (a limit) is this situation's alone: its answers stay unknown.
            known = not isinstance(result, Failed)
            for index, number in enumerate(signature):
                if known:
                    _bounded(self.answers)[number] = self.keys.answer(index, result)
                source = self.in_flight.get(number)
                if source is not None and source.ticket is block.ticket:
                    del self.in_flight[number]
        records = []
        for item in block.items:
            if isinstance(item, dict):
                records.append(item)
                continue
            name, signature, facts, line = item
            statuses = self._statuses(signature, facts, block.sources)
            if isinstance(statuses, Failed):
                records.append(_error_record(line, name, statuses.message))
            else:
                records.append({"line": line, "applicant": name, "error": None,
                                "procedures": statuses})
        return records

    def _statuses(self, signature: tuple, facts: dict, sources: dict):
        """The statuses (or Failed) of a signature, assembled from its answers once."""
        found = sources[signature]
        if not isinstance(found, list):
            return found
        answers = tuple(source.answer(self.keys, index) if isinstance(source, _Pending) else source
                        for index, source in enumerate(found))
        failed = [s for s in found if isinstance(s, _Pending) and isinstance(s.result(), Failed)]
        if failed:  # an evaluation that failed (a limit) was to give some of these answers
            result = next((s.result() for s in failed if s.signature == signature), None)
            if result is None:  # another situation's failure: this one may well work
                result = plan_statuses(self.compiled, facts)
            if isinstance(result, Failed):
                sources[signature] = _bounded(self.by_signature)[signature] = result
                return result
            answers = tuple(self.keys.answer(index, result) for index in range(len(found)))
        statuses = self.by_answers.get(answers)
        if statuses is None:
            statuses = _bounded(self.by_answers)[answers] = self._assemble(answers)
        sources[signature] = _bounded(self.by_signature)[signature] = statuses
        return statuses

    def _assemble(self, answers: tuple):
        """The statuses of a situation from its one answer (its exact statuses), shared."""
        statuses = dict(answers[0])
        # rows with equal statuses share one dict: encoded and counted once (JsonlWriter, Summary)
        return _bounded(self.by_content).setdefault(tuple(statuses.items()), statuses)

    def _prepare(self, row: Row):
        """A finished error record, or (name, signature, facts, line)."""
        if row.error:
            return _error_record(row.line, _name(row), row.error)
        values = row.values
        raw = row.raw or tuple(sorted((k, repr(v)) for k, v in values.items()))
        if raw not in self.checked:  # many rows repeat a situation: check its values once
            try:
                facts = self.reader.facts(values, row.line)
            except FactsError as problem:
                return _error_record(row.line, _name(row),
                                     "; ".join(d.message for d in problem.diagnostics))
            if self.table is not None:
                statuses = self.table.statuses(facts)
                statuses = _bounded(self.by_content).setdefault(tuple(statuses.items()), statuses)
                _bounded(self.checked)[raw] = (facts, statuses)
            else:
                _bounded(self.checked)[raw] = (facts, self.keys.signature(facts))
        facts, signature = self.checked[raw]
        name = str(row.name or f"line {row.line}")
        if self.table is not None:
            return {"line": row.line, "applicant": name, "error": None, "procedures": signature}
        return name, signature, facts, row.line


@dataclass
class _Block:
    """A prepared block: its items, where each signature's statuses or answers come from,
    and the ticket of the situations it submitted (`new`: (facts, signature), in order)."""

    items: list
    sources: dict  # signature -> statuses, or a list of answers and _Pending evaluations
    ticket: "_Ticket"
    new: list


class _Ticket:
    """The handle of one block's submitted evaluations (set once they are submitted)."""

    handle = None


@dataclass
class _Pending:
    """One submitted evaluation, of a situation with `signature`: position `position` of
    `ticket`'s results."""

    ticket: _Ticket
    position: int
    signature: tuple

    def result(self):
        """The evaluation's goal models, or Failed."""
        return _waited(self.ticket.handle)[self.position]

    def answer(self, keys, index: int):
        return keys.answer(index, self.result())


class _Done:
    """A handle whose answers are already there (in-process)."""

    def __init__(self, answers: list):
        self.answers = answers

    def get(self) -> list:
        return self.answers

    def ready(self) -> bool:
        return True


def _bounded(cache: dict) -> dict:
    """The cache, emptied first when full (memory stays flat however long the input)."""
    if len(cache) >= CACHE_SIZE:
        cache.clear()
    return cache


def goal_predicates(compiled) -> list:
    """The CATALOGUE predicates an applicant's facts can change: what evaluations answer."""
    return [name for name in CATALOGUE
            if name in compiled.predicates and name not in compiled.static_predicates]


class _ExactSituations(AllFacts):
    """One answer per distinct situation: its exact statuses (completions.py), evaluated by
    `plan_statuses` (for a policy without a StatusTable: an open-typed fact in its schema)."""

    def answer(self, index: int, result):
        return result if isinstance(result, Failed) else tuple(result.items())


def _name(row: Row):
    """The applicant's name as the row gives it (None when it gives none)."""
    return None if row.name is None else str(row.name)


def _error_record(line: int, name, message: str) -> dict:
    return {"line": line, "applicant": name, "error": message, "procedures": None}


def plan_statuses(compiled, facts: dict):
    """{procedure: status} for one situation, or Failed with the PolicyError's message."""
    try:
        return procedure_statuses(compiled, _applicant(compiled, facts))
    except PolicyError as problem:
        return Failed(problem.message)


def plan_models(compiled, facts: dict, predicates: list):
    """(certain, possible) models of `predicates` for one situation, or Failed with the
    PolicyError's message."""
    try:
        return evaluate_applicant(compiled, _applicant(compiled, facts), predicates)
    except PolicyError as problem:
        return Failed(problem.message)
    except MemoryError:  # past --max-memory-mb: this situation's alone, the others go on
        return Failed(memory_error().message)


def _applicant(compiled, facts: dict) -> Applicant:
    schema = fact_schema(compiled.program)
    return Applicant(name="", file="", facts=facts,
                     unknown=[spec for spec in schema if spec.name not in facts])


_WORKER = {}


def _start_worker(policy_path) -> None:
    """Each worker compiles the policy once; Ctrl-C is the parent's to handle, and the
    worker ends with the parent (supervisor.py)."""
    from policy import load_policy

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    die_with_parent()
    compiled = _WORKER["compiled"] = load_policy(policy_path)
    _WORKER["goals"] = goal_predicates(compiled)


def _work(facts: dict):
    return plan_statuses(_WORKER["compiled"], facts)


def worker_count(jobs, rows) -> int:
    """--jobs (default: every core), but never more workers than cores or than rows
    (`rows` None: not known beforehand, as for a pipe)."""
    cores = os.cpu_count() or 1
    return max(1, min(jobs or cores, cores, cores if rows is None else rows))


def run_batch(compiled, policy_path, rows, write, jobs: int, source: str, progress=None,
              engine: str = "pydatalog", scheduler=None, part_bytes: int = None) -> Summary:
    """Evaluate `rows`, calling `write(record)` for each in input order; returns the summary.

    On Ctrl-C the records written so far stay written, and Interrupted carries
    the summary of them. With `engine="duckdb"` the situations a block needs are
    evaluated together, in one lifted evaluation (engine/population.py), in this
    process (DuckDB uses the cores itself). With a `scheduler` (dask_seam.Scheduler)
    the file's partitions of about `part_bytes` are decided on a Dask cluster
    (batch_cluster.py).
    """
    summary = Summary()
    try:
        if scheduler is not None:
            from policy.tools.batch_cluster import run_cluster

            run_cluster(compiled, policy_path, rows, write, summary, progress, scheduler, source,
                        engine, part_bytes)
        elif _run_columns(compiled, rows, write, summary, progress, source, jobs):
            pass
        elif engine == "duckdb":
            from policy.tools.batch_lifted import lifted_submit

            submit = lifted_submit(compiled)
            _run_blocks(Evaluator(compiled, source, submit), rows, write, summary, progress,
                        BLOCK_LIFTED)
        elif jobs <= 1:
            _run_blocks(Evaluator(compiled, source), rows, write, summary, progress, BLOCK_PER_JOB)
        else:
            _run_pool(compiled, policy_path, rows, write, jobs, source, summary, progress)
    except KeyboardInterrupt:
        raise Interrupted(summary) from None
    return summary


def _run_columns(compiled, rows, write, summary, progress, source: str, jobs: int = 1) -> bool:
    """CSV, JSONL or Parquet rows of a policy whose statuses compile to diagrams: decided a
    block at a time, by column, whatever --engine (batch_columns.py, batch_values.py); CSV
    with --jobs above 1 and JSONL out, by that many worker processes (batch_parallel.py). False when the input or the policy is
    not such (then nothing is read)."""
    from policy.inputs.rows import CsvRows
    from policy.tools import batch_parallel

    batch = column_batch(compiled, rows, source)
    if batch is None:
        return False
    if _run_split(batch, rows, write, summary, progress, jobs):
        return True
    if isinstance(rows, CsvRows) and batch_parallel.can_run(write, jobs):
        batch_parallel.run_parallel(batch, write, summary, progress, jobs)
        return True
    batch.run(write, summary, progress)
    summary.evaluated = batch.evaluator.evaluated
    return True


def column_batch(compiled, rows, source: str):
    """A ColumnBatch (CSV) or ValueBatch (JSONL, Parquet) deciding `rows` by the policy's
    status diagrams, or None when the rows are not such or the policy has no diagrams
    (an open-typed fact in its schema). Nothing is read here."""
    from policy.decide.status_diagram import StatusDiagrams
    from policy.inputs.rows import CsvRows, TypedRows

    if not isinstance(rows, (CsvRows, TypedRows)):
        return None
    diagrams = StatusDiagrams.of(compiled)
    if diagrams is None:
        return None
    from policy.tools.batch_columns import ColumnBatch
    from policy.tools.batch_values import ValueBatch

    kind = ValueBatch if isinstance(rows, TypedRows) else ColumnBatch
    return kind(diagrams, Evaluator(compiled, source), rows)


def _run_split(batch, rows, write, summary, progress, jobs: int) -> bool:
    """Workers that read their own parts of the file (batch_split.py), when the input and
    output allow it; False (nothing read but the file's bytes) when not."""
    from policy.inputs.rows import CsvRows
    from policy.tools import batch_split

    if not batch_split.can_split(rows, write, jobs):
        return False
    is_csv = isinstance(rows, CsvRows)
    parts = batch_split.plan(rows.path, is_csv)
    if parts is None:
        return False
    if is_csv:  # the header is read and checked here, as the first block would read it
        batch_split.read_header(rows)
    batch_split.run_split(batch, parts, write, summary, progress, jobs)
    return True


def _run_blocks(evaluator, rows, write, summary, progress, size: int, ahead: int = 0) -> None:
    """Prepare up to `ahead` blocks beyond the one being finished, so that the parent
    reads and looks up rows while the workers plan; records still go out in order."""
    waiting = collections.deque()
    for block in _blocks(rows, size):
        check_stopped()  # abandoned at the time limit: no further block
        waiting.append(evaluator.prepare(block))
        if len(waiting) > ahead:
            _emit_all(evaluator.finish(waiting.popleft()), write, summary, progress)
            summary.evaluated = evaluator.evaluated
    while waiting:
        _emit_all(evaluator.finish(waiting.popleft()), write, summary, progress)
    summary.evaluated = evaluator.evaluated


def _run_pool(compiled, policy_path, rows, write, jobs, source, summary, progress) -> None:
    method = "fork" if hasattr(os, "fork") else "spawn"
    pool = forked_pool(jobs, _start_worker, (policy_path,), method)
    terminate = _once(pool.terminate)
    on_timeout(terminate)  # an abandoned batch (thread mode) leaves no worker behind
    try:
        def submit(many: list):
            return pool.map_async(_work, many, chunksize=max(1, len(many) // (4 * jobs)))

        evaluator = Evaluator(compiled, source, submit)
        _run_blocks(evaluator, rows, write, summary, progress, jobs * BLOCK_PER_JOB, AHEAD)
    finally:
        terminate()


def forked_pool(jobs: int, initializer, initargs=(), method: str = "fork"):
    """A worker pool started with Ctrl-C held off. A KeyboardInterrupt raised inside a hook
    run at fork (logging registers some) is swallowed ("Exception ignored in
    _releaseLock"): a batch interrupted while its workers were forked ran on, 60 s after
    the Ctrl-C. Held, the interrupt comes once the pool exists, which is then ended."""
    try:
        with sigint_held():
            pool = multiprocessing.get_context(method).Pool(jobs, initializer=initializer,
                                                            initargs=initargs)
    except KeyboardInterrupt:
        pool.terminate()
        raise
    return pool


def _waited(handle):
    """A pool's result, the wait checked against the time limit: a batch abandoned at its
    limit in thread mode has its pool terminated, which would never give the result (the
    thread then waited forever, seen in 1 of 4 runs of test_limits_hold)."""
    while not handle.ready():
        check_stopped()
        handle.wait(0.1)
    return handle.get()


def _once(function):
    """`function`, run at most once however many threads call it: the batch's own thread
    and, at a timeout in thread mode, the supervisor's both end the pool, and two
    concurrent Pool.terminate() calls can deadlock."""
    lock, done = threading.Lock(), []

    def call():
        with lock:
            if not done:
                done.append(True)
                function()

    return call


def _blocks(rows, size: int):
    block = []
    for row in rows:
        block.append(row)
        if len(block) == size:
            yield block
            block = []
    if block:
        yield block


def _emit_all(records: list, write, summary: Summary, progress) -> None:
    for record in records:
        write(record)
        summary.add(record)
        if progress is not None:
            progress()

"""Batch evaluation: a stream of applicants in, one record per applicant out, in order.

The input (CSV or JSONL, rows.py) is read lazily and handled a block at a time, so memory
stays flat however long the input is. Applicants are independent, so blocks go
to a pool of worker processes, each holding its own compiled policy; and since
many applicants share the same situation, each distinct set of facts is
evaluated once and its answer reused; a situation is named by the facts that
can matter to it (relevance.py), so applicants who differ only in facts that
cannot change an answer share it. A bad row becomes an error record naming
its line: the output always has exactly one record per input row, in input order.
"""
from __future__ import annotations

import collections
import csv
import json
import multiprocessing
import os
import signal
from dataclasses import dataclass, field

from .applicant import Applicant, applicant_from_mapping, fact_schema
from .errors import FactsError, PolicyError
from .plan import CATALOGUE, procedure_statuses
from .relevance import SituationKeys
from .rows import Row

BLOCK_PER_JOB = 1024
AHEAD = 2  # blocks prepared while an earlier one is planned (pool only)
CACHE_SIZE = 100_000  # situations (and checked rows, and encoded answers) remembered at a time


class Evaluator:
    """Turns rows into records; each distinct situation is planned once.

    `submit(list of fact sets)` starts planning them and returns a handle whose
    `get()` gives their statuses in order: at once in-process with one job, on a
    process pool with more. A block is `prepare`d (its situations looked up,
    the new ones submitted) while earlier blocks are still being planned, and
    `finish`ed in input order. The cache lives here, in the parent, so no
    situation is planned twice, whichever worker planned it.
    """

    def __init__(self, compiled, source: str, submit=None):
        self.compiled, self.source = compiled, source
        self.schema = fact_schema(compiled.program)
        self.keys = _situation_keys(compiled)
        self.submit = submit or (lambda many: _Done([plan_statuses(compiled, f) for f in many]))
        self.cache = {}
        self.in_flight = {}  # situation key -> (handle, index) while it is being planned
        self.evaluated = 0  # situations submitted for planning
        self.checked = {}  # a row's values (but its name) -> (facts, situation key)

    def records(self, block: list) -> list:
        """The records of a block of rows, in order (prepare and finish at once)."""
        return self.finish(self.prepare(block))

    def prepare(self, block: list) -> "_Block":
        """Look the block's situations up and submit those never seen."""
        items = [self._prepare(row) for row in block]
        answers, new = {}, {}
        for item in items:
            if isinstance(item, dict) or item[1] in answers or item[1] in new:
                continue
            key = item[1]
            if key in self.cache:
                answers[key] = _Done([self.cache[key]]), 0
            elif key in self.in_flight:
                answers[key] = self.in_flight[key]
            else:
                new[key] = item[0].facts
        handle = self.submit(list(new.values()))
        self.evaluated += len(new)
        for index, key in enumerate(new):
            answers[key] = self.in_flight[key] = (handle, index)
        return _Block(items, answers, handle, list(new))

    def finish(self, block: "_Block") -> list:
        """The block's records; the situations it submitted join the cache."""
        for key, found in zip(block.new, block.handle.get()):
            if len(self.cache) >= CACHE_SIZE:
                self.cache.clear()
            self.cache[key] = found
            self.in_flight.pop(key, None)
        return [item if isinstance(item, dict) else self._record(*item, block.answers)
                for item in block.items]

    def _prepare(self, row: Row):
        """A finished error record, or (applicant, situation key, line)."""
        if row.error:
            return _error_record(row.line, None, row.error)
        values = row.values
        raw = row.raw or tuple(sorted((k, repr(v)) for k, v in values.items()))
        if raw not in self.checked:  # many rows repeat a situation: check its values once
            try:
                applicant = applicant_from_mapping(values, self.schema, self.source, row.line)
            except FactsError as problem:
                return _error_record(row.line, None,
                                     "; ".join(d.message for d in problem.diagnostics))
            key = self._situation(applicant.facts)
            if len(self.checked) >= CACHE_SIZE:
                self.checked.clear()
            self.checked[raw] = (applicant.facts, key)
        facts, key = self.checked[raw]
        name = str(row.name or f"line {row.line}")
        return Applicant(name=name, file=self.source, facts=facts), key, row.line

    def _situation(self, facts: dict) -> tuple:
        """What identifies a situation: the facts that can matter to it (see relevance.py),
        or all of them when an evaluation of the policy could fail."""
        if self.keys is not None:
            return self.keys.key(facts)
        return tuple(sorted((name, tuple(sorted(map(repr, rows)))) for name, rows in facts.items()))

    def _record(self, applicant, key, line, answers: dict) -> dict:
        handle, index = answers[key]
        found = handle.get()[index]
        if isinstance(found, str):
            return _error_record(line, applicant.name, found)
        return {"line": line, "applicant": applicant.name, "error": None, "procedures": found}


@dataclass
class _Block:
    """A prepared block: its items, where each situation's answer comes from, and the
    handle planning the situations it was first to see (`new`, in submission order)."""

    items: list
    answers: dict  # situation key -> (handle, index)
    handle: object
    new: list


class _Done:
    """A handle whose answers are already there (in-process, or found in the cache)."""

    def __init__(self, answers: list):
        self.answers = answers

    def get(self) -> list:
        return self.answers


def _situation_keys(compiled):
    """Keys by the facts that can matter, when the policy allows them (see relevance.py)."""
    if not SituationKeys.usable(compiled):
        return None
    try:
        return SituationKeys(compiled, CATALOGUE)
    except PolicyError:  # the static facts cannot be evaluated: key by all facts
        return None


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
    """Rows, errors and counts per (procedure, status).

    Rows of one situation share one statuses dict, so rows are counted per
    dict and spread over its statuses only when `counts` is read.
    """

    rows: int = 0
    errors: int = 0
    evaluated: int = 0  # distinct situations planned
    _answers: dict = field(default_factory=dict)  # id(statuses) -> [statuses, rows]

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

    @property
    def counts(self) -> dict:
        """(procedure, status) -> number of rows."""
        counts = {}
        for statuses, rows in self._answers.values():
            for procedure, status in statuses.items():
                counts[(procedure, status)] = counts.get((procedure, status), 0) + rows
        return counts


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


def _run_blocks(evaluator, rows, write, summary, progress, size: int, ahead: int = 0) -> None:
    """Prepare up to `ahead` blocks beyond the one being finished, so that the parent
    reads and looks up rows while the workers plan; records still go out in order."""
    waiting = collections.deque()
    for block in _blocks(rows, size):
        waiting.append(evaluator.prepare(block))
        if len(waiting) > ahead:
            _emit_all(evaluator.finish(waiting.popleft()), write, summary, progress)
            summary.evaluated = evaluator.evaluated
    while waiting:
        _emit_all(evaluator.finish(waiting.popleft()), write, summary, progress)
    summary.evaluated = evaluator.evaluated


def _run_pool(compiled, policy_path, rows, write, jobs, source, summary, progress) -> None:
    context = multiprocessing.get_context("fork" if hasattr(os, "fork") else "spawn")
    with context.Pool(jobs, initializer=_start_worker, initargs=(policy_path,)) as pool:
        try:
            def submit(many: list):
                return pool.map_async(_work, many, chunksize=max(1, len(many) // (4 * jobs)))

            evaluator = Evaluator(compiled, source, submit)
            _run_blocks(evaluator, rows, write, summary, progress, jobs * BLOCK_PER_JOB, AHEAD)
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


def _emit_all(records: list, write, summary: Summary, progress) -> None:
    for record in records:
        write(record)
        summary.add(record)
        if progress is not None:
            progress()


class JsonlWriter:
    """One JSON object per line: line, applicant, error, procedures {id: status}.

    Rows of one situation share one statuses dict, which is encoded once.
    """

    def __init__(self, stream, procedures: list):
        self.stream = stream
        self.encoded = {}  # id(statuses) -> (statuses, its JSON)

    def __call__(self, record: dict) -> None:
        statuses = record["procedures"]
        if statuses is None:
            self.stream.write(json.dumps(record, ensure_ascii=False) + "\n")
            return
        found = self.encoded.get(id(statuses))
        if found is None:
            if len(self.encoded) >= CACHE_SIZE:
                self.encoded.clear()
            found = self.encoded[id(statuses)] = statuses, json.dumps(statuses, ensure_ascii=False)
        name = json.dumps(record["applicant"], ensure_ascii=False)
        self.stream.write(f'{{"line": {record["line"]}, "applicant": {name}, "error": null, '
                          f'"procedures": {found[1]}}}\n')


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

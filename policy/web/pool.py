"""Evaluation worker processes for the HTTP service: isolated, parallel, and killable.

pyDatalog keeps its state per thread and its compiled loop holds the
interpreter while it runs, so the service never evaluates in its event loop.
Each worker is a Python process of its own (`python -m policy.web.worker`,
sharing nothing with the server) that compiles the policy once and then
answers one job at a time: a request's facts are asserted, read and retracted
in that worker before the next job reaches it, and no two requests ever share
a worker at the same time. A job that outlives the request time limit gets its
worker killed (and a new one started), so a slow evaluation costs that one
request a 504, never the service.

Jobs and answers cross the worker's standard input and output as one line of
JSON each (jobs.py), never as pickles of request data.
"""
from __future__ import annotations

import asyncio
import json
import os
import sys
import time
from pathlib import Path

from policy.views.render import dumps

PACKAGE_ROOT = str(Path(__file__).resolve().parents[2])  # the folder holding `policy`
READY = b'{"ready": true}\n'
LINE_LIMIT = 64 * 1024 * 1024  # bytes in one answer
OUT_OF_MEMORY = 503  # the status of a job that ran out of its worker's memory (the worker ends)


class WorkerProcess:
    """One worker process; `ask(job bytes, seconds)` -> its answer line, or None when too slow."""

    def __init__(self, process):
        self.process = process

    @classmethod
    async def start(cls, policy_path: str, timeout: float, max_memory: int = 0) -> "WorkerProcess":
        env = dict(os.environ, PYTHONPATH=os.pathsep.join(
            p for p in (PACKAGE_ROOT, os.environ.get("PYTHONPATH", "")) if p))
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "policy.web.worker", policy_path, str(max_memory), env=env,
            stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE, limit=LINE_LIMIT)
        worker = cls(process)
        try:
            ready = await asyncio.wait_for(process.stdout.readline(), timeout)
        except asyncio.TimeoutError:
            ready = b""
        if ready != READY:
            worker.kill()
            raise RuntimeError("a policylog worker did not start (its messages are above)")
        return worker

    async def ask(self, job: bytes, timeout: float):
        self.process.stdin.write(job + b"\n")
        await self.process.stdin.drain()
        try:
            line = await asyncio.wait_for(self.process.stdout.readline(), timeout)
        except asyncio.TimeoutError:
            return None
        if not line:
            raise EOFError("the worker stopped")
        return line

    def kill(self) -> None:
        if self.process.returncode is None:
            self.process.kill()


class Pool:
    """`await pool.run(job)` -> (HTTP status, JSON bytes), on the first free worker."""

    def __init__(self, policy_path, workers: int = 0, timeout: float = 10.0,
                 start_timeout: float = 300.0, max_memory: int = 0):
        self.policy_path, self.max_memory = str(policy_path), max_memory
        self.size = workers or min(4, os.cpu_count() or 1)
        self.timeout, self.start_timeout = timeout, start_timeout
        self.idle: asyncio.Queue | None = None
        self.workers = []
        self.starting = set()  # tasks starting replacement workers

    async def start(self) -> None:
        """Start every worker (in parallel) and wait until each has compiled the policy."""
        self.idle = asyncio.Queue()
        started = await asyncio.gather(*(self._new_worker() for _ in range(self.size)))
        for worker in started:
            self.workers.append(worker)
            self.idle.put_nowait(worker)

    async def stop(self) -> None:
        for task in list(self.starting):
            task.cancel()
        for worker in self.workers:
            worker.kill()
            await worker.process.wait()
        self.workers.clear()

    async def run(self, job: dict) -> tuple:
        """The job's (status, JSON bytes); (504, limit_exceeded) when it takes too long."""
        deadline = time.monotonic() + self.timeout
        line = dumps(job, indent=None).encode("utf-8")  # before a worker is taken: an
        # answer that is no JSON (a page's record of dates once was) must not cost one
        worker = await self._take(deadline)
        if worker is None:
            return _too_slow(self.timeout)
        try:
            answer = await worker.ask(line, max(0.001, deadline - time.monotonic()))
        except (EOFError, OSError, ConnectionError):
            self._replace(worker)
            return 500, _error("evaluation_error", "the evaluation stopped unexpectedly")
        except BaseException:  # cancelled (the client went away) or anything else: the
            self._replace(worker)  # worker's line is unread, so it is never reused
            raise
        if answer is None:
            self._replace(worker)
            return _too_slow(self.timeout)
        status, _, body = answer.rstrip(b"\n").partition(b" ")
        if int(status) == OUT_OF_MEMORY:  # that worker has ended
            self._replace(worker)
        else:
            self.idle.put_nowait(worker)
        return int(status), body

    def _new_worker(self):
        return WorkerProcess.start(self.policy_path, self.start_timeout, self.max_memory)

    async def _take(self, deadline: float):
        try:
            return await asyncio.wait_for(self.idle.get(), max(0.001, deadline - time.monotonic()))
        except asyncio.TimeoutError:
            return None

    def _replace(self, worker: WorkerProcess) -> None:
        """Kill a worker (its evaluation is abandoned); another starts in its place meanwhile."""
        worker.kill()
        self.workers.remove(worker)
        task = asyncio.get_running_loop().create_task(self._start_one())
        self.starting.add(task)
        task.add_done_callback(self.starting.discard)

    async def _start_one(self) -> None:
        try:
            fresh = await self._new_worker()
        except RuntimeError:
            return
        self.workers.append(fresh)
        self.idle.put_nowait(fresh)


def _error(code: str, message: str) -> bytes:
    return json.dumps({"code": code, "message": message, "diagnostics": []}).encode("utf-8")


def _too_slow(timeout: float) -> tuple:
    return 504, _error("limit_exceeded", f"the request took longer than {timeout:g} s; "
                                         "the server's --timeout sets the limit")

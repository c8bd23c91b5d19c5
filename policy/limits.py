"""Limits: every command answers or refuses in bounded time and size.

pyDatalog's compiled loop cannot be interrupted and does not even let another
thread run while it works, so on the real command line `run_bounded` forks:
the child does the work and writes its output, the parent waits and kills the
child when the time is up, then reports the limit (exit 2). Where there is no
fork or no real output stream (click's test runner), the work runs in a daemon
thread instead, which bounds Python-level work only.
The current limits travel in a context variable, so library calls deep down
(reading a file, evaluating) see the limits the command line set.
"""
from __future__ import annotations

import contextvars
import io
import os
import signal
import sys
import threading
import time
from dataclasses import dataclass

from policy.errors import PolicyError, TimeLimitExceeded


@dataclass(frozen=True)
class Limits:
    timeout: float = 60.0  # seconds for one command
    max_input_bytes: int = 20 * 1024 * 1024  # per file read
    max_facts: int = 2_000_000  # derived and given facts in one evaluation


DEFAULT = Limits()
_CURRENT = contextvars.ContextVar("policylog_limits", default=DEFAULT)


def current() -> Limits:
    return _CURRENT.get()


def using(limits: Limits):
    """Make `limits` current for this context; returns a token for `restore`."""
    return _CURRENT.set(limits)


def restore(token) -> None:
    _CURRENT.reset(token)


def limit_error(what: str, option: str, kind=PolicyError) -> PolicyError:
    return kind.single("limit_exceeded", f"{what}; raise the limit with {option}")


def check_input_size(size: int, file: str) -> None:
    limit = current().max_input_bytes
    if size > limit:
        raise PolicyError.single(
            "limit_exceeded",
            f"the file has {size:,} bytes, more than the limit of {limit:,}; "
            "raise it with --max-input-mb", file)


def check_fact_count(count: int, limit: int = None) -> None:
    """limit_exceeded when `count` facts are more than `limit` (default: the current limit)."""
    limit = current().max_facts if limit is None else limit
    if count > limit:
        raise limit_error(f"the evaluation holds {count:,} facts, more than the limit of {limit:,}",
                          "--max-facts")


def run_bounded(function, timeout: float):
    """`function()`, or PolicyError(limit_exceeded) when it takes longer than `timeout` s."""
    if _real_streams() and hasattr(os, "fork"):
        return _run_in_child(function, timeout)
    return _run_in_thread(function, timeout)


def _real_streams() -> bool:
    try:
        sys.stdout.fileno()
        sys.stderr.fileno()
    except (AttributeError, ValueError, io.UnsupportedOperation):
        return False
    return True


def _run_in_child(function, timeout: float):
    """Fork; the child runs `function` and exits as the command would; the parent waits."""
    sys.stdout.flush()
    sys.stderr.flush()
    child = os.fork()
    if child == 0:
        return function()  # the child goes on as the whole command, and exits with its code
    # Ctrl-C reaches the whole process group: the child handles it, the parent waits for it.
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        return _wait_for(child, timeout)
    finally:
        signal.signal(signal.SIGINT, previous)


def _wait_for(child: int, timeout: float):
    deadline = time.monotonic() + timeout
    while True:
        done, status = os.waitpid(child, os.WNOHANG)
        if done:
            raise SystemExit(os.waitstatus_to_exitcode(status))
        if time.monotonic() >= deadline:
            os.kill(child, signal.SIGKILL)
            os.waitpid(child, 0)
            raise limit_error(f"the command took longer than {timeout:g} s", "--timeout SECONDS",
                              TimeLimitExceeded)
        time.sleep(0.005)


def _run_in_thread(function, timeout: float):
    """`function()` in a daemon thread; PolicyError(limit_exceeded) when it takes too long."""
    context = contextvars.copy_context()
    outcome = {}

    def work():
        try:
            outcome["value"] = context.run(function)
        except BaseException as problem:  # handed back to the caller's thread, never lost
            outcome["error"] = problem

    worker = threading.Thread(target=work, name="policylog-bounded", daemon=True)
    worker.start()
    worker.join(timeout)
    if worker.is_alive():
        raise limit_error(f"the command took longer than {timeout:g} s", "--timeout SECONDS",
                          TimeLimitExceeded)
    if "error" in outcome:
        raise outcome["error"]
    return outcome.get("value")

"""Limits: every command answers or refuses in bounded time, memory and size.

The current limits travel in a context variable, so library calls deep down
(reading a file, evaluating) see the limits the command line set. Time and
memory are held by supervisor.py (the command runs in a child process), the
fact count by the engine while it works (engine/budget.py), and input size by
reading every input through `read_bounded` / `BoundedStream`, which count the
bytes actually read: a pipe, a device or a process substitution stops at the
limit like a file does.
"""
from __future__ import annotations

import contextvars
import re
from dataclasses import dataclass

from policy.errors import PolicyError, TimeLimitExceeded


@dataclass(frozen=True)
class Limits:
    """What one command may spend (time, input size, facts, memory): one value per command,
    read by every step."""

    timeout: float = 60.0  # seconds for one command
    max_input_bytes: int = 20 * 1024 * 1024  # per file read
    max_facts: int = 2_000_000  # derived and given facts in one evaluation
    max_memory_bytes: int = 4096 * 1024 * 1024  # data memory of each process of the command


DEFAULT = Limits()
_CURRENT = contextvars.ContextVar("policylog_limits", default=DEFAULT)


def current() -> Limits:
    return _CURRENT.get()


# Set when the bounded work this context runs in has been abandoned at its time limit (a
# thread that cannot be killed: supervisor._run_in_thread); the evaluators look at it
# between steps (check_stopped, and check_fact_count which they call anyway) and stop.
_STOP = contextvars.ContextVar("policylog_stop", default=None)


def stop_on(event) -> None:
    """Have this context's work stop (TimeLimitExceeded) once `event` (threading.Event) is set."""
    _STOP.set(event)


def check_stopped() -> None:
    """TimeLimitExceeded when the work this runs in was abandoned at its time limit."""
    event = _STOP.get()
    if event is not None and event.is_set():
        raise limit_error(f"the command took longer than {current().timeout:g} s",
                          "--timeout SECONDS", TimeLimitExceeded)


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


def input_limit_error(file: str, line: int = 0) -> PolicyError:
    limit = current().max_input_bytes
    return PolicyError.single(
        "limit_exceeded", f"the input goes on past the limit of {limit:,} bytes (reading stopped "
        "there); raise it with --max-input-mb", file, line)


def read_bounded(stream, file: str) -> bytes:
    """Every byte of a binary stream, or PolicyError once more than the input limit is read.

    The bytes are counted as they come, not taken from the file's size, so a pipe,
    a device (/dev/zero) or a process substitution stops at the limit too.
    """
    limit, chunks, read = current().max_input_bytes, [], 0
    while read <= limit:
        chunk = stream.read(min(CHUNK, limit + 1 - read))
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)
        read += len(chunk)
    raise input_limit_error(file)


CHUNK = 1024 * 1024  # read at a time: memory follows what the input holds, not the limit


MAX_ROW_BYTES = 1024 * 1024  # one batch row: a CSV line or a JSONL line
_LONE_CR = re.compile(b"(?<=\r)(?!\n)")  # splits after a CR that no LF follows


def bounded_lines(stream, file: str, decode, first: int = 1):
    """The lines of a binary stream as text (`decode(bytes, line number)`), counted as read:
    PolicyError past the input limit or at a line longer than MAX_ROW_BYTES. `first` is the
    first line's number (a part of a file read on its own, batch_split.py)."""
    limit, read, number = current().max_input_bytes, 0, first - 1
    while True:
        number += 1
        line = stream.readline(MAX_ROW_BYTES + 1)
        if not line:
            return
        read += len(line)
        if read > limit:
            raise input_limit_error(file, number)
        if len(line) > MAX_ROW_BYTES:
            raise PolicyError.single(
                "limit_exceeded", f"the line is longer than {MAX_ROW_BYTES:,} bytes, the most "
                "one row may have", file, number)
        cr = line.find(b"\r")
        # a lone CR ends a line too, as in Python's text files (newline=""); a line ending in
        # CRLF with no other CR (as the csv module writes) has none
        if cr >= 0 and (cr != len(line) - 2 or not line.endswith(b"\n")):
            pieces = _LONE_CR.split(line)
            for piece in pieces[:-1]:
                yield decode(piece, number)
                number += 1
            line = pieces[-1]
            if not line:
                continue
        yield decode(line, number)


def memory_error() -> PolicyError:
    limit = current().max_memory_bytes
    return limit_error(f"the command needed more memory than the limit of "
                       f"{limit / 1024 / 1024:,.0f} MiB", "--max-memory-mb")


def check_fact_count(count: int, limit: int = None) -> None:
    """limit_exceeded when `count` facts are more than `limit` (default: the current limit)."""
    check_stopped()
    limit = current().max_facts if limit is None else limit
    if count > limit:
        raise fact_limit_error(count, limit)


def fact_limit_error(count: int, limit: int = None) -> PolicyError:
    """The evaluation held (or had derived when it was stopped) `count` facts."""
    limit = current().max_facts if limit is None else limit
    return limit_error(f"the evaluation holds {count:,} facts, more than the limit of {limit:,}",
                       "--max-facts")

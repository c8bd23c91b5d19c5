"""Running a command within its limits: time, memory, and every process it starts.

pyDatalog's compiled loop cannot be interrupted and does not even let another
thread run while it works, so on the real command line `run_bounded` forks:
the child does the work and writes its output, the parent waits.

- The child leads a process group of its own, and everything it starts (the
  batch's worker processes) is in that group. When the time is up the parent
  kills the whole group, and when the child ends it kills whatever of the group
  is left: no worker outlives the command. On Linux each of them also dies with
  its parent (PR_SET_PDEATHSIG), so killing the command itself ends them too.
- A signal the command was started with ignored stays ignored, by the child too:
  `nohup` ignores hang-up, a shell script's `command &` Ctrl-C.
- Ctrl-C. With standard input a terminal, the child's group is given the
  terminal (as a shell does for a job), so Ctrl-C and reading the keyboard reach
  the child as they would an ordinary program. Otherwise the parent receives
  Ctrl-C and passes it on to the child's group; a second Ctrl-C kills the group.
- Memory. The child (and so each worker it forks) gets an operating-system cap
  on its data memory (RLIMIT_DATA: heap and private mappings; RLIMIT_AS where
  there is no RLIMIT_DATA). An allocation past it fails with MemoryError, which
  becomes a limit_exceeded error (exit 2), never a traceback.

Where there is no fork or no real output stream (click's test runner), the
work runs in a daemon thread instead, which bounds Python-level work only; the
worker pools it registers (`on_timeout`) are terminated when its time is up.
"""
from __future__ import annotations

import contextvars
import io
import os
import signal
import sys
import threading
import time

from policy.errors import TimeLimitExceeded
from policy.limits import current, limit_error, memory_error, stop_on

EXIT_BAD_INPUT, EXIT_INTERRUPTED = 2, 130
_CLEANUPS = contextvars.ContextVar("policylog_cleanups", default=None)


def run_bounded(function, timeout: float):
    """`function()`, or PolicyError(limit_exceeded) when it takes longer than `timeout` s."""
    if _real_streams() and hasattr(os, "fork"):
        return _run_in_child(function, timeout)
    return _run_in_thread(function, timeout)


def on_timeout(cleanup) -> None:
    """Call `cleanup()` if the bounded work this runs in is abandoned at its time limit
    (thread mode; a forked child's whole process group is killed instead)."""
    cleanups = _CLEANUPS.get()
    if cleanups is not None:
        cleanups.append(cleanup)


def die_with_parent() -> None:
    """On Linux, have the kernel kill this process when its parent ends (a no-op elsewhere)."""
    if not sys.platform.startswith("linux"):
        return
    parent = os.getppid()
    try:
        _libc_function("prctl")(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        return
    if os.getppid() != parent:  # the parent ended before the request was made
        os._exit(EXIT_INTERRUPTED)


def _libc_function(name: str):
    """A function of the C library returning an int, called through _ctypes, the extension
    module under ctypes, as ctypes.CDLL(None).<name> would be: importing ctypes itself (its
    forty-odd types, made and checked) took about 4 ms of every command's child."""
    import _ctypes

    class Int(_ctypes._SimpleCData):
        _type_ = "i"

    class Function(_ctypes.CFuncPtr):
        _flags_ = _ctypes.FUNCFLAG_CDECL | _ctypes.FUNCFLAG_USE_ERRNO
        _restype_ = Int

    class Library:
        _handle = _ctypes.dlopen(None, os.RTLD_LOCAL)

    return Function((name, Library))


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
        return _be_the_child(function)
    _set_group(child)
    supervisor = _Supervisor(child)
    try:
        return supervisor.wait(timeout)
    finally:
        supervisor.release()


def in_forked_child() -> bool:
    """Whether this process is the child `run_bounded` forked: it may end with `os._exit`
    once its output is flushed, as the parent will tear the interpreter down anyway
    (skipping a second teardown saves a tenth of a second of every command)."""
    return _FORKED_CHILD[0]


def child_finished() -> bool:
    """Whether this process forked a child for the command and that child has ended: the
    command is done (its output written by the child), so the parent may end with
    `os._exit` too, skipping an interpreter teardown that nothing needs (20 to 40 ms)."""
    return _CHILD_FINISHED[0]


_FORKED_CHILD = [False]
_CHILD_FINISHED = [False]


def _be_the_child(function):
    """The child goes on as the whole command, in its own process group, within the
    memory limit. At a MemoryError nothing more can be relied on to allocate: the
    limit's message, rendered beforehand, is written as it is and the child exits 2."""
    _FORKED_CHILD[0] = True
    os.setpgid(0, 0)
    die_with_parent()
    message = (memory_error().diagnostics[0].render() + "\n").encode("utf-8", "replace")
    limit_memory(current().max_memory_bytes)
    try:
        return function()
    except MemoryError:
        _exit_at_memory_limit(message)


def _exit_at_memory_limit(message: bytes) -> None:
    try:
        sys.stdout.flush()  # what was printed before stays printed
    except (MemoryError, OSError, ValueError):
        pass
    os.write(sys.stderr.fileno(), message)
    os._exit(EXIT_BAD_INPUT)


def _set_group(child: int) -> None:
    """The child's own process group, set from both sides so neither waits for the other."""
    try:
        os.setpgid(child, child)
    except OSError:  # the child did it first (or has already ended)
        pass


def limit_memory(limit: int) -> None:
    """Cap this process's data memory at `limit` bytes (and so every process it forks): an
    allocation past it fails with MemoryError. The HTTP service's workers take it too."""
    import resource

    kind = getattr(resource, "RLIMIT_DATA", None) if sys.platform.startswith("linux") else None
    kind = kind if kind is not None else resource.RLIMIT_AS
    _, hard = resource.getrlimit(kind)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    try:
        resource.setrlimit(kind, (limit, hard))
    except (ValueError, OSError):  # the system refuses: the command runs without the cap
        pass


class _Supervisor:
    """The parent's side: signals passed on, the terminal lent, the group killed at the end."""

    def __init__(self, child: int):
        self.child, self.interrupts = child, 0
        self.terminal = _lend_terminal(child)
        self.previous = {}
        for number in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            if signal.getsignal(number) != signal.SIG_IGN:  # ignored (nohup, `cmd &`) stays so
                self.previous[number] = signal.signal(number, self._signalled)

    def _signalled(self, number, frame) -> None:
        if number == signal.SIGINT and self.interrupts == 0:
            self.interrupts = 1
            _kill_group(self.child, signal.SIGINT)  # the child stops as it would on Ctrl-C
            return
        self.interrupts += 1
        _kill_group(self.child, signal.SIGKILL)

    def wait(self, timeout: float):
        """The child's exit code as SystemExit, or TimeLimitExceeded when time is up."""
        deadline = time.monotonic() + timeout
        ended = _child_watch(self.child)
        try:
            while True:
                done, status = os.waitpid(self.child, os.WNOHANG)
                if done:
                    code = os.waitstatus_to_exitcode(status)
                    _CHILD_FINISHED[0] = True
                    raise SystemExit(EXIT_INTERRUPTED if code < 0 and self.interrupts else code)
                left = deadline - time.monotonic()
                if left <= 0:
                    _kill_group(self.child, signal.SIGKILL)
                    os.waitpid(self.child, 0)
                    raise limit_error(f"the command took longer than {timeout:g} s",
                                      "--timeout SECONDS", TimeLimitExceeded)
                ended(left)
        finally:
            ended.close()

    def release(self) -> None:
        """Kill what is left of the child's group, take the terminal back, restore signals."""
        _kill_group(self.child, signal.SIGKILL)
        if self.terminal is not None:
            _take_terminal_back(*self.terminal)
        for number, handler in self.previous.items():
            signal.signal(number, handler)


class _child_watch:
    """Waits until the child may have ended or `left` seconds pass: on a pidfd where the
    system has them (Linux), which wakes the moment the child ends, else by sleeping 5 ms.
    A signal (Ctrl-C) runs its handler and the wait goes on (PEP 475)."""

    def __init__(self, child: int):
        try:
            self.fd = os.pidfd_open(child)
        except (AttributeError, OSError):
            self.fd = None

    def __call__(self, left: float) -> None:
        if self.fd is None:
            time.sleep(min(left, 0.005))
            return
        import select

        select.select([self.fd], [], [], left)

    def close(self) -> None:
        if self.fd is not None:
            os.close(self.fd)


def _kill_group(group: int, number: int) -> None:
    try:
        os.killpg(group, number)
    except (ProcessLookupError, PermissionError):  # nothing of the group is left
        pass


def _lend_terminal(child: int):
    """Make the child's group the terminal's foreground when ours is; (fd, our group) or None."""
    try:
        fd = sys.stdin.fileno()
        if not os.isatty(fd) or os.tcgetpgrp(fd) != os.getpgrp():
            return None
        with _ignoring(signal.SIGTTOU):
            os.tcsetpgrp(fd, child)
        return fd, os.getpgrp()
    except (AttributeError, ValueError, OSError, io.UnsupportedOperation):
        return None


def _take_terminal_back(fd: int, group: int) -> None:
    try:
        with _ignoring(signal.SIGTTOU):  # a background group may not set it otherwise
            os.tcsetpgrp(fd, group)
    except OSError:
        pass


class _ignoring:
    def __init__(self, number):
        self.number = number

    def __enter__(self):
        self.previous = signal.signal(self.number, signal.SIG_IGN)

    def __exit__(self, *exc):
        signal.signal(self.number, self.previous)


def _run_in_thread(function, timeout: float):
    """`function()` in a daemon thread; PolicyError(limit_exceeded) when it takes too long.

    A thread cannot be killed: when time is up its cleanups (its worker pools) are run and
    its stop signal is set, which the evaluators check between steps (limits.check_stopped),
    so the abandoned work ends soon after instead of running on (and growing) unseen.
    """
    context = contextvars.copy_context()
    cleanups, stop = [], threading.Event()
    context.run(_CLEANUPS.set, cleanups)
    context.run(stop_on, stop)
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
        for cleanup in cleanups:
            cleanup()
        stop.set()  # then the evaluators stop at their next step instead of running on
        raise limit_error(f"the command took longer than {timeout:g} s", "--timeout SECONDS",
                          TimeLimitExceeded)
    if "error" in outcome:
        raise outcome["error"]
    return outcome.get("value")


class sigint_held:
    """Ctrl-C (SIGINT) held off in the main thread: a KeyboardInterrupt comes at the end
    of the block, never between writing a part and counting it. A handler is swapped in,
    not the signal masked: a SIGINT already received but not yet handled would otherwise
    still raise at the next bytecode, such as the one after the write."""

    def __enter__(self):
        self.active = threading.current_thread() is threading.main_thread()
        self.received = False
        if self.active:
            self.previous = signal.signal(signal.SIGINT, self._receive)

    def _receive(self, number, frame) -> None:
        self.received = True

    def __exit__(self, *exc):
        if not self.active:
            return
        signal.signal(signal.SIGINT, self.previous)
        if self.received and callable(self.previous):  # the default raises KeyboardInterrupt
            self.previous(signal.SIGINT, None)

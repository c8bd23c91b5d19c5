"""The one importer of dask and distributed: a cluster to run a batch's partitions on.

`batch --scheduler ADDRESS` names it: `local` (or `local:N`) starts a
`distributed.LocalCluster` of worker processes for the run and shuts it down after;
`tcp://HOST:PORT` (or tls://, ws://, wss://, or a bare HOST:PORT, which Dask reads as
tcp) connects to a scheduler that is already running. Nothing here is imported
unless the option is given, so plain `batch` and every other command start as fast as
before (dask and distributed take about a second to import).

Dask sends tasks and results between its processes by pickle: a scheduler address is
code execution on every worker, so it must be a cluster you trust. What policylog sends
is its own function and plain data (paths, byte offsets, limits); the policy, facts and
population files are read by the workers with policylog's own readers, never unpickled.

The local cluster's processes are started with Ctrl-C ignored, as batch_split.py's
workers are: Ctrl-C is the parent's, which stops between partitions and then shuts the
cluster down. They are in
the command's process group (the supervisor kills the group at the time limit or a
second Ctrl-C), and each ends when its parent does (distributed watches its parent).
"""
from __future__ import annotations

import contextlib
import logging
import re
import signal
import socket
import threading
import uuid
from dataclasses import dataclass

from policy.errors import PolicyError
from policy.limits import check_stopped
from policy.supervisor import on_timeout

LOCAL = "local"
CONNECT_TIMEOUT = 15.0  # seconds to reach a scheduler
WORKERS_TIMEOUT = 30.0  # seconds to wait for a scheduler with no worker to get one
RETRIES = 2  # a task that raised is run again this many times (a worker that died: Dask's own)
POLL = 0.1  # seconds between looks at the time limit while a result is awaited
_ADDRESS = re.compile(r"(?:(tcp|tls|ws|wss)://)?(\[[0-9a-fA-F:]+\]|[A-Za-z0-9_.-]+):([0-9]{1,5})")
INSTALL = "pip install 'policylog[cluster]' (or: pip install 'dask[distributed]')"


@dataclass(frozen=True)
class Scheduler:
    """Where partitions run: `address` None for a local cluster of `workers` processes."""

    address: str | None
    workers: int | None = None


def parse_scheduler(text: str, jobs: int | None = None) -> Scheduler:
    """The --scheduler option: `local`, `local:N` or a scheduler address; `jobs` (--jobs)
    sets the local cluster's workers and may not be given with an address."""
    text = text.strip()
    if text == LOCAL or text.startswith(LOCAL + ":"):
        count = text[len(LOCAL) + 1:] or None
        if count is not None and not (count.isdigit() and 0 < int(count) <= 1024):
            raise _usage(f"--scheduler {text}: N in local:N is a number of workers, 1 to 1024")
        if count is not None and jobs is not None and int(count) != jobs:
            raise _usage(f"--scheduler {text} and --jobs {jobs} give two numbers of workers")
        return Scheduler(None, int(count) if count else jobs)
    found = _ADDRESS.fullmatch(text)
    if found is None or not 0 < int(found.group(3)) < 65536:
        raise _usage(f"--scheduler {text!r} is not `local`, `local:N` or a scheduler address "
                     "such as tcp://HOST:8786")
    if jobs is not None:
        raise _usage("--jobs sets a local cluster's workers; a running scheduler has the "
                     "workers started for it (dask worker ADDRESS --nworkers N)")
    return Scheduler(text if found.group(1) else f"tcp://{text}")


def _usage(message: str) -> PolicyError:
    return PolicyError.single("usage_error", message)


def cluster_error(message: str) -> PolicyError:
    return PolicyError.single("cluster_error", message)


def _not_installed(what: str, problem: Exception) -> PolicyError:
    first = str(problem).splitlines()[0] if str(problem) else type(problem).__name__
    return cluster_error(f"{what}: the scheduler or a worker cannot load policylog's task "
                         f"({first}): install policylog, the same version, where the "
                         "scheduler and every worker run")


def require_dask() -> None:
    """PolicyError (usage_error, exit 2) when distributed cannot be imported."""
    try:
        import distributed  # noqa: F401
    except ImportError as problem:
        raise _usage(f"--scheduler needs Dask, which is not installed ({problem}): "
                     f"{INSTALL}") from None


@contextlib.contextmanager
def connected(scheduler: Scheduler):
    """A Cluster to submit to, shut down (a local one) or let go (a remote one) at the end,
    and at the time limit in thread mode (supervisor.on_timeout)."""
    require_dask()
    made = {}
    close = _closer(made)
    on_timeout(close)
    try:
        if scheduler.address is None:
            made["local"] = _local_cluster(scheduler.workers or 1)
            made["client"] = _client(made["local"])
        else:
            _probe(scheduler.address)
            made["client"] = _client(scheduler.address)
            _wait_for_workers(made["client"], scheduler.address)
        yield Cluster(made["client"])
    finally:
        close()


def _closer(made: dict):
    """Close the client, then the local cluster, whatever of them `made` holds; once,
    whichever thread calls first (the batch's, or the supervisor's at the time limit)."""
    from policy.tools.batch import _once

    def close():
        for name in ("client", "local"):
            if name in made:
                with contextlib.suppress(OSError, RuntimeError, TimeoutError):
                    made[name].close()

    return _once(close)


def _local_cluster(workers: int):
    from distributed import LocalCluster

    with _ctrl_c_ignored():  # the worker processes start with it ignored, and keep it so
        return LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                            dashboard_address=":0", scheduler_kwargs={"dashboard": False},
                            silence_logs=logging.ERROR, memory_limit=0)


@contextlib.contextmanager
def _ctrl_c_ignored():
    """Ctrl-C ignored while the cluster starts (about 2 s), so that its worker processes
    start with it ignored and keep it so (a signal ignored stays ignored across exec, and
    Python leaves it so). A Ctrl-C pressed meanwhile is lost: the next one stops the batch
    (and a second one from a supervisor kills the group, supervisor.py)."""
    if threading.current_thread() is not threading.main_thread():
        yield  # thread mode (no real terminal): signals are the main thread's
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def _probe(address: str) -> None:
    """Fail at once, saying why, when nothing listens at the address (Dask itself would
    retry for CONNECT_TIMEOUT seconds and then say only that it timed out)."""
    host, port = _ADDRESS.fullmatch(address).group(2, 3)
    try:
        socket.create_connection((host.strip("[]"), int(port)), timeout=CONNECT_TIMEOUT).close()
    except OSError as problem:
        reason = problem.strerror or str(problem) or type(problem).__name__
        raise cluster_error(f"cannot reach the Dask scheduler at {address}: {reason}") from None


def _client(where):
    from distributed import Client

    try:
        return Client(where, timeout=CONNECT_TIMEOUT, set_as_default=False)
    except (OSError, TimeoutError, ValueError) as problem:
        raise cluster_error(f"cannot reach the Dask scheduler at {where}: {problem}") from None


def _wait_for_workers(client, address: str) -> None:
    try:
        client.wait_for_workers(1, timeout=WORKERS_TIMEOUT)
    except (OSError, TimeoutError) as problem:
        raise cluster_error(f"the Dask scheduler at {address} has no worker ({problem}): "
                            f"start some with `dask worker {address}`") from None


class Cluster:
    """Submit tasks, and await their results within the time limit."""

    def __init__(self, client):
        self.client, self.run = client, uuid.uuid4().hex[:12]

    def slots(self) -> int:
        """Tasks the workers run at once (their threads, together)."""
        workers = self.client.scheduler_info().get("workers", {})
        return max(1, sum(w.get("nthreads", 1) for w in workers.values()))

    def submit(self, function, *args, name: str):
        return self.client.submit(function, *args, key=f"policylog-{name}-{self.run}",
                                  pure=False, retries=RETRIES)

    def result(self, future, what: str):
        """The task's result; PolicyError (cluster_error) when the cluster lost it."""
        from distributed import CancelledError, KilledWorker

        done = threading.Event()
        future.add_done_callback(lambda _: done.set())
        while not done.wait(POLL):
            check_stopped()  # abandoned at the time limit (thread mode): stop waiting
        try:
            return future.result()
        except KilledWorker as problem:
            raise cluster_error(f"{what}: every worker that ran it died ({problem})") from None
        except ImportError as problem:
            raise _not_installed(what, problem) from None
        except RuntimeError as problem:
            if "deserializ" not in str(problem):
                raise
            raise _not_installed(what, problem) from None
        except (CancelledError, OSError) as problem:
            raise cluster_error(f"{what}: lost by the cluster ({type(problem).__name__}: "
                                f"{problem}); the scheduler or the connection to it went "
                                "away") from None

    def cancel(self, futures) -> None:
        with contextlib.suppress(OSError, RuntimeError, TimeoutError):
            self.client.cancel(list(futures))

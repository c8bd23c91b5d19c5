"""Per-thread resources that must survive a fork unharmed: DuckDB's connections.

A child forked from one thread clears the other threads' thread-locals; a connection held
only there would be destroyed in the child, where DuckDB's threads and locks did not
survive the fork (tests/engine/test_duckdb_fork.py). `hold` keeps every connection from a
module-level table as well. No duckdb import here: duckdb_seam stays its only importer.
"""
from __future__ import annotations

import os
import threading

_HELD = {}  # thread -> its connection: the references that keep connections alive
_INHERITED = []  # a forked child's copies of its parent's table: never closed, never dropped


def hold(connection) -> None:
    """Hold the connection from a module-level table, not only from the thread-local.

    Why: a process forked from one thread clears the states of the others in the child,
    their thread-locals included; a connection held only there would be destroyed in the
    child, and DuckDB's destructor, run where its threads and locks did not survive the
    fork, crashes the child (a batch's worker pool then respawns crashing workers
    without end). Held here, the child never destroys it (os._exit runs no destructor)
    and never uses it (duckdb_seam._connection checks the process). The connections of threads that
    have ended are closed here, in the process that made them.
    """
    if _HELD.get("pid") != os.getpid():  # a forked child: the parent's are not ours to close
        _INHERITED.append(dict(_HELD))
        _HELD.clear()
        _HELD["pid"] = os.getpid()
    for thread in [t for t in _HELD if t != "pid" and not t.is_alive()]:
        _HELD.pop(thread).close()
    _HELD[threading.current_thread()] = connection

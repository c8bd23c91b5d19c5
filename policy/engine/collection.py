"""Python's cyclic garbage collector, run only between decision-diagram operations.

Why: dd.cudd wraps each CUDD result in a new Python object *before* it takes a reference
on the result's node. On Python 3.11 allocating that object can start the cyclic
collector, and the collector may free a diagram (held by an object in a reference
cycle) whose nodes include that result. CUDD then counts the node dead although it is
about to be referenced, and aborts the whole process at its next garbage collection
("cuddGarbageCollect: dead count != deleted"), which once ended a CI run.

So once CUDD diagrams are in use (`take_over`, called when dd.cudd is imported), the
automatic collector is off and `collect_if_due` does its work, with the same thresholds,
at points where no dd call can be under way: when a decision starts (diagrams.py) and
between evaluation steps (limits.check_stopped). A collection can never start inside a
dd call from another thread either: it would need the GIL, which a dd call holds from
start to end. `held()` suspends these collections around work that makes masses of
short-lived acyclic objects (a batch's blocks).
"""
from __future__ import annotations

import contextlib
import gc
import threading

_state = threading.local()
_taken = False


def take_over() -> None:
    """Turn the automatic collector off for good; `collect_if_due` runs it from now on."""
    global _taken
    if not _taken:
        _taken = True
        gc.disable()
        # what exists by now (the loaded policy, its caches) lives as long as the process:
        # out of every later collection, which would otherwise walk it again and again
        gc.freeze()


def taken() -> bool:
    return _taken


# Python collects the oldest generation only once the objects that survived into it since
# the last full collection are a quarter of it, a count it does not show; a full collection
# walks every object (the loaded policy included), so here it waits for ten times the
# threshold of the generation below instead.
FULL_AFTER = 10


def collect_if_due() -> None:
    """Collect the generations due now, if the collector is ours and not held in this
    thread. Cheap when nothing is due (one look at the counts)."""
    if not _taken or getattr(_state, "held", 0):
        return
    young, middle, old = gc.get_count()
    first, second, third = gc.get_threshold()
    if first <= 0 or young <= first:
        return
    if middle >= second:
        gc.collect(2 if old >= third * FULL_AFTER else 1)
    else:
        gc.collect(0)


@contextlib.contextmanager
def held():
    """No collection while the block runs (in this thread), whoever owns the collector."""
    _state.held = getattr(_state, "held", 0) + 1
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        _state.held -= 1
        if enabled and not _taken:
            gc.enable()

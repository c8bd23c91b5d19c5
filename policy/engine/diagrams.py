"""Decision-diagram managers (the `dd` package): one per compiled policy and thread.

dd is imported on first use, without networkx and without the modules (of dd and standard
ones) that policylog never calls (see _bdd_class and policy/deferred.py), so commands that
decide no applicant do not pay for it and those that do pay little.
"""
from __future__ import annotations

import contextlib
import functools
import sys
import threading

from policy.analysis.cache import analysis
from policy.deferred import bind, defer
from policy.engine import collection

# CUDD's computed table starts this small and grows by itself while its hit rate is high
# (up to dd's max_cache_hard). Its default first size (262,144 slots, several MiB zeroed)
# took 10 to 20 ms of every command that decides an applicant.
FIRST_CACHE_SLOTS = 4096
# The memory CUDD aims to stay within (a target, not a limit: past it, it collects and
# grows its tables more sparingly; a test made it use 600 MiB under a target of 128 MiB).
# dd's default target, 1 GiB, made starting a manager cost about 10 ms more than this one;
# a policy's diagrams take a few MiB.
MEMORY_TARGET = 256 * 1024 * 1024


def new_manager():
    """A fresh decision-diagram manager."""
    manager = _bdd_class()
    if getattr(manager, "__module__", "") == "dd.cudd":
        return manager(memory_estimate=MEMORY_TARGET, initial_cache_size=FIRST_CACHE_SLOTS)
    return manager()  # pragma: no cover - dd's pure-Python diagrams (no CUDD in the wheel)


# What dd.cudd imports but calls only for what policylog never does (parsing formulas from
# text, copying between managers, dumping to files, enumerating assignments through
# dd.bdd): about 20 ms of imports (ply, astutils, shelve, ...), deferred to first use.
DEFERRED = ("dd._copy", "dd._parser", "dd.autoref", "dd.bdd")
# The standard modules dd.cudd and dd._utils import for the same things (pickling a
# diagram to a file, drawing one with the `dot` program, pretty-printing, wording its
# errors; the traceback module that dd's `logging` imports formats only the exceptions it
# logs, which it never does here): about 12 ms of every command that decides an
# applicant; each loads on its first use, by anyone.
DEFERRED_STANDARD = ("pickle", "pprint", "shlex", "subprocess", "textwrap", "traceback")


@functools.lru_cache(maxsize=None)
def _bdd_class():
    """dd's BDD class: CUDD when the wheel has it (much faster), else dd's pure-Python
    diagrams. Imported on first use, and without networkx: dd imports it only to draw
    diagrams as graphs (which policylog never does), and it would triple the start-up
    time of every command that decides an applicant."""
    blocked = "networkx" not in sys.modules
    if blocked:
        sys.modules["networkx"] = None  # makes `import networkx` fail inside dd
    if "dd.cudd" not in sys.modules:
        defer(DEFERRED)
        defer(DEFERRED_STANDARD)
    try:
        try:
            from dd.cudd import BDD
            collection.take_over()  # see collection.py: CUDD aborts if collected inside a dd call
            bind(DEFERRED)
        except ImportError:  # pragma: no cover - depends on the platform's wheel
            from dd.autoref import BDD
    finally:
        if blocked:
            del sys.modules["networkx"]
    return BDD


@analysis
def _managers(owner) -> dict:
    """{thread id: manager} of `owner` (a compiled policy)."""
    return {}


def manager_for(owner):
    """The decision-diagram manager of `owner` (a compiled policy) in this thread: made
    once (a CUDD manager takes tens of milliseconds to start), its variables declared
    as they are first needed; unused nodes are freed by CUDD's reference counts."""
    collection.collect_if_due()  # a decision starts: no dd call is under way
    managers = _managers(owner)
    thread = threading.get_ident()
    found = managers.get(thread)
    if found is None:
        found = managers[thread] = new_manager()
    return found


@contextlib.contextmanager
def reordering_held(bdd):
    """CUDD's automatic variable reordering suspended (restored after). Building a model or-s
    and and-s many small formulas into growing ones, and each time the diagrams pass
    CUDD's threshold it sifts every variable: on three unknown amounts in one rule
    (examples/household) a third of an explanation went to that, and a quarter of the
    rest of one (its what-if search and "Decided by" ranges: 0.25 s of Dana's hardship
    review); on the bundled policy it made no difference that repeated runs could show."""
    configure = getattr(bdd, "configure", None)  # dd's pure-Python diagrams: no reordering
    before = configure(reordering=False).get("reordering") if configure else None
    try:
        yield
    finally:
        if before:
            configure(reordering=True)

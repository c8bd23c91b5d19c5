"""Decision-diagram managers (the `dd` package): one per compiled policy and thread.

dd is imported on first use and without networkx (see _bdd_class), so commands that decide
no applicant do not pay for it and those that do pay little.
"""
from __future__ import annotations

import functools
import sys
import threading

from policy.analysis.cache import analysis
from policy.engine import collection


def new_manager():
    """A fresh decision-diagram manager."""
    return _bdd_class()()


@functools.lru_cache(maxsize=None)
def _bdd_class():
    """dd's BDD class: CUDD when the wheel has it (much faster), else dd's pure-Python
    diagrams. Imported on first use, and without networkx: dd imports it only to draw
    diagrams as graphs (which policylog never does), and it would triple the start-up
    time of every command that decides an applicant."""
    blocked = "networkx" not in sys.modules
    if blocked:
        sys.modules["networkx"] = None  # makes `import networkx` fail inside dd
    try:
        try:
            from dd.cudd import BDD
            collection.take_over()  # see collection.py: CUDD aborts if collected inside a dd call
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

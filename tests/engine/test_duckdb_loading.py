"""The DuckDB engine's fact loading and its lazily registered functions.

Facts go in as one list per column (no NumPy), and the Python functions behind
ordering comparisons and arithmetic are registered on the first statement that
needs them: a thread's connection first used by a program without them must
still compare and compute right afterwards, and values of every kind must come
back as they went in.
"""
from __future__ import annotations

import datetime
import threading
from decimal import Decimal

from tests.engine.test_duckdb_engine import assert_engines_agree

PLAIN = """input edge(a, b).
path(X, Y) :- edge(X, Y).
path(X, Z) :- path(X, Y), edge(Y, Z).
"""

COMPUTING = """input item(k, v).
big(K) :- item(K, V), V >= 10.
next(K, W) :- item(K, V), W = V + 1.
half(K, H) :- item(K, V), H = V / 2.
"""


def test_functions_arrive_after_a_program_that_needed_none():
    def run():
        plain = assert_engines_agree(PLAIN, {"edge": [(1, 2), (2, 3)]})
        assert plain["path"] == {(1, 2), (2, 3), (1, 3)}
        items = {"item": [("a", 9), ("b", 10), ("c", Decimal("10.5")), ("d", 3)]}
        model = assert_engines_agree(COMPUTING, items)
        assert model["big"] == {("b",), ("c",)}
        assert ("c", Decimal("11.5")) in model["next"]
        assert ("a", Decimal("4.5")) in model["half"]

    problems = []
    worker = threading.Thread(target=lambda: _record(run, problems))  # a fresh connection
    worker.start()
    worker.join()
    assert not problems, problems
    run()  # and this thread's, possibly used before


def _record(run, problems):
    try:
        run()
    except Exception as problem:  # reported by the main thread
        problems.append(problem)


def test_values_of_every_kind_load_and_come_back():
    rows = [("s", "1"), ("i", 1), ("b", True), ("dec", Decimal("1.50")),
            ("day", datetime.date(2024, 2, 29)), ("big", 10 ** 30), ("neg", -7),
            ("empty", ""), ("quote", "it's a 'x'; DROP TABLE t0")]
    model = assert_engines_agree("input v(k, x).\nw(K, X) :- v(K, X).\n", {"v": rows})
    assert len(model["w"]) == len(rows)


def test_the_collector_is_as_it_was_after_an_evaluation_good_or_bad():
    import gc

    import policy
    from policy.errors import PolicyError

    compiled = policy.compile_text(PLAIN)
    enabled = gc.isenabled()
    assert compiled.evaluate({"edge": [(1, 2)]}, ["path"], engine="duckdb")["path"] == {(1, 2)}
    assert gc.isenabled() == enabled
    try:
        compiled.evaluate({"nosuch": [(1,)]}, engine="duckdb")
    except PolicyError:
        pass
    else:
        raise AssertionError("facts for an unknown predicate were accepted")
    assert gc.isenabled() == enabled

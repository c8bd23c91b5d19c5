"""The DuckDB engine's recursion (Gauss-Seidel semi-naive rounds) against pyDatalog.

The points-to analysis of benchmarks/points_to.py is one recursive component of seven
mutually recursive predicates (points-to sets, the call graph, reachable methods,
exceptions thrown) over lower strata with negation (method lookup): both engines must
give the same model. And in a component of two, the rows a later member's first rules
make are read by the earlier member in the next round.
"""
from __future__ import annotations

import importlib.util
from pathlib import Path

import policy

HERE = Path(__file__).resolve().parents[2] / "benchmarks" / "points_to.py"
SPEC = importlib.util.spec_from_file_location("points_to_benchmark", HERE)
points_to = importlib.util.module_from_spec(SPEC)
SPEC.loader.exec_module(points_to)
DERIVED = ["vpt", "hpt", "spt", "callgraph", "reach", "interassign", "thrown", "lookup",
           "defines", "subtype"]


def test_the_points_to_analysis_is_the_same_on_both_engines():
    compiled = policy.compile_text(points_to.policylog_text())
    facts = points_to.facts(1500, seed=5)
    duckdb = compiled.evaluate(facts, DERIVED, engine="duckdb")
    assert len(duckdb["vpt"]) > 400 and len(duckdb["callgraph"]) > 50  # not a trivial run
    assert duckdb == compiled.evaluate(facts, DERIVED, engine="pydatalog")


def test_the_first_rows_of_a_later_member_reach_an_earlier_one():
    text = """input start(x, y). input link(x, y).
    a(X, Y) :- b(X, Z), link(Z, Y).
    b(X, Y) :- start(X, Y).
    b(X, Y) :- a(X, Z), link(Z, Y).
    a(X, Y) :- start(Y, X).
    c(X, Y) :- a(X, Y), b(Y, X).
    """
    compiled = policy.compile_text(text)
    facts = {"start": [(0, 1), (5, 6), (3, 2)], "link": [(i, i + 1) for i in range(12)]}
    duckdb = compiled.evaluate(facts, ["a", "b", "c"], engine="duckdb")
    assert (0, 12) in duckdb["a"] | duckdb["b"] and (2, 12) in duckdb["a"] | duckdb["b"]
    assert duckdb == compiled.evaluate(facts, ["a", "b", "c"], engine="pydatalog")

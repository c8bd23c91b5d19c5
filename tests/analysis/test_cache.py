"""Analyses are worked out once per program, and never shared between programs."""
from __future__ import annotations

import policy
from policy.analysis.cache import analysis
from policy.analysis.graph import dependency_graph
from policy.inputs.applicant import fact_schema


class Owner:
    def __init__(self):
        self.analyses = {}


def test_an_analysis_runs_once_per_owner_and_arguments():
    calls = []

    @analysis
    def square(owner, n, scale=1):
        calls.append(n)
        return n * n * scale

    first, second = Owner(), Owner()
    assert [square(first, 3), square(first, 3), square(second, 3)] == [9, 9, 9]
    assert square(first, 3, scale=2) == 18
    assert calls == [3, 3, 3]


def test_two_programs_keep_their_own_analyses():
    one = policy.compile_text("input a(x: string). b(X) :- a(X).")
    two = policy.compile_text("input c(x: string). d(X) :- c(X).")
    assert [s.name for s in fact_schema(one.program)] == ["a"]
    assert [s.name for s in fact_schema(two.program)] == ["c"]
    assert fact_schema(one.program) is fact_schema(one.program)
    assert dependency_graph(two.program) == {"d": {"c"}, "c": set()}

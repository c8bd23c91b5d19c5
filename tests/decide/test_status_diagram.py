"""The compiled status diagrams give exactly decide()'s statuses (and StatusTable's).

Rows are drawn at random (seeded) over every fact's branches: each value of the fact, or
unknown; on the bundled policy and on a small finite policy of its own, whose facts
include an enum that holds exactly one value and one that holds any set of values.
"""
from __future__ import annotations

import random

import numpy
import pytest

import policy
from policy.decide.plan import procedure_statuses
from policy.decide.status_diagram import StatusDiagrams
from policy.decide.status_table import StatusTable
from policy.inputs.applicant import Applicant, fact_schema

SMALL = """
input member.
input student.
input plan(kind: enum(basic, plus, gold)).
@values("many")
input speaks(language: enum(en, zh, fr)).
procedure(join, may). procedure(upgrade, may). procedure(refund, may).
procedure(chosen, may). procedure(translate, must). procedure(nothing, may).
eligible(join) :- not member.
eligible(upgrade) :- member, plan(basic).
eligible(upgrade) :- member, plan(plus), student.
eligible(refund) :- member, not student, not speaks(fr).
eligible(chosen) :- plan(P).
eligible(translate) :- speaks(zh), not speaks(en).
eligible(nothing) :- member, not member.
needs(upgrade, paid).
needs(translate, paid).
achieved(paid) :- speaks(en).
achieved(paid) :- student, plan(gold).
"""


def random_rows(diagrams, count: int, seed: int) -> list:
    """Rows as branch codes, every branch (unknown included) equally likely."""
    rng = random.Random(seed)
    return [[rng.randrange(diagrams.unknown[name] + 1) for name in diagrams.names]
            for _ in range(count)]


def facts_of(diagrams, codes: list) -> dict:
    """{fact: rows} of a row of branch codes (an unknown fact left out)."""
    given = {}
    for name, code in zip(diagrams.names, codes):
        if code != diagrams.unknown[name]:
            given[name] = next(rows for rows, c in diagrams.branches[name].items() if c == code)
    return given


def block_statuses(diagrams, rows: list) -> list:
    codes = diagrams.codes(numpy.array(rows, dtype=numpy.intp).T.copy())
    return [
        {pid: ("applies", "blocked", "not_applicable", "undetermined")[codes[p, at]]
         for p, pid in enumerate(diagrams.procedures)} for at in range(len(rows))]


def decided(compiled, given: dict) -> dict:
    schema = fact_schema(compiled.program)
    applicant = Applicant(name="", file="", facts=given,
                          unknown=[spec for spec in schema if spec.name not in given])
    return procedure_statuses(compiled, applicant)


@pytest.fixture(scope="module")
def bundled():
    compiled = policy.load_policy()
    return compiled, StatusDiagrams.of(compiled)


def test_the_bundled_policy_compiles_to_diagrams(bundled):
    compiled, diagrams = bundled
    assert diagrams is not None
    assert set(diagrams.procedures) == {p for p, _ in compiled.static_model["procedure"]}


def test_diagrams_agree_with_the_status_table_on_many_random_rows(bundled):
    compiled, diagrams = bundled
    table = StatusTable.of(compiled)
    rows = random_rows(diagrams, 3000, seed=16)
    for codes, statuses in zip(rows, block_statuses(diagrams, rows)):
        assert statuses == table.statuses(facts_of(diagrams, codes)), codes


def test_diagrams_agree_with_decide_on_random_rows(bundled):
    compiled, diagrams = bundled
    rows = random_rows(diagrams, 40, seed=7)
    rows.append([diagrams.unknown[name] for name in diagrams.names])  # nothing known
    for codes, statuses in zip(rows, block_statuses(diagrams, rows)):
        assert statuses == decided(compiled, facts_of(diagrams, codes)), codes
        assert diagrams.statuses(codes) == statuses


def test_a_small_finite_policy_agrees_with_decide_on_every_row():
    compiled = policy.compile_text(SMALL)
    diagrams = StatusDiagrams.of(compiled)
    assert diagrams is not None
    # member, student: false/true/unknown; plan: 3 values or unknown; speaks: one value or unknown
    assert [diagrams.unknown[n] + 1 for n in diagrams.names] == [3, 3, 4, 4]
    rows = [[a, b, c, d] for a in range(3) for b in range(3) for c in range(4) for d in range(4)]
    found = block_statuses(diagrams, rows)
    for codes, statuses in zip(rows, found):
        assert statuses == decided(compiled, facts_of(diagrams, codes)), codes
    unknown = found[-1]  # nothing known
    assert unknown["chosen"] == "applies"  # the plan is one of its values, whichever
    assert unknown["nothing"] == "not_applicable"
    assert unknown["upgrade"] == "undetermined"
    assert {s["translate"] for s in found} == {"applies", "blocked", "not_applicable",
                                               "undetermined"}


def test_a_row_the_diagrams_do_not_cover_has_no_codes():
    compiled = policy.compile_text(SMALL)
    diagrams = StatusDiagrams.of(compiled)
    both = frozenset({("en",), ("zh",)})  # two values of the many-valued fact: StatusTable's
    assert diagrams.row_codes({"speaks": both}) is None
    assert diagrams.row_codes({"member": frozenset({()})}) == [1, 2, 3, 3]


def test_an_open_typed_schema_has_no_diagrams():
    compiled = policy.compile_text("input age(n: integer).\nprocedure(vote, may).\n"
                                   "eligible(vote) :- age(A), A >= 18.\n")
    assert StatusDiagrams.of(compiled) is None

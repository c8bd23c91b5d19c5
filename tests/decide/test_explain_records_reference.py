""""Would apply if" and "Decided by" of random programs over a fact of records, each claim
checked by `query`.

Hypothesis writes rules over `r(k: string, v: integer)` (rows past a constant, a count of
rows, a named row, no such row, a row above an unknown integer `n`) and a yes/no `x0`, and
applicants that give the records or not. Every suggestion must make the procedure apply
when given, and no suggestion with one change left out may; every list "Decided by" shows
must have its status when given. Written after the childcare example found the search
evaluating every combination (a given date row was not a candidate) and "Decided by"
showing one record's status under a model where it stood for one or more.
"""
from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import policy
from policy.decide.plan import make_plan
from policy.inputs.applicant import applicant_from_mapping, fact_schema
from policy.tools.explanation import ApplicantExplainer

HEADER = ("input r(k: string, v: integer).\ninput n(v: integer).\ninput x0.\n"
          "procedure(p0, may).\nprocedure(p1, may).\n")
PARTS = [
    "r(K{i}, V{i}), V{i} > 2",
    "r(K{i}, V{i}), V{i} < 1",
    "C{i} = count : {{ r(K{i}, W{i}) }}, C{i} >= 2",
    "C{i} = count : {{ r(K{i}, W{i}), W{i} > 0 }}, C{i} >= 2",
    "C{i} = count : {{ r(K{i}, W{i}) }}, C{i} < 2",
    "r(a, V{i})",
    "not r(a, _)",
    "n(A{i}), A{i} > 3",
    "n(A{i}), r(K{i}, V{i}), A{i} < V{i}",
    "x0",
    "not x0",
]
RECORDS = [None, [], [{"k": "a", "v": 3}], [{"k": "b", "v": 0}, {"k": "c", "v": 5}]]
APPLICANTS = st.fixed_dictionaries({
    "x0": st.sampled_from([True, False, None]),
    "n": st.sampled_from([0, 5, None]),
    "r": st.sampled_from(RECORDS),
})


@st.composite
def programs(draw) -> str:
    rules = []
    for pid in ("p0", "p1"):
        chosen = draw(st.lists(st.sampled_from(range(len(PARTS))), min_size=1, max_size=3,
                               unique=True))
        body = ", ".join(PARTS[p].format(i=f"{pid}_{n}") for n, p in enumerate(chosen))
        rules.append(f"eligible({pid}) :- {body}.\n")
    return HEADER + "".join(rules)


def applicant(compiled, facts: dict):
    known = {name: value for name, value in facts.items() if value is not None}
    return applicant_from_mapping({"applicant": "t", **known}, fact_schema(compiled.program),
                                  "t", 1)


def status(compiled, facts: dict, pid: str) -> str:
    plan = make_plan(compiled, applicant(compiled, facts))
    return {p.id: p.status for p in plan.procedures}[pid]


def changed(facts: dict, changes: list) -> dict:
    return {**facts, **{c["fact"]: c["value"] for c in changes}}


@settings(max_examples=25, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(programs(), APPLICANTS)
def test_every_suggestion_and_list_holds_when_given_to_query(text, facts):
    compiled = policy.compile_text(text)
    explainer = ApplicantExplainer(compiled, applicant(compiled, facts))
    for pid in ("p0", "p1"):
        document = explainer.document(pid)
        for suggestion in document.get("would_apply_if") or []:
            assert status(compiled, changed(facts, suggestion), pid) == "applies", \
                (text, facts, pid, suggestion)
            for left_out in range(len(suggestion)):
                fewer = suggestion[:left_out] + suggestion[left_out + 1:]
                assert status(compiled, changed(facts, fewer), pid) != "applies", \
                    (text, facts, pid, suggestion, left_out)
        for entry in document.get("decided_by") or []:
            for value in entry["values"]:
                if entry["fact"] == "r":
                    given_rows = {**facts, "r": value["value"]}
                    assert status(compiled, given_rows, pid) == value["status"], \
                        (text, facts, pid, value)

"""The what-if search of a policy with open types (no decision table): it reads statuses
from the searching decision's diagrams, puts the applicant's own given rows back as the
diagrams' candidates (dates included), and skips every combination that leaves out a fact
each suggestion must give. Found with a childcare policy written as a stranger would:
`explain` of a procedure needing four unknown facts took 45 s (each of ~40,000
combinations evaluated, because a given birth date was never one of the candidates)."""
from __future__ import annotations

import itertools
from dataclasses import dataclass

from hypothesis import given, settings
from hypothesis import strategies as st

import policy
from policy.decide import counterfactual
from policy.decide.counterfactual import MAX_CHANGES, _combinations
from policy.inputs.applicant import applicant_from_mapping, fact_schema
from policy.tools.explanation import ApplicantExplainer

CARE = """
input moved_in(day: date).
input child(name: string, born: date).
input income(amount: decimal).
input employment(kind: enum(employee, self_employed, unemployed)).
input other_benefit.
input in_nursery(name: string).
derived young(name).
young(N) :- child(N, B), B >= 2026-11-29 - 2190.
eligible(subsidy) :- moved_in(D), D <= 2026-06-01, young(N), in_nursery(N),
    income(I), I < 60000.50, not other_benefit.
eligible(large_family) :- C = count : { young(N) }, C >= 2, income(I), I < 90000.
procedure(subsidy, may).
procedure(large_family, may).
"""


def explainer(facts: dict) -> ApplicantExplainer:
    compiled = policy.compile_text(CARE)
    applicant = applicant_from_mapping({"applicant": "t", **facts},
                                       fact_schema(compiled.program), "t", 1)
    return ApplicantExplainer(compiled, applicant)


def evaluations(monkeypatch) -> list:
    """Every status the search evaluates (a whole evaluation of the policy each)."""
    calls, status = [], counterfactual.WhatIf.status

    def counted(self, procedure, changes=()):
        calls.append(tuple(changes))
        return status(self, procedure, changes)
    monkeypatch.setattr(counterfactual.WhatIf, "status", counted)
    return calls


ANN = {"child": [{"name": "Mia", "born": "2023-03-01"}], "employment": "self_employed"}


def test_four_facts_that_must_all_be_given_end_the_search_without_evaluating(monkeypatch):
    calls = evaluations(monkeypatch)
    document = explainer(ANN).document("subsidy")
    assert document["procedure"]["status"] == "undetermined"
    assert document["would_apply_if"] == [] and document["max_changes"] == MAX_CHANGES
    assert calls == []  # before: every combination evaluated, the given birth date unmatched


def test_three_facts_that_must_be_given_make_every_suggestion(monkeypatch):
    facts = {**ANN, "in_nursery": ["Mia"]}
    calls = evaluations(monkeypatch)
    search = explainer(facts)._what_if("subsidy")
    suggestions = search.would_apply_if("subsidy")
    assert suggestions
    for suggestion in suggestions:
        assert {c.name for c in suggestion} == {"moved_in", "income", "other_benefit"}
    # read from the diagrams while searching: evaluated only to verify what is shown
    assert len(calls) == len(suggestions)
    for suggestion in suggestions:
        assert search.status("subsidy", suggestion) == "applies"
        for smaller in itertools.combinations(suggestion, len(suggestion) - 1):
            assert search.status("subsidy", smaller) != "applies"


def test_several_children_are_suggested_with_the_income_that_must_be_given(monkeypatch):
    calls = evaluations(monkeypatch)
    search = explainer(ANN)._what_if("large_family")
    suggestions = search.would_apply_if("large_family")
    assert suggestions
    # each list of children read with every income from one decision, not evaluated per
    # income: the only pairs evaluated are those shown (verified); single changes are
    # evaluated to check that no smaller suggestion hides inside (_smallest)
    pairs = [list(call) for call in calls if len(call) == 2]
    assert pairs and all(pair in suggestions for pair in pairs)
    for suggestion in suggestions:
        assert {c.name for c in suggestion} == {"income", "child"}
        assert search.status("large_family", suggestion) == "applies"
        for change in suggestion:
            assert search.status("large_family", [change]) != "applies"


@dataclass(frozen=True)
class Named:
    name: str
    index: int


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from("abcd"), max_size=9), st.integers(1, 3),
       st.sets(st.sampled_from("abcd"), max_size=3))
def test_combinations_are_those_of_different_facts_with_the_required_in_order(names, size,
                                                                             required):
    candidates = [Named(name, index) for index, name in enumerate(names)]
    expected = [c for c in itertools.combinations(candidates, size)
                if len({x.name for x in c}) == size and required <= {x.name for x in c}]
    assert _combinations(candidates, size, required) == expected

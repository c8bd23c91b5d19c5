"""The diagram search for the smallest changes that make a procedure apply gives exactly
what trying every combination of candidate changes, one status at a time, gives."""
from __future__ import annotations

import os

import pytest

import policy
from policy.decide.change_search import applying_combinations
from policy.decide.counterfactual import MAX_CHANGES, WhatIf, change_rows, candidate_changes
from policy.inputs.applicant import fact_schema, load_applicant

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


@pytest.fixture(scope="module")
def compiled():
    return policy.load_policy()


@pytest.mark.parametrize("name", ["01_returnee_self_funded", "04_returnee_self_arranged",
                                  "06_part_time_flexible", "07_employee"])
def test_the_search_equals_trying_every_combination(compiled, name):
    schema = fact_schema(compiled.program)
    applicant = load_applicant(os.path.join(ROOT, "facts", name + ".yaml"), schema)
    search = WhatIf(compiled, applicant, schema)
    assert search.table is not None
    suggested = 0
    for pid, _, _, _ in search.table.procedures:
        candidates = candidate_changes(applicant, search.relevant(pid), compiled)
        expected = search._tried(pid, candidates)
        found = applying_combinations(search.table, pid, applicant.facts, candidates,
                                      lambda c: change_rows(search.schema[c.name], c.value), MAX_CHANGES)
        assert found == expected, pid
        suggested += len(found)
    assert suggested  # the comparison covered some suggestions, not only empty answers


def test_a_sparse_applicant_gets_two_fact_suggestions(compiled):
    """facts/16_sparse.yaml: the card at the district centre needs more than one answer."""
    schema = fact_schema(compiled.program)
    applicant = load_applicant(os.path.join(ROOT, "facts", "16_sparse.yaml"), schema)
    search = WhatIf(compiled, applicant, schema)
    for suggestion in search.would_apply_if("apply_card_at_district_center"):
        assert search.status("apply_card_at_district_center", suggestion) == "applies"
        for index in range(len(suggestion)):  # minimal: no change can be left out
            smaller = suggestion[:index] + suggestion[index + 1:]
            assert search.status("apply_card_at_district_center", smaller) != "applies"

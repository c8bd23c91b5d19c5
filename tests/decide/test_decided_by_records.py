""""Decided by" for an unknown fact of records: every list it shows has, given to `query`,
the status shown. Where the decision keeps one representative row per region (standing for
one or more rows), a count of young children at least 2 showed one young child as
"undetermined", though one child alone is "not applicable"."""
from __future__ import annotations

import os

import pytest
import yaml

import policy
from policy.decide.plan import make_plan
from policy.inputs.applicant import applicant_from_mapping, fact_schema
from policy.tools.explanation import ApplicantExplainer
from tests.decide.test_what_if_search import CARE

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
LIBRARY = os.path.join("examples", "library_card")


def applicant_of(compiled, facts: dict):
    return applicant_from_mapping({"applicant": "t", **facts}, fact_schema(compiled.program),
                                  "t", 1)


def plan_status(compiled, facts: dict, pid: str) -> str:
    plan = make_plan(compiled, applicant_of(compiled, facts))
    return {p.id: p.status for p in plan.procedures}[pid]


def decided_records(compiled, facts: dict, pid: str) -> list:
    document = ApplicantExplainer(compiled, applicant_of(compiled, facts)).document(pid)
    return [(entry["fact"], value["value"], value["status"])
            for entry in document.get("decided_by", ())
            for value in entry["values"] if isinstance(value["value"], list)]


@pytest.mark.parametrize("facts, pid", [
    ({"income": 50000, "moved_in": "2025-01-01", "other_benefit": False}, "large_family"),
    ({"income": 50000}, "large_family"),
    ({"moved_in": "2025-01-01", "in_nursery": "Mia", "income": 100}, "subsidy"),
])
def test_every_list_shown_has_its_status_when_given(facts, pid):
    compiled = policy.compile_text(CARE)
    shown = decided_records(compiled, facts, pid)
    assert any(name == "child" for name, _, _ in shown)
    for name, rows, status in shown:
        assert plan_status(compiled, {**facts, name: rows}, pid) == status, (name, rows)


def test_two_young_children_are_shown_where_one_cannot_decide():
    compiled = policy.compile_text(CARE)
    shown = decided_records(compiled, {"income": 50000}, "large_family")
    statuses = {len(rows): status for _, rows, status in shown}
    assert statuses[1] == "not_applicable"
    assert statuses[2] == "applies"


@pytest.mark.parametrize("applicant", ["ana", "ben", "cleo"])
def test_the_library_examples_lists_too(applicant):
    compiled = policy.load_policy(os.path.join(ROOT, LIBRARY, "rules"))
    with open(os.path.join(ROOT, LIBRARY, "applicants", applicant + ".yaml"),
              encoding="utf-8") as file:
        facts = yaml.safe_load(file)
    known = {name: value for name, value in facts.items() if name not in ("applicant", "overdue")}
    for pid in ("get_card", "borrow_books", "return_books", "pay_fine"):
        for name, rows, status in decided_records(compiled, known, pid):
            assert plan_status(compiled, {**known, name: rows}, pid) == status, (pid, rows)

"""The defects issue 17 found on the bundled policy, each checked on the exact answer."""
from __future__ import annotations

from pathlib import Path

import pytest

import policy
from policy.tools.explanation import ApplicantExplainer
from policy.decide.plan import make_plan
from policy.inputs.applicant import applicant_from_mapping, fact_schema, load_applicant

ROOT = Path(__file__).parent.parent.parent


@pytest.fixture(scope="module")
def compiled():
    return policy.load_policy()


def plan_of(compiled, **facts):
    applicant = applicant_from_mapping({"applicant": "t", **facts}, fact_schema(compiled.program), "t", 1)
    return {p.id: p for p in make_plan(compiled, applicant).procedures}


def test_a_card_channel_after_payment_applies_whatever_premiums_paid_is(compiled):
    """Case analysis: paid already, or the payment procedure applies: payment is reached."""
    path = ROOT / "facts" / "01_returnee_self_funded.yaml"
    applicant = load_applicant(path, fact_schema(compiled.program))
    del applicant.facts["premiums_paid"]
    applicant.unknown = [s for s in fact_schema(compiled.program) if s.name not in applicant.facts]
    by_id = {p.id: p for p in make_plan(compiled, applicant).procedures}
    assert by_id["apply_card_at_district_center"].status == "applies"
    assert by_id["apply_card_at_district_center"].missing == []


def test_flexible_enrolment_of_a_part_time_worker_asks_only_what_decides_it(compiled):
    by_id = plan_of(compiled, returned_overseas_student=False, has_valid_id_card=True,
                    employment="part_time_not_in_employee_scheme")
    flexible = by_id["enroll_flexible_employment_medical_insurance"]
    assert flexible.status == "undetermined"
    assert flexible.missing == ["enrolled_in_medical_insurance"]


def test_someone_who_did_not_study_abroad_is_not_asked_how_they_went(compiled):
    by_id = plan_of(compiled, returned_overseas_student=False)
    asked = {name for p in by_id.values() for name in p.missing}
    assert "went_abroad_as" not in asked and "hukou_cancelled_before_leaving" not in asked
    assert "employment" in asked  # not vacuous: other questions remain


def test_explaining_an_applicant_with_a_list_valued_fact_does_not_crash(compiled, tmp_path):
    path = tmp_path / "lists.yaml"
    path.write_text("applicant: L\nreturned_overseas_student: true\n"
                    "went_abroad_as: [self_funded, public_assignment]\nemployment: [employee, not_employed]\n",
                    encoding="utf-8")
    applicant = load_applicant(path, fact_schema(compiled.program))
    explainer = ApplicantExplainer(compiled, applicant)
    for procedure in ("restore_hukou_with_passport", "enroll_employee_medical_insurance"):
        document = explainer.document(procedure)
        assert document["procedure"]["id"] == procedure


def test_why_not_says_which_values_of_an_unknown_fact_decide_it(compiled):
    applicant = load_applicant(ROOT / "facts" / "16_sparse.yaml", fact_schema(compiled.program))
    document = ApplicantExplainer(compiled, applicant).document(
        "enroll_flexible_employment_medical_insurance")
    decided = {fact["fact"]: {v["value"]: v["status"] for v in fact["values"]}
               for fact in document["decided_by"]}
    assert decided["enrolled_in_medical_insurance"][True] == "not_applicable"
    assert decided["enrolled_in_medical_insurance"][False] == "undetermined"


def test_would_apply_if_suggestions_are_verified_and_minimal(compiled):
    applicant = load_applicant(ROOT / "facts" / "16_sparse.yaml", fact_schema(compiled.program))
    explainer = ApplicantExplainer(compiled, applicant)
    document = explainer.document("enroll_flexible_employment_medical_insurance")
    suggestions = document["would_apply_if"]
    assert suggestions and len(suggestions) <= 5
    for changes in suggestions:
        facts = {"returned_overseas_student": False, "employment": "part_time_not_in_employee_scheme",
                 **{c["fact"]: c["value"] for c in changes}}
        assert plan_of(compiled, **facts)["enroll_flexible_employment_medical_insurance"].status \
            == "applies"
        for dropped in changes:  # minimal: without any one change it does not apply
            fewer = {k: v for k, v in facts.items() if k != dropped["fact"]}
            assert plan_of(compiled, **fewer)[
                "enroll_flexible_employment_medical_insurance"].status != "applies"


def test_all_proofs_expands_nested_nodes_too(compiled):
    applicant = load_applicant(ROOT / "facts" / "01_returnee_self_funded.yaml",
                               fact_schema(compiled.program))
    explainer = ApplicantExplainer(compiled, applicant)
    short = explainer.document("apply_card_at_district_center")
    full = explainer.document("apply_card_at_district_center", all_proofs=True)

    def nodes(node):
        yield node
        for child in node["children"] + node.get("alternatives", []):
            yield from nodes(child)

    assert any(n.get("other_proofs") for root in short["why"] for n in nodes(root))
    assert not any(n.get("other_proofs") for root in full["why"] for n in nodes(root))
    assert any(n.get("alternatives") for root in full["why"] for n in nodes(root))


def test_a_fact_certain_only_by_case_analysis_is_explained_by_its_cases():
    compiled = policy.compile_text(
        "input x.\ninput y.\nprocedure(p, must).\neligible(p) :- x, y.\neligible(p) :- not x, y.\n")
    applicant = applicant_from_mapping({"applicant": "c", "y": True}, fact_schema(compiled.program),
                                       "c", 1)
    document = ApplicantExplainer(compiled, applicant).document("p")
    assert document["procedure"]["status"] == "applies"
    (root,) = document["why"]
    assert root["kind"] == "cases" and len(root["children"]) == 2

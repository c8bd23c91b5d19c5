"""The applicant's plan on a miniature policy: statuses, order, alternatives, unknowns."""
from __future__ import annotations

from pathlib import Path

import pytest

import policy
from policy.inputs.applicant import fact_schema, load_applicant
from policy.decide.plan import make_plan

MINI = Path(__file__).parents[1] / "fixtures" / "mini_policy.pl"


@pytest.fixture(scope="module")
def compiled():
    return policy.load_policy(MINI)


def plan_for(compiled, tmp_path, text):
    path = tmp_path / "a.yaml"
    path.write_text("applicant: Test\n" + text, encoding="utf-8")
    plan = make_plan(compiled, load_applicant(path, fact_schema(compiled.program)))
    return plan, {p.id: p for p in plan.procedures}


def test_everything_known_orders_the_steps(compiled, tmp_path):
    _, by_id = plan_for(compiled, tmp_path, "returnee: true\nhas_hukou: false\n"
                        "other_station_reason: false\nhas_id_card: false\ncard_by: self\n")
    assert {k: p.status for k, p in by_id.items()} == {
        "restore": "applies", "id_card": "applies", "card_self": "applies",
        "settle_elsewhere": "not_applicable", "card_agent": "not_applicable"}
    assert [by_id[k].step for k in ("restore", "id_card", "card_self")] == [1, 2, 3]
    assert by_id["card_self"].modality == "option" and by_id["card_self"].group == "card_channel"


def test_unknown_is_not_false(compiled, tmp_path):
    _, by_id = plan_for(compiled, tmp_path, "returnee: true\nhas_hukou: false\nhas_id_card: false\n"
                        "card_by: self\n")
    assert by_id["restore"].status == "undetermined"
    assert by_id["settle_elsewhere"].status == "undetermined"
    assert by_id["restore"].missing == ["other_station_reason"]
    # Case analysis: whatever other_station_reason is, one of the two hukou routes applies,
    # so the ID card (which needs the hukou) applies, and nothing is missing for it.
    assert by_id["id_card"].status == "applies"
    assert by_id["id_card"].missing == []


def test_a_prerequisite_that_cannot_be_met_blocks(compiled, tmp_path):
    _, by_id = plan_for(compiled, tmp_path, "returnee: false\nhas_hukou: false\n"
                        "other_station_reason: false\nhas_id_card: false\ncard_by: agent\n")
    assert by_id["id_card"].status == "blocked"
    assert by_id["id_card"].blocked_by == ["hukou"]
    assert by_id["card_agent"].status == "blocked"
    assert by_id["restore"].status == "not_applicable"


def test_a_milestone_already_achieved_needs_no_procedure(compiled, tmp_path):
    _, by_id = plan_for(compiled, tmp_path, "returnee: true\nhas_hukou: true\nhas_id_card: true\n"
                        "card_by: agent\n")
    assert by_id["card_agent"].status == "applies" and by_id["card_agent"].step == 1
    assert by_id["id_card"].status == "not_applicable"
    assert by_id["restore"].status == "not_applicable"


def test_checklist_combines_documents_of_procedures_that_apply(compiled, tmp_path):
    plan, _ = plan_for(compiled, tmp_path, "returnee: true\nhas_hukou: false\n"
                       "other_station_reason: false\nhas_id_card: false\ncard_by: self\n")
    assert [(key, ids) for key, _, ids in plan.checklist()] == [
        ("passport", ["restore"]), ("household_register", ["id_card"]), ("id_card", ["card_self"])]


def test_a_catalogue_predicate_of_the_wrong_arity_is_named_not_a_traceback(tmp_path, run):
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "p.pl").write_text(
        "input age(n: integer).\n"
        "derived eligible(procedure: enum(a)).\n"
        "derived procedure(procedure: enum(a), modality: enum(must)).\n"
        "derived title(procedure: enum(a), en: string).\n"
        "eligible(a) :- age(N), N >= 18.\nprocedure(a, must).\ntitle(a, \"A\").\n",
        encoding="utf-8")
    applicant = tmp_path / "x.yaml"
    applicant.write_text("applicant: X\nage: 20\n", encoding="utf-8")
    result = run("query", applicant, "--policy", rules)
    assert result.exit_code == 2, result.output
    assert "title/2 (a plan reads title/3)" in result.stderr
    assert "Traceback" not in result.stderr

"""The interview's logic: which question next, why, `back`, and when it ends."""
from __future__ import annotations

import yaml

from pathlib import Path

import pytest

import policy
from policy.views.wording import choice_text
from policy.decide.interview import Interview, answers_of, candidates, choices_of
from policy.decide.plan import UNDETERMINED
from policy.inputs.applicant import fact_schema, load_applicant
from policy.tools.interviewer import answer_from

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def compiled():
    return policy.load_policy(policy.BUNDLED_POLICY)


def test_first_question_decides_the_most_open_procedures(compiled):
    state = Interview(compiled, "x")
    ranked = state.candidates()
    counts = [len(procedures) for _, procedures in ranked]
    assert counts == sorted(counts, reverse=True)
    question = state.next_question()
    assert question.fact == ranked[0][0]
    assert len(question.procedures) == max(counts)
    assert all(p.status == UNDETERMINED and question.fact in p.missing for p in question.procedures)


def test_ties_go_to_schema_order(compiled):
    schema = fact_schema(compiled.program)
    order = [spec.name for spec in schema]
    ranked = Interview(compiled, "x").candidates()
    for (fact, procs), (other, other_procs) in zip(ranked, ranked[1:]):
        if len(procs) == len(other_procs):
            assert order.index(fact) < order.index(other)


def test_yes_no_and_enum_choices_carry_titles(compiled):
    specs = {spec.name: spec for spec in fact_schema(compiled.program)}
    yes_no = choices_of(specs["returned_overseas_student"])
    shown = [(c.value, choice_text(c, "en"), choice_text(c, "zh")) for c in yes_no]
    assert shown == [(True, "yes", "是"), (False, "no", "否")]
    assert [c.value for c in choices_of(specs["went_abroad_as"])] == ["public_assignment", "self_funded"]


def test_why_names_open_procedures_and_the_clauses_with_citations(compiled):
    known = yaml.safe_load((ROOT / "facts" / "01_returnee_self_funded.yaml").read_text())
    del known["applicant"], known["has_passport"]  # everything but the passport
    state = Interview(compiled, "x", known)
    question = state.next_question()
    assert question.fact == "has_passport"
    assert "restore_hukou_with_passport" in [p.id for p in question.procedures]
    ids = {rule.rule_id: rule.annotation("source").text() for rule in question.clauses}
    # the clause that reads the fact (II.1: "directly with their passports"), and those above it
    assert ids["achieved.passport"] == "returnee-guide II.1"
    assert ids["returnee-guide.III.1"] == "returnee-guide III.1"
    # a clause whose body does not read it, even below, is not a reason
    assert "returnee-guide.I.2" not in ids


def test_dont_know_is_not_asked_again_and_back_undoes(compiled):
    state = Interview(compiled, "x")
    first = state.next_question().fact
    state.answer(first, None)
    assert state.next_question().fact != first
    assert first in state.declined
    assert state.back() == first
    assert state.next_question().fact == first
    assert state.back() is None


def test_a_bad_value_leaves_the_state_as_it_was(compiled):
    state = Interview(compiled, "x")
    with pytest.raises(policy.PolicyError):
        state.answer("went_abroad_as", "by_boat")
    assert state.answers == {}


def test_it_ends_when_no_unknown_fact_can_change_a_status(compiled):
    truth = load_applicant(ROOT / "facts/10_missing_facts.yaml", fact_schema(compiled.program))
    transcript = answer_from(Interview(compiled, truth.name), truth)
    state = transcript.interview
    assert state.next_question() is None
    assert candidates(state.plan, state.schema, state.declined) == []
    for procedure in state.plan.procedures:
        assert set(procedure.missing) <= state.declined
    asked = [turn.question.fact for turn in transcript.turns]
    assert len(asked) == len(set(asked))


def test_answers_of_an_applicant_keep_empty_facts_as_dont_know(compiled, tmp_path):
    path = tmp_path / "a.yaml"
    path.write_text("applicant: A\nreturned_overseas_student: true\nhas_local_hukou:\n"
                    "went_abroad_as: self_funded\n", encoding="utf-8")
    applicant = load_applicant(path, fact_schema(compiled.program))
    assert answers_of(applicant, fact_schema(compiled.program)) == {
        "returned_overseas_student": True, "went_abroad_as": "self_funded", "has_local_hukou": None}

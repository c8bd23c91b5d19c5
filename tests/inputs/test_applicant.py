"""Applicant files: the fact schema, checking against it, unknown is not false."""
from __future__ import annotations

from pathlib import Path

import pytest

import policy
from policy.inputs.applicant import fact_schema, load_applicant
from policy.views.wording import type_text

MINI = Path(__file__).parents[1] / "fixtures" / "mini_policy.pl"


@pytest.fixture(scope="module")
def schema():
    return fact_schema(policy.load_policy(MINI).program)


def write(tmp_path, text, name="applicant.yaml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_schema_lists_the_inputs_with_types_and_questions(schema):
    names = [spec.name for spec in schema]
    assert names == ["returnee", "other_station_reason", "has_hukou", "has_id_card", "card_by"]
    card_by = schema[-1]
    assert type_text(card_by, "en") == "one of: self, agent"
    assert type_text(card_by, "zh") == "可选值：self, agent"
    assert card_by.text("question", "zh") == "由谁办卡？"
    assert type_text(schema[0], "en") == "yes/no"


def test_given_facts_and_unknown_facts(tmp_path, schema):
    applicant = load_applicant(write(tmp_path, "applicant: Li\nreturnee: true\nhas_hukou: false\n"
                                               "card_by: agent\nhas_id_card:\n"), schema)
    assert applicant.name == "Li"
    assert applicant.facts == {"returnee": {()}, "has_hukou": set(), "card_by": {("agent",)}}
    assert [spec.name for spec in applicant.unknown] == ["other_station_reason", "has_id_card"]


def test_json_applicant_files_are_accepted(tmp_path, schema):
    path = write(tmp_path, '{"applicant": "Li", "returnee": true}', "li.json")
    assert load_applicant(path, schema).facts == {"returnee": {()}}


def test_three_mistakes_give_three_messages_with_their_lines(tmp_path, schema):
    path = write(tmp_path, "applicant: Li\nreturne: true\ncard_by: someone\nhas_hukou: 3\n")
    with pytest.raises(policy.FactsError) as raised:
        load_applicant(path, schema)
    found = [(d.line, d.code) for d in raised.value.diagnostics]
    assert found == [(2, "facts_error"), (3, "facts_error"), (4, "facts_error")]
    messages = [d.message for d in raised.value.diagnostics]
    assert "did you mean 'returnee'" in messages[0]
    assert "not one of self, agent" in messages[1]
    assert "yes/no fact" in messages[2]


def test_broken_yaml_names_its_line(tmp_path, schema):
    with pytest.raises(policy.FactsError) as raised:
        load_applicant(write(tmp_path, "applicant: Li\nreturnee: [true\nhas_hukou: true\n"), schema)
    assert raised.value.line >= 2 and "not valid YAML" in raised.value.message


def test_a_name_is_required(tmp_path, schema):
    with pytest.raises(policy.FactsError) as raised:
        load_applicant(write(tmp_path, "returnee: true\n"), schema)
    assert "applicant:" in raised.value.message


def test_a_file_that_is_not_a_mapping(tmp_path, schema):
    with pytest.raises(policy.FactsError) as raised:
        load_applicant(write(tmp_path, "- just\n- a list\n"), schema)
    assert raised.value.line == 1


def mapping_problems(mapping, schema):
    from policy.inputs.applicant import applicant_from_mapping

    try:
        return applicant_from_mapping(mapping, schema, "rows.csv", 3).facts
    except policy.FactsError as problem:
        return [d.message for d in problem.diagnostics]


def test_the_batch_reader_gives_what_applicant_from_mapping_gives(schema):
    """Each (fact, value) is checked once and shared; 1 is not taken for true (1 == True
    in Python), nor an unknown fact, a list or a bad value for one seen before."""
    from policy.inputs.applicant import MappingReader

    flag = next(spec.name for spec in schema if spec.is_flag)
    valued = next(spec.name for spec in schema if not spec.is_flag)
    reader = MappingReader(schema, "rows.csv")
    mappings = [{flag: True}, {flag: 1}, {flag: True, valued: None}, {flag: "yes"},
                {"no_such_fact": True}, {flag: [True]}, {flag: False, "applicant": "A"},
                {flag: True}, {valued: {"a": 1}}]
    for mapping in mappings:
        expected = mapping_problems(mapping, schema)
        try:
            found = reader.facts(mapping, 3)
        except policy.FactsError as problem:
            found = [d.message for d in problem.diagnostics]
        assert found == expected, mapping
    assert reader.facts({flag: True}, 3)[flag] is reader.facts({flag: True}, 4)[flag]

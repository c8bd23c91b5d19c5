"""Situation keys (policy/relevance.py): the same key must mean the same statuses."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

import policy
from policy.errors import Failed
from policy.inputs.applicant import applicant_from_mapping, fact_schema
from policy.tools.batch import Evaluator, plan_statuses
from policy.inputs.rows import Row
from policy.decide.plan import CATALOGUE
from policy.tools.relevance import SituationKeys

ROOT = Path(__file__).parents[2]
COMPILED = policy.load_policy()
SCHEMA = fact_schema(COMPILED.program)
KEYS = SituationKeys(COMPILED, CATALOGUE)
UNKNOWN = object()


def example_values() -> list:
    found = []
    for path in sorted((ROOT / "facts").glob("*.yaml")):
        values = yaml.safe_load(path.read_text(encoding="utf-8"))
        values.pop("applicant")
        found.append({k: v for k, v in values.items() if v is not None})
    return found


def choices(spec) -> list:
    """Every value a fact can be given, and UNKNOWN."""
    values = [True, False] if spec.is_flag else list(spec.type.values)
    return values + [UNKNOWN]


def facts_of(values: dict) -> dict:
    given = {k: v for k, v in values.items() if v is not UNKNOWN}
    return applicant_from_mapping(given, SCHEMA, "test", 1).facts


def test_situations_with_one_key_have_the_same_statuses():
    """Every example, and every example with one fact changed (or left unknown)."""
    situations = {}
    for base in example_values():
        for spec in SCHEMA:
            for value in choices(spec):
                values = {**base, spec.name: value}
                facts = facts_of(values)
                situations[tuple(sorted((k, repr(v)) for k, v in facts.items()))] = facts
    groups = {}
    for facts in situations.values():
        groups.setdefault(KEYS.key(facts), []).append(facts)
    for members in groups.values():
        first = plan_statuses(COMPILED, members[0])
        for other in members[1:]:
            assert plan_statuses(COMPILED, other) == first, (members[0], other)
    # not vacuous: many different situations share a key
    assert len(groups) < 0.8 * len(situations)  # 0.76 since documents held are facts (issue 14)


def test_facts_a_rule_never_reaches_do_not_split_situations():
    """Someone who did not study abroad gets no returnee procedure, whatever else they say."""
    base = {"returned_overseas_student": False, "employment": "employee"}
    one = facts_of({**base, "hukou_cancelled_before_leaving": True, "has_doctorate": True})
    other = facts_of({**base, "hukou_cancelled_before_leaving": False})
    assert KEYS.key(one) == KEYS.key(other)
    returnee = {**base, "returned_overseas_student": True}
    assert (KEYS.key(facts_of({**returnee, "hukou_cancelled_before_leaving": True}))
            != KEYS.key(facts_of({**returnee, "hukou_cancelled_before_leaving": False})))


def test_an_unknown_fact_is_not_the_same_as_a_false_one():
    base = {"returned_overseas_student": True}
    assert KEYS.key(facts_of(base)) != KEYS.key(facts_of({**base, "has_valid_id_card": False}))


def test_a_policy_whose_evaluation_could_fail_is_keyed_by_all_its_facts():
    def usable(rules: str) -> bool:
        return SituationKeys.usable(policy.compile_text("input a(n: integer).\n" + rules))

    assert usable("b(N) :- a(N), N != 3.\n")
    assert not usable("b(N) :- a(N), N > 3.\n")  # "abc" > 3 fails
    assert not usable("b(M) :- a(N), M = 10 / N.\n")
    assert not usable("b(S) :- S = sum N : { a(N) }.\n")


def test_a_failure_in_a_rule_killed_later_is_not_shared_between_rows():
    """`age(A), A > 17` fails on "abc" before `not x` kills the rule: each row gets its own."""
    compiled = policy.compile_text(
        "input x.\ninput age(v).\nprocedure(a, must).\n"
        "eligible(a) :- age(A), A > 17, not x.\n")
    rows = [Row(1, {"x": True, "age": "abc"}, name="A"), Row(2, {"x": True, "age": 20}, name="B")]
    for ordered in (rows, rows[::-1]):
        records = {r["applicant"]: r for r in Evaluator(compiled, "t").records(ordered)}
        assert "TypeError" in records["A"]["error"]
        assert records["B"]["procedures"] == {"a": "not_applicable"}


def test_a_policy_with_only_procedure_and_eligible_gets_keys():
    compiled = policy.compile_text("input x.\nprocedure(a, must).\neligible(a) :- x.\n")
    records = Evaluator(compiled, "t").records([Row(1, {"x": True}, name="A"), Row(2, {}, name="B")])
    assert [r["procedures"] for r in records] == [{"a": "applies"}, {"a": "undetermined"}]


@st.composite
def related_situations(draw):
    """An example with some facts changed, and a second situation that changes more."""
    values = dict(draw(st.sampled_from(example_values())))
    for spec in draw(st.lists(st.sampled_from(SCHEMA), max_size=4)):
        values[spec.name] = draw(st.sampled_from(choices(spec)))
    other = dict(values)
    for spec in draw(st.lists(st.sampled_from(SCHEMA), min_size=1, max_size=6)):
        other[spec.name] = draw(st.sampled_from(choices(spec)))
    return facts_of(values), facts_of(other)


@settings(max_examples=150, derandomize=True, deadline=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(related_situations())
def test_same_key_same_statuses_on_random_situations(pair):
    one, other = pair
    same = KEYS.key(one) == KEYS.key(other)
    event("same key" if same else "different keys")
    if same:
        assert plan_statuses(COMPILED, one) == plan_statuses(COMPILED, other)


def values_of(facts_values: dict) -> dict:
    return {k: v for k, v in facts_values.items() if v is not UNKNOWN}


def test_each_procedure_and_milestone_of_the_bundled_policy_is_its_own_unit():
    units = set(KEYS.units)
    procedures = {p for p, _ in COMPILED.static_model["procedure"]}
    assert {("eligible", (p,)) for p in procedures} <= units
    assert ("achieved", ("id_card",)) in units
    assert all(None not in args for _, args in units)


def test_a_row_of_a_finite_schema_needs_no_evaluation():
    """The bundled schema is finite (yes/no and enum facts): the batch decides every row
    from the policy's one symbolic evaluation (status_table.StatusTable), with the
    statuses of a plan of each row."""
    base = example_values()[0]  # 01_returnee_self_funded
    rows = [base, {**base, "has_local_hukou": True},
            {**base, "enrolled_in_medical_insurance": True},
            {**base, "has_local_hukou": True, "enrolled_in_medical_insurance": True}]
    evaluator = Evaluator(COMPILED, "t")
    records = evaluator.records([Row(i, values, name=str(i)) for i, values in enumerate(rows, 1)])
    assert evaluator.evaluated == 0
    statuses = [record["procedures"] for record in records]
    assert statuses == [plan_statuses(COMPILED, facts_of(values)) for values in rows]
    assert statuses[3] not in statuses[:3]  # not vacuous: a situation of its own


@st.composite
def related_rows(draw):
    """A few examples, each with some facts changed or left unknown."""
    rows = []
    for _ in range(draw(st.integers(2, 8))):
        values = dict(draw(st.sampled_from(example_values())))
        for spec in draw(st.lists(st.sampled_from(SCHEMA), max_size=4)):
            values[spec.name] = draw(st.sampled_from(choices(spec)))
        rows.append(values_of(values))
    return rows


@settings(max_examples=60, derandomize=True, deadline=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(related_rows())
def test_assembled_statuses_are_the_statuses_of_a_plan_of_each_row(rows):
    evaluator = Evaluator(COMPILED, "t")
    records = evaluator.records([Row(i, values, name=str(i)) for i, values in enumerate(rows, 1)])
    event(f"{len(rows) - evaluator.evaluated} row(s) without an evaluation of their own")
    for values, record in zip(rows, records):
        assert record["procedures"] == plan_statuses(COMPILED, facts_of(values)), values


def check_rows(compiled, rows: list) -> list:
    """Batch records of `rows` ({fact: value}), checked against a plan of each row."""
    schema = fact_schema(compiled.program)
    records = Evaluator(compiled, "t").records(
        [Row(i, values, name=str(i)) for i, values in enumerate(rows, 1)])
    for values, record in zip(rows, records):
        facts = applicant_from_mapping(values, schema, "t", 1).facts
        expected = plan_statuses(compiled, facts)
        assert (Failed(record["error"]) if isinstance(expected, Failed) else record["procedures"]) == expected
    return [record["procedures"] for record in records]


def test_a_rule_head_left_open_makes_the_whole_predicate_one_unit():
    compiled = policy.compile_text(
        "input wants(p: enum(a, b)).\ninput x.\nprocedure(a, must).\nprocedure(b, may).\n"
        "eligible(P) :- wants(P), x.\n")
    keys = SituationKeys(compiled, CATALOGUE)
    assert keys.units == [("eligible", (None,))]
    assert check_rows(compiled, [{"wants": "a", "x": True}, {"wants": "b", "x": True},
                                 {"wants": "b"}, {"x": False}]) == [
        {"a": "applies", "b": "not_applicable"}, {"a": "not_applicable", "b": "applies"},
        {"a": "not_applicable", "b": "undetermined"},
        {"a": "not_applicable", "b": "not_applicable"}]


def test_a_goal_that_facts_are_given_for_is_keyed_by_them():
    """`achieved` is an input here: the rows given for it decide it (rows 1 and 2 share
    every premise of every rule, and must still not share an answer)."""
    compiled = policy.compile_text(
        "input achieved(m: enum(card, hukou)).\ninput x.\nprocedure(a, must).\n"
        "needs(a, card).\neligible(a) :- x.\n")
    keys = SituationKeys(compiled, CATALOGUE)
    assert ("achieved", (None,)) in keys.units
    assert check_rows(compiled, [{"x": True, "achieved": "card"}, {"x": True, "achieved": "hukou"},
                                 {"x": True}]) == [
        {"a": "applies"}, {"a": "blocked"}, {"a": "undetermined"}]


def test_a_fact_limit_met_by_one_situation_is_neither_shared_nor_hidden():
    """--max-facts counts one evaluation's model; answers shared between rows must give each
    row the error its own evaluation gives, in either order."""
    from policy import limits

    compiled = policy.compile_text(
        "input x1.\ninput x2.\ninput x3.\ninput x4.\n"
        "procedure(a, must).\nprocedure(b, must).\nprocedure(c, must).\nprocedure(d, must).\n"
        "eligible(a) :- x1.\neligible(b) :- x2.\neligible(c) :- x3.\neligible(d) :- x4.\n"
        "seen(a) :- x1.\nseen(b) :- x2.\nseen(c) :- x3.\nseen(d) :- x4.\n")
    rows = [{"x1": True, "x2": True, "x3": False, "x4": False},
            {"x1": False, "x2": False, "x3": True, "x4": True},
            {"x1": True, "x2": True, "x3": True, "x4": True}]  # 8 derived facts: over the limit
    token = limits.using(limits.Limits(max_facts=5))
    try:
        for ordered in (rows, rows[::-1]):
            records = check_rows(compiled, ordered)
            assert sum(record is None for record in records) == 1
    finally:
        limits.restore(token)


def test_a_batch_needs_a_procedure_catalogue():
    compiled = policy.compile_text("input x.\nprocedure(p, must).\nh :- x.\n")
    with pytest.raises(policy.PolicyError, match="no procedure catalogue"):
        Evaluator(compiled, "t")

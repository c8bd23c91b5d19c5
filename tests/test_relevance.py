"""Situation keys (policy/relevance.py): the same key must mean the same statuses."""
from __future__ import annotations

from pathlib import Path

import yaml
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

import policy
from policy.applicant import applicant_from_mapping, fact_schema
from policy.batch import Evaluator, plan_statuses
from policy.rows import Row
from policy.plan import CATALOGUE
from policy.relevance import SituationKeys

ROOT = Path(__file__).parent.parent
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
    assert len(groups) < 0.7 * len(situations)


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

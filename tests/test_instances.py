"""Splitting apparent recursion into ground instances (policy/instances.py)."""
from __future__ import annotations

from pathlib import Path

import policy
from policy.applicant import fact_schema, load_applicant
from policy.compiler import plan_fixpoints
from policy.instances import split_instances

ROOT = Path(__file__).parent.parent

APPARENT = """
input employed.
input wants_card.
provides(enrol, insured).
eligible(enrol) :- employed.
covered :- eligible(P), provides(P, insured).
eligible(card) :- covered, wants_card.
"""

REAL = """
input x.
p(a) :- x.
p(b) :- p(a).
p(a) :- p(b).
"""


def split_of(compiled):
    return split_instances(compiled.lowered, compiled._static_engine_model, compiled.program.inputs)


def test_apparent_recursion_is_split_into_instances_without_a_fixpoint():
    compiled = policy.compile_text(APPARENT)
    assert [f.predicates for f in plan_fixpoints(compiled.lowered)[1]] == [("covered", "eligible")]
    assert plan_fixpoints(split_of(compiled))[1] == []


def test_the_split_program_gives_the_same_certain_and_possible_answers():
    compiled = policy.compile_text(APPARENT)
    certain, possible = compiled.evaluate_with_unknowns(
        {"wants_card": [()]}, {"employed": [()]}, ["eligible", "covered"])
    assert certain == {"eligible": set(), "covered": set()}
    assert possible == {"eligible": {("enrol",), ("card",)}, "covered": {()}}
    certain, possible = compiled.evaluate_with_unknowns(
        {"wants_card": [()], "employed": [()]}, {}, ["eligible"])
    assert certain == possible == {"eligible": {("enrol",), ("card",)}}


def test_recursion_among_the_instances_themselves_keeps_its_fixpoint():
    compiled = policy.compile_text(REAL)
    assert [f.predicates for f in plan_fixpoints(split_of(compiled))[1]] == [("p",)]
    certain, possible = compiled.evaluate_with_unknowns({"x": [()]}, {}, ["p"])
    assert certain == possible == {"p": {("a",), ("b",)}}
    certain, possible = compiled.evaluate_with_unknowns({}, {"x": [()]}, ["p"])
    assert certain == {"p": set()} and possible == {"p": {("a",), ("b",)}}


def test_a_group_with_non_ground_atoms_keeps_its_fixpoint():
    compiled = policy.compile_text(
        "input start(v: enum(a, b, c)).\nedge(a, b).\nedge(b, c).\n"
        "reach(X) :- start(X).\nreach(Y) :- reach(X), edge(X, Y).\n")
    assert [f.predicates for f in plan_fixpoints(split_of(compiled))[1]] == [("reach",)]
    certain, _ = compiled.evaluate_with_unknowns({"start": [("a",)]}, {}, ["reach"])
    assert certain == {"reach": {("a",), ("b",), ("c",)}}


def test_the_bundled_policy_needs_no_fixpoint_after_the_split():
    compiled = policy.load_policy()
    assert plan_fixpoints(compiled.lowered)[1]  # eligible <-> insured_or_enrolling
    assert plan_fixpoints(split_of(compiled))[1] == []


def test_every_example_applicant_gets_the_same_models_split_or_not():
    compiled = policy.load_policy()
    schema = fact_schema(compiled.program)
    wanted = [prefix + name for prefix in ("c_", "p_") for name in ("eligible", "achieved")]
    split, plain = compiled._engine_for(True, True), compiled._engine_for(True, False)
    assert split is not plain
    for path in sorted((ROOT / "facts").glob("*.yaml")):
        facts = _dual_facts(compiled, load_applicant(path, schema))
        assert split.evaluate(facts, wanted) == plain.evaluate(facts, wanted), path.name


def test_the_two_valued_evaluation_is_split_too_and_agrees():
    compiled = policy.load_policy()
    schema = fact_schema(compiled.program)
    split, plain = compiled._engine_for(False, True), compiled._engine_for(False, False)
    assert split is not plain and plain is compiled._engine
    for path in sorted((ROOT / "facts").glob("*.yaml")):
        facts = compiled.engine_facts(load_applicant(path, schema).facts)
        assert (split.evaluate(facts, ["eligible", "achieved"])
                == plain.evaluate(facts, ["eligible", "achieved"])), path.name


def test_a_program_without_apparent_recursion_is_left_as_it_is():
    compiled = policy.compile_text("input a.\nb :- a.\n")
    assert split_of(compiled) is compiled.lowered
    assert compiled._engine_for(False, True) is compiled._engine


def _dual_facts(compiled, applicant) -> dict:
    """The certain (c_) and possible (p_) facts of an applicant, as the engine takes them."""
    known = compiled.engine_facts(applicant.facts)
    extra = compiled.engine_facts({s.name: s.possible_rows() for s in applicant.unknown})
    facts = {"c_" + name: rows for name, rows in known.items()}
    for name in set(known) | set(extra):
        facts["p_" + name] = known.get(name, set()) | extra.get(name, set())
    return facts

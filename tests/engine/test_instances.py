"""Splitting apparent recursion into ground instances (policy/instances.py)."""
from __future__ import annotations

from pathlib import Path

import policy
from policy.inputs.applicant import fact_schema, load_applicant
from policy.inputs.facts import convert_row, engine_facts
from policy.engine.fixpoints import plan_fixpoints

ROOT = Path(__file__).parents[2]

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
    return compiled._split()


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
        facts = engine_facts(compiled, load_applicant(path, schema).facts)
        assert (split.evaluate(facts, ["eligible", "achieved"])
                == plain.evaluate(facts, ["eligible", "achieved"])), path.name


def test_a_program_without_apparent_recursion_is_left_as_it_is():
    compiled = policy.compile_text("input a.\nb :- a.\n")
    assert split_of(compiled) is compiled.lowered
    assert compiled._engine_for(False, True) is compiled._engine


def _dual_facts(compiled, applicant) -> dict:
    """The certain (c_) and possible (p_) facts of an applicant, as the engine takes them."""
    known = engine_facts(compiled, applicant.facts)
    extra = engine_facts(compiled, {s.name: s.possible_rows() for s in applicant.unknown})
    facts = {"c_" + name: rows for name, rows in known.items()}
    for name in set(known) | set(extra):
        facts["p_" + name] = known.get(name, set()) | extra.get(name, set())
    return facts


def test_constants_equal_as_numbers_but_of_other_types_keep_the_program_as_it_is():
    """1 and 1.0 are one number to the engine; a union rule could not say which the policy
    derived, so such a group is not split. `true` and 1, a date and its day number, are
    different values (values.py): those groups split, and `c` does not follow."""
    for written, read in (("true", "1"), ("2026-01-01", "739617"), ("1.0", "1")):
        compiled = policy.compile_text(f"input x.\nc :- e({read}).\ne({written}) :- x.\ne(q) :- c.\n")
        assert bool(plan_fixpoints(split_of(compiled))[1]) == (written == "1.0")
        if written != "1.0":
            assert compiled.evaluate({"x": [()]}, ["c"]) == {"c": set()}
        plain = compiled._engine.evaluate({"x": {()}}, ["e"])
        certain, possible = compiled.evaluate_with_unknowns({"x": [()]}, {}, ["e"])
        assert certain == possible == compiled.evaluate({"x": [()]}, ["e"])
        assert {type(v) for (v,) in plain["e"]} == {type(v) for (v,) in _engine_rows(compiled, certain)}


def _engine_rows(compiled, model):
    return {tuple(convert_row(compiled, "e", row)[0]) for row in model["e"]}


def test_a_policy_may_name_predicates_like_the_engine_s_auxiliaries():
    text = ("input x.\ninput y.\ne(a) :- x.\nc :- e(a).\ne(b) :- c.\n"
            "x_inst0_e :- y.\nd :- x_inst0_e.\nx_not1 :- y.\nx_read0 :- y.\n")
    compiled = policy.compile_text(text)
    for facts in ({"x": [()]}, {"y": [()]}):
        model = compiled.evaluate(facts)
        certain, possible = compiled.evaluate_with_unknowns(facts)
        assert certain == possible == model
        assert model["d"] == ({()} if "y" in facts else set())
        assert model["e"] == ({("a",), ("b",)} if "x" in facts else set())


def test_a_static_rule_that_fails_does_not_break_unrelated_questions():
    compiled = policy.compile_text("input x.\ns(a).\ns(1).\nbad(Y) :- s(Y), Y > 0.\nok :- x.\n")
    assert compiled.evaluate({"x": [()]}, ["ok"]) == {"ok": {()}}
    assert compiled.evaluate_with_unknowns({"x": [()]}, {}, ["ok"]) == ({"ok": {()}}, {"ok": {()}})

"""Strings checked as their places among the named strings (engine/open_solver.string_places)
give the answers z3's theory of strings gives, and answer where it gave up."""
from __future__ import annotations

import pytest

import policy
import policy.engine.open_solver as open_solver
from policy.engine.open_solver import string_places
from policy.engine.open_values import Stands
from tests.decide.test_open_values_reference import UNKNOWN, plan_answer

NAMES = ("@values(\"many\")\ninput name(n: string).\ninput other(s: string).\n"
         "input third(s: string).\nprocedure(p0, must).\nprocedure(p1, must).\n"
         "procedure(p2, must).\n")
POLICIES = [
    "eligible(p0) :- other(S), third(T), S = T.\neligible(p1) :- other(S), S < \"m\", S > \"k\".\n"
    "eligible(p2) :- other(S), third(T), S < T, T < \"b\", S > \"a\".\n",
    "eligible(p0) :- other(S), third(T), S < T, T < S.\n"
    "eligible(p1) :- other(S), S = \"x\", third(T), T != S.\n"
    "eligible(p2) :- other(S), third(T), S != T, S = \"x\", T = \"x\".\n",
    "eligible(p0) :- name(A), other(S), S = A.\neligible(p1) :- name(A), name(B), A != B.\n"
    "eligible(p2) :- name(A), A = \"q\", other(S), S < A.\n",
]
APPLICANTS = [{"name": UNKNOWN, "other": UNKNOWN, "third": UNKNOWN},
              {"name": ["q"], "other": UNKNOWN, "third": "x"},
              {"name": UNKNOWN, "other": "a", "third": UNKNOWN}]


@pytest.mark.parametrize("rules", POLICIES)
@pytest.mark.parametrize("values", APPLICANTS)
def test_places_answer_as_z3_strings_do(monkeypatch, rules, values):
    compiled = policy.compile_text(NAMES + rules)
    as_places = plan_answer(compiled, values)
    monkeypatch.setattr(open_solver, "string_places", lambda *args: None)
    assert plan_answer(policy.compile_text(NAMES + rules), values) == as_places


def test_rows_of_an_unknown_list_compared_with_each_other_are_decided(monkeypatch):
    """z3's strings gave up (its time limit) on each check of this policy, so the
    answers were the sound ones the diagrams give; as places every check is decided."""
    answers = []
    check = open_solver._answer
    monkeypatch.setattr(open_solver, "_answer", lambda z3, result: answers.append(
        check(z3, result)) or answers[-1])
    text = NAMES + "eligible(p0) :- name(A), name(B), A != B, other(S), S = A.\n"
    answer = plan_answer(policy.compile_text(text), {"name": UNKNOWN, "other": UNKNOWN,
                                                     "third": UNKNOWN})
    assert answer["p0"] == ("undetermined", ["name", "other"])
    assert answers and None not in answers


def _stands(*cuts):
    return Stands(origins=frozenset({"s"}), ordered=False, cuts=frozenset(cuts))


def test_places_follow_the_order_of_the_named_strings():
    candidates = {"f0_0": ("s", "b", None), "f0_1": ("s", "other", _stands("b", "a"))}
    meanings = {"o0": ("<", ("fact", "s"), ("const", "c"))}
    assert string_places(candidates, meanings, {}) == {"a": 0, "b": 1, "c": 2}


@pytest.mark.parametrize("named", [("",), ("\0",), ("a", "a\0"), ("ab", "ab\0\0")])
def test_named_strings_with_finitely_many_between_are_left_to_z3(named):
    candidates = {f"f0_{i}": ("s", value, None) for i, value in enumerate(named)}
    assert string_places(candidates, {}, {}) is None


def test_arithmetic_on_a_string_is_left_to_z3():
    candidates = {"f0_0": ("s", "b", None)}
    meanings = {"o0": ("<", ("op", "+", ("fact", "s"), ("const", 1)), ("const", 3))}
    assert string_places(candidates, meanings, {}) is None

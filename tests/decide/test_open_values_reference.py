"""Two unknown numbers compared, joined or added, against an enumeration of completions.

The applicant leaves integers `n` and `m` (and a yes/no `x0`) unknown; the reference
evaluates every completion with pyDatalog over a range wider than every constant, where
each region of the line has at least two values. Comparisons, joins and arithmetic
between the two values: statuses and deciding facts equal the enumeration (open
conditions, engine/open_conditions.py, decided together by the SMT check,
engine/open_solver.py). The range is finite and the engine reasons over every integer,
so the generated constants and operations are kept where the range shows every case.
"""
from __future__ import annotations

import datetime

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import policy
from policy.decide.plan import make_plan
from policy.inputs.applicant import applicant_from_mapping, fact_schema
from tests.decide.test_completions_reference import reference as enumerated

INTEGERS = range(-3, 10)  # the constants are 0..4, the given values 0..6: with `C = A + 1`
# and n = 6 given, m >= 8 decides (a range ending at 7 made the reference miss it)
UNKNOWN = None
PROCEDURES = ("p0", "p1", "p2")
HEADER = ("input x0.\ninput n(v: integer).\ninput m(v: integer).\nderived g.\n"
          "procedure(p0, must).\nprocedure(p1, must).\nprocedure(p2, must).\n"
          "provides(p0, m0).\nneeds(p2, m0).\n")
ORDER = ["n(A), m(B), A < B", "n(A), m(B), B < A", "n(A), m(B), A <= B", "n(A), m(A)",
         "n(A), m(B), A != B", "n(A), A >= 2", "m(B), B < 1", "m(3)", "x0", "not x0", "g",
         "not g", "n(A), not m(A)"]
ORDER_HELPERS = ["g :- n(A), m(B), B > A.", "g :- n(A), A > 3.", "g :- m(B), n(B)."]
ARITHMETIC = ["n(A), m(B), A + B > 3", "n(A), m(B), A - B >= 2", "n(A), m(B), A * B < 2",
              "n(A), A * 2 > 5", "n(A), m(B), C = A + 1, C < B"]


def programs(literals: list, helpers: list, header: str = HEADER):
    @st.composite
    def draw_program(draw) -> str:
        lines = [header]
        for pid in PROCEDURES:
            for _ in range(draw(st.integers(1, 2))):
                body = draw(st.lists(st.sampled_from(literals), min_size=1, max_size=3,
                                     unique=True))
                lines.append(f"eligible({pid}) :- {', '.join(body)}.")
        lines.extend(draw(st.lists(st.sampled_from(helpers), max_size=2, unique=True)))
        lines.append("g :- x0, not x0.")
        return "\n".join(lines) + "\n"
    return draw_program()


applicants = st.fixed_dictionaries({
    "x0": st.sampled_from([True, False, UNKNOWN]),
    "n": st.sampled_from([0, 3, 6, UNKNOWN, UNKNOWN]),
    "m": st.sampled_from([1, 4, UNKNOWN, UNKNOWN]),
})


def domain(name: str) -> list:
    return [True, False] if name == "x0" else list(INTEGERS)


def facts_of(values: dict) -> dict:
    return {name: ([()] if value else []) if name == "x0" else [(value,)]
            for name, value in values.items()}


def status_in(compiled, values: dict) -> dict:
    model = compiled.evaluate(facts_of(values))
    eligible = {p for (p,) in model["eligible"]}
    reached = {m for p, m in model.get("provides", ()) if p in eligible}
    needs = {p: {m} for p, m in model.get("needs", ())}
    return {p: ("not_applicable" if p not in eligible else
                "applies" if needs.get(p, set()) <= reached else "blocked")
            for p in PROCEDURES}


def reference(compiled, values: dict) -> dict:
    return enumerated(compiled, values, domain, status_in, PROCEDURES)


def plan_answer(compiled, values: dict) -> dict:
    known = {name: value for name, value in values.items() if value is not UNKNOWN}
    applicant = applicant_from_mapping({"applicant": "t", **known},
                                       fact_schema(compiled.program), "t", 1)
    return {p.id: (p.status, sorted(p.missing))
            for p in make_plan(compiled, applicant).procedures}


@settings(max_examples=40, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(programs(ORDER, ORDER_HELPERS), applicants)
def test_comparisons_and_joins_of_two_unknowns_equal_the_enumeration(text, values):
    compiled = policy.compile_text(text)
    assert plan_answer(compiled, values) == reference(compiled, values), text


@settings(max_examples=60, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(programs(ORDER + ARITHMETIC, ORDER_HELPERS), applicants)
def test_arithmetic_on_two_unknowns_equals_the_enumeration(text, values):
    compiled = policy.compile_text(text)
    assert plan_answer(compiled, values) == reference(compiled, values), text


def test_a_sum_of_two_unknowns_is_undetermined_not_applies():
    """Before: `A + L > 100` held for every pair of representatives, so `applies`."""
    text = HEADER + "eligible(p0) :- n(A), m(B), A + B > 100.\n"
    compiled = policy.compile_text(text)
    answer = plan_answer(compiled, {"x0": True, "n": UNKNOWN, "m": UNKNOWN})
    assert answer["p0"] == ("undetermined", ["m", "n"])
    assert plan_answer(compiled, {"x0": True, "n": 30, "m": UNKNOWN})["p0"] == \
        ("undetermined", ["m"])
    assert plan_answer(compiled, {"x0": True, "n": 30, "m": 80})["p0"][0] == "applies"


def test_contradicting_comparisons_of_two_unknowns_never_apply():
    text = HEADER + "eligible(p0) :- n(A), m(B), A < B, B < A.\n" \
        "eligible(p1) :- n(A), m(B), A < B.\neligible(p1) :- n(A), m(B), A >= B.\n"
    compiled = policy.compile_text(text)
    answer = plan_answer(compiled, {"x0": True, "n": UNKNOWN, "m": UNKNOWN})
    assert answer["p0"] == ("not_applicable", [])
    assert answer["p1"] == ("applies", [])


LIST = ("input x0.\n@values(\"many\")\ninput item(v: string).\nderived many.\n"
        "procedure(p0, must).\n"
        "many :- N = count : { item(X) }, N > 3.\neligible(p0) :- many.\n")


def test_a_count_over_an_unknown_list_is_undetermined():
    """Before: the list's one representative row made `N > 3` impossible."""
    compiled = policy.compile_text(LIST)
    assert plan_answer(compiled, {"x0": True, "item": UNKNOWN})["p0"] == \
        ("undetermined", ["item"])
    known = {"x0": True, "item": ["a", "b", "c", "d"]}
    assert plan_answer(compiled, known)["p0"] == ("applies", [])


def test_a_string_ordered_against_a_constant_is_undetermined():
    text = ("input x0.\ninput name(v: string).\nprocedure(p0, must).\n"
            "eligible(p0) :- name(S), S < \"m\".\n")
    compiled = policy.compile_text(text)
    assert plan_answer(compiled, {"x0": True, "name": UNKNOWN})["p0"] == \
        ("undetermined", ["name"])


def test_conditions_that_exclude_each_other_are_never_possible():
    """The SMT check (engine/open_solver.py) sees what the conditions mean together."""
    text = ("input x0.\ninput n(v: integer).\ninput m(v: integer).\ninput k(v: integer).\n"
            "procedure(p0, must).\nprocedure(p1, must).\nprocedure(p2, must).\n"
            "eligible(p0) :- n(A), m(B), A + B > 100, A + B < 50.\n"
            "eligible(p1) :- n(A), m(B), k(C), A < B, B < C, C < A.\n"
            "eligible(p2) :- n(A), m(B), k(C), A < B, B < C, A + 1 < C.\n")
    compiled = policy.compile_text(text)
    answer = plan_answer(compiled, {"x0": True, "n": UNKNOWN, "m": UNKNOWN, "k": UNKNOWN})
    assert answer["p0"] == ("not_applicable", [])
    assert answer["p1"] == ("not_applicable", [])
    assert answer["p2"] == ("undetermined", ["k", "m", "n"])


def test_decimals_and_dates_meet_exactly():
    text = ("input x0.\ninput pay(v: decimal).\ninput rent(v: decimal).\n"
            "input born(v: date).\ninput moved(v: date).\n"
            "procedure(p0, must).\nprocedure(p1, must).\n"
            "eligible(p0) :- pay(P), rent(R), P > R * 3, R > 1000.0, P < 2000.0.\n"
            "eligible(p1) :- born(B), moved(M), M - B >= 18, M < B.\n")
    compiled = policy.compile_text(text)
    answer = plan_answer(compiled, {"x0": True, "pay": UNKNOWN, "rent": UNKNOWN,
                                    "born": UNKNOWN, "moved": UNKNOWN})
    assert answer["p0"] == ("not_applicable", [])
    assert answer["p1"] == ("not_applicable", [])
    given = {"x0": True, "pay": UNKNOWN, "rent": UNKNOWN, "born": datetime.date(2000, 1, 1),
             "moved": UNKNOWN}
    assert plan_answer(compiled, given)["p1"] == ("not_applicable", [])

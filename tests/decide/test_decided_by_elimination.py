""""Decided by" when a change needs several other amounts eliminated: each range's status
is the status `query` gives with any one value of that range given, checked at every
integer of a span around the policy's constants (cut_points._eliminated: Fourier-Motzkin
over the conditions and the other amounts' region ends, whole bounds for integers).
Before, `A - B > 100, B - C > 50, C > 10` said `a <= 199: not_applicable` (a = 170 can
qualify) and, once that was mended, `a >= 101: undetermined` though a = 101 to 162 cannot."""
from __future__ import annotations

import pytest

import policy
from policy.inputs.applicant import applicant_from_mapping, fact_schema
from policy.tools.explanation import ApplicantExplainer
from tests.decide.test_completions_reference import plan_answer

HEADER = ("@description(en: \"A\")\ninput a(v: integer).\n@description(en: \"B\")\n"
          "input b(v: integer).\n@description(en: \"C\")\ninput c(v: integer).\n"
          "procedure(p0, must).\n")
CASES = {
    "chain": "eligible(p0) :- a(A), b(B), c(C), A - B > 100, B - C > 50, C > 10.\n",
    "sum and chain": "eligible(p0) :- a(A), b(B), c(C), A + B < 300, B - C >= 40, C >= 20.\n",
    "two rules": ("eligible(p0) :- a(A), b(B), A - B > 30, B > 60.\n"
                  "eligible(p0) :- a(A), c(C), A + C < 10, C > 5.\n"),
}


def decided_by(compiled, given: dict) -> dict:
    applicant = applicant_from_mapping({"applicant": "t", **given},
                                       fact_schema(compiled.program), "t", 1)
    document = ApplicantExplainer(compiled, applicant).document("p0", what_if=False)
    return {d["fact"]: d["values"] for d in document.get("decided_by", ())}


def holds(condition: str, value: int) -> bool:
    """Whether an integer satisfies a range as worded (`<= 162`, `>= 11 and <= 18`,
    `<= 61 or >= 70`, `= 5`, `any value`)."""
    if condition == "any value":
        return True
    tests = {"<=": int.__le__, ">=": int.__ge__, "<": int.__lt__, ">": int.__gt__,
             "=": int.__eq__}
    return any(all(tests[op](value, int(bound)) for op, bound in
                   (part.split(" ") for part in alternative.split(" and ")))
               for alternative in condition.split(" or "))


@pytest.mark.parametrize("case", sorted(CASES))
@pytest.mark.parametrize("given", [{}, {"a": 170}])
def test_each_range_has_the_status_of_every_value_in_it(case, given):
    compiled = policy.compile_text(HEADER + CASES[case])
    for fact, groups in decided_by(compiled, given).items():
        for value in _values(groups):
            (group,) = [g for g in groups if holds(g["condition"], value)]
            status, _ = plan_answer(compiled, {**given, fact: value})["p0"]
            assert status == group["status"], (case, given, fact, value, groups)


def _values(groups: list) -> list:
    """Every tenth integer of -20..260, and each range's ends with their neighbours."""
    ends = {int(word) for g in groups for word in g["condition"].split() if word.lstrip("-").isdigit()}
    return sorted(set(range(-20, 261, 10)) | {e + d for e in ends for d in (-2, -1, 0, 1, 2)})


def test_the_chain_is_cut_where_two_amounts_eliminated_meet():
    compiled = policy.compile_text(HEADER + CASES["chain"])
    found = {fact: [(g["condition"], g["status"]) for g in groups]
             for fact, groups in decided_by(compiled, {}).items()}
    assert found["a"] == [("<= 162", "not_applicable"), (">= 163", "undetermined")]
    assert found["b"] == [("<= 61", "not_applicable"), (">= 62", "undetermined")]


def test_a_cut_where_a_condition_fails_against_another_amounts_region():
    """Found by random programs: the open condition is held as `B > A`'s other side (`m <
    n` here), and only its failing side meets b's region end `b <= 0`, so pairing the
    holding side alone never cut n at 0; before, "n <= 0: undetermined" (n = 0 cannot
    qualify: 0 < m < 1)."""
    compiled = policy.compile_text(
        "input n(v: integer).\ninput m(v: integer).\nprocedure(p0, must).\n"
        "procedure(p1, must).\nprocedure(p2, must).\nprovides(p0, m0).\nneeds(p2, m0).\n"
        "eligible(p0) :- n(A), m(B), A < B.\neligible(p1) :- n(A), m(B), A < B.\n"
        "eligible(p2) :- n(A), m(B), A < B, m(B), B < 1.\n")
    applicant = applicant_from_mapping({"applicant": "t"}, fact_schema(compiled.program), "t", 1)
    document = ApplicantExplainer(compiled, applicant).document("p2", what_if=False)
    found = {d["fact"]: [(g["condition"], g["status"]) for g in d["values"]]
             for d in document["decided_by"]}
    assert found["n"] == [("<= -1", "undetermined"), (">= 0", "not_applicable")]
    assert found["m"] == [("<= 0", "undetermined"), (">= 1", "not_applicable")]
    for value, status in ((-1, "undetermined"), (0, "not_applicable")):
        assert plan_answer(compiled, {"n": value})["p2"][0] == status

"""Unknown integers whose regions hold several values, against an enumeration.

The constants 0 and 6 leave five integers between them, so that region has two
candidates (its first and last value, domains.representatives) and the SMT check must
tie them to parts of it, not both to all of it: tied to the whole region, "exactly one
candidate" ruled out every value inside it, and `A - B > 1, B - C > 1` with B between 0
and 6 came out impossible (`not_applicable` for an applicant who could qualify). The
other reference tests use constants a step apart, where no region had two candidates.
Only comparisons without added constants and with 0 and 6, so that the enumerated
range (-3..9; -12..19 when one fact is unknown, whose threshold the two given values can
put further out) shows every case the engine reasons about over all integers.
"""
from __future__ import annotations

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import policy
from tests.decide.test_completions_reference import plan_answer, reference as enumerated

INTEGERS = range(-3, 10)
# With two facts given, `A + C > B` puts the third's threshold at b - a (-6 for a = 8 and
# b = 2), outside -3..9; one unknown is cheap to enumerate over a wider range.
ONE_UNKNOWN = range(-12, 20)
UNKNOWN = None
PROCEDURES = ("p0", "p1")
HEADER = ("input a(v: integer).\ninput b(v: integer).\ninput c(v: integer).\n"
          "procedure(p0, must).\nprocedure(p1, must).\n")
LITERALS = ["a(A), b(B), A > B", "b(B), c(C), B > C", "a(A), c(C), A >= C",
            "a(A), A < 6", "b(B), B > 0", "c(C), C > 0", "b(B), B < 6",
            "a(A), b(B), c(C), A + C > B", "a(A), b(B), A - B > 1", "b(B), c(C), B - C > 1"]


@st.composite
def programs(draw) -> str:
    lines = [HEADER]
    for pid in PROCEDURES:
        body = draw(st.lists(st.sampled_from(LITERALS), min_size=2, max_size=4, unique=True))
        lines.append(f"eligible({pid}) :- {', '.join(body)}.")
    return "\n".join(lines) + "\n"


applicants = st.fixed_dictionaries({
    "a": st.sampled_from([8, 3, UNKNOWN]),
    "b": st.sampled_from([2, UNKNOWN, UNKNOWN]),
    "c": st.sampled_from([1, UNKNOWN, UNKNOWN]),
})


def status_in(compiled, values: dict) -> dict:
    model = compiled.evaluate({name: [(value,)] for name, value in values.items()})
    eligible = {p for (p,) in model["eligible"]}
    return {p: "applies" if p in eligible else "not_applicable" for p in PROCEDURES}


def reference(compiled, values: dict) -> dict:
    unknown = sum(value is UNKNOWN for value in values.values())
    span = list(ONE_UNKNOWN if unknown == 1 else INTEGERS)
    return enumerated(compiled, values, lambda name: span, status_in, PROCEDURES)


@settings(max_examples=25, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(programs(), applicants)
@example(text=HEADER + "eligible(p0) :- a(A), b(B), A > B, c(C), B > C.\n"
         "eligible(p1) :- a(A), b(B), c(C), A + C > B, A > B.\n",
         values={"a": 8, "b": 2, "c": UNKNOWN})  # p1 needs c > -6: the reference's range
def test_regions_of_several_integers_equal_the_enumeration(text, values):
    compiled = policy.compile_text(text)
    assert plan_answer(compiled, values) == reference(compiled, values), text


def test_a_chain_through_a_wide_region_can_apply():
    """a = 170 leaves b between 50 and 100 and c between 10 and 50 possible (b = 62,
    c = 11); before: `not_applicable`."""
    compiled = policy.compile_text(
        HEADER + "eligible(p0) :- a(A), b(B), c(C), A - B > 100, B - C > 50, C > 10.\n")
    assert plan_answer(compiled, {"a": 170, "b": UNKNOWN, "c": UNKNOWN})["p0"] == \
        ("undetermined", ["b", "c"])
    assert plan_answer(compiled, {"a": 170, "b": 62, "c": 11})["p0"] == ("applies", [])

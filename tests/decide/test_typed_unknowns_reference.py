"""Unknown dates, strings and decimals against an enumeration of completions.

The other reference tests enumerate yes/no facts, enums and integers. Here hypothesis
writes policies over an unknown date `d` (compared with dates, shifted by days), two
strings `s` and `t` (equal to a constant, to each other, different), and a decimal `r`
(compared with decimals, scaled), and applicants that leave at most two of them unknown.
The reference evaluates every completion on pyDatalog over a finite stand-in for each
type that shows every case the policy can tell apart: each date constant and the days
around it, the string constants and two strings no rule names, decimals on a grid with
at least two points between any two of the policy's constants. `make_plan` must give
the same statuses and exactly the same deciding facts.
"""
from __future__ import annotations

import datetime
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import policy
from tests.decide.test_completions_reference import reference as enumerated
from tests.decide.test_open_values_reference import plan_answer, status_in  # same header shape
from tests.decide.test_open_values_reference import programs as integer_programs

UNKNOWN = None
PROCEDURES = ("p0", "p1", "p2")
HEADER = ("input x0.\ninput d(v: date).\ninput s(v: string).\ninput t(v: string).\n"
          "input r(v: decimal).\nderived g.\n"
          "procedure(p0, must).\nprocedure(p1, must).\nprocedure(p2, may).\n"
          "provides(p0, m0).\nneeds(p2, m0).\n")
LITERALS = [
    "d(D), D >= 2026-01-01", "d(D), D < 2025-06-30", "d(2026-03-01)", "not d(2025-01-01)",
    "d(D), D + 30 > 2026-02-01", "d(D), D - 10 <= 2025-06-20",
    's("a")', 'not s("b")', 's(S), S != "a"', "s(S), t(S)", "s(S), t(T), S != T", 't("b")',
    "r(R), R > 1.5", "r(R), R <= 0.5", "r(R), R * 2 >= 4.5", "r(1.5)", "not r(0.5)",
    "x0", "not x0", "g", "not g",
]
HELPERS = ["g :- d(D), D > 2025-12-31.", 'g :- t("a").', "g :- r(R), R < 1.", "g :- s(S), t(S)."]

DATE_CONSTANTS = [datetime.date(2025, 1, 1), datetime.date(2025, 6, 30), datetime.date(2025, 6, 30),
                  datetime.date(2026, 1, 1), datetime.date(2026, 1, 2), datetime.date(2026, 3, 1)]
DATES = sorted({c + datetime.timedelta(days=k) for c in DATE_CONSTANTS for k in range(-2, 3)})
STRINGS = ["a", "b", "c", "other 1", "other 2"]  # constants, a given value, two others
DECIMALS = [Decimal(k) / 4 for k in range(-2, 15)]  # -0.5 .. 3.5 by 0.25; constants 0.5 .. 2.25
GIVEN = {
    "x0": [True, False],
    "d": [datetime.date(2025, 1, 1), datetime.date(2026, 1, 2), datetime.date(2025, 6, 25)],
    "s": ["a", "b", "c"],
    "t": ["a", "b"],
    "r": [Decimal("0.5"), Decimal("1.75"), Decimal("2.25")],
}


def programs():
    """Programs of the two-integer test's shape (1-2 rules a procedure, 1-3 literals, up to
    two helpers) over this header's facts."""
    return integer_programs(LITERALS, HELPERS, HEADER)


@st.composite
def applicants(draw) -> dict:
    """Every fact given except at most two of the open ones (x0 may be unknown too)."""
    unknown = set(draw(st.lists(st.sampled_from(["d", "s", "t", "r"]), max_size=2, unique=True)))
    values = {name: UNKNOWN if name in unknown else draw(st.sampled_from(choices))
              for name, choices in GIVEN.items() if name != "x0"}
    values["x0"] = draw(st.sampled_from([True, False, UNKNOWN]))
    return values


def domain(name: str) -> list:
    return {"x0": [True, False], "d": DATES, "s": STRINGS, "t": STRINGS, "r": DECIMALS}[name]


@settings(max_examples=30, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(programs(), applicants())
def test_dates_strings_and_decimals_left_unknown_equal_the_enumeration(text, values):
    compiled = policy.compile_text(text)
    expected = enumerated(compiled, values, domain, status_in, PROCEDURES)
    assert plan_answer(compiled, values) == expected, (text, values)


def test_two_unknown_strings_that_must_differ_are_undetermined_in_both():
    compiled = policy.compile_text(HEADER + 'eligible(p0) :- s(S), t(T), S != T, s("a").\n')
    answer = plan_answer(compiled, {"x0": True, "d": DATES[0], "s": UNKNOWN, "t": UNKNOWN,
                                    "r": Decimal(1)})
    assert answer["p0"] == ("undetermined", ["s", "t"])

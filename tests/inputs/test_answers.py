"""One-line answers of facts that hold several values (policy/inputs/answers.py), as the
terminal interview and the page read them and the page keeps them in hidden fields."""
from __future__ import annotations

import datetime

import pytest

import policy
from policy.inputs.applicant import fact_schema
from policy.web.pages import convert, encode

POLICY = """
@values("many")
input visit(city: string, day: date).
@values("many")
input speaks(language: enum(zh, en, fr)).
@values("many")
input score(n: integer).
derived ok.
ok :- visit(C, D), speaks(L), score(N).
"""


@pytest.fixture(scope="module")
def specs():
    return {spec.name: spec for spec in fact_schema(policy.compile_text(POLICY).program)}


def test_records_several_values_and_none_read_back_from_their_own_text(specs):
    visits = [{"city": "Xi'an", "day": datetime.date(2026, 1, 2)}, {"city": "Li", "day":
              datetime.date(2025, 12, 31)}]
    for fact, value in (("visit", visits), ("speaks", ["zh", "en"]), ("score", [3, 10]),
                        ("visit", []), ("speaks", [])):
        assert convert(specs[fact], encode(value)) == value, (fact, encode(value))
    assert convert(specs["visit"], "{city: Li, day: 2026-01-02}") == \
        [{"city": "Li", "day": datetime.date(2026, 1, 2)}]  # one record alone
    assert convert(specs["score"], "[1, 2]") == [1, 2] and convert(specs["score"], "none") == []


def test_what_is_not_a_list_of_records_is_refused_saying_how_to_write_it(specs):
    for text in ("Li, 2026-01-02", "[1, 2]", "{city: Li", "!!python/object:os.system ls",
                 "[&a {city: Li, day: 2026-01-02}, *a]"):  # no aliases, as in a facts file
        with pytest.raises(ValueError, match=r"records are written \[\{city: \.\.\., day: \.\.\.\}"):
            convert(specs["visit"], text)
    with pytest.raises(ValueError):
        convert(specs["score"], "1, two")


def test_an_answer_past_its_length_is_refused_before_it_is_read(specs):
    """Before: 200,000 records on one line took 37 s to compose before the size check."""
    huge = "[" + ", ".join("{city: a, day: 2026-01-02}" for _ in range(5000)) + "]"
    with pytest.raises(ValueError, match="at most 65,536 characters"):
        convert(specs["visit"], huge)

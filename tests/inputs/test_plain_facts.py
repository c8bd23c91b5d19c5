"""Facts that are already engine values skip the per-row conversion (inputs/facts.py
`_all_plain`); what an evaluation receives and every problem it reports stay the same."""
from __future__ import annotations

import pytest

import policy
from policy.errors import FactsError
from policy.inputs.facts import convert_row, engine_facts

TEXT = """input a(x, y). input n(v: integer). input s(v: string). input d(v: decimal).
input e(v: enum(red, blue)).
q(X, Y) :- a(X, Y), n(Y), s(X), d(Y), e(X).
"""


def _one_by_one(compiled, facts: dict) -> dict:
    return {name: {convert_row(compiled, name, row)[0] for row in rows}
            for name, rows in facts.items()}


def test_plain_rows_arrive_as_the_conversion_makes_them():
    compiled = policy.compile_text(TEXT)
    facts = {"a": [(1, "x"), ("y", 2), (1, "x")], "n": [(3,), (4,)], "s": {("t",)},
             "d": [(5,)], "e": [("red",)]}
    assert engine_facts(compiled, facts) == _one_by_one(compiled, facts)


@pytest.mark.parametrize("name, rows, says", [
    ("n", [(1,), (True,)], "is a boolean, not an integer"),
    ("n", [(1,), ("2",)], "is a string, not an integer"),
    ("s", [("a",), (7,)], "is an integer, not a string"),
    ("a", [(1, 2), (1, 2, 3)], "takes 2 value(s)"),
    ("e", [("green",)], "is not one of"),
])
def test_a_row_that_is_not_plain_is_still_checked(name, rows, says):
    compiled = policy.compile_text(TEXT)
    with pytest.raises(FactsError) as raised:
        engine_facts(compiled, {name: rows})
    assert says in str(raised.value)


def test_rows_given_as_an_iterator_are_all_read():
    compiled = policy.compile_text(TEXT)
    assert engine_facts(compiled, {"n": iter([(1,), (2,)])}) == {"n": {(1,), (2,)}}

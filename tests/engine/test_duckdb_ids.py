"""The DuckDB engine's integer ids (policy/engine/interned.py) keep the value model.

Integers within +-2**60 and dates are their own ids, ordered and added in SQL;
everything else is a dictionary entry, compared and computed in Python. These
cases sit on the edges between the two: a value computed in SQL must join with
the same value given as a fact, whichever side of 2**60 it lands on.
"""
from __future__ import annotations

import datetime
from decimal import Decimal

import policy
from policy.engine import duckdb_seam
from policy.engine.duckdb_seam import DuckEngine
from policy.engine.interned import SMALL, Interned
from policy.values import Day, FALSE, TRUE
from tests.engine.test_duckdb_engine import assert_engines_agree, typed


def test_ids_keep_kinds_apart_and_give_values_back():
    d = Interned()
    values = [0, 1, -1, SMALL - 1, -SMALL, SMALL, -SMALL - 1, 10 ** 30, "1", "", TRUE, FALSE,
              Decimal("1.5"), Day(738000), Day(-5)]
    ids = [d.id_of_value(v) for v in values]
    assert len(set(ids)) == len(values)
    assert [d.value(i) for i in ids] == values
    assert d.id_of_value(Decimal("1.0")) == d.id_of_value(1)  # one number, one id
    assert d.column([5, "5", 5]) == [d.id_of_value(5), d.id_of_value("5"), d.id_of_value(5)]
    assert d.python(d.id_of_value(Day(738000))) == datetime.date.fromordinal(738000)


def test_arithmetic_across_the_edge_of_the_small_integers_joins_with_facts():
    text = """
    input v(x). input known(x).
    next(Y) :- v(X), Y = X + 1.
    prev(Y) :- v(X), Y = X - 1.
    twice(Y) :- v(X), Y = X * 2.
    seen(Y) :- next(Y), known(Y).
    seen(Y) :- prev(Y), known(Y).
    seen(Y) :- twice(Y), known(Y).
    """
    edge = [SMALL - 1, SMALL, -SMALL, -SMALL - 1, SMALL // 2, 2 ** 62, -(2 ** 62), 0]
    facts = {"v": [(x,) for x in edge], "known": [(x + k,) for x in edge for k in (-1, 1)]
             + [(2 * x,) for x in edge]}
    model = assert_engines_agree(text, facts)
    assert (SMALL,) in model["seen"] and (-SMALL - 1,) in model["seen"]
    assert (2 ** 63,) in model["twice"]


def test_orderings_of_strings_dates_and_mixed_numbers():
    text = """
    input w(x). input n(x). input d(x: date).
    before(X, Y) :- w(X), w(Y), X < Y.
    less(X, Y) :- n(X), n(Y), X < Y.
    atmost(X, Y) :- n(X), n(Y), X <= Y.
    earlier(X, Y) :- d(X), d(Y), X < Y.
    later(X) :- d(X), X >= 2020-01-01.
    """
    facts = {"w": [("10",), ("9",), ("a",), ("B",), ("",), ("é",)],
             "n": [(SMALL,), (SMALL - 1,), (-SMALL - 1,), (3,), (Decimal("2.5"),), (-4,)],
             "d": [(datetime.date(2019, 12, 31),), (datetime.date(2020, 1, 1),),
                   (datetime.date(1, 1, 1),)]}
    model = assert_engines_agree(text, facts)
    assert ("10", "9") in model["before"] and ("9", "10") not in model["before"]
    assert (SMALL - 1, SMALL) in model["less"] and (Decimal("2.5"), 3) in model["less"]
    assert model["later"] == {(datetime.date(2020, 1, 1),)}


def test_aggregates_over_large_integers_strings_and_dates():
    text = """
    input pay(p, amount). input seen(p, d: date). input person(p).
    total(P, S) :- person(P), S = sum A : { pay(P, A) }.
    top(P, A) :- person(P), A = max X : { pay(P, X) }.
    first(P, D) :- person(P), D = min X : { seen(P, X) }.
    """
    facts = {"person": [("li",), ("wang",)],
             "pay": [("li", SMALL - 1), ("li", SMALL - 2), ("wang", -3), ("wang", 7)],
             "seen": [("li", datetime.date(2020, 5, 1)), ("li", datetime.date(2019, 5, 1))]}
    model = assert_engines_agree(text, facts)
    assert ("li", 2 * SMALL - 3) in model["total"] and ("wang", 4) in model["total"]


def test_a_fresh_dictionary_remakes_the_kept_tables(monkeypatch):
    """A long-lived connection's dictionary is emptied when it grows past RESET_AT; a
    policy's kept (static) tables hold ids of the old one and must be derived again."""
    compiled = policy.compile_text('input v(x). base("a"). base("b"). hit(X) :- v(X), base(X).')
    engine = DuckEngine(compiled.lowered, frozenset({"base"}))
    facts = {"v": [("a",), ("c",)]}
    assert engine.evaluate(facts, ["hit"]) == {"hit": {("a",)}}
    monkeypatch.setattr(duckdb_seam, "RESET_AT", -1)  # every evaluation starts afresh
    for _ in range(2):
        assert engine.evaluate({"v": [("b",), ("z",)]}, ["hit", "base"]) == {
            "hit": {("b",)}, "base": {("a",), ("b",)}}


def test_a_boolean_column_and_a_zero_arity_predicate_read_back():
    text = "input f(x). on :- f(true). flags(X) :- f(X)."
    model = policy.compile_text(text).evaluate({"f": [(True,), (False,), (1,)]}, engine="duckdb")
    assert typed(model)["flags"] == {(("Truth", TRUE),), (("Truth", FALSE),), (("number", 1),)}
    assert model["on"] == {()}

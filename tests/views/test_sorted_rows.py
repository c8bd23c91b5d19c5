"""`eval`'s rows sort as row_key orders them, with or without the fast path."""
from __future__ import annotations

import datetime
import json
import random
from decimal import Decimal

from policy.values import FALSE, TRUE, row_key
from policy.views.render import literal_text, model_json, model_text, sorted_rows


def test_integer_and_string_columns_sort_as_row_key_orders_them():
    pick = random.Random(4)
    rows = {(pick.randrange(-50, 50), pick.choice(["b", "a", "B", "a b", ""]), pick.randrange(9))
            for _ in range(400)}
    assert sorted_rows(rows) == sorted(rows, key=row_key)


def test_mixed_kinds_sort_by_row_key():
    rows = {(1, "x"), (Decimal("0.5"), "y"), (TRUE, "z"), (FALSE, "z"),
            (datetime.date(2026, 1, 1), "d"), ("s", "s"), (-3, "n")}
    expected = sorted(rows, key=row_key)
    assert sorted_rows(rows) == expected
    assert expected[0][0] in (TRUE, FALSE) and expected[-1][0] == "s"


def test_integers_are_written_as_before():
    assert literal_text("p", (12, -3, "a b", TRUE)) == 'p(12, -3, "a b", true)'
    assert model_text({"q": {(2,), (10,), (-1,)}}) == "q(-1).\nq(2).\nq(10)."


def test_model_text_writes_each_row_as_literal_text_does_in_row_key_order():
    pick = random.Random(7)
    model = {"p": {(pick.randrange(-20, 20), pick.randrange(20)) for _ in range(300)},
             "q": {(1, "x y"), (Decimal("0.5"), 'say "hi"'), (TRUE, "z"), (-3, "中文")},
             "flag": {()}, "empty": set()}
    expected = [literal_text(name, row) + "." for name in sorted(model)
                for row in sorted(model[name], key=row_key)]
    assert model_text(model).splitlines() == expected


def test_model_json_holds_every_row_in_row_key_order_one_a_line():
    model = {"path": {(i, j) for i in range(30) for j in range(i + 1, 31)},
             "q": {("b", 2), ("a", 10), ('say "hi"', -1)}, "d": {(Decimal("0.1"),), (TRUE,)},
             "flag": {()}, "empty": set()}
    text = model_json(model)
    document = json.loads(text)
    assert document["schema"] == "policylog/model/1"
    assert document["predicates"]["path"] == [list(row) for row in sorted(model["path"])]
    assert document["predicates"]["q"] == [['a', 10], ['b', 2], ['say "hi"', -1]]
    assert document["predicates"]["d"] == [[True], [0.1]]
    assert document["predicates"]["flag"] == [[]] and document["predicates"]["empty"] == []
    assert "      [0, 1],\n      [0, 2]," in text  # one row a line


def test_model_json_writes_a_decimal_digit_for_digit():
    text = model_json({"amount": {(Decimal("2.5000000000000000000001"),)}})
    assert "[2.5000000000000000000001]" in text and json.loads(text)

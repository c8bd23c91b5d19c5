"""`eval`'s rows sort as row_key orders them, with or without the fast path."""
from __future__ import annotations

import datetime
import random
from decimal import Decimal

from policy.values import FALSE, TRUE, row_key
from policy.views.render import literal_text, model_text, sorted_rows


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

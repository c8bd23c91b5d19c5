"""Engine values as integer ids, the DuckDB engine's column type (no duckdb import here).

The DuckDB engine's tables hold one BIGINT per argument, not the kind-tagged text of
sql.py's codes: joins, DISTINCT and set differences on integers take about half the
time they take on text (measured on the points-to analysis of benchmarks/points_to.py).
An id's two low bits say its kind:

- `4n`: the integer n, for |n| < 2**60, so ids of integers are ordered as the integers
  are, and `a + b` of two such ids is the id of the sum;
- `4d + 1`: the date of day number d (values.Day), ordered as the dates are;
- `4k + 3`: entry k of a dictionary: strings, booleans, decimals, integers and dates
  outside those ranges. These ids are in no useful order: an ordering comparison or
  arithmetic on them goes through Python (sql.py's macros), on the decoded values.

Equal values have equal codes (sql.py), so equal values have equal ids and values of
different kinds never do: `=`, joins, DISTINCT and EXCEPT mean on ids what they mean on
values. The dictionary belongs to one DuckDB connection (the tables of a policy's
catalogue are kept there from one evaluation to the next); `reset` empties it when it
grows large, and bumps `generation` so that tables made with the old ids are remade.

    >>> d = Interned()
    >>> d.id_of_value(5), d.id_of_value("5"), d.value(d.id_of_value("5"))
    (20, 3, '5')
"""
from __future__ import annotations

import datetime
import itertools

from policy.engine.sql import DateOutOfRange, decode, encode
from policy.values import Day

SMALL = 2 ** 60  # |n| below this: the integer n is the id 4n (and the date n is 4n + 1)
_GENERATIONS = itertools.count(1)
RESET_AT = 2_000_000  # dictionary entries: past this an evaluation starts a fresh dictionary


class Interned:
    """The dictionary of one connection: code -> id, and id -> engine value."""

    def __init__(self):
        self.reset()

    def reset(self) -> None:
        self.ids, self.values = {}, []
        self.generation = next(_GENERATIONS)

    def id_of_value(self, value) -> int:
        """The id of an engine value (a date as values.Day)."""
        if type(value) is int and -SMALL <= value < SMALL:
            return value << 2
        return self.id_of_code(encode(value))

    def id_of_code(self, code: str) -> int:
        """The id of a code of sql.py (`i12`, `sabc`, `t738000`, ...)."""
        found = self.ids.get(code)
        if found is not None:
            return found
        tag = code[0]
        if tag in "it":
            number = int(code[1:])
            if -SMALL <= number < SMALL:
                return (number << 2) | (tag == "t")
        return self._add(code, decode(code))

    def _add(self, code: str, value) -> int:
        ident = (len(self.values) << 2) | 3
        self.values.append(value)
        self.ids[code] = ident
        return ident

    def column(self, values) -> list:
        """The ids of a column of engine values: a column of plain integers or of plain
        strings in one pass (100,000 facts: the conversion one value at a time was a
        third of handing them over)."""
        kinds = set(map(type, values))
        if kinds == {int} and -SMALL <= min(values) and max(values) < SMALL:
            return [v << 2 for v in values]
        if kinds == {str}:
            ids, out = self.ids, []
            for text in values:
                code = "s" + text
                found = ids.get(code)
                out.append(found if found is not None else self._add(code, text))
            return out
        return [self.id_of_value(v) for v in values]

    def value(self, ident: int):
        """The engine value of an id."""
        tag = ident & 3
        if tag == 0:
            return ident >> 2
        if tag == 1:
            return Day(ident >> 2)
        return self.values[ident >> 2]

    def python(self, ident: int):
        """The value a caller reads (values.to_python): a date as a datetime.date;
        DateOutOfRange for a date outside the calendar."""
        tag = ident & 3
        if tag == 0:
            return ident >> 2
        if tag == 3:
            value = self.values[ident >> 2]
            if not isinstance(value, Day):
                return value
            ordinal = value.ordinal  # only days past +-2**60 are here: never a calendar date
        else:
            ordinal = ident >> 2
        try:
            return datetime.date.fromordinal(ordinal)
        except (ValueError, OverflowError):
            raise DateOutOfRange() from None

    def entries(self, idents: list) -> list:
        """python() of ids that are all dictionary entries (a column of strings), in one
        pass."""
        values = self.values
        out = [values[i >> 2] for i in idents]
        if Day in set(map(type, out)):
            return [self.python(i) for i in idents]
        return out

"""Constant values as the engine holds them, and their conversion to and from Python.

Dates are held as `Day`, a day number that is an `int`, so that pyDatalog can
compare them and rules can do arithmetic on them (`D + 30`, `D2 - D1`) without
any code of ours running inside the engine. Floats become `Decimal`, so that
`0.1 + 0.2 = 0.3` holds in a rule as an analyst expects.
"""
from __future__ import annotations

import datetime
import math
import re
from decimal import Decimal, InvalidOperation


class Day(int):
    """A calendar date as its proleptic ordinal; `Day + int` is a Day, `Day - Day` an int."""

    __slots__ = ()

    @classmethod
    def of(cls, value: datetime.date) -> "Day":
        return cls(value.toordinal())

    def to_date(self) -> datetime.date:
        return datetime.date.fromordinal(int(self))

    def __add__(self, other):
        if isinstance(other, bool) or not isinstance(other, int):
            return NotImplemented
        if isinstance(other, Day):
            return int(self) + int(other)
        return Day(int(self) + other)

    __radd__ = __add__

    def __sub__(self, other):
        if isinstance(other, Day):
            return int(self) - int(other)
        if isinstance(other, int):
            return Day(int(self) - other)
        return NotImplemented

    def __repr__(self) -> str:
        return f"Day({self.to_date().isoformat()})"

    def __str__(self) -> str:
        return self.to_date().isoformat()


class ValueProblem(ValueError):
    """A Python value that cannot be a constant; the message says why."""


def to_engine(value):
    """A Python value as the engine holds it, or ValueProblem."""
    if isinstance(value, bool) or isinstance(value, str) or isinstance(value, Day):
        return value
    if isinstance(value, int):
        return value
    if isinstance(value, datetime.datetime):
        raise ValueProblem(f"{value!r} is a date and time; give a date (YYYY-MM-DD)")
    if isinstance(value, datetime.date):
        return Day.of(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueProblem(f"{value} is not a finite number")
        return Decimal(repr(value))
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise ValueProblem(f"{value} is not a finite number")
        return value
    raise ValueProblem(f"a value of type {type(value).__name__} cannot be a fact value")


def to_python(value):
    """An engine value back as the Python value a caller expects."""
    if isinstance(value, Day):
        return value.to_date()
    if isinstance(value, float):
        return Decimal(repr(value)) if math.isfinite(value) else value
    return value


def parse_date(text: str) -> Day:
    """An ISO date `2026-01-31` as a Day; ValueProblem when there is no such date."""
    try:
        return Day.of(datetime.date.fromisoformat(text))
    except ValueError:
        raise ValueProblem(f"{text} is not a valid date") from None


def parse_decimal(text: str) -> Decimal:
    try:
        return Decimal(text)
    except InvalidOperation:
        raise ValueProblem(f"{text} is not a number") from None


def type_of(value) -> str:
    """The declared type name a value belongs to."""
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, Day):
        return "date"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, Decimal):
        return "decimal"
    return "string"


def show(value) -> str:
    """A value as the rule language writes it."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        if re.fullmatch(r"[a-z][A-Za-z0-9_]*", value) and value not in RESERVED:
            return value
        return quote(value)
    return str(value)


_NAMED_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\t": "\\t", "\r": "\\r"}


def quote(text: str) -> str:
    """A string literal of the rule language; control characters escaped, never raw."""
    return '"' + "".join(_escape(char) for char in text) + '"'


def _escape(char: str) -> str:
    if char in _NAMED_ESCAPES:
        return _NAMED_ESCAPES[char]
    if ord(char) < 0x20 or 0x7F <= ord(char) <= 0x9F or char in "\u2028\u2029":
        return f"\\u{ord(char):04x}"
    return char


def brief(value, limit: int = 60) -> str:
    """A value as the rule language writes it, cut short for a message."""
    text = show(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


RESERVED = frozenset(
    "not true false input derived count sum min max enum string integer decimal date boolean".split()
)

"""The value model: the constants a policy computes with, and their conversion to and from Python.

Every value a rule, a fact or a model holds is one of five kinds, and each kind
is its own Python type, so that Python's `==` and `hash` are the one equality
of the whole tool (engine, matching, answers, relevance keys, explanations):

| kind    | held as                      | equal to                                  |
|---------|------------------------------|-------------------------------------------|
| string  | `str`                        | the same text                             |
| integer | `int` (never `bool`)         | the same number (an equal decimal too)    |
| decimal | `decimal.Decimal` (exact)    | the same number (`1.0 == 1`)              |
| date    | `Day` (not an int)           | the same day                              |
| boolean | `Truth`: `TRUE` / `FALSE`    | itself only; never 1, 0 or Python's bool  |

Why not Python's own `bool` and `int` for booleans and dates: `True == 1` and
`hash(True) == hash(1)`, so a set of rows, a dict, or pyDatalog (which keys its
facts by the values themselves) would take `p(1)` and `p(true)` for one fact.
`Truth` and `Day` compare and hash apart from every number, so each engine can
hold these values as they are: the pyDatalog seam passes them through
unchanged (its arithmetic and comparisons call Python's operators, which the
classes below define). Another engine encodes them by kind (`kind_of`):
booleans as its booleans, dates as its dates (or day numbers tagged as dates),
decimals exactly, and decodes them back with `Day(ordinal)` and `truth(bool)`.

Numbers: an integer and a decimal with the same value are one number
(`1 = 1.0` holds and `p(1). p(1.0).` is one fact), as in arithmetic.

Dates: `Day + integer` and `integer + Day` are Days, `Day - integer` is a Day,
`Day - Day` is the integer number of days between them. Any other arithmetic
with a date (`D + D`, `D * 2`, `-D`) raises TypeError, and a date compared with
anything but a date raises TypeError: never a number of internal days. The
checker reports such expressions statically as `type_error` (analysis/checks).

Conversions: `to_engine` turns what a Python caller or a YAML/JSON document
gives (bool, int, float, Decimal, str, datetime.date) into the model;
`to_python` gives a date back as `datetime.date` and keeps `TRUE`/`FALSE`
(a Python `True` could not stand beside `1` in a set of rows; `bool(TRUE)` is
True). `same` is the equality, `order_key` a total order over all kinds.
"""
from __future__ import annotations

import datetime
import math
import re
from decimal import Decimal, InvalidOperation


class Truth:
    """A boolean of the rule language: `TRUE` or `FALSE`, equal only to itself."""

    __slots__ = ("value",)

    def __new__(cls, value: bool = False):
        existing = _TRUTHS.get(bool(value))
        if existing is not None:
            return existing
        made = super().__new__(cls)
        object.__setattr__(made, "value", bool(value))
        _TRUTHS[bool(value)] = made
        return made

    def __setattr__(self, name, value):
        raise AttributeError("Truth values are constants")

    def __reduce__(self):
        return (Truth, (self.value,))

    def __eq__(self, other):
        return self is other

    def __ne__(self, other):
        return self is not other

    def __hash__(self) -> int:
        return hash(("policylog-boolean", self.value))

    def __bool__(self) -> bool:
        return self.value

    def __lt__(self, other):
        return self.value < other.value if isinstance(other, Truth) else NotImplemented

    def __le__(self, other):
        return self.value <= other.value if isinstance(other, Truth) else NotImplemented

    def __gt__(self, other):
        return self.value > other.value if isinstance(other, Truth) else NotImplemented

    def __ge__(self, other):
        return self.value >= other.value if isinstance(other, Truth) else NotImplemented

    def __repr__(self) -> str:
        return "TRUE" if self.value else "FALSE"

    def __str__(self) -> str:
        return "true" if self.value else "false"


_TRUTHS: dict = {}
TRUE, FALSE = Truth(True), Truth(False)


def truth(value: bool) -> Truth:
    return TRUE if value else FALSE


class Day:
    """A calendar date as its proleptic ordinal, apart from every number (see the module doc)."""

    __slots__ = ("ordinal",)

    def __init__(self, ordinal: int):
        if isinstance(ordinal, (bool, Truth)) or not isinstance(ordinal, int):
            raise TypeError(f"a Day is made from a day number, not {ordinal!r}")
        object.__setattr__(self, "ordinal", int(ordinal))

    def __setattr__(self, name, value):
        raise AttributeError("Days are constants")

    def __reduce__(self):
        return (Day, (self.ordinal,))

    @classmethod
    def of(cls, value: datetime.date) -> "Day":
        return cls(value.toordinal())

    def to_date(self) -> datetime.date:
        return datetime.date.fromordinal(self.ordinal)

    def __int__(self) -> int:
        return self.ordinal

    def __eq__(self, other):
        return isinstance(other, Day) and other.ordinal == self.ordinal

    def __ne__(self, other):
        return not self == other

    def __hash__(self) -> int:
        return hash(("policylog-date", self.ordinal))

    def __add__(self, other):
        if _is_integer(other):
            return Day(self.ordinal + other)
        return NotImplemented

    __radd__ = __add__

    def __sub__(self, other):
        if isinstance(other, Day):
            return self.ordinal - other.ordinal
        if _is_integer(other):
            return Day(self.ordinal - other)
        return NotImplemented

    def __lt__(self, other):
        return self.ordinal < other.ordinal if isinstance(other, Day) else NotImplemented

    def __le__(self, other):
        return self.ordinal <= other.ordinal if isinstance(other, Day) else NotImplemented

    def __gt__(self, other):
        return self.ordinal > other.ordinal if isinstance(other, Day) else NotImplemented

    def __ge__(self, other):
        return self.ordinal >= other.ordinal if isinstance(other, Day) else NotImplemented

    def __repr__(self) -> str:
        try:
            return f"Day({self.to_date().isoformat()})"
        except (ValueError, OverflowError):
            return f"Day(ordinal={self.ordinal})"

    def __str__(self) -> str:
        try:
            return self.to_date().isoformat()
        except (ValueError, OverflowError):
            return f"day {self.ordinal}"


def _is_integer(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


MAX_EXPONENT = 1000  # a decimal's digits either side of the point (written out by `show`)


class ValueProblem(ValueError):
    """A Python value that cannot be a constant; the message says why."""


def to_engine(value):
    """A Python value in the value model (see the module doc), or ValueProblem."""
    if isinstance(value, (Truth, Day, str)):
        return value
    if isinstance(value, bool):
        return truth(value)
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
        if abs(value.adjusted()) > MAX_EXPONENT:
            text = str(value) if len(str(value)) <= 30 else str(value)[:27] + "..."
            raise ValueProblem(f"{text} is too large or too small a number "
                               f"(at most {MAX_EXPONENT} digits either side of the point)")
        return value
    raise ValueProblem(f"a value of type {type(value).__name__} cannot be a fact value")


def to_python(value):
    """A model value as a Python caller reads it: a date as datetime.date, a float the
    engine computed (`/`) as Decimal; booleans stay TRUE/FALSE (see the module doc)."""
    if isinstance(value, Day):
        return value.to_date()
    if isinstance(value, float):
        return Decimal(repr(value)) if math.isfinite(value) else value
    return value


def same(left, right) -> bool:
    """The one equality of values: Python's `==` over the value model (`true` is not `1`).

    Python values are taken into the model first, so `same(True, 1)` is False too.
    """
    if isinstance(left, _PYTHON_ONLY) or isinstance(right, _PYTHON_ONLY):
        return _model(left) == _model(right)
    return left == right


_PYTHON_ONLY = (bool, float, datetime.date)  # what to_engine changes


def _model(value):
    try:
        return to_engine(value)
    except ValueProblem:
        return value


def model_row(row: tuple) -> tuple:
    """A row of Python values as model values (values to_engine cannot take stay as they are),
    so that rows compare and hash as the engine sees them: `(True,)` and `(1,)` apart."""
    if any(isinstance(value, _PYTHON_ONLY) for value in row):
        return tuple(_model(value) for value in row)
    return row


KINDS = ("boolean", "integer", "decimal", "date", "string")
_RANK = {"boolean": 0, "integer": 1, "decimal": 1, "date": 2, "string": 3}


def order_key(value) -> tuple:
    """A total order over every kind: booleans, numbers, dates, strings; within a kind, by value."""
    value = _model(value)
    kind = type_of(value)
    if kind == "date":
        return (_RANK[kind], value.ordinal, "")
    if kind in ("integer", "decimal"):
        return (_RANK[kind], value, "")
    if kind == "boolean":
        return (_RANK[kind], int(value.value), "")
    return (_RANK["string"], 0, str(value))


def row_key(row: tuple) -> tuple:
    """Rows in a fixed, readable order (by `order_key` of each value)."""
    return tuple(order_key(value) for value in row)


def divide(left, right):
    """`left / right` as the rule language means it: an exact decimal (28 significant digits),
    never a binary float; a date or a boolean raises TypeError."""
    return (Decimal(1) * left) / right


def kind_names(message: str) -> str:
    """A Python error message with the model's class names as the rule language's kinds."""
    for name, kind in (("'Day'", "'date'"), ("'Truth'", "'boolean'"), ("'Decimal'", "'decimal'"),
                       ("'int'", "'integer'"), ("'str'", "'string'"), ("'float'", "'decimal'")):
        message = message.replace(name, kind)
    return message


_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def as_declared(value, type_name: str):
    """A date written as ISO text (`"2026-01-31"`) is a date where a date is declared: JSON
    (facts files, batch lines, the HTTP service) has no dates, and a quoted date in YAML
    means the same. ValueProblem when it names no day (`"2026-02-30"`); anything else is
    returned as it is, for the declaration's check to judge."""
    if type_name == "date" and isinstance(value, str) and _ISO_DATE.fullmatch(value):
        try:
            return datetime.date.fromisoformat(value)
        except ValueError:
            raise ValueProblem(f"{value} is not a valid date") from None
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
    """The kind (declared type name) a model value belongs to (a Python bool: boolean)."""
    if isinstance(value, (Truth, bool)):
        return "boolean"
    if isinstance(value, (Day, datetime.date)):
        return "date"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, (Decimal, float)):
        return "decimal"
    return "string"


def show(value) -> str:
    """A value as the rule language writes it."""
    if isinstance(value, (Truth, bool)):
        return "true" if value else "false"
    if isinstance(value, str):
        if re.fullmatch(r"[a-z][A-Za-z0-9_]*", value) and value not in RESERVED:
            return value
        return quote(value)
    if isinstance(value, Decimal) and "E" in str(value) and abs(value.adjusted()) <= MAX_EXPONENT:
        return format(value, "f")
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

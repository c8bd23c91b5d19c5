"""The lowered program as SQL, for the DuckDB engine (duckdb_seam.py runs it).

Every table and column name here is generated (`t12`, `c0`), never taken from a
policy; every constant of a rule becomes a bound parameter (`$3`). So no text a
policy, a facts file or a command line gives is ever pasted into SQL.

A value has a typed code: a string, its first character the kind (`s` string,
`i` integral number, `d` other decimal in canonical form, `b` boolean, `t` date
as its day number). Equal values have equal codes and values of different kinds
never do (values.py: `1 = 1.0`, but `1`, `true` and `"1"` are three values). The
tables hold not the codes but integer ids of them (interned.py: an integer or a
date is its own id, anything else an entry of a dictionary), so joins, `=`, `!=`,
DISTINCT and set difference are plain integer operations.
Ordering comparisons and arithmetic on integers (and comparisons of dates) run
in SQL; anything else (strings, decimals, division, dates, mixed types) calls
one Python function of values.py's own arithmetic on the decoded values, so
both engines compute the same numbers.

    >>> decode(encode(TRUE)), decode(encode(Decimal("1.0"))), encode("1")
    (TRUE, 1, 's1')
"""
from __future__ import annotations

import datetime
import decimal
from decimal import Decimal

from policy.engine.lowering import LAtom, LCompare, LFunction, Lowered, LRule
from policy.values import Day, Truth, divide, truth

_EXACT = decimal.Context(prec=1000, Emax=999999, Emin=-999999)


def encode(value) -> str:
    """An engine value as its typed code."""
    if isinstance(value, str):
        return "s" + value
    if isinstance(value, (Truth, bool)):
        return "b1" if value else "b0"
    if isinstance(value, Day):
        return "t" + str(value.ordinal)
    if isinstance(value, int):
        return "i" + str(value)
    if isinstance(value, float):
        value = Decimal(repr(value))
    return canonical_decimal(value)


def canonical_decimal(value: Decimal) -> str:
    """One code for every Decimal of one number: 1.50 and 1.5 are `d1.5`; 1.0 and 1E+0 are `i1`,
    the integer's code (values.py: an integer and a decimal of one value are one number)."""
    if value == value.to_integral_value(context=_EXACT):
        return "i" + str(int(value))
    value = value.normalize(_EXACT)
    return "d" + format(value, "f")


def decode(code: str):
    """A typed code back as the engine value."""
    tag, text = code[0], code[1:]
    if tag == "s":
        return text
    if tag == "i":
        return int(text)
    if tag == "b":
        return truth(text == "1")
    if tag == "t":
        return Day(int(text))
    return Decimal(text)


def to_python_value(code: str):
    """A typed code as the Python value a caller reads (values.to_python): a date as a date."""
    if code[0] == "t":
        try:
            return datetime.date.fromordinal(int(code[1:]))
        except (ValueError, OverflowError):
            raise DateOutOfRange() from None
    return decode(code)


class DateOutOfRange(ValueError):
    """A date the policy computed is outside the calendar."""


_OPERATORS = {"+": lambda a, b: a + b, "-": lambda a, b: a - b,
              "*": lambda a, b: a * b, "/": divide}
_ORDERINGS = {"<": lambda a, b: a < b, "<=": lambda a, b: a <= b,
              ">": lambda a, b: a > b, ">=": lambda a, b: a >= b}


def arithmetic(op: str, left, right):
    """`left op right` on engine values, as Python computes it (the slow path)."""
    return _OPERATORS[op](left, right)


def ordering(op: str, left, right) -> bool:
    """`left op right` on engine values, as Python compares them (the slow path)."""
    return _ORDERINGS[op](left, right)


# SQL macros on the ids of interned.py: the fast paths in SQL (integers, and ordering dates),
# the rest through the Python functions the seam makes (pl_arith, pl_order: the same
# arithmetic and comparisons as above, on the values the ids stand for). Every id is within
# +-2**62, so `a + b` and `a - b` cannot overflow a BIGINT, and the product of an integer
# (a // 4) and an id cannot overflow a HUGEINT.
_ID_RANGE = "{x} >= -4611686018427387904 AND {x} < 4611686018427387904"
_SUM_MACRO = ("CREATE MACRO {name}(a, b) AS CASE WHEN (a & 3) = 0 AND (b & 3) = 0 AND "
              + _ID_RANGE.format(x="a {op} b") + " THEN a {op} b ELSE pl_arith('{op}', a, b) END")
_PRODUCT = "CAST(a // 4 AS HUGEINT) * b"
_PRODUCT_MACRO = ("CREATE MACRO {name}(a, b) AS CASE WHEN (a & 3) = 0 AND (b & 3) = 0 AND "
                  + _ID_RANGE.format(x=_PRODUCT) + " THEN CAST(" + _PRODUCT
                  + " AS BIGINT) ELSE pl_arith('{op}', a, b) END")
_ORDERING_MACRO = ("CREATE MACRO {name}(a, b) AS CASE WHEN (a & 3) = (b & 3) AND (a & 3) < 2 "
                   "THEN a {op} b ELSE pl_order('{op}', a, b) END")
ARITHMETIC_NAMES = {"+": "pl_add", "-": "pl_sub", "*": "pl_mul"}
ORDERING_NAMES = {"<": "pl_lt", "<=": "pl_le", ">": "pl_gt", ">=": "pl_ge"}
MACROS = tuple(
    [(_PRODUCT_MACRO if op == "*" else _SUM_MACRO).format(name=name, op=op)
     for op, name in ARITHMETIC_NAMES.items()]
    + [_ORDERING_MACRO.format(name=name, op=op) for op, name in ORDERING_NAMES.items()])
# Until an evaluation meets a value they must take (the seam then makes the Python functions
# in their place and runs it again), pl_arith and pl_order are stand-ins that fail with
# NEEDS_PYTHON: a CASE reaches them only for such values, so a program on integers (and
# dates) never imports what making the Python functions imports (NumPy, ~0.1 s).
NEEDS_PYTHON = "policylog: values for the Python arithmetic"
FALLBACKS = {"pl_arith": "BIGINT", "pl_order": "BOOLEAN"}
STAND_INS = tuple(f"CREATE MACRO {name}(op, a, b) AS CAST(error('{NEEDS_PYTHON}') AS {kind})"
                  for name, kind in FALLBACKS.items())


class Params:
    """The bound parameters of one statement: a constant's id (`interned`, the
    connection's dictionary) goes in, `$n` comes out."""

    def __init__(self, interned):
        self.values, self.interned = [], interned

    def add(self, value) -> str:
        self.values.append(self.interned.id_of_value(value))
        return f"${len(self.values)}"


def columns(arity: int) -> list:
    """A table's column names; a 0-ary predicate has one column `z` (a row means true)."""
    return [f"c{i}" for i in range(arity)] if arity else ["z"]


class RuleSql:
    """One lowered rule as a SELECT; `tables` maps predicate (or function) -> table name."""

    def __init__(self, rule: LRule, tables: dict, params: Params, distinct: bool = True):
        self.rule, self.tables, self.params = rule, tables, params
        self.distinct = distinct
        self.sources, self.conditions, self.bound = [], [], {}

    def select(self) -> str:
        for literal in self.rule.body:
            self.literal(literal)
        head = self.rule.head.args
        items = [f"{self.expr(a)} AS c{i}" for i, a in enumerate(head)] or ["TRUE AS z"]
        text = ("SELECT DISTINCT " if self.distinct else "SELECT ") + ", ".join(items)
        if self.sources:
            text += " FROM " + ", ".join(self.sources)
        if self.conditions:
            text += " WHERE " + " AND ".join(self.conditions)
        return text

    def condition(self, text: str) -> None:
        """Add a WHERE condition. One that computes (can fail, as `1 / X` or `"a" < 1` do) is
        tested only on rows that pass every condition before it in the body, as pyDatalog
        does, whatever order the SQL optimiser picks (a CASE evaluates THEN only there)."""
        if "pl_" in text and self.conditions:
            text = f"CASE WHEN {' AND '.join(self.conditions)} THEN {text} ELSE FALSE END"
        self.conditions.append(text)

    def literal(self, literal) -> None:
        if isinstance(literal, LAtom) and literal.negated:
            self.condition(self.negation(literal))
        elif isinstance(literal, LAtom):
            self.join(self.tables[literal.predicate], literal.args)
        elif isinstance(literal, LFunction):
            self.join(self.tables[literal.function], literal.keys + (literal.value,))
        else:
            self.comparison(literal)

    def join(self, table: str, args: tuple) -> None:
        alias = f"a{len(self.sources)}"
        self.sources.append(f"{table} {alias}")
        for i, arg in enumerate(args):
            column = f"{alias}.c{i}"
            if arg[0] == "var" and arg[1] not in self.bound:
                self.bound[arg[1]] = column
            else:
                self.condition(f"{column} = {self.expr(arg)}")

    def negation(self, atom: LAtom) -> str:
        alias = f"n{len(self.conditions)}_{len(self.sources)}"
        tests = [f"{alias}.c{i} = {self.expr(a)}" for i, a in enumerate(atom.args)]
        where = (" WHERE " + " AND ".join(tests)) if tests else ""
        return f"NOT EXISTS (SELECT 1 FROM {self.tables[atom.predicate]} {alias}{where})"

    def comparison(self, literal: LCompare) -> None:
        left = literal.left
        if literal.op == "==" and left[0] == "var" and left[1] not in self.bound:
            self.bound[left[1]] = literal.right  # written where it is used (its parameters too)
            return
        a, b = self.expr(left), self.expr(literal.right)
        if literal.op in ("==", "!="):
            self.condition(f"{a} {'=' if literal.op == '==' else '<>'} {b}")
        else:
            self.condition(f"{ORDERING_NAMES[literal.op]}({a}, {b})")

    def expr(self, expr: tuple) -> str:
        if expr[0] == "const":
            return self.params.add(expr[1])
        if expr[0] == "var":
            if expr[1] not in self.bound:
                raise ValueError(f"variable {expr[1]} is not bound (safety should have refused)")
            bound = self.bound[expr[1]]
            return bound if isinstance(bound, str) else f"({self.expr(bound)})"
        _, op, left, right = expr
        if op == "/":
            return f"pl_arith('/', {self.expr(left)}, {self.expr(right)})"
        return f"{ARITHMETIC_NAMES[op]}({self.expr(left)}, {self.expr(right)})"


def rule_select(rule: LRule, tables: dict, params: Params, distinct: bool = True) -> str:
    """The rule as one SELECT; `distinct=False` where a set operation around it removes
    the duplicates anyway (each DISTINCT is a hash aggregate of its own)."""
    return RuleSql(rule, tables, params, distinct).select()


def union(selects: list) -> str:
    return " UNION ".join(f"({s})" for s in selects)


def uses_macros(rules) -> bool:
    """Whether the SQL of any of these rules calls the macros above (an ordering comparison
    or arithmetic anywhere in a rule): a connection makes them only once a program needs
    them (duckdb_seam._with_macros), as a closure or a join never does."""
    def computes(term):
        return isinstance(term, tuple) and bool(term) and term[0] == "op"
    for rule in rules:
        for literal in (rule.head,) + tuple(rule.body):
            if isinstance(literal, LCompare):
                if literal.op in ORDERING_NAMES or computes(literal.left) or computes(literal.right):
                    return True
            elif isinstance(literal, LAtom) and any(map(computes, literal.args)):
                return True
            elif isinstance(literal, LFunction) and any(map(computes, literal.keys + (literal.value,))):
                return True
    return False


def has_arithmetic(rule: LRule) -> bool:
    """Whether the rule computes values (a recursive one may then never stop)."""
    def computes(expr):
        return expr[0] == "op"
    for literal in rule.body:
        if isinstance(literal, LCompare) and (computes(literal.left) or computes(literal.right)):
            return True
    return False


def table_names(lowered: Lowered, prefix: str) -> dict:
    """Generated table names for every predicate and aggregate function."""
    names = {}
    for name in sorted(lowered.arities):
        names[name] = f"{prefix}t{len(names)}"
    for aggregate in lowered.aggregates:
        names[aggregate.function] = f"{prefix}t{len(names)}"
    return names

"""The seam to DuckDB: the only module that imports it.

`DuckEngine` evaluates a lowered program set at a time, the same program the
pyDatalog engine gets (lowering.py), and answers in the same form: {predicate:
set of tuples of engine values}. sql.py writes the statements; this module
plans them by stratum and runs them:

- predicates in dependency order (Tarjan's components of the lowered graph);
- a non-recursive predicate: one INSERT of the UNION of its rules' SELECTs;
- an aggregate: GROUP BY over its source (integers in SQL, anything else in
  Python with values.py's arithmetic, so that sums of decimals are exact);
- a recursive group: duckdb_rounds.py (a recursive CTE when it is one predicate
  whose rules read it at most once and compute no new value, the answer then
  being finite; else semi-naive rounds, with the fact limit checked after every
  round: a rule like `n(X + 1) :- n(X)` stops at the limit, not never).

Each thread has one connection (with the SQL macros of sql.py, and their Python
functions once an evaluation needs them); an evaluation creates its engine's
tables, named by the engine's serial number, and drops them all when it ends, so
nothing leaks from one evaluation into the next and a finished evaluation holds
no memory.
"""
from __future__ import annotations

import itertools
import os
import threading
from collections import defaultdict

try:  # DuckDB's extension module alone: the `duckdb` package around it costs ~0.15 s more
    import _duckdb as duckdb  # to import (importlib.metadata for its version, its Python API)
except ImportError:  # a DuckDB without that module
    import duckdb

from policy.engine import sql
from policy.engine.duckdb_rounds import Recursion, start_budget
from policy.engine.duckdb_rounds import insert as _insert, room as _room, spend as _spend
from policy.engine.held import hold
from policy.engine.interned import RESET_AT, SMALL as SMALL_INTEGERS, Interned
from policy.engine.collection import held
from policy.engine.lowering import Lowered, lowered_graph
from policy.errors import EvaluationError, error_at
from policy.analysis.graph import is_recursive, strongly_connected
from policy.limits import current
from policy.values import kind_names

_LOCAL = threading.local()
_SERIAL = itertools.count(1)
SMALL = 2000  # rows: a table this small is read in one query with the others and decoded in Python


class DuckEngine(Recursion):
    """A lowered program compiled to SQL once; `evaluate` runs it on one set of facts.

    Its answers are Python values already (dates as datetime.date), not engine values:
    converting half a million rows value by value took longer than evaluating them.
    """

    python_values = True

    def __init__(self, lowered: Lowered, static=frozenset()):
        """`static`: predicates no evaluation gives facts for nor reaches from one that gets
        facts: their tables are derived once per connection and kept (a policy's catalogue)."""
        self.lowered, self.static = lowered, frozenset(static)
        self._ready = set()  # ids of the connections holding the static tables
        self.tables = sql.table_names(lowered, f"e{next(_SERIAL)}_")
        self.arities = dict(lowered.arities)
        for aggregate in lowered.aggregates:
            self.arities[aggregate.function] = len(aggregate.groups) + 1
        self.rules = defaultdict(list)
        for rule in lowered.rules:
            self.rules[rule.head.predicate].append(rule)
        self.aggregates = {a.function: a for a in lowered.aggregates}
        self.components = self._components()
        self.macros = sql.uses_macros(lowered.rules)  # its SQL calls sql.MACROS

    def _components(self) -> list:
        """Derived predicates and aggregate functions in dependency order, grouped by recursion."""
        graph = lowered_graph(self.lowered)
        for rule in self.lowered.rules:  # a rule reading a function depends on it
            graph[rule.head.predicate].update(
                lit.function for lit in rule.body if hasattr(lit, "function"))
        derived = set(self.rules) | set(self.aggregates)
        ordered = []
        for component in strongly_connected(graph):
            members = sorted(component & derived)
            if members:
                ordered.append((tuple(members), is_recursive(component, graph)))
        return ordered

    # --- one evaluation -------------------------------------------------------------------

    def evaluate(self, facts: dict, predicates, limit: int = None) -> dict:
        """{name: set of engine-value tuples} for `predicates`, given `facts` of the same form;
        FactLimit as soon as the facts given and derived pass `limit` (default: the current
        --max-facts): every statement adds at most one row more than there is room for.

        Arithmetic and comparisons on values that are not integers (nor dates) call back
        into Python (sql.py), through functions that cost a NumPy import to make: a
        connection has them only once an evaluation needs them, and that evaluation is
        run again with them."""
        try:
            return self._evaluate(facts, predicates, limit)
        except _NeedsPython:
            _with_functions(_connection())
            return self._evaluate(facts, predicates, limit)

    def _evaluate(self, facts: dict, predicates, limit) -> dict:
        start_budget(current().max_facts if limit is None else limit)
        connection = _connection()
        if self.macros:
            _with_macros(connection)
        if len(_LOCAL.interned.values) > RESET_AT:  # a long-lived connection's dictionary
            _LOCAL.interned.reset()  # the kept tables' ids are then remade (_prepare_static)
        try:
            self._prepare_static(connection)
            self._create(connection, [n for n in self.tables if n not in self.static])
            self._load(connection, facts)
            for members, recursive in self.components:
                if not set(members) <= self.static:
                    self._derive(connection, members, recursive, facts)
            return self._read_all(connection, list(predicates))
        except duckdb.Error as problem:
            if sql.NEEDS_PYTHON in str(problem) and getattr(_LOCAL, "functions", None) is None:
                raise _NeedsPython() from None
            raise _evaluation_error(problem) from None
        finally:
            self._drop(connection)

    def _prepare_static(self, connection) -> None:
        ready = (id(connection), _LOCAL.interned.generation)
        if not self.static or ready in self._ready:
            return
        self._create(connection, sorted(self.static & set(self.tables)))
        for members, recursive in self.components:
            if set(members) <= self.static:
                self._derive(connection, members, recursive, {})
        self._ready.add(ready)

    def _params(self):
        """A statement's bound parameters, as ids of this thread's connection."""
        return sql.Params(_LOCAL.interned)

    def _create(self, connection, names: list) -> None:
        """These predicates' tables, empty: one script of generated names only."""
        script = []
        for name in names:
            table = self.tables[name]
            arity = self.arities[name]
            cols = ", ".join(f"{c} BIGINT" for c in sql.columns(arity)) if arity else "z BOOLEAN"
            script.append(f"CREATE OR REPLACE TEMP TABLE {table} ({cols});")
        connection.execute("\n".join(script))

    def _drop(self, connection) -> None:
        names = [table for name, table in self.tables.items() if name not in self.static]
        connection.execute("\n".join(f"DROP TABLE IF EXISTS {t};" for t in names))

    def _load(self, connection, facts: dict) -> None:
        with held():  # no collection walking the rows while they are encoded (compiled.py)
            self._load_held(connection, facts)

    def _load_held(self, connection, facts: dict) -> None:
        for name, rows in facts.items():
            if rows and name in self.tables:
                _spend(_insert_rows(connection, self.tables[name], self.arities[name], rows,
                                    _LOCAL.interned))

    def _derive(self, connection, members: tuple, recursive: bool, facts: dict) -> None:
        if not recursive:
            name = members[0]
            if name in self.aggregates:
                self._aggregate(connection, self.aggregates[name])
            else:
                self._insert_rules(connection, name, self.rules[name], bool(facts.get(name)))
        elif self._fits_cte(members):
            self._recursive_cte(connection, members[0], bool(facts.get(members[0])))
        else:
            self._semi_naive(connection, members)

    def _insert_rules(self, connection, name: str, rules: list, has_facts: bool) -> None:
        """One INSERT of what the rules give; one DISTINCT (or the UNION, or the EXCEPT of
        the facts given) removes duplicates for all rules, not one hash aggregate each."""
        params = self._params()
        single = len(rules) == 1 and not has_facts
        body = sql.union([sql.rule_select(rule, self.tables, params, distinct=single)
                          for rule in rules])
        table = self.tables[name]
        if has_facts:
            body = f"SELECT * FROM ({body}) EXCEPT SELECT * FROM {table}"
        _insert(connection, f"INSERT INTO {table} SELECT * FROM ({body}){_room()}", params.values)

    def _aggregate(self, connection, aggregate) -> None:
        """The aggregate's table (groups..., value): in SQL on integers, else in Python."""
        source, table = self.tables[aggregate.source], self.tables[aggregate.function]
        groups = [f"c{i}" for i in range(len(aggregate.groups))]
        value = f"c{len(groups) + len(aggregate.locals)}"
        # integers' ids (4n) are ordered as the integers, and their sum is the sum's id
        # while the sum of their sizes stays in range (interned.py)
        others, size = connection.execute(
            f"SELECT count(*) FILTER (WHERE ({value} & 3) <> 0), "
            f"sum(abs(CAST({value} AS HUGEINT))) FROM {source}").fetchone()
        if others or (size or 0) >= 4 * SMALL_INTEGERS:
            _python_aggregate(connection, aggregate.op, source, table, groups, value)
            return
        keys = "".join(f"{g}, " for g in groups)
        function = {"sum": "SUM", "min": "MIN", "max": "MAX"}[aggregate.op]
        grouping = f" GROUP BY {', '.join(groups)}" if groups else ""
        _insert(connection, f"INSERT INTO {table} SELECT {keys}CAST({function}({value}) AS BIGINT)"
                f" FROM {source}{grouping} HAVING count(*) > 0{_room()}")

    def _read_all(self, connection, names: list) -> dict:
        """Every table asked for: the small ones in one query, the large ones one by one."""
        if not names:
            return {}
        python = _python
        counts = connection.execute("SELECT " + ", ".join(
            f"(SELECT count(*) FROM {self.tables[n]})" for n in names)).fetchone()
        model = {name: set() for name in names}
        small = [n for n, count in zip(names, counts) if 0 < count <= SMALL]
        if small:
            width = max(self.arities[n] for n in small) or 1
            parts = []
            for number, name in enumerate(small):
                cols = [f"c{i}" for i in range(self.arities[name])]
                cols += ["NULL"] * (width - len(cols))
                parts.append(f"SELECT {number}, {', '.join(cols)} FROM {self.tables[name]}")
            for row in connection.execute(" UNION ALL ".join(parts)).fetchall():
                name = small[row[0]]
                model[name].add(tuple(python(v) for v in row[1:1 + self.arities[name]]))
        for name, count in zip(names, counts):
            if count > SMALL:
                model[name] = self._read(connection, name)
        return model

    def _read(self, connection, name: str) -> set:
        """A large table's rows as Python values: a column of integers decoded in SQL, a
        column of dictionary entries (strings) a column at a time, others value by value."""
        table, cols = self.tables[name], sql.columns(self.arities[name])
        checks = ", ".join(f"bool_and(({c} & 3) = 0), bool_and(({c} & 3) = 3)" for c in cols)
        kinds = connection.execute(f"SELECT {checks} FROM {table}").fetchone()
        if kinds[0] is None:
            return set()
        shown = [f"{c} // 4" if kinds[2 * i] else c for i, c in enumerate(cols)]
        rows = connection.execute(f"SELECT {', '.join(shown)} FROM {table}").fetchall()
        decoded = [i for i in range(len(cols)) if not kinds[2 * i]]
        if not decoded:
            return set(rows)
        columns = list(zip(*rows))
        interned = _LOCAL.interned
        for i in decoded:
            if kinds[2 * i + 1]:
                columns[i] = interned.entries(columns[i])
            else:
                columns[i] = [_python(v) for v in columns[i]]
        return set(zip(*columns))


def _python(ident: int):
    try:
        return _LOCAL.interned.python(ident)
    except sql.DateOutOfRange:
        raise EvaluationError([error_at("evaluation_error", "evaluation failed: a date computed "
                                        "by the policy is outside the calendar (years 1 to 9999)")])


def _connection():
    """This thread's connection, made on first use (and again in a forked child: a database
    whose threads did not survive the fork is never touched)."""
    connection = getattr(_LOCAL, "connection", None)
    if connection is None or _LOCAL.pid != os.getpid():
        connection, _LOCAL.pid = _new_connection(), os.getpid()
        _LOCAL.connection, _LOCAL.interned = connection, Interned()
        hold(connection)
    return connection


def _new_connection():
    # One thread: DuckDB's worker threads scanning the NumPy object columns of the facts
    # crashed the process (segmentation faults) while other threads ran Python.
    connection = duckdb.connect(":memory:", config={"threads": 1})
    _LOCAL.functions = _LOCAL.macros = None
    return connection


def _with_macros(connection) -> None:
    """The SQL macros of arithmetic and ordering comparisons (sql.MACROS), made on the
    connection the first time a program that calls them is evaluated: making them costs
    about 8 ms of a process's start, which a closure or a join never needs. With them
    the stand-ins for the Python functions, until _with_functions makes those."""
    if getattr(_LOCAL, "macros", None) is connection:
        return
    stand_ins = sql.STAND_INS if getattr(_LOCAL, "functions", None) is not connection else ()
    connection.execute(";\n".join(sql.MACROS + stand_ins))
    _LOCAL.macros = connection


class _NeedsPython(Exception):
    """A statement met values only Python's arithmetic or comparisons take (sql.py)."""


def _with_functions(connection) -> None:
    """The Python functions the arithmetic and ordering macros fall back to, in place of
    their stand-ins, made on the connection the first time an evaluation needs them:
    making one imports NumPy, which costs more than evaluating a small program."""
    if getattr(_LOCAL, "functions", None) is connection:
        return
    _with_macros(connection)
    for name in sql.FALLBACKS:
        connection.execute(f"DROP MACRO IF EXISTS {name}")
    interned = _LOCAL.interned  # reset in place, never replaced: these keep reading it
    value, ident = interned.value, interned.id_of_value

    def arithmetic(op: str, left: int, right: int) -> int:
        return ident(sql.arithmetic(op, value(left), value(right)))

    def ordering(op: str, left: int, right: int) -> bool:
        return sql.ordering(op, value(left), value(right))
    kinds = ["VARCHAR", "BIGINT", "BIGINT"]
    connection.create_function("pl_arith", arithmetic, kinds, "BIGINT", side_effects=False)
    connection.create_function("pl_order", ordering, kinds, "BOOLEAN", side_effects=False)
    _LOCAL.functions = connection


def _insert_rows(connection, table: str, arity: int, rows, interned) -> int:
    """Facts in as columns of ids (interned.py), never as SQL text: a few as lists bound to UNNEST, many
    through NumPy arrays (imported then only: importing NumPy costs more than a small
    evaluation, binding lists costs more per row). Returns how many rows went in."""
    if arity == 0:
        connection.execute(f"INSERT INTO {table} VALUES (TRUE)")
        return 1
    rows = rows if isinstance(rows, (list, tuple, set, frozenset)) else list(rows)
    columns = [interned.column(column) for column in zip(*rows)] if rows else [[]] * arity
    if len(rows) < MANY_ROWS:
        unnested = ", ".join(f"UNNEST(${i + 1}) AS c{i}" for i in range(arity))
        return connection.execute(f"INSERT INTO {table} SELECT DISTINCT * FROM "
                                  f"(SELECT {unnested})", columns).fetchone()[0]
    import numpy

    data = {f"c{i}": numpy.array(column, dtype=numpy.int64) for i, column in enumerate(columns)}
    connection.register("pl_incoming", data)
    try:
        return connection.execute(
            f"INSERT INTO {table} SELECT DISTINCT * FROM pl_incoming").fetchone()[0]
    finally:
        connection.unregister("pl_incoming")


MANY_ROWS = 20_000  # facts of one predicate from which NumPy carries them (_insert_rows)


def _python_aggregate(connection, op: str, source: str, table: str, groups: list, value: str):
    """Sum, min or max by Python on the decoded values (decimals, dates, mixed types)."""
    keys = ", ".join(groups + [value])
    interned, found = _LOCAL.interned, defaultdict(list)
    for row in connection.execute(f"SELECT {keys} FROM {source}").fetchall():
        found[row[:-1]].append(interned.value(row[-1]))
    function = {"sum": sum, "min": min, "max": max}[op]
    rows = [tuple(interned.value(k) for k in key) + (function(values),)
            for key, values in found.items()]
    if rows:
        _spend(_insert_rows(connection, table, len(groups) + 1, rows, interned))


def _evaluation_error(problem: Exception) -> EvaluationError:
    """The error of a failed statement, worded as the pyDatalog engine words it (compiled.py)."""
    text = str(problem)
    marker = "Python exception occurred while executing the UDF: "
    if marker in text:
        text = text.split(marker, 1)[1]
        name = text.split(":", 1)[0]
        if "DivisionByZero" in name or "ZeroDivision" in name:
            text = "ZeroDivisionError: division by zero"
        elif "InvalidOperation" in name or "DivisionUndefined" in name:
            text = "ArithmeticError: an undefined operation, such as 0 / 0"
    return EvaluationError([error_at("evaluation_error", f"evaluation failed: {kind_names(text)}")])

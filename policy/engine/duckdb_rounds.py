"""Recursive components on DuckDB, and the fact budget every statement keeps to.

duckdb_seam.DuckEngine plans a program by stratum; what it does with a recursive
component is here (a mixin of the engine: it reads the engine's tables, rules and
arities, and runs statements on the connection it is given; it imports no duckdb):

- one predicate whose rules read it at most once and compute no new value: one
  recursive CTE (`_recursive_cte`), the answer being finite;
- anything else: semi-naive rounds (`_semi_naive`), in which a member whose rules
  each read it at most once and compute nothing runs to its own fixpoint in one
  recursive CTE (`_local_fixpoint`), the other members held, while the others take
  one step; the fact limit is checked after every member's step.

Why this shape (measured on the points-to analysis of benchmarks/points_to.py, 50,000
input facts, 7 mutually recursive predicates): DuckDB spends about half a millisecond on
any statement and a few tenths of one on every join before it reads a row, and most
rounds add a few hundred rows, so the time went in statements, not in rows: 60 rounds of
7 members, 3 statements each and a DISTINCT per rule, took 6 to 8 s. Two statements per
member and round, one EXCEPT instead of a DISTINCT per rule: 3 to 4 s. Each member's own
rules carried to their end inside one statement: 15 rounds, 1.5 to 2 s. Rules unfolded
through another member (unfolding.py): 12 rounds; through the heap too, 7 rounds. One
statement per member and round (its new rows inserted at once, read back as the end
of its table): 1.1 to 1.3 s.
"""
from __future__ import annotations

import threading

from policy.engine import sql
from policy.engine.budget import FactLimit
from policy.engine.lowering import LAtom, LRule
from policy.engine.unfolding import HELD, held_unfolded_rules, unfolded_rules

_BUDGET = threading.local()


class Recursion:
    """The recursive strategies of DuckEngine (which has `tables`, `rules`, `arities`)."""

    def _fits_cte(self, members: tuple) -> bool:
        if len(members) != 1 or members[0] in self.aggregates:
            return False
        name = members[0]
        return all(reads(rule, name) <= 1 and not sql.has_arithmetic(rule)
                   for rule in self.rules[name])

    def _recursive_cte(self, connection, name: str, has_facts: bool) -> None:
        """One linear recursive predicate: WITH RECURSIVE, the new rows of each round only.
        The CTE's UNION removes duplicates (no DISTINCT per rule and round), and its rows
        are distinct already: only the facts given for the predicate are taken out."""
        table, params = self.tables[name], self._params()
        start = [f"SELECT * FROM {table}"]
        steps = []
        for rule in self.rules[name]:
            if reads(rule, name):
                steps.append(sql.rule_select(rule, {**self.tables, name: "r"}, params, False))
            else:
                start.append(sql.rule_select(rule, self.tables, params, False))
        cols = ", ".join(sql.columns(self.arities[name]))
        new = f"SELECT * FROM r EXCEPT SELECT * FROM {table}" if has_facts else "SELECT * FROM r"
        insert(connection,
               f"INSERT INTO {table} WITH RECURSIVE r({cols}) AS (({sql.union(start)}) UNION "
               f"SELECT * FROM ({' UNION ALL '.join(f'({s})' for s in steps)})) "
               f"SELECT * FROM ({new}){room()}", params.values)

    def _semi_naive(self, connection, members: tuple) -> None:
        """Rounds: what the rules give reading one premise from that premise's newest rows.

        Each member in turn (Gauss-Seidel order): its new rows join its table at once, and
        are its delta, which the members after it read in this round and those up to it
        in the next; so every batch of new rows is read once by every rule (with every
        other premise at least as complete as when the batch was made), as plain
        semi-naive rounds read it, in fewer rounds. A rule whose delta premise has no new
        rows is not run. In the first round a member's delta is all its rows (the facts
        given and what its first rules added), as no rule has read any of them yet.

        A member's table only grows, and only at its own step, so its delta is always
        the end of its table: the rows from the row number it had before its last step
        (`rowid`: tables here are only appended to, so row numbers run from 0 without
        gaps). A member's round is then one statement, an INSERT of its new rows: each
        statement has a fixed cost in DuckDB of about a millisecond, paid 7 members x 12
        rounds over in the points-to analysis, where a table of new rows copied into the
        member's own took two."""
        members = self._round_order(members)
        counts = connection.execute("SELECT " + ", ".join(
            f"(SELECT count(*) FROM {self.tables[name]})" for name in members)).fetchone()
        rows = dict(zip(members, counts))
        since = {name: 0 for name in members}  # where each member's delta starts
        first = True
        while True:
            added = 0
            for name in members:
                count = self._round(connection, name, members, since, rows, first)
                spend(count)  # the round's own LIMIT kept it within one row of the limit
                if not first:
                    since[name] = rows[name]
                rows[name] += count
                added += count
            first = False
            if not added:
                return

    def _round_order(self, members: tuple) -> tuple:
        """The members in an order that reads most rows in the round they are made.

        In a round each member reads the rows the members before it made in that round,
        and waits a round for those of the members after it. So the next member is one
        that reads the fewest members not yet placed (then one with a rule reading no
        member, then by name). On the points-to analysis: reach, callgraph, interassign,
        hpt, spt, thrown, vpt, 12 rounds, where the order of the names took 13."""
        starts, reads_of = set(), {name: set() for name in members}
        for name in members:
            for rule in self.rules[name]:
                premises = {lit.predicate for lit in rule.body if isinstance(lit, LAtom)
                            and not lit.negated and lit.predicate in reads_of}
                reads_of[name] |= premises - {name}
                if not premises:
                    starts.add(name)
        order = []
        while len(order) < len(members):
            rest = {m for m in members if m not in order}
            order.append(min(rest, key=lambda m: (len(reads_of[m] & rest), m not in starts, m)))
        return tuple(order)

    def _round(self, connection, name, members, since, rows, first: bool) -> int:
        """The member's new rows of this round added to its table; how many. The rules'
        SELECTs keep their duplicates: the one EXCEPT that removes the rows already
        known removes those too (a DISTINCT per rule is a hash aggregate of its own)."""
        local = self._fits_local(name)
        params, selects = self._params(), []
        for rule in self.rules[name]:
            recursive = [i for i, lit in enumerate(rule.body) if isinstance(lit, LAtom)
                         and not lit.negated and lit.predicate in members]
            if not recursive:
                if first:
                    selects.append(sql.rule_select(rule, self.tables, params, distinct=False))
                continue
            for i in recursive:
                premise = rule.body[i].predicate
                if rows[premise] == since[premise]:
                    continue  # no new rows there: this reading gives nothing new
                if local and not first and premise == name:
                    continue  # its own last rows went through its own rules to the end
                body = list(rule.body)
                body[i] = LAtom("\0delta", body[i].args)
                tables = {**self.tables, "\0delta": self._delta(premise, since[premise])}
                selects.append(sql.rule_select(LRule(rule.head, tuple(body)), tables, params,
                                               distinct=False))
        if not selects:
            return 0
        table = self.tables[name]
        every = " UNION ALL ".join(f"({s})" for s in selects)
        if local:
            return self._local_fixpoint(connection, name, every, params)
        return connection.execute(
            f"INSERT INTO {table} SELECT * FROM "
            f"(SELECT * FROM ({every}) EXCEPT SELECT * FROM {table}){room()}",
            params.values).fetchone()[0]

    def _delta(self, name: str, start: int) -> str:
        """The member's newest rows, from row number `start` (a number counted here)."""
        table = self.tables[name]
        return f"(SELECT * FROM {table} WHERE rowid >= {int(start)})" if start else table

    def _fits_local(self, name: str) -> bool:
        rules = self.rules[name]
        return (bool(self._steps(name))
                and all(reads(rule, name) <= 1 and not sql.has_arithmetic(rule)
                        for rule in rules))

    def _steps(self, name: str) -> list:
        """The rules a member's own fixpoint follows: those reading it (once), and those
        unfolding.py derives through another member of its component (reading it once,
        or once and as it was before the statement, HELD)."""
        own = [rule for rule in self.rules[name] if reads(rule, name)]
        return own + self._unfolded().get(name, []) + self._held_unfolded().get(name, [])

    def _unfolded(self) -> dict:
        return self._derived("_unfolded_cache", unfolded_rules)

    def _held_unfolded(self) -> dict:
        return self._derived("_held_cache", held_unfolded_rules)

    def _derived(self, cache: str, derive) -> dict:
        """derive(rules, the components of several members), once per engine."""
        cached = getattr(self, cache, None)
        if cached is None:
            cached = derive(self.rules, [set(members) for members, recursive
                                         in self.components if recursive and len(members) > 1])
            setattr(self, cache, cached)
        return cached

    def _local_fixpoint(self, connection, name, seeds: str, params) -> int:
        """The member's rules to their end in one recursive CTE, the other members held
        as they are: the new rows the seeds give, and all that its rules reading it
        once make of those, round after round inside DuckDB."""
        table = self.tables[name]
        cols = sql.columns(self.arities[name])
        tests = " AND ".join(f"m.{c} = s.{c}" for c in cols) if self.arities[name] else "TRUE"
        tables = {**self.tables, name: "r", HELD: table}
        steps = [sql.rule_select(rule, tables, params, distinct=False)
                 for rule in self._steps(name)]
        every = " UNION ALL ".join(f"({s})" for s in steps)

        def unknown(select):
            return (f"SELECT * FROM ({select}) s WHERE NOT EXISTS "
                    f"(SELECT 1 FROM {table} m WHERE {tests})")
        return connection.execute(
            f"INSERT INTO {table} WITH RECURSIVE r({', '.join(cols)}) AS "
            f"({unknown(seeds)} UNION {unknown(every)}) SELECT * FROM r{room()}",
            params.values).fetchone()[0]


class _Spent:
    """The facts one evaluation holds so far (given and derived), against its limit."""

    def __init__(self, limit: int):
        self.limit, self.total = limit, 0


def start_budget(limit: int) -> None:
    """A new evaluation in this thread: nothing spent yet, `limit` facts allowed."""
    _BUDGET.spent = _Spent(limit)


def room() -> str:
    """` LIMIT n`: one row more than the evaluation may still add (a generated number), so a
    statement that would pass the limit stops one row past it instead of running to its end."""
    spent = _BUDGET.spent
    return f" LIMIT {max(0, spent.limit - spent.total) + 1}"


def insert(connection, statement: str, params=None) -> None:
    spend(connection.execute(statement, params).fetchone()[0])


def spend(count: int) -> None:
    """Count rows added; FactLimit (how far it got) once the evaluation holds more than its
    limit, as the pyDatalog engine's budget (budget.py) stops."""
    spent = _BUDGET.spent
    spent.total += count
    if spent.total > spent.limit:
        raise FactLimit(spent.total)


def reads(rule: LRule, name: str) -> int:
    return sum(1 for lit in rule.body if isinstance(lit, LAtom) and lit.predicate == name)

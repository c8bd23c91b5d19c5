"""Aggregates over labelled rows: the lineage evaluator's count, sum, min and max.

An aggregate's value depends on which rows are present, so each value it can take comes
with the completions where it does (exact: min and max in one pass over the rows, a sum
following each partial sum). Mixed into engine/lineage._Run.
"""
from __future__ import annotations

from policy.engine.lineage_values import failure as _failure
from policy.engine.lineage_values import inward, outward
from policy.engine.open_conditions import exact_rows, open_aggregate
from policy.engine.open_values import computed, expression, opened, stands_of
from policy.errors import PolicyError, error_at

MAX_PARTIAL_SUMS = 4096  # values a sum over rows whose presence is unknown can take


class AggregateRun:
    """The aggregate steps of a lineage run (uses `model`, `true`, `false`, `open`)."""

    def aggregate(self, aggregate) -> dict:
        """{group: {value: formula}}: the aggregate's value in each set of completions."""
        width = len(aggregate.groups)
        groups, rows = {}, {}
        for row, formula in self.model.get(aggregate.source, {}).items():
            groups.setdefault(row[:width], []).append((row[-1], formula))
            rows.setdefault(row[:width], []).append(row)
        found = {}
        for group, members in groups.items():
            if self.open and exact_rows(aggregate.op, rows[group]):
                found[group] = self.row_values(aggregate.op, members)
                continue
            found[group] = self.group_values(aggregate.op, members)
            if self.open:
                found[group] = open_aggregate(found[group], rows[group])
        return found

    def row_values(self, op: str, members: list) -> dict:
        """{value: formula} over symbolic rows of a list (open_conditions.exact_rows): the
        least or greatest is the row itself (its value: what it is, for the solver); a
        sum, one value per set of rows present, says which rows it adds, so a
        comparison of it is a condition on those rows' values (open_solver.py)."""
        certain = [value for value, formula in members if formula == self.true]
        uncertain = [(value, formula) for value, formula in members if formula != self.true]
        if op in ("min", "max"):
            return self.extremes(op, certain, uncertain)
        partial = {None: (None, self.true)}  # expression -> (sum so far, formula)
        for value, formula in [(v, self.true) for v in certain] + uncertain:
            following = {}
            for total, condition in partial.values():
                added = value if total is None else computed(
                    _aggregated("sum", [total, value]), total, value, "+")
                for made, holds in ((total, condition & ~formula), (added, condition & formula)):
                    if holds != self.false:
                        key = None if made is None else expression(made)
                        before = following.get(key, (made, self.false))[1]
                        following[key] = (made, before | holds)
            partial = following
            if len(partial) > MAX_PARTIAL_SUMS:
                raise _too_many(len(uncertain))
        return _apart([entry for key, entry in partial.items() if key is not None])

    def group_values(self, op: str, members: list) -> dict:
        """{value: formula}: the aggregate of the rows present, in each set of completions
        (no value where no row is present). Linear in the rows for min and max; a sum
        follows each partial sum (refused beyond MAX_PARTIAL_SUMS of them)."""
        certain = [value for value, formula in members if formula == self.true]
        uncertain = [(value, formula) for value, formula in members if formula != self.true]
        if op in ("min", "max"):
            return self.extremes(op, certain, uncertain)
        return self.sums(certain, uncertain)

    def extremes(self, op: str, certain: list, uncertain: list) -> dict:
        """The minimum (maximum) is v where a row of value v is present and none of a
        smaller (larger) value is."""
        rows = [(outward(v), self.true) for v in certain] + \
            [(outward(v), f) for v, f in uncertain]
        try:
            ordered = sorted({value for value, _ in rows}, reverse=op == "max")
        except TypeError as problem:
            raise _failure(problem) from None
        values, none_before = {}, self.true
        for value in ordered:
            present = self.false
            for other, formula in rows:
                if other == value:
                    present |= formula
            condition = none_before & present
            if condition != self.false:
                key = inward(value)
                values[key] = values.get(key, self.false) | condition
            none_before &= ~present
            if none_before == self.false:
                break
        return values

    def sums(self, certain: list, uncertain: list) -> dict:
        """Each partial sum (in the order `sum` adds the rows: the certain ones, then the
        others) with the completions that reach it; None while no row is present."""
        start = _aggregated("sum", [outward(v) for v in certain]) if certain else None
        partial = {start: self.true}
        for value, formula in uncertain:
            value = outward(value)
            following = {}
            for total, condition in partial.items():
                for key, holds in ((total, condition & ~formula),
                                   (_added(total, value), condition & formula)):
                    if holds != self.false:
                        following[key] = following.get(key, self.false) | holds
            partial = following
            if len(partial) > MAX_PARTIAL_SUMS:
                raise _too_many(len(uncertain))
        return {total: formula for total, formula in partial.items() if total is not None}


def _too_many(rows: int) -> PolicyError:
    return PolicyError([error_at(
        "limit_exceeded", f"a sum over {rows} rows that are not known takes more than "
        f"{MAX_PARTIAL_SUMS} values; give more of the applicant's facts")])


def _apart(sums: list) -> dict:
    """{value: formula} of the sums of different sets of rows. An open value equals and
    hashes as its representative, and two sets can add up to the same one ({1, 4} and
    {2, 3}): an open sum's representative moves on to one no other sum holds (what it
    is, its expression and bounds, decides every comparison; the representative none)."""
    found = {}
    for value, formula in sorted(sums, key=lambda entry: stands_of(entry[0]) is not None):
        if stands_of(value) is None:  # plain sums first: equal ones are one value
            found[value] = found[value] | formula if value in found else formula
            continue
        while value in found:
            value = opened(value + 1, stands_of(value))
        found[value] = formula
    return found


def _added(total, value):
    """A partial sum (row value) with one more row: the first row starts it from 0."""
    return _aggregated("sum", [value] if total is None else [outward(total), value])


def _aggregated(op: str, values: list):
    try:
        if op == "sum":
            return inward(sum(values, 0))
        return inward(min(values) if op == "min" else max(values))
    except TypeError as problem:
        raise _failure(problem) from None

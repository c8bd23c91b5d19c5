"""The symbolic rows of an unknown list's open regions: their values and what they stand for.

list_rows.py decides how many rows a region gets (and argues why that many suffice);
here they are made: `copies` distinct values of each open region, in presence order,
each an open value of its own (Stands.row: its fact and region) that the solver keeps
inside the region and in the order of the representatives (engine/open_solver.py).
"""
from __future__ import annotations

from decimal import Decimal

from policy.engine.open_values import Stands
from policy.values import Day


def copied_rows(kind: str, fact: str, values: list, regions: list, copies: int):
    """(candidates, regions, chains) of a list whose open regions get `copies` symbolic
    rows each. `values`, `regions`: the representatives and their Stands (None for a
    point) as domains.domain_of makes them; several representatives of one region give
    its copies once. Each chain is a region's copies in presence order (nearest its
    first representative first)."""
    rows, stands_of_rows, chains, done = [], [], [], {}
    for value, stands in zip(values, regions):
        if stands is None:
            rows.append(value)
            stands_of_rows.append(None)
            continue
        key = (stands.lo, stands.hi, stands.cuts)
        if key in done:
            continue
        number = done[key] = len(done)
        chain = []
        for index, rep in enumerate(_spread(kind, value, stands, copies, values)):
            name = f"{fact}[{number}.{index}]"
            rows.append(rep)
            stands_of_rows.append(Stands(stands.origins, stands.lo, stands.lo_closed,
                                         stands.hi, stands.hi_closed, stands.ordered,
                                         stands.cuts, expr=("fact", name), row=(fact, number)))
            chain.append(len(rows) - 1)
        chains.append(tuple(chain))
    return rows, stands_of_rows, tuple(chains)


def _spread(kind: str, value, stands, copies: int, taken: list) -> list:
    """`copies` distinct values of the region, in presence order: from its representative
    away from its nearest bound (fewer when the region holds fewer integers or days)."""
    if not stands.ordered:
        found, fresh = [], value
        while len(found) < copies:
            if fresh not in taken:
                found.append(fresh)
            fresh += "'"
        return found
    lo, hi = _plain(stands.lo), _plain(stands.hi)
    start = _plain(value)
    if kind == "decimal":
        if lo is not None and hi is not None:
            step = (hi - lo) / (copies + 1)
            numbers = [lo + step * (i + 1) for i in range(copies)]
        else:
            step = Decimal(-1) if hi is not None else Decimal(1)
            numbers = [start + step * i for i in range(copies)]
    else:
        step = -1 if lo is None and hi is not None else 1
        first = start if lo is None or hi is None else lo + 1
        numbers = [first + step * i for i in range(copies)]
        numbers = [n for n in numbers if (lo is None or n > lo) and (hi is None or n < hi)]
    return [Day(int(n)) if kind == "date" else n for n in numbers]


def _plain(value):
    return value.ordinal if isinstance(value, Day) else value

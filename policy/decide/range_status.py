"""Parts of an unknown number's or date's region, each with its exact status: "Decided by".

An unknown open-typed fact's regions are cut at the policy's and the applicant's
constants (domains.py). When several unknown amounts decide a procedure, a region can
hold values that decide it and values that leave it open: Dana's partner income below
2,000 (`2500 + Theirs < 3000` changes at 500, which no constant names). Her decision
is not made again with more regions (that multiplies the regions of every amount in the
rule, and the what-if search with them: seconds); instead an undetermined region is
cut where a condition on that fact alone changes (cut_points.condition_cuts), and each
part's status is asked of the same diagrams with the fact's value bounded to the part
(open_solver.satisfiable_within). The bounds matter even without a cut: once a region's
candidate is given, no tie of the diagrams says the value lies in it, so a status read
with the candidate alone (Decision.status_under) treats the value as free in the open
conditions (sound, but a discount of 100 to 301 came out undetermined where every such
discount rules the refund out). Each status is exact for its whole part; where z3 cannot
tell, a part keeps the sound "undetermined".
"""
from __future__ import annotations

from decimal import Decimal

from policy.decide.completions import UNDETERMINED, status_from
from policy.decide.counterfactual import change_rows
from policy.decide.cut_points import condition_cuts
from policy.values import Day

ORDERED = ("integer", "decimal", "date")


def refined(decision, pid: str, spec, statuses: list) -> list:
    """`statuses` [(representative, status)] of the fact's regions, in order, with each
    undetermined region replaced by its parts' representatives and statuses, read with
    the value bounded (one part when no cut falls inside: its status can still be decided;
    integers and dates: each part's first and last value; decimals: the alternation of
    open intervals and points that describe() reads)."""
    kind = spec.type.name
    domain = decision.domains.get(spec.name)
    if kind not in ORDERED or domain is None or not domain.regions or decision._open is None \
            or not domain.exactly_one:  # a list's rows are not one value to bound
        return statuses
    cuts = sorted(condition_cuts(decision, pid, spec.name))
    region = {row[0]: stands[0] for (row, _), stands in zip(domain.candidates, domain.regions)}
    alike = {}  # a region's candidates: an integer's or a date's first and last value
    for value, stands in region.items():
        if stands is not None:
            alike.setdefault((stands.lo, stands.hi), []).append(value)
    found, done = [], set()
    for value, status in statuses:
        stands = region.get(value)
        if status != UNDETERMINED or stands is None or stands.lo_closed or stands.hi_closed:
            found.append((value, status))
        elif (stands.lo, stands.hi) not in done:  # a region's two representatives: once
            done.add((stands.lo, stands.hi))
            rows = [change_rows(spec, v) for v in alike[(stands.lo, stands.hi)]]
            found += _parts(decision, pid, spec, rows, stands, _inside(cuts, stands))
    return found


def _inside(cuts: list, stands) -> list:
    return [c for c in cuts if (stands.lo is None or c > stands.lo)
            and (stands.hi is None or c < stands.hi)]


def _parts(decision, pid: str, spec, rows: list, stands, cuts: list) -> list:
    """The representatives of the region's parts, open intervals and the cut points
    between them, each with its status; `rows`: the rows of each of the region's
    candidates (the solver ties each to a part of the region: open_solver._two_ends)."""
    found, within = [], PartStatus(decision, pid, spec.name, rows)
    bounds = [stands.lo] + cuts + [stands.hi]
    for index, (low, high) in enumerate(zip(bounds, bounds[1:])):
        representatives, part = _interval(spec.type.name, low, high)
        if representatives:  # an integer's two ends share their part's status: asked once
            status = within.status(part, representatives)
            found += [(representative, status) for representative in representatives]
        if index < len(cuts):
            point = cuts[index]
            found.append((point, within.status((("=", point),), (point,))))
    return found


def _interval(kind: str, low, high) -> tuple:
    """([representatives], bounds) of the open interval (low, high), None unbounded: an
    integer's or a date's first and last value (none when it holds none), a decimal's
    one value inside."""
    bounds = tuple(b for b in ((">", low), ("<", high)) if b[1] is not None)
    if kind == "decimal":
        inside = (low + high) / 2 if low is not None and high is not None else \
            (high - 1 if low is None else low + 1)
        return [Decimal(inside)], bounds
    first = None if low is None else _step(low, 1)
    last = None if high is None else _step(high, -1)
    if first is not None and last is not None and first > last:
        return [], bounds
    return list(dict.fromkeys(v for v in (first, last) if v is not None)), bounds


def _step(value, by: int):
    """The next (or previous) integer or day."""
    return Day(value.ordinal + by) if isinstance(value, Day) else value + by


class PartStatus:
    """The status when all that is known of the unknown `name` is that its value lies in
    the region of the candidates `rows` and within some bounds (the other unknown facts
    left unknown), for each part of that region: the rows' formulas are substituted
    once (Decision.status_formulas), not once per part."""

    def __init__(self, decision, pid: str, name: str, rows: list):
        self.decision, self.name = decision, name
        # two candidates the diagrams do not tell apart have the same formulas: asked once
        self.formulas = list(dict.fromkeys(
            formulas for formulas in (decision.status_formulas(pid, {name: one}) for one in rows)
            if formulas is not None))
        self._conditioned = {}  # formula -> whether it reads an open condition

    def status(self, bounds: tuple, inside=()) -> str:
        """The status within `bounds`; `inside`: values within them, tried first as
        witnesses. With two candidates (each tied to a part of the region), the statuses
        of those whose part meets the bounds, together: one status when they agree, else
        undetermined."""
        decision = self.decision

        def none(formula) -> bool:
            if formula == decision.bdd.false:
                return True
            if not self._reads_open(formula):
                return False
            solver = decision._open.solver()
            return solver.satisfiable_within(formula, self.name, bounds, inside) is False

        # None: no value of the part is possible, or not a candidate: nothing to say of it
        statuses = {status_from(*formulas, none) for formulas in self.formulas} - {None}
        return statuses.pop() if len(statuses) == 1 else UNDETERMINED

    def _reads_open(self, formula) -> bool:
        found = self._conditioned.get(formula)
        if found is None:
            found = self._conditioned[formula] = self.decision._open.conditioned(formula)
        return found

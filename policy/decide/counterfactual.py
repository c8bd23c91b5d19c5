"""What would change the answer: the smallest changes of applicant facts that make a
procedure apply, and, for one that applies, the facts it hinges on.

Candidates come from the declared schema only (a yes/no fact's two answers, an
enum's declared values, one value of each region of an open type: see
domains.py), restricted to the facts the procedure's status can depend on. The
search reads statuses from the policy's decision diagrams when its schema is
finite (status_table.StatusTable: microseconds a candidate), else evaluates each
candidate; either way every suggestion returned is checked by evaluating the
policy with it (`make_plan`), so a suggestion is never a guess, and a set is
reported only when no smaller set inside it works, so every suggestion is
minimal. At most MAX_SUGGESTIONS sets are returned: the fewest changes first,
then in the order of the schema's facts.
"""
from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, replace

from policy.decide.change_search import applying_combinations
from policy.decide.cut_points import cut_points, given_cuts, single_fact_cuts
from policy.decide.lineage_model import conditioned_facts, fact_pool, given_values
from policy.decide.status_table import StatusTable
from policy.decide.domains import FINITE, domain_of
from policy.decide.completions import Decision, status_of
from policy.engine.open_witness import condition_value
from policy.decide.plan import APPLIES, BLOCKED, NOT_APPLICABLE, relevant_inputs
from policy.errors import PolicyError
from policy.inputs.applicant import Applicant

MAX_CHANGES = 3
MAX_SUGGESTIONS = 5
MAX_RECORDS = 3  # records a suggestion may give one fact of records
MAX_REQUIRED = 4096  # combinations tried of more than MAX_CHANGES facts that must all change


@dataclass(frozen=True)
class Change:
    """Set the fact `name` to `value` (True/False for a yes/no fact)."""

    name: str
    value: object
    was: object  # the value given before, or None when it was unknown
    condition: tuple = ()  # open types: every value that works (describe), value is one of them


def apply_changes(applicant: Applicant, changes, schema: dict) -> Applicant:
    """A copy of the applicant with the changes made."""
    facts = dict(applicant.facts)
    for change in changes:
        facts[change.name] = change_rows(schema[change.name], change.value)
    unknown = [spec for spec in applicant.unknown if spec.name not in facts]
    return replace(applicant, facts=facts, unknown=unknown)


def current_value(applicant: Applicant, spec):
    if spec.name not in applicant.facts:
        return None
    rows = applicant.facts[spec.name]
    if spec.is_flag:
        return bool(rows)
    if spec.is_record:  # NONE, one record, or several (sorted, so that it is hashable)
        return NONE if not rows else (next(iter(rows)) if len(rows) == 1
                                      else tuple(sorted(rows, key=repr)))
    # several values (a list in the file) as a tuple: a Change must be hashable
    return next(iter(rows))[0] if len(rows) == 1 else tuple(sorted((r[0] for r in rows), key=repr))


def candidate_changes(applicant: Applicant, specs: list, compiled=None) -> list:
    """Every single change of a relevant fact to another value its declaration allows
    (an open type: one value of each region the policy tells apart, with `compiled`; a fact
    of records: no records or one, of strings the policy names too: an edge from home to
    the office, not only from "other value" to "other value")."""
    changes = []
    for spec in specs:
        was = current_value(applicant, spec)
        values = candidate_values(spec, compiled, applicant)
        changes.extend(Change(spec.name, value, was) for value in values if value != was)
    return changes


def _plain_string_records(spec, values: list) -> list:
    """NONE and the records whose every string argument is the one value the policy does not
    name: the last of its representatives, which stands for every other string. The records
    are the product of the arguments' values, so the last record holds each one's last."""
    rows = [v for v in values if v != NONE]
    if not rows:
        return values
    strings = [index for index, param in enumerate(spec.declaration.params)
               if param.type.name in ("string", "any")]
    return [v for v in values if v == NONE or all(v[i] == rows[-1][i] for i in strings)]


def candidate_values(spec, compiled=None, applicant=None) -> list:
    """The values a change can give a fact; for a `@values("many")` fact also NONE (no value).
    A fact of records takes NONE (no records) or one record: one per combination of its
    arguments' values (an open argument's regions, with `compiled`)."""
    if spec.is_flag:
        return [True, False]
    if spec.is_record:
        pool = fact_pool(compiled, applicant, spec) if compiled is not None else set()
        return [NONE] + [row for row, _ in domain_of(spec, 0, pool).candidates]
    if spec.type.name in FINITE or compiled is None:
        values = [row[0] for row in sorted(spec.possible_rows(), key=repr)]
    else:
        pool = fact_pool(compiled, applicant, spec)
        values = [row[0] for row, _ in domain_of(spec, 0, pool).candidates]
    return values + [NONE] if spec.holds_many else values


NONE = ()  # a change that leaves a `@values("many")` fact with no value at all


def change_rows(spec, value) -> set:
    """The rows a fact has once a change gives it `value`."""
    if spec.is_flag:
        return {()} if value else set()
    if spec.is_record:  # NONE, one record (a row), or several (a tuple of rows)
        if value == NONE:
            return set()
        return set(value) if isinstance(value[0], tuple) else {value}
    return set() if value == NONE else {(value,)}


class WhatIf:
    """Searches the smallest changes that make a procedure apply."""

    def __init__(self, compiled, applicant: Applicant, schema: list, decision=None):
        self.compiled, self.applicant = compiled, applicant
        self.decision = decision  # the applicant's own Decision, when the caller has it
        # the applicant as the search sees it: open facts' regions also cut where the
        # procedure's conditions change (decide/cut_points.py), set by _cut_search
        self.searched = applicant
        self.schema = {spec.name: spec for spec in schema}
        try:
            self.table = StatusTable.of(compiled)
        except PolicyError:
            self.table = None
        # the searching decision, the given facts it made unknown and their rows
        self._decision, self._changeable, self._kept = None, None, {}
        self._by_value = set()  # facts a search tried by evaluating one value
        self._record_decisions = {}  # (fact, records) -> a decision with them given
        self._regions_read = False  # region statuses read from the applicant's decision

    def status(self, procedure: str, changes=()) -> str:
        """The status with the changes made, by evaluating the policy (the plan's status)."""
        return status_of(self.compiled, apply_changes(self.applicant, changes, self.schema),
                         procedure)

    def quick_status(self, procedure: str, changes=()) -> str:
        """The same status, from the decision diagrams when the policy has them."""
        if self.table is None:
            return self.status(procedure, changes)
        facts = dict(self.applicant.facts)
        for change in changes:
            facts[change.name] = change_rows(self.schema[change.name], change.value)
        return self.table.status(procedure, facts)

    def relevant(self, procedure: str) -> list:
        if self.table is not None:
            names = set(self.table.deciding_names(procedure))
        else:
            names = relevant_inputs(self.compiled, procedure)
        return [self.schema[name] for name in self.schema if name in names]

    def would_apply_if(self, procedure: str) -> list:
        """Up to MAX_SUGGESTIONS minimal sets of changes (lists of Change), smallest first."""
        self._cut_lone_fact(procedure)
        candidates = candidate_changes(self.searched, self.relevant(procedure), self.compiled)
        if self.table is not None:
            found = applying_combinations(self.table, procedure, self.applicant.facts, candidates,
                                          lambda c: change_rows(self.schema[c.name], c.value), MAX_CHANGES)
        else:
            found = self._tried(procedure, candidates)
            if not found and any(spec.is_record for spec in self.relevant(procedure)):
                for several in self._several_records(procedure):  # later: only fewer facts
                    found = self._tried(procedure, candidates, several,
                                        len(found[0]) if found else None) or found
            if not found and self._cut_search(procedure):
                candidates = candidate_changes(self.searched, self.relevant(procedure),
                                               self.compiled)
                found = self._tried(procedure, candidates)
        merged = self._merged(procedure, found)
        verified = [c for c in merged[:MAX_SUGGESTIONS] if self.status(procedure, c) == APPLIES]
        return [list(c) for c in verified]

    def _search_applies(self, procedure: str, combination) -> bool:
        """Whether a combination makes it apply, while searching: read from the searching
        decision (its diagrams with the facts substituted) when every change is one of the
        candidates, else evaluated. Each suggestion found is evaluated again at the end."""
        facts = {c.name: change_rows(self.schema[c.name], c.value) for c in combination}
        found = self._decision.applies_under(procedure, {**self._kept, **facts})
        if not found:
            given = self._with_lists_given(procedure, combination, facts, found)
            found = found if given is None else given
        if found is None:  # the status of these values, not of their regions
            self._by_value.update(c.name for c in combination)
            return self.status(procedure, combination) == APPLIES
        return found

    def _with_lists_given(self, procedure: str, combination, facts: dict, found):
        """applies_under for a combination the searching decision cannot answer, read from a
        decision with its lists given and everything else as the searching decision has
        it (made once per set of lists, so the other changes of each combination are read
        from its diagrams, not evaluated: a child more, with each income region, was 900
        evaluations of a childcare policy). Its lists: several records (_several_records,
        not candidates there: `found` None), or rows of a list the searching decision
        keeps one representative row per region of, which stands for one or more rows:
        its False is only the model's (a count of young children at least 1 was not
        certain with one child, so two were suggested). None when there is no such list."""
        lists = [c for c in combination if facts[c.name] and self._given_list(c, facts, found)]
        if not lists:
            return None
        key = tuple(sorted((c.name, tuple(sorted(facts[c.name], key=repr))) for c in lists))
        decision = self._record_decisions.get(key)
        if decision is None:
            base, names = self._decision.applicant, {c.name for c in lists}
            given = replace(base, facts={**base.facts, **{n: facts[n] for n in names}},
                            unknown=[s for s in base.unknown if s.name not in names])
            decision = self._record_decisions[key] = Decision(self.compiled, given, reasons=False)
        rest = {name: rows for name, rows in {**self._kept, **facts}.items()
                if name not in {c.name for c in lists}}
        return decision.applies_under(procedure, rest)

    def _given_list(self, change, facts: dict, found) -> bool:
        spec = self.schema[change.name]
        if found is None:
            return spec.is_record and len(facts[change.name]) > 1
        domain = self._decision.domains.get(change.name)
        return (domain is not None and not domain.exactly_one and domain.open_type
                and not domain.chains)

    def region_status(self, procedure: str, name: str, value):
        """The status when all that is known of the unknown fact `name` is that it lies in
        the region of `value` (the other unknown facts left unknown): exact for the whole
        region. None when `value` is not one of the search's candidates."""
        rows = change_rows(self.schema[name], value)
        if self._main_tells_apart(name):
            self._regions_read = True
            return self.decision.status_under(procedure, {name: rows})
        self._open_to_search(procedure)
        return self._decision.status_under(procedure, {**self._kept, name: rows})

    def _main_is_searching(self) -> bool:
        """Whether the applicant's own decision is the searching one (no given fact to make
        unknown, none to set aside, the same cut points): then it is not made twice."""
        main = self.decision
        return (main is not None and main.applicant.facts == self.searched.facts
                and main.applicant.cuts == self.searched.cuts)

    def _main_tells_apart(self, name: str) -> bool:
        """Whether the applicant's own decision has the regions of the unknown fact `name`
        that the search has (no cut points added for it): then its statuses are the
        searching decision's, without evaluating the policy again."""
        main = self.decision
        return (main is not None and name in main.domains
                and self.applicant.cuts.get(name) == main.applicant.cuts.get(name)
                and self.applicant.told_apart == main.applicant.told_apart)

    def _several_records(self, procedure: str) -> list:
        """Changes that give a fact of records 2 to MAX_RECORDS records, for a search that
        found nothing with one (a count of late books at least 2): copies of one record
        whose strings the policy does not name, told apart by their strings ("other
        value", "other value 2", ...), after the records given (a child more), alone, or
        after one record the policy names. They come in stages, each tried only when the
        ones before found nothing (the records given and more first, then the fewest
        records, copies alone before those after a named record), or only for fewer
        changes than they found: each list is read from a decision of its own
        (_with_lists_given), ~16 ms, and a child more for a large family bonus made 342
        lists. So a stage hides only suggestions of as many changes with other records."""
        stages = {}  # (count, after a named record) -> changes
        for spec in self.relevant(procedure):
            strings = _string_places(spec)
            if not strings:
                continue
            was = current_value(self.applicant, spec)
            every = [v for v in candidate_values(spec, self.compiled, self.searched) if v != NONE]
            plain = _plain_string_records(spec, every)
            named = [row for row in every if row not in plain]
            given = tuple(sorted(self.applicant.facts.get(spec.name, ()), key=repr))
            for row in plain:  # the records given, and one or two more: first of all
                for count in range(1, MAX_RECORDS - len(given) + 1) if given else ():
                    stages.setdefault((0, count), []).append(
                        Change(spec.name, given + _copies(row, strings, count), was))
            for rows in self.copies(spec):
                stages.setdefault((len(rows), False), []).append(Change(spec.name, rows, was))
                stages.setdefault((len(rows), True), []).extend(
                    Change(spec.name, (first,) + rows[:-1], was) for first in named)
        return [stages[key] for key in sorted(stages) if stages[key]]

    def copies(self, spec) -> list:
        """Lists of 2 to MAX_RECORDS records of the fact of records `spec`, each of copies
        of one record whose strings the policy does not name (fewer records first): what
        one record alone cannot show of a count."""
        strings = _string_places(spec)
        if not strings:
            return []
        every = [v for v in candidate_values(spec, self.compiled, self.searched) if v != NONE]
        return [_copies(row, strings, count) for count in range(2, MAX_RECORDS + 1)
                for row in _plain_string_records(spec, every)]

    def _cut_lone_fact(self, procedure: str) -> None:
        """When one unknown number or date decides the procedure, its regions are cut where
        a condition on it changes (cut_points), so that the suggestions name exact values
        (a partner income at most 499, not at most 2)."""
        if self.decision is None or self.table is not None:
            return
        cuts = {**self.searched.cuts, **cut_points(self.decision, procedure)}
        if cuts != self.searched.cuts:
            self.searched = replace(self.searched, cuts=cuts)
            self._decision = self._changeable = None

    def _cut_search(self, procedure: str) -> bool:
        """When the search found nothing: cut its open facts where a condition changes with
        the given amounts at their values, and make the searching decision again if that
        adds regions (True then). With two unknown amounts in one condition
        (`S - D * 2 > 1000`, the debt given), the savings region above the policy's
        constant 1000 is mixed, so no change of it proves to work; above 1200 it does.
        Read from the searching decision (given_cuts), where the given facts the search may
        change are unknown, so a condition that a given value makes false (an age of 16)
        still shows where the others change, and from the applicant's own (conditions on
        one unknown fact). Not the cuts found by eliminating a third amount, nor the other
        facts' region ends: each cut multiplies the regions of every amount in the rule
        (three unknown amounts in one rule: from seconds to minutes)."""
        self._open_to_search(procedure)
        cuts = dict(self.searched.cuts)
        found = given_cuts(self._decision, procedure, self._given_amounts())
        if self.decision is not None:  # the unknown facts', other given amounts substituted
            for name, values in single_fact_cuts(self.decision, procedure).items():
                found[name] = found.get(name, frozenset()) | values
        for name, values in found.items():
            cuts[name] = frozenset(cuts.get(name, ())) | values
        if cuts == self.searched.cuts:
            return False
        self.searched = replace(self.searched, cuts=cuts)
        self._decision = self._changeable = None
        self._open_to_search(procedure)
        return True

    def _given_amounts(self) -> dict:
        """{fact: its one plain value} of the given facts that are one number or date."""
        found = {}
        for name, rows in self.applicant.facts.items():
            spec = self.schema.get(name)
            if spec is not None and _one_amount(spec) and len(rows) == 1:
                (row,) = rows
                found[name] = condition_value(("const", row[0]), {})
        return found

    def _open_to_search(self, procedure: str) -> None:
        """The searching decision: the applicant with each given fact the search may change
        made unknown (its given value still a candidate), so that changing a given fact is
        a substitution in the diagrams, not another evaluation of the policy. `_kept`: the
        given values that a combination leaving such a fact alone puts back.

        It is asked only of `procedure`, so an unknown fact its status cannot depend on
        (not among `relevant`) is given no rows there: left unknown, its regions would
        multiply with the others' in every rule that reads it (three unknown amounts in
        one rule: 12^3 combinations). Made once per set of changeable and set-aside facts."""
        changeable = {spec.name for spec in self.relevant(procedure)} & set(self.applicant.facts)
        relevant = {spec.name for spec in self.relevant(procedure)}
        aside = {spec.name for spec in self.applicant.unknown} - relevant
        if self._decision is not None and self._changeable == (changeable, aside):
            return
        self._changeable = (changeable, aside)
        self._kept = {name: self.applicant.facts[name] for name in changeable}
        self._record_decisions = {}  # made from the searching decision replaced here
        if not changeable and not aside and self._main_is_searching():
            self._decision = self.decision
            return
        facts = {name: rows for name, rows in self.applicant.facts.items()
                 if name not in changeable}
        facts.update((name, set()) for name in aside)
        searching = replace(self.searched, facts=facts,
                            unknown=[s for s in self.applicant.unknown if s.name not in aside],
                            told_apart=frozenset(given_values(self.compiled, self.applicant)))
        self._decision = Decision(self.compiled, searching, reasons=False)

    def _tried(self, procedure: str, candidates: list, more=(), below=None) -> list:
        """The combinations of the smallest size that make it apply, trying each in turn
        (the search stops at the first size that has any, so each is minimal). With `more`
        (changes added after `candidates` alone found nothing), only the combinations
        with one of them are tried again; with `below`, only those of fewer changes."""
        self._open_to_search(procedure)
        candidates = candidates + list(more)
        required, added = self._required(procedure, candidates), {id(c) for c in more}
        found = []
        for size in _sizes(candidates, required):
            if below is not None and size >= below:
                break
            for combination in _combinations(candidates, size, required):
                if added and not any(id(c) in added for c in combination):
                    continue
                if self._search_applies(procedure, combination):
                    found.append(combination)
            if found:
                break
        if found and len(found[0]) > 1 and self._decision.representative_rows:
            return self._smallest(procedure, found, required)
        return found

    def _required(self, procedure: str, candidates: list) -> set:
        """The unknown facts every suggestion must give: one with a value under which the
        procedure applies in no completion (the given facts the search may change left
        open too). A suggestion leaving it unknown leaves that value possible, so it
        cannot make the procedure apply. A childcare subsidy needing a move-in date, an
        income, a nursery and no other benefit, all unknown, is searched among the
        combinations of those four only (_sizes); before, each of ~40,000 combinations of
        at most MAX_CHANGES facts was tried (evaluating those with several records:
        minutes), to say that none works."""
        unknown = {spec.name for spec in self.applicant.unknown}
        required = set()
        for change in candidates:
            if change.name in unknown and change.name not in required:
                rows = change_rows(self.schema[change.name], change.value)
                status = self._decision.status_under(procedure, {change.name: rows})
                if status in (NOT_APPLICABLE, BLOCKED):
                    required.add(change.name)
        return required

    def _smallest(self, procedure: str, found: list, required: set) -> list:
        """The smallest combinations inside those found that make it apply when evaluated.
        The searching decision can miss one when a list keeps one representative row per
        region there (a sum over such rows is left free): with the ages [4, 9] kept, `income
        <= 2899` alone makes a rent rule apply, which the search saw only with the ages
        changed to none."""
        for size in range(1, len(found[0])):
            inside = []  # in the order found (changes need not be hashable: lists)
            for combination in found:  # without a required fact none can apply
                inside += [sub for sub in itertools.combinations(combination, size)
                           if sub not in inside and required <= {c.name for c in sub}]
            applying = [sub for sub in inside if self.status(procedure, sub) == APPLIES]
            if applying:
                return applying
        return found

    def _merged(self, procedure: str, found: list) -> list:
        """Suggestions that differ only in the value of one open-typed fact become one, its
        change saying which values work (`age >= 18` rather than age = 18, age = 19, ...);
        those that differ only in the one record of a fact of records keep one record.
        Merged one fact at a time, so two open facts both become conditions. The widest
        first among those of one size: a suggestion standing for more of the combinations
        found ("income at most 2,000") before a narrow one ("income at most 2")."""
        weights = {}
        for combination in found:
            weights[tuple(combination)] = weights.get(tuple(combination), 0) + 1
        names = dict.fromkeys(c.name for combination in found for c in combination
                              if c.value != NONE and (self._is_open(c.name)
                                                      or self.schema[c.name].is_record))
        for name in names:
            weights = self._merged_on(name, weights)
        ranked = sorted(enumerate(weights.items()),
                        key=lambda item: (len(item[1][0]), -item[1][1], item[0]))
        return [suggestion for _, (suggestion, _) in ranked]

    def _merged_on(self, name: str, weights: dict) -> dict:
        """The suggestions that differ only in their change of `name` made one:
        {suggestion: how many combinations found it stands for}."""
        found, groups = list(weights), {}
        for combination in found:
            mine = [c for c in combination if c.name == name and c.value != NONE
                    and not c.condition]
            rest = frozenset(c for c in combination if c not in mine)
            groups.setdefault((rest, bool(mine)), []).append(combination)
        merged, values = {}, None

        def add(suggestion: tuple, weight: int) -> None:
            merged[suggestion] = merged.get(suggestion, 0) + weight

        for (rest, has_change), combinations in groups.items():
            weight = sum(weights[c] for c in combinations)
            if not has_change:
                for combination in combinations:
                    add(combination, weights[combination])
                continue
            working = [c for combination in combinations for c in combination
                       if c.name == name and c not in rest]
            if self.schema[name].is_record:  # one record that works stands for the others
                fewest = min(len(change_rows(self.schema[name], c.value)) for c in working)
                add(self._ordered(rest) + ([c for c in working if len(change_rows(
                    self.schema[name], c.value)) == fewest][-1],), weight)
                continue
            if values is None:  # the same for every group: made once
                values = [v for v in candidate_values(self.schema[name], self.compiled,
                                                      self.searched) if v != NONE]
            condition = describe([c.value for c in working], values, self.schema[name].type.name)
            add(self._ordered(rest) + (replace(working[0], condition=condition),), weight)
        return merged

    def _ordered(self, changes) -> tuple:
        """A set of changes in the schema's order of their facts (a set's own order varies
        from run to run, and so did the order of a suggestion's changes)."""
        order = {name: index for index, name in enumerate(self.schema)}
        return tuple(sorted(changes, key=lambda change: (order[change.name], repr(change.value))))

    def _is_open(self, name: str) -> bool:
        """An open-typed fact whose values that work can be worded from the regions that
        worked: its regions settle what the policy asks of it, or the search read every
        status of it for whole regions (the searching decision decides open conditions by
        their meaning). Else (a status evaluated for one value) it keeps its values."""
        spec = self.schema[name]  # records are not (their changes are single records)
        if spec.is_flag or spec.is_record or spec.type.name in FINITE:
            return False
        searched = (self._decision is not None or self._regions_read) \
            and name not in self._by_value
        return searched or name not in conditioned_facts(self.compiled)

    def hinges_on(self, procedure: str) -> list:
        """The given facts whose change (or absence) would stop the procedure applying."""
        hinges = []
        for spec in self.relevant(procedure):
            if spec.name not in self.applicant.facts:
                continue
            was = current_value(self.applicant, spec)
            changes = candidate_changes(self.applicant, [spec], self.compiled)
            if any(self.quick_status(procedure, [c]) != APPLIES for c in changes) and any(
                    self.status(procedure, [c]) != APPLIES for c in changes):
                hinges.append((spec.name, was))
        return hinges


def _string_places(spec) -> list:
    """The places of a fact of records' string arguments (none for any other fact): copies
    of a record are told apart there."""
    if not spec.is_record:
        return []
    return [i for i, p in enumerate(spec.declaration.params) if p.type.name in ("string", "any")]


def _copies(row: tuple, strings: list, count: int) -> tuple:
    """`count` records like `row`, the n-th with " n" added to its strings (n from 2)."""
    return tuple(row if n == 1 else tuple(f"{v} {n}" if i in strings else v
                                          for i, v in enumerate(row))
                 for n in range(1, count + 1))


def _one_amount(spec) -> bool:
    return not (spec.is_flag or spec.is_record or spec.holds_many) \
        and spec.type.name in ("integer", "decimal", "date")


def describe(working: list, values: list, kind: str) -> tuple:
    """The values of an open type that work, as comparisons (`>= 18`, `< 2.5 or >= 4`,
    `not "x"`), from the regions' representatives that worked (domains.py). A condition
    is ("any",), ("not", values) or ("or", alternatives), an alternative being the
    (operator, value) comparisons that all hold (() for any value); views word it."""
    if kind in ("string", "any"):
        others = [v for v in values[:-1] if v not in working]
        if values[-1] in working:  # "any other string" works
            return ("any",) if not others else ("not", tuple(others))
        return ("or", tuple(((("=", v),)) for v in working))
    flags = [v in working for v in values]
    parts, index = [], 0
    while index < len(values):
        if not flags[index]:
            index += 1
            continue
        end = index
        while end + 1 < len(values) and flags[end + 1]:
            end += 1
        parts.append(_run(values, index, end, kind))
        index = end + 1
    return ("or", tuple(parts))


def _run(values: list, first: int, last: int, kind: str) -> tuple:
    """The comparisons of one run of working regions, first..last (a decimal's regions
    alternate between points and the open intervals between them)."""
    lower = () if first == 0 else (((">=", values[first]),) if kind != "decimal" or first % 2 == 1
                                   else ((">", values[first - 1]),))
    upper = () if last == len(values) - 1 else (
        (("<=", values[last]),) if kind != "decimal" or last % 2 == 1
        else (("<", values[last + 1]),))
    if first == last and lower and lower[0][0] == ">=" and upper and upper[0][0] == "<=":
        return (("=", values[first]),)
    return lower + upper


def _sizes(candidates: list, required: set) -> list:
    """The sizes of combination to try: from the facts every suggestion must give up to
    MAX_CHANGES; when at least MAX_CHANGES facts must all be given, also those facts alone
    and with one more, if such combinations are at most MAX_REQUIRED (every fact in them
    but one must change, so there are few). A subsidy needing a move-in date, an income, a nursery and no other
    benefit: one suggestion of four changes, where the cap said only that no change of at
    most 3 facts makes it apply."""
    sizes = list(range(len(required) or 1, MAX_CHANGES + 1))
    if len(required) >= MAX_CHANGES:  # past the cap: those facts, or those and one more
        sizes += [size for size in (len(required), len(required) + 1) if size > MAX_CHANGES
                  and _count(candidates, size, required) <= MAX_REQUIRED]
    return sizes


def _count(candidates: list, size: int, required: set) -> int:
    """How many combinations _combinations(candidates, size, required) makes."""
    counts = {}
    for change in candidates:
        counts[change.name] = counts.get(change.name, 0) + 1
    return sum(math.prod(counts[name] for name in names)
               for names in itertools.combinations(counts, size) if required <= set(names))


def _combinations(candidates: list, size: int, required: set) -> list:
    """The combinations of `size` changes of as many different facts, among them every
    fact in `required`, in the order itertools.combinations gives them (the order found
    decides which suggestions come first). Made a fact at a time, not by filtering every
    combination of the candidates: ~8 million of them when 60 candidates go by threes."""
    places = {}
    for index, change in enumerate(candidates):
        places.setdefault(change.name, []).append(index)
    chosen = []
    for names in itertools.combinations(places, size):
        if required <= set(names):
            chosen += [tuple(sorted(indexes))
                       for indexes in itertools.product(*(places[name] for name in names))]
    return [tuple(candidates[i] for i in indexes) for indexes in sorted(chosen)]

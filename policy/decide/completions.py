"""Exact answers over every completion of an applicant's unknown facts.

A *completion* gives every unknown fact a value its declaration allows
(domains.py). The policy is evaluated once with lineage (engine/lineage.py):
each atom that holds in some completion comes with a decision diagram of the
completions where it holds. From those, for each procedure:

- `applies` when it applies in every completion, `blocked` when it is blocked
  in every completion, `not_applicable` when it applies in none and is blocked
  in none, `undetermined` otherwise;
- its deciding facts: exactly the unknown facts f such that two completions
  that differ only in f give it different statuses.

In one completion a procedure applies when it is eligible and every milestone
it needs is reached (achieved, or provided by a procedure that applies, to a
fixpoint); it is blocked when eligible and not so; else not applicable.

This module is the API the plan, explanations, batches and the interview use:
`decide(compiled, applicant)` gives a `Decision`.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass, field

from policy.decide.deciding import deciding_facts  # noqa: F401 (also its home for callers)
from policy.decide.domains import constraint
from policy.decide.open_checks import OpenChecks
from policy.decide.lineage_model import (declare, lineage_model, static_rows, symbolic_of,
                                         unknown_domains, variable_owners)
from policy.engine.diagrams import manager_for
from policy.engine.lineage_aggregates import TooManySums
from policy.engine.lineage import inward_row, outward_row
from policy.inputs.applicant import Applicant, fact_schema
from policy.values import to_engine, to_python

APPLIES, BLOCKED, UNDETERMINED, NOT_APPLICABLE = "applies", "blocked", "undetermined", "not_applicable"


@dataclass
class Outcome:
    """One procedure's answer: status, deciding facts and the formulas behind them."""

    id: str
    status: str
    missing: list = field(default_factory=list)  # deciding unknown facts, schema order
    blocked_by: list = field(default_factory=list)
    applies: object = None  # formula: completions where it applies
    blocked: object = None  # formula: completions where it is blocked
    eligible: object = None


class Decision:
    """Every procedure's outcome for one applicant, and the lineage they come from."""

    def __init__(self, compiled, applicant, decide_procedures: bool = True,
                 engine: str = "pydatalog", reasons: bool = True):
        self.compiled, self.applicant, self.engine = compiled, applicant, engine
        self.reasons = reasons  # deciding facts and blocking milestones (a status alone: no)
        self.bdd = manager_for(compiled)
        schema = fact_schema(compiled.program)
        self.schema = {spec.name: spec for spec in schema}
        known = engine == "duckdb" and all(spec.name in applicant.facts for spec in schema)
        symbolic = None if known else symbolic_of(compiled, engine)
        if known:  # nothing unknown: the whole model is one evaluation on DuckDB
            self._symbolic, self.domains, self._given = None, {}, {}
            self._raw = known_model(compiled, applicant, self.bdd)
        elif symbolic is not None and set(applicant.facts) <= set(symbolic.domains):
            self.domains = {name: domain for name, domain in symbolic.domains.items()
                            if name not in applicant.facts}
            self._raw = symbolic.model
            self._given = symbolic.assignment(applicant.facts, self.bdd)
            self._symbolic = symbolic
        else:
            self._symbolic = None
            self._raw = self._evaluated(schema)
            self._given = {}
        self._restricted = {}
        self._inward = {}  # fact -> {inward row: candidate variable} (_assignment)
        self._lets = {}  # (formula key, (fact, rows)...) -> substituted formula (_let_facts)
        self._one = {}  # (fact, rows) -> its assignment (_one_assignment)
        self.fact_constraint = {name: constraint(d, self.bdd) for name, d in self.domains.items()}
        self.constraint = self.bdd.true
        for formula in self.fact_constraint.values():
            self.constraint &= formula
        self._others = {}
        self._owner = None  # variable -> fact, made on first use
        checks = OpenChecks(self)  # the exact check of open conditions, when there are any
        self._open = checks if checks.active() else None
        self.outcomes = {}
        if decide_procedures:
            self._decide_procedures()

    def _evaluated(self, schema) -> dict:
        """The lineage model over the unknown facts' domains (set as self.domains). A sum
        over the symbolic rows of unknown lists (exact, list_rows.py) can take more values
        than a sum may (MAX_PARTIAL_SUMS; a what-if search that makes a given list unknown
        cuts it at every given value too): the lists then keep one representative row per
        region, sound as before they had symbolic rows, rather than refuse the applicant."""
        for exact in (True, False):
            self.domains = unknown_domains(self.compiled, self.applicant, schema, exact)
            declare(self.bdd, self.domains)
            try:
                return lineage_model(self.compiled, self.applicant, self.domains, self.bdd,
                                     engine=self.engine)
            except TooManySums:
                if not exact or not any(domain.chains for domain in self.domains.values()):
                    raise

    @property
    def representative_rows(self) -> bool:
        """Whether an unknown list or fact of records keeps one representative row per open
        region (sound, not exact: a sum or comparison over such rows is left free)."""
        return any(not d.exactly_one and d.open_type and not d.chains
                   for d in self.domains.values())

    @property
    def lineage(self) -> dict:
        """{predicate: {row: formula}} with the applicant's given facts substituted."""
        for name in self._raw:
            self.rows_of(name)
        return self._restricted

    def rows_of(self, predicate: str) -> dict:
        """{row: formula} of one predicate for this applicant (rows in lineage values)."""
        found = self._restricted.get(predicate)
        if found is None:
            raw = self._raw.get(predicate, {})
            if self._given:
                false, let = self.bdd.false, self.bdd.let
                found = {}
                for row, formula in raw.items():
                    formula = let(self._given, formula) if formula != self.bdd.true else formula
                    if formula != false:
                        found[row] = formula
            else:
                found = raw
            self._restricted[predicate] = found
        return found

    # -- formulas ------------------------------------------------------------
    def formula(self, predicate: str, row: tuple):
        """The completions where the atom holds (false when it holds in none)."""
        return self.rows_of(predicate).get(inward_row(row), self.bdd.false)

    def certain(self, formula) -> bool:
        return self._none(self.constraint & ~formula)

    def possible(self, formula) -> bool:
        return not self._none(self.constraint & formula)

    def models(self, predicates=None) -> tuple:
        """(certain, possible) models in Python values: what holds in every completion, and
        in some; exact, not the approximation of certain/possible copies."""
        names = predicates if predicates is not None else list(self.compiled.predicates)
        certain, possible = {}, {}
        static = static_rows(self.compiled, self.engine)
        for name in names:
            if name in static:  # the same for everyone, and known
                certain[name] = possible[name] = self.compiled.static_model_on(self.engine)[name]
                continue
            rows = self.rows_of(name)
            certain[name], possible[name] = set(), set()
            for row, formula in rows.items():
                python = tuple(to_python(v) for v in outward_row(row))
                if self.possible(formula):
                    possible[name].add(python)
                    if self.certain(formula):
                        certain[name].add(python)
        return certain, possible

    def depends_on(self, name: str, formula) -> bool:
        """Whether two completions differing only in fact `name` disagree on `formula`."""
        return name in self.deciding(formula) if name in self.domains else False

    def deciding(self, *formulas) -> list:
        """The unknown facts (schema order) on which some of the formulas depend: f such that
        two completions differing only in f disagree on one of them. Only facts in the
        formulas' support can, and only their constraints matter (the others' hold apart)."""
        if self._owner is None:
            self._owner = variable_owners(self.domains, self.compiled)
        found = deciding_facts(self.bdd, self.domains, self.fact_constraint, formulas, self._owner)
        return self._open.deciding(found, formulas) if self._open is not None else found

    # -- procedures ------------------------------------------------------------
    def _decide_procedures(self) -> None:
        base = self._symbolic_procedures()
        if base is None:
            procedures, needs, eligible, ready, self.reached = self._fixpoint()
        elif not self._given:  # nothing substituted: the policy's own formulas
            procedures, needs, eligible, ready, self.reached = base
        else:  # substituting commutes with the operations the fixpoint made
            procedures, needs, eligible, ready, reached = base
            let = self.bdd.let
            eligible = {p: let(self._given, f) for p, f in eligible.items()}
            ready = {p: let(self._given, f) for p, f in ready.items()}
            self.reached = {m: let(self._given, f) for m, f in reached.items()}
        for p in procedures:
            self.outcomes[p] = self._outcome(p, eligible[p], ready[p], needs.get(p, ()))

    def _symbolic_procedures(self):
        """(procedures, needs, eligible, ready, reached) of the policy's Symbolic compile,
        worked out once per policy, when it has one and its procedures, needs and provides
        are the same for everyone (else None: each applicant runs the fixpoint)."""
        symbolic = self._symbolic
        if symbolic is None:
            return None
        if "procedures" not in symbolic.__dict__:
            nobody = self
            if self._given or len(self.domains) != len(symbolic.domains):
                nobody = Decision(self.compiled, Applicant(name="", file="", facts={}, unknown=[]),
                                  decide_procedures=False, engine=self.engine)
            true = self.bdd.true
            static = all(f == true for name in ("procedure", "needs", "provides")
                         for f in symbolic.model.get(name, {}).values())
            symbolic.procedures = nobody._fixpoint() if static else None
        return symbolic.procedures

    def _fixpoint(self) -> tuple:
        """Milestones reached and procedures ready, to a fixpoint over the formulas."""
        false = self.bdd.false
        procedures = sorted(p for (p, _) in self._rows("procedure"))
        eligible = {p: self.formula("eligible", (p,)) for p in procedures}
        needs = {}
        for (p, m), formula in self._rows("needs").items():
            needs.setdefault(p, []).append((m, formula))
        provides = {}
        for (p, m), formula in self._rows("provides").items():
            provides.setdefault(m, []).append((p, formula))
        reached = {m: f for (m,), f in self._rows("achieved").items()}
        ready = {}
        changed = True
        while changed:
            changed = False
            ready = {p: self._ready(needs.get(p, ()), reached) for p in procedures}
            for milestone, providers in provides.items():
                new = reached.get(milestone, false)
                for p, formula in providers:
                    new |= formula & eligible.get(p, false) & ready.get(p, false)
                if new != reached.get(milestone, false):
                    reached[milestone] = new
                    changed = True
        return procedures, needs, eligible, ready, reached

    def _rows(self, predicate: str) -> dict:
        true = self.bdd.true
        return {outward_row(row): formula for row, formula in self.rows_of(predicate).items()
                if formula == true or self.possible(formula)}

    def _ready(self, needs, reached):
        formula = self.bdd.true
        for milestone, needed in needs:
            formula &= ~needed | reached.get(milestone, self.bdd.false)
        return formula

    def _outcome(self, pid: str, eligible, ready, needs) -> Outcome:
        applies, blocked = eligible & ready, eligible & ~ready
        if self.certain(applies):
            status = APPLIES
        elif self.certain(blocked):
            status = BLOCKED
        elif not self.possible(applies | blocked):
            status = NOT_APPLICABLE
        else:
            status = UNDETERMINED
        outcome = Outcome(pid, status, applies=applies, blocked=blocked, eligible=eligible)
        if not self.reasons:
            return outcome
        if status == UNDETERMINED:
            outcome.missing = self._missing(pid, applies, blocked)
        if status in (BLOCKED, UNDETERMINED):
            outcome.blocked_by = self._blocked_by(eligible, needs)
        return outcome

    def _missing(self, pid: str, applies, blocked) -> list:
        """The deciding facts of an undetermined procedure. With the Symbolic compile, from
        the policy's dependence formulas (Symbolic.dependence): fact f decides when, with
        the given facts substituted, its formula holds in some completion."""
        if self._symbolic is None or self._symbolic.procedures is None:
            return self.deciding(applies, blocked)
        false, let, given = self.bdd.false, self.bdd.let, self._given
        found = []
        for name, dependence, reads in self._symbolic.dependence(pid, self.bdd):
            if name not in self.domains:
                continue
            if given and not reads.isdisjoint(self.applicant.facts):
                dependence = let(given, dependence)
            if (self.constraint & dependence) != false:
                found.append(name)
        return found

    def status_with(self, pid: str, name: str, rows) -> str:
        """The procedure's status were the unknown fact `name` given as `rows` (the other
        unknown facts left open): its diagrams with the fact's variables substituted.
        None when a row is not one of the fact's candidates."""
        return self.status_under(pid, {name: rows})

    def status_under(self, pid: str, facts: dict, none=None) -> str:
        """status_with for several unknown facts at once ({fact: rows}). A row of an open
        type stands for its region: with open conditions that can be less than the
        status of that one value (which a what-if then checks by evaluating). `none`:
        the check that no completion satisfies a formula (range_status.py bounds a
        value to a part of its region); the decision's own by default."""
        formulas = self.status_formulas(pid, facts)
        return None if formulas is None else status_from(*formulas, none or self._none)

    def status_formulas(self, pid: str, facts: dict):
        """(rest: the constraint, applies, blocked) with the unknown facts `facts` ({fact:
        rows}) substituted, or None as in _assignment: what status_from reads (made once
        for all the parts of a region, range_status.py)."""
        assignment = self._assignment(facts)
        if assignment is None:
            return None
        outcome, let = self.outcomes[pid], self.bdd.let
        return (let(assignment, self.constraint), let(assignment, outcome.applies),
                let(assignment, outcome.blocked))

    def applies_under(self, pid: str, facts: dict):
        """Whether status_under(pid, facts) is APPLIES (None when it would be None), with
        fewer checks: a search asks this of every combination it tries."""
        applies = self._let_facts((pid, "applies"), self.outcomes[pid].applies, facts)
        if applies is None:
            return None
        rest = self._let_facts(("constraint",), self.constraint, facts)
        if applies == self.bdd.false:
            return False if not self._none(rest) else None
        if not self._none(rest & ~applies):  # a completion where it does not apply
            return False
        return None if self._none(rest) else True

    def _let_facts(self, key: tuple, formula, facts: dict):
        """`formula` with the facts substituted one at a time (None as in _assignment),
        each step remembered: the combinations a search tries share their first changes
        (itertools.combinations), so most substitutions start from a smaller diagram
        already substituted, instead of the whole one."""
        prefix = key
        for name in sorted(facts):
            prefix = prefix + ((name, frozenset(facts[name])),)
            found = self._lets.get(prefix)
            if found is None:
                assignment = self._one_assignment(name, prefix[-1][1])
                if assignment is None:
                    return None
                found = self._lets[prefix] = self.bdd.let(assignment, formula)
            formula = found
        return formula

    def _one_assignment(self, name: str, rows: frozenset):
        """_assignment of one fact, made once per set of rows (a search gives each of a
        fact's few candidates in hundreds of combinations)."""
        key = (name, rows)
        if key not in self._one:
            self._one[key] = self._assignment({name: rows})
        return self._one[key]

    def _assignment(self, facts: dict):
        """{candidate variable: bool} giving each fact exactly `facts[name]` (rows among its
        candidates), or None when a fact is not unknown here or a row is not a candidate."""
        assignment = {}
        for name, rows in facts.items():
            domain = self.domains.get(name)
            if domain is None:
                return None
            given = {inward_row(row) for row in rows}
            inward = self._inward_candidates(name, domain)
            if not given <= inward.keys():
                return None
            assignment.update({variable: row in given for row, variable in inward.items()})
            for chain in domain.chains:  # n rows of a region: its first n symbolic rows
                held = sum(assignment[domain.candidates[i][1]] for i in chain)
                assignment.update({domain.candidates[i][1]: n < held
                                   for n, i in enumerate(chain)})
        return assignment

    def _inward_candidates(self, name: str, domain) -> dict:
        """{inward row: its candidate variable} of an unknown fact, made once: a what-if
        search asks _assignment of hundreds of combinations."""
        found = self._inward.get(name)
        if found is None:
            found = self._inward[name] = {inward_row(row): variable
                                          for row, variable in domain.candidates}
        return found

    def _none(self, formula) -> bool:
        """No completion satisfies the formula (open conditions checked by their meaning)."""
        return formula == self.bdd.false or (self._open is not None and self._open.none(formula))

    def _blocked_by(self, eligible, needs) -> list:
        """Milestones it needs that are never reached when it is eligible (for a blocked
        procedure, else those not reached in some completion where it is eligible)."""
        when = self.constraint & eligible
        never = [m for m, _ in needs if self._none(when & self.reached.get(m, self.bdd.false))]
        if never or not self.possible(eligible):
            return sorted(set(never))
        return sorted({m for m, _ in needs
                       if not self._none(when & ~self.reached.get(m, self.bdd.false))})

    # -- the interview's questions ----------------------------------------------
    def open_facts(self) -> dict:
        """{unknown fact: [procedures whose status it can still change]}, facts that can
        change none left out; ordered by how many procedures each can settle."""
        found = {}
        for outcome in self.outcomes.values():
            for name in outcome.missing:
                found.setdefault(name, []).append(outcome.id)
        order = list(self.domains)
        return dict(sorted(found.items(), key=lambda item: (-len(item[1]), order.index(item[0]))))

    def clauses(self, name: str) -> list:
        """The rules (their @ids) that fact `name` can decide: a rule whose instances hold
        under formulas that depend on it, among the rules the undetermined procedures
        read."""
        found = []
        for rule, formula in self.rule_formulas.items():
            if rule.rule_id not in found and self.depends_on(name, formula):
                found.append(rule.rule_id)
        return found

    @functools.cached_property
    def rule_formulas(self) -> dict:
        """{ast rule: formula of the completions where some instance of it holds}
        (one more evaluation, made on first use)."""
        found = {}
        lineage_model(self.compiled, self.applicant, self.domains, self.bdd, found, self.engine)
        return {rule: formula for rule, formula in found.items() if getattr(rule, "rule_id", None)}


def status_from(rest, applies, blocked, none) -> str:
    """The status of a procedure from its formulas (Decision.status_formulas), None when
    no completion satisfies `rest`; `none(formula)`: no completion satisfies it. `rest`
    itself is asked only when nothing else shows a completion (each formula asked lies
    within rest): a check fewer for most values."""
    if none(rest & ~applies):
        return None if none(rest) else APPLIES  # None: not a value the fact can take
    if none(rest & ~blocked):
        return BLOCKED
    return NOT_APPLICABLE if none(rest & (applies | blocked)) else UNDETERMINED


def decide(compiled, applicant, engine: str = "pydatalog") -> Decision:
    """The exact outcome of every procedure for the applicant (see the module docstring).
    `engine` evaluates the lowered program where the decision needs a plain evaluation:
    the static predicates, and with "duckdb" an applicant who gives every fact."""
    return Decision(compiled, applicant, engine=engine)


def status_of(compiled, applicant, procedure: str) -> str:
    """One procedure's exact status, without its deciding facts (what a what-if search
    tries many times)."""
    return Decision(compiled, applicant, reasons=False).outcomes[procedure].status


def known_model(compiled, applicant, bdd) -> dict:
    """The lineage of an applicant who gives every fact, from DuckDB's evaluation of the
    plain program: each row of the model holds in the one completion (formula true)."""
    model = compiled.evaluate(applicant.facts, engine="duckdb")
    true = bdd.true
    return {name: {inward_row(tuple(to_engine(v) for v in row)): true for row in rows}
            for name, rows in model.items()}

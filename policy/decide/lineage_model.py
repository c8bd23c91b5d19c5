"""The lineage model of a policy for one applicant, and the policy's Symbolic compile.

The unknown facts' domains (open types cut into regions at the policy's constants,
domains.py), the policy evaluated once over them with lineage (engine/lineage.py), and,
for a policy whose facts are all finite, that evaluation made once with every fact
unknown (Symbolic): an applicant's lineage is then the same diagrams with the given
facts substituted. completions.py decides from these.
"""
from __future__ import annotations

import functools
import threading

from policy.analysis.cache import analysis
from policy.decide.argument_constants import argument_constants
from policy.decide.list_rows import row_copies, sums_rows
from policy.decide.domains import FINITE, candidate_facts, constraint, domain_of, model_values
from policy.engine.diagrams import manager_for
from policy.engine.lineage import LineageEvaluator, inward_row
from policy.errors import PolicyError
from policy.inputs.applicant import Applicant, fact_schema
from policy.inputs.facts import engine_facts
from policy.limits import current as current_limits


def variable_owners(domains: dict, compiled=None) -> dict:
    """{variable: (facts it belongs to)}: a candidate's fact, and for an open condition
    (engine/open_conditions.py) the facts of `domains` whose values it compares."""
    owners = {variable: (name,) for name, domain in domains.items()
              for variable in domain.variables}
    if compiled is not None:
        for variable, facts in list(_evaluator(compiled).conditions.owners.items()):
            mine = tuple(name for name in domains if name in facts)
            if mine:
                owners[variable] = mine
    return owners



def condition_registry(compiled):
    """The policy's open conditions (engine/open_conditions.Conditions)."""
    return _evaluator(compiled).conditions


def conditioned_facts(compiled) -> frozenset:
    """The facts some open condition of the policy's evaluations so far belongs to: their
    regions do not settle everything the policy asks of them (engine/open_conditions.py)."""
    return frozenset(name for facts in list(_evaluator(compiled).conditions.owners.values())
                     for name in facts)


def unknown_domains(compiled, applicant, schema, exact_lists: bool = True) -> dict:
    """The domain of every fact the applicant did not give (open types: their regions, told
    apart at the constants of the policy each argument can meet, the applicant's values and
    its cuts). Without `exact_lists`, an unknown list keeps one representative row per
    region (sound, not exact) even where list_rows.py would give it symbolic rows."""
    domains, given = {}, None
    for index, spec in enumerate(schema):
        if spec.name in applicant.facts:
            continue
        pool = ()
        if not spec.is_flag and spec.type.name not in FINITE:
            if given is None:
                given = given_values(compiled, applicant)
            pool = fact_pool(compiled, applicant, spec, given)
        alone = all(other.name in applicant.facts for other in schema if other is not spec)
        copies = None
        if spec.holds_many and exact_lists:
            if sums_rows(compiled, spec.name):  # the sum class's regions: cut at 0 too
                # and not at the applicant's other values: its rows meet constants only
                # (summed_rows.py), while a cut at a given limit of 252 made a region of
                # 247 integers, past the rows a region may have (no longer exact). Those
                # told apart stay: a what-if search keeps the given list among its candidates
                pool = set(fact_pool(compiled, applicant, spec, applicant.told_apart)) | {0}
            copies = row_copies(compiled, spec.name, alone, spec.type.name, pool,
                                applicant.facts)
        domains[spec.name] = domain_of(spec, index, pool, copies)
    return domains


def fact_pool(compiled, applicant, spec, given=None):
    """The values an unknown open-typed fact is told apart at: for a valued fact one set,
    for a fact of records one per argument (domains.domain_of takes either). Its argument's
    constants of the policy (argument_constants.py), the applicant's values, and the cuts
    for it; the what-if search's candidates are these same values."""
    given = given_values(compiled, applicant) if given is None else given
    cuts = set(applicant.cuts.get(spec.name, ()))
    if spec.is_record:  # each argument's kind: representatives() picks per kind
        return [set(argument_constants(compiled, spec.name, i)) | given | cuts
                for i in range(len(spec.declaration.params))]
    return {c for c in argument_constants(compiled, spec.name, 0) | given | cuts
            if fits(spec, c)}


def declare(bdd, domains: dict) -> None:
    for domain in domains.values():
        missing = [v for v in domain.variables if v not in bdd.vars]
        if missing:
            bdd.declare(*missing)


class Symbolic:
    """The policy evaluated once with every applicant fact unknown (a finite schema only:
    yes/no, boolean and enum facts): an applicant's lineage is then this one with the
    facts they gave substituted, and nothing is evaluated per applicant."""

    def __init__(self, compiled, bdd, schema, engine: str = "pydatalog"):
        self._dependence = {}
        self.domains = {spec.name: domain_of(spec, index) for index, spec in enumerate(schema)}
        declare(bdd, self.domains)
        nobody = Applicant(name="", file="", facts={}, unknown=list(schema))
        self.model = lineage_model(compiled, nobody, self.domains, bdd, engine=engine)

    def dependence(self, pid: str, bdd) -> list:
        """[(fact, formula, facts it reads)] for the facts a procedure's status can depend
        on (schema order): the formula holds for the values of the *other* facts under
        which two values of this fact give different statuses (exists f. C_f & F, and
        exists f. C_f & ~F, for F the completions where it applies and where it is
        blocked). Made once per policy and procedure; for an applicant, fact f decides
        exactly when the formula, their given facts substituted, holds in a completion."""
        found = self._dependence.get(pid)
        if found is None:
            _, _, eligible, ready, _ = self.procedures
            formulas = (eligible[pid] & ready[pid], eligible[pid] & ~ready[pid])
            support = bdd.support(formulas[0]) | bdd.support(formulas[1])
            owner = variable_owners(self.domains)
            found = []
            for name, domain in self.domains.items():
                if not domain.variable_set & support:
                    continue
                own, dependence = constraint(domain, bdd), bdd.false
                for formula in formulas:
                    dependence |= (bdd.exist(domain.variables, own & formula)
                                   & bdd.exist(domain.variables, own & ~formula))
                if dependence != bdd.false:
                    reads = frozenset(name for v in bdd.support(dependence)
                                      for name in owner[v])
                    found.append((name, dependence, reads))
            self._dependence[pid] = found
        return found

    def assignment(self, facts: dict, bdd) -> dict:
        """{variable: True/False} that the given facts fix."""
        values = {}
        for name, rows in facts.items():
            domain = self.domains.get(name)
            if domain is None:
                continue
            given = {inward_row(row) for row in rows}
            for row, variable in domain.candidates:
                values[variable] = inward_row(row) in given
        return values


def symbolic_of(compiled, engine: str = "pydatalog"):
    """The policy's Symbolic compile in this manager, or None when the schema has an open
    type, facts outside the schema could be given, or the compile fails (then every
    applicant is evaluated with its own unknowns). `engine` evaluates its static rows."""
    return _symbolic_under(compiled, threading.get_ident(), current_limits().max_facts, engine)


@analysis
def _symbolic_under(compiled, _thread, _max_facts, engine="pydatalog"):
    """_symbolic in this thread's manager, once per fact limit (it fits the limit it was
    made under) and engine."""
    bdd = manager_for(compiled)
    schema = fact_schema(compiled.program)
    finite = all(spec.is_flag or spec.type.name in FINITE for spec in schema)
    try:
        return Symbolic(compiled, bdd, schema, engine) if finite else None
    except PolicyError:
        return None


def fits(spec, value) -> bool:
    """Whether `value` is one a fact of this declaration can take (floats never: they
    are the engine's, not an applicant's)."""
    if isinstance(value, float):
        return False
    try:
        return _fits(spec.type, type(value), value)
    except TypeError:  # not hashable: checked afresh
        return _fits.__wrapped__(spec.type, type(value), value)


@functools.lru_cache(maxsize=4096)
def _fits(param_type, kind, value) -> bool:
    """Remembered per type and value: a what-if search asks of every constant of the
    policy for every fact, many times over. (`kind` keeps 1 and True apart.)"""
    from policy.analysis.checks import value_fits
    return not value_fits(value, param_type)


def given_values(compiled, applicant) -> set:
    """The applicant's given values, and those it is told to keep apart (told_apart): an
    unknown value is told apart at them as at its argument's constants."""
    return model_values({name: engine_facts(compiled, {name: rows})[name]
                         for name, rows in applicant.facts.items()}) | applicant.told_apart


@analysis
def _evaluator(compiled) -> LineageEvaluator:
    return LineageEvaluator(compiled.lowered)


def lineage_model(compiled, applicant, domains: dict, bdd, rule_formulas=None,
                  engine: str = "pydatalog") -> dict:
    """The lineage model: given facts hold always, each unknown's candidates under their
    variable; the static predicates' rows (the same for every applicant, evaluated by
    `engine`) hold always."""
    true = bdd.true
    facts = {name: {inward_row(row): true for row in rows}
             for name, rows in engine_facts(compiled, applicant.facts).items()}
    static = static_rows(compiled, engine)
    for name, rows in static.items():
        facts[name] = dict.fromkeys(rows, true)
    for name, domain in domains.items():
        facts[name] = candidate_facts(domain, bdd)
    return _evaluator(compiled).evaluate(bdd, facts, frozenset(static), rule_formulas)


def static_rows(compiled, engine: str = "pydatalog") -> dict:
    """{static predicate: rows in lineage values}, once per policy and engine ({} when the
    static facts cannot be evaluated: then everything is evaluated per applicant)."""
    return _static_rows(compiled, engine)


@analysis
def _static_rows(compiled, engine) -> dict:
    try:
        return {name: [inward_row(row) for row in rows]
                for name, rows in compiled.static_engine_model_on(engine).items()}
    except PolicyError:
        return {}

"""A batch on DuckDB: the statuses of a block of situations in one set-at-a-time evaluation.

The certain/possible program runs over every situation of a block at once
(engine/population.py); where that approximation decides every procedure the status is
exact, and any other situation is decided on its own, exactly (batch.plan_statuses), so
both engines write the same records.
"""
from __future__ import annotations

import functools

from policy.decide.completions import APPLIES, UNDETERMINED
from policy.errors import Failed, PolicyError
from policy.inputs.applicant import fact_schema
from policy.tools.batch import _applicant, _Done, goal_predicates, plan_statuses


def lifted_submit(compiled):
    """`submit` for an Evaluator on DuckDB: the statuses of many situations at once."""
    return functools.partial(submit_lifted, compiled)


def submit_lifted(compiled, many: list) -> "_Done":
    """The exact statuses of many situations: those the DuckDB approximation decides
    (lifted_statuses), and each other situation decided exactly on its own (plan_statuses,
    which also gives its error, if any)."""
    return _Done([statuses if statuses is not None else plan_statuses(compiled, facts)
                  for facts, statuses in zip(many, lifted_statuses(compiled, many))])


def lifted_statuses(compiled, many: list) -> list:
    """{procedure: status} of each situation, or None where it is not decided this way.

    One set-at-a-time evaluation of the certain/possible program (engine/population.py)
    over every situation, each unknown fact possibly any candidate of its exact domain
    (completions.py). A status this approximation decides is the exact one: what is
    certain holds in every completion, what is not possible holds in none. A situation
    with a status it leaves undetermined (a case analysis may still decide it), or whose
    evaluation failed, gets None. So does one with an unknown number, date or string
    and a status other than `applies`: the possible model is made from the regions'
    representatives, which do not show every outcome of two unknown values compared
    or added (engine/open_values.py), so "not possible" is not proof there; "certain" is.
    """
    from policy.decide.lineage_model import unknown_domains
    from policy.decide.plan import statuses_from_models
    from policy.engine.population import evaluate_situations

    schema = fact_schema(compiled.program)
    situations, open_unknown = [], []
    for facts in many:
        try:
            domains = unknown_domains(compiled, _applicant(compiled, facts), schema)
        except PolicyError:
            domains = {}  # its own exact evaluation says what is wrong
        situations.append((facts, {name: {row for row, _ in domain.candidates}
                                   for name, domain in domains.items()}))
        open_unknown.append(any(domain.open_type for domain in domains.values()))
    found = []
    for models, is_open in zip(evaluate_situations(compiled, situations,
                                                   goal_predicates(compiled)), open_unknown):
        statuses = None
        if not isinstance(models, Failed):
            try:
                certain, possible = ({**compiled.static_model, **model} for model in models)
                statuses = statuses_from_models(compiled, certain, possible)
            except PolicyError:
                statuses = None
        if statuses is not None and is_open and set(statuses.values()) != {APPLIES}:
            statuses = None
        found.append(None if statuses is None or UNDETERMINED in statuses.values() else statuses)
    return found

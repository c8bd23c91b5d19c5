"""The DuckDB engine against the exact decision, on the property tests' random policies.

`test_completions_reference.py` checks `decide` (statuses and deciding facts)
against brute-force enumeration of every completion. Here the same random
policies (yes/no facts, an enum, an integer compared with constants, negation,
helpers, milestones between procedures) and random populations go through the
DuckDB side: every status the lifted certain/possible evaluation decides must
be decide's status, a population's batch statuses must be decide's for every
applicant, and with every fact known the DuckDB model must be pyDatalog's.
Deciding facts are not compared: the DuckDB path computes none (a row it
cannot decide is decided, deciding facts and all, by `decide`).
"""
from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import policy
from policy.decide.plan import procedure_statuses
from policy.inputs.applicant import MappingReader, applicant_from_mapping, fact_schema
from policy.tools.batch_lifted import lifted_statuses, submit_lifted
from tests.decide.test_completions_reference import (UNKNOWN, applicants, domain, facts_of,
                                                     programs)

SETTINGS = settings(max_examples=30, deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def population_facts(compiled, population: list) -> list:
    reader = MappingReader(fact_schema(compiled.program), "population")
    return [reader.facts({k: v for k, v in given.items() if v is not UNKNOWN}, line)
            for line, given in enumerate(population, 1)]


def exact(compiled, given: dict) -> dict:
    mapping = {name: value for name, value in given.items() if value is not UNKNOWN}
    applicant = applicant_from_mapping({"applicant": "t", **mapping},
                                       fact_schema(compiled.program), "t", 1)
    return procedure_statuses(compiled, applicant)


@SETTINGS
@given(programs(), st.lists(applicants, min_size=1, max_size=5))
def test_what_duckdb_decides_is_the_exact_status(text, population):
    compiled = policy.compile_text(text)
    many = population_facts(compiled, population)
    approximate = lifted_statuses(compiled, many)
    batch = submit_lifted(compiled, many).get()
    for given_values, decided, statuses in zip(population, approximate, batch):
        wanted = exact(compiled, given_values)
        assert statuses == wanted, text
        assert decided is None or decided == wanted, text


@SETTINGS
@given(programs(), st.fixed_dictionaries({name: st.sampled_from(domain(name))
                                          for name in ("x0", "x1", "x2", "e", "n")}))
def test_with_every_fact_known_duckdb_gives_pydatalogs_model(text, values):
    compiled = policy.compile_text(text)
    facts = facts_of(values)
    assert compiled.evaluate(facts, engine="duckdb") == compiled.evaluate(facts), text


def test_the_approximation_decides_most_rows_and_leaves_case_analysis_to_decide():
    """Not vacuous: rows with every fact given, and a row with an unknown fact that matters
    to nothing it decides, are decided by DuckDB; a status only a case analysis decides is
    left to `decide`."""
    text = ("input x0.\ninput x1.\ninput x2.\ninput e(v: enum(a, b, c)).\ninput n(v: integer).\n"
            "procedure(p0, must).\nprocedure(p1, must).\nprocedure(p2, must).\n"
            "provides(p0, m0).\nprovides(p1, m0).\nneeds(p2, m0).\nprovides(p2, m2).\n"
            "eligible(p0) :- x0.\neligible(p1) :- not x0.\neligible(p2) :- x1, n(V), V > 2.\n")
    compiled = policy.compile_text(text)
    known = {"x0": True, "x1": True, "x2": False, "e": "a", "n": 3}
    population = [known, {**known, "x2": UNKNOWN}, {**known, "x0": UNKNOWN}]
    decided = lifted_statuses(compiled, population_facts(compiled, population))
    assert decided[0] == decided[1] == {"p0": "applies", "p1": "not_applicable", "p2": "applies"}
    assert decided[2] is None  # p0 and p1 undetermined: only decide sees p2 applies
    assert exact(compiled, population[2])["p2"] == "applies"

"""A negation of an unknown list at another unknown list's rows, against brute force.

`amount(X), not excluded(X)` with both `@values("many")` lists of integers unknown: the
negated list gets, beside its own rows, as many as the list binding X keeps
(list_rows._negation_rows; the module doc argues why that suffices). Hypothesis writes
policies with one such negation (of either list, at a row past a constant, beside a
row of the negated list or a pair of rows) next to readings that do not negate, and
applicants that give or leave each list and a yes/no fact. The reference enumerates
every set of at most two integers in -2..4 for each list (two values in each open
region the policies cut: below 0, above 2); statuses and missing facts must equal it
exactly, through symbolic rows (asserted).
"""
from __future__ import annotations

import itertools

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import policy
from policy.decide.lineage_model import unknown_domains
from policy.inputs.applicant import applicant_from_mapping, fact_schema
from tests.decide.test_completions_reference import reference as enumerated
from tests.decide.test_lists_reference import PROCEDURES, UNKNOWN, statuses_of
from tests.decide.test_open_values_reference import plan_answer

HEADER = ("input x0.\n@values(\"many\")\ninput amount(v: integer).\n"
          "@values(\"many\")\ninput excluded(v: integer).\n"
          "procedure(p0, must).\nprocedure(p1, must).\nprocedure(p2, must).\n"
          "provides(p0, m0).\nneeds(p2, m0).\n")
NEGATIONS = ["amount(X), not excluded(X)", "amount(X), X > 2, not excluded(X)",
             "amount(X), X < 0, not excluded(X)", "excluded(X), not amount(X)",
             "amount(X), not excluded(X), excluded(V), V > 2",
             "amount(X), not excluded(X), not amount(1)",
             "amount(X), amount(Y), X < Y, not excluded(Y)",
             "amount(X), not excluded(X), excluded(Y), Y = X + 1"]
OTHERS = ["x0", "not x0", "excluded(V), V > 2", "amount(1)", "not excluded(2)",
          "amount(V), V < 0"]
VALUES = range(-2, 5)
SETS = [list(s) for size in range(3) for s in itertools.combinations(VALUES, size)]
LISTS = ("amount", "excluded")


@st.composite
def programs(draw) -> str:
    lines = [HEADER]
    bodies = ([draw(st.sampled_from(NEGATIONS))] + draw(st.lists(st.sampled_from(OTHERS[:2]),
                                                                  max_size=1)),
              draw(st.lists(st.sampled_from(OTHERS), min_size=1, max_size=1)),
              draw(st.lists(st.sampled_from(OTHERS[:2]), min_size=1, max_size=1)))
    for pid, body in zip(draw(st.permutations(PROCEDURES)), bodies):
        lines.append(f"eligible({pid}) :- {', '.join(dict.fromkeys(body))}.")
    return "\n".join(lines) + "\n"


applicants = st.fixed_dictionaries({
    "x0": st.sampled_from([True, False, UNKNOWN]),
    "amount": st.one_of(st.just(UNKNOWN), st.sampled_from(SETS)),
    "excluded": st.one_of(st.just(UNKNOWN), st.sampled_from(SETS))})


def domain(name: str) -> list:
    return [True, False] if name == "x0" else [tuple(s) for s in SETS]


def status_in(compiled, values: dict) -> dict:
    facts = {"x0": [()] if values["x0"] else [],
             **{name: [(v,) for v in values[name]] for name in LISTS}}
    return statuses_of(compiled.evaluate(facts))


def rowed(compiled, values: dict) -> list:
    """The unknown lists that the plan reads through symbolic rows (list_rows.py)."""
    known = {name: value for name, value in values.items() if value is not UNKNOWN}
    schema = fact_schema(compiled.program)
    applicant = applicant_from_mapping({"applicant": "t", **known}, schema, "t", 1)
    domains = unknown_domains(compiled, applicant, schema)
    return [name for name in LISTS if name in domains and domains[name].chains]


@settings(max_examples=12, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(programs(), applicants)
def test_a_negation_at_another_lists_rows_equals_the_enumeration(text, values):
    compiled = policy.compile_text(text)
    if values["amount"] is UNKNOWN and values["excluded"] is UNKNOWN and values["x0"] is UNKNOWN:
        values = {**values, "x0": True}  # two lists and x0 unknown: 1,682 completions
    expected = enumerated(compiled, values, domain, status_in, PROCEDURES)
    assert plan_answer(compiled, values) == expected, text
    assert rowed(compiled, values) == [n for n in LISTS if values[n] is UNKNOWN], text


def test_an_amount_both_excluded_and_not_is_never_applicable_and_asks_both_lists():
    """p0 needs an amount past 2 that is not excluded and an excluded value equal to it
    (never); p1 an amount that is not excluded (either, and both lists decide). Before,
    `not excluded(X)` at an amount's row left the excluded rows free beside the
    equality, and p0 was undetermined with both lists missing."""
    text = HEADER + ("eligible(p0) :- amount(X), X > 2, not excluded(X), excluded(Y), Y = X.\n"
                     "eligible(p1) :- amount(X), not excluded(X).\n"
                     "eligible(p2) :- x0.\n")
    compiled = policy.compile_text(text)
    values = {"x0": True, "amount": UNKNOWN, "excluded": UNKNOWN}
    answer = plan_answer(compiled, values)
    assert answer["p0"] == ("not_applicable", [])
    assert answer["p1"] == ("undetermined", ["amount", "excluded"])

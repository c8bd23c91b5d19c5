"""Aggregates over rows whose presence is unknown, against enumerating which rows are present."""
from __future__ import annotations

import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

import policy
from policy.decide.plan import make_plan
from policy.engine import lineage
from policy.inputs.applicant import applicant_from_mapping, fact_schema

VARIABLES = ("a", "b", "c", "d")


def run_with(bdd):
    run = object.__new__(lineage._Run)
    run.bdd, run.true, run.false = bdd, bdd.true, bdd.false
    return run


def formula_of(bdd, spec):
    """None: the row is certain; else a conjunction of (variable index, polarity) pairs."""
    if spec is None:
        return bdd.true
    formula = bdd.true
    for index, positive in spec:
        formula &= bdd.var(VARIABLES[index]) if positive else ~bdd.var(VARIABLES[index])
    return formula


rows = st.lists(st.tuples(st.integers(-3, 5),
                          st.one_of(st.none(), st.lists(st.tuples(st.integers(0, 3), st.booleans()),
                                                         min_size=1, max_size=2))),
                max_size=7)


@settings(max_examples=80, deadline=None, derandomize=True)
@given(st.sampled_from(["sum", "min", "max"]), rows)
def test_group_values_equal_the_enumeration(op, specs):
    bdd = lineage.new_manager()
    bdd.declare(*VARIABLES)
    members = [(value, formula_of(bdd, spec)) for value, spec in specs]
    members = [(v, f) for v, f in members if f != bdd.false]
    values = run_with(bdd).group_values(op, members)
    for bits in itertools.product((False, True), repeat=len(VARIABLES)):
        point = dict(zip(VARIABLES, bits))
        present = [v for v, f in members if bdd.let(point, f) == bdd.true]
        expected = {"sum": sum, "min": min, "max": max}[op](present) if present else None
        holding = [v for v, f in values.items() if bdd.let(point, f) == bdd.true]
        assert holding == ([] if expected is None else [expected])


def test_a_count_over_many_unknown_rows_is_decided_not_refused():
    """A list of up to 20 values left unknown: more than the old limit of 12 rows."""
    items = ", ".join(f"i{n}" for n in range(20))
    compiled = policy.compile_text(
        f'@values("many")\ninput holds(item: enum({items})).\n'
        "procedure(many_items, must).\n"
        "eligible(many_items) :- N = count : { holds(I) }, N >= 15.\n"
        "procedure(few_items, must).\n"
        "eligible(few_items) :- N = count : { holds(I) }, N < 30.\n")
    schema = fact_schema(compiled.program)

    def statuses(**facts):
        applicant = applicant_from_mapping({"applicant": "t", **facts}, schema, "t", 1)
        return {p.id: (p.status, p.missing) for p in make_plan(compiled, applicant).procedures}

    nobody = statuses()
    assert nobody["many_items"] == ("undetermined", ["holds"])
    assert nobody["few_items"] == ("applies", [])  # at most 20 items, whichever they are
    assert statuses(holds=[f"i{n}" for n in range(16)])["many_items"] == ("applies", [])
    assert statuses(holds=["i1"])["many_items"][0] == "not_applicable"

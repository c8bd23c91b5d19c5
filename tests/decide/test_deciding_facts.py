"""`deciding_facts` against brute force: random formulas over yes/no facts, facts that take
exactly one of several values and facts that are any set of values; a fact is deciding
exactly when two completions that differ only in it disagree on a formula."""
from __future__ import annotations

import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from policy.decide.completions import deciding_facts
from policy.decide.domains import Domain, constraint
from policy.engine.lineage import new_manager

# (name, number of variables, exactly one holds)
FACTS = (("flag", 1, False), ("one_of_three", 3, True), ("set_of_two", 2, False),
         ("one_of_two", 2, True))


def domains_for(bdd) -> dict:
    domains = {}
    for index, (name, width, exactly_one) in enumerate(FACTS):
        candidates = tuple(((n,), f"v{index}_{n}") for n in range(width))
        domains[name] = Domain(name, candidates, exactly_one)
        bdd.declare(*domains[name].variables)
    return domains


def values_of(domain: Domain) -> list:
    """Every value a completion can give the fact, as {variable: bool}."""
    names = domain.variables
    if domain.exactly_one:
        return [{v: v == chosen for v in names} for chosen in names]
    return [dict(zip(names, bits)) for bits in itertools.product((False, True), repeat=len(names))]


def brute_force(bdd, domains: dict, formulas) -> list:
    names = list(domains)
    completions = list(itertools.product(*(values_of(domains[n]) for n in names)))
    found = []
    for index, name in enumerate(names):
        for completion in completions:
            rest = {k: v for i, part in enumerate(completion) if i != index for k, v in part.items()}
            outcomes = {tuple(bdd.let({**rest, **value}, f) == bdd.true for f in formulas)
                        for value in values_of(domains[name])}
            if len(outcomes) > 1:
                found.append(name)
                break
    return found


def formula_from(bdd, variables: list, clauses: list):
    """A DNF over the variables: clauses of (variable index, polarity) pairs."""
    formula = bdd.false
    for clause in clauses:
        term = bdd.true
        for index, positive in clause:
            var = bdd.var(variables[index % len(variables)])
            term &= var if positive else ~var
        formula |= term
    return formula


literal = st.tuples(st.integers(0, 7), st.booleans())
dnf = st.lists(st.lists(literal, min_size=1, max_size=3), max_size=4)


@settings(max_examples=150, deadline=None, derandomize=True)
@given(st.lists(dnf, min_size=1, max_size=2))
def test_deciding_facts_equal_brute_force(clause_lists):
    bdd = new_manager()
    domains = domains_for(bdd)
    variables = [v for d in domains.values() for v in d.variables]
    formulas = [formula_from(bdd, variables, clauses) for clauses in clause_lists]
    constraints = {name: constraint(d, bdd) for name, d in domains.items()}
    assert deciding_facts(bdd, domains, constraints, formulas) == brute_force(bdd, domains, formulas)


def test_a_fact_that_matters_only_in_impossible_completions_does_not_decide():
    bdd = new_manager()
    domains = domains_for(bdd)
    constraints = {name: constraint(d, bdd) for name, d in domains.items()}
    # the flag matters only when one_of_three takes two values at once: never
    formula = bdd.var("v0_0") & bdd.var("v1_0") & bdd.var("v1_1")
    assert deciding_facts(bdd, domains, constraints, [formula]) == []
    formula = bdd.var("v0_0") & bdd.var("v1_0")
    assert deciding_facts(bdd, domains, constraints, [formula]) == ["flag", "one_of_three"]

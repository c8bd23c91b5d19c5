"""The fact budget counted while evaluating (engine/budget.py): joins counted only when
their bound does not fit, the counted logic giving the same model, recursion counted per round."""
from __future__ import annotations

import pytest

from policy import limits
from policy.engine.budget import Budget, FactLimit, JoinBound
from policy.engine.lowering import LAtom, LRule
from policy.errors import PolicyError
from policy import compile_text as compiled


def evaluate(policy, facts: dict, max_facts: int):
    token = limits.using(limits.Limits(max_facts=max_facts))
    try:
        return policy.evaluate(facts)
    finally:
        limits.restore(token)


def atom(name, *args):
    return LAtom(name, tuple(("var", a) for a in args))


def test_the_bound_is_the_product_of_the_sizes_through_the_rules():
    rules = [LRule(atom("q", "X", "Y"), (atom("p", "X"), atom("p", "Y"))),
             LRule(atom("r", "X", "Y", "Z"), (atom("q", "X", "Y"), atom("p", "Z")))]
    bound = JoinBound(rules)
    # q: 10 * 10 = 100 rows, r: 100 * 10 = 1,000 rows: 1,100 in all
    assert not bound.exceeds({"p": 10}, 1100)
    assert bound.exceeds({"p": 10}, 1099)
    assert not bound.exceeds({}, 0)  # nothing given: no join gives anything


def test_a_predicate_of_unknown_size_makes_its_joins_counted():
    rules = [LRule(atom("q", "X", "Y"), (atom("p", "X"), atom("e", "X", "Y")))]
    assert JoinBound(rules, unknown={"e"}).exceeds({"p": 1}, 10 ** 9)


def test_the_budget_stops_at_the_first_fact_past_it():
    budget = Budget(3)
    budget.spend(3)
    with pytest.raises(FactLimit) as stopped:
        budget.spend()
    assert stopped.value.count == 4


def test_counted_joins_give_the_same_model_as_plain_ones():
    policy = compiled("input e(a, b).\nhop2(X, Z) :- e(X, Y), e(Y, Z).\n")
    chain = {"e": [(f"n{i}", f"n{i + 1}") for i in range(30)]}
    plain = evaluate(policy, chain, 10 ** 6)  # the bound (900 rows) fits: no counting
    counted = evaluate(policy, chain, 200)  # it does not: counted, but only 29 rows come
    assert counted == plain and len(plain["hop2"]) == 29


def test_a_cross_product_is_stopped_at_the_limit():
    policy = compiled("input p(x).\nbig(X, Y, Z) :- p(X), p(Y), p(Z).\n")
    with pytest.raises(PolicyError) as refused:
        evaluate(policy, {"p": [(i,) for i in range(40)]}, 500)
    assert refused.value.code == "limit_exceeded"
    assert "holds 501 facts" in refused.value.message  # of 64,000: stopped, not checked after


def test_recursion_is_counted_round_by_round():
    policy = compiled("input e(a, b).\npath(X, Y) :- e(X, Y).\n"
                      "path(X, Z) :- path(X, Y), e(Y, Z).\n")
    chain = {"e": [(i, i + 1) for i in range(40)]}  # 820 paths
    assert len(evaluate(policy, chain, 10 ** 6)["path"]) == 820
    with pytest.raises(PolicyError) as refused:
        evaluate(policy, chain, 300)
    assert refused.value.code == "limit_exceeded"


def test_an_evaluation_after_a_stopped_one_is_whole():
    policy = compiled("input p(x).\nbig(X, Y) :- p(X), p(Y).\n")
    facts = {"p": [(i,) for i in range(20)]}
    with pytest.raises(PolicyError):
        evaluate(policy, facts, 50)
    assert len(evaluate(policy, facts, 10 ** 6)["big"]) == 400
    assert len(evaluate(policy, facts, 1000)["big"]) == 400  # counted, and fits

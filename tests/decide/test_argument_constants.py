"""An unknown argument is told apart only at the constants it can meet (argument_constants.py).

Before, every unknown string, number or date was cut at every constant of the policy: a fact of
records `payment(month, amount)` in a policy with a dozen titles and numbers had hundreds of
candidate rows, and `query` of an applicant who did not give it never finished.
"""
from __future__ import annotations

import datetime

import policy
from policy.decide.argument_constants import argument_constants
from tests.decide.test_open_values_reference import plan_answer

PENSION = """
@values("many")
input payment(month: string, amount: decimal).
input paid_years(n: integer).
input income(amount: decimal).
input born(day: date).
derived eligible(procedure: enum(basic_pension, top_up, report)).
derived title(procedure: enum(basic_pension, top_up, report), en: string, zh: string).
derived big_payment.
derived procedure(procedure: enum(basic_pension, top_up, report), modality: enum(must, may)).

procedure(basic_pension, may). procedure(top_up, may). procedure(report, must).
eligible(basic_pension) :- born(B), B <= 1961-06-30, paid_years(Y), Y >= 15.
eligible(top_up) :- paid_years(Y), Y < 15, payment(M, A), income(I), A * 10 < I.
eligible(report) :- N = count : { payment(M, A) }, N >= 3, not big_payment.
big_payment :- payment(M, A), A > 1000.
title(basic_pension, "Claim the basic pension", "").
title(top_up, "Top up your contributions", "").
title(report, "Report regular payments", "").
"""


def test_an_argument_meets_only_the_constants_of_its_group():
    compiled = policy.compile_text(PENSION)
    assert argument_constants(compiled, "payment", 0) == frozenset()  # no rule compares a month
    amounts = argument_constants(compiled, "payment", 1)
    assert 1000 in amounts
    assert not amounts & {"Claim the basic pension", 15, "top_up"}
    assert argument_constants(compiled, "paid_years", 0) == {15}
    assert argument_constants(compiled, "title", 1) == {
        "Claim the basic pension", "Top up your contributions", "Report regular payments"}


def test_an_unknown_list_of_records_in_a_policy_with_many_constants_is_answered():
    compiled = policy.compile_text(PENSION)
    answer = plan_answer(compiled, {"born": datetime.date(1960, 1, 1), "income": 5000})
    assert answer["basic_pension"] == ("undetermined", ["paid_years"])
    assert answer["top_up"] == ("undetermined", ["paid_years", "payment"])
    assert answer["report"] == ("undetermined", ["payment"])


def test_a_join_links_the_positions_it_passes_through():
    compiled = policy.compile_text("""
input code(c: string).
input listed(c: string).
derived ok.
derived known(c: string).
known(C) :- listed(C), C != "void".
ok :- code(C), known(C).
""")
    assert "void" in argument_constants(compiled, "code", 0)

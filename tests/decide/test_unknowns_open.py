"""Open-typed unknown facts (numbers, dates, strings), and facts that hold many values."""
from __future__ import annotations

import datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import policy
from policy.tools.explanation import ApplicantExplainer
from policy.decide.plan import make_plan
from policy.inputs.applicant import applicant_from_mapping, fact_schema

AGE_POLICY = (
    '@values("many")\ninput overdue(item: string).\ninput age(years: integer).\n'
    "procedure(adult_card, must).\neligible(adult_card) :- age(A), A >= 18.\n"
    "procedure(borrow, may).\neligible(borrow) :- age(A), A >= 12, not overdue(_).\n")


def plan(compiled, **facts):
    applicant = applicant_from_mapping({"applicant": "t", **facts}, fact_schema(compiled.program), "t", 1)
    return {p.id: (p.status, p.missing) for p in make_plan(compiled, applicant).procedures}


def explain(compiled, procedure, **facts):
    applicant = applicant_from_mapping({"applicant": "t", **facts}, fact_schema(compiled.program), "t", 1)
    return ApplicantExplainer(compiled, applicant).document(procedure)


def test_an_unknown_age_is_undetermined_and_asked_for():
    compiled = policy.compile_text(AGE_POLICY)
    assert plan(compiled)["adult_card"] == ("undetermined", ["age"])
    assert plan(compiled, age=20)["adult_card"] == ("applies", [])
    assert plan(compiled, age=17)["adult_card"] == ("not_applicable", [])


def test_not_of_a_list_left_unknown_is_undetermined():
    compiled = policy.compile_text(AGE_POLICY)
    assert plan(compiled, age=15)["borrow"] == ("undetermined", ["overdue"])
    assert plan(compiled, age=15, overdue=["book"])["borrow"] == ("not_applicable", [])
    assert plan(compiled, age=15, overdue=[])["borrow"][0] == "applies"


def test_would_apply_if_names_the_values_that_work():
    compiled = policy.compile_text(AGE_POLICY)
    document = explain(compiled, "adult_card", age=15)
    assert [[(c["fact"], c["condition"]) for c in s] for s in document["would_apply_if"]] == [
        [("age", ">= 18")]]
    document = explain(compiled, "borrow")
    decided = {f["fact"]: {v.get("condition") or repr(v["value"]): v["status"] for v in f["values"]}
               for f in document["decided_by"]}
    assert decided["age"] == {"<= 11": "not_applicable", ">= 12": "undetermined"}
    assert decided["overdue"]["[]"] == "undetermined"


def test_a_date_threshold_with_arithmetic_is_exact():
    compiled = policy.compile_text(
        "input left_on(day: date).\nprocedure(recent, must).\n"
        "eligible(recent) :- left_on(D), D >= 2026-01-01 - 365.\n")
    assert plan(compiled)["recent"] == ("undetermined", ["left_on"])
    document = explain(compiled, "recent", left_on=datetime.date(2024, 6, 1))
    assert document["would_apply_if"][0][0]["condition"] == ">= 2025-01-01"


def test_values_takes_one_or_many():
    with pytest.raises(policy.PolicyError) as raised:
        policy.compile_text('@values("several")\ninput x(v: string).\n')
    assert [d.code for d in raised.value.diagnostics] == ["bad_annotation"]


@settings(max_examples=40, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.sampled_from(["<", "<=", ">", ">=", "=", "!="]), st.integers(0, 5),
                          st.sampled_from(["", " + 1", " - 2"])), min_size=1, max_size=3),
       st.sampled_from([None, 0, 1, 2, 3, 4, 5]))
def test_integer_thresholds_against_every_value(conditions, given_value):
    """Statuses over a small test domain (every value from -4 to 9 behaves as some value the
    conditions cannot tell apart from one outside it) equal the exact answer."""
    body = ", ".join(f"N{suffix} {op} {c}" for op, c, suffix in conditions)
    compiled = policy.compile_text(
        f"input n(v: integer).\nprocedure(p, must).\neligible(p) :- n(N), {body}.\n")
    if given_value is not None:
        return_value = plan(compiled, n=given_value)["p"][0]
        expected = "applies" if _holds(conditions, given_value) else "not_applicable"
        assert return_value == expected
        return
    outcomes = {_holds(conditions, v) for v in range(-4, 10)}
    expected = ("undetermined", ["n"]) if outcomes == {True, False} else (
        ("applies" if outcomes == {True} else "not_applicable"), [])
    assert plan(compiled)["p"] == expected, body


def _holds(conditions, value) -> bool:
    import operator
    ops = {"<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge,
           "=": operator.eq, "!=": operator.ne}
    shift = {"": 0, " + 1": 1, " - 2": -2}
    return all(ops[op](value + shift[suffix], c) for op, c, suffix in conditions)


def test_an_unknown_record_fact_with_an_open_argument_keeps_the_policys_thresholds(run, tmp_path):
    """`overdue(book, days)` not given: a book more than 30 days overdue is possible."""
    import json
    from pathlib import Path
    example = Path(__file__).resolve().parents[2] / "examples" / "library_card" / "rules"
    applicant = tmp_path / "nobody.yaml"
    applicant.write_text("applicant: Q\n", encoding="utf-8")
    plan = json.loads(run("query", applicant, "--policy", example, "--format", "json").stdout)
    fine = next(p for p in plan["procedures"] if p["id"] == "pay_fine")
    assert (fine["status"], fine["missing_facts"]) == ("undetermined", ["overdue"])


def test_explain_of_an_unknown_record_fact_shows_records_that_decide(run, tmp_path):
    """Every procedure of the library example explains for applicants who left `overdue`
    unknown (it crashed on a record taken for one value); the record that decides is shown."""
    import json
    from pathlib import Path
    example = Path(__file__).resolve().parents[2] / "examples" / "library_card" / "rules"
    for name, facts in (("nobody", ""), ("resident", "resident: true\n"),
                        ("holder", "resident: true\nhas_card: true\nhas_id_with_address: true\n")):
        applicant = tmp_path / f"{name}.yaml"
        applicant.write_text(f"applicant: {name}\n{facts}", encoding="utf-8")
        for procedure in ("get_card", "borrow_books", "return_books", "pay_fine"):
            for lang in ("en", "zh"):
                result = run("explain", applicant, procedure, "--policy", example, "--lang", lang)
                assert result.exit_code == 0, (name, procedure, result.stderr)
    fine = json.loads(run("explain", tmp_path / "resident.yaml", "pay_fine", "--policy", example,
                          "--format", "json").stdout)
    decided = next(d for d in fine["decided_by"] if d["fact"] == "overdue")
    shown = {json.dumps(v["value"]): v["status"] for v in decided["values"]}
    assert shown["[]"] == "not_applicable"  # no overdue book: no fine
    applying = [json.loads(v) for v, status in shown.items() if status == "applies"]
    assert len(applying) == 1 and applying[0][0]["days"] > 30  # a book over 30 days overdue
    suggestions = fine["would_apply_if"]
    assert len(suggestions) == 1 and suggestions[0][0]["fact"] == "overdue"
    [record] = suggestions[0][0]["value"]
    assert set(record) == {"book", "days"} and record["days"] > 30


VOTE = """source_clause("r 1").
@description(en: "Your age", zh: "年龄")
input age(years: integer).
@description(en: "Your name", zh: "姓名")
input called(name: string).
@id("adult")
@source("r 1")
eligible(vote) :- age(A), A >= 18, called(N), N != "nobody".
procedure(vote, may).
title(vote, "Vote", "投票").
citation(vote, "r 1").
"""


def test_two_open_facts_become_one_suggestion_worded_in_the_applicants_language(run, tmp_path):
    import json
    policy_file = tmp_path / "vote.pl"
    policy_file.write_text(VOTE, encoding="utf-8")
    applicant = tmp_path / "x.yaml"
    applicant.write_text("applicant: X\n", encoding="utf-8")
    documents = {lang: json.loads(run("explain", applicant, "vote", "--policy", policy_file,
                                      "--lang", lang, "--format", "json").stdout)
                 for lang in ("en", "zh")}
    for lang, (age, name) in {"en": (">= 18", "not nobody"), "zh": (">= 18", "不是 nobody")}.items():
        [suggestion] = documents[lang]["would_apply_if"]  # not one per string the policy names
        assert {c["fact"]: c["condition"] for c in suggestion} == {"age": age, "called": name}
    zh_text = run("explain", applicant, "vote", "--policy", policy_file, "--lang", "zh").stdout
    assert "not nobody" not in zh_text and "any value" not in zh_text

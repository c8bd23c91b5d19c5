"""The household example (examples/household): answers that compare two unknown amounts.

Its rules add the applicant's and the partner's incomes and compare them with the rent, so
every answer for a sparse applicant goes through open conditions and the SMT check. From
the command line, as a user runs it: the statuses and the facts asked for, an explanation
with suggestions that hold, and no crash of the decision diagrams (dd.cudd once aborted in
its garbage collection while the diagrams were read for z3).
"""
from __future__ import annotations

import json

POLICY = "examples/household/rules"
DANA = "examples/household/applicants/dana.yaml"
ELI = "examples/household/applicants/eli.yaml"


def statuses(run, applicant) -> dict:
    result = run("query", applicant, "--policy", POLICY, "--format", "json")
    assert result.exit_code == 0, result.output
    return {p["id"]: (p["status"], p["missing_facts"])
            for p in json.loads(result.stdout)["procedures"]}


def test_a_sum_of_two_incomes_is_undetermined_until_both_are_known(run):
    assert statuses(run, ELI)["housing_allowance"] == \
        ("undetermined", ["income", "partner_income"])
    found = statuses(run, DANA)
    assert found["housing_allowance"] == ("undetermined", ["partner_income"])
    assert found["hardship_review"] == ("undetermined", ["partner_income", "rent"])


def test_the_policy_checks_clean(run):
    result = run("check", POLICY)
    assert result.exit_code == 0, result.output
    assert "0 error(s), 0 warning(s)" in result.output


def test_explain_suggests_values_that_make_it_apply(run, tmp_path):
    result = run("explain", DANA, "hardship_review", "--policy", POLICY, "--format", "json")
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    suggestions = document["would_apply_if"]
    assert suggestions
    for changes in suggestions:  # each one, given, makes the procedure apply
        facts = {"applicant": "Dana", "income": 2500}
        facts.update({c["fact"]: c["value"] for c in changes})
        path = tmp_path / "dana.json"
        path.write_text(json.dumps(facts))
        assert statuses(run, path)["hardship_review"][0] == "applies"


def test_explain_words_an_open_condition_by_its_variables(run):
    result = run("explain", DANA, "hardship_review", "--policy", POLICY)
    assert result.exit_code == 0, result.output
    assert "unknown: Rent * 2 > 2500 + Theirs" in result.stdout
    result = run("explain", ELI, "housing_allowance", "--policy", POLICY)
    assert "Mine + Theirs < 3000" in result.stdout  # not the representatives' values

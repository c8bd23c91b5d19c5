"""The childcare example (examples/childcare): records of dates, a decimal, a date, an enum
and a many-valued list, from the command line as a user runs it. Written first as a
stranger's check of the tool; it found `explain` taking 45 s (a given birth date never
matched the search's candidates) and "Decided by" calling one young child "undetermined"
for a count of at least two (tests/decide/test_what_if_search.py,
test_decided_by_records.py)."""
from __future__ import annotations

import json

import pytest
import yaml

POLICY = "examples/childcare/rules"
APPLICANTS = "examples/childcare/applicants"
PROCEDURES = ("subsidy", "large_family", "job_seeker_care", "fee_waiver")


def plan(run, applicant) -> dict:
    result = run("query", applicant, "--policy", POLICY, "--all", "--format", "json")
    assert result.exit_code == 0, result.output
    return {p["id"]: (p["status"], p["missing_facts"])
            for p in json.loads(result.stdout)["procedures"]}


def test_the_policy_checks_clean_and_its_scenarios_pass(run):
    assert "0 error(s), 0 warning(s)" in run("check", POLICY).output
    result = run("test", "examples/childcare/scenarios", "--coverage")
    assert result.exit_code == 0, result.output
    assert "5 passed, 0 failed" in result.output and "total: 100.0%" in result.output


def test_each_procedure_lists_exactly_the_facts_that_decide_it(run):
    ann = plan(run, f"{APPLICANTS}/ann.yaml")
    assert ann["subsidy"] == ("undetermined", ["moved_in", "income", "other_benefit", "in_nursery"])
    assert ann["large_family"] == ("not_applicable", [])  # one young child, given
    bo = plan(run, f"{APPLICANTS}/bo.yaml")
    assert bo["large_family"] == ("undetermined", ["child"])
    assert bo["job_seeker_care"] == ("undetermined", ["child", "employment"])
    assert all(v == ("applies", []) for v in plan(run, f"{APPLICANTS}/tess.yaml").values())


@pytest.mark.parametrize("name", ["ann", "bo"])
@pytest.mark.parametrize("pid", PROCEDURES)
def test_every_explanation_holds_when_its_values_are_given(run, tmp_path, name, pid):
    """Each "would apply if" suggestion and each list "Decided by" shows, given, has the
    status said."""
    path = f"{APPLICANTS}/{name}.yaml"
    result = run("explain", path, pid, "--policy", POLICY, "--format", "json")
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    with open(path, encoding="utf-8") as file:
        facts = yaml.safe_load(file)
    given = tmp_path / "given.json"
    for changes in document.get("would_apply_if", []):
        changed = {**facts, **{c["fact"]: c["value"] for c in changes}}
        given.write_text(json.dumps(changed, default=str))
        assert plan(run, given)[pid][0] == "applies", changes
    for entry in document.get("decided_by", []):
        for value in entry["values"]:
            if isinstance(value["value"], list):
                given.write_text(json.dumps({**facts, entry["fact"]: value["value"]}, default=str))
                assert plan(run, given)[pid][0] == value["status"], value


def test_a_derived_condition_is_worded_by_the_rule_that_concludes_it(run):
    """`eligible(subsidy)` read "Claim the childcare subsidy / Claim the large family bonus
    / Use the job seekers' childcare / Ask for the nursery fee to be waived: subsidy"."""
    result = run("explain", f"{APPLICANTS}/bo.yaml", "fee_waiver", "--policy", POLICY,
                 "--format", "json")
    conditions = json.loads(result.stdout)["why_not"][0]["conditions"]
    assert conditions[0]["literal"] == "eligible(subsidy)"
    assert conditions[0]["text"] == "Claim the childcare subsidy"
    zh = run("explain", f"{APPLICANTS}/bo.yaml", "fee_waiver", "--policy", POLICY, "--lang", "zh")
    assert "未知: 申请托育补贴\n" in zh.stdout


def test_an_unknown_value_is_worded_by_its_description_and_variable(run):
    """`moved_in(Day)` read as the rule writes it; the description says what it is, the
    variable links it to the condition after it."""
    result = run("explain", f"{APPLICANTS}/ann.yaml", "subsidy", "--policy", POLICY)
    assert "unknown: When you moved to the town: Day\n" in result.stdout
    assert "unknown: Day <= 2026-06-01" in result.stdout
    assert "moved_in(Day)" not in result.stdout


def test_why_names_a_helper_rule_by_its_head_and_place():
    """A rule with no @title, @source or @id among those that read a fact showed as
    "None (None)" on the page and in the terminal."""
    from click.testing import CliRunner

    import cli

    result = CliRunner().invoke(cli.main, ["interview", "--policy", POLICY], input="?\nstop\n")
    assert "   - young(Name) (examples/childcare/rules/childcare.pl:" in result.stdout
    assert "None" not in result.stdout


def test_eval_given_an_applicant_file_says_which_command_reads_one(run):
    result = run("eval", POLICY, "eligible(P)", "--facts", f"{APPLICANTS}/ann.yaml")
    assert result.exit_code == 2
    assert "ann.yaml:2:1: error: facts_error: the policy has no predicate 'applicant' (is this " \
           "an applicant file?" in result.stderr
    assert "Traceback" not in result.output

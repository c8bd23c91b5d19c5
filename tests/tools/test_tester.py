"""`policylog test`: scenarios, diffs that name what broke, rule coverage."""
from __future__ import annotations

import json
import shutil

import policy

RULES = policy.BUNDLED_POLICY
SCENARIOS = policy.BUNDLED_SCENARIOS


def test_the_bundled_scenarios_pass_and_reach_every_rule(run):
    result = run("test", "--coverage", "--fail-under", "100")
    assert result.exit_code == 0, result.stdout
    assert "21 passed, 0 failed" in result.stdout
    assert "total: 100.0%" in result.stdout


def broken_policy(tmp_path):
    """The bundled policy with clause I.2 inverted: an ID card only for those who hold one."""
    rules = tmp_path / "rules"
    shutil.copytree(RULES, rules)
    guide = rules / "10_returnee_guide.pl"
    text = guide.read_text(encoding="utf-8")
    assert "    not has_valid_id_card." in text
    guide.write_text(text.replace("    not has_valid_id_card.", "    has_valid_id_card.", 1),
                     encoding="utf-8")
    return rules


def test_a_broken_rule_fails_with_a_diff_naming_scenario_procedure_and_rule(run, tmp_path):
    result = run("test", SCENARIOS, "--policy", broken_policy(tmp_path))
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    failed = [line for line in lines if line.startswith("FAILED ")]
    assert any("Li Wei" in line and "returnees.yaml:" in line for line in failed)
    at = lines.index(next(line for line in failed if "Li Wei" in line))
    block = "\n".join(lines[at:at + 12])
    assert "status of apply_for_id_card" in block
    assert "- expected: applies" in block and "+ actual:   not_applicable" in block
    assert "rule returnee-guide.I.2 did not conclude it" in block
    assert lines[-1].endswith("failed") and not lines[-1].startswith("15 passed")


def test_k_selects_scenarios_by_name(run):
    result = run("test", "-k", "Li Wei")
    assert result.exit_code == 0
    assert result.stdout.strip().splitlines()[-1] == "1 passed, 0 failed"


def test_json_output_and_coverage_of_a_partial_run(run, tmp_path):
    result = run("test", SCENARIOS / "cards.yaml", "--coverage", "--format", "json",
                 "--fail-under", "100")
    assert result.exit_code == 1  # the card scenarios alone do not reach every rule
    document = json.loads(result.stdout)
    assert document["schema"] == "policylog/test/1" and document["failed"] == 0
    coverage = document["coverage"]
    assert coverage["percent"] < 100
    missing = [m for f in coverage["files"].values() for m in f["not_reached"]]
    assert {"line", "id"} <= set(missing[0])
    assert any(m["id"] == "returnee-guide.II.5.doctorate" for m in missing)


def test_coverage_text_lists_unreached_rules_by_file_and_line(run):
    result = run("test", SCENARIOS / "cards.yaml", "--coverage")
    assert result.exit_code == 0
    assert any(line.startswith("  not reached: ") and "10_returnee_guide.pl:" in line
               for line in result.stdout.splitlines())


def test_inline_facts_and_a_local_policy(run, tmp_path):
    (tmp_path / "rules.pl").write_text(
        "input employee.\nderived eligible(p). derived procedure(p, m).\n"
        '@id("r1") @source("doc 1") @title(en: "Employees", zh: "职工")\n'
        "eligible(enrol) :- employee.\nprocedure(enrol, must).\n", encoding="utf-8")
    (tmp_path / "cases.yaml").write_text(
        "policy: rules.pl\nscenarios:\n"
        "  - name: employee\n    facts: {employee: true}\n    expect: {enrol: applies}\n"
        "    reasons: {enrol: [r1]}\n"
        "  - name: not an employee\n    facts: {employee: false}\n    expect: {enrol: applies}\n",
        encoding="utf-8")
    result = run("test", tmp_path / "cases.yaml")
    assert result.exit_code == 1
    assert "FAILED" in result.stdout and "not an employee" in result.stdout
    assert "+ actual:   not_applicable" in result.stdout
    assert result.stdout.splitlines()[-1] == "1 passed, 1 failed"


def test_a_malformed_scenario_file_is_bad_input(run, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("scenarios:\n  - name: x\n    facts: {}\n    expct: {a: applies}\n")
    result = run("test", bad)
    assert result.exit_code == 2
    assert "bad.yaml:2" in result.stderr and "expct" in result.stderr


MISSING_POLICY = (
    "input age(n: integer).\ninput city(name: string).\ninput started(day: date).\n"
    "derived adult_here.\nderived eligible(procedure: enum(adult, veteran)).\n"
    "derived procedure(procedure: enum(adult, veteran), modality: enum(may)).\n"
    'adult_here :- age(A), A >= 18, city("Beijing").\n'
    "eligible(adult) :- adult_here.\n"
    "eligible(veteran) :- started(D), D < 2000-01-01, not adult_here.\n"
    "procedure(adult, may).\nprocedure(veteran, may).\n")


def test_a_scenario_can_expect_exactly_the_facts_that_decide(run, tmp_path):
    (tmp_path / "rules.pl").write_text(MISSING_POLICY, encoding="utf-8")
    (tmp_path / "cases.yaml").write_text(
        "policy: rules.pl\nscenarios:\n"
        "  - name: age only\n    facts: {age: 30}\n"
        "    missing: {adult: [city], veteran: [started, city]}\n"
        "  - name: a minor\n    facts: {age: 12}\n"
        "    missing: {adult: [], veteran: [city]}\n",
        encoding="utf-8")
    result = run("test", tmp_path / "cases.yaml")
    assert result.exit_code == 1, result.output
    assert result.stdout.splitlines()[-1] == "1 passed, 1 failed"
    assert "cases.yaml:6 a minor" in result.stdout
    assert "missing facts of veteran" in result.stdout
    assert "- expected: city" in result.stdout and "+ actual:   started" in result.stdout


def test_a_status_that_is_none_of_the_four_is_bad_input(run, tmp_path):
    bad = tmp_path / "typo.yaml"
    bad.write_text("scenarios:\n  - name: x\n    facts: {}\n    expect:\n"
                   "      restore_hukou_with_passport: apply\n", encoding="utf-8")
    result = run("test", bad)
    assert result.exit_code == 2
    assert "typo.yaml:5" in result.stderr and "'apply' is not a status" in result.stderr

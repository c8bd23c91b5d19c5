"""The bundled policy says what the two source documents say (issue 14): documents held
are facts, one reading of "account", every unstated condition interpreted, the law's
categories, and every clause of the sources traced to rules or marked advice only."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml

import policy
from policy.lang import ast
from policy.analysis.checks import listed_clauses
from policy.inputs.applicant import applicant_from_mapping, fact_schema, load_applicant
from policy.decide.plan import make_plan
from policy.tools.docs import traceability

ROOT = Path(__file__).parent.parent.parent
FACTS = ROOT / "facts"
CLAUSES = (["returnee-guide I.1", "returnee-guide I.2"]
           + [f"returnee-guide II.{i}" for i in range(1, 6)]
           + [f"returnee-guide III.{i}" for i in range(1, 5)]
           + [f"nonlocal-guide ways.{i}" for i in range(1, 5)]
           + [f"nonlocal-guide process.{i}" for i in range(1, 7)]
           + ["SIL art.23 para.1", "SIL art.23 para.2"])


@pytest.fixture(scope="module")
def compiled():
    return policy.load_policy()


def plan_of(compiled, name, **changes):
    schema = fact_schema(compiled.program)
    facts = yaml.safe_load((FACTS / name).read_text(encoding="utf-8"))
    facts.update(changes)
    for key in [k for k, v in changes.items() if v is None]:
        del facts[key]
    return make_plan(compiled, applicant_from_mapping(facts, schema, name, 1))


def procedure(plan, pid):
    return next(p for p in plan.procedures if p.id == pid)


def test_a_missing_passport_blocks_the_passport_route_and_names_the_passport(compiled):
    plan = make_plan(compiled, load_applicant(FACTS / "13_missing_passport.yaml",
                                              fact_schema(compiled.program)))
    restore = procedure(plan, "restore_hukou_with_passport")
    assert (restore.status, restore.blocked_by) == ("blocked", ["passport"])
    assert restore.remedies == [("passport", {}, [])]  # the documents do not say where
    id_card = procedure(plan, "apply_for_id_card")
    assert (id_card.status, id_card.blocked_by) == ("blocked", ["hukou"])
    assert id_card.remedies[0][2] == ["restore_hukou_with_passport"]
    assert plan.marks["passport"] == "missing"


def test_a_held_passport_lets_the_route_apply_and_an_unknown_one_leaves_it_open(compiled):
    held = plan_of(compiled, "01_returnee_self_funded.yaml")
    assert procedure(held, "restore_hukou_with_passport").status == "applies"
    assert held.marks["passport"] == "held"
    unknown = plan_of(compiled, "01_returnee_self_funded.yaml", has_passport=None)
    restore = procedure(unknown, "restore_hukou_with_passport")
    assert restore.status == "undetermined" and "has_passport" in restore.missing
    assert unknown.marks["passport"] == "unknown"


@pytest.mark.parametrize("name, lacking, procedure_id, where", [
    ("02_returnee_other_station.yaml", "has_hukou_cancellation_certificate",
     "settle_at_other_station", "police station where your original hukou was registered"),
    ("03_returnee_state_assigned.yaml", "has_moe_mop_certificates",
     "settle_cross_region_state_assigned", "Ministry of Education"),
    ("04_returnee_self_arranged.yaml", "has_receiving_personnel_certificate",
     "settle_cross_region_self_arranged", "personnel department"),
    ("05_doctorate_family.yaml", "has_provincial_personnel_certificate",
     "move_in_family_hukou", "provincial level"),
    ("11_card_via_employer.yaml", "has_employer_letter", "apply_card_via_employer", "employer"),
])
def test_each_document_the_guides_require_blocks_when_lacking_and_says_where_to_get_it(
        compiled, name, lacking, procedure_id, where):
    plan = plan_of(compiled, name, **{lacking: False})
    found = procedure(plan, procedure_id)
    milestone = lacking.removeprefix("has_")
    assert (found.status, found.blocked_by) == ("blocked", [milestone])
    assert where in found.remedies[0][1]["en"] and found.remedies[0][1]["zh"]


def test_the_plan_text_says_what_blocks_and_how_to_get_it(run):
    result = run("query", FACTS / "13_missing_passport.yaml")
    assert "Blocked by: passport" in result.stdout
    assert "How to get passport: the documents do not say where to get it" in result.stdout
    assert "[!] Passport (for restore_hukou_with_passport) — missing" in result.stdout
    data = json.loads(run("query", FACTS / "13_missing_passport.yaml", "--format", "json").stdout)
    restore = next(p for p in data["procedures"] if p["id"] == "restore_hukou_with_passport")
    assert restore["blocked_by"] == ["passport"]
    assert restore["how_to_get"] == [{"milestone": "passport", "text": None, "provided_by": []}]
    assert {c["id"]: c["held"] for c in data["checklist"]}["passport"] == "missing"


def test_one_reading_of_account_the_hukou(compiled):
    assert not [name for name in compiled.program.inputs if "account" in name]
    rule = next(r for r in compiled.program.rules if r.rule_id == "returnee-guide.I.1")
    assert "hukou_cancelled_before_leaving" in {a.predicate for a in rule.body if isinstance(a, ast.Atom)}
    declaration = compiled.program.declared["hukou_cancelled_before_leaving"]
    assert "account" in declaration.annotation("interpretation").text()


def _conditions(rule):
    for literal in rule.body:
        negated = isinstance(literal, ast.Negation)
        yield negated, (literal.atom if negated else literal)


def test_conditions_the_text_does_not_state_carry_an_interpretation(compiled):
    rules = [r for r in compiled.program.rules if not r.is_fact]
    for rule in rules:
        if any(n and a.predicate == "enrolled_in_medical_insurance" for n, a in _conditions(rule)):
            assert rule.annotation("interpretation") is not None, rule.rule_id
    needs = compiled.program.rules_by_head["needs"]
    for fact in needs:
        pid, milestone = (a.value for a in fact.head.args)
        if pid.startswith("apply_card_") and milestone == "id_card":
            assert fact.annotation("interpretation") is not None, pid
    assert ("apply_card_via_employer", "id_card") not in compiled.static_model["needs"]
    assert ("apply_card_via_employer", "employer_letter") in compiled.static_model["needs"]
    went = compiled.program.declared["went_abroad_as"].params[0].type.values
    assert list(went) == ["public_assignment", "self_funded"]


def test_an_employer_is_not_a_flexible_worker(compiled):
    plan = plan_of(compiled, "14_employer.yaml")
    statuses = {p.id: p.status for p in plan.procedures if p.status != "not_applicable"}
    assert statuses == {"employer_pays_for_employees": "applies"}
    assert procedure(plan, "employer_pays_for_employees").modality == "must"


def test_an_employee_from_another_region_gets_one_enrolment_not_the_freelancer_one(compiled):
    plan = plan_of(compiled, "15_nonlocal_employee.yaml")
    musts = sorted(p.id for p in plan.procedures if p.status == "applies" and p.modality == "must"
                   and "enrol" in p.id or p.id == "register_social_security_as_freelancer"
                   and p.status != "not_applicable")
    assert musts == ["enroll_employee_medical_insurance"]
    pay = procedure(plan, "pay_employee_premiums_with_employer")
    assert pay.status == "applies" and pay.citations == ["SIL art.23 para.1"]
    assert procedure(plan, "pay_medical_insurance_premiums").status == "not_applicable"


def test_flexible_workers_may_enrol_whatever_they_want_resident_insurance_needs_the_wish(compiled):
    flexible = plan_of(compiled, "06_part_time_flexible.yaml", wants_to_pay_locally=False)
    assert procedure(flexible, "enroll_flexible_employment_medical_insurance").status == "applies"
    resident = plan_of(compiled, "12_card_by_agent.yaml", wants_to_pay_locally=False)
    assert procedure(resident, "enroll_resident_medical_insurance").status == "not_applicable"


def test_the_sources_list_every_clause_and_each_is_traced(compiled):
    assert list(listed_clauses(compiled.program)) == CLAUSES
    rows = traceability(compiled)
    assert [clause for clause, *_ in rows] == CLAUSES
    for clause, encoded, cited, advice in rows:
        assert encoded or advice, clause
    advice = {clause: reason for clause, _, _, reason in rows if reason}
    assert list(advice) == ["nonlocal-guide process.1"]


def test_check_reports_a_source_that_names_no_listed_clause(run, tmp_path):
    rules = tmp_path / "rules"
    shutil.copytree(policy.BUNDLED_POLICY, rules)
    path = rules / "20_nonlocal_guide.pl"
    path.write_text(path.read_text(encoding="utf-8").replace(
        '@source("nonlocal-guide process.3")', '@source("nonlocal-guide proces.3")', 1),
        encoding="utf-8")
    result = run("check", rules)
    assert result.exit_code == 1
    assert "unknown_source: @source names \"nonlocal-guide proces.3\"" in result.stdout
    assert "did you mean 'nonlocal-guide process.3'?" in result.stdout


def test_the_docs_carry_the_traceability_table(run, tmp_path):
    run("docs", "--out", tmp_path)
    english = (tmp_path / "policy.en.md").read_text(encoding="utf-8")
    table = english[english.index("## Traceability"):english.index("## Applicant facts")]
    for clause in CLAUSES:
        assert f"| {clause} |" in table
    assert "| nonlocal-guide process.1 | advice only, no rule: Advice to learn" in table
    assert "NOT ENCODED" not in table
    assert "## 可追溯性" in (tmp_path / "policy.zh.md").read_text(encoding="utf-8")

"""The bundled Beijing policy: its contract, every example applicant, every rule's boundaries."""
from __future__ import annotations

from pathlib import Path

import pytest

import policy
from policy.lang import ast
from policy.inputs.applicant import fact_schema, load_applicant
from policy.decide.counterfactual import Change, apply_changes
from policy.decide.matching import Model, rule_instances
from policy.decide.plan import evaluate_applicant, make_plan

ROOT = Path(__file__).parents[2]
EXAMPLES = sorted((ROOT / "facts").glob("*.yaml"))
PROCEDURES = {
    "restore_hukou_with_passport", "settle_at_other_station", "settle_cross_region_state_assigned",
    "settle_cross_region_self_arranged", "move_in_family_hukou", "apply_for_id_card",
    "re_enroll_medical_insurance", "enroll_employee_medical_insurance",
    "enroll_flexible_employment_medical_insurance", "register_social_security_as_freelancer",
    "enroll_resident_medical_insurance", "pay_medical_insurance_premiums",
    "apply_card_at_district_center", "apply_card_at_service_point", "apply_card_by_agent",
    "apply_card_via_employer", "pay_employee_premiums_with_employer", "employer_pays_for_employees",
}

# What each example applicant gets: every procedure that is not not_applicable, with its status.
EXPECTED = {
    "01_returnee_self_funded": {"restore_hukou_with_passport": "applies",
        "apply_for_id_card": "applies", "re_enroll_medical_insurance": "applies",
        "enroll_resident_medical_insurance": "applies",
        "pay_medical_insurance_premiums": "applies", "apply_card_at_district_center": "applies",
        "apply_card_at_service_point": "applies"},
    "02_returnee_other_station": {"enroll_employee_medical_insurance": "applies",
        "settle_at_other_station": "applies", "pay_employee_premiums_with_employer": "applies",
        "re_enroll_medical_insurance": "applies", "apply_card_at_district_center": "applies",
        "apply_card_at_service_point": "applies"},
    "03_returnee_state_assigned": {"settle_cross_region_state_assigned": "applies",
        "apply_for_id_card": "applies", "re_enroll_medical_insurance": "applies",
        "enroll_employee_medical_insurance": "applies",
        "pay_employee_premiums_with_employer": "applies",
        "apply_card_at_district_center": "applies", "apply_card_at_service_point": "applies"},
    "04_returnee_self_arranged": {"enroll_flexible_employment_medical_insurance": "applies",
        "settle_cross_region_self_arranged": "applies",
        "pay_medical_insurance_premiums": "applies", "re_enroll_medical_insurance": "applies",
        "apply_card_at_district_center": "applies", "apply_card_at_service_point": "applies"},
    "05_doctorate_family": {"move_in_family_hukou": "applies"},
    "06_part_time_flexible": {"enroll_flexible_employment_medical_insurance": "applies",
        "pay_medical_insurance_premiums": "applies", "apply_card_at_district_center": "applies",
        "apply_card_at_service_point": "applies"},
    "07_employee": {"enroll_employee_medical_insurance": "applies",
        "pay_employee_premiums_with_employer": "applies",
        "apply_card_at_district_center": "applies", "apply_card_at_service_point": "applies"},
    "08_nonlocal_freelancer": {"enroll_flexible_employment_medical_insurance": "applies",
        "register_social_security_as_freelancer": "applies",
        "pay_medical_insurance_premiums": "applies", "apply_card_at_district_center": "applies",
        "apply_card_at_service_point": "applies"},
    "09_has_card": {"pay_medical_insurance_premiums": "applies"},
    "10_missing_facts": {procedure: "undetermined" for procedure in PROCEDURES},
    "11_card_via_employer": {"enroll_employee_medical_insurance": "applies",
        "re_enroll_medical_insurance": "applies",
        "pay_employee_premiums_with_employer": "applies",
        "apply_card_at_district_center": "applies", "apply_card_at_service_point": "applies",
        "apply_card_via_employer": "applies"},
    "12_card_by_agent": {"enroll_resident_medical_insurance": "applies",
        "pay_medical_insurance_premiums": "applies", "apply_card_at_district_center": "applies",
        "apply_card_at_service_point": "applies", "apply_card_by_agent": "applies"},
    "13_missing_passport": {"restore_hukou_with_passport": "blocked",
        "apply_for_id_card": "blocked", "re_enroll_medical_insurance": "blocked",
        "enroll_resident_medical_insurance": "blocked",
        "pay_medical_insurance_premiums": "blocked", "apply_card_at_district_center": "blocked",
        "apply_card_at_service_point": "blocked"},
    "14_employer": {"employer_pays_for_employees": "applies"},
    "15_nonlocal_employee": {"enroll_employee_medical_insurance": "applies",
        "pay_employee_premiums_with_employer": "applies",
        "apply_card_at_district_center": "applies", "apply_card_at_service_point": "applies"},
    "16_sparse": {procedure: "undetermined" for procedure in (
        "enroll_flexible_employment_medical_insurance", "register_social_security_as_freelancer",
        "pay_medical_insurance_premiums", "apply_card_at_district_center",
        "apply_card_at_service_point", "apply_card_by_agent", "apply_card_via_employer")},
}


@pytest.fixture(scope="module")
def compiled():
    return policy.load_policy()


@pytest.fixture(scope="module")
def applicants(compiled):
    schema = fact_schema(compiled.program)
    return {path.stem: load_applicant(path, schema) for path in EXAMPLES}


def test_the_bundled_policy_checks_clean(run):
    result = run("check")
    assert result.exit_code == 0
    assert result.stdout.strip() == "0 error(s), 0 warning(s)"


def test_every_procedure_of_the_catalogue_exists(compiled):
    declared = {pid for pid, _ in compiled.static_model["procedure"]}
    assert declared >= PROCEDURES
    for pid in declared:
        assert any(p == pid for p, _ in compiled.static_model["citation"]), pid
        assert any(p == pid for p, _, _ in compiled.static_model["title"]), pid


def test_every_rule_has_an_id_a_citation_and_titles_in_both_languages(compiled):
    for rule in compiled.program.rules:
        if rule.is_fact:
            continue
        assert rule.rule_id, rule.span
        assert rule.annotation("source") is not None, rule.span
        title = rule.annotation("title")
        assert title is not None and dict(title.keywords).keys() >= {"en", "zh"}, rule.span


def test_every_applicant_fact_has_a_description_and_a_question_in_both_languages(compiled):
    for spec in fact_schema(compiled.program):
        for annotation in ("description", "question"):
            found = spec.declaration.annotation(annotation)
            assert found is not None and dict(found.keywords).keys() >= {"en", "zh"}, spec.name


def test_the_examples_reach_every_procedure(compiled, applicants):
    reached = set()
    for applicant in applicants.values():
        reached |= {p.id for p in make_plan(compiled, applicant).procedures if p.status == "applies"}
    assert reached == PROCEDURES


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_example_outcome(compiled, applicants, name):
    plan = make_plan(compiled, applicants[name])
    found = {p.id: p.status for p in plan.procedures if p.status != "not_applicable"}
    assert found == EXPECTED[name]


def test_every_example_is_pinned():
    assert sorted(EXPECTED) == [path.stem for path in EXAMPLES]


def _input_condition(compiled, literal):
    """(spec, negated, constant or None) when a rule condition is about an applicant fact."""
    negated = isinstance(literal, ast.Negation)
    atom = literal.atom if negated else literal
    if not isinstance(atom, ast.Atom) or atom.predicate not in compiled.program.inputs:
        return None
    spec = next(s for s in fact_schema(compiled.program) if s.name == atom.predicate)
    constant = atom.args[0].value if atom.args and isinstance(atom.args[0], ast.Constant) else None
    return spec, negated, constant


def _changes(compiled, literal, make_true: bool) -> list:
    """The changes, from the declared schema, that make one input condition true (or false)."""
    found = _input_condition(compiled, literal)
    if found is None:
        return []
    spec, negated, constant = found
    if spec.is_flag:
        return [Change(spec.name, make_true != negated, None)]
    if constant is None:
        return []
    others = [row[0] for row in sorted(spec.possible_rows()) if row[0] != constant]
    wanted = [constant] if make_true != negated else others
    return [Change(spec.name, value, None) for value in wanted[: 1 if make_true else None]]


def _flips(compiled, literal) -> list:
    return _changes(compiled, literal, make_true=False)


def _satisfying(compiled, literal) -> list:
    return _changes(compiled, literal, make_true=True)


def _base_applicant(compiled, applicants, rule, row, schema):
    """An example applicant for whom the rule fires, made so from the examples if need be."""
    for applicant in applicants.values():
        if _fires(compiled, applicant, rule, row)[0]:
            return applicant
    changes = [change for literal in rule.body for change in _satisfying(compiled, literal)]
    for applicant in applicants.values():
        candidate = apply_changes(applicant, changes, schema)
        if _fires(compiled, candidate, rule, row)[0]:
            return candidate
    return None


def _fires(compiled, applicant, rule, row):
    certain, possible = evaluate_applicant(compiled, applicant)
    model = Model.from_python(certain)
    model.opposite = Model.from_python(possible)
    return next(rule_instances(rule, row, model), None) is not None, model


def test_every_condition_of_every_rule_is_a_boundary(compiled, applicants):
    """For each rule, in an example where it fires, flip each input condition once:
    the rule must stop firing, and when no other rule concludes the same fact, the
    conclusion must go (and a procedure that applied must stop applying)."""
    schema = {spec.name: spec for spec in fact_schema(compiled.program)}
    checked = 0
    for rule in compiled.program.rules:
        if rule.is_fact or rule.head.predicate not in ("eligible", "achieved"):
            continue
        row = tuple(arg.value for arg in rule.head.args)
        base = _base_applicant(compiled, applicants, rule, row, schema)
        assert base is not None, f"no applicant fires {rule.rule_id}"
        for literal in rule.body:
            for change in _flips(compiled, literal):
                flipped = apply_changes(base, [change], schema)
                fires, model = _fires(compiled, flipped, rule, row)
                assert not fires, (rule.rule_id, change)
                others = [r for r in compiled.program.rules_by_head[rule.head.predicate]
                          if r is not rule and next(rule_instances(r, row, model), None) is not None]
                if not others:
                    assert not model.holds(rule.head.predicate, row), (rule.rule_id, change)
                    if rule.head.predicate == "eligible":
                        plan = make_plan(compiled, flipped)
                        status = next(p.status for p in plan.procedures if p.id == row[0])
                        assert status != "applies", (rule.rule_id, change)
                checked += 1
    assert checked >= 60, checked


def test_a_proof_of_every_procedure_of_every_example_is_sound(compiled, applicants):
    from policy.tools.explanation import ApplicantExplainer
    from tests.decide.test_explain import check_proof

    walked = 0
    for applicant in applicants.values():
        explainer = ApplicantExplainer(compiled, applicant)
        for procedure in explainer.plan.procedures:
            if explainer.explainer.certain.holds("eligible", (procedure.id,)):
                for proof in explainer.explainer.why("eligible", (procedure.id,), all_proofs=True):
                    check_proof(proof, compiled, explainer.explainer.certain)
                    walked += 1
    assert walked >= 50


def test_every_example_plan_fits_80_columns_in_both_languages(run):
    from rich.cells import cell_len

    for path in EXAMPLES:
        for lang in ("en", "zh"):
            result = run("query", path, "--all", "--explain", "--lang", lang)
            assert result.exit_code == 0, (path.name, result.stderr)
            assert max(cell_len(line) for line in result.stdout.splitlines()) <= 80, (path.name, lang)

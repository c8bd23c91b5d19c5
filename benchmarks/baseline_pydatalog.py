"""Baseline: the bundled policy's decision rules, hand-written on raw pyDatalog.

The eligibility rules, their helpers (`abroad_on_assignment_or_self_funded`,
`insured_or_enrolling`), the `provides` facts they read and the `achieved`
rules of policy/rules/*.pl, translated by hand into pyDatalog's Python API:
`+fact`, `head <= body`, `~` for negation. Two-valued: a fact not given is
false. The catalogue data (titles, offices, documents, needs) is left out:
no decision reads it.

`decide(facts)` is one decision: reset the logic to the snapshot taken after
the rules were loaded, assert the applicant's facts, query `eligible(P)` and
`achieved(M)`, retract the facts. The retraction is needed: a pyDatalog
`Logic(snapshot)` copy shares the predicate tables with the snapshot, so facts
asserted after a reset would otherwise still be there at the next reset
(policy/engine.py notes the same; `self_check` below checks that nothing
leaks, and benchmarks/run.py calls it).

    python benchmarks/baseline_pydatalog.py facts/01_returnee_self_funded.yaml
"""
from __future__ import annotations

import sys

from pyDatalog import Logic, pyDatalog

# The applicant's facts: 26 yes/no facts and 3 enums (policy/rules/00_applicant.pl).
FLAGS = (
    "returned_overseas_student", "from_another_region", "has_local_hukou",
    "hukou_cancelled_before_leaving", "wants_hukou_restored", "justified_reason_other_station",
    "resettled_across_cities", "state_unified_assignment", "has_doctorate",
    "transferred_to_key_project_or_soe", "works_in_remote_hard_area",
    "has_spouse_or_minor_children", "has_valid_id_card", "has_passport",
    "has_hukou_cancellation_certificate", "has_moe_mop_certificates",
    "has_receiving_personnel_certificate", "has_provincial_personnel_certificate",
    "has_family_household_certificates", "has_employer_letter",
    "wants_to_pay_locally", "enrolled_in_medical_insurance", "premiums_paid",
    "has_medical_insurance_card", "wants_agent", "employer_handles_centrally",
)
ENUMS = ("went_abroad_as", "hukou_type", "employment")

pyDatalog.create_terms(
    "eligible, achieved, provides, abroad_on_assignment_or_self_funded, insured_or_enrolling, "
    "freelancer, "
    + ", ".join(FLAGS + ENUMS) + ", P, M")

_TERMS = {name: globals()[name] for name in FLAGS + ENUMS}


def _load_rules() -> None:
    """The rules of policy/rules/*.pl, in file order (into the current logic)."""
    # --- 00_applicant.pl: milestones already achieved
    achieved("hukou") <= has_local_hukou()
    achieved("id_card") <= has_valid_id_card()
    achieved("enrolment") <= enrolled_in_medical_insurance()
    achieved("payment") <= premiums_paid()
    achieved("card") <= has_medical_insurance_card()
    achieved("passport") <= has_passport()
    achieved("hukou_cancellation_certificate") <= has_hukou_cancellation_certificate()
    achieved("moe_mop_certificates") <= has_moe_mop_certificates()
    achieved("receiving_personnel_certificate") <= has_receiving_personnel_certificate()
    achieved("provincial_personnel_certificate") <= has_provincial_personnel_certificate()
    achieved("family_household_certificates") <= has_family_household_certificates()
    achieved("employer_letter") <= has_employer_letter()

    # --- 10_returnee_guide.pl
    # I.1
    eligible("re_enroll_medical_insurance") <= (
        returned_overseas_student() & hukou_cancelled_before_leaving()
        & wants_to_pay_locally() & ~enrolled_in_medical_insurance())
    + provides("re_enroll_medical_insurance", "enrolment")
    # I.2
    eligible("apply_for_id_card") <= returned_overseas_student() & ~has_valid_id_card()
    + provides("apply_for_id_card", "id_card")
    # II.1
    abroad_on_assignment_or_self_funded() <= went_abroad_as("public_assignment")
    abroad_on_assignment_or_self_funded() <= went_abroad_as("self_funded")
    eligible("restore_hukou_with_passport") <= (
        returned_overseas_student() & abroad_on_assignment_or_self_funded()
        & hukou_cancelled_before_leaving() & wants_hukou_restored() & ~has_local_hukou()
        & ~justified_reason_other_station() & ~resettled_across_cities())
    + provides("restore_hukou_with_passport", "hukou")
    # II.2
    eligible("settle_at_other_station") <= (
        returned_overseas_student() & abroad_on_assignment_or_self_funded()
        & hukou_cancelled_before_leaving() & wants_hukou_restored() & ~has_local_hukou()
        & justified_reason_other_station() & ~resettled_across_cities())
    + provides("settle_at_other_station", "hukou")
    # II.3
    eligible("settle_cross_region_state_assigned") <= (
        returned_overseas_student() & hukou_cancelled_before_leaving() & ~has_local_hukou()
        & resettled_across_cities() & state_unified_assignment())
    + provides("settle_cross_region_state_assigned", "hukou")
    # II.4
    eligible("settle_cross_region_self_arranged") <= (
        returned_overseas_student() & hukou_cancelled_before_leaving() & ~has_local_hukou()
        & resettled_across_cities() & ~state_unified_assignment())
    + provides("settle_cross_region_self_arranged", "hukou")
    # II.5
    eligible("move_in_family_hukou") <= (
        returned_overseas_student() & has_doctorate() & has_spouse_or_minor_children())
    eligible("move_in_family_hukou") <= (
        returned_overseas_student() & transferred_to_key_project_or_soe()
        & has_spouse_or_minor_children())
    eligible("move_in_family_hukou") <= (
        returned_overseas_student() & works_in_remote_hard_area()
        & has_spouse_or_minor_children())
    + provides("move_in_family_hukou", "family_hukou")
    # III: "the insured person"
    insured_or_enrolling() <= achieved("enrolment")
    insured_or_enrolling() <= eligible(P) & provides(P, "enrolment")
    # III.1-III.4: the card channels
    eligible("apply_card_at_district_center") <= (
        insured_or_enrolling() & ~has_medical_insurance_card())
    eligible("apply_card_at_service_point") <= (
        insured_or_enrolling() & ~has_medical_insurance_card())
    eligible("apply_card_by_agent") <= (
        insured_or_enrolling() & ~has_medical_insurance_card() & wants_agent())
    eligible("apply_card_via_employer") <= (
        insured_or_enrolling() & ~has_medical_insurance_card() & employer_handles_centrally())
    for channel in ("apply_card_at_district_center", "apply_card_at_service_point",
                    "apply_card_by_agent", "apply_card_via_employer"):
        + provides(channel, "card")

    # --- 20_nonlocal_guide.pl
    # ways.1-4
    for status in ("self_employed_no_employees", "part_time_not_in_employee_scheme",
                   "other_flexible"):
        freelancer() <= employment(status)
    eligible("register_social_security_as_freelancer") <= (
        from_another_region() & freelancer() & wants_to_pay_locally() & hukou_type("urban")
        & ~enrolled_in_medical_insurance())
    eligible("register_social_security_as_freelancer") <= (
        from_another_region() & freelancer() & wants_to_pay_locally() & hukou_type("rural")
        & ~enrolled_in_medical_insurance())
    + provides("register_social_security_as_freelancer", "enrolment")
    # process.1-3
    eligible("enroll_resident_medical_insurance") <= (
        employment("not_employed") & wants_to_pay_locally() & ~enrolled_in_medical_insurance())
    + provides("enroll_resident_medical_insurance", "enrolment")
    # process.5
    eligible("pay_medical_insurance_premiums") <= (
        insured_or_enrolling() & ~premiums_paid() & ~employment("employee"))
    + provides("pay_medical_insurance_premiums", "payment")
    # SIL art.23 para.1
    eligible("enroll_employee_medical_insurance") <= (
        employment("employee") & ~enrolled_in_medical_insurance())
    + provides("enroll_employee_medical_insurance", "enrolment")
    eligible("pay_employee_premiums_with_employer") <= (
        employment("employee") & insured_or_enrolling() & ~premiums_paid())
    + provides("pay_employee_premiums_with_employer", "payment")
    eligible("employer_pays_for_employees") <= employment("employer")
    # SIL art.23 para.2
    for status in ("self_employed_no_employees", "part_time_not_in_employee_scheme",
                   "other_flexible"):
        eligible("enroll_flexible_employment_medical_insurance") <= (
            employment(status) & ~enrolled_in_medical_insurance())
    + provides("enroll_flexible_employment_medical_insurance", "enrolment")


def _declare_inputs() -> None:
    """pyDatalog refuses to query a predicate it has never seen: assert and retract once."""
    for name in FLAGS:
        + _TERMS[name]()
        - _TERMS[name]()
    for name in ENUMS:
        + _TERMS[name]("__declared__")
        - _TERMS[name]("__declared__")


class Baseline:
    """The rules loaded once into a logic of their own, and the snapshot to reset to."""

    def __init__(self):
        Logic()  # a fresh, empty logic in this thread
        _declare_inputs()
        _load_rules()
        self.snapshot = Logic(True)

    def decide(self, facts: dict) -> tuple:
        """(eligible procedures, achieved milestones) for {fact: True/False/enum value}."""
        Logic(self.snapshot)
        asserted = []
        for name, value in facts.items():
            if value is True:
                literal = _TERMS[name]()
            elif value is False or value is None:
                continue
            else:
                literal = _TERMS[name](value)
            + literal
            asserted.append(literal)
        try:
            return (frozenset(p for (p,) in eligible(P).data),
                    frozenset(m for (m,) in achieved(M).data))
        finally:
            for literal in asserted:
                - literal


_BASELINE = None


def decide(facts: dict) -> tuple:
    """One decision with the module's Baseline (built on first use, in this thread)."""
    global _BASELINE
    if _BASELINE is None:
        _BASELINE = Baseline()
    return _BASELINE.decide(facts)


def self_check(baseline: Baseline) -> None:
    """Facts of one decision must not leak into the next."""
    first = baseline.decide({"returned_overseas_student": True, "has_valid_id_card": False})
    assert "apply_for_id_card" in first[0], first
    after = baseline.decide({})
    assert after == (frozenset(), frozenset()), f"facts leaked between decisions: {after}"


if __name__ == "__main__":
    import yaml

    baseline = Baseline()
    applicant = yaml.safe_load(open(sys.argv[1], encoding="utf-8"))
    applicant.pop("applicant", None)
    eligible_, achieved_ = baseline.decide(applicant)
    print("eligible:", " ".join(sorted(eligible_)))
    print("achieved:", " ".join(sorted(achieved_)))

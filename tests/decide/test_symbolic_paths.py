"""The shortcuts a finite policy takes give exactly the answers of evaluating each applicant.

With the policy's Symbolic compile, an applicant's procedure formulas are the policy's own
with the given facts substituted (worked out once per policy), and deciding facts come from the policy's
dependence formulas (Symbolic.dependence), also with the given facts substituted. Here every outcome is compared with a Decision that evaluates the
applicant's lineage itself and runs the milestone fixpoint itself."""
from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

import policy
from policy.decide import completions
from policy.decide.completions import Decision
from policy.inputs.applicant import applicant_from_mapping, fact_schema

COMPILED = policy.load_policy()
SCHEMA = fact_schema(COMPILED.program)


def values_of(spec) -> list:
    if spec.is_flag:
        return [True, False]
    return [row[0] for row in sorted(spec.possible_rows(), key=repr)]


applicants = st.fixed_dictionaries(
    {}, optional={spec.name: st.sampled_from(values_of(spec)) for spec in SCHEMA})


def outcomes(decision: Decision) -> dict:
    return {pid: (o.status, o.missing, o.blocked_by) for pid, o in decision.outcomes.items()}


def evaluated_alone(applicant) -> Decision:
    saved = completions._symbolic
    completions._symbolic = lambda *args: None
    try:
        return Decision(COMPILED, applicant)
    finally:
        completions._symbolic = saved


@settings(max_examples=40, deadline=None, derandomize=True)
@given(applicants)
def test_substituted_policy_formulas_equal_the_applicants_own_evaluation(facts):
    applicant = applicant_from_mapping({"applicant": "t", **facts}, SCHEMA, "t", 1)
    shortcut = Decision(COMPILED, applicant)
    assert shortcut._symbolic is not None  # the bundled policy takes the shortcut
    assert outcomes(shortcut) == outcomes(evaluated_alone(applicant))


def test_a_sparse_applicant_takes_the_shortcut_with_deciding_facts():
    applicant = applicant_from_mapping({"applicant": "t", "returned_overseas_student": True},
                                       SCHEMA, "t", 1)
    first = outcomes(Decision(COMPILED, applicant))
    again = outcomes(Decision(COMPILED, applicant))  # the dependence formulas made already
    assert first == again == outcomes(evaluated_alone(applicant))
    assert any(status == "undetermined" and missing for status, missing, _ in first.values())

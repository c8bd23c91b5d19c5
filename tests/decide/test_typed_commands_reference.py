"""`batch` and `interview` on random policies over unknown dates, strings and decimals.

The policies and applicants of test_typed_unknowns_reference (whose plans are checked there
against an enumeration of completions). Here the commands must agree with those plans:
every `batch` record, on both engines, has the statuses of the applicant's plan; and an
interview answered from a full applicant asks only facts that decide some procedure at the
moment it asks, asks every fact that still decides one, and ends with the statuses the
full applicant's plan has.
"""
from __future__ import annotations

import datetime
import json
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import policy
from tests.decide.test_open_values_reference import plan_answer
from tests.decide.test_typed_unknowns_reference import GIVEN, UNKNOWN, applicants, programs

SETTINGS = settings(max_examples=20, deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                           HealthCheck.function_scoped_fixture])
FULL = st.fixed_dictionaries({name: st.one_of(st.sampled_from(choices), st.just(UNKNOWN))
                              for name, choices in GIVEN.items()})


def _json(value):
    if isinstance(value, datetime.date):
        return value.isoformat()
    return float(value) if isinstance(value, Decimal) else value  # 0.5, 1.75, 2.25: exact


def _yaml(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value) if isinstance(value, (datetime.date, Decimal)) else json.dumps(value)


def _statuses(answer: dict) -> dict:
    return {pid: status for pid, (status, _) in answer.items()}


@settings(SETTINGS, max_examples=10)
@given(programs(), st.lists(applicants(), min_size=1, max_size=4))
def test_every_batch_record_has_the_plans_statuses_on_both_engines(run, tmp_path, text, population):
    rules, rows = tmp_path / "p.pl", tmp_path / "rows.jsonl"
    rules.write_text(text, encoding="utf-8")
    rows.write_text("".join(json.dumps({"applicant": f"a{i}", **{k: _json(v) for k, v in values.items()
                                                                 if v is not UNKNOWN}}) + "\n"
                            for i, values in enumerate(population)), encoding="utf-8")
    compiled = policy.compile_text(text)
    expected = [_statuses(plan_answer(compiled, values)) for values in population]
    for engine in ("pydatalog", "duckdb"):
        out = tmp_path / f"{engine}.jsonl"
        result = run("batch", rows, "--out", out, "--policy", rules, "--engine", engine, "--jobs", "1")
        assert result.exit_code == 0, result.stderr
        records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
        assert [r["procedures"] for r in records] == expected, (engine, text)


@SETTINGS
@given(programs(), FULL)
def test_an_interview_asks_what_decides_and_ends_at_the_full_plan(run, tmp_path, text, truth):
    rules, answers = tmp_path / "p.pl", tmp_path / "truth.yaml"
    rules.write_text(text, encoding="utf-8")
    answers.write_text("applicant: t\n" + "".join(f"{k}: {_yaml(v)}\n" for k, v in truth.items()
                                                  if v is not UNKNOWN), encoding="utf-8")
    result = run("interview", "--answers", answers, "--policy", rules, "--format", "json")
    assert result.exit_code == 0, result.stderr
    compiled = policy.compile_text(text)
    known = dict.fromkeys(GIVEN, UNKNOWN)
    for question in json.loads(result.stdout)["questions"]:
        deciding = {fact for _, missing in plan_answer(compiled, known).values() for fact in missing}
        assert question["fact"] in deciding, (text, known, question["fact"])
        known[question["fact"]] = truth[question["fact"]]
    after = plan_answer(compiled, known)
    assert all(truth[fact] is UNKNOWN for _, missing in after.values() for fact in missing), text
    assert _statuses(after) == _statuses(plan_answer(compiled, truth)), text

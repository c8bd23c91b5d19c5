"""A date fact written as ISO text: JSON has no dates, so JSON facts files, batch lines and the
HTTP service could not give a date at all ("'started': "1990-01-01" is a string, not a date")."""
from __future__ import annotations

import json

import policy
from policy.inputs.applicant import applicant_from_mapping, fact_schema

POLICY = """
input started(day: date).
@values("many")
input visit(city: string, day: date).
derived eligible(procedure: enum(veteran, traveller)).
derived procedure(procedure: enum(veteran, traveller), modality: enum(may)).
eligible(veteran) :- started(D), D < 2000-01-01.
eligible(traveller) :- visit(C, D), D >= 2026-01-01.
procedure(veteran, may).
procedure(traveller, may).
"""


def _rules(tmp_path):
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "p.pl").write_text(POLICY, encoding="utf-8")
    return rules


def test_json_files_and_batch_lines_give_dates_as_iso_text(run, tmp_path):
    rules = _rules(tmp_path)
    facts = {"applicant": "J", "started": "1990-01-01",
             "visit": [{"city": "Xi'an", "day": "2026-03-01"}]}
    applicant = tmp_path / "j.json"
    applicant.write_text(json.dumps(facts), encoding="utf-8")
    plan = run("query", applicant, "--policy", rules, "--format", "json")
    assert plan.exit_code == 0, plan.stderr
    assert {p["id"]: p["status"] for p in json.loads(plan.stdout)["procedures"]} == \
        {"veteran": "applies", "traveller": "applies"}
    rows = tmp_path / "rows.jsonl"
    rows.write_text(json.dumps(facts) + "\n" + json.dumps({**facts, "started": "2001-05-05"})
                    + "\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    assert run("batch", rows, "--policy", rules, "--out", out).exit_code == 0
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r["procedures"]["veteran"] for r in records] == ["applies", "not_applicable"]


def test_the_service_and_eval_read_iso_dates_and_refuse_what_is_no_day(run, tmp_path):
    compiled = policy.compile_text(POLICY)
    schema = fact_schema(compiled.program)
    applicant = applicant_from_mapping({"started": "1999-12-31"}, schema, "<request>", 1)
    assert {str(row[0]) for row in applicant.facts["started"]} == {"1999-12-31"}
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"applicant": "B", "started": "1990-02-30"}), encoding="utf-8")
    refused = run("query", bad, "--policy", _rules(tmp_path))
    assert refused.exit_code == 2 and "1990-02-30 is not a valid date" in refused.stderr
    words = tmp_path / "words.json"
    words.write_text(json.dumps({"applicant": "W", "started": "yesterday"}), encoding="utf-8")
    assert "is a string, not a date" in run("query", words, "--policy", tmp_path / "rules").stderr
    program = tmp_path / "d.pl"
    program.write_text("input d(day: date).\nearly(X) :- d(X), X < 2000-01-01.\n",
                       encoding="utf-8")
    facts = tmp_path / "d.json"
    facts.write_text(json.dumps({"d": [["1990-01-01"], ["2001-01-01"]]}), encoding="utf-8")
    for engine in ("pydatalog", "duckdb"):
        answer = run("eval", program, "--facts", facts, "--engine", engine)
        assert answer.stdout.splitlines() == ["early(1990-01-01)."], engine

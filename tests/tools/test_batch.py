"""`policylog batch`: order, one record per row, bad rows, CSV and JSONL, unknown cells."""
from __future__ import annotations

import csv
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

import policy
from policy.inputs.applicant import fact_schema
from tests.signals import default_signals

ROOT = Path(__file__).parents[2]
EXAMPLES = sorted((ROOT / "facts").glob("*.yaml"))


@pytest.fixture(scope="module")
def schema_names():
    return [spec.name for spec in fact_schema(policy.load_policy().program)]


def example_values():
    return [yaml.safe_load(path.read_text(encoding="utf-8")) for path in EXAMPLES]


def write_csv(path, names, applicants, extra_rows=()):
    with open(path, "w", newline="", encoding="utf-8") as stream:
        writer = csv.writer(stream)
        writer.writerow(["applicant", *names])
        for values in applicants:
            writer.writerow([values["applicant"]] + [_cell(values.get(n)) for n in names])
        for row in extra_rows:
            writer.writerow(row)


def _cell(value):
    if value is None:
        return ""
    return str(value).lower() if isinstance(value, bool) else str(value)


def query_statuses(run, path):
    document = json.loads(run("query", path, "--format", "json", "--all").stdout)
    return {p["id"]: p["status"] for p in document["procedures"]}


def read_jsonl(path):
    return [json.loads(line) for line in Path(path).read_text(encoding="utf-8").splitlines()]


def test_jsonl_gives_the_same_answers_as_query_for_every_example(run, tmp_path):
    source = tmp_path / "people.jsonl"
    source.write_text("".join(json.dumps(v, default=str) + "\n" for v in example_values()))
    out = tmp_path / "out.jsonl"
    result = run("batch", source, "--out", out, "--jobs", "1")
    assert result.exit_code == 0, result.stderr
    records = read_jsonl(out)
    assert [r["line"] for r in records] == list(range(1, len(EXAMPLES) + 1))
    for record, path in zip(records, EXAMPLES):
        assert record["error"] is None
        assert record["procedures"] == query_statuses(run, path), path.name


def test_csv_in_csv_out_keeps_order_with_every_core(run, tmp_path, schema_names):
    applicants = example_values() * 30
    source = tmp_path / "people.csv"
    write_csv(source, schema_names, applicants)
    out = tmp_path / "out.csv"
    result = run("batch", source, "--out", out, "--jobs", "2")
    assert result.exit_code == 0, result.stderr
    with open(out, newline="", encoding="utf-8") as stream:
        rows = list(csv.DictReader(stream))
    assert len(rows) == len(applicants)
    assert [row["applicant"] for row in rows] == [a["applicant"] for a in applicants]
    assert [int(row["line"]) for row in rows] == list(range(2, len(applicants) + 2))
    expected = {path.stem: query_statuses(run, path) for path in EXAMPLES[:3]}
    for row, path in zip(rows[:3], EXAMPLES[:3]):
        assert {k: row[k] for k in expected[path.stem]} == expected[path.stem]


def test_bad_rows_become_error_records_and_the_rest_go_on(run, tmp_path, schema_names):
    source = tmp_path / "people.csv"
    good = example_values()[:2]
    bad_value = ["Bad One", "maybe"] + [""] * (len(schema_names) - 1)
    short = ["Too Short", "true"]
    write_csv(source, schema_names, good, extra_rows=[bad_value, short])
    out = tmp_path / "out.jsonl"
    result = run("batch", source, "--out", out, "--jobs", "1")
    assert result.exit_code == 1  # some rows are error records
    records = read_jsonl(out)
    assert len(records) == 4
    assert [r["error"] is None for r in records] == [True, True, False, False]
    assert [r["applicant"] for r in records[2:]] == ["Bad One", "Too Short"]
    assert records[2]["line"] == 4 and "yes/no" in records[2]["error"]
    assert records[3]["line"] == 5 and "cells" in records[3]["error"]
    assert result.stdout.startswith("4 row(s), 2 error(s)")


def test_jsonl_bad_lines(run, tmp_path):
    source = tmp_path / "people.jsonl"
    source.write_text('{"applicant": "A", "returned_overseas_student": true}\n{broken\n[1, 2]\n'
                      '{"applicant": "B", "employmnet": "employee"}\n')
    out = tmp_path / "out.jsonl"
    run("batch", source, "--out", out, "--jobs", "1")
    records = read_jsonl(out)
    assert [r["line"] for r in records] == [1, 2, 3, 4]
    assert records[0]["error"] is None
    assert "not valid JSON" in records[1]["error"]
    assert "JSON object" in records[2]["error"]
    assert "did you mean 'employment'" in records[3]["error"]


def test_an_empty_cell_is_unknown_not_false(run, tmp_path, schema_names):
    source = tmp_path / "people.csv"
    values = dict(example_values()[0])
    write_csv(source, schema_names, [values, {**values, "justified_reason_other_station": None}])
    out = tmp_path / "out.jsonl"
    run("batch", source, "--out", out, "--jobs", "1")
    known, unknown = read_jsonl(out)
    assert known["procedures"]["restore_hukou_with_passport"] == "applies"
    assert unknown["procedures"]["restore_hukou_with_passport"] == "undetermined"
    assert unknown["procedures"]["settle_at_other_station"] == "undetermined"


def test_rows_that_differ_only_in_facts_that_cannot_matter_get_the_same_statuses(run, tmp_path):
    source = tmp_path / "people.csv"
    source.write_text("applicant,returned_overseas_student,employment,hukou_cancelled_before_leaving,"
                      "has_doctorate\n"
                      "A,false,employee,true,true\nB,false,employee,false,\nC,false,employee,,false\n"
                      "D,true,employee,true,true\n")
    out = tmp_path / "out.jsonl"
    result = run("batch", source, "--out", out, "--jobs", "1")
    assert result.exit_code == 0
    # a finite schema: every row is decided from the policy's one symbolic evaluation
    assert result.stdout.startswith("4 row(s), 0 error(s), 0 situation(s) evaluated")
    a, b, c, d = read_jsonl(out)
    assert a["procedures"] == b["procedures"] == c["procedures"] != d["procedures"]
    assert [r["applicant"] for r in (a, b, c, d)] == ["A", "B", "C", "D"]


def test_a_bad_header_is_bad_input(run, tmp_path):
    source = tmp_path / "people.csv"
    source.write_text("applicant,employmnet\nA,employee\n")
    result = run("batch", source, "--out", tmp_path / "out.jsonl")
    assert result.exit_code == 2
    assert "people.csv:1" in result.stderr and "did you mean 'employment'" in result.stderr


def test_ctrl_c_leaves_a_valid_output_of_the_rows_finished(tmp_path, schema_names):
    # The rows come through a pipe that stays open: the batch cannot finish before Ctrl-C,
    # however fast it is.
    source = tmp_path / "many.csv"
    os.mkfifo(source)
    rows = tmp_path / "rows.csv"
    write_csv(rows, schema_names, example_values() * 1000)
    header, *lines = rows.read_text(encoding="utf-8").splitlines(keepends=True)
    out = tmp_path / "out.jsonl"
    process = subprocess.Popen(
        [sys.executable, str(ROOT / "cli.py"), "batch", str(source), "--out", str(out), "--jobs", "1"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True,
        preexec_fn=default_signals)
    deadline = time.monotonic() + 90  # a loaded machine starts slowly

    def written() -> int:  # the records go to a partial file beside OUT until the end
        sizes = []
        for partial in tmp_path.glob(".out.jsonl.*.partial"):
            try:
                sizes.append(partial.stat().st_size)
            except FileNotFoundError:  # renamed into place meanwhile
                pass
        return sum(sizes)

    fed = 0
    with open(source, "w", encoding="utf-8") as pipe:
        pipe.write(header)
        while written() < 20_000 and time.monotonic() < deadline and process.poll() is None:
            pipe.write("".join(lines))
            pipe.flush()
            fed += len(lines)
            time.sleep(0.05)
        os.killpg(process.pid, signal.SIGINT)  # as Ctrl-C does: the whole process group
        _, stderr = process.communicate(timeout=30)
    assert process.returncode == 130, stderr
    assert not list(tmp_path.glob("*.partial"))
    records = read_jsonl(out)
    assert 0 < len(records) <= fed
    assert [r["line"] for r in records] == list(range(2, len(records) + 2))
    assert f"interrupted: {len(records)} row(s) finished" in stderr

"""The columnar batch on worker processes (batch_parallel.py) writes --jobs 1's bytes.

The same CSV goes through ColumnBatch.run in this process and through run_parallel on
two workers, with small blocks so that many are in flight: the JSONL texts, the rows,
errors and status counts are equal, for bad rows, odd cells, quoted newlines, a line
that is not UTF-8, fewer rows than workers, a header alone and an empty file.
"""
from __future__ import annotations

import io

import pytest

import policy
from policy.decide.status_diagram import StatusDiagrams
from policy.inputs.applicant import fact_schema
from policy.inputs.rows import CsvRows
from policy.tools.batch import Evaluator
from policy.tools.batch_columns import ColumnBatch
from policy.tools.batch_parallel import can_run, run_parallel
from policy.tools.batch_writers import CsvWriter, JsonlWriter, Summary
from tests.tools.test_batch_columns import write_rows

pytestmark = pytest.mark.skipif(not can_run(JsonlWriter(None, []), 2), reason="needs fork")


def decided(path, jobs: int, size: int):
    compiled = policy.load_policy()
    rows = CsvRows(path, fact_schema(compiled.program))
    batch = ColumnBatch(StatusDiagrams.of(compiled), Evaluator(compiled, str(path)), rows)
    out, summary, seen = io.StringIO(), Summary(), []
    write = JsonlWriter(out, [])
    if jobs == 1:
        batch.run(write, summary, lambda: seen.append(1), size)
    else:
        run_parallel(batch, write, summary, lambda: seen.append(1), jobs, size)
    assert len(seen) == summary.rows  # progress: once a row
    return out.getvalue(), (summary.rows, summary.errors, summary.counts)


def same_both_ways(path, size: int = 97) -> str:
    one = decided(path, 1, size)
    assert decided(path, 2, size) == one
    return one[0]


def test_two_workers_write_the_bytes_of_one(tmp_path):
    source = tmp_path / "rows.csv"
    write_rows(source, 1500, seed=5)
    with open(source, "ab") as stream:
        stream.write(b'"two\nlines",true\n')  # a quoted newline (and too few cells)
        stream.write(b'bad \xff byte,true\n')  # not UTF-8
    text = same_both_ways(source)
    assert len(text.splitlines()) == 1503
    assert '"error": null' in text and "not UTF-8" in text


def test_fewer_rows_than_workers_and_no_rows(tmp_path):
    source = tmp_path / "rows.csv"
    write_rows(source, 0, seed=6)  # a header and one short row
    assert len(same_both_ways(source).splitlines()) == 1
    header = source.read_text(encoding="utf-8").splitlines()[0]
    source.write_text(header + "\n", encoding="utf-8")
    assert same_both_ways(source) == ""
    source.write_text("", encoding="utf-8")
    assert same_both_ways(source) == ""


def test_only_jsonl_out_and_several_jobs_go_to_workers():
    assert not can_run(JsonlWriter(None, []), 1)
    assert not can_run(CsvWriter(io.StringIO(), []), 2)


def test_the_cli_writes_the_same_file_at_two_jobs(tmp_path, run):
    source = tmp_path / "rows.csv"
    write_rows(source, 300, seed=7)
    outputs = []
    for jobs in ("1", "2"):
        out = tmp_path / f"out{jobs}.jsonl"
        result = run("batch", str(source), "--out", str(out), "--jobs", jobs)
        outputs.append((out.read_bytes(), result.output, result.exit_code))
    assert outputs[0] == outputs[1]
    assert outputs[0][2] == 1 and b'"error": "' in outputs[0][0]  # the bad rows: exit 1

"""A CSV batch decided by column (batch_columns.py) writes the general way's bytes.

The same rows go through run_batch twice: as the CsvRows reader (by column, with the
compiled diagrams) and as a plain list of its Rows (the general way, row by row): the
JSONL and CSV outputs and the summaries are equal, bad rows and odd cells included.
"""
from __future__ import annotations

import csv
import io
import random

import policy
from policy.inputs.applicant import fact_schema
from policy.inputs.rows import CsvRows
from policy.tools.batch import run_batch
from policy.tools.batch_writers import CsvWriter, JsonlWriter, Summary

ODD_CELLS = ["TRUE", " yes ", "No", "maybe", "1", "0", " self_funded", "Urban", "employee,x"]
NAMES = ["", "Ann", 'quote " and \\ slash', "中文", " padded ", "=1+1", "tab\there"]


def write_rows(path, count: int, seed: int) -> None:
    compiled = policy.load_policy()
    schema = fact_schema(compiled.program)
    rng = random.Random(seed)
    with open(path, "w", newline="", encoding="utf-8") as stream:
        writer = csv.writer(stream)
        writer.writerow(["applicant"] + [spec.name for spec in schema])
        for number in range(count):
            row = [rng.choice(NAMES) + (str(number) if rng.random() < 0.5 else "")]
            for spec in schema:
                values = ["true", "false"] if spec.is_flag else list(spec.type.values)
                pick = rng.random()
                row.append("" if pick < 0.3 else rng.choice(ODD_CELLS) if pick < 0.32
                           else rng.choice(values))
            if rng.random() < 0.01:
                row = row[:-2]  # too few cells
            writer.writerow(row)
        stream.write("x,true\n")  # a short last row


def batch_text(path, writer_class, by_column: bool):
    compiled = policy.load_policy()
    rows = CsvRows(path, fact_schema(compiled.program))
    out, summary = io.StringIO(), None
    procedures = sorted(p for p, _ in compiled.static_model["procedure"])
    write = writer_class(out, procedures)
    summary = run_batch(compiled, None, rows if by_column else list(rows), write, 1, str(path))
    return out.getvalue(), summary


def test_by_column_writes_the_same_jsonl_as_row_by_row(tmp_path):
    source = tmp_path / "rows.csv"
    write_rows(source, 3000, seed=3)
    fast, fast_summary = batch_text(source, JsonlWriter, True)
    slow, slow_summary = batch_text(source, JsonlWriter, False)
    assert fast == slow
    assert len(fast.splitlines()) == 3001
    assert '"error": null' in fast and '"error": "' in fast  # both kinds of record
    assert (fast_summary.rows, fast_summary.errors) == (slow_summary.rows, slow_summary.errors)
    assert fast_summary.counts == slow_summary.counts


def test_by_column_writes_the_same_csv_as_row_by_row(tmp_path):
    source = tmp_path / "rows.csv"
    write_rows(source, 500, seed=4)
    assert batch_text(source, CsvWriter, True)[0] == batch_text(source, CsvWriter, False)[0]


def test_an_empty_csv_gives_no_records(tmp_path):
    source = tmp_path / "rows.csv"
    source.write_text("", encoding="utf-8")
    text, summary = batch_text(source, JsonlWriter, True)
    assert text == "" and summary.rows == 0

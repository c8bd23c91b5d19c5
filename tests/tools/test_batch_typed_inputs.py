"""JSONL and Parquet rows decided by column (batch_values.py) write the general way's bytes,
and the same applicants give the same statuses from CSV, JSONL and Parquet.

The block path is run_batch on read_rows' reader; the general way is run_batch on a
plain list of the same Rows (row by row). Bad rows (not JSON, not an object, an unknown
fact, a bad value, a list, a number) are among them, and keep their line numbers.
"""
from __future__ import annotations

import csv
import io
import json
import random

import pyarrow
import pyarrow.parquet

import policy
from policy.inputs.applicant import fact_schema
from policy.inputs.rows import TypedRows, read_rows
from policy.tools.batch import run_batch
from policy.tools.batch_values import ValueBatch
from policy.tools.batch_writers import CsvWriter, JsonlWriter

ODD_VALUES = ["yes", "TRUE", 1, 0, "maybe", None, [True], 2.5, {"a": 1}, " urban"]
BAD_LINES = ["not json", "[1, 2]", "", '{"no_such_fact": true}', "42"]


def applicants(count: int, seed: int, odd: bool) -> list:
    """Dicts of fact values (the name under "applicant"); with `odd`, some odd values."""
    schema = fact_schema(policy.load_policy().program)
    rng = random.Random(seed)
    found = []
    for number in range(count):
        row = {"applicant": rng.choice(["", "Ann", "中文", 'q"uote']) + str(number)}
        for spec in schema:
            values = [True, False] if spec.is_flag else list(spec.type.values)
            pick = rng.random()
            if pick < 0.3:
                continue
            row[spec.name] = (rng.choice(ODD_VALUES) if odd and pick < 0.33
                              else rng.choice(values))
        found.append(row)
    return found


def batch_text(path, kind: str, writer_class, by_column: bool) -> str:
    compiled = policy.load_policy()
    rows = read_rows(path, kind, fact_schema(compiled.program))
    assert isinstance(rows, TypedRows)
    out = io.StringIO()
    write = writer_class(out, sorted(p for p, _ in compiled.static_model["procedure"]))
    run_batch(compiled, None, rows if by_column else list(rows), write, 1, str(path))
    return out.getvalue()


def test_jsonl_by_column_writes_the_same_bytes_as_row_by_row(tmp_path):
    source = tmp_path / "rows.jsonl"
    lines = [json.dumps(row, ensure_ascii=False) for row in applicants(2500, 7, odd=True)]
    for at, bad in zip((3, 400, 401, 1700, 2499), BAD_LINES):
        lines.insert(at, bad)
    lines.insert(10, json.dumps({"applicant": 0}))  # a falsy name: named by its line
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    fast = batch_text(source, "jsonl", JsonlWriter, True)
    assert fast == batch_text(source, "jsonl", JsonlWriter, False)
    records = [json.loads(line) for line in fast.splitlines()]
    assert [r["line"] for r in records] == list(range(1, len(lines) + 1))
    assert records[3]["error"] and records[10]["applicant"] == "line 11"
    assert sum(r["error"] is None for r in records) > 1000
    assert batch_text(source, "jsonl", CsvWriter, True) == \
        batch_text(source, "jsonl", CsvWriter, False)


def write_parquet(path, rows: list) -> None:
    schema = fact_schema(policy.load_policy().program)
    arrays = {"applicant": pyarrow.array([r["applicant"] for r in rows], type=pyarrow.string())}
    for spec in schema:
        kind = pyarrow.bool_() if spec.is_flag else pyarrow.string()
        arrays[spec.name] = pyarrow.array([r.get(spec.name) for r in rows], type=kind)
    pyarrow.parquet.write_table(pyarrow.table(arrays), path, row_group_size=700)


def test_parquet_by_column_writes_the_same_bytes_as_row_by_row(tmp_path, monkeypatch):
    source = tmp_path / "rows.parquet"
    write_parquet(source, applicants(2000, 8, odd=False))
    blocks = []
    decide = ValueBatch.decide
    monkeypatch.setattr(ValueBatch, "decide", lambda self, block: blocks.append(len(block))
                        or decide(self, block))
    fast = batch_text(source, "parquet", JsonlWriter, True)
    assert sum(blocks) == 2000  # every row went through the block path
    monkeypatch.undo()
    assert fast == batch_text(source, "parquet", JsonlWriter, False)
    assert len(fast.splitlines()) == 2000


def write_csv(path, rows: list) -> None:
    schema = fact_schema(policy.load_policy().program)
    columns = ["applicant"] + [spec.name for spec in schema]
    with open(path, "w", newline="", encoding="utf-8") as stream:
        writer = csv.writer(stream)
        writer.writerow(columns)
        for row in rows:
            writer.writerow(["" if row.get(c) is None else str(row[c]).lower()
                             if isinstance(row.get(c), bool) else row[c] for c in columns])


def test_csv_jsonl_and_parquet_give_the_same_records(run, tmp_path):
    rows = applicants(1500, 9, odd=False)
    rows[20]["has_local_hukou"] = "maybe"  # one bad value: an error record in every format
    write_csv(tmp_path / "rows.csv", rows)
    (tmp_path / "rows.jsonl").write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    rows[20]["has_local_hukou"] = None
    write_parquet(tmp_path / "rows.parquet", rows)
    found = {}
    for kind in ("csv", "jsonl", "parquet"):
        out = tmp_path / f"out_{kind}.jsonl"
        result = run("batch", tmp_path / f"rows.{kind}", "--out", out)
        assert result.exit_code == (0 if kind == "parquet" else 1), result.stderr  # 1: a bad row
        found[kind] = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    csv_records, jsonl_records, parquet_records = found["csv"], found["jsonl"], found["parquet"]
    assert [r["line"] for r in csv_records] == list(range(2, 1502))  # the header is line 1
    assert [r["line"] for r in jsonl_records] == list(range(1, 1501))
    assert csv_records[20]["error"] and jsonl_records[20]["error"]
    assert parquet_records[20]["error"] is None
    for records in (csv_records, jsonl_records, parquet_records):
        del records[20]
    assert [(r["applicant"], r["procedures"]) for r in csv_records] == \
        [(r["applicant"], r["procedures"]) for r in jsonl_records] == \
        [(r["applicant"], r["procedures"]) for r in parquet_records]

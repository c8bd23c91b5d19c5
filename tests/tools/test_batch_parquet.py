"""`batch` reads and writes Parquet: the same records as from and to JSONL."""
from __future__ import annotations

import json
from pathlib import Path

import pyarrow
import pyarrow.parquet

from tests.tools.test_batch_duckdb import LIBRARY, library_rows


def test_parquet_in_and_out_give_the_jsonl_records(run, tmp_path):
    source = tmp_path / "rows.jsonl"
    rows = library_rows(source, 30, seed=5)
    table = tmp_path / "rows.parquet"
    overdue = pyarrow.list_(pyarrow.struct([("book", pyarrow.string()), ("days", pyarrow.int64())]))
    columns = {"applicant": pyarrow.string(), "resident": pyarrow.bool_(),
               "has_card": pyarrow.bool_(), "has_id_with_address": pyarrow.bool_()}
    good = [dict(r) for r in rows]
    good[5]["overdue"] = [{"book": "a", "days": 45}]  # Parquet's types hold no wrong value
    source.write_text("".join(json.dumps(r) + "\n" for r in good), encoding="utf-8")
    arrays = {name: pyarrow.array([r.get(name) for r in good], type=kind)
              for name, kind in columns.items()}
    arrays["overdue"] = pyarrow.array([r.get("overdue") for r in good], type=overdue)
    pyarrow.parquet.write_table(pyarrow.table(arrays), table)
    expected = tmp_path / "expected.jsonl"
    assert run("batch", source, "--out", expected, "--policy", LIBRARY).exit_code == 0
    got = tmp_path / "got.jsonl"
    assert run("batch", table, "--out", got, "--policy", LIBRARY).exit_code == 0
    assert got.read_text() == expected.read_text()
    written = tmp_path / "out.parquet"
    assert run("batch", table, "--out", written, "--policy", LIBRARY).exit_code == 0
    records = [json.loads(line) for line in expected.read_text().splitlines()]
    back = pyarrow.parquet.read_table(written).to_pylist()
    assert [r["line"] for r in back] == [r["line"] for r in records] == list(range(1, 31))
    assert [{k: v for k, v in r.items() if k not in ("line", "applicant", "error")}
            for r in back] == [r["procedures"] for r in records]


def test_a_file_that_is_not_parquet_and_parquet_to_stdout_are_refused(run, tmp_path):
    fake = tmp_path / "rows.parquet"
    fake.write_text("applicant,resident\n", encoding="utf-8")
    result = run("batch", fake, "--out", tmp_path / "out.jsonl", "--policy", LIBRARY)
    assert result.exit_code == 2 and "not a Parquet file" in result.stderr
    source = tmp_path / "rows.jsonl"
    source.write_text('{"applicant": "a"}\n', encoding="utf-8")
    result = run("batch", source, "--out", "-", "--format", "parquet", "--policy", LIBRARY)
    assert result.exit_code == 2 and "Parquet output must be a file" in result.stderr

"""Workers reading their own parts of the input (batch_split.py) write --jobs 1's bytes.

Each file is cut into many small parts (a few hundred bytes), so that part boundaries
fall next to bad rows of every kind; the split run's output and summary must equal one
job's, and the split path must really have been taken (or, for a CSV with a quoted
newline or a lone carriage return, really not). A Ctrl-C on a split run leaves a prefix
of the one-job output.
"""
from __future__ import annotations

import io
import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import policy
from policy.decide.status_diagram import StatusDiagrams
from policy.inputs.applicant import fact_schema
from policy.inputs.rows import read_rows
from policy.tools import batch_split
from policy.tools.batch import Evaluator, run_batch
from policy.tools.batch_columns import ColumnBatch
from policy.tools.batch_values import ValueBatch
from policy.tools.batch_writers import CsvWriter, JsonlWriter, Summary
from tests.signals import default_signals

ROOT = Path(__file__).parents[2]
ODD_CELLS = ["TRUE", " yes ", "No", "maybe", "1", "0", " self_funded", "Urban"]
NAMES = ["", "Ann", "中文", " padded ", "=1+1", "tab\there"]

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")


@pytest.fixture(scope="module")
def compiled():
    return policy.load_policy()


def csv_lines(compiled, count: int, seed: int) -> list:
    """CSV lines (no quotes) of uniform rows with odd cells, short rows, an empty line, a
    NUL byte and a line that is not UTF-8 among them."""
    schema = fact_schema(compiled.program)
    rng = random.Random(seed)
    lines = [",".join(["applicant"] + [spec.name for spec in schema]).encode() + b"\n"]
    for number in range(count):
        cells = [rng.choice(NAMES) + str(number)]
        for spec in schema:
            values = ["true", "false"] if spec.is_flag else list(spec.type.values)
            pick = rng.random()
            cells.append("" if pick < 0.3 else rng.choice(ODD_CELLS) if pick < 0.33
                         else rng.choice(values))
        if rng.random() < 0.02:
            cells = cells[:-3]
        line = ",".join(cells).encode("utf-8") + b"\n"
        kind = rng.random()
        if kind < 0.01:
            line = b"bad \xff byte,true\n"
        elif kind < 0.02:
            line = b"\n"
        elif kind < 0.025:
            line = b"nul\x00,true\n"
        lines.append(line)
    return lines


def jsonl_lines(compiled, count: int, seed: int) -> list:
    """JSONL lines of uniform applicants with bad lines among them."""
    schema = fact_schema(compiled.program)
    rng = random.Random(seed)
    lines = []
    for number in range(count):
        values = {"applicant": rng.choice(NAMES) + str(number)}
        for spec in schema:
            choices = [True, False] if spec.is_flag else list(spec.type.values)
            if rng.random() < 0.6:
                values[spec.name] = rng.choice(choices + ["odd"] if rng.random() < 0.03
                                               else choices)
        line = json.dumps(values, ensure_ascii=False).encode("utf-8") + b"\n"
        kind = rng.random()
        line = (b"{not json\n" if kind < 0.01 else b"\n" if kind < 0.02
                else b"[1, 2]\n" if kind < 0.03 else b'{"x": "\xff"}\n' if kind < 0.035
                else b'{"nobody_knows": true}\n' if kind < 0.04 else line)
        lines.append(line)
    return lines


def decided(compiled, path: Path, input_format: str, jobs: int, writer=JsonlWriter,
            part_bytes: int = 300):
    """(output text, (rows, errors, counts)) of the block path at one job, or split into
    parts of about `part_bytes` on `jobs` workers."""
    rows = read_rows(path, input_format, fact_schema(compiled.program))
    evaluator = Evaluator(compiled, str(path))
    diagrams = StatusDiagrams.of(compiled)
    batch = (ColumnBatch if input_format == "csv" else ValueBatch)(diagrams, evaluator, rows)
    procedures = sorted(p for p, _ in compiled.static_model["procedure"])
    out, summary, seen = io.StringIO(), Summary(), []
    write = writer(out, procedures)
    if jobs == 1:
        batch.run(write, summary, lambda: seen.append(1), 97)
    else:
        parts = batch_split.plan(path, input_format == "csv", part_bytes)
        assert parts is not None and len(parts) > 10
        if input_format == "csv":
            next(rows.cell_blocks(1), None)  # the header, as run_batch reads it
        batch_split.run_split(batch, parts, write, summary, lambda: seen.append(1), jobs)
    assert len(seen) == summary.rows  # progress: once a row
    return out.getvalue(), (summary.rows, summary.errors, summary.counts)


def test_a_split_csv_writes_the_bytes_of_one_job(compiled, tmp_path):
    source = tmp_path / "rows.csv"
    source.write_bytes(b"".join(csv_lines(compiled, 1200, seed=11)))
    for writer in (JsonlWriter, CsvWriter):
        one = decided(compiled, source, "csv", 1, writer)
        assert decided(compiled, source, "csv", 2, writer) == one
    text = decided(compiled, source, "csv", 1)[0]
    assert len(text.splitlines()) == 1200
    assert "not UTF-8" in text and '"error": null' in text and "header has" in text


def test_a_split_csv_with_crlf_line_ends_writes_the_bytes_of_one_job(compiled, tmp_path):
    source = tmp_path / "rows.csv"
    source.write_bytes(b"".join(line.replace(b"\n", b"\r\n")
                                for line in csv_lines(compiled, 400, seed=12)))
    assert decided(compiled, source, "csv", 2) == decided(compiled, source, "csv", 1)


def test_a_split_jsonl_writes_the_bytes_of_one_job(compiled, tmp_path):
    source = tmp_path / "rows.jsonl"
    lines = jsonl_lines(compiled, 1200, seed=13)
    source.write_bytes(b"\xef\xbb\xbf" + b"".join(lines))  # a byte order mark on line 1
    for writer in (JsonlWriter, CsvWriter):
        one = decided(compiled, source, "jsonl", 1, writer)
        assert decided(compiled, source, "jsonl", 2, writer) == one
    text = decided(compiled, source, "jsonl", 1)[0]
    assert len(text.splitlines()) == 1200
    assert '"line": 1,' in text and "empty line" in text and '"error": null' in text


def test_parts_start_at_line_starts_with_their_line_numbers(compiled, tmp_path):
    source = tmp_path / "rows.csv"
    data = b"".join(csv_lines(compiled, 300, seed=14))
    source.write_bytes(data)
    parts = batch_split.plan(source, True, 500)
    assert parts[0].start == data.index(b"\n") + 1 and parts[0].first == 2
    assert parts[-1].end == len(data)
    for part, after in zip(parts, parts[1:]):
        assert part.end == after.start and data[after.start - 1:after.start] == b"\n"
        assert after.first == data[:after.start].count(b"\n") + 1
    jsonl = tmp_path / "rows.jsonl"
    jsonl.write_bytes(data)
    assert batch_split.plan(jsonl, False, 500)[0] == batch_split.Part(0, parts[0].start, 1)
    assert batch_split.plan(jsonl, False, 10 ** 9) == [batch_split.Part(0, len(data), 1)]


def test_a_csv_that_could_hold_a_quoted_newline_is_not_split(compiled, tmp_path):
    source = tmp_path / "rows.csv"
    lines = csv_lines(compiled, 300, seed=15)
    source.write_bytes(b"".join(lines[:150] + [b'"two\nlines",true\n'] + lines[150:]))
    assert batch_split.plan(source, True, 300) is None
    source.write_bytes(b"".join(lines[:150] + [b"lone\rreturn,true\n"] + lines[150:]))
    assert batch_split.plan(source, True, 300) is None
    jsonl = tmp_path / "rows.jsonl"
    jsonl.write_bytes(b'{"applicant": "a \\"quoted\\" name"}\n' * 50)
    assert len(batch_split.plan(jsonl, False, 300)) > 1  # quotes are no matter in JSONL


def test_the_cli_at_two_jobs_splits_or_falls_back_and_writes_one_jobs_file(
        compiled, tmp_path, run, monkeypatch):
    monkeypatch.setattr(batch_split, "PART_BYTES", 400)
    split = []
    real = batch_split.run_split
    monkeypatch.setattr(batch_split, "run_split",
                        lambda batch, parts, *rest: split.append(len(parts)) or
                        real(batch, parts, *rest))
    lines = csv_lines(compiled, 600, seed=16)
    quoted = lines[:300] + [b'"two\nlines",true\n'] + lines[300:]
    sources = {"plain.csv": lines, "quoted.csv": quoted,
               "rows.jsonl": jsonl_lines(compiled, 600, seed=17)}
    for name, content in sources.items():
        source = tmp_path / name
        source.write_bytes(b"".join(content))
        outputs = []
        for jobs in ("1", "2"):
            for out in (tmp_path / f"out{jobs}.jsonl", tmp_path / f"out{jobs}.csv"):
                result = run("batch", source, "--out", out, "--jobs", jobs)
                outputs.append((out.read_bytes(), result.stdout, result.exit_code))
        assert outputs[:2] == outputs[2:], name
        assert outputs[0][2] == 1 and b'"error": "' in outputs[0][0]  # bad rows: exit 1
    assert len(split) == 4 and min(split) > 10  # plain.csv and rows.jsonl, not quoted.csv


def test_ctrl_c_on_a_split_run_leaves_a_prefix_of_one_jobs_output(compiled, tmp_path):
    lines = csv_lines(compiled, 2000, seed=18)
    source = tmp_path / "many.csv"
    with open(source, "wb") as stream:  # about 16 MB: seconds of work for two workers
        stream.write(lines[0])
        body = b"".join(lines[1:])
        for _ in range(80):
            stream.write(body)
    out = tmp_path / "out.jsonl"
    process = subprocess.Popen(
        [sys.executable, str(ROOT / "cli.py"), "batch", str(source), "--out", str(out),
         "--jobs", "2"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True,
        preexec_fn=default_signals)
    deadline = time.monotonic() + 90  # a loaded machine starts slowly
    while not _written(tmp_path) and time.monotonic() < deadline and process.poll() is None:
        time.sleep(0.02)
    os.killpg(process.pid, signal.SIGINT)  # as Ctrl-C does: the whole process group
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 130, stderr
    assert not list(tmp_path.glob("*.partial"))
    written = out.read_bytes()
    records = written.decode("utf-8").splitlines()
    assert 0 < len(records) < 80 * 2000 and written.endswith(b"\n")
    assert f"interrupted: {len(records)} row(s) finished" in stderr
    head = tmp_path / "head.csv"
    with open(source, "rb") as stream:
        head.write_bytes(b"".join(stream.readline() for _ in range(len(records) + 1)))
    expected = io.StringIO()
    run_batch(compiled, None, read_rows(head, "csv", fact_schema(compiled.program)),
              JsonlWriter(expected, []), 1, str(head))
    assert written.decode("utf-8") == expected.getvalue()


def _written(folder: Path) -> bool:
    """Whether some record has reached the partial file beside OUT."""
    for partial in folder.glob(".out.jsonl.*.partial"):
        try:
            if partial.stat().st_size > 0:
                return True
        except FileNotFoundError:  # renamed into place meanwhile
            pass
    return False

"""Output files: never the input, never half-written, never through a planted link.

Every command that writes a file (batch, docs, fmt) writes beside the target and
renames into place (policy/outputs.py): a failure leaves an existing file as it
was. `batch --out -` is standard output; a batch with error rows exits 1 and
keeps each applicant's name; CSV cells a spreadsheet would run are neutralised.
"""
from __future__ import annotations

import csv
import io
import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

import cli

from policy import outputs
from policy.tools.batch import worker_count
from policy.tools.batch_writers import neutralised

ROOT = Path(__file__).resolve().parents[2]
MINI = ROOT / "tests" / "fixtures" / "mini_policy.pl"
OLD = "the old output, which must survive\n"


def batch(run, source, out, *more):
    return run("batch", source, "--out", out, "--policy", MINI, "--jobs", "1", *more)


def jsonl_input(tmp_path, *rows) -> Path:
    source = tmp_path / "people.jsonl"
    source.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    return source


GOOD = {"applicant": "Li", "returnee": True, "has_hukou": False, "card_by": "self"}


def no_partial_files(folder: Path) -> bool:
    return not [p for p in folder.iterdir() if p.name.endswith(".partial")]


# --- the input is never the output ------------------------------------------------------------


@pytest.mark.parametrize("link", ["same path", "symlink", "hardlink", "dotted path"])
def test_batch_out_naming_the_input_is_refused_and_the_input_kept(run, tmp_path, link):
    source = jsonl_input(tmp_path, GOOD, GOOD)
    before = source.read_bytes()
    out = {"same path": source, "symlink": tmp_path / "out.jsonl", "hardlink": tmp_path / "out.jsonl",
           "dotted path": tmp_path / "." / "people.jsonl"}[link]
    if link == "symlink":
        out.symlink_to(source)
    elif link == "hardlink":
        os.link(source, out)
    result = batch(run, source, out)
    assert result.exit_code == 2
    assert "file_error" in result.stderr and "--out names the input file" in result.stderr
    assert "would destroy it" in result.stderr
    assert source.read_bytes() == before


@pytest.mark.parametrize("how", ["file", "link", "in a policy folder"])
def test_batch_out_naming_a_rule_file_of_the_policy_is_refused(run, tmp_path, how):
    folder = tmp_path / "rules"
    folder.mkdir()
    rules = folder / "policy.pl"
    rules.write_bytes(MINI.read_bytes())
    out = rules if how != "link" else tmp_path / "out.jsonl"
    if how == "link":
        out.symlink_to(rules)
    policy = folder if how == "in a policy folder" else rules
    result = run("batch", jsonl_input(tmp_path, GOOD), "--out", out, "--policy", policy)
    assert result.exit_code == 2
    assert "--out names the rule file" in result.stderr and "Traceback" not in result.stderr
    assert rules.read_bytes() == MINI.read_bytes()


def test_interview_save_naming_a_rule_file_is_refused_before_any_question(run, tmp_path):
    rules = tmp_path / "policy.pl"
    rules.write_bytes(MINI.read_bytes())
    result = CliRunner().invoke(cli.main, ["interview", "--policy", str(rules), "--save", str(rules)],
                                input="yes\n")
    assert result.exit_code == 2
    assert "--save names the rule file" in result.stderr
    assert "?" not in result.stdout  # refused before the first question
    assert rules.read_bytes() == MINI.read_bytes()


# --- all or nothing ---------------------------------------------------------------------------


def test_a_bad_csv_header_leaves_an_existing_output_as_it_was(run, tmp_path):
    source = tmp_path / "people.csv"
    source.write_text("applicant,retunree\nLi,true\n", encoding="utf-8")
    out = tmp_path / "out.csv"
    out.write_text(OLD)
    result = batch(run, source, out)
    assert result.exit_code == 2 and "did you mean 'returnee'" in result.stderr
    assert out.read_text() == OLD
    assert no_partial_files(tmp_path)


def test_a_crash_in_the_middle_leaves_an_existing_output_as_it_was(run, tmp_path, monkeypatch):
    from policy.tools import batch_writers as batch_module

    source = jsonl_input(tmp_path, *[GOOD] * 3000)
    out = tmp_path / "out.jsonl"
    out.write_text(OLD)
    written = []
    real = batch_module.JsonlWriter.__call__

    def crash_after_some(self, record):
        real(self, record)
        written.append(record)
        if len(written) == 1500:
            raise RuntimeError("a bug in the middle of the batch")

    def crash_after_a_block(self, items):
        real_block(self, items)
        raise RuntimeError("a bug in the middle of the batch")

    real_block = batch_module.JsonlWriter.write_block
    monkeypatch.setattr(batch_module.JsonlWriter, "__call__", crash_after_some)
    # the rows of the bundled policy are written a block at a time (batch_columns.py)
    monkeypatch.setattr(batch_module.JsonlWriter, "write_block", crash_after_a_block)
    with pytest.raises(RuntimeError):
        batch(run, source, out)
    assert out.read_text() == OLD
    assert no_partial_files(tmp_path)


def test_a_full_disk_leaves_an_existing_output_as_it_was(tmp_path, monkeypatch):
    target = tmp_path / "out.txt"
    target.write_text(OLD)
    real_fsync = os.fsync

    def full(descriptor):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(outputs.PolicyError) as raised:
        with outputs.output_file(target) as stream:
            stream.write("new text " * 1000)
    monkeypatch.setattr(os, "fsync", real_fsync)
    assert raised.value.code == "file_error" and "No space left on device" in raised.value.message
    assert target.read_text() == OLD
    assert no_partial_files(tmp_path)


def test_an_overwritten_file_keeps_its_permissions_and_a_new_one_gets_the_umasks(tmp_path):
    kept = tmp_path / "kept.txt"
    kept.write_text(OLD)
    kept.chmod(0o640)
    outputs.write_text(kept, "new\n")
    assert kept.read_text() == "new\n" and stat.S_IMODE(kept.stat().st_mode) == 0o640
    mask = os.umask(0o022)
    os.umask(mask)
    fresh = tmp_path / "fresh.txt"
    outputs.write_text(fresh, "new\n")
    assert stat.S_IMODE(fresh.stat().st_mode) == 0o666 & ~mask


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0, reason="root may write anything")
def test_a_read_only_output_is_refused_not_replaced(run, tmp_path):
    out = tmp_path / "out.jsonl"
    out.write_text(OLD)
    out.chmod(0o444)
    result = batch(run, jsonl_input(tmp_path, GOOD), out)
    assert result.exit_code == 2 and "is read-only" in result.stderr
    assert out.read_text() == OLD


def test_a_device_is_written_directly(tmp_path):
    outputs.write_text("/dev/null", "nothing to keep\n")  # no partial file in /dev, no rename


# --- standard output ----------------------------------------------------------------------------


def batch_process(source, out, stdout, tmp_path):
    """`batch` as its own process (click's runner has no descriptors for /dev/stdout)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, str(ROOT / "cli.py"), "batch", str(source), "--out",
                           str(out), "--policy", str(MINI), "--jobs", "1"], stdout=stdout,
                          stderr=subprocess.PIPE, text=True, env=env, timeout=120, cwd=tmp_path)


def test_a_link_to_dev_stdout_is_standard_output_and_stays_a_link(tmp_path):
    """A link of the test's own to /dev/stdout: were it renamed over, /dev/stdout
    itself would be the next victim (it once was, as root)."""
    source = jsonl_input(tmp_path, GOOD, {**GOOD, "applicant": "Wang"})
    link = tmp_path / "stdout.jsonl"
    link.symlink_to("/dev/stdout")
    with open(tmp_path / "captured.txt", "w") as captured:
        result = batch_process(source, link, captured, tmp_path)
    assert result.returncode == 0, result.stderr
    assert link.is_symlink() and os.readlink(link) == "/dev/stdout"
    lines = (tmp_path / "captured.txt").read_text(encoding="utf-8").splitlines()
    assert [json.loads(line)["applicant"] for line in lines] == ["Li", "Wang"]
    assert "2 row(s), 0 error(s)" in result.stderr  # the summary does not overwrite the records
    assert no_partial_files(tmp_path)


def test_a_link_to_a_pipe_is_written_through_and_kept(tmp_path):
    source = jsonl_input(tmp_path, GOOD)
    fifo, link = tmp_path / "records.fifo", tmp_path / "records.jsonl"
    os.mkfifo(fifo)
    link.symlink_to(fifo)
    reader = subprocess.Popen(["cat", str(fifo)], stdout=subprocess.PIPE, text=True)
    result = batch_process(source, link, subprocess.DEVNULL, tmp_path)
    received = reader.communicate(timeout=60)[0]
    assert result.returncode == 0, result.stderr
    assert json.loads(received)["applicant"] == "Li"
    assert link.is_symlink() and stat.S_ISFIFO(os.stat(fifo).st_mode)


@pytest.mark.parametrize("target", ["/dev/null", "/proc/self/fd/2", "/dev/stderr"])
def test_links_into_dev_or_proc_are_written_through(tmp_path, target):
    link = tmp_path / "out.txt"
    link.symlink_to(target)
    assert outputs._check_target(link)  # written directly, the link never renamed over



def test_batch_out_dash_writes_the_records_to_stdout_and_the_summary_to_stderr(run, tmp_path):
    source = jsonl_input(tmp_path, GOOD, {**GOOD, "applicant": "Wang"})
    result = batch(run, source, "-")
    assert result.exit_code == 0, result.stderr
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["applicant"] for r in records] == ["Li", "Wang"]
    assert "2 row(s), 0 error(s)" in result.stderr
    assert not (tmp_path / "-").exists() and not Path("-").exists()


def test_batch_out_dash_with_csv_format(run, tmp_path):
    source = jsonl_input(tmp_path, GOOD)
    result = batch(run, source, "-", "--format", "csv")
    assert result.exit_code == 0, result.stderr
    rows = list(csv.reader(io.StringIO(result.stdout)))
    assert rows[0][:3] == ["line", "applicant", "error"] and rows[1][1] == "Li"


# --- error rows ---------------------------------------------------------------------------------


def test_a_batch_with_error_rows_exits_1_and_keeps_every_name(run, tmp_path):
    source = jsonl_input(tmp_path, GOOD, {"applicant": "Bad Card", "card_by": "nobody"},
                         {"applicant": "Unknown Fact", "retunree": True}, GOOD)
    out = tmp_path / "out.jsonl"
    result = batch(run, source, out)
    assert result.exit_code == 1
    records = [json.loads(line) for line in out.read_text().splitlines()]
    assert [r["applicant"] for r in records] == ["Li", "Bad Card", "Unknown Fact", "Li"]
    assert [r["error"] is None for r in records] == [True, False, False, True]
    assert "card_by" in records[1]["error"] and "retunree" in records[2]["error"]
    assert "4 row(s), 2 error(s)" in result.stdout


def test_a_csv_row_with_a_bad_cell_keeps_its_name(run, tmp_path):
    source = tmp_path / "people.csv"
    source.write_text("applicant,returnee,card_by\nLi,true,self\nZhao,perhaps,self\nQian,true\n",
                      encoding="utf-8")
    out = tmp_path / "out.csv"
    result = batch(run, source, out)
    assert result.exit_code == 1
    rows = list(csv.DictReader(out.open(newline="", encoding="utf-8")))
    assert [(r["applicant"], bool(r["error"])) for r in rows] == [
        ("Li", False), ("Zhao", True), ("Qian", True)]


def test_a_clean_batch_exits_0(run, tmp_path):
    result = batch(run, jsonl_input(tmp_path, GOOD), tmp_path / "out.jsonl")
    assert result.exit_code == 0, result.stderr


def test_jobs_are_capped_by_rows_and_cores():
    cores = os.cpu_count() or 1
    assert worker_count(64, 3) == min(3, cores)
    assert worker_count(64, 10**6) == cores
    assert worker_count(None, 1) == 1
    assert worker_count(None, 0) == 1
    assert worker_count(1, 10**6) == 1


def test_many_jobs_on_two_rows_still_answer(run, tmp_path):
    out = tmp_path / "out.jsonl"
    result = run("batch", jsonl_input(tmp_path, GOOD, GOOD), "--out", out, "--policy", MINI,
                 "--jobs", "64")
    assert result.exit_code == 0, result.stderr
    assert len(out.read_text().splitlines()) == 2


# --- CSV injection ------------------------------------------------------------------------------

CELLS = {
    "=HYPERLINK(\"http://x\",\"y\")": "'=HYPERLINK(\"http://x\",\"y\")",
    "+1+cmd|' /C calc'!A0": "'+1+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0": "'-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0": "'@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1": "'\t=1+1",
    "\r=1+1": "'\r=1+1",
    "-12": "-12",
    "-0.5": "-0.5",
    "-": "'-",
    "-1e5": "'-1e5",
    "Li Wei": "Li Wei",
    "": "",
    "a=b": "a=b",
}


@pytest.mark.parametrize("cell", list(CELLS))
def test_csv_cells_that_start_a_formula_are_neutralised(cell):
    assert neutralised(cell) == CELLS[cell]


def test_batch_csv_output_neutralises_names_and_errors(run, tmp_path):
    names = [n for n in CELLS if n and "\r" not in n]
    rows = [{**GOOD, "applicant": name} for name in names]
    rows.append({"applicant": "=bad", "card_by": "=1+1"})
    out = tmp_path / "out.csv"
    result = batch(run, jsonl_input(tmp_path, *rows), out)
    assert result.exit_code == 1
    written = list(csv.DictReader(out.open(newline="", encoding="utf-8")))
    assert [r["applicant"] for r in written] == [CELLS[n] for n in names] + ["'=bad"]
    assert all(not r["error"].startswith(outputs_formula_starts()) for r in written)


def outputs_formula_starts():
    return ("=", "+", "-", "@", "\t", "\r")


# --- docs never follows a link placed in its folder ---------------------------------------------


def test_docs_replaces_a_planted_symlink_and_leaves_its_target_alone(run, tmp_path):
    out = tmp_path / "site"
    out.mkdir()
    victim = tmp_path / "precious.txt"
    victim.write_text(OLD)
    (out / "policy.en.md").symlink_to(victim)
    os.link(victim, out / "policy.zh.md")  # a hard link to it, too
    result = run("docs", "--out", out)
    assert result.exit_code == 0, result.stderr
    assert victim.read_text() == OLD
    assert not (out / "policy.en.md").is_symlink()
    assert (out / "policy.en.md").read_text(encoding="utf-8").startswith("# Policy catalogue")
    assert (out / "policy.zh.md").read_text(encoding="utf-8").startswith("# 政策目录")


def test_fmt_rewrites_the_file_a_link_names_and_keeps_the_link(run, tmp_path):
    real = tmp_path / "rules.pl"
    real.write_text("derived ok(n).\nok(1).   ok(2).\n", encoding="utf-8")
    link = tmp_path / "link.pl"
    link.symlink_to(real)
    result = run("fmt", link)
    assert result.exit_code == 0, result.stderr
    assert link.is_symlink()
    assert real.read_text(encoding="utf-8") == "derived ok(n).\nok(1).\nok(2).\n"


# --- output paths that cannot be written --------------------------------------------------------


@pytest.mark.parametrize("where", ["missing folder", "a directory", "a file as folder", "/dev/full"])
def test_batch_to_an_unwritable_output_is_a_clean_file_error(run, tmp_path, where):
    source = jsonl_input(tmp_path, GOOD)
    (tmp_path / "plain").write_text("x")
    out = {"missing folder": tmp_path / "nowhere" / "out.jsonl", "a directory": tmp_path,
           "a file as folder": tmp_path / "plain" / "out.jsonl", "/dev/full": "/dev/full"}[where]
    result = batch(run, source, out)
    assert result.exit_code == 2, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr and "file_error" in result.stderr
    assert result.stderr.startswith(f"{out}:")
    assert no_partial_files(tmp_path)


@pytest.mark.parametrize("where", ["a file", "a file as folder", "/dev/full"])
def test_docs_to_an_unwritable_folder_is_a_clean_file_error(run, tmp_path, where):
    (tmp_path / "plain").write_text("x")
    out = {"a file": tmp_path / "plain", "a file as folder": tmp_path / "plain" / "docs",
           "/dev/full": "/dev/full"}[where]
    result = run("docs", "--out", out)
    assert result.exit_code == 2, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr and "file_error" in result.stderr


def test_stdout_on_a_full_disk_is_a_clean_file_error(tmp_path):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    with open("/dev/full", "w") as full:
        result = subprocess.run([sys.executable, str(ROOT / "cli.py"), "graph", str(MINI)], stdout=full,
                                stderr=subprocess.PIPE, text=True, env=env, timeout=120)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "file_error: cannot write the output: No space left on device" in result.stderr

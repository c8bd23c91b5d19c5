"""`batch --scheduler` (batch_cluster.py) writes what `batch` writes, on a Dask cluster.

One local cluster (two worker processes) serves the module as a running scheduler
(`--scheduler tcp://...`); one test starts its own with `--scheduler local:2`. Files are
cut into partitions of 1 KiB, so that partition boundaries fall next to bad rows of
every kind; the records, the summary and the exit code must equal plain `batch`'s.
"""
from __future__ import annotations

import logging
import os
import re
import signal
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

import pytest

import policy
from tests.cli.test_limits_hold import NO_FACT_LIMIT, marked, slow_open_policy, slow_rows, start, \
    survivors
from tests.tools.test_batch_split import csv_lines, jsonl_lines

distributed = pytest.importorskip("distributed")
ROOT = Path(__file__).parents[2]
MINI = ROOT / "tests" / "fixtures" / "mini_policy.pl"


@pytest.fixture(scope="module")
def address():
    """A running scheduler with two worker processes, for the whole module."""
    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                       dashboard_address=":0",
                                       scheduler_kwargs={"dashboard": False},
                                       silence_logs=logging.ERROR, memory_limit=0)
    yield cluster.scheduler_address
    cluster.close()


@pytest.fixture(scope="module")
def compiled():
    return policy.load_policy()


def batches(run, source: Path, tmp_path: Path, suffix: str, *options, common=()):
    """(plain batch's (exit code, output, summary), the same with `options`); both runs
    with the `common` options. Plain batch runs at --jobs 1: it would otherwise fork a
    pool from this process, which runs the module's cluster's threads."""
    results = []
    for number, extra in enumerate([("--jobs", "1"), options]):
        out = tmp_path / f"out{number}{suffix}"
        result = run("batch", source, "--out", out, *common, *extra)
        results.append((result.exit_code, out.read_bytes(), result.stdout))
    return results


def test_a_csv_population_on_a_scheduler_writes_plain_batch_bytes(run, compiled, address,
                                                                  tmp_path):
    source = tmp_path / "rows.csv"
    source.write_bytes(b"".join(csv_lines(compiled, 1200, seed=21)))
    for suffix in (".csv", ".jsonl"):
        plain, cluster = batches(run, source, tmp_path, suffix, "--scheduler", address,
                                 "--partition-kb", "2")
        assert cluster == plain
    assert plain[0] == 1  # bad rows: error records, exit 1
    text = plain[1].decode()
    assert len(text.splitlines()) == 1200 and "not UTF-8" in text and "header has" in text


def test_a_jsonl_population_on_a_scheduler_writes_plain_batch_bytes(run, compiled, address,
                                                                    tmp_path):
    source = tmp_path / "rows.jsonl"
    source.write_bytes(b"".join(jsonl_lines(compiled, 600, seed=22)))
    for suffix in (".csv", ".jsonl"):
        plain, cluster = batches(run, source, tmp_path, suffix, "--scheduler", address,
                                 "--partition-kb", "2")
        assert cluster == plain
    text = plain[1].decode()
    assert plain[0] == 1 and '"line": 600,' in text.splitlines()[-1] and "empty line" in text


def test_a_parquet_population_is_partitioned_by_row_groups(run, compiled, address, tmp_path):
    import random

    import pyarrow
    import pyarrow.parquet

    from policy.inputs.applicant import fact_schema
    from policy.inputs.parquet_rows import row_group_parts

    rng, schema = random.Random(24), fact_schema(compiled.program)
    columns = {"applicant": [f"a{number}" for number in range(700)]}
    for spec in schema:
        choices = [True, False] if spec.is_flag else list(spec.type.values) + ["odd"]
        columns[spec.name] = [rng.choice(choices) if rng.random() < 0.6 else None
                              for _ in range(700)]
    source = tmp_path / "rows.parquet"
    pyarrow.parquet.write_table(pyarrow.table(columns), source, row_group_size=64)
    assert pyarrow.parquet.ParquetFile(source).metadata.num_row_groups == 11
    assert [first for _, _, first in row_group_parts(source, 1024)] == list(range(1, 700, 64))
    for suffix in (".jsonl", ".csv"):
        plain, cluster = batches(run, source, tmp_path, suffix, "--scheduler", address,
                                 "--partition-kb", "1")
        assert cluster == plain
    assert plain[0] == 1 and b"odd is not one of" in plain[1]
    assert len(plain[1].splitlines()) == 701  # CSV out: a header and a record a row


def test_a_local_cluster_of_its_own_writes_plain_batch_bytes(run, compiled, tmp_path):
    source = tmp_path / "rows.csv"
    source.write_bytes(b"".join(csv_lines(compiled, 600, seed=23)))
    plain, cluster = batches(run, source, tmp_path, ".jsonl", "--scheduler", "local:2",
                             "--partition-kb", "2")
    assert cluster == plain


def test_a_policy_without_diagrams_is_decided_the_general_way_on_the_workers(run, address,
                                                                               tmp_path):
    """An integer fact: no status diagrams, the rows evaluated on pyDatalog per worker."""
    open_policy = tmp_path / "open.pl"
    open_policy.write_text(MINI.read_text(encoding="utf-8") + "\ninput years(v: integer).\n"
                           "eligible(restore) :- returnee, years(V), not has_hukou.\n",
                           encoding="utf-8")
    source = tmp_path / "rows.jsonl"
    source.write_text("".join(f'{{"applicant": "a{i}", "returnee": {str(i % 3 > 0).lower()}, '
                              f'"years": {i % 7}, "has_hukou": {str(i % 5 == 0).lower()}}}\n'
                              if i % 17 else "{broken\n" for i in range(300)))
    plain, cluster = batches(run, source, tmp_path, ".jsonl", "--scheduler", address,
                             "--partition-kb", "1", common=("--policy", open_policy))
    assert cluster[:2] == plain[:2]
    # each worker evaluates the situations it meets: the count differs, nothing else
    assert _uncounted(cluster[2]) == _uncounted(plain[2])
    assert plain[0] == 1 and b'"restore": "applies"' in plain[1]


def _uncounted(summary: str) -> str:
    return re.sub(r"[0-9]+ situation\(s\) evaluated", "", summary)


@pytest.mark.parametrize("address, message", [
    ("bogus", "is not `local`, `local:N` or a scheduler address"),
    ("local:0", "N in local:N is a number of workers"),
    ("tcp://127.0.0.1:1", "cannot reach the Dask scheduler at tcp://127.0.0.1:1"),
    ("tcp://no-such-host.invalid:8786", "cannot reach the Dask scheduler"),
])
def test_a_bad_scheduler_address_is_one_message_and_exit_2(run, tmp_path, address, message):
    out = tmp_path / "out.jsonl"
    result = run("batch", _tiny(tmp_path), "--out", out, "--scheduler", address)
    assert result.exit_code == 2
    assert message in result.stderr and "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert not out.exists()


def _tiny(tmp_path: Path) -> Path:
    source = tmp_path / "tiny.jsonl"
    source.write_text('{"applicant": "a", "returnee": true}\n')
    return source


@pytest.mark.parametrize("options, message", [
    (("--format", "parquet"), "only JSONL or CSV out"),
    (("--jobs", "2"), "--jobs sets a local cluster's workers"),
    (("--partition-kb", "0"), None),
])
def test_what_the_scheduler_path_cannot_do_is_refused(run, address, tmp_path, options, message):
    result = run("batch", _tiny(tmp_path), "--out", tmp_path / "out.parquet", "--scheduler",
                 address, *options)
    assert result.exit_code == 2 and "Traceback" not in result.stderr
    assert message is None or message in result.stderr


def test_a_csv_with_a_quoted_field_is_refused_not_cut(run, address, tmp_path):
    source = tmp_path / "quoted.csv"
    source.write_text('applicant,returnee\n"a, b",true\n')
    result = run("batch", source, "--out", tmp_path / "out.jsonl", "--scheduler", address)
    assert result.exit_code == 2 and "a CSV field is quoted" in result.stderr


def test_without_dask_the_scheduler_path_says_how_to_install_it(run, tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "distributed", None)  # import distributed: ImportError
    result = run("batch", _tiny(tmp_path), "--out", tmp_path / "out.jsonl", "--scheduler", "local")
    assert result.exit_code == 2
    assert "policylog[cluster]" in result.stderr and "Traceback" not in result.stderr


def test_batch_and_query_without_a_scheduler_import_no_dask(tmp_path):
    code = ("import sys; from pathlib import Path; from policy import api; "
            f"api.batch(Path({str(_tiny(tmp_path))!r}), Path({str(tmp_path / 'o.jsonl')!r})); "
            "api.query(Path('facts/01_returnee_self_funded.yaml')); "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('dask', 'distributed')))")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_a_worker_killed_mid_partition_is_retried_and_the_output_is_whole(run, address,
                                                                         tmp_path):
    """Dask moves the partition of a worker that died to another: nothing lost, in order."""
    source, common = slow_rows(tmp_path), ("--policy", slow_open_policy(tmp_path),
                                           "--max-facts", "100000")
    plain = _batch(run, source, tmp_path / "plain.jsonl", *common, "--jobs", "1")
    client = distributed.Client(address, set_as_default=False)
    try:
        killed = []
        killer = threading.Thread(target=_kill_a_busy_worker, args=(client, killed))
        killer.start()
        cluster = _batch(run, source, tmp_path / "cluster.jsonl", *common, "--scheduler",
                         address, "--partition-kb", "1")
        killer.join(timeout=120)
        client.wait_for_workers(2, timeout=60)
    finally:
        client.close()
    assert killed  # a worker died while deciding a partition
    assert cluster[:2] == plain[:2] and _uncounted(cluster[2]) == _uncounted(plain[2])
    assert len(plain[1].splitlines()) == 40


def _batch(run, source: Path, out: Path, *options):
    result = run("batch", source, "--out", out, *options)
    return result.exit_code, out.read_bytes(), result.stdout


def _kill_a_busy_worker(client, killed: list) -> None:
    """SIGKILL the first worker seen deciding a partition of the batch."""
    pids = client.run(os.getpid)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        for worker, keys in client.processing().items():
            if any(str(key).startswith("policylog-part") for key in keys):
                os.kill(pids[worker], signal.SIGKILL)
                killed.append(worker)
                return
        time.sleep(0.05)


def test_ctrl_c_leaves_finished_partitions_and_no_process_behind(tmp_path):
    mark = uuid.uuid4().hex
    out = tmp_path / "out.jsonl"
    command = start("batch", slow_rows(tmp_path), "--policy", slow_open_policy(tmp_path),
                    *NO_FACT_LIMIT, "--out", out, "--scheduler", "local:2",
                    "--partition-kb", "1", "--timeout", "120", mark=mark)
    deadline = time.monotonic() + 90
    # Ctrl-C is ignored while the cluster starts: wait until both workers are deciding rows
    while len(_busy_workers(marked(mark))) < 2 and time.monotonic() < deadline:
        time.sleep(0.1)
    command.send_signal(signal.SIGINT)
    _, err = command.communicate(timeout=90)
    assert command.returncode == 130, err
    assert "Traceback" not in err and "interrupted:" in err, err
    assert survivors(mark) == []
    written = out.read_text().splitlines() if out.exists() else []
    assert [f'"line": {n},' in line for n, line in enumerate(written, 1)] == [True] * len(written)
    assert f"interrupted: {len(written)} row(s) finished" in err


def test_a_timed_out_cluster_batch_leaves_no_process_behind(tmp_path):
    mark = uuid.uuid4().hex
    command = start("batch", slow_rows(tmp_path), "--policy", slow_open_policy(tmp_path),
                    *NO_FACT_LIMIT, "--out", tmp_path / "out.jsonl", "--scheduler", "local:2",
                    "--partition-kb", "1", "--timeout", "8", mark=mark)
    _, err = command.communicate(timeout=120)
    assert command.returncode == 2, err
    assert "limit_exceeded" in err and "--timeout" in err and "Traceback" not in err
    assert survivors(mark) == []


def _busy_workers(pids: list) -> list:
    """The Dask worker processes among `pids` (started by multiprocessing's spawn) that have
    used 3 s of CPU: past their start (about 1.5 s of CPU with the policy), deciding rows."""
    found = []
    for pid in pids:
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as stream:
                if b"spawn_main" not in stream.read():
                    continue
            with open(f"/proc/{pid}/stat", encoding="ascii") as stream:
                fields = stream.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK") >= 3:
            found.append(pid)
    return found

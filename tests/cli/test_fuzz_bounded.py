"""A fuzz test per input kind, each in a subprocess bounded in time and memory.

tests/cli/fuzz_driver.py mutates the project's own rules, facts files, applicant files,
batch rows (JSONL and CSV) and scenario files with hostile pieces (lone surrogates,
100,000-deep JSON, keys twice, bytes that are not UTF-8, NUL, huge numbers, YAML tags)
and runs every case through the command line. Here each kind runs in a fresh interpreter
with an address-space limit (RLIMIT_AS) and a wall-clock timeout: a hang or a blow-up
fails the test as surely as a traceback does. No timing is asserted, only that it ends.
Set POLICYLOG_FUZZ_SEED to try other inputs (the default seed makes the run repeatable).
"""
from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CASES = 12
TIMEOUT = 600  # seconds for all cases of one kind, on a loaded machine; a hang ends here
ADDRESS_SPACE = 3 * 1024 ** 3  # bytes the driver may map at all
PEAK_MB = 768  # resident memory the driver may reach


def _limit_memory():
    resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_SPACE, ADDRESS_SPACE))


@pytest.mark.parametrize("kind", ["rules", "facts", "applicant", "jsonl", "csv", "scenarios"])
def test_fuzzed_inputs_end_cleanly_in_bounded_time_and_memory(kind):
    seed = int(os.environ.get("POLICYLOG_FUZZ_SEED", "20261128"))
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    result = subprocess.run([sys.executable, "-m", "tests.cli.fuzz_driver", kind, str(seed), str(CASES)],
                            cwd=ROOT, env=env, capture_output=True, text=True, timeout=TIMEOUT,
                            preexec_fn=_limit_memory)
    assert result.returncode == 0, f"seed {seed}\n{result.stdout[-4000:]}\n{result.stderr[-4000:]}"
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["cases"] == CASES
    assert sum(report["exit_codes"].values()) >= CASES
    assert set(report["exit_codes"]) <= {"0", "1", "2"}
    assert report["peak_mb"] < PEAK_MB, report

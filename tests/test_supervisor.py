"""A command's forked child dies with its parent (supervisor.die_with_parent, Linux)."""
from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# The middle process forks a child that asks to die with it and then waits; the middle
# process prints the child's pid and ends without waiting for it.
MIDDLE = """
import os, sys, time
from policy.supervisor import die_with_parent
child = os.fork()
if child == 0:
    die_with_parent()
    time.sleep(60)
    os._exit(0)
time.sleep(0.5)  # the child has made its request by now
print(child, flush=True)
os._exit(0)
"""


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().split(") ")[1][0] != "Z"
    except FileNotFoundError:
        return False


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="PR_SET_PDEATHSIG is Linux's")
def test_a_child_that_asked_to_die_with_its_parent_does():
    done = subprocess.run([sys.executable, "-c", MIDDLE], cwd=ROOT, capture_output=True,
                          text=True, check=True, timeout=30)
    child = int(done.stdout)
    deadline = time.monotonic() + 10
    while _alive(child) and time.monotonic() < deadline:
        time.sleep(0.05)
    if _alive(child):
        os.kill(child, 9)
    assert not _alive(child)

"""Shared helpers for the tests: running the CLI and compiling small policies."""
from __future__ import annotations

import os
import tempfile

import pytest

# Caches (lark's tables, parsed rule files) go to a folder of this test run, not the user's.
os.environ["XDG_CACHE_HOME"] = tempfile.mkdtemp(prefix="policylog-test-cache-")
from click.testing import CliRunner

import cli


@pytest.fixture
def run():
    """Run `policylog ARGS...` in-process; returns the click Result (stdout and stderr apart)."""

    def invoke(*args):
        return CliRunner().invoke(cli.main, [str(a) for a in args], catch_exceptions=False)

    return invoke


@pytest.fixture(autouse=True)
def _collect_between_tests():
    """Between tests no dd call is under way: a safe point for the cyclic collector, which
    policylog runs itself once CUDD diagrams are in use (policy/engine/collection.py)."""
    yield
    from policy.engine.collection import collect_if_due
    collect_if_due()

"""Shared helpers for the tests: running the CLI and compiling small policies."""
from __future__ import annotations

import pytest
from click.testing import CliRunner

import cli


@pytest.fixture
def run():
    """Run `policylog ARGS...` in-process; returns the click Result (stdout and stderr apart)."""

    def invoke(*args):
        return CliRunner().invoke(cli.main, [str(a) for a in args], catch_exceptions=False)

    return invoke

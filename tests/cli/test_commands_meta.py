"""The shape of the command line: thin over policy.api, every command documented."""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

import cli
from policy.views.commands import VIEWS

ROOT = Path(__file__).resolve().parents[2]
COMMANDS = sorted(cli.main.commands)


def test_the_library_imports_no_click():
    """policy.api is the library behind the CLI and the HTTP service: no Click in it."""
    code = "import sys, policy.api; print(sorted(m for m in sys.modules if m.split('.')[0] == 'click'))"
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                          check=True)
    assert done.stdout.strip() == "[]"


@pytest.mark.parametrize("name", COMMANDS)
def test_every_command_has_help(run, name):
    result = run(name, "--help")
    assert result.exit_code == 0
    assert cli.main.commands[name].help.strip()
    assert f"Usage: main {name}" in result.output


@pytest.mark.parametrize("name", COMMANDS)
def test_every_command_appears_in_the_readme(name):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert re.search(rf"policylog {re.escape(name)}\b", readme), f"README never shows `policylog {name}`"


@pytest.mark.parametrize("name", COMMANDS)
def test_every_command_has_views(name):
    """One way to pick an output format: the view table lists every command's formats."""
    assert VIEWS[name], name
    command = cli.main.commands[name]
    shown = next((p for p in command.params if p.name == "output_format"), None)
    if len(VIEWS[name]) > 1:
        assert list(shown.type.choices) == list(VIEWS[name])
    else:
        assert shown is None

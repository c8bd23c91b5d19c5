"""A cold `policylog query` imports only what it needs (README "Performance").

Each command runs in a fresh interpreter with a cache folder of its own, twice: the first
run parses the rule files and evaluates the policy's static facts (and caches both), the
second finds them cached. What the second imports is what every later query imports.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FACTS = ROOT / "facts" / "01_returnee_self_funded.yaml"
HEAVY = ("pyDatalog", "duckdb", "_duckdb", "fastapi", "uvicorn", "lark", "numpy", "pyarrow", "z3",
         "jinja2", "pysat", "rich.console", "rich.table",
         # the parts of dd that policylog never calls (engine/diagrams.py defers them)
         "ply", "astutils", "shelve",
         # what only some decisions or commands use (open conditions, join bounds, writing
         # a cache entry)
         "policy.engine.open_solver", "policy.engine.open_witness", "policy.engine.open_repair",
         "policy.engine.open_refute",
         "fractions", "graphlib",
         "secrets",
         # standard modules dd, pathlib and PyYAML import for what policylog never asks of them
         # (policy/deferred.py: in sys.modules, but their code not run)
         "subprocess", "pickle", "ipaddress", "base64")
# The command in-process (click's runner: no fork, so this interpreter does the work) and
# then which of HEAVY it imported.
PROBE = """
import json, sys
from click.testing import CliRunner
import cli
import dataclasses
result = CliRunner().invoke(cli.main, sys.argv[1:])
def ran(name):  # imported and its code run (a deferred module's stand-in holds only its spec)
    return name in sys.modules and "__getattr__" not in vars(sys.modules[name])
heavy = sorted(name for name in HEAVY if ran(name))
# dataclasses builds the docstring a class lacks with inspect.signature (a cost at import)
undocumented = sorted(f"{module}.{name}" for module in list(sys.modules)
                      if module.startswith("policy")
                      for name, value in vars(sys.modules[module]).items()
                      if isinstance(value, type) and dataclasses.is_dataclass(value)
                      and value.__module__ == module and "__doc__" in value.__dict__
                      and (value.__doc__ or "").startswith(name + "("))
print(json.dumps({"code": result.exit_code, "output": result.output, "heavy": heavy,
                  "undocumented": undocumented}))
"""


def imported(cache_home: Path, *args) -> dict:
    env = {**os.environ, "XDG_CACHE_HOME": str(cache_home), "PYTHONPATH": str(ROOT)}
    code = PROBE.replace("HEAVY", repr(HEAVY))
    done = subprocess.run([sys.executable, "-c", code, *map(str, args)], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.splitlines()[-1])


def probe(tmp_path, *args) -> dict:
    """What the command imports once its caches are warm (the first run warms them)."""
    first = imported(tmp_path, *args)
    second = imported(tmp_path, *args)
    assert second["code"] == first["code"] and second["output"] == first["output"]
    return first, second


def test_a_cold_query_imports_no_engine_parser_or_service(tmp_path):
    first, second = probe(tmp_path, "query", FACTS)
    assert second["code"] == 0 and "Plan for Li Wei" in second["output"]
    assert "pyDatalog" in first["heavy"] and "lark" in first["heavy"]  # the probe sees them
    assert second["heavy"] == []


def test_the_dataclasses_a_query_loads_have_docstrings_of_their_own(tmp_path):
    _, second = probe(tmp_path, "query", FACTS)
    assert second["undocumented"] == []


def test_a_coloured_query_still_draws_with_rich(tmp_path, monkeypatch):
    monkeypatch.setenv("FORCE_COLOR", "1")
    _, second = probe(tmp_path, "query", FACTS)
    assert "rich.console" in second["heavy"] and "\x1b[" in second["output"]


def test_a_cold_query_on_duckdb_imports_no_pydatalog(tmp_path):
    _, second = probe(tmp_path, "query", "--engine", "duckdb", FACTS)
    assert second["code"] == 0
    assert "pyDatalog" not in second["heavy"] and "lark" not in second["heavy"]

"""policylog: a declarative policy engine on pyDatalog.

    >>> import policy
    >>> compiled = policy.compile_text("adult(P) :- age(P, A), A >= 18. input age(p, a: integer).")
    >>> sorted(compiled.evaluate({"age": [("li", 30), ("wang", 12)]})["adult"])
    [('li',)]
"""
from __future__ import annotations

from policy.deferred import defer

# What pathlib (through urllib.parse) and PyYAML import for what policylog never does
# (checking an IPv6 host name, reading !!binary): loaded on first use, by anyone
# (deferred.py; about 3 ms of every command).
defer(("ipaddress", "base64"))

from pathlib import Path  # noqa: E402 (after the deferral it serves)

from policy.analysis.checks import check_program
from policy.engine.collection import held
from policy.engine.compiled import CompiledPolicy, compile_checked, compile_program
from policy.errors import (
    CODES,
    Diagnostic,
    EvaluationError,
    FactsError,
    PolicyCheckError,
    PolicyError,
    PolicySyntaxError,
)
from policy.lang import checked_cache
from policy.lang.loader import parse_files, parse_source, parse_sources, program_of, read_sources

BUNDLED_POLICY = Path(__file__).parent / "rules"
BUNDLED_SCENARIOS = Path(__file__).parent / "scenarios"


def compile_text(text: str, name: str = "<text>") -> CompiledPolicy:
    """Parse, check and compile rule text; PolicyError lists every problem."""
    program, syntax = parse_source(text, name)
    return compile_program(program, syntax)


def check_policy(paths=(BUNDLED_POLICY,)) -> list:
    """Every diagnostic of the policy at `paths`, errors and warnings, sorted by position.

    Unreadable files raise PolicyError(file_error): there is nothing to check.
    """
    program, syntax = parse_files(list(paths))
    return sorted(list(syntax) + check_program(program, syntax), key=Diagnostic.sort_key)


def load_policy(path=BUNDLED_POLICY) -> CompiledPolicy:
    """Parse, check and compile a rule file or a directory of them (or several, as a list).

    A policy whose files hold the same text as when it last loaded without errors is read
    from the per-user cache of checked policies (lang/checked_cache.py): not parsed or
    checked again, only compiled."""
    paths = path if isinstance(path, (list, tuple)) else [path]
    with held():  # what is read here lives as long as the policy: nothing to collect
        sources = read_sources(paths)
        checked = checked_cache.load(sources)
        if checked is not None:
            statements, warnings = checked
            return compile_checked(program_of(statements, sources), warnings)
        compiled = compile_program(*parse_sources(sources))
        checked_cache.store(sources, compiled.program.statements, compiled.warnings)
        return compiled


__all__ = [
    "BUNDLED_POLICY",
    "BUNDLED_SCENARIOS",
    "CODES",
    "CompiledPolicy",
    "Diagnostic",
    "EvaluationError",
    "FactsError",
    "PolicyCheckError",
    "PolicyError",
    "PolicySyntaxError",
    "check_policy",
    "compile_text",
    "load_policy",
]

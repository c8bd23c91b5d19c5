"""Reading policy files and directories into a Program, with file errors as diagnostics.

A directory is read recursively, its `*.pl` files in sorted path order, so a
policy means the same thing on every machine; a file named explicitly is read
whatever its extension.
"""
from __future__ import annotations

import sys
from pathlib import Path

from policy.lang import parse_cache as astcache
from policy.errors import PolicyError, PolicySyntaxError
from policy.limits import check_input_size, read_bounded
from policy.lang.program import Program

RULE_SUFFIX = ".pl"


def policy_files(path: Path) -> list:
    """The rule files a path names, or PolicyError(file_error)."""
    if not path.exists():
        raise PolicyError.single("file_error", "no such file or directory", str(path))
    if not path.is_dir():  # a file, or a pipe or device named explicitly
        return [path]
    files = sorted(p for p in path.rglob(f"*{RULE_SUFFIX}") if p.is_file())
    if not files:
        message = f"the directory holds no rule files (*{RULE_SUFFIX})"
        raise PolicyError.single("file_error", message, str(path))
    return files


STDIN = "-"


def standard_input(path: Path) -> Path:
    """`-` as the path of standard input, for readers that open a path (batch rows)."""
    return Path("/dev/stdin") if str(path) == STDIN else path


def read_text(path: Path) -> str:
    """A file's text as UTF-8 (a byte-order mark is allowed), or PolicyError(file_error).

    At most --max-input-mb is read, whatever the file is (a pipe, a device). `-` is
    standard input.
    """
    if str(path) == STDIN:
        return _decoded(read_bounded(sys.stdin.buffer, STDIN), path)
    try:
        check_input_size(path.stat().st_size, str(path))
        with open(path, "rb") as stream:
            data = read_bounded(stream, str(path))
    except OSError as problem:
        raise PolicyError.single("file_error", problem.strerror or str(problem), str(path)) from None
    return _decoded(data, path)


def _decoded(data: bytes, path) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as problem:
        line = data[: problem.start].count(b"\n") + 1
        message = f"the file is not UTF-8 text (byte 0x{data[problem.start]:02x})"
        raise PolicyError.single("file_error", message, str(path), line) from None


def rule_files(paths) -> list:
    """The rule files named by policy paths (files or directories), each once, in order."""
    files = []
    for path in paths:
        for file in policy_files(Path(path)):
            if file not in files:
                files.append(file)
    return files


def parse_files(paths) -> tuple:
    """(Program, syntax diagnostics) for a list of policy paths (files or directories)."""
    return parse_sources(read_sources(paths))


def read_sources(paths) -> dict:
    """{file: text} of the rule files that policy paths name, in order (the first file that
    cannot be read: PolicyError(file_error))."""
    return {str(file): read_text(file) for file in rule_files(paths)}


def parse_sources(sources: dict) -> tuple:
    """(Program, syntax diagnostics) of the rule files read by read_sources."""
    statements, diagnostics = [], []
    for file, text in sources.items():
        parsed, problems = parse_cached(text, file)
        statements.extend(parsed)
        diagnostics.extend(problems)
    return program_of(statements, sources), diagnostics


def program_of(statements: list, sources: dict) -> Program:
    """The Program of statements read from the files of `sources`."""
    return Program(statements, list(sources), sources, from_files=True)


def parse_cached(text: str, file: str) -> tuple:
    """(statements, diagnostics) of a file, from the AST cache when the same text parsed before."""
    cached = astcache.load(text, file)
    if cached is not None:
        return cached, []
    from policy.lang.parser import parse_text  # lark is imported only when something must be parsed

    statements, diagnostics = parse_text(text, file)
    if not diagnostics:
        astcache.store(text, file, statements)
    return statements, diagnostics


def parse_source(text: str, name: str = "<text>") -> tuple:
    from policy.lang.parser import parse_text

    statements, diagnostics = parse_text(text, name)
    return Program(statements, [name], {name: text}), diagnostics


def require_no_syntax_errors(diagnostics) -> None:
    errors = [d for d in diagnostics if d.is_error]
    if errors:
        raise PolicySyntaxError(errors)

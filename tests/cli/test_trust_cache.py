"""Nothing read from the cache folder runs code, and no cache entry is believed unchecked.

lark's own cache (a pickle) is never read: the grammar's tables are signed JSON
(tests/lang/test_grammar_cache.py); parsed-rule entries are signed JSON in a private
folder, rebuilt only when their signature verifies and their whole shape is right. Planted pickles must not run: each would create MARKER.
"""
from __future__ import annotations

import dataclasses
import json
import os
import pickle
import subprocess
import sys
import tempfile
from pathlib import Path

import lark
import pytest

import policy
from policy.lang import ast
from policy.lang import parse_cache
from policy.lang import private_folder
from policy.lang.loader import parse_cached

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures"
RULES = "derived ok(n).\n@id(\"r1\") ok(1).\nok(X) :- X = 2 + 3.\n"


class Planted:
    """Unpickling this runs `touch MARKER`."""

    def __init__(self, marker: Path):
        self.marker = str(marker)

    def __reduce__(self):
        return (os.system, (f"touch {self.marker}",))


@pytest.fixture
def cache_home(tmp_path, monkeypatch):
    home = tmp_path / "cache"
    monkeypatch.setenv("XDG_CACHE_HOME", str(home))
    return home


def planted_pickle(marker: Path) -> bytes:
    return pickle.dumps(Planted(marker))


def run_cli(*args, cache_home: Path, cwd: Path):
    """The real command line in a fresh interpreter (the parser is built at its import)."""
    env = {**os.environ, "XDG_CACHE_HOME": str(cache_home), "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, str(ROOT / "cli.py"), *map(str, args)], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=120)


def test_planted_grammar_cache_pickles_do_not_run(tmp_path, cache_home):
    """The old lark cache names (ours and lark's own default) hold pickles that would run."""
    marker = tmp_path / "MARKER"
    folder = cache_home / "policylog"
    folder.mkdir(parents=True, mode=0o700)
    payload = b"0" * 64 + b"\n" + planted_pickle(marker)
    (folder / f"grammar-lark-{lark.__version__}.cache").write_bytes(payload)
    for name in ("grammar.cache", "lark.cache"):
        (folder / name).write_bytes(payload)
    rules = tmp_path / "fresh.pl"
    rules.write_text(RULES + "% a file never parsed before, so the parser is built\n")
    result = run_cli("check", rules, cache_home=cache_home, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert not marker.exists(), "a planted pickle in the cache folder was run"


def test_a_planted_pickle_as_a_parsed_rule_entry_does_not_run(tmp_path, cache_home):
    marker = tmp_path / "MARKER"
    folder = cache_home / "policylog"
    folder.mkdir(parents=True, mode=0o700)
    rules = tmp_path / "p.pl"
    rules.write_text(RULES)
    entry = folder / f"ast-{parse_cache._key(RULES, str(rules))}.json"
    entry.write_bytes(planted_pickle(marker))
    result = run_cli("eval", rules, "ok(X)", cache_home=cache_home, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["X = 1", "X = 5"]
    assert not marker.exists()


# --- entries are signed ---------------------------------------------------------------------


def entry_path(text: str, file: str) -> Path:
    return private_folder.cache_folder() / f"ast-{parse_cache._key(text, file)}.json"


def resign(path: Path, body: bytes) -> None:
    """Write `body` under `path` with a valid signature: only its shape can refuse it."""
    key = private_folder.signing_key(path.parent)
    path.write_bytes(private_folder.sign(key, path.name, body).encode() + b"\n" + body)


def test_an_entry_is_signed_and_read_back(cache_home):
    first, problems = parse_cached(RULES, "p.pl")
    assert problems == []
    data = entry_path(RULES, "p.pl").read_bytes()
    signature, _, body = data.partition(b"\n")
    assert len(signature) == 64 and json.loads(body)
    assert parse_cache.load(RULES, "p.pl") == first


def test_an_altered_entry_is_ignored_and_the_file_parsed_again(cache_home):
    parse_cached(RULES, "p.pl")
    path = entry_path(RULES, "p.pl")
    path.write_bytes(path.read_bytes().replace(b'"head": {"t": "Atom", "f": {"predicate": "ok"',
                                               b'"head": {"t": "Atom", "f": {"predicate": "no"'))
    assert b'"predicate": "no"' in path.read_bytes()
    assert parse_cache.load(RULES, "p.pl") is None
    statements, _ = parse_cached(RULES, "p.pl")
    assert [s.head.predicate for s in statements if isinstance(s, ast.Rule)] == ["ok", "ok"]


def test_an_entry_moved_to_another_files_name_is_ignored(cache_home):
    parse_cached(RULES, "p.pl")
    other = "derived ok(n).\nok(7).\n"
    entry_path(other, "q.pl").write_bytes(entry_path(RULES, "p.pl").read_bytes())
    assert parse_cache.load(other, "q.pl") is None
    statements, _ = parse_cached(other, "q.pl")
    assert statements[1].head.args[0].value == 7


def test_a_key_readable_by_others_is_not_trusted(cache_home):
    parse_cached(RULES, "p.pl")
    key = cache_home / "policylog" / private_folder.KEY_NAME
    key.chmod(0o644)
    assert private_folder.signing_key(key.parent) is None
    assert parse_cache.load(RULES, "p.pl") is None


def test_a_key_that_is_a_symlink_is_not_followed(cache_home, tmp_path):
    folder = private_folder.cache_folder()
    elsewhere = tmp_path / "attacker.key"
    elsewhere.write_bytes(b"k" * private_folder.KEY_BYTES)
    elsewhere.chmod(0o600)
    (folder / private_folder.KEY_NAME).symlink_to(elsewhere)
    assert private_folder.signing_key(folder) is None
    statements, problems = parse_cached(RULES, "p.pl")  # works, uncached
    assert problems == [] and len(statements) == 3


@pytest.mark.parametrize("mode", [0o777, 0o775, 0o757])
def test_a_folder_others_can_write_is_not_used(cache_home, mode):
    parse_cached(RULES, "p.pl")
    folder = cache_home / "policylog"
    folder.chmod(mode)
    try:
        assert private_folder.cache_folder() is None
        assert parse_cache.load(RULES, "p.pl") is None
        statements, problems = parse_cached(RULES, "p.pl")
        assert problems == [] and len(statements) == 3
    finally:
        folder.chmod(0o700)


def test_a_cache_folder_that_is_a_symlink_is_not_used(cache_home, tmp_path):
    real = tmp_path / "shared"
    real.mkdir(mode=0o700)
    cache_home.mkdir()
    (cache_home / "policylog").symlink_to(real)
    assert private_folder.cache_folder() is None


# --- entries are rebuilt only when their whole shape is right --------------------------------

GOOD = parse_cache.encode(ast.Rule(
    ast.Atom("ok", (ast.Constant(1, ast.Span("p.pl", 2, 12)),), ast.Span("p.pl", 2, 12)),
    (), (), ast.Span("p.pl", 2, 12)))


def mangled(path: str, value):
    """GOOD with the value at `path` (dot-separated keys and indexes) replaced."""
    entry = json.loads(json.dumps(GOOD))
    *parents, last = path.split(".")
    node = entry
    for part in parents:
        node = node[int(part)] if isinstance(node, list) else node[part]
    if isinstance(node, list):
        node[int(last)] = value
    elif value is _DELETE:
        del node[last]
    else:
        node[last] = value
    return [entry]


_DELETE = object()
DEEP = "[" * 100_000 + "]" * 100_000

BAD_ENTRIES = {
    "not a list": {"t": "Rule"},
    "a class that is not in the AST": [{"t": "os.system", "f": {"command": "touch MARKER"}}],
    "a Span as a statement": [{"t": "Span", "f": {"file": "a", "line": 1, "column": 1}}],
    "a field missing": mangled("f.head.f.span", _DELETE),
    "a field too many": mangled("f.head.f.extra", 1),
    "a line that is a string": mangled("f.span.f.line", "2"),
    "a line that is true": mangled("f.span.f.line", True),
    "a negative column": mangled("f.span.f.column", -1),
    "a predicate that is a number": mangled("f.head.f.predicate", 3),
    "args that are a list, not a tuple": mangled("f.head.f.args", []),
    "a Rule where an argument goes": mangled("f.head.f.args.tuple.0", GOOD),
    "a value that is a list": mangled("f.head.f.args.tuple.0.f.value", [1, 2]),
    "a value that is null": mangled("f.head.f.args.tuple.0.f.value", None),
    "a date out of the calendar": mangled("f.head.f.args.tuple.0.f.value", {"day": 10**12}),
    "a decimal that is NaN": mangled("f.head.f.args.tuple.0.f.value", {"dec": "NaN"}),
    "a decimal that is not a number": mangled("f.head.f.args.tuple.0.f.value", {"dec": "x"}),
    "an extra key beside t and f": [{**GOOD, "x": 1}],
    "a body that is a Declaration": mangled("f.body", {"tuple": [GOOD]}),
    "a class name that is a list": [{"t": ["Rule"], "f": {}}],
    "a class name that is an object": [{"t": {"Rule": 1}, "f": {}}],
}


@pytest.mark.parametrize("entry", list(BAD_ENTRIES.values()), ids=list(BAD_ENTRIES))
def test_a_signed_entry_of_the_wrong_shape_is_ignored(cache_home, entry):
    parse_cached(RULES, "p.pl")
    resign(entry_path(RULES, "p.pl"), json.dumps(entry).encode())
    assert parse_cache.load(RULES, "p.pl") is None
    statements, problems = parse_cached(RULES, "p.pl")
    assert problems == [] and [type(s).__name__ for s in statements] == ["Declaration", "Rule", "Rule"]


@pytest.mark.parametrize("body", [DEEP.encode(), ('{"t": ' * 100_000).encode(), b"\xff\xfe",
                                  b"", b"[" + b"1," * 10 + b"]", b"\x80\x04K\x01."],
                         ids=["100k-deep list", "100k-deep objects", "not UTF-8", "empty",
                              "numbers", "a pickle"])
def test_a_signed_entry_that_is_not_an_ast_at_all_is_ignored(cache_home, body):
    parse_cached(RULES, "p.pl")
    resign(entry_path(RULES, "p.pl"), body)
    assert parse_cache.load(RULES, "p.pl") is None
    assert len(parse_cached(RULES, "p.pl")[0]) == 3


def test_a_deeply_nested_but_well_typed_entry_is_ignored(cache_home):
    expression = ast.Constant(1, ast.Span("p.pl", 1, 1))
    for _ in range(parse_cache.MAX_DEPTH):
        expression = ast.Negative(expression, ast.Span("p.pl", 1, 1))
    rule = ast.Rule(ast.Atom("ok", (expression,), ast.Span("p.pl", 1, 1)), (), (), ast.Span("p.pl", 1, 1))
    parse_cached(RULES, "p.pl")
    resign(entry_path(RULES, "p.pl"), json.dumps([parse_cache.encode(rule)]).encode())
    assert parse_cache.load(RULES, "p.pl") is None


def test_the_schema_names_every_ast_class_with_exactly_its_fields():
    """A new AST class or field must be added to SCHEMA, or its files would never be cached."""
    classes = {name: cls for name, cls in vars(ast).items()
               if dataclasses.is_dataclass(cls) and (cls.__module__ == ast.__name__ or name == "Span")}
    assert set(classes) == set(parse_cache.SCHEMA)
    for name, cls in classes.items():
        assert [f.name for f in dataclasses.fields(cls)] == list(parse_cache.SCHEMA[name]), name


@pytest.mark.parametrize("path", sorted((ROOT / "policy" / "rules").glob("*.pl"))
                         + sorted(FIXTURES.glob("*.pl")), ids=lambda p: p.name)
def test_every_bundled_and_fixture_file_round_trips_through_the_cache(cache_home, path):
    text = path.read_text(encoding="utf-8")
    parsed, problems = parse_cached(text, str(path))
    if problems:
        assert parse_cache.load(text, str(path)) is None  # errors are never cached
        return
    cached = parse_cache.load(text, str(path))
    assert cached == parsed
    assert [s.span for s in cached] == [s.span for s in parsed]


def test_arithmetic_in_arguments_true_false_dates_and_decimals_round_trip(cache_home):
    text = ('input p(x). input q(y). derived total(x, y, s). derived r(n).\n'
            'total(X, Y, X + Y) :- p(X), q(Y).\nr(1 - 2 - 3). r(-4). r(true). r(false).\n'
            'r(2026-01-31). r(2.5000000000000000000001). r(D) :- D = 2026-01-31 + 1.\n')
    parsed, problems = parse_cached(text, "a.pl")
    assert problems == []
    cached = parse_cache.load(text, "a.pl")
    assert cached == parsed
    kinds = [type(s.head.args[0].value).__name__ for s in cached
             if isinstance(s, ast.Rule) and isinstance(s.head.args[0], ast.Constant)]
    assert kinds == [type(s.head.args[0].value).__name__ for s in parsed
                     if isinstance(s, ast.Rule) and isinstance(s.head.args[0], ast.Constant)]
    assert kinds == ["int", "Truth", "Truth", "Day", "Decimal"]
    assert isinstance(cached[5].head.args[0], ast.BinaryOp)  # r(1 - 2 - 3)

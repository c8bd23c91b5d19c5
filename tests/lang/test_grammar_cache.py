"""The parser's LALR tables kept per user: the same parses and the same syntax errors as tables
just built, believed only when signed and plain, and a planted pickle never runs."""
from __future__ import annotations

import json
import os
import pickle
import subprocess
import sys
from pathlib import Path

import pytest
from lark import Lark

import policy
from policy.lang import grammar_cache, parser, private_folder

ROOT = Path(__file__).resolve().parents[2]
GRAMMAR = Path(parser.__file__).with_name("grammar.lark")
OPTIONS = dict(start=["program", "statement"], parser="lalr", propagate_positions=True,
               cache=False)
BROKEN = [
    "p(X) :- q(X)\n",  # no dot
    "p(X) :- q(X), .\n",
    "p(X) :- X == 1.\n",
    "p(X) :- \\+ q(X).\n",
    "p('a').\n",
    "ok(1).\nbad(.\nfine(2).\np(X) :- q(X) ; r(X).\n",
    "@id(\"r1\") p(1) :- .\n",
    "p(X) :- count : { q(X) .\n",
    "input age(p, a: integr).\n",
    "p(2024-13-01).\n",
]


@pytest.fixture
def cache_home(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    return tmp_path / "cache" / "policylog"


def entries(folder):
    return sorted(folder.glob("lalr-*.json"))


def resign(path: Path, body: bytes) -> None:
    key = private_folder.signing_key(path.parent)
    path.write_bytes(private_folder.sign(key, path.name, body).encode() + b"\n" + body)


def loaded_parser(monkeypatch) -> Lark:
    """A parser read back from the cache (building one is made to fail)."""
    grammar_cache.parser(GRAMMAR, **OPTIONS)  # built and stored
    with monkeypatch.context() as patch:
        patch.setattr(Lark, "open", lambda *a, **k: pytest.fail("built, not read back"))
        return grammar_cache.parser(GRAMMAR, **OPTIONS)


def texts():
    files = sorted(policy.BUNDLED_POLICY.glob("*.pl")) + sorted((ROOT / "examples").rglob("*.pl"))
    files += sorted((ROOT / "tests" / "fixtures").glob("*.pl"))
    return [(str(f), f.read_text(encoding="utf-8")) for f in files] + [
        (f"broken{i}.pl", text) for i, text in enumerate(BROKEN)]


def parsed_with(lark_parser, monkeypatch) -> list:
    """(statements, rendered diagnostics) of every text, parsed with `lark_parser`."""
    with monkeypatch.context() as patch:
        patch.setattr(parser, "_parser", lambda: lark_parser)
        found = []
        for name, text in texts():
            statements, diagnostics = parser.parse_text(text, name)
            found.append((statements, [d.render() for d in diagnostics]))
        return found


def test_tables_read_back_parse_and_fail_exactly_as_tables_just_built(cache_home, monkeypatch):
    built = Lark.open(str(GRAMMAR), **OPTIONS)
    loaded = loaded_parser(monkeypatch)
    assert loaded is not built and entries(cache_home)
    expected = parsed_with(built, monkeypatch)
    assert sum(1 for _, problems in expected if problems) >= len(BROKEN)  # errors compared too
    assert parsed_with(loaded, monkeypatch) == expected
    spans = [[s.span for s in statements] for statements, _ in expected]
    assert [[s.span for s in statements] for statements, _ in
            parsed_with(loaded, monkeypatch)] == spans  # positions (not compared by ==) too


def test_the_tables_round_trip_as_plain_data(cache_home):
    data, memo = Lark.open(str(GRAMMAR), **OPTIONS).memo_serialize(
        [grammar_cache.TerminalDef, grammar_cache.Rule])
    written = json.dumps(grammar_cache.encode({"data": data, "memo": memo}))
    assert grammar_cache.decode_text(written) == {"data": data, "memo": memo}


def test_an_altered_entry_is_ignored_and_the_tables_built_again(cache_home, monkeypatch):
    grammar_cache.parser(GRAMMAR, **OPTIONS)
    (entry,) = entries(cache_home)
    entry.write_bytes(entry.read_bytes().replace(b'"NAME"', b'"NAMF"', 1))
    built = []
    real_open = Lark.open
    monkeypatch.setattr(Lark, "open", lambda *a, **k: built.append(1) or real_open(*a, **k))
    again = grammar_cache.parser(GRAMMAR, **OPTIONS)
    assert built == [1]
    assert again.parse("ok(1).", start="program")


@pytest.mark.parametrize("body", [
    b"[]",
    b'{"o": [["data", 1.5], ["memo", {"o": []}]]}',  # a float
    b'{"o": [["data", NaN], ["memo", {"o": []}]]}',  # not a number
    b'{"o": [["data", {"x": []}], ["memo", {"o": []}]]}',  # an unknown tag
    b'{"o": [["data", {"o": [["__type__", "os.system"]]}], ["memo", {"d": []}]]}',
    b'{"o": [["data", {"o": []}], ["memo", {"d": [[[1], 2]]}]]}',  # a list as a key
    b'{"o": [["data", {"o": []}], ["memo", {"d": [[{"t": [[1]]}, 2]]}]]}',  # unhashable key
    b'{"o": [["data", {"o": []}], ["memo", {"o": [[1, 2]]}]]}',  # "o" keys are strings
    b'{"o": {"data": {"o": []}, "memo": {"o": []}}}',  # the form before VERSION 2
    b'{"o": [["data", {"o": []}], ["memo", {"o": []}]], "t": []}',  # two tags
    b"[" * 10000 + b"]" * 10000,
    b"not json",
])
def test_a_signed_entry_that_is_not_plain_tables_is_ignored(cache_home, body):
    grammar_cache.parser(GRAMMAR, **OPTIONS)
    (entry,) = entries(cache_home)
    resign(entry, body)
    again = grammar_cache.parser(GRAMMAR, **OPTIONS)
    assert again.parse("ok(1).", start="program")


def test_a_planted_pickle_as_the_tables_entry_does_not_run(cache_home, tmp_path):
    marker = tmp_path / "MARKER"

    class Planted:
        def __reduce__(self):
            return (os.system, (f"touch {marker}",))

    grammar_cache.parser(GRAMMAR, **OPTIONS)
    (entry,) = entries(cache_home)
    resign(entry, pickle.dumps(Planted()))
    assert grammar_cache.parser(GRAMMAR, **OPTIONS).parse("ok(1).", start="program")
    entry.write_bytes(pickle.dumps(Planted()))  # unsigned too
    assert grammar_cache.parser(GRAMMAR, **OPTIONS).parse("ok(1).", start="program")
    assert not marker.exists()


def test_other_options_or_another_grammar_miss(cache_home, tmp_path):
    grammar_cache.parser(GRAMMAR, **OPTIONS)
    grammar_cache.parser(GRAMMAR, **{**OPTIONS, "propagate_positions": False})
    other = tmp_path / "other.lark"
    other.write_text(GRAMMAR.read_text(encoding="utf-8") + "\n// changed\n", encoding="utf-8")
    grammar_cache.parser(other, **OPTIONS)
    assert len(entries(cache_home)) == 3


PARSE_ONCE = r"""
import sys
import policy
policy.compile_text("p(X) :- q(X). input q(a).")
def ran(name):  # imported and its code run (policy/deferred.py's stand-ins hold only a spec)
    return name in sys.modules and "__getattr__" not in vars(sys.modules[name])
print(sorted(name for name in ("getpass", "pickle", "tempfile") if ran(name)))
"""


def test_parsing_a_text_runs_none_of_what_lark_imports_for_its_own_pickled_cache(tmp_path):
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path)}
    for _ in range(2):  # tables built and stored, then read back
        done = subprocess.run([sys.executable, "-c", PARSE_ONCE], cwd=ROOT, env=env,
                              capture_output=True, text=True, check=True)
        assert done.stdout.strip() == "[]"

"""The cache of checked policies: the same policy and warnings, no check run on a hit,
misses on change, never holds a policy with errors, ignores damaged or hostile entries."""
from __future__ import annotations

import datetime
import json
from decimal import Decimal

import pytest

import policy
from policy.errors import PolicyCheckError
from policy.lang import checked_cache
from policy.lang.loader import read_sources
from policy.lang.private_folder import cache_folder, write_signed

# every kind of node and constant the rule language has, and one warning (b is unused)
TEXT = """\
@description(en: "a person's income", zh: "收入")
input income(p, amount: decimal).
input born(p, on: date).
input kind(p, k: enum(a, "b c")).
input flag(p, ok: boolean).
input b.
@id("r1") @source("guide 1")
rich(P) :- income(P, A), A >= 1000.50, not poor(P), kind(P, a).
poor(P) :- income(P, A), -A + 2 * 3 > 0 - 1.
young(P) :- born(P, D), D > 2000-01-31, flag(P, true).
total(T) :- T = sum A : { income(_, A) }.
people(N) :- N = count : { kind(_, _) }.
output(P) :- rich(P), young(P), total(T), T > 0, people(N), N > 1.
derived output(p).
"""


@pytest.fixture
def policy_file(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    path = tmp_path / "p.pl"
    path.write_text(TEXT, encoding="utf-8")
    return path


def entries():
    return sorted(cache_folder().glob("checked-*.json"))


def test_a_policy_read_back_is_the_same_policy_with_its_warnings(policy_file, monkeypatch):
    first = policy.load_policy(policy_file)
    assert [d.code for d in first.warnings] == ["unused_declaration"] and len(entries()) == 1
    monkeypatch.setattr(policy, "compile_program", None)  # a hit parses and checks nothing
    monkeypatch.setattr(policy.lang.loader, "parse_cached", None)
    second = policy.load_policy(policy_file)
    assert second.program.statements == first.program.statements
    assert _spans(second.program.statements) == _spans(first.program.statements)
    assert [d.render() for d in second.warnings] == [d.render() for d in first.warnings]
    assert second.program.files == first.program.files and second.program.from_files
    assert second.lowered == first.lowered
    facts = {"income": [("li", Decimal("2000.00"))], "born": [("li", datetime.date(2001, 2, 3))],
             "kind": [("li", "a"), ("wang", "b c")], "flag": [("li", True)]}
    assert second.evaluate(facts, ["output"]) == first.evaluate(facts, ["output"]) \
        == {"output": {("li",)}}


def _spans(node):
    """Every span inside a node, in order (spans do not take part in node equality)."""
    if isinstance(node, (list, tuple)):
        return [span for item in node for span in _spans(item)]
    if not hasattr(node, "__dataclass_fields__"):
        return []
    found = [node.span] if hasattr(node, "span") else []
    return found + [s for name in node.__dataclass_fields__ if name != "span"
                    for s in _spans(getattr(node, name))]


def test_a_changed_file_misses_and_a_policy_with_errors_is_never_kept(policy_file):
    policy.load_policy(policy_file)
    policy_file.write_text(TEXT + "bad(X) :- nowhere(X).\n", encoding="utf-8")
    assert checked_cache.load(read_sources([policy_file])) is None
    with pytest.raises(PolicyCheckError):
        policy.load_policy(policy_file)
    assert len(entries()) == 1  # only the first text's


HOSTILE = [
    {"statements": [["os.system", "echo pwned", [0, 1, 1]]], "warnings": []},
    {"statements": [["r", ["a", "p", [], [5, 1, 1]], [], [], [0, 1, 1]]], "warnings": []},
    {"statements": [["r", ["a", "p", [], [0, -1, 1]], [], [], [0, 1, 1]]], "warnings": []},
    {"statements": [["r", ["a", "p", [["c", {"__class__": "x"}, [0, 1, 1]]], [0, 1, 1]], [],
                     [], [0, 1, 1]]], "warnings": []},
    {"statements": [], "warnings": [["type_error", "error", "x", "p.pl", 1, 1, ""]]},
    {"statements": [], "warnings": [["no_such_code", "warning", "x", "p.pl", 1, 1, ""]]},
    {"statements": [], "warnings": [], "extra": 1},
    ["not", "an", "entry"],
]


@pytest.mark.parametrize("entry", HOSTILE)
def test_a_signed_entry_of_the_wrong_shape_is_ignored(policy_file, entry):
    expected = policy.load_policy(policy_file)
    (path,) = entries()
    write_signed(cache_folder(), path.name, json.dumps(entry).encode("utf-8"))
    assert checked_cache.load(read_sources([policy_file])) is None
    assert policy.load_policy(policy_file).program.statements == expected.program.statements


def test_a_deep_nest_or_an_unsigned_entry_is_ignored(policy_file):
    expected = policy.load_policy(policy_file)
    (path,) = entries()
    expr = '["n",' * 5000 + '["v","X",[0,1,1]]' + ',[0,1,1]]' * 5000
    deep = '{"statements":[["r",["a","p",[' + expr + '],[0,1,1]],[],[],[0,1,1]]],"warnings":[]}'
    write_signed(cache_folder(), path.name, deep.encode("utf-8"))
    assert checked_cache.load(read_sources([policy_file])) is None
    path.write_bytes(b"0" * 64 + b"\n" + json.dumps({"statements": [], "warnings": []}).encode())
    assert checked_cache.load(read_sources([policy_file])) is None
    assert policy.load_policy(policy_file).program.statements == expected.program.statements

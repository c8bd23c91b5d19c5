"""The static predicates' facts kept per user: the same model, believed only when signed and
well formed, missed on any change, never kept for a program text given in memory."""
from __future__ import annotations

import dataclasses
import json

import pytest

import policy
from policy.engine import static_cache
from policy.lang import private_folder
from policy.limits import DEFAULT, restore, using

RULES = ('input age(p: string, a: integer).\n'
         'derived office(name: string, opens: date, fee: decimal, open: boolean).\n'
         'office("hall", 2024-01-02, 1.50, true).\noffice("annex", 2024-03-04, 2, false).\n'
         'adult(P) :- age(P, A), A >= 18.\n')


@pytest.fixture
def cache_home(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    return tmp_path / "cache" / "policylog"


@pytest.fixture
def rules(tmp_path):
    path = tmp_path / "p.pl"
    path.write_text(RULES, encoding="utf-8")
    return path


def entries(folder):
    return sorted(folder.glob("static-*.json"))


def resign(path, body: bytes) -> None:
    """Write `body` with a valid signature: only its shape can refuse it."""
    key = private_folder.signing_key(path.parent)
    path.write_bytes(private_folder.sign(key, path.name, body).encode() + b"\n" + body)


def test_the_cached_model_is_the_evaluated_one_values_and_kinds_alike(cache_home, rules):
    evaluated = policy.load_policy(rules)._static_engine_model
    (entry,) = entries(cache_home)
    cached = policy.load_policy(rules)._static_engine_model
    assert cached == evaluated
    assert {type(v).__name__ for row in cached["office"] for v in row} == {
        "str", "Day", "Decimal", "int", "Truth"}
    assert policy.load_policy(rules).static_model == {
        name: {tuple(policy.engine.compiled.to_python(v) for v in row) for row in rows}
        for name, rows in evaluated.items()}


def test_a_cached_model_is_used_without_evaluating(cache_home, rules, monkeypatch):
    policy.load_policy(rules)._static_engine_model
    monkeypatch.setattr(policy.engine.compiled, "_run", lambda *a: pytest.fail("evaluated"))
    assert ("hall",) in {row[:1] for row in policy.load_policy(rules)._static_engine_model["office"]}


def test_a_changed_file_or_fact_limit_misses(cache_home, rules):
    policy.load_policy(rules)._static_engine_model
    rules.write_text(RULES.replace('"annex"', '"wing"'), encoding="utf-8")
    changed = policy.load_policy(rules)._static_engine_model
    assert {row[0] for row in changed["office"]} == {"hall", "wing"}
    token = using(dataclasses.replace(DEFAULT, max_facts=50))
    try:
        policy.load_policy(rules)._static_engine_model
    finally:
        restore(token)
    assert len(entries(cache_home)) == 3


def test_a_program_text_is_never_cached(cache_home):
    compiled = policy.compile_text(RULES)
    assert compiled._static_engine_model["office"]
    assert entries(cache_home) == []


def test_an_altered_entry_is_ignored_and_the_model_evaluated_again(cache_home, rules):
    evaluated = policy.load_policy(rules)._static_engine_model
    (entry,) = entries(cache_home)
    entry.write_bytes(entry.read_bytes().replace(b'"hall"', b'"shed"'))
    assert b'"shed"' in entry.read_bytes()
    assert policy.load_policy(rules)._static_engine_model == evaluated


ROW = ["hall", {"day": 738887}, {"dec": "1.50"}, {"truth": True}]


@pytest.mark.parametrize("body", [
    {"office": [ROW], "adult": []},  # a predicate that is not static
    {},  # a static predicate left out
    {"office": [ROW[:3]]},  # a row short
    {"office": [ROW[:3] + [True]]},  # a bare JSON boolean
    {"office": [ROW[:1] + [{"t": "os.system", "f": {"command": "true"}}] + ROW[2:]]},
    {"office": [ROW[:1] + [{"day": 0}] + ROW[2:]]},  # no such date
    {"office": [ROW[:2] + [{"dec": "NaN"}] + ROW[3:]]},
    {"office": [ROW[:2] + [1.5] + ROW[3:]]},  # a float
    {"office": {"hall": 1}},
    [],
])
def test_a_signed_entry_of_the_wrong_shape_is_ignored(cache_home, rules, body):
    compiled = policy.load_policy(rules)
    evaluated = compiled._static_engine_model
    assert set(evaluated) == {"office"}  # adult is not static: an input reaches it
    (entry,) = entries(cache_home)
    resign(entry, json.dumps(body).encode())
    assert policy.load_policy(rules)._static_engine_model == evaluated


def test_a_signed_well_formed_entry_is_believed(cache_home, rules):
    """The signature is the trust: an entry this user's key signed is read as written."""
    policy.load_policy(rules)._static_engine_model
    (entry,) = entries(cache_home)
    resign(entry, json.dumps({"office": [["shed", {"day": 738887}, {"dec": "1.50"},
                                          {"truth": False}]]}).encode())
    assert {row[0] for row in policy.load_policy(rules)._static_engine_model["office"]} == {"shed"}


def test_a_fingerprint_of_the_code_is_in_the_key(cache_home, rules, monkeypatch):
    policy.load_policy(rules)._static_engine_model
    monkeypatch.setattr(private_folder, "code_fingerprint", lambda: "another version")
    policy.load_policy(rules)._static_engine_model
    assert len(entries(cache_home)) == 2

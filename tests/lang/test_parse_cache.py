"""The cache of parsed rule files: same answers, misses on change, ignores damage, runs nothing."""
from __future__ import annotations

import json

import policy
from policy.lang import parse_cache as astcache
from policy.lang.loader import parse_cached


def test_a_cached_parse_gives_the_same_statements(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    text = (policy.BUNDLED_POLICY / "10_returnee_guide.pl").read_text(encoding="utf-8")
    first, problems = parse_cached(text, "guide.pl")
    assert problems == [] and astcache.load(text, "guide.pl") == first
    second, _ = parse_cached(text, "guide.pl")
    assert second == first
    assert [s.span for s in second] == [s.span for s in first]  # positions too


def test_a_changed_text_misses_and_errors_are_never_cached(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    parse_cached("ok.\n", "a.pl")
    assert astcache.load("ok. fine.\n", "a.pl") is None
    statements, problems = parse_cached("ok.\nbad(.\n", "a.pl")
    assert problems and astcache.load("ok.\nbad(.\n", "a.pl") is None


def test_a_damaged_or_hostile_entry_is_ignored(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    parse_cached("ok.\n", "a.pl")
    (entry,) = (tmp_path / "policylog").glob("ast-*.json")
    entry.write_text(json.dumps([{"t": "os.system", "f": {"command": "echo pwned"}}]))
    assert astcache.load("ok.\n", "a.pl") is None
    entry.write_text("{not json")
    statements, problems = parse_cached("ok.\n", "a.pl")
    assert problems == [] and statements[0].head.predicate == "ok"

"""One en/zh label table: both languages say the same things, and zh output says them in Chinese."""
from __future__ import annotations

import string
from pathlib import Path

from policy.views.labels import LABELS, label, section

ROOT = Path(__file__).resolve().parents[2]


def _placeholders(text: str) -> set:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_both_languages_have_the_same_labels_and_placeholders():
    assert set(LABELS["en"]) == set(LABELS["zh"])
    for key, english in LABELS["en"].items():
        assert _placeholders(english) == _placeholders(LABELS["zh"][key]), key


def test_a_label_is_filled_and_a_section_is_read_by_short_names():
    assert label("en", "reason.depends", what="a, b") == "depends on: a, b"
    assert section("zh", "docs")["title"] == "政策目录"


def test_one_line_reasons_under_zh_use_no_english_label(run):
    """query --explain --lang zh: the reasons' connecting words come from the zh labels."""
    english = [LABELS["en"][key].split("{")[0].strip(": ") for key in
               ("reason.depends", "reason.blocked", "reason.no_rule", "explain.status:false",
                "explain.status:unknown")]
    for facts in ("08_nonlocal_freelancer.yaml", "10_missing_facts.yaml"):
        result = run("query", ROOT / "facts" / facts, "--explain", "--all", "--lang", "zh")
        assert result.exit_code == 0
        reasons = [line for line in result.output.splitlines() if "原因" in line]
        assert reasons
        for reason in reasons:
            assert not any(word in reason for word in english), reason
        assert any(LABELS["zh"]["reason.depends"].split("{")[0] in r or
                   LABELS["zh"]["explain.status:false"] in r or
                   LABELS["zh"]["explain.status:unknown"] in r for r in reasons)

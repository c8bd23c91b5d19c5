"""`policylog fmt`: one canonical layout, comments kept, meaning unchanged."""
from __future__ import annotations

import random
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

import policy
from policy.lang.formatter import find_comments, format_text
from policy.lang.parser import parse_text
from tests.engine.test_properties import programs, render

FIXTURES = Path(__file__).parents[1] / "fixtures"


def same_meaning(text: str, formatted: str) -> None:
    before, problems = parse_text(text, "t.pl")
    after, problems_after = parse_text(formatted, "t.pl")
    assert problems == [] and problems_after == []
    assert after == before  # AST equality ignores positions


def scramble(text: str, seed: int) -> str:
    """The same program laid out badly: odd spacing, line breaks, comments everywhere."""
    chooser = random.Random(seed)
    out = []
    for number, line in enumerate(text.splitlines()):
        if chooser.random() < 0.3:
            out.append(f"% note {number} before")
        if chooser.random() < 0.2:
            out.append("")
        line = line.replace(", ", chooser.choice([",", ",  ", ",\n      "]))
        line = line.replace(" :- ", chooser.choice([":-", " :-\n", "  :-   "]))
        if chooser.random() < 0.3:
            line += f"   % note {number} after"
        out.append(line)
    if chooser.random() < 0.5:
        out.append("% the end")
    return "\n".join(out) + "\n"


@settings(max_examples=60, deadline=None)
@given(programs(), st.integers(0, 10_000))
def test_formatting_keeps_the_meaning_and_the_comments_and_is_stable(program, seed):
    text = scramble(render(program), seed)
    formatted = format_text(text)
    same_meaning(text, formatted)
    assert format_text(formatted) == formatted
    assert sorted(c.text for c in find_comments(formatted)) == sorted(c.text for c in find_comments(text))


def test_the_bundled_policy_and_fixtures_are_formatted_and_stable():
    for path in [*sorted(policy.BUNDLED_POLICY.glob("*.pl")), FIXTURES / "graph.pl"]:
        text = path.read_text(encoding="utf-8")
        formatted = format_text(text)
        same_meaning(text, formatted)
        assert format_text(formatted) == formatted
    for path in sorted(policy.BUNDLED_POLICY.glob("*.pl")):
        assert format_text(path.read_text(encoding="utf-8")) == path.read_text(encoding="utf-8"), path


def test_the_layout():
    text = ('% head comment\n@id("r") @title(en: "T", zh: "题")  p(X):-q(X),not r(X),X>1. % tail\n'
            'input q(a: integer). input r(a).\n\n\nderived p(a).\n')
    assert format_text(text) == (
        "% head comment\n"
        '@id("r")\n'
        '@title(en: "T", zh: "题")\n'
        "p(X) :-\n"
        "    q(X),\n"
        "    not r(X),\n"
        "    X > 1.  % tail\n"
        "input q(a: integer).\n"
        "input r(a).\n"
        "\n"
        "derived p(a).\n")


def test_fmt_check_and_rewrite(run, tmp_path):
    rules = tmp_path / "r.pl"
    rules.write_text("input q(a).  derived p(a).\np(X):-q(X).\n", encoding="utf-8")
    check = run("fmt", "--check", rules)
    assert check.exit_code == 1 and f"would reformat {rules}" in check.stdout
    assert rules.read_text() == "input q(a).  derived p(a).\np(X):-q(X).\n"
    rewrite = run("fmt", rules)
    assert rewrite.exit_code == 0 and f"reformatted {rules}" in rewrite.stdout
    assert rules.read_text() == "input q(a).\nderived p(a).\np(X) :-\n    q(X).\n"
    again = run("fmt", "--check", rules)
    assert again.exit_code == 0 and again.stdout == ""


def test_fmt_leaves_a_broken_file_alone(run, tmp_path):
    rules = tmp_path / "broken.pl"
    rules.write_text("p(X :- q.\n", encoding="utf-8")
    result = run("fmt", rules)
    assert result.exit_code == 2 and "syntax_error" in result.stderr
    assert rules.read_text() == "p(X :- q.\n"

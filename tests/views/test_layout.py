"""A page drawn plain without rich's console is the page rich draws, character for character:
the plans of every bundled applicant, and random pages of random words at random widths."""
from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from policy import api
from policy.views import layout, planview, terminal

ROOT = Path(__file__).resolve().parents[2]
FACTS = sorted((ROOT / "facts").glob("*.yaml"))


def by_rich(page, width):
    return terminal.tidy(layout._rich(page, width)).rstrip("\n")


def by_us(page, width):
    drawn = layout._plain(page, width)
    assert drawn is not None
    return terminal.tidy(drawn).rstrip("\n")


@pytest.mark.parametrize("facts", FACTS, ids=[f.stem for f in FACTS])
def test_every_bundled_plan_is_drawn_as_rich_draws_it(facts, monkeypatch):
    for lang in ("en", "zh"):
        plan = api.query(facts, show_all=True, lang=lang).plan
        page = planview.plan_page(plan, True, lang)
        assert by_us(page, planview.WIDTH) == by_rich(page, planview.WIDTH)
        assert planview.plan_text(plan, True, lang) == by_rich(page, planview.WIDTH)


def test_a_plain_plan_is_not_drawn_by_rich(monkeypatch):
    plan = api.query(FACTS[0]).plan
    monkeypatch.setattr(layout, "_rich", lambda page, width: pytest.fail("drawn by rich"))
    assert planview.plan_text(plan, False, "en").startswith("Plan for")


WORD = st.text(alphabet=st.sampled_from(list("abcdefghij") + list("申请户口证件") + ["·", "—", "、",
                                                                                  "[", "]", ":"]),
               min_size=1, max_size=30)
SPACE = st.sampled_from([" ", " ", " ", "  ", "   ", "\u3000", "\xa0"])


@st.composite
def texts(draw, lines=True):
    words = draw(st.lists(WORD, max_size=12))
    text = ""
    for word in words:
        text += draw(SPACE) + word if text or draw(st.booleans()) else word
    if draw(st.booleans()):
        text += draw(SPACE)
    if lines and draw(st.integers(0, 5)) == 0:
        text += "\n" + draw(texts(lines=False))
    return text


def parts(text, style):
    return [(text, style)] if text else []


@st.composite
def pages(draw):
    page = []
    for _ in range(draw(st.integers(1, 5))):
        if draw(st.booleans()):
            page.append(layout.Line(parts(draw(texts()), draw(st.sampled_from(["", "bold"])))))
        else:
            labels = st.sampled_from(["", "-", "[x]", "Step 12", "步骤 3", "Step 1"])
            page.append(layout.Grid([
                (parts(draw(labels), "bold"),
                 [(draw(texts()), ""), (draw(texts(lines=False)), "dim")])
                for _ in range(draw(st.integers(1, 4)))]))
    return page


@settings(max_examples=300, deadline=None)
@given(pages(), st.integers(12, 120))
def test_random_pages_are_drawn_as_rich_draws_them(page, width):
    assert by_us(page, width) == by_rich(page, width)


def test_text_rich_would_change_is_drawn_by_rich():
    page = [layout.Line([("a\tb", "")]), layout.Grid([([("x", "")], [("bell\x07", "")])])]
    assert layout._plain_enough(page) is False
    assert layout.draw(page, 80) == by_rich(page, 80)

"""The applicant page in a real browser: Debian's Chromium driven by Playwright.

Walks an interview to a plan (half of it in English, half in Chinese), checks the
steps shown against `query`, the why beside the question, labels, the phone
layout, and the downloaded answers. Without a browser these tests skip and say
how to install one. With POLICYLOG_SCREENSHOT=PATH set, the walk's final page is
saved there (the README's docs/interview.png is made so).
"""
from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

import policy
from policy import api
from policy.inputs.applicant import fact_schema, load_applicant
from policy.decide.interview import truth_answer
from policy.views.planview import plan_json

ROOT = Path(__file__).resolve().parents[2]
TRUTH = ROOT / "facts/01_returnee_self_funded.yaml"
INSTALL = ("no Chromium found: install Debian's browser with `apt-get install chromium` "
           "(or set POLICYLOG_CHROMIUM to a Chromium executable) and `pip install playwright`")


def chromium_path():
    for candidate in (os.environ.get("POLICYLOG_CHROMIUM"), "/usr/bin/chromium",
                      shutil.which("chromium"), shutil.which("chromium-browser")):
        if candidate and Path(candidate).is_file():
            return candidate
    return None


@pytest.fixture(scope="module")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api", reason=INSTALL)
    executable = chromium_path()
    if executable is None:
        pytest.skip(INSTALL)
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable,
                                              args=["--no-sandbox", "--disable-gpu"])
        yield launched
        launched.close()


def expected_steps(lang: str) -> list:
    """[(step, title)] of the procedures `query` shows for the truth, in step order."""
    plan = json.loads(plan_json(api.query(TRUTH).plan, False, lang))
    return sorted((p["step"], p["title"]) for p in plan["procedures"])


def shown_steps(page) -> list:
    found = []
    for step in page.locator("ol.steps > li.step").all():
        number = int(step.get_attribute("value"))
        found.extend((number, title) for title in step.locator("article h5").all_inner_texts())
    return sorted(found)


def answer_current(page, truth, specs, lang) -> None:
    """Choose the truth's answer to the question on the page by its label, then Next."""
    from policy.decide.interview import choices_of
    from policy.views.wording import choice_text

    fact = page.locator("section.question input[name=question]").get_attribute("value")
    value = truth_answer(truth, specs[fact])
    if value is None:
        title = {"en": "don't know", "zh": "不知道"}[lang]
    else:
        title = next(choice_text(c, lang) for c in choices_of(specs[fact]) if c.value == value)
    page.get_by_role("radio", name=title, exact=True).check()
    page.get_by_role("button", name={"en": "Next", "zh": "下一题"}[lang]).click()


def screenshot(page, path: str) -> None:
    """The page mid-interview, its question's why open, as the README shows it."""
    page.set_viewport_size({"width": 1200, "height": 860})
    page.locator("details.why").evaluate("element => element.open = true")
    page.screenshot(path=path)


def test_walk_an_interview_to_the_plan_in_english_and_chinese(browser, live_server, tmp_path):
    schema = fact_schema(policy.load_policy(policy.BUNDLED_POLICY).program)
    specs = {spec.name: spec for spec in schema}
    truth = load_applicant(TRUTH, schema)
    page = browser.new_page()
    page.goto(live_server.url + "/")
    assert page.locator("h1").inner_text().startswith("Your plan")
    page.get_by_label("Your name (optional)").fill(truth.name)
    why = page.locator("details.why")
    why.locator("summary").click()
    assert "returnee-guide II.1" in why.inner_text()
    lang, asked = "en", 0
    while page.locator("section.question").count():
        if asked == 8:  # switch language mid-way: the answers stay
            page.get_by_role("button", name="中文").click()
            lang = "zh"
            assert page.locator("#answers-heading").inner_text().startswith("您的回答")
        if asked == 6 and os.environ.get("POLICYLOG_SCREENSHOT"):
            screenshot(page, os.environ["POLICYLOG_SCREENSHOT"])
        answer_current(page, truth, specs, lang)
        asked += 1
        assert asked <= len(schema)
    assert page.get_by_role("status").inner_text() == "再没有能改变计划的问题了。"
    assert shown_steps(page) == expected_steps("zh")
    assert "第1步" in page.locator("ol.steps").inner_text()
    assert "护照" in page.locator("ul.checklist").inner_text()
    page.get_by_role("button", name="English").click()
    assert shown_steps(page) == expected_steps("en")
    assert "returnee-guide II.1" in page.locator("#proc-restore_hukou_with_passport").inner_text()
    assert page.locator("#proc-restore_hukou_with_passport .reason").inner_text()
    with page.expect_download() as download:
        page.get_by_role("button", name="Download my answers (applicant file)").click()
    saved = tmp_path / "answers.yaml"
    download.value.save_as(saved)
    again = json.loads(plan_json(api.query(saved).plan, False, "en"))
    assert sorted((p["step"], p["title"]) for p in again["procedures"]) == expected_steps("en")
    page.close()


def test_every_control_has_a_label_and_the_keyboard_answers(browser, live_server):
    page = browser.new_page()
    page.goto(live_server.url + "/?lang=zh")
    unlabelled = page.evaluate("""() => [...document.querySelectorAll('input:not([type=hidden])')]
        .filter(i => !i.labels || i.labels.length === 0).map(i => i.name)""")
    assert unlabelled == []
    assert page.locator("html").get_attribute("lang") == "zh-CN"
    page.get_by_role("radio", name="是", exact=True).focus()
    page.keyboard.press("Space")
    page.keyboard.press("Enter")  # submits the form the radio is in
    page.wait_for_selector("text=已回答 1 题")
    assert page.locator("section.answers .given-answer").first.inner_text() == "是"
    page.close()


def test_usable_on_a_phone(browser, live_server):
    page = browser.new_page(viewport={"width": 375, "height": 740}, device_scale_factor=2)
    page.goto(live_server.url + "/")
    assert page.locator("meta[name=viewport]").count() == 1
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    box = page.get_by_role("button", name="Next").bounding_box()
    assert box["height"] >= 40  # a finger's target
    page.close()

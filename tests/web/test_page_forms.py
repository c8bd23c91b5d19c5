"""The applicant page without a browser: plain form posts, as a browser without JavaScript sends them."""
from __future__ import annotations

import json
import re
from pathlib import Path

from policy import api
from policy.views.planview import plan_json

ROOT = Path(__file__).resolve().parents[2]


def hidden_question(html: str) -> str:
    return re.search(r'name="question" value="([a-z_]+)"', html).group(1)


def test_the_first_page_asks_the_first_question_with_its_why(client):
    page = client.get("/")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    html = page.text
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in html
    assert hidden_question(html) == "returned_overseas_student"
    assert "Did you study abroad and have you now returned to China?" in html
    assert "<summary>Why are you asking?</summary>" in html and "(returnee-guide II.1)" in html
    assert 'value="" checked> don&#39;t know' in html
    chinese = client.get("/?lang=zh").text
    assert '<html lang="zh-CN">' in chinese and "您是否曾出国留学并已回国？" in chinese
    assert "为什么问这个问题？" in chinese


def test_answers_travel_in_the_form_and_back_undoes(client):
    form = {"lang": "en", "applicant": "Zhao Min", "question": "returned_overseas_student",
            "answer": "false", "action": "next"}
    html = client.post("/", data=form).text
    assert '<input type="hidden" name="a.returned_overseas_student" value="false">' in html
    assert hidden_question(html) != "returned_overseas_student"
    back = client.post("/", data={"lang": "en", "applicant": "Zhao Min",
                                  "a.returned_overseas_student": "false", "action": "back"}).text
    assert hidden_question(back) == "returned_overseas_student"
    assert 'name="a.returned_overseas_student"' not in back


def test_an_answer_the_policy_refuses_is_shown_and_asked_again(client):
    form = {"lang": "en", "question": "went_abroad_as", "answer": "by_boat", "action": "next"}
    html = client.post("/", data=form).text
    assert 'role="alert"' in html and "by_boat" in html
    assert 'name="a.went_abroad_as"' not in html


def test_the_downloaded_answers_read_back_to_the_page_plan(client, tmp_path):
    form = {"lang": "en", "applicant": "Li Wei", "a.returned_overseas_student": "true",
            "a.has_local_hukou": "false", "a.hukou_cancelled_before_leaving": "true",
            "a.went_abroad_as": "self_funded", "a.resettled_across_cities": "",
            "a.wants_hukou_restored": "true"}
    answer = client.post("/answers.yaml", data=form)
    assert answer.headers["content-disposition"] == 'attachment; filename="answers.yaml"'
    saved = tmp_path / "answers.yaml"
    saved.write_bytes(answer.content)
    assert "resettled_across_cities:  # don't know" in answer.text
    plan = json.loads(plan_json(api.query(saved).plan, False, "en"))
    step = client.post("/v1/interview/next", json={
        "applicant": "Li Wei", "facts": {"returned_overseas_student": True, "has_local_hukou": False,
                                         "hukou_cancelled_before_leaving": True,
                                         "went_abroad_as": "self_funded",
                                         "resettled_across_cities": None,
                                         "wants_hukou_restored": True}}).json()
    assert plan["procedures"] == step["plan"]["procedures"]


def test_a_fact_of_several_values_is_ticked_and_records_are_typed(tmp_path):
    """Before: radio buttons (one value only) and no way to give records."""
    import httpx

    from policy.web.app import create_app
    from tests.cli.test_interview_cli import SEVERAL_POLICY
    from tests.web.conftest import LiveServer

    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "p.pl").write_text(SEVERAL_POLICY, encoding="utf-8")
    with LiveServer(create_app(rules, workers=1)) as server, \
            httpx.Client(base_url=server.url, timeout=60) as session:
        first = session.get("/").text
        assert hidden_question(first) == "child"
        assert "several records: [{name: ..., age: ...}, ...]" in first
        form = {"lang": "en", "question": "child", "action": "next",
                "answer": "[{name: Li, age: 3}]"}
        second = session.post("/", data=form).text
        assert hidden_question(second) == "speaks"
        assert second.count('type="checkbox" name="answer"') == 4  # three languages, none
        form = {"lang": "en", "a.child": "[{name: Li, age: 3}]", "question": "speaks",
                "action": "next", "answer": ["zh", "en"]}
        done = session.post("/", data=form).text
        assert "Nothing more can change the plan." in done
        assert done.count('data-status="applies"') == 2


def test_an_undetermined_step_shows_the_condition_it_waits_on(client):
    """Before, an undetermined procedure's reason was hidden (it only repeated the facts)."""
    form = {"lang": "en", "applicant": "Zhao Min", "question": "returned_overseas_student",
            "answer": "false", "action": "next"}
    html = client.post("/", data=form).text
    undetermined = re.findall(r'data-status="undetermined".*?</article>', html, re.S)
    assert undetermined
    assert all('class="reason">unknown: ' in block for block in undetermined), undetermined[0]


def test_decimals_and_records_of_dates_are_taken_and_a_bad_one_loses_no_worker():
    """The childcare example on the page: a decimal income was refused ("is a string, not a
    decimal"); a record of dates broke the page (500), and the worker it had taken was
    never given back, so with one worker every later request timed out (504)."""
    import httpx

    from policy.web.app import create_app
    from tests.web.conftest import LiveServer

    with LiveServer(create_app(ROOT / "examples" / "childcare" / "rules", workers=1)) as server, \
            httpx.Client(base_url=server.url, timeout=60) as session:
        child = {"lang": "en", "question": "child", "action": "next",
                 "answer": "[{name: Mia, born: 2023-03-01}]"}
        page = session.post("/", data=child)
        assert page.status_code == 200
        assert '<input type="hidden" name="a.child" value="[{name: Mia, born: 2023-03-01}]">' \
            in page.text
        income = {"lang": "en", "a.child": child["answer"], "question": "income",
                  "action": "next", "answer": "45000.75"}
        page = session.post("/", data=income)
        assert page.status_code == 200 and 'class="problem"' not in page.text
        assert '<input type="hidden" name="a.income" value="45000.75">' in page.text
        wrong = session.post("/", data={**income, "answer": "lots"})
        assert "lots&#34; is not a number (write it as 2500 or 2500.50)" in wrong.text
        for _ in range(3):  # the one worker still answers
            assert session.get("/").status_code == 200

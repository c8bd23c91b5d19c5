"""`policylog interview`: scripted from a file of true facts, and in a terminal conversation."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted((ROOT / "facts").glob("*.yaml"))


def _plan_core(plan: dict) -> dict:
    """What a plan says about the applicant's procedures: each one's status, step, documents,
    deciding facts..., and the checklist (not which file the facts came from, nor the milestones
    already achieved: a milestone that changes no procedure's status is not asked about)."""
    return {key: plan[key] for key in ("procedures", "checklist")}


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_scripted_interview_reaches_the_plan_of_the_full_file(run, example):
    done = run("interview", "--answers", example, "--format", "json")
    assert done.exit_code == 0, done.output
    transcript = json.loads(done.stdout)
    full = json.loads(run("query", example, "--format", "json").stdout)
    assert _plan_core(transcript["plan"]) == _plan_core(full)
    assert transcript["count"] == len(transcript["questions"]) <= transcript["schema_size"]
    asked = [q["fact"] for q in transcript["questions"]]
    assert len(asked) == len(set(asked))
    assert transcript["plan"]["applicant"] == full["applicant"]
    assert set(transcript["plan"]["achieved"]) <= set(full["achieved"])


def test_scripted_transcript_text_lists_questions_answers_and_count(run):
    done = run("interview", "--answers", ROOT / "facts/10_missing_facts.yaml")
    assert done.exit_code == 0
    lines = done.stdout.splitlines()
    assert lines[0] == "Interview for Ma Jun"
    assert lines[2].startswith(" 1. Did you study abroad and have you now returned to China?")
    assert lines[3] == "    -> yes"
    assert "    -> don't know" in lines
    size = len(json.loads(run("facts", "--format", "json").stdout)["facts"])
    assert any(line.endswith(f"question(s) asked; the schema has {size} facts.") for line in lines)
    assert "Plan for Ma Jun" in lines


def test_scripted_in_chinese(run):
    done = run("interview", "--answers", ROOT / "facts/10_missing_facts.yaml", "--lang", "zh")
    assert done.stdout.splitlines()[0] == "Ma Jun 的问答"
    assert "您是否曾出国留学并已回国？" in done.stdout
    assert "-> 是" in done.stdout and "-> 不知道" in done.stdout


def test_terminal_why_back_and_end_of_input(run, tmp_path):
    saved = tmp_path / "answers.yaml"
    # 1 = yes to the first question; `?` asks why; `back` undoes; then yes again; `no`; EOF.
    result = _converse(["1", "?", "back", "yes", "no"], "--save", saved)
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "1. Did you study abroad and have you now returned to China?  [returned_overseas_student]" in out
    assert "   1) yes" in out and "   0) don't know" in out
    assert "Your answer can settle" in out and "(returnee-guide II.1)" in out
    assert "Undone: returned_overseas_student." in out
    assert "Stopped after 2 answer(s)." in out
    assert f"Answers saved to {saved}." in out
    text = saved.read_text(encoding="utf-8")
    assert "returned_overseas_student: true" in text
    assert "has_local_hukou: false" in text


def test_saved_answers_read_back_to_the_same_plan(run, tmp_path):
    saved = tmp_path / "answers.yaml"
    replies = ["yes", "no", "yes", "", "2", "yes", "no"]
    result = _converse(replies, "--save", saved, "--format", "json", "--name", "Zhao Min")
    assert result.exit_code == 0, result.output
    transcript = json.loads(result.stdout[result.stdout.index("{\n"):])
    assert [q["answer"] for q in transcript["questions"]] == [True, False, True, None, False,
                                                              True, False]
    assert "has_local_hukou:  # don't know" not in saved.read_text(encoding="utf-8")
    again = json.loads(run("query", saved, "--format", "json").stdout)
    assert _plan_core(again) == _plan_core(transcript["plan"])
    assert again["applicant"] == "Zhao Min"
    # and the saved file starts an interview where this one stopped
    resumed = _converse([], saved, "--format", "json")
    assert json.loads(resumed.stdout[resumed.stdout.index("{\n"):])["questions"] == []
    assert transcript["questions"][3]["fact"] not in resumed.stdout.split("{\n")[0]


def test_a_reply_that_is_not_an_answer_is_asked_again(run):
    result = _converse(["maybe", "y"])
    assert "Not an answer here (yes or no (是 or 否), or 1 or 2): 'maybe'" in result.stdout
    assert "Stopped after 1 answer(s)." in result.stdout


def test_stopping_offers_to_save(run, tmp_path):
    target = tmp_path / "kept.yaml"
    result = _converse(["yes", "stop", str(target)])
    assert "Save your answers to a file" in result.stdout
    assert target.read_text(encoding="utf-8").count("returned_overseas_student: true") == 1
    declined = _converse(["yes", "stop", ""])
    assert "Answers not saved" in declined.stdout


def test_terminal_in_chinese(run):
    result = _converse(["为什么", "是"], "--lang", "zh")
    assert "您是否曾出国留学并已回国？" in result.stdout
    assert "您的回答可以确定" in result.stdout
    assert "已在回答 1 个问题后停止。" in result.stdout


def test_a_bad_answers_file_is_an_input_error(run, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("applicant: X\nwent_abroad_as: by_boat\n", encoding="utf-8")
    done = run("interview", "--answers", bad)
    assert done.exit_code == 2
    assert "bad.yaml:2" in done.stderr and "Traceback" not in done.output


def _converse(replies, *args):
    from click.testing import CliRunner

    import cli

    text = "".join(f"{reply}\n" for reply in replies)
    return CliRunner().invoke(cli.main, ["interview", *[str(a) for a in args]], input=text,
                              catch_exceptions=False)


DONT_KNOW_POLICY = """
@description(en: "Your age", zh: "年龄")
@question(en: "How old are you?", zh: "你多大？")
input age(n: integer).
@description(en: "Your city", zh: "城市")
@question(en: "Which city?", zh: "哪个城市？")
input city(name: string).
derived eligible(procedure: enum(adult)).
derived procedure(procedure: enum(adult), modality: enum(may)).
@title(en: "Adult benefit")
eligible(adult) :- age(A), A >= 18, city("Beijing").
procedure(adult, may).
"""


def test_questions_run_out_on_dont_know_the_plan_is_not_called_final(tmp_path):
    """Before: "Nothing more can change the plan." though the city, not known, still could."""
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "p.pl").write_text(DONT_KNOW_POLICY, encoding="utf-8")
    unknown_city = _converse(["30", ""], "--policy", rules)
    assert unknown_city.exit_code == 0, unknown_city.output
    assert "No more questions. What you did not know can still change the plan" \
        in unknown_city.stdout
    assert "Nothing more can change the plan" not in unknown_city.stdout
    settled = _converse(["12"], "--policy", rules)  # a minor: the city no longer matters
    assert "Nothing more can change the plan." in settled.stdout


def test_the_service_says_which_declined_facts_still_matter(tmp_path):
    import policy
    from policy.web.jobs import next_job

    compiled = policy.compile_text(DONT_KNOW_POLICY)
    step = next_job(compiled, {"applicant": "x", "facts": {"age": 30, "city": None}})
    assert step["done"] and step["declined_open"] == ["city"]
    minor = next_job(compiled, {"applicant": "x", "facts": {"age": 12, "city": None}})
    assert minor["done"] and minor["declined_open"] == []


SEVERAL_POLICY = """
@description(en: "Children", zh: "子女")
@question(en: "Your children and their ages?", zh: "子女？")
@values("many")
input child(name: string, age: integer).
@description(en: "Languages", zh: "语言")
@question(en: "Which languages do you speak?", zh: "语言？")
@values("many")
input speaks(language: enum(zh, en, fr)).
derived eligible(procedure: enum(family, bilingual)).
derived procedure(procedure: enum(family, bilingual), modality: enum(may)).
eligible(family) :- child(N, A), A < 6.
eligible(bilingual) :- speaks(zh), speaks(en).
procedure(family, may).
procedure(bilingual, may).
"""


def test_records_and_several_values_are_answered_on_one_line(tmp_path):
    """Before: no reply could answer a fact of records or give several values."""
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "p.pl").write_text(SEVERAL_POLICY, encoding="utf-8")
    saved = tmp_path / "saved.yaml"
    result = _converse(["{name: Li, age: 3", "[{name: Li, age: 3}, {name: Wu, age: 9}]",
                        "1, 2"], "--policy", rules, "--save", saved)
    assert result.exit_code == 0, result.output
    assert "several records: [{name: ..., age: ...}, ...]" in result.stdout
    assert "records are written [{name: ..., age: ...}, ...]" in result.stdout  # the typo
    assert "several values: separate them with commas" in result.stdout
    text = saved.read_text(encoding="utf-8")
    assert "child: [{name: Li, age: 3}, {name: Wu, age: 9}]" in text
    assert "speaks: [zh, en]" in text
    import cli
    from click.testing import CliRunner

    plan = CliRunner().invoke(cli.main, ["query", str(saved), "--policy", str(rules),
                                         "--format", "json"])
    statuses = {p["id"]: p["status"] for p in json.loads(plan.stdout)["procedures"]}
    assert statuses == {"family": "applies", "bilingual": "applies"}
    none = _converse(["[]", "none"], "--policy", rules)
    assert "Nothing more can change the plan." in none.stdout


def test_a_long_refused_reply_is_said_back_cut_short():
    result = _converse(["y" * 5000])
    line = next(line for line in result.stdout.splitlines() if "Not an answer here" in line)
    assert len(line) < 400 and line.count("y") < 250


def test_a_transcript_shows_records_and_dates_as_written(run, tmp_path):
    """Records of dates were shown as Python's repr ({'born': datetime.date(2025, 7, 15)})."""
    rules = tmp_path / "care.pl"
    rules.write_text("input child(name: string, born: date).\ninput moved_in(day: date).\n"
                     "input income(amount: decimal).\n"
                     "eligible(bonus) :- C = count : { child(N, B), B >= 2020-11-30 }, C >= 2,\n"
                     "    moved_in(D), D <= 2026-06-01, income(I), I < 60000.50.\n"
                     "procedure(bonus, may).\n", encoding="utf-8")
    truth = tmp_path / "truth.yaml"
    truth.write_text("applicant: Tess\nmoved_in: 2025-05-01\nincome: 45000.75\nchild:\n"
                     "  - {name: Mia, born: 2023-03-01}\n  - {name: Leo, born: 2025-07-15}\n",
                     encoding="utf-8")
    text = run("interview", "--policy", rules, "--answers", truth)
    assert text.exit_code == 0, text.output
    assert "-> {name: Leo, born: 2025-07-15}, {name: Mia, born: 2023-03-01}" in text.stdout
    assert "-> 2025-05-01" in text.stdout and "datetime" not in text.stdout
    done = run("interview", "--policy", rules, "--answers", truth, "--format", "json")
    answers = {q["fact"]: q["answer"] for q in json.loads(done.stdout)["questions"]}
    assert answers["child"] == [{"name": "Leo", "born": "2025-07-15"},
                                {"name": "Mia", "born": "2023-03-01"}]
    assert answers["moved_in"] == "2025-05-01" and answers["income"] == "45000.75"

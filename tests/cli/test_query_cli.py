"""`policylog query` and `policylog facts` from the command line, on the miniature policy."""
from __future__ import annotations

import json
from pathlib import Path

from rich.cells import cell_len as wcswidth

MINI = Path(__file__).parents[1] / "fixtures" / "mini_policy.pl"
KNOWN = ("applicant: 李雷 Li Lei\nreturnee: true\nhas_hukou: false\nother_station_reason: false\n"
         "has_id_card: false\ncard_by: self\n")


def applicant(tmp_path, text=KNOWN):
    path = tmp_path / "applicant.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_query_text_lists_steps_in_order_with_places_and_documents(run, tmp_path):
    result = run("query", applicant(tmp_path), "--policy", MINI)
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "Plan for 李雷 Li Lei"
    steps = [line for line in lines if line.startswith("Step")]
    assert steps == ["Step 1 Restore the hukou  [restore]",
                     "Step 2 Apply for an ID card  [id_card]",
                     "Step 3 Apply for the card yourself  [card_self]"]
    assert "       Where: the original police station" in lines
    assert "[ ] Passport (for restore)" in lines
    assert "settle_elsewhere" not in result.stdout


def test_query_all_lists_procedures_that_do_not_apply(run, tmp_path):
    result = run("query", applicant(tmp_path), "--policy", MINI, "--all")
    assert "- Settle at another station  [settle_elsewhere]" in result.stdout
    assert "not applicable · one of several (hukou_route)" in result.stdout


def test_query_text_fits_80_columns_in_both_languages(run, tmp_path):
    for lang in ("en", "zh"):
        result = run("query", applicant(tmp_path), "--policy", MINI, "--all", "--lang", lang)
        assert result.exit_code == 0
        assert max(wcswidth(line) for line in result.stdout.splitlines()) <= 80


def test_query_chinese_columns_align(run, tmp_path):
    result = run("query", applicant(tmp_path), "--policy", MINI, "--lang", "zh")
    lines = result.stdout.splitlines()
    assert "第1步 恢复户口  [restore]" in lines
    detail = [line for line in lines if "地点: 原派出所" in line][0]
    heading = [line for line in lines if line.startswith("第1步")][0]
    # the details start in the display column where the heading's title starts
    assert wcswidth(detail[: detail.index("地点")]) == wcswidth("第1步 ")
    assert heading.index("恢复") == len("第1步 ")


def test_query_json_schema(run, tmp_path):
    result = run("query", applicant(tmp_path), "--policy", MINI, "--format", "json", "--all")
    document = json.loads(result.stdout)
    assert document["schema"] == "policylog/plan/1"
    statuses = {p["id"]: p["status"] for p in document["procedures"]}
    assert statuses["restore"] == "applies" and statuses["card_agent"] == "not_applicable"
    first = document["procedures"][0]
    assert set(first) >= {"id", "status", "modality", "step", "office", "documents", "citations"}
    assert [c["id"] for c in document["checklist"]] == ["passport", "household_register", "id_card"]


def test_query_names_the_facts_that_would_decide(run, tmp_path):
    path = applicant(tmp_path, "applicant: Wang\nreturnee: true\nhas_hukou: false\nhas_id_card: false\n")
    result = run("query", path, "--policy", MINI)
    assert "undetermined · one of several (hukou_route)" in result.stdout
    assert "Depends on: other_station_reason" in result.stdout
    assert "- card_by: Who will apply for the card? (one of: self, agent)" in result.stdout


def test_query_markdown(run, tmp_path):
    result = run("query", applicant(tmp_path), "--policy", MINI, "--format", "markdown")
    assert result.stdout.startswith("# Plan for 李雷 Li Lei\n")
    assert "## Step 1: Restore the hukou (`restore`)" in result.stdout
    assert "- [ ] Passport (for restore)" in result.stdout


def test_query_with_a_bad_applicant_file_exits_2_with_every_problem(run, tmp_path):
    path = applicant(tmp_path, "applicant: Li\nreturne: true\ncard_by: someone\nhas_hukou: 3\n")
    result = run("query", path, "--policy", MINI)
    assert result.exit_code == 2 and result.stdout == ""
    errors = [line for line in result.stderr.splitlines() if ": error: facts_error:" in line]
    assert [line.split(":")[1] for line in errors] == ["2", "3", "4"]


def test_facts_lists_the_schema(run):
    result = run("facts", "--policy", MINI)
    assert result.exit_code == 0
    assert "card_by  (one of: self, agent)" in result.stdout
    assert "    ? Who will apply for the card?" in result.stdout
    zh = run("facts", "--policy", MINI, "--lang", "zh")
    assert "    ? 由谁办卡？" in zh.stdout
    document = json.loads(run("facts", "--policy", MINI, "--format", "json").stdout)
    assert document["facts"][-1]["values"] == ["self", "agent"]

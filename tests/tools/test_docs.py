"""`policylog docs`, `graph` and `diff`: the policy as documents, and the impact of a change."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import policy

ROOT = Path(__file__).parents[2]
FIXTURES = ROOT / "tests" / "fixtures"


def test_docs_writes_a_catalogue_in_both_languages(run, tmp_path):
    result = run("docs", "--out", tmp_path)
    assert result.exit_code == 0
    english = (tmp_path / "policy.en.md").read_text(encoding="utf-8")
    chinese = (tmp_path / "policy.zh.md").read_text(encoding="utf-8")
    assert english.startswith("# Policy catalogue\n")
    assert "## Restore your hukou with your passport (`restore_hukou_with_passport`)" in english
    assert "- **Documents to bring**: Passport" in english
    assert "Rule `returnee-guide.II.1`, Source: returnee-guide II.1" in english
    assert "- **Needs first**: household registration (hukou) (`hukou`)" in english
    assert "- **前提**: 户口 (`hukou`)" in chinese  # milestones by their titles
    assert chinese.startswith("# 政策目录\n") and "## 凭护照恢复户口" in chinese
    # prerequisites come before what needs them
    assert english.index("(`restore_hukou_with_passport`)") < english.index("(`apply_for_id_card`)") \
        < english.index("(`apply_card_at_district_center`)")


def test_the_committed_docs_are_up_to_date(run, tmp_path):
    run("docs", "--out", tmp_path)
    for lang in ("en", "zh"):
        assert (ROOT / "docs" / f"policy.{lang}.md").read_text(encoding="utf-8") == \
            (tmp_path / f"policy.{lang}.md").read_text(encoding="utf-8"), "run: policylog docs --out docs"


def test_graph_marks_negative_edges(run):
    result = run("graph", FIXTURES / "graph.pl")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0] == "digraph policy {"
    assert '  "reach" -> "unreachable" [style=dashed, color=red, label="not"];' in lines
    assert '  "edge" -> "path";' in lines and '  "edge" [shape=box];' in lines
    bundled = run("graph")
    assert '"has_local_hukou" -> "eligible" [style=dashed, color=red, label="not"];' in bundled.stdout


def changed_policy(tmp_path):
    rules = tmp_path / "rules"
    shutil.copytree(policy.BUNDLED_POLICY, rules)
    guide = rules / "10_returnee_guide.pl"
    text = guide.read_text(encoding="utf-8")
    guide.write_text(text.replace("    not has_valid_id_card.", "    has_valid_id_card.", 1), encoding="utf-8")
    return rules


def test_diff_names_the_applicants_whose_outcome_changes_and_the_rules(run, tmp_path):
    result = run("diff", policy.BUNDLED_POLICY, changed_policy(tmp_path))
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "10 of 21 applicant(s) change outcome"
    at = next(i for i, line in enumerate(lines) if line.startswith("  Li Wei"))
    assert "    apply_for_id_card: applies -> not_applicable" in lines[at + 1:at + 6]
    assert "1 rule(s) changed" in lines
    assert any(line.startswith("  modified returnee-guide.I.2 (") for line in lines)


def test_diff_of_identical_policies_and_json(run, tmp_path):
    same = run("diff", policy.BUNDLED_POLICY, policy.BUNDLED_POLICY, "--format", "json")
    document = json.loads(same.stdout)
    assert document["schema"] == "policylog/diff/1"
    assert document["changed"] == [] and document["rules"] == [] and document["applicants"] == 21
    rules = changed_policy(tmp_path)
    (rules / "30_extra.pl").write_text('@id("extra") @source("returnee-guide III.3") @title(en: "x", zh: "x")\n'
                                       "eligible(apply_card_by_agent) :- wants_agent.\n")
    changed = json.loads(run("diff", policy.BUNDLED_POLICY, rules, "--format", "json",
                             "--scenarios", policy.BUNDLED_SCENARIOS / "cards.yaml").stdout)
    assert {(r["change"], r["rule"]) for r in changed["rules"]} == {
        ("modified", "returnee-guide.I.2"), ("added", "extra")}
    assert changed["applicants"] == changed["scenarios"] == 3


def test_a_fact_read_with_variables_is_worded_by_its_description(run, tmp_path):
    """Before: "child(N, A) (`child(N, A)`)", the same text twice."""
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "p.pl").write_text(
        '@description(en: "Children", zh: "子女")\n@question(en: "Children?", zh: "子女？")\n'
        "@values(\"many\")\ninput child(name: string, age: integer).\n"
        "derived eligible(procedure: enum(family)).\n"
        "derived procedure(procedure: enum(family), modality: enum(must)).\n"
        "eligible(family) :- child(N, A), A < 6.\nprocedure(family, must).\n", encoding="utf-8")
    result = run("docs", rules, "--out", tmp_path / "out")
    assert result.exit_code == 0, result.output
    text = (tmp_path / "out" / "policy.en.md").read_text(encoding="utf-8")
    assert "  - Children (`child(N, A)`)" in text
    assert "子女 (`child(N, A)`)" in (tmp_path / "out" / "policy.zh.md").read_text(encoding="utf-8")

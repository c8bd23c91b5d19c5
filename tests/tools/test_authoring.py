"""A policy of one's own (issue 14, part 2): `test` on the author's policy, not the bundled one."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import policy

FIXTURES = Path(__file__).parent.parent / "fixtures"


def own_policy(tmp_path):
    """mini_policy.pl with a scenario file of its own (no `policy:` key)."""
    shutil.copy(FIXTURES / "mini_policy.pl", tmp_path / "mini.pl")
    return tmp_path / "mini.pl"


def test_test_with_policy_and_no_scenarios_does_not_run_the_bundled_ones(run, tmp_path):
    result = run("test", "--policy", own_policy(tmp_path))
    assert result.exit_code == 2
    assert "usage_error: with --policy, name the scenario files to run" in result.stderr
    assert "passed" not in result.stdout


def test_k_matching_nothing_exits_non_zero(run):
    result = run("test", "-k", "nobody by this name")
    assert result.exit_code == 2
    assert "no scenario name matches -k 'nobody by this name'" in result.stderr


def test_coverage_is_of_the_policy_the_scenarios_ran_against(run, tmp_path):
    rules = tmp_path / "rules"
    shutil.copytree(policy.BUNDLED_POLICY, rules)
    scenario = (policy.BUNDLED_SCENARIOS / "cards.yaml").read_text(encoding="utf-8")
    (tmp_path / "cards.yaml").write_text(
        scenario.replace("scenarios:", f"policy: {rules.name}\nscenarios:", 1), encoding="utf-8")
    result = run("test", tmp_path / "cards.yaml", "--coverage")
    assert result.exit_code == 0, result.stdout + result.stderr
    files = [line for line in result.stdout.splitlines() if line.startswith("  /")]
    assert files and all(line.startswith(f"  {rules}") for line in files), files
    with_option = run("test", tmp_path / "cards.yaml", "--policy", rules, "--coverage")
    assert str(policy.BUNDLED_POLICY) not in with_option.stdout


EXAMPLE = Path(__file__).parent.parent.parent / "examples" / "library_card"


def test_the_example_policy_checks_queries_explains_and_tests(run):
    rules = EXAMPLE / "rules"
    assert run("check", rules).stdout.strip() == "0 error(s), 0 warning(s)"
    plan = run("query", EXAMPLE / "applicants" / "ben.yaml", "--policy", rules, "--format", "json")
    assert plan.exit_code == 0, plan.stderr
    statuses = {p["id"]: p["status"] for p in json.loads(plan.stdout)["procedures"]}
    assert statuses == {"pay_fine": "applies", "return_books": "applies", "borrow_books": "applies"}
    why = run("explain", EXAMPLE / "applicants" / "cleo.yaml", "get_card", "--policy", rules)
    assert why.exit_code == 0
    assert why.stdout.startswith("Get a library card [get_card]: blocked")
    assert "You hold an identity document with your address (has_id_with_address = true)" \
        in why.stdout
    tested = run("test", EXAMPLE / "scenarios")
    assert tested.exit_code == 0, tested.stdout
    assert tested.stdout.strip().splitlines()[-1] == "4 passed, 0 failed"


def test_facts_of_two_arguments_are_lists_of_records(run, tmp_path):
    rules = EXAMPLE / "rules"
    listed = run("facts", "--policy", rules)
    assert "overdue  (a list of records: book (string), days (integer))" in listed.stdout
    schema = json.loads(run("facts", "--policy", rules, "--format", "json").stdout)
    overdue = next(f for f in schema["facts"] if f["name"] == "overdue")
    assert overdue["type"] == "record" and [f["name"] for f in overdue["fields"]] == ["book", "days"]
    applicant = tmp_path / "late.yaml"
    applicant.write_text("applicant: Eve\nresident: true\nhas_card: true\n"
                         "overdue:\n  - {book: Dune, days: 31}\n", encoding="utf-8")
    plan = json.loads(run("query", applicant, "--policy", rules, "--format", "json").stdout)
    assert {p["id"]: p["status"] for p in plan["procedures"]}["pay_fine"] == "applies"
    applicant.write_text("applicant: Eve\noverdue:\n  - {book: Dune, weeks: 3}\n", encoding="utf-8")
    bad = run("query", applicant, "--policy", rules)
    assert bad.exit_code == 2
    assert "late.yaml:3:1: error: facts_error: 'overdue' record: unknown field(s) weeks; " \
        "missing days (fields: book, days)" in bad.stderr


def test_an_unknown_record_fact_is_reported_unknown(run, tmp_path):
    applicant = tmp_path / "quiet.yaml"
    applicant.write_text("applicant: Fay\nresident: true\nhas_card: true\n", encoding="utf-8")
    plan = json.loads(run("query", applicant, "--policy", EXAMPLE / "rules", "--format", "json").stdout)
    assert "overdue" in [f["name"] for f in plan["unknown_facts"]]


def test_facts_template_is_an_applicant_file_with_every_question(run, tmp_path):
    result = run("facts", "--template")
    assert result.exit_code == 0
    text = result.stdout
    assert "# Do you hold your passport?\n# true or false\nhas_passport:\n" in text
    assert "# one of: public_assignment, self_funded (or a list of them)\nwent_abroad_as:" in text
    zh = run("facts", "--template", "--lang", "zh").stdout
    assert "# 您是否持有护照？\n" in zh
    template = tmp_path / "me.yaml"
    template.write_text(text, encoding="utf-8")
    plan = run("query", template, "--format", "json")
    assert plan.exit_code == 0, plan.stderr
    document = json.loads(plan.stdout)
    assert len(document["unknown_facts"]) == len(json.loads(run("facts", "--format", "json").stdout)["facts"])
    library = run("facts", "--template", "--policy", EXAMPLE / "rules").stdout
    assert "# a list of records: book (string), days (integer); write each as  - {book: ..., " \
        "days: ...}  ([] for none)\noverdue:" in library
    assert run("facts", "--template", "--format", "json").exit_code == 2


def test_facts_template_says_a_many_valued_fact_is_a_list(run, tmp_path):
    """A `@values("many")` string list was described as "a value of type string"."""
    text = run("facts", "--template", "--policy", "examples/childcare/rules").stdout
    assert "# a list of values of type string, such as [a, b] ([] for none)\nin_nursery:" in text
    assert "# a value of type decimal\nincome:" in text
    filled = text.replace("in_nursery:", "in_nursery: [Mia, Leo]")
    template = tmp_path / "me.yaml"
    template.write_text(filled, encoding="utf-8")
    plan = run("query", template, "--policy", "examples/childcare/rules", "--format", "json")
    assert plan.exit_code == 0, plan.stderr
    assert "in_nursery" not in json.loads(plan.stdout)["unknown_facts"]


def test_facts_template_in_chinese_is_chinese_and_still_an_applicant_file(run, tmp_path):
    zh = run("facts", "--template", "--lang", "zh").stdout
    comments = [line for line in zh.splitlines() if line.startswith("#")]
    english = [line for line in comments if any(word in line for word in
                                                 ("true or false", "one of", "a value of type",
                                                  "Answer what", "or a list"))]
    assert english == []
    assert "# true（是）或 false（否）\nhas_passport:\n" in zh
    assert "employee (职工)" in zh  # enum values with the policy's own titles
    template = tmp_path / "zh.yaml"
    template.write_text(zh, encoding="utf-8")
    plan = run("query", template, "--format", "json")
    assert plan.exit_code == 0, plan.stderr
    assert json.loads(plan.stdout)["applicant"] == "您的姓名"


def test_graph_of_procedures_draws_procedures_and_milestones(run):
    result = run("graph", "--level", "procedures")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0] == "digraph procedures {"
    assert '  "passport" -> "restore_hukou_with_passport";' in lines
    assert '  "restore_hukou_with_passport" -> "hukou" [style=bold];' in lines
    assert any(line.startswith('  "apply_for_id_card" [shape=box, label="apply_for_id_card\\n'
                               'Apply for an ID card\\n(must)"]') for line in lines)
    zh = run("graph", "--level", "procedures", "--lang", "zh").stdout
    assert "申领居民身份证" in zh


def _id_card_inverted(tmp_path):
    rules = tmp_path / "rules"
    shutil.copytree(policy.BUNDLED_POLICY, rules)
    guide = rules / "10_returnee_guide.pl"
    guide.write_text(guide.read_text(encoding="utf-8").replace(
        "    not has_valid_id_card.", "    has_valid_id_card.", 1), encoding="utf-8")
    return rules


def test_diff_exit_code_and_applicants_and_a_population(run, tmp_path):
    changed = _id_card_inverted(tmp_path)
    facts = Path(__file__).parent.parent.parent / "facts"
    result = run("diff", policy.BUNDLED_POLICY, changed, "--applicants", facts / "01_returnee_self_funded.yaml",
                 "--exit-code")
    assert result.exit_code == 1
    assert result.stdout.splitlines()[:2] == [
        "1 of 1 applicant(s) change outcome",
        f"  01_returnee_self_funded ({facts / '01_returnee_self_funded.yaml'}:1)"]
    assert run("diff", policy.BUNDLED_POLICY, changed, "--applicants",
               facts / "01_returnee_self_funded.yaml").exit_code == 0  # without --exit-code
    population = tmp_path / "people.csv"
    population.write_text("applicant,returned_overseas_student,has_valid_id_card\n"
                          "A,true,false\nB,false,false\n", encoding="utf-8")
    rows = run("diff", policy.BUNDLED_POLICY, changed, "--population", population, "--exit-code")
    assert rows.exit_code == 1
    assert rows.stdout.splitlines()[:3] == [
        "1 of 2 applicant(s) change outcome", f"  A ({population}:2)",
        "    apply_for_id_card: undetermined -> not_applicable"]
    same = run("diff", policy.BUNDLED_POLICY, policy.BUNDLED_POLICY, "--population", population,
               "--exit-code")
    assert same.exit_code == 0 and same.stdout.startswith("0 of 2 ")


def test_lang_zh_names_statuses_milestones_groups_and_values_in_chinese(run):
    facts = Path(__file__).parent.parent.parent / "facts"
    plan = run("query", facts / "13_missing_passport.yaml", "--lang", "zh").stdout
    assert "受阻 · 多选一（落户途径）" in plan
    assert "受阻于: 护照" in plan and "如何取得护照: 所依据的文件未说明在何处取得" in plan
    assert "前提: 户口" in plan and "passport" not in plan.replace("[restore_hukou_with_passport]", "")\
        .replace("restore_hukou_with_passport", "")
    why = run("explain", facts / "13_missing_passport.yaml", "apply_for_id_card", "--lang", "zh").stdout
    assert why.splitlines()[0] == "申领居民身份证 [apply_for_id_card]：受阻"
    assert "└── 户口: restore_hukou_with_passport (受阻), settle_at_other_station (不适用)," in why
    hinges = run("explain", facts / "15_nonlocal_employee.yaml", "enroll_employee_medical_insurance",
                 "--lang", "zh").stdout
    assert "(employment = employee (职工))" in hinges
    schema = run("facts", "--lang", "zh").stdout
    assert "has_passport  (是/否（true/false）)" in schema
    assert "went_abroad_as  (可选值：public_assignment, self_funded)" in schema


def _words(text: str) -> str:
    """Text without layout: step numbers, marks, brackets, backticks and spacing."""
    import re

    text = re.sub(r"Step \d+|第\d+步|\[[ x!?]\]|[`#*()\[\]:：-]", " ", text)
    return " ".join(text.split())


def test_the_markdown_plan_has_everything_the_text_plan_has(run):
    facts = Path(__file__).parent.parent.parent / "facts"
    for name in ("13_missing_passport", "10_missing_facts", "01_returnee_self_funded"):
        for lang in ("en", "zh"):
            text = run("query", facts / f"{name}.yaml", "--lang", lang).stdout
            markdown = run("query", facts / f"{name}.yaml", "--lang", lang, "--format", "markdown").stdout
            flat = _words(markdown)
            for line in text.splitlines():
                # every line of the text plan (wrapped or not) appears in the Markdown
                assert _words(line)[:40] in flat, (name, lang, line)
    unknown = run("query", facts / "10_missing_facts.yaml", "--format", "markdown").stdout
    assert "## Facts not given" in unknown and "- `has_passport`: Do you hold your passport?" in unknown
    held = run("query", facts / "01_returnee_self_funded.yaml", "--format", "markdown").stdout
    assert "Already done or held: passport" in held
    assert "- [x] Passport (for restore_hukou_with_passport) — held" in held


def test_diff_of_two_policies_of_their_own_asks_for_their_applicants(run, tmp_path):
    """Before: one "unknown fact" error per fact of every bundled scenario."""
    old, new = tmp_path / "old", tmp_path / "new"
    for folder, age in ((old, 18), (new, 21)):
        folder.mkdir()
        (folder / "p.pl").write_text(
            "input age(n: integer).\nderived eligible(procedure: enum(adult)).\n"
            "derived procedure(procedure: enum(adult), modality: enum(may)).\n"
            f"eligible(adult) :- age(A), A >= {age}.\nprocedure(adult, may).\n",
            encoding="utf-8")
    result = run("diff", old, new)
    assert result.exit_code == 2
    assert len(result.stderr.strip().splitlines()) == 1
    assert "--scenarios PATH, --applicants PATH or --population FILE" in result.stderr
    population = tmp_path / "people.csv"
    population.write_text("applicant,age\nA,19\nB,30\n", encoding="utf-8")
    compared = run("diff", old, new, "--population", population)
    assert compared.exit_code == 0 and "adult: applies -> not_applicable: 1" in compared.stdout

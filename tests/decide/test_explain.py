"""Explanations: proof trees, failed conditions and what would change the answer."""
from __future__ import annotations

import datetime
from pathlib import Path

import pytest

import policy
from policy.inputs.applicant import fact_schema, load_applicant
from policy.decide.counterfactual import WhatIf, apply_changes
from policy.decide.proofs import FAILS_BELOW, FALSE, HOLDS, UNKNOWN, Explainer
from policy.tools.explanation import ApplicantExplainer
from policy.decide.matching import Model, literal_solutions, unify
from policy.decide.plan import make_plan

FIXTURES = Path(__file__).parents[1] / "fixtures"
MINI = FIXTURES / "mini_policy.pl"


def check_proof(proof, compiled, model: Model):
    """Every node is sound: its rule exists and its body holds under its bindings; leaves are facts."""
    if proof.kind == "derived":
        assert proof.rule in compiled.program.rules
        bindings = unify(proof.rule.head, proof.row, {})
        assert bindings is not None and model.holds(proof.rule.head.predicate, proof.row)
        for literal in proof.rule.body:
            assert next(literal_solutions(literal, proof.bindings, model), None) is not None, literal
        for child in proof.children:
            check_proof(child, compiled, model)
    elif proof.kind in ("input", "policy_fact"):
        assert model.holds(proof.literal.predicate, proof.row)
        assert not proof.children
    elif proof.kind == "absent":
        assert not model.holds(proof.literal.predicate, proof.row)
    elif proof.kind == "comparison":
        assert next(literal_solutions(proof.literal, proof.bindings, model), None) is not None


def depth(proof) -> int:
    return 1 + max((depth(child) for child in proof.children), default=0)


@pytest.fixture(scope="module")
def graph():
    compiled = policy.load_policy(FIXTURES / "graph.pl")
    model = compiled.evaluate({"edge": [("a", "b"), ("b", "c"), ("c", "a"), ("c", "d"), ("a", "d")],
                               "start": ["a"], "node": ["a", "b", "c", "d", "e"]})
    return compiled, model, Explainer(compiled, model, model)


def test_recursion_gives_a_finite_smallest_proof(graph):
    compiled, model, explainer = graph
    (proof,) = explainer.why("path", ("a", "d"))
    check_proof(proof, compiled, Model.from_python(model))
    assert depth(proof) == 2  # edge(a, d) directly, not the way round a -> b -> c -> d
    assert proof.other_proofs >= 1
    for row in model["path"]:
        for found in explainer.why("path", row, all_proofs=True):
            check_proof(found, compiled, Model.from_python(model))


def test_all_proofs_lists_every_rule_instance(graph):
    _, _, explainer = graph
    proofs = explainer.why("path", ("a", "d"), all_proofs=True)
    assert len(proofs) >= 2
    assert len({tuple(sorted(p.bindings.items())) for p in proofs}) == len(proofs)


def test_negation_is_an_absent_leaf(graph):
    _, _, explainer = graph
    (proof,) = explainer.why("unreachable", ("e",))
    kinds = [child.kind for child in proof.children]
    assert kinds == ["input", "absent"]
    assert proof.children[1].literal.predicate == "reach"


def test_why_not_marks_false_conditions(graph):
    _, _, explainer = graph
    attempts = explainer.why_not("reach", ("e",))
    statuses = [[c.status for c in a.conditions] for a in attempts]
    assert statuses == [[FALSE], [HOLDS, FALSE]]


def test_comparisons_and_aggregates_in_proofs():
    compiled = policy.compile_text(
        "input person(p). input child(p, c). input born(p, d: date).\n"
        "derived big(p). derived young(p).\n"
        "big(P) :- person(P), N = count : { child(P, _) }, N >= 2.\n"
        "young(P) :- born(P, D), D > 2000-01-01.\n")
    model = compiled.evaluate({"person": ["li"], "child": [("li", "a"), ("li", "b")],
                               "born": [("li", datetime.date(2001, 5, 4))]})
    explainer = Explainer(compiled, model, model)
    (big,) = explainer.why("big", ("li",))
    check_proof(big, compiled, Model.from_python(model))
    aggregate = next(child for child in big.children if child.kind == "aggregate")
    assert aggregate.value == 2 and len(aggregate.children) == 2
    (young,) = explainer.why("young", ("li",))
    assert [child.kind for child in young.children] == ["input", "comparison"]


def test_why_not_expands_fails_below():
    compiled = policy.compile_text(
        "input a. input b.\nderived top.\nmiddle :- a, b.\ntop :- middle.\n")
    model = compiled.evaluate({"a": [()]})
    (attempt,) = Explainer(compiled, model, model).why_not("top", (), depth=2)
    (condition,) = attempt.conditions
    assert condition.status == FAILS_BELOW
    assert [c.status for c in condition.below[0].conditions] == [HOLDS, FALSE]


def applicant_file(tmp_path, text):
    path = tmp_path / "a.yaml"
    path.write_text("applicant: Test\n" + text, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def mini():
    return policy.load_policy(MINI)


def test_unknown_conditions_are_marked_unknown(mini, tmp_path):
    applicant = load_applicant(applicant_file(tmp_path, "returnee: true\nhas_hukou: false\n"),
                               fact_schema(mini.program))
    explainer = ApplicantExplainer(mini, applicant)
    document = explainer.document("restore")
    (attempt,) = document["why_not"]
    assert [c["status"] for c in attempt["conditions"]] == [HOLDS, HOLDS, UNKNOWN]
    assert attempt["rule"]["id"] == "mini.restore" and attempt["rule"]["source"] == "mini 1"


def test_why_tree_cites_rules_and_applicant_lines(mini, tmp_path):
    path = applicant_file(tmp_path, "returnee: true\nhas_hukou: false\nother_station_reason: false\n"
                                    "has_id_card: false\ncard_by: self\n")
    applicant = load_applicant(path, fact_schema(mini.program))
    document = ApplicantExplainer(mini, applicant).document("restore")
    (root,) = document["why"]
    assert root["rule"]["id"] == "mini.restore" and root["rule"]["source"] == "mini 1"
    returnee = root["children"][0]
    assert returnee["kind"] == "input" and returnee["source"] == {"file": str(path), "line": 2}
    assert returnee["text"] == "Returned from study abroad"
    absent = root["children"][1]
    assert absent["kind"] == "absent" and absent["text"].startswith("there is no evidence that")


def test_would_apply_if_suggestions_work_and_are_minimal(mini, tmp_path):
    path = applicant_file(tmp_path, "returnee: false\nhas_hukou: false\nhas_id_card: false\n"
                                    "card_by: agent\n")
    applicant = load_applicant(path, fact_schema(mini.program))
    schema = {spec.name: spec for spec in fact_schema(mini.program)}
    search = WhatIf(mini, applicant, list(schema.values()))
    for procedure in ("card_self", "restore", "id_card"):
        suggestions = search.would_apply_if(procedure)
        assert suggestions, procedure
        for changes in suggestions:
            assert _status(mini, apply_changes(applicant, changes, schema), procedure) == "applies"
            for left_out in changes:
                fewer = [c for c in changes if c is not left_out]
                assert _status(mini, apply_changes(applicant, fewer, schema), procedure) != "applies"
            for change in changes:
                spec = schema[change.name]
                assert spec.is_flag or (change.value,) in spec.possible_rows()


def test_hinges_on_names_the_facts_an_applying_procedure_rests_on(mini, tmp_path):
    path = applicant_file(tmp_path, "returnee: true\nhas_hukou: true\nhas_id_card: true\ncard_by: self\n")
    applicant = load_applicant(path, fact_schema(mini.program))
    search = WhatIf(mini, applicant, fact_schema(mini.program))
    assert search.status("card_self") == "applies"
    hinges = dict(search.hinges_on("card_self"))
    assert hinges["card_by"] == "self"
    assert "returnee" not in hinges  # the hukou and ID card are already there


def _status(compiled, applicant, procedure):
    plan = make_plan(compiled, applicant)
    return next(p.status for p in plan.procedures if p.id == procedure)


def test_explain_cli_text_and_json(run, tmp_path):
    import json

    path = applicant_file(tmp_path, "returnee: true\nhas_hukou: false\nother_station_reason: false\n"
                                    "has_id_card: false\ncard_by: self\n")
    result = run("explain", path, "restore", "--policy", MINI)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines()[:3] == [
        "Restore the hukou [restore]: applies", "Why", "└── Restore  [mini.restore; mini 1]"]
    document = json.loads(run("explain", path, "settle_elsewhere", "--policy", MINI,
                              "--format", "json").stdout)
    assert document["schema"] == "policylog/explanation/1"
    assert document["would_apply_if"] == [[{"fact": "other_station_reason", "value": True,
                                            "was": False,
                                            "text": "Has a justified reason to register elsewhere"}]]
    zh = run("explain", path, "settle_elsewhere", "--policy", MINI, "--lang", "zh")
    assert "为什么不" in zh.stdout and "有正当理由在别处落户" in zh.stdout
    unknown = run("explain", path, "no_such", "--policy", MINI)
    assert unknown.exit_code == 2 and "query_error" in unknown.stderr


def test_query_explain_adds_a_reason_to_every_procedure(run, tmp_path):
    path = applicant_file(tmp_path, "returnee: true\nhas_hukou: false\nother_station_reason: false\n"
                                    "has_id_card: false\ncard_by: self\n")
    result = run("query", path, "--policy", MINI, "--explain", "--all")
    reasons = [line.strip() for line in result.stdout.splitlines() if line.strip().startswith("Why:")]
    assert len(reasons) == 5
    assert "Why: Restore [mini.restore; mini 1]" in reasons
    assert any(r.startswith("Why: false:") for r in reasons)


def test_the_readme_shows_what_explain_prints(run, monkeypatch):
    root = Path(__file__).parents[2]
    monkeypatch.chdir(root)  # the README shows paths relative to the checkout
    readme = (root / "README.md").read_text(encoding="utf-8")
    for name, lang in (("01_returnee_self_funded", "en"), ("02_returnee_other_station", "en"),
                       ("02_returnee_other_station", "zh"), ("01_returnee_self_funded", "zh")):
        result = run("explain", f"facts/{name}.yaml", "restore_hukou_with_passport",
                     "--lang", lang)
        assert result.stdout.rstrip() in readme, (name, lang)


DATED = """
@description(en: "Start date", zh: "开始")
@question(en: "When did you start?", zh: "何时开始？")
input started(day: date).
@description(en: "Your age", zh: "年龄")
@question(en: "How old are you?", zh: "你多大？")
input age(n: integer).
derived eligible(procedure: enum(veteran)).
derived procedure(procedure: enum(veteran), modality: enum(may)).
@title(en: "Veteran")
eligible(veteran) :- started(D), D < 2000-01-01, age(A), A >= 18.
procedure(veteran, may).
"""


def dated_applicant(tmp_path) -> tuple:
    """(an applicant who gave only their age, the DATED policy's folder)."""
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "p.pl").write_text(DATED, encoding="utf-8")
    applicant = tmp_path / "s.yaml"
    applicant.write_text("applicant: S\nage: 30\n", encoding="utf-8")
    return applicant, rules


def test_an_unknown_comparison_shows_its_variables_and_dates_are_no_strings(tmp_path, run):
    """Before: `unknown: 1999-12-31 < 2000-01-01` (one completion's value, read as an
    obviously true comparison) and `<= "1999-12-31"` (a date quoted as a string)."""
    applicant, rules = dated_applicant(tmp_path)
    result = run("explain", applicant, "veteran", "--policy", rules)
    assert result.exit_code == 0, result.stderr
    assert "unknown: D < 2000-01-01" in result.output
    assert "holds: 30 >= 18" in result.output  # a given value is shown
    assert "<= 1999-12-31: applies" in result.output
    assert ">= 2000-01-01: not applicable" in result.output
    assert '"1999-12-31"' not in result.output


def test_the_one_line_reason_of_an_undetermined_procedure_names_its_open_condition(tmp_path, run):
    """Before: "Why: depends on: started", the line "Depends on" said again."""
    applicant, rules = dated_applicant(tmp_path)
    result = run("query", applicant, "--policy", rules, "--explain")
    assert result.exit_code == 0, result.stderr
    why = [line.strip() for line in result.output.splitlines() if "Why:" in line]
    assert len(why) == 1 and why[0].startswith("Why: unknown: Start date ["), why


def test_decided_by_words_its_statuses_in_the_language_asked(tmp_path, run):
    applicant, rules = dated_applicant(tmp_path)
    result = run("explain", applicant, "veteran", "--policy", rules, "--lang", "zh")
    assert result.exit_code == 0, result.stderr
    assert ">= 2000-01-01: 不适用" in result.output and "not_applicable" not in result.output


def test_a_reason_cites_a_rule_without_an_id_by_where_it_is_written(run, tmp_path):
    """`query --explain` of a policy whose rules have no @id printed `[None]` after each
    reason; it names the file and line, as the explain tree does."""
    rules = tmp_path / "rules.pl"
    rules.write_text("input income(amount: integer).\nprocedure(help, may).\n"
                     "eligible(help) :- income(I), I < 3000.\n", encoding="utf-8")
    for facts in ("applicant: A\n", "applicant: B\nincome: 100\n"):
        (tmp_path / "a.yaml").write_text(facts, encoding="utf-8")
        result = run("query", tmp_path / "a.yaml", "--policy", rules, "--explain")
        assert result.exit_code == 0, result.stderr
        assert "None" not in result.stdout
        assert "[rules.pl:3" in result.stdout

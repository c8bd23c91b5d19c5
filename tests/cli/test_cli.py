"""The command line: check and eval, their outputs, exit codes and streams."""
from __future__ import annotations

import json
from pathlib import Path

FIXTURES = Path(__file__).parents[1] / "fixtures"


def test_check_prints_five_diagnostics_at_their_lines_and_exits_1(run):
    result = run("check", FIXTURES / "five_mistakes.pl")
    assert result.exit_code == 1
    lines = [line for line in result.stdout.splitlines() if ": error: " in line]
    assert [line.split(":")[1] for line in lines] == ["8", "9", "10", "11", "12"]
    assert "undefined_predicate" in lines[0]
    assert result.stdout.rstrip().endswith("5 error(s), 0 warning(s)")


def test_check_json_lists_every_diagnostic(run):
    result = run("check", "--format", "json", FIXTURES / "five_mistakes.pl")
    assert result.exit_code == 1
    diagnostics = json.loads(result.stdout)
    assert [d["code"] for d in diagnostics] == [
        "undefined_predicate", "cyclic_negation", "unsafe_variable", "type_error", "arity_mismatch"]
    assert set(diagnostics[0]) == {"code", "severity", "file", "line", "column", "message"}


def test_check_a_clean_file_exits_0(run):
    result = run("check", FIXTURES / "graph.pl")
    assert result.exit_code == 0
    assert result.stdout.strip() == "0 error(s), 0 warning(s)"


def test_check_warnings_alone_exit_0(run, tmp_path):
    rules = tmp_path / "w.pl"
    rules.write_text("input unused.\nok.\n")
    result = run("check", rules)
    assert result.exit_code == 0
    assert "warning: unused_declaration" in result.stdout


def test_eval_prints_every_derived_predicate(run):
    result = run("eval", FIXTURES / "graph.pl", "--facts", FIXTURES / "graph_facts.yaml")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines() == [
        "path(a, b).", "path(a, c).", "path(b, c).",
        "reach(a).", "reach(b).", "reach(c).",
        "unreachable(d).",
    ]


def test_eval_answers_a_query(run):
    result = run("eval", FIXTURES / "graph.pl", "path(a, X)", "--facts", FIXTURES / "graph_facts.yaml")
    assert result.exit_code == 0
    assert result.stdout.splitlines() == ["X = b", "X = c"]
    closed = run("eval", FIXTURES / "graph.pl", "path(c, a)", "--facts", FIXTURES / "graph_facts.yaml")
    assert closed.stdout.strip() == "no"


def test_eval_json(run):
    result = run("eval", FIXTURES / "graph.pl", "reach(X)", "--facts", FIXTURES / "graph_facts.yaml",
                  "--format", "json")
    document = json.loads(result.stdout)
    assert document["schema"] == "policylog/answers/1"
    assert document["answers"] == [{"X": "a"}, {"X": "b"}, {"X": "c"}]


def test_eval_accepts_json_facts(run, tmp_path):
    facts = tmp_path / "facts.json"
    facts.write_text(json.dumps({"edge": [["x", "y"]], "start": ["x"]}))
    result = run("eval", FIXTURES / "graph.pl", "reach(X)", "--facts", facts)
    assert result.stdout.splitlines() == ["X = x", "X = y"]


def bad(run, *args):
    """Run a command that must refuse its input: one clear stderr message, exit 2."""
    result = run(*args)
    assert result.exit_code == 2, result.stdout
    assert result.stdout == ""
    assert result.stderr.strip() and "Traceback" not in result.stderr
    return result.stderr


def test_missing_file(run, tmp_path):
    message = bad(run, "check", tmp_path / "nope.pl")
    assert "nope.pl" in message and "file_error" in message


def test_non_utf8_file(run, tmp_path):
    rules = tmp_path / "latin1.pl"
    rules.write_bytes(b"ok.\nname(\"caf\xe9\").\n")
    message = bad(run, "check", rules)
    assert "latin1.pl:2" in message and "not UTF-8" in message


def test_empty_directory(run, tmp_path):
    message = bad(run, "eval", tmp_path)
    assert "no rule files" in message


def test_broken_facts_file(run, tmp_path):
    facts = tmp_path / "broken.yaml"
    facts.write_text("edge:\n  - [a, b\nstart: [a]\n")
    message = bad(run, "eval", FIXTURES / "graph.pl", "--facts", facts)
    assert "broken.yaml:" in message and "facts_error" in message


def test_facts_row_of_the_wrong_arity(run, tmp_path):
    facts = tmp_path / "arity.yaml"
    facts.write_text("edge:\n  - [a, b]\n  - [a, b, c]\n")
    message = bad(run, "eval", FIXTURES / "graph.pl", "--facts", facts)
    assert "arity.yaml:3" in message and "takes 2 value(s)" in message


def test_facts_for_an_unknown_predicate(run, tmp_path):
    facts = tmp_path / "unknown.yaml"
    facts.write_text("edge: [[a, b]]\nstrat: [a]\n")
    message = bad(run, "eval", FIXTURES / "graph.pl", "--facts", facts)
    assert "unknown.yaml:2" in message and "did you mean 'start'" in message


def test_python_tags_in_facts_are_refused(run, tmp_path):
    facts = tmp_path / "evil.yaml"
    facts.write_text("start: [!!python/object/apply:os.system ['echo pwned']]\n")
    message = bad(run, "eval", FIXTURES / "graph.pl", "--facts", facts)
    assert "evil.yaml:1" in message


def test_a_bad_query(run):
    assert "query_error" in bad(run, "eval", FIXTURES / "graph.pl", "path(a")
    assert "did you mean 'path'" in bad(run, "eval", FIXTURES / "graph.pl", "paht(a, X)")


def test_a_policy_with_errors_cannot_be_evaluated(run):
    message = bad(run, "eval", FIXTURES / "five_mistakes.pl")
    assert sum(": error: " in line for line in message.splitlines()) == 5


def test_a_rule_file_of_python_code_runs_nothing(run, tmp_path):
    marker = tmp_path / "pwned"
    rules = tmp_path / "evil.pl"
    rules.write_text(f'__import__("os").system("touch {marker}").\n')
    result = run("check", rules)
    assert result.exit_code == 1
    assert "syntax_error" in result.stdout
    assert not marker.exists()


def test_every_command_has_help_and_is_in_the_readme(run):
    import cli

    readme = (Path(__file__).parents[2] / "README.md").read_text()
    for name, command in cli.main.commands.items():
        assert command.help, name
        assert run(name, "--help").exit_code == 0
        assert f"policylog {name}" in readme, name


def test_the_readme_shows_what_the_quickstart_prints(run):
    readme = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")
    start = readme.index("```text\n", readme.index("The plan it prints")) + len("```text\n")
    shown = readme[start:readme.index("```", start)]
    result = run("query", Path(__file__).parents[2] / "facts" / "01_returnee_self_funded.yaml")
    assert result.stdout.rstrip() == shown.rstrip()

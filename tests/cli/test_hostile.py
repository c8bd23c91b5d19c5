"""Hostile input through the command line, and isolation of concurrent evaluations.

Each hostile file gets a clean answer or a clean refusal: exit code 2, nothing on stdout, one
diagnostic on stderr that names the file, never a traceback; and nothing in it is ever run.
Rule files go through `policylog check`, facts files through `policylog eval graph.pl --facts`,
applicant files through `policylog query --policy mini_policy.pl`.
"""
from __future__ import annotations

import json
import random
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

import policy

FIXTURES = Path(__file__).parents[1] / "fixtures"
GRAPH = FIXTURES / "graph.pl"
MINI = FIXTURES / "mini_policy.pl"


# --- helpers ------------------------------------------------------------------------------------


def write(path: Path, data) -> Path:
    path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    return path


def refused(result, path, *expected) -> str:
    """A clean refusal of `path`: exit 2, no stdout, one diagnostic naming the file, no traceback."""
    assert result.exit_code == 2, (result.stdout, result.stderr)
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    diagnostics = [line for line in result.stderr.splitlines() if ": error: " in line]
    assert len(diagnostics) == 1, result.stderr
    assert diagnostics[0].startswith(f"{path}:"), diagnostics
    for text in expected:
        assert text in result.stderr, result.stderr
    return diagnostics[0]


def eval_facts(run, facts, *query):
    return run("eval", GRAPH, *query, "--facts", facts)


def query_applicant(run, applicant, *options):
    return run("query", applicant, "--policy", MINI, *options)


def line_of(diagnostic: str, path) -> int:
    """The line number of `path:LINE:...: error: ...`."""
    return int(diagnostic[len(str(path)) + 1:].split(":")[0])


@pytest.fixture
def marker(tmp_path, monkeypatch):
    """A file that would appear if anything in the input were run (in the working directory too)."""
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "MARKER"
    yield path
    assert not path.exists(), "something in the input was executed"
    assert not (tmp_path / "PWNED").exists()


# --- YAML that would build Python objects -------------------------------------------------------

PYTHON_TAGS = [
    "!!python/object/apply:os.system ['touch {marker}']",
    "!!python/object/new:os.system ['touch {marker}']",
    "!!python/name:os.system",
    "!!python/module:os",
    "!<tag:yaml.org,2002:python/object/apply:os.system> ['touch {marker}']",
]


@pytest.mark.parametrize("tag", PYTHON_TAGS)
def test_python_tags_in_a_facts_file_are_refused_and_nothing_runs(run, tmp_path, marker, tag):
    facts = write(tmp_path / "evil.yaml", "edge:\n  - [a, b]\nstart:\n  - " + tag.format(marker=marker) + "\n")
    diagnostic = refused(eval_facts(run, facts), facts, "facts_error", "not allowed")
    assert line_of(diagnostic, facts) == 4


def test_a_python_tag_on_the_whole_facts_file_is_refused(run, tmp_path, marker):
    facts = write(tmp_path / "evil.yaml", f"!!python/object/apply:os.system ['touch {marker}']\n")
    refused(eval_facts(run, facts), facts, "not allowed")


def test_a_python_tag_in_an_applicant_file_is_refused_and_nothing_runs(run, tmp_path, marker):
    applicant = write(tmp_path / "evil.yaml",
                      f"applicant: Li\nreturnee: !!python/object/apply:os.system ['touch {marker}']\n")
    diagnostic = refused(query_applicant(run, applicant), applicant, "not allowed")
    assert line_of(diagnostic, applicant) == 2


# --- documents that expand ----------------------------------------------------------------------

BILLION_LAUGHS = """\
a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]
b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]
c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]
d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]
e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]
f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]
g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f]
h: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g]
node: &i [*h, *h, *h, *h, *h, *h, *h, *h, *h]
"""


def test_an_alias_bomb_in_a_facts_file_is_refused_at_once(run, tmp_path):
    facts = write(tmp_path / "laughs.yaml", BILLION_LAUGHS)
    started = time.monotonic()
    result = eval_facts(run, facts)
    assert time.monotonic() - started < 10
    refused(result, facts, "anchors and aliases")


def test_an_alias_bomb_in_an_applicant_file_is_refused_at_once(run, tmp_path):
    applicant = write(tmp_path / "laughs.yaml", "applicant: Li\n" + BILLION_LAUGHS.replace("node:", "card_by:"))
    started = time.monotonic()
    result = query_applicant(run, applicant)
    assert time.monotonic() - started < 10
    refused(result, applicant, "anchors and aliases")


def test_a_single_harmless_alias_is_refused_too(run, tmp_path):
    facts = write(tmp_path / "alias.yaml", "node: &n [a]\nstart: *n\n")
    diagnostic = refused(eval_facts(run, facts), facts, "anchors and aliases")
    assert line_of(diagnostic, facts) in (1, 2)  # the anchor's line or the alias's


def test_nesting_deeper_than_64_levels_is_refused(run, tmp_path):
    facts = write(tmp_path / "deep.yaml", "node: " + "[" * 100 + "a" + "]" * 100 + "\n")
    refused(eval_facts(run, facts), facts, "nested too deeply")


@pytest.mark.parametrize("opening", ["[", "{a: "])
def test_ten_thousand_levels_of_nesting_in_a_facts_file_are_refused_cleanly(run, tmp_path, opening):
    closing = "]" if opening == "[" else "}"
    facts = write(tmp_path / "deep.yaml", "node: " + opening * 10_000 + "a" + closing * 10_000 + "\n")
    refused(eval_facts(run, facts), facts, "nested too deeply")


def test_ten_thousand_levels_of_nesting_in_an_applicant_file_are_refused_cleanly(run, tmp_path):
    applicant = write(tmp_path / "deep.yaml", "applicant: Li\ncard_by: " + "[" * 10_000 + "]" * 10_000 + "\n")
    refused(query_applicant(run, applicant), applicant, "nested too deeply")


# --- size ----------------------------------------------------------------------------------------


def test_a_rule_file_over_the_size_limit_is_refused_before_it_is_read(run, tmp_path):
    rules = write(tmp_path / "big.pl", "input w(x).\n" + "% padding padding padding\n" * 50_000)
    refused(run("check", rules, "--max-input-mb", "0.5"), rules, "limit_exceeded", "--max-input-mb")
    assert run("check", rules, "--max-input-mb", "5").exit_code == 0


def test_a_facts_file_over_the_size_limit_is_refused(run, tmp_path):
    facts = write(tmp_path / "big.yaml", "node:\n" + "".join(f"  - n{i}\n" for i in range(100_000)))
    refused(eval_facts(run, facts, "--max-input-mb", "0.25"), facts, "limit_exceeded", "--max-input-mb")


def test_an_applicant_file_over_the_size_limit_is_refused(run, tmp_path):
    applicant = write(tmp_path / "big.yaml", "applicant: Li\n" + "# padding\n" * 20_000)
    refused(query_applicant(run, applicant, "--max-input-mb", "0.1"), applicant, "limit_exceeded")


# --- numbers -------------------------------------------------------------------------------------


@pytest.mark.parametrize("value", [".nan", ".NaN", ".inf", "-.inf", "+.INF"])
def test_nan_and_infinities_as_fact_values_are_refused_at_their_line(run, tmp_path, value):
    facts = write(tmp_path / "nan.yaml", f"start: [a]\nnode:\n  - a\n  - {value}\n")
    diagnostic = refused(eval_facts(run, facts), facts, "facts_error", "not a finite number")
    assert line_of(diagnostic, facts) == 4


def test_nan_for_an_applicant_fact_is_refused(run, tmp_path):
    applicant = write(tmp_path / "nan.yaml", "applicant: Li\nreturnee: .nan\ncard_by: .inf\n")
    result = query_applicant(run, applicant)
    assert result.exit_code == 2 and result.stdout == "" and "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if ": error: " in line]
    assert [line_of(line, applicant) for line in lines] == [2, 3]


def test_an_integer_of_400_digits_is_an_ordinary_value(run, tmp_path):
    huge = 10**400
    facts = write(tmp_path / "huge.yaml", f"start: [{huge}]\nedge: [[{huge}, {huge + 1}]]\n")
    result = eval_facts(run, facts, "reach(X)")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines() == [f"X = {huge}", f"X = {huge + 1}"]


def test_an_integer_of_5000_digits_is_refused_cleanly(run, tmp_path):
    facts = write(tmp_path / "huger.yaml", "node: [1" + "0" * 5000 + "]\n")
    refused(eval_facts(run, facts), facts, "facts_error")


def test_an_integer_literal_of_400_digits_in_a_rule_works(run, tmp_path):
    rules = write(tmp_path / "huge.pl", f"derived big(n).\nbig(N) :- N = {10**400} + 1.\n")
    result = run("eval", rules, "big(N)")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.strip() == f"N = {10**400 + 1}"


def test_an_integer_literal_of_5000_digits_in_a_rule_is_a_clean_error(run, tmp_path):
    rules = write(tmp_path / "huger.pl", "derived big(n).\nbig(N) :- N = 1" + "0" * 5000 + ".\n")
    result = run("check", rules)
    assert result.exit_code in (1, 2) and "Traceback" not in result.stderr
    assert f"{rules}:2:" in result.stdout + result.stderr


# --- encodings and line endings -----------------------------------------------------------------


def test_non_utf8_bytes_in_a_rule_file_are_refused_at_their_line(run, tmp_path):
    rules = write(tmp_path / "latin.pl", b"input w(x).\nderived y(x).\ny(X) :- w(X), X != \"\xe9t\xe9\".\n")
    diagnostic = refused(run("check", rules), rules, "file_error", "not UTF-8")
    assert line_of(diagnostic, rules) == 3


def test_non_utf8_bytes_in_a_facts_file_are_refused(run, tmp_path):
    facts = write(tmp_path / "latin.yaml", b"node:\n  - caf\xe9\n")
    diagnostic = refused(eval_facts(run, facts), facts, "not UTF-8")
    assert line_of(diagnostic, facts) == 2


def test_a_utf16_applicant_file_is_refused(run, tmp_path):
    applicant = write(tmp_path / "utf16.yaml", "applicant: Li\nreturnee: true\n".encode("utf-16"))
    refused(query_applicant(run, applicant), applicant, "not UTF-8")


def test_a_byte_order_mark_at_the_start_of_a_rule_file_just_works(run, tmp_path):
    rules = write(tmp_path / "bom.pl", "\ufeff" + GRAPH.read_text(encoding="utf-8"))
    result = run("check", rules)
    assert result.exit_code == 0, result.stdout
    answer = run("eval", rules, "reach(X)", "--facts", FIXTURES / "graph_facts.yaml")
    assert answer.stdout.splitlines() == ["X = a", "X = b", "X = c"]


def test_a_byte_order_mark_keeps_columns_of_the_first_line_right(run, tmp_path):
    rules = write(tmp_path / "bom.pl", "\ufeffok :- missing.\n")
    result = run("check", rules)
    assert result.exit_code == 1
    assert f"{rules}:1:7: error: undefined_predicate" in result.stdout


def test_a_byte_order_mark_at_the_start_of_a_facts_file_just_works(run, tmp_path):
    facts = write(tmp_path / "bom.yaml", "\ufeffedge:\n  - [a, b]\nstart: [a]\n")
    result = eval_facts(run, facts, "reach(X)")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines() == ["X = a", "X = b"]


def test_a_byte_order_mark_at_the_start_of_an_applicant_file_just_works(run, tmp_path):
    applicant = write(tmp_path / "bom.yaml", "\ufeffapplicant: Li\nreturnee: true\nhas_hukou: false\n"
                      "other_station_reason: false\nhas_id_card: false\ncard_by: self\n")
    result = query_applicant(run, applicant, "--format", "json")
    assert result.exit_code == 0, result.stderr
    plan = json.loads(result.stdout)
    assert plan["applicant"] == "Li"
    assert [p["id"] for p in plan["procedures"] if p["status"] == "applies"] == ["restore", "id_card", "card_self"]


def test_windows_line_endings_in_a_rule_file_just_work_with_the_right_lines(run, tmp_path):
    text = GRAPH.read_text(encoding="utf-8").replace("\n", "\r\n")
    rules = write(tmp_path / "crlf.pl", text)
    assert run("check", rules).exit_code == 0
    answer = run("eval", rules, "path(a, X)", "--facts", FIXTURES / "graph_facts.yaml")
    assert answer.stdout.splitlines() == ["X = b", "X = c"]

    broken = write(tmp_path / "crlf_errors.pl",
                   "input w(x).\r\nderived y(x).\r\n\r\ny(Z) :- w(Z), q(Z).\r\nfoo(.\r\n")
    result = run("check", broken)
    assert result.exit_code == 1
    assert "\r" not in result.stdout
    lines = result.stdout.splitlines()
    assert f"{broken}:4:15: error: undefined_predicate: 'q' is used but no rule, fact or declaration defines it" in lines
    shown = lines.index(f"{broken}:4:15: error: undefined_predicate: 'q' is used but no rule, fact or declaration defines it")
    assert lines[shown + 1].strip() == "y(Z) :- w(Z), q(Z)."
    assert lines[shown + 2].index("^") == lines[shown + 1].index("q(")
    assert any(line.startswith(f"{broken}:5:5: error: syntax_error") for line in lines), lines


def test_windows_line_endings_in_a_facts_file_just_work_with_the_right_lines(run, tmp_path):
    facts = write(tmp_path / "crlf.yaml", "edge:\r\n  - [a, b]\r\n  - [b, c]\r\nstart: [a]\r\n")
    result = eval_facts(run, facts, "reach(X)")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines() == ["X = a", "X = b", "X = c"]
    wrong = write(tmp_path / "crlf_wrong.yaml", "edge:\r\n  - [a, b]\r\n  - [b, c, d]\r\nstart: [a]\r\n")
    diagnostic = refused(eval_facts(run, wrong), wrong, "takes 2 value(s)")
    assert line_of(diagnostic, wrong) == 3


def test_windows_line_endings_in_an_applicant_file_just_work(run, tmp_path):
    applicant = write(tmp_path / "crlf.yaml", "applicant: Li\r\nreturnee: true\r\ncard_by: agnt\r\n")
    diagnostic = refused(query_applicant(run, applicant), applicant, "did you mean 'agent'")
    assert line_of(diagnostic, applicant) == 3


@pytest.mark.parametrize("separator", ["\x0c", "\u2028", "\x85"])
def test_a_form_feed_or_line_separator_in_a_comment_keeps_the_source_line_right(run, tmp_path, separator):
    rules = write(tmp_path / "ff.pl", f"% part one{separator}part two\ninput w(x).\nderived y(x).\ny(Z) :- w(Z), q(Z).\n")
    result = run("check", rules)
    lines = result.stdout.splitlines()
    at = next(i for i, line in enumerate(lines) if line.startswith(f"{rules}:4:15:"))
    assert lines[at + 1].strip() == "y(Z) :- w(Z), q(Z)."


def test_null_bytes_in_a_rule_file_are_syntax_errors_at_their_place(run, tmp_path):
    rules = write(tmp_path / "nul.pl", b"input w(x).\nderived y(x).\ny(Z) :- w(Z),\x00 w(Z).\n")
    result = run("check", rules)
    assert result.exit_code == 1 and "Traceback" not in result.stdout + result.stderr
    errors = [line for line in result.stdout.splitlines() if ": error: " in line]
    assert errors and all(line.startswith(f"{rules}:3:") for line in errors), errors
    assert "syntax_error" in errors[0] and "\\x00" in errors[0]


def test_null_bytes_in_a_string_escape_of_a_rule_are_just_a_value(run, tmp_path):
    rules = write(tmp_path / "nul.pl", 'derived y(x).\ny("a\\u0000b").\n')
    result = run("eval", rules, "y(X)", "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["answers"] == [{"X": "a\x00b"}]


def test_control_characters_in_fact_values_are_printed_escaped(run, tmp_path):
    facts = write(tmp_path / "ctl.yaml", 'start: ["ok\\rreach(\\"admin\\")", "\\e[31mred", "tab\\there"]\n')
    result = eval_facts(run, facts, "reach(X)")
    assert result.exit_code == 0, result.stderr
    assert not any(ch in result.stdout for ch in "\r\x1b\t"), repr(result.stdout)


def test_a_raw_null_byte_in_a_facts_file_is_refused(run, tmp_path):
    facts = write(tmp_path / "nul.yaml", b"node: [a\x00b]\n")
    refused(eval_facts(run, facts), facts, "facts_error")


# --- code where rules are expected --------------------------------------------------------------


def test_a_rule_file_of_python_code_is_a_syntax_error_and_runs_nothing(run, tmp_path, marker):
    rules = write(tmp_path / "evil.pl", 'import os\nos.system("touch MARKER")\n'
                  f'__import__("os").system("touch {marker}")\n')
    result = run("check", rules)
    assert result.exit_code == 1 and "Traceback" not in result.stdout + result.stderr
    assert f"{rules}:1:" in result.stdout and "syntax_error" in result.stdout
    refused_eval = run("eval", rules)
    assert refused_eval.exit_code == 2 and "Traceback" not in refused_eval.stderr


def test_a_facts_file_of_python_code_is_refused_and_runs_nothing(run, tmp_path, marker):
    facts = write(tmp_path / "evil.yaml", 'import os\nos.system("touch MARKER")\n')
    refused(eval_facts(run, facts), facts, "facts_error")


def test_a_query_of_python_code_is_refused_and_runs_nothing(run, marker):
    result = run("eval", GRAPH, '__import__("os").system("touch MARKER")')
    assert result.exit_code == 2 and "Traceback" not in result.stderr
    assert "query_error" in result.stderr


def test_five_thousand_nested_parentheses_give_an_answer_or_a_syntax_error(run, tmp_path):
    expression = "(" * 5000 + "X + 1" + ")" * 5000
    rules = write(tmp_path / "parens.pl", f"input w(x).\nderived y(x).\ny(Z) :- w(X), Z = {expression}.\n")
    facts = write(tmp_path / "w.yaml", "w: [1, 41]\n")
    result = run("eval", rules, "y(Z)", "--facts", facts)
    assert "Traceback" not in result.stderr and "RecursionError" not in result.stderr
    if result.exit_code == 0:
        assert result.stdout.splitlines() == ["Z = 2", "Z = 42"]
    else:
        assert result.exit_code == 2 and "syntax_error" in result.stderr


def test_five_thousand_unclosed_parentheses_are_a_syntax_error(run, tmp_path):
    rules = write(tmp_path / "parens.pl", "input w(x).\nderived y(x).\ny(Z) :- w(X), Z = " + "(" * 5000 + "X.\n")
    result = run("check", rules)
    assert result.exit_code == 1 and "Traceback" not in result.stdout + result.stderr
    assert f"{rules}:3:" in result.stdout and "syntax_error" in result.stdout


def test_five_thousand_unary_minuses_give_an_answer_or_a_syntax_error(run, tmp_path):
    rules = write(tmp_path / "minus.pl", "input w(x).\nderived y(x).\ny(Z) :- w(X), Z = " + "-" * 5000 + "X.\n")
    result = run("check", rules)
    assert result.exit_code in (0, 1) and "Traceback" not in result.stdout + result.stderr


# --- names that mean something to pyDatalog or Python -------------------------------------------

PYTHONIC_RULES = """\
input len_(x).
input sum_(x).
input class(x).
derived lambda(x).
derived import(x).
derived def(x).
derived self(x).
derived print(x).
lambda(X) :- len_(X), sum_(X).
import(X) :- class(X), not lambda(X).
def(X) :- len_(X), X != "__class__", X != "_pyD_query".
self("__init__").
self(X) :- sum_(X), X = "X".
print(N) :- N = count : { len_(_) }.
"""


def test_pythonic_names_as_predicates_and_constants_just_work(run, tmp_path):
    rules = write(tmp_path / "pythonic.pl", PYTHONIC_RULES)
    check = run("check", rules)
    assert check.exit_code == 0, check.stdout
    facts = write(tmp_path / "pythonic.yaml",
                  'len_: ["__class__", "_pyD_query", "X", "a.b", lambda]\n'
                  'sum_: ["X", "a.b", "__dict__"]\n'
                  'class: [import, "__class__", "os.system"]\n')
    result = run("eval", rules, "--facts", facts, "--format", "json")
    assert result.exit_code == 0, result.stderr
    model = json.loads(result.stdout)["predicates"]
    assert sorted(model["lambda"]) == [["X"], ["a.b"]]
    assert sorted(model["import"]) == [["__class__"], ["import"], ["os.system"]]
    assert sorted(model["def"]) == [["X"], ["a.b"], ["lambda"]]
    assert sorted(model["self"]) == [["X"], ["__init__"]]
    assert model["print"] == [[5]]


def test_uppercase_and_dotted_strings_in_facts_stay_constants(run, tmp_path):
    facts = write(tmp_path / "odd.yaml",
                  'edge:\n  - ["X", "a.b"]\n  - ["a.b", "_pyD_query"]\n  - ["_pyD_query", "__class__"]\n'
                  'node: ["X", "a.b", "_pyD_query", "__class__", "Y", "os.path"]\nstart: ["X"]\n')
    result = eval_facts(run, facts)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines() == [
        'path("X", "__class__").', 'path("X", "_pyD_query").', 'path("X", "a.b").',
        'path("_pyD_query", "__class__").', 'path("a.b", "__class__").', 'path("a.b", "_pyD_query").',
        'reach("X").', 'reach("__class__").', 'reach("_pyD_query").', 'reach("a.b").',
        'unreachable("Y").', 'unreachable("os.path").',
    ]
    # a quoted "X" in a query is the constant, not a variable
    assert eval_facts(run, facts, 'reach("X")').stdout.strip() == "yes"
    assert eval_facts(run, facts, 'reach("Y")').stdout.strip() == "no"
    assert eval_facts(run, facts, 'path("a.b", Y)').stdout.splitlines() == ['Y = "__class__"', 'Y = "_pyD_query"']


def test_pythonic_names_through_the_api():
    compiled = policy.compile_text(PYTHONIC_RULES)
    model = compiled.evaluate({"len_": ["_pyD_query", "X"], "sum_": ["X"], "class": ["a.b"]})
    assert model["lambda"] == {("X",)}
    assert model["import"] == {("a.b",)}
    assert model["def"] == {("X",)}
    assert model["self"] == {("__init__",), ("X",)}
    assert model["print"] == {(2,)}


# --- commands given a policy they cannot use ----------------------------------------------------


def test_query_with_a_policy_without_procedures_is_refused_cleanly(run, tmp_path):
    applicant = write(tmp_path / "li.yaml", "applicant: Li\n")
    result = run("query", applicant, "--policy", GRAPH)
    assert result.exit_code in (0, 2)
    assert "Traceback" not in result.stderr


# --- isolation ----------------------------------------------------------------------------------

SCORES = """\
input paid(person, amount: integer).
input member(person).
derived total(person, amount).
derived big(person).
derived idle(person).
total(P, S) :- member(P), S = sum A : { paid(P, A) }.
big(P) :- total(P, S), S > 100.
idle(P) :- member(P), not big(P).
"""


def test_two_policies_and_both_evaluations_interleaved_in_sixteen_threads():
    """evaluate and evaluate_with_unknowns of two policies, mixed in 16 threads, agree with alone."""
    graph = policy.load_policy(GRAPH)
    mini = policy.load_policy(MINI)
    scores = policy.compile_text(SCORES)

    tasks = []
    for i in range(24):
        edges = [(f"n{j}", f"n{j + 1}") for j in range(i % 7, i % 7 + 4)] + [(f"n{i}", "n0")]
        tasks.append((graph, "evaluate", ({"edge": edges, "start": [f"n{i % 5}"], "node": [f"n{k}" for k in range(12)]},)))
        tasks.append((scores, "evaluate", ({"member": ["li", "wang", f"p{i}"],
                                            "paid": [("li", 60), ("li", 50 + i), ("wang", i), (f"p{i}", 200)]},)))
        known = {"returnee": [()]} if i % 2 else {"has_hukou": [()]}
        if i % 3 == 0:
            known["card_by"] = [("self",)]
        possible = {"other_station_reason": [()], "has_id_card": [()], "card_by": [("self",), ("agent",)]}
        tasks.append((mini, "evaluate_with_unknowns", (known, possible)))
        tasks.append((mini, "evaluate", (known,)))
    random.Random(7).shuffle(tasks)

    def do(task):
        compiled, method, args = task
        return getattr(compiled, method)(*args)

    alone = [do(task) for task in tasks]
    assert len({json.dumps(sorted(map(str, a.items())) if isinstance(a, dict) else str(a)) for a in alone}) > 20

    barrier = threading.Barrier(16)

    def worker(index):
        barrier.wait()
        return [(position, do(tasks[position])) for position in range(index, len(tasks), 16)]

    for _ in range(3):
        with ThreadPoolExecutor(max_workers=16) as pool:
            together = dict(pair for chunk in pool.map(worker, range(16)) for pair in chunk)
        assert [together[position] for position in range(len(tasks))] == alone
    # and the threads left nothing behind for the next evaluation in this one
    assert [do(task) for task in tasks] == alone

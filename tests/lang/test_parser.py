"""The rule language: every construct parses to the AST an analyst would expect."""
from __future__ import annotations

import datetime
from decimal import Decimal

from policy.lang import ast
from policy.lang.parser import parse_text, unescape
from policy.lang.statements import split_statements
from policy.values import FALSE, TRUE, Day


def parse_one(text):
    statements, problems = parse_text(text, "t.pl")
    assert problems == []
    assert len(statements) == 1
    return statements[0]


def test_fact_and_rule_spanning_lines_keep_positions():
    statements, problems = parse_text("% header\nok.\np(X) :-\n    q(X),\n    r(X).\n", "t.pl")
    assert problems == []
    fact, rule = statements
    assert fact.is_fact and fact.head.predicate == "ok" and fact.head.arity == 0
    assert (rule.span.line, rule.span.column) == (3, 1)
    assert [(a.predicate, a.span.line, a.span.column) for a in rule.body] == [("q", 4, 5), ("r", 5, 5)]


def test_constants_of_every_kind():
    rule = parse_one('c(employee, "employee", 42, 3.25, 2026-01-31, true, false, "中文 \\"q\\"").')
    values = [a.value for a in rule.head.args]
    assert values == ["employee", "employee", 42, Decimal("3.25"), Day.of(datetime.date(2026, 1, 31)),
                      TRUE, FALSE, '中文 "q"']


def test_variables_and_anonymous():
    rule = parse_one("p(X, _y) :- q(X, _, _y).")
    x, y = rule.head.args
    assert isinstance(x, ast.Variable) and not x.anonymous
    assert y.name == "_y" and not y.anonymous
    assert rule.body[0].args[1].anonymous


def test_negation_comparison_and_arithmetic():
    rule = parse_one("p(X) :- q(X, D), not r(X), D + 30 >= 2026-01-01, X != -(2 * 3).")
    negation, comparison, inequality = rule.body[1:]
    assert isinstance(negation, ast.Negation) and negation.atom.predicate == "r"
    assert comparison.op == ">=" and isinstance(comparison.left, ast.BinaryOp)
    assert comparison.left.op == "+"
    assert inequality.op == "!=" and isinstance(inequality.right, ast.Negative)


def test_aggregates():
    rule = parse_one("n(P, N, S) :- person(P), N = count : { child(P, _) }, S = sum A : { pay(P, A) }.")
    count, total = rule.body[1:]
    assert count.right.op == "count" and count.right.value is None
    assert total.right.op == "sum" and total.right.value.name == "A"
    assert total.right.body[0].predicate == "pay"


def test_annotations_attach_to_the_next_statement():
    rule = parse_one('@id("r1")\n@source("returnee-guide II.1")\n@title(en: "Restore", zh: "恢复户口")\nok.')
    assert rule.rule_id == "r1"
    assert rule.annotation("title").text("zh") == "恢复户口"
    assert rule.annotation("title").text("en") == "Restore"
    assert rule.annotation("source").text() == "returnee-guide II.1"


def test_declarations_with_types_and_enums():
    declaration = parse_one('input works(kind: enum(employee, "part time"), since: date, note).')
    assert declaration.kind == "input" and declaration.predicate == "works"
    kind, since, note = declaration.params
    assert kind.type == ast.ParamType("enum", ("employee", "part time"))
    assert since.type.name == "date"
    assert note.type.name == "any"
    assert parse_one("derived eligible.").params == ()


def test_statement_split_ignores_dots_in_strings_comments_and_numbers():
    text = 'a("x. y"). % c. d\nb(1.5).\nc.'
    assert [c.text.strip() for c in split_statements(text)] == [
        'a("x. y").', '% c. d\nb(1.5).', "c."]


def test_syntax_errors_recover_at_the_next_statement():
    text = "ok.\nbad(X :- q.\nfine.\np(X) :- .\nalso_fine.\n"
    statements, problems = parse_text(text, "t.pl")
    assert [s.head.predicate for s in statements] == ["ok", "fine", "also_fine"]
    assert [(p.code, p.line) for p in problems] == [("syntax_error", 2), ("syntax_error", 4)]
    assert "expected" in problems[0].message
    assert problems[0].source_line == "bad(X :- q."


def test_missing_final_dot_is_reported_at_the_end():
    _, problems = parse_text("ok.\np(X) :- q(X)\n", "t.pl")
    assert [(p.code, p.line) for p in problems] == [("syntax_error", 2)]
    assert "'.'" in problems[0].message


def test_python_code_is_a_syntax_error():
    text = '__import__("os").system("touch /tmp/policylog_pwned").\nimport os.\n'
    statements, problems = parse_text(text, "t.pl")
    assert problems and all(p.code == "syntax_error" for p in problems)
    assert statements == [] or all(isinstance(s, ast.Rule) for s in statements)


def test_invalid_date_and_escape_are_syntax_errors():
    _, problems = parse_text('d(2026-02-30).\ns("\\q").\n', "t.pl")
    assert [(p.code, p.line) for p in problems] == [("syntax_error", 1), ("syntax_error", 2)]


def test_unescape_handles_unicode_escapes():
    assert unescape("a\\u4e2d\\n\\\\") == "a中\n\\"


def test_habits_of_other_languages_get_a_hint():
    cases = {
        "p(X) :- q(X), X == 3.": "equality is one '='",
        "p(X) :- q(X), X => 3.": "did you mean '>='?",
        "p(X) :- q(X), X =< 3.": "'at most' is written '<='",
        "p(X) :- q(X), X <> 3.": "'not equal' is '!='",
        "p(X) :- q(X); r(X).": "write one rule per alternative",
        "p(X) :- \\+ q(X), r(X).": "negation is written 'not q(X)'",
    }
    for text, hint in cases.items():
        _, problems = parse_text(text + "\n", "t.pl")
        assert len(problems) == 1 and hint in problems[0].message, (text, problems)
    _, plain = parse_text("p(X) :- q(X), X 3.\n", "t.pl")
    assert not plain[0].message.endswith(")")  # no habit here: no hint


def test_a_statement_that_does_not_parse_leaves_no_unused_warnings(tmp_path):
    import policy

    broken = tmp_path / "p.pl"
    broken.write_text("input q(v: integer).\ninput r(v: integer).\np(X) :- q(X), r(X)\n",
                      encoding="utf-8")
    diagnostics = policy.check_policy([broken])
    assert [d.code for d in diagnostics] == ["syntax_error"]

"""Static checks: each diagnostic code, and every problem reported at once."""
from __future__ import annotations

from pathlib import Path

import pytest

import policy

FIXTURES = Path(__file__).parents[1] / "fixtures"


def codes(text):
    """(code, line) of every diagnostic of a policy text."""
    program, syntax = policy.lang.loader.parse_source(text, "t.pl")
    return [(d.code, d.line) for d in list(syntax) + policy.check_program(program)]


def test_five_mistakes_give_five_diagnostics_at_their_lines():
    diagnostics = policy.check_policy([FIXTURES / "five_mistakes.pl"])
    errors = [(d.code, d.line) for d in diagnostics if d.is_error]
    assert errors == [
        ("undefined_predicate", 8),
        ("cyclic_negation", 9),
        ("unsafe_variable", 10),
        ("type_error", 11),
        ("arity_mismatch", 12),
    ]


def test_unsafe_variables():
    found = codes(
        "input q(x).\nderived a(x). derived b(x). derived c(x). derived d(x). derived e.\n"
        "a(X) :- q(Y).\n"          # head variable not bound
        "b(_) :- q(_).\n"          # anonymous in a head
        "c(X) :- q(X), not r(Y).\n"  # negated atom variable unbound
        "d(X) :- q(X), Y > 2.\n"     # comparison variable unbound
        "e :- q(X), N = count : { r(Z, Y) }, N > W.\n"
        "f(X).\n"                  # fact with a variable
        "input r(x, y).\n"
    )
    unsafe = [line for code, line in found if code == "unsafe_variable"]
    assert unsafe == [3, 4, 5, 6, 7, 8]


def test_assignment_binds_and_order_does_not_matter():
    assert codes("input q(x). derived p(x, y).\np(X, Y) :- Y = X + 1, q(X).") == []


def test_undefined_predicate_suggests_a_close_name():
    program, _ = policy.lang.loader.parse_source("input employee.\nderived ok.\nok :- employe.", "t.pl")
    (diagnostic,) = [d for d in policy.check_program(program) if d.is_error]
    assert diagnostic.code == "undefined_predicate"
    assert "did you mean 'employee'" in diagnostic.message


def test_cyclic_negation_through_recursion_and_aggregates():
    assert ("cyclic_negation", 2) in codes("input m(x, y).\nwin(X) :- m(X, Y), not win(Y).\nderived win(x).")
    text = "input e(x, y).\nderived n(x, c).\nn(X, C) :- e(X, _), C = count : { n(X, _) }."
    assert ("cyclic_negation", 3) in codes(text)


def test_stratified_negation_is_accepted():
    text = ("input e(x, y). input v(x). derived r(x). derived u(x).\n"
            "r(X) :- e(a, X). r(Y) :- r(X), e(X, Y).\nu(X) :- v(X), not r(X).")
    assert codes(text) == []


def test_type_errors_from_declarations():
    text = ('input works(kind: enum(employee, freelancer), since: date).\nderived ok.\n'
            'ok :- works(employe, D), D > 3.\n'
            'works(employee, "soon").\n')
    found = codes(text)
    assert found.count(("type_error", 3)) == 2
    assert ("type_error", 4) in found


def test_duplicate_ids_and_unknown_annotations():
    found = codes('@id("x") a.\n@id("x") b.\n@titel(en: "t") c.\n@title(fr: "t") d.\nderived a. derived b. derived c. derived d.')
    assert ("duplicate_id", 2) in found
    assert ("bad_annotation", 3) in found
    assert ("bad_annotation", 4) in found


def test_declaration_problems():
    found = codes("input p(x).\ninput p(y).\np(X) :- q(X).\ninput q(x, x).")
    assert ("bad_declaration", 2) in found
    assert ("bad_declaration", 1) in found  # input but derived by a rule
    assert ("bad_declaration", 4) in found


def test_warnings_for_unused_declarations_and_derivations():
    program, _ = policy.lang.loader.parse_source("input unused(x).\nhelper(1).\nresult(X) :- helper(X).", "t.pl")
    found = [(d.code, d.severity, d.line) for d in policy.check_program(program)]
    assert ("unused_declaration", "warning", 1) in found
    assert ("unused_derived", "warning", 3) in found


def test_compile_raises_with_every_diagnostic():
    with pytest.raises(policy.PolicyError) as raised:
        policy.compile_text("a(X) :- b(Y).\nc :- d.\n")
    error = raised.value
    assert error.code == "unsafe_variable"  # the first by position: X in a(X)
    assert (error.file, error.line, error.column) == ("<text>", 1, 3)
    assert {d.code for d in error.diagnostics} == {"undefined_predicate", "unsafe_variable"}
    assert all(d.code for d in error.diagnostics)


def test_syntax_error_raises_policy_syntax_error():
    with pytest.raises(policy.PolicySyntaxError) as raised:
        policy.compile_text("ok.\nbad(.\n")
    assert (raised.value.code, raised.value.line) == ("syntax_error", 2)

"""Fuzzing: random and mutated rule files and facts files through the parser, the checks and the
loaders. Whatever the input, the only exception that may come out is policy.PolicyError, and it
says where the problem is (the file, and the line when the problem is inside the file's text).

The mutations start from the bundled policy, the test fixtures and the example applicant files,
and delete, duplicate, swap, overwrite or insert spans, or truncate the text. What still parses
and checks cleanly is compiled and evaluated with empty facts. Each test is bounded (a few
hundred examples, no deadline); the whole file runs in well under a minute.

Every bug these tests found has its own deterministic test at the end of the file (all fixed).
"""
from __future__ import annotations

import atexit
import json
import math
import shutil
import tempfile
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import policy
from policy.inputs.applicant import fact_schema, load_applicant
from policy.inputs.facts import load_facts_file
from policy.lang.loader import parse_source
from policy.decide.plan import make_plan

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures"

RULE_SEEDS = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "policy" / "rules").glob("*.pl"))]
RULE_SEEDS.append("\n".join(RULE_SEEDS))  # the whole bundled policy as one file
RULE_SEEDS += [p.read_text(encoding="utf-8") for p in sorted(FIXTURES.glob("*.pl"))]
FACT_SEEDS = [p.read_text(encoding="utf-8") for p in sorted(FIXTURES.glob("*.yaml"))]
FACT_SEEDS += [p.read_text(encoding="utf-8") for p in sorted((ROOT / "facts").glob("*.yaml"))]
FACT_SEEDS.append(json.dumps({"edge": [["a", "b"], ["b", "c"]], "node": ["a", "b"], "start": ["a"]}))

GRAPH = policy.load_policy(FIXTURES / "graph.pl")
MINI = policy.load_policy(FIXTURES / "mini_policy.pl")
BUNDLED = policy.load_policy()
POLICIES = [GRAPH, MINI, BUNDLED]

RULE_ALPHABET = (
    "().,:-_%\"@{}=<>!+*/ \n\t"
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
    "申请人的就业情况您是否"
)
RULE_WORDS = [
    "not ", "input ", "derived ", "count", "sum ", "min ", "max ", "enum(", "string", "integer",
    "decimal", "date", "boolean", "true", "false", ":-", " :- ", ". ", ".\n", "_", "X", "Y",
    "2026-01-31", "0001-01-01", "9999-12-31", "3.25", "-1", "0", "1e5", "\"\"", "\"x y\"",
    "@id(\"x\")", "@title(en: \"a\", zh: \"b\")", "@source(", ": {", "}", "% comment\n", "\r\n",
    "\ufeff", "\x00", "\u2028", "len_", "sum_", "class", "lambda", "__class__", "_pyD_query",
]
FACT_ALPHABET = (
    "()[]{},:-_#&*!|>'\"%@?= \n\t.\\"
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
    "申请人的就业情况"
)
FACT_WORDS = [
    "true", "false", "yes", "no", "null", "~", ".nan", ".inf", "-.inf", "1e400", "1.0e400",
    "2026-01-31", "2026-02-30", "2026-01-31 10:00:00", "0x1F", "0o17", "1_000", "!!str ",
    "!!int ", "!!float ", "!!binary ", "!!python/object/apply:os.system ", "&a ", "*a", "<<: ",
    "- ", "[[]]", "{}", "---\n", "...\n", "? ", "\r\n", "\ufeff", "\t", "\x00", "\x85",
    "1" + "0" * 400, "\"\\u00e9\"", "'it''s'", "applicant: ", "edge: ", "start: ", "node: ",
]

FUZZ = settings(max_examples=200, deadline=None, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
FEW = settings(FUZZ, max_examples=100)


# --- mutations ----------------------------------------------------------------------------------


@st.composite
def mutated(draw, seeds, alphabet, words):
    """A seed text after one to five random edits."""
    text = draw(st.sampled_from(seeds))
    for _ in range(draw(st.integers(1, 5))):
        n = len(text)
        i = draw(st.integers(0, n))
        j = draw(st.integers(i, min(n, i + draw(st.sampled_from([1, 3, 10, 40, 200])))))
        kind = draw(st.sampled_from(
            ["delete", "duplicate", "swap", "insert", "insert_word", "overwrite", "truncate",
             "splice_seed"]))
        if kind == "delete":
            text = text[:i] + text[j:]
        elif kind == "duplicate":
            text = text[:j] + text[i:j] * draw(st.integers(1, 3)) + text[j:]
        elif kind == "swap":
            k = draw(st.integers(j, n))
            m = draw(st.integers(k, min(n, k + j - i + 5)))
            text = text[:i] + text[k:m] + text[j:k] + text[i:j] + text[m:]
        elif kind == "insert":
            text = text[:i] + draw(st.text(alphabet, min_size=1, max_size=8)) + text[i:]
        elif kind == "insert_word":
            text = text[:i] + draw(st.sampled_from(words)) + text[i:]
        elif kind == "overwrite":
            text = text[:i] + draw(st.text(alphabet, min_size=j - i, max_size=j - i)) + text[j:]
        elif kind == "truncate":
            text = text[:i]
        else:
            other = draw(st.sampled_from(seeds))
            k = draw(st.integers(0, len(other)))
            text = text[:i] + other[k:k + draw(st.integers(0, 300))] + text[i:]
    return text


def rule_texts():
    return mutated(RULE_SEEDS, RULE_ALPHABET, RULE_WORDS)


def fact_texts():
    return mutated(FACT_SEEDS, FACT_ALPHABET, FACT_WORDS)


scalars = st.one_of(
    st.none(), st.booleans(), st.integers(), st.integers(-10**450, 10**450),
    st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=12),
    st.sampled_from(["X", "a.b", "__class__", "_pyD_query", "len_", "lambda", "2026-01-31",
                     "import os", "", " ", "申请人", "a\x00b"]),
    st.dates(),
)
documents = st.recursive(
    scalars, lambda inner: st.lists(inner, max_size=5) | st.dictionaries(st.text(max_size=8), inner, max_size=5),
    max_leaves=30)
fact_names = st.sampled_from(["edge", "node", "start", "path", "reach", "returnee", "card_by",
                              "has_hukou", "applicant", "employment", "went_abroad_as", "nodee"])
fact_documents = st.dictionaries(fact_names, documents, max_size=6)
names = st.sampled_from(["a", "b", "c", "X", "a.b", "__class__", 1, 2])
# Documents shaped like a facts file of graph.pl: mostly right, sometimes not.
graph_documents = st.dictionaries(
    st.sampled_from(["edge", "node", "start"]),
    st.lists(st.one_of(names, scalars, st.lists(names | scalars, max_size=3),
                       st.lists(names, min_size=2, max_size=2)), max_size=5) | scalars,
    max_size=3)


def _schema_values(spec):
    if spec.is_flag or spec.type.name == "boolean":
        return st.booleans()
    return st.sampled_from(spec.type.values)


# Documents shaped like applicant files of the bundled policy and of mini_policy.pl.
_SPECS = {s.name: s for compiled in (MINI, BUNDLED) for s in fact_schema(compiled.program)}
applicant_documents = st.fixed_dictionaries(
    {"applicant": st.one_of(st.text(min_size=1, max_size=10), scalars)},
    optional={name: st.one_of(_schema_values(spec), st.lists(_schema_values(spec), max_size=3),
                              scalars, documents)
              for name, spec in _SPECS.items()})


# --- helpers ------------------------------------------------------------------------------------

_TMP = Path(tempfile.mkdtemp(prefix="policylog-fuzz-"))
atexit.register(shutil.rmtree, _TMP, ignore_errors=True)
_counter = iter(range(10**9))


def write(data, suffix: str) -> Path:
    """A fresh file holding `data` (text is written as UTF-8, bytes as they are)."""
    path = _TMP / f"case{next(_counter)}{suffix}"
    if isinstance(data, str):
        data = data.encode("utf-8", "surrogatepass")
    path.write_bytes(data)
    return path


def guarded(function, *args):
    """function(*args); a PolicyError is returned, anything else escapes."""
    try:
        return function(*args)
    except policy.PolicyError as problem:
        return problem


def assert_positioned(problem: policy.PolicyError, path) -> None:
    """Every diagnostic of a file's problem names the file; a syntax error, its line too."""
    assert problem.diagnostics
    assert problem.code in policy.CODES
    assert problem.file == str(path)
    for diagnostic in problem.diagnostics:
        assert diagnostic.code in policy.CODES
        assert diagnostic.file == str(path), diagnostic
        if diagnostic.code == "syntax_error":
            assert diagnostic.line >= 1 and diagnostic.column >= 1, diagnostic


def assert_facts_problem_positioned(problem: policy.PolicyError, path) -> None:
    assert_positioned(problem, path)
    for diagnostic in problem.diagnostics:
        unpositioned_ok = (
            diagnostic.code == "limit_exceeded"
            or diagnostic.message == "the file is empty"
        )
        if not unpositioned_ok:
            assert diagnostic.line >= 1, diagnostic


def assert_rule_diagnostics(diagnostics, name: str, text: str = "") -> None:
    """Each diagnostic names the file and a line and column; the source line shown is that line."""
    lines = [line.rstrip("\r") for line in text.split("\n")]
    for diagnostic in diagnostics:
        assert diagnostic.code in policy.CODES
        assert diagnostic.file == name, diagnostic
        assert 1 <= diagnostic.line <= max(1, len(lines)), diagnostic
        assert diagnostic.column >= 1, diagnostic
        if diagnostic.source_line:
            assert diagnostic.source_line == lines[diagnostic.line - 1], diagnostic


def through_the_rule_pipeline(text: str, name: str = "fuzz.pl") -> None:
    """Parse, check, compile and evaluate `text`: only PolicyError may come out."""
    parsed = guarded(parse_source, text, name)
    if parsed is None:
        return
    program, syntax = parsed
    assert_rule_diagnostics(syntax, name, text)
    checked = guarded(policy.check_program, program)
    if checked is None:
        return
    assert_rule_diagnostics(checked, name, text)
    compiled = guarded(policy.compile_text, text, name)
    if compiled is None:
        return
    errors = [d for d in list(syntax) + checked if d.is_error]
    if isinstance(compiled, policy.PolicyError):
        assert errors, "compile_text refused a program whose parse and check found no error"
        assert compiled.file == name and compiled.line >= 1
        return
    assert not errors, "compile_text accepted a program with errors"
    model = guarded(compiled.evaluate, {})
    if isinstance(model, dict):
        assert set(model) == set(compiled.predicates)


# --- rule files ---------------------------------------------------------------------------------


@FUZZ
@given(st.text(max_size=300))
def test_random_text_never_crashes_the_parser_or_the_checks(text):
    through_the_rule_pipeline(text)


@FUZZ
@given(st.text(RULE_ALPHABET + "\\\r\x00\ufeff", max_size=200))
def test_random_rule_language_characters_never_crash_the_pipeline(text):
    through_the_rule_pipeline(text)


@FUZZ
@given(st.lists(st.sampled_from(RULE_WORDS + list("(),.=<>+-*/:{}XYZpqr") + ["p(", "q(X)", "r(X, Y)"]),
                max_size=40).map("".join))
def test_token_soup_never_crashes_the_pipeline(text):
    through_the_rule_pipeline(text)


@FUZZ
@given(rule_texts())
def test_mutated_rule_files_parse_check_compile_and_evaluate_or_refuse_cleanly(text):
    through_the_rule_pipeline(text)


@FEW
@given(st.one_of(st.binary(max_size=400), rule_texts().map(lambda t: t.encode("utf-8", "surrogatepass")),
                 rule_texts().map(lambda t: t.encode("utf-16")),
                 rule_texts().map(lambda t: t.encode("latin-1", "replace"))))
def test_random_bytes_as_a_rule_file_give_diagnostics_or_a_positioned_file_error(data):
    path = write(data, ".pl")
    result = guarded(policy.check_policy, [path])
    if isinstance(result, policy.PolicyError):
        assert_positioned(result, path)
        if result.code == "file_error":
            assert result.line >= 1  # the line of the first byte that is not UTF-8
    elif result is not None:
        assert_rule_diagnostics(result, str(path), data.decode("utf-8-sig"))
        loaded = guarded(policy.load_policy, path)
        if isinstance(loaded, policy.PolicyError):
            assert_positioned(loaded, path)
            assert any(d.is_error for d in result)
        elif loaded is not None:
            assert not any(d.is_error for d in result)
            guarded(loaded.evaluate, {})


# --- facts and applicant files ------------------------------------------------------------------


def through_the_facts_loaders(path: Path) -> None:
    """The facts loader against each policy, and the applicant loader against each schema."""
    for compiled in POLICIES:
        facts = guarded(load_facts_file, compiled, path)
        if isinstance(facts, policy.PolicyError):
            assert_facts_problem_positioned(facts, path)
        elif facts is not None:
            model = guarded(compiled.evaluate, facts)
            if isinstance(model, policy.PolicyError):
                assert model.code in {"evaluation_error", "limit_exceeded"}, model
        applicant = guarded(load_applicant, path, fact_schema(compiled.program))
        if isinstance(applicant, policy.PolicyError):
            assert_facts_problem_positioned(applicant, path)
        elif applicant is not None:
            assert applicant.name
            plan = guarded(make_plan, compiled, applicant)
            if "procedure" in compiled.predicates:
                assert plan is not None and not isinstance(plan, policy.PolicyError), plan
            else:
                assert isinstance(plan, policy.PolicyError) and plan.code == "query_error"


@FUZZ
@given(fact_texts())
def test_mutated_facts_and_applicant_files_load_or_refuse_with_a_position(text):
    through_the_facts_loaders(write(text, ".yaml"))


@FEW
@given(st.binary(max_size=300))
def test_random_bytes_as_a_facts_file_load_or_refuse_with_a_position(data):
    through_the_facts_loaders(write(data, ".yaml"))


@FEW
@given(st.text(FACT_ALPHABET + "\r\ufeff", max_size=200))
def test_random_yaml_characters_as_a_facts_file_load_or_refuse_with_a_position(text):
    through_the_facts_loaders(write(text, ".yaml"))


@FEW
@given(st.one_of(fact_documents, graph_documents, applicant_documents), st.sampled_from(["yaml", "json"]))
def test_random_documents_as_facts_and_applicant_files(document, kind):
    if kind == "json":
        text = json.dumps(document, default=str, allow_nan=True)
    else:
        text = yaml.safe_dump(document, allow_unicode=True)
    through_the_facts_loaders(write(text, "." + kind))


@FEW
@given(st.lists(st.tuples(st.sampled_from(["edge", "node", "start"]),
                          st.lists(st.one_of(scalars, st.decimals()), min_size=0, max_size=3)),
                max_size=8))
def test_random_facts_through_the_api_evaluate_or_raise_facts_error(rows):
    facts = {}
    for name, row in rows:
        facts.setdefault(name, []).append(tuple(row))
    result = guarded(GRAPH.evaluate, facts)
    if isinstance(result, policy.PolicyError):
        assert result.code in {"facts_error", "evaluation_error"}
        for diagnostic in result.diagnostics:
            assert diagnostic.code in policy.CODES
    elif result is not None:
        assert set(result) == set(GRAPH.predicates)
        for name, given_rows in facts.items():
            if any(isinstance(v, float) and not math.isfinite(v) for row in given_rows for v in row):
                pytest.fail(f"a non-finite value was accepted: {given_rows!r}")


# --- bugs the fuzzing found, each a minimal reproduction, all fixed ------------------------------

SIMPLE = "input w(x). derived y(x).\n"


def only_policy_error(function, *args):
    try:
        function(*args)
    except policy.PolicyError:
        pass


def test_a_long_chain_of_unary_minus_is_refused_cleanly():
    only_policy_error(policy.compile_text, SIMPLE + "y(Z) :- w(X), Z = " + "-" * 1000 + "X.")


def test_a_long_sum_is_answered_or_refused_cleanly():
    only_policy_error(policy.compile_text, SIMPLE + "y(Z) :- w(X), Z = X" + " + 1" * 3000 + ".")


def test_deeply_nested_aggregates_are_refused_cleanly():
    body = "Z = " + "count : { w(_), A = " * 300 + "1" + " }" * 300
    only_policy_error(policy.compile_text, SIMPLE + f"y(Z) :- w(X), {body}.")


def test_an_integer_literal_of_5000_digits_is_refused_cleanly():
    only_policy_error(policy.compile_text, SIMPLE + "y(Z) :- w(X), Z = X + " + "9" * 5000 + ".")


def test_a_bad_unicode_escape_is_a_syntax_error():
    with pytest.raises(policy.PolicySyntaxError) as raised:
        policy.compile_text(SIMPLE + 'y(Z) :- w(Z), Z != "\\uZZZZ".', "escape.pl")
    assert raised.value.line == 2


def test_date_arithmetic_before_year_one_is_an_evaluation_error():
    compiled = policy.compile_text("derived y(d). y(D) :- D = 0001-01-01 - 1.")
    with pytest.raises(policy.EvaluationError):
        compiled.evaluate({})


def test_date_arithmetic_beyond_the_calendar_is_an_evaluation_error():
    compiled = policy.compile_text("derived y(d). y(D) :- D = 9999-12-31 + 1.")
    with pytest.raises(policy.EvaluationError):
        compiled.evaluate({})


def test_a_control_character_in_a_facts_file_is_reported_at_its_line(tmp_path):
    path = tmp_path / "facts.yaml"
    path.write_bytes(b"edge:\n  - [a, b]\nnode: [a\x07b]\n")
    with pytest.raises(policy.FactsError) as raised:
        load_facts_file(GRAPH, path)
    assert raised.value.file == str(path)
    assert raised.value.line == 3

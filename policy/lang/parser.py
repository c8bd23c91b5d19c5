"""Rule text -> AST, with a syntax error for every broken statement.

The text is split at the dots that end statements (statements.py) and each
statement is parsed on its own with the LALR grammar in grammar.lark; AstBuilder
turns lark's trees into the dataclasses of ast.py. A mistake therefore costs
only its own statement: parsing goes on at the next one, and every syntax error
in a file is reported at once.
Nothing here evaluates text; strings are unescaped by a small table.
"""
from __future__ import annotations

import functools
import re
from pathlib import Path

from policy.deferred import defer

# lark imports these for its own cache of tables (a pickle in a temporary folder), which
# policylog never uses (see _parser): they load on first use, by anyone (about 6 ms)
defer(("getpass", "pickle", "tempfile"))

from lark import Lark, Token, Transformer, v_args  # noqa: E402 (after the deferral)
from lark.exceptions import (UnexpectedCharacters, UnexpectedInput,  # noqa: E402
                             UnexpectedToken, VisitError)

from policy.lang import ast
from policy.lang.statements import Chunk, has_code, split_statements
from policy.errors import Diagnostic, error_at
from policy.values import FALSE, TRUE, ValueProblem, parse_date, parse_decimal, type_of

# The LALR tables are built once per user and kept as signed JSON (grammar_cache.py: lark's
# own cache is a pickle, and unpickling a file from a folder is running whatever code it
# holds); read back in a few hundredths of a second instead of built in about 0.2 s. Needed
# only when a text is not in the parsed-file cache (parse_cache.py): so on the first parse,
# not on import.
@functools.lru_cache(maxsize=None)
def _parser() -> Lark:
    from policy.lang.grammar_cache import parser

    return parser(Path(__file__).with_name("grammar.lark"), start=["program", "statement"],
                  parser="lalr", propagate_positions=True, cache=False)


READABLE_TERMINALS = {
    "DOT": "'.'", "COMMA": "','", "LPAR": "'('", "RPAR": "')'", "LBRACE": "'{'",
    "RBRACE": "'}'", "COLON": "':'", "IF": "':-'", "AT": "'@'", "NAME": "a lowercase name",
    "VARIABLE": "a variable", "STRING": "a string", "INT": "an integer",
    "DECIMAL": "a decimal", "DATE": "a date", "CMP_OP": "a comparison",
    "PLUS": "'+'", "MINUS": "'-'", "STAR": "'*'", "SLASH": "'/'", "NOT": "'not'",
    "TRUE": "'true'", "FALSE": "'false'", "$END": "the end of the statement",
}


def parse_text(text: str, file: str = "<text>") -> tuple:
    """Parse a whole rule file: (statements, diagnostics).

    The whole text is parsed at once; only when that fails is it parsed a
    statement at a time, to find and report every broken statement.
    """
    lines = source_lines(text)
    whole = _parse_whole(text, file, lines)
    if whole is not None:
        return whole
    statements, diagnostics = [], []
    for chunk in split_statements(text):
        if not has_code(chunk.text):
            continue
        statement, problems = _parse_chunk(chunk, file, lines)
        diagnostics.extend(problems)
        if statement is not None:
            statements.append(statement)
    return statements, diagnostics


MAX_DIGITS = 1000
MAX_NESTING = 100  # tree levels in one statement: deeper is refused before any recursion


def source_lines(text: str) -> list:
    """The text's lines as the parser counts them: split at \\n only (a form feed is no line end)."""
    return [line.rstrip("\r") for line in text.split("\n")]


def _too_deep(tree, limit: int = MAX_NESTING):
    """The first subtree deeper than `limit` levels (found without recursion), or None."""
    stack = [(tree, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > limit:
            return node
        stack.extend((child, depth + 1) for child in getattr(node, "children", ()) if child is not None
                     and hasattr(child, "children"))
    return None


def _parse_whole(text: str, file: str, lines: list):
    """(statements, problems) when the whole text parses, else None."""
    builder = AstBuilder(file, 1, 1, lines)
    try:
        tree = _parser().parse(text, start="program")
        if _too_deep(tree) is not None:
            return None
        statements = builder.transform(tree)
    except (UnexpectedInput, VisitError, RecursionError):
        return None
    return statements, builder.problems


def _parse_chunk(chunk: Chunk, file: str, lines: list):
    builder = AstBuilder(file, chunk.line, chunk.column, lines)
    try:
        tree = _parser().parse(chunk.text, start="statement")
        deep = _too_deep(tree)
        if deep is not None:
            span = builder.span(deep.meta) if hasattr(deep, "meta") else builder.span_at(1, 1)
            message = f"the statement is nested more than {MAX_NESTING} levels deep"
            return None, [error_at("syntax_error", message, span, builder.source_line(span.line))]
        statement = builder.transform(tree)
    except UnexpectedInput as problem:
        return None, [_syntax_diagnostic(problem, builder, chunk)]
    except RecursionError:
        span = builder.span_at(1, 1)
        message = "the statement is nested too deeply"
        return None, [error_at("syntax_error", message, span, builder.source_line(span.line))]
    except VisitError as wrapped:
        if isinstance(wrapped.orig_exc, SyntaxProblem):
            return None, [wrapped.orig_exc.diagnostic]
        raise
    return statement, builder.problems


def _syntax_diagnostic(problem: UnexpectedInput, builder: "AstBuilder", chunk: Chunk) -> Diagnostic:
    line = getattr(problem, "line", 1) or 1
    column = getattr(problem, "column", 1) or 1
    if isinstance(problem, UnexpectedToken) and problem.token.type == "$END":
        line, column = _end_of(chunk.text)
        message = "the statement is not finished (a '.' is missing?)"
    elif isinstance(problem, UnexpectedToken):
        message = f"unexpected {_describe_token(problem.token)}; expected {_expected(problem.expected)}"
        if line > 1 and not chunk.text.split("\n")[line - 1][: column - 1].strip():
            message += " (is the statement before it missing a ')' or its final '.'?)"
    elif isinstance(problem, UnexpectedCharacters):
        char = chunk.text[problem.pos_in_stream] if problem.pos_in_stream < len(chunk.text) else "?"
        message = f"unexpected character {char!r}; expected {_expected(problem.allowed)}"
    else:
        message = "invalid syntax"
    message += _habit_hint(chunk.text, line, column)
    span = builder.span_at(line, column)
    return error_at("syntax_error", message, span, builder.source_line(span.line))


# What analysts bring from Prolog, Python or SQL, as (text before, text at the error): hint
_HABITS = (
    ("=", "=", "equality is one '=': X = 3"),
    ("=", ">", "did you mean '>='?"),
    ("=", "<", "'at most' is written '<=', not Prolog's '=<'"),
    ("<", ">", "'not equal' is '!='"),
    ("", ";", "a rule body has no 'or': write one rule per alternative"),
    ("", "\\+", "negation is written 'not q(X)'"),
    ("", "|", "a rule body has no 'or': write one rule per alternative"),
)


def _habit_hint(text: str, line: int, column: int) -> str:
    """A hint for a syntax error that is a habit of another language (`==`, `=<`, `;`,
    `\\+`), else ""."""
    lines = text.split("\n")
    if not 0 < line <= len(lines):
        return ""
    before, at = lines[line - 1][: column - 1].rstrip(), lines[line - 1][column - 1:]
    for previous, here, hint in _HABITS:
        if at.startswith(here) and before.endswith(previous):
            return f" ({hint})"
    return ""


def _end_of(text: str) -> tuple:
    stripped = re.sub(r"%[^\n]*", lambda m: " " * len(m.group()), text).rstrip()
    before = stripped.split("\n")
    return len(before), len(before[-1]) + 1


def _describe_token(token: Token) -> str:
    return f"{token.value!r}" if token.value else READABLE_TERMINALS.get(token.type, token.type)


def _expected(names) -> str:
    readable = sorted({READABLE_TERMINALS.get(n, _keyword(n)) for n in names})
    if len(readable) > 6:
        readable = readable[:6] + ["..."]
    return " or ".join(readable) if readable else "something else"


def _keyword(terminal: str) -> str:
    names = {t.name for t in _parser().terminals}
    pattern = _parser().get_terminal(terminal).pattern if terminal in names else None
    if pattern is not None and pattern.type == "str":
        return repr(pattern.value)
    return terminal.lower()


class SyntaxProblem(Exception):
    """A statement that parses but is not well formed (raised inside the transformer)."""

    def __init__(self, diagnostic: Diagnostic):
        super().__init__(diagnostic.message)
        self.diagnostic = diagnostic


_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\"}


def unescape(body: str) -> str:
    """Decode the escapes of a string literal (without its quotes)."""

    def replace(match: re.Match) -> str:
        high, low, escape = match.groups()
        if high:  # a surrogate pair: one character beyond the first 65,536
            return chr(0x10000 + (int(high, 16) - 0xD800) * 0x400 + int(low, 16) - 0xDC00)
        if len(escape) == 5:  # u and four hex digits
            code = int(escape[1:], 16)
            if 0xD800 <= code <= 0xDFFF:
                raise ValueProblem(f"'\\{escape}' is half of a surrogate pair, not a character")
            return chr(code)
        if escape in _ESCAPES:
            return _ESCAPES[escape]
        raise ValueProblem(f"unknown escape '\\{escape}' in a string")

    if _SURROGATE.search(body):  # only a command line can hand us one (bytes not UTF-8)
        raise ValueProblem("the string holds a byte that is not UTF-8 text")
    return _ESCAPE.sub(replace, body)


_SURROGATE = re.compile("[\ud800-\udfff]")


_ESCAPE = re.compile(r"\\(?:u([dD][89abAB][0-9a-fA-F]{2})\\u([dD][c-fC-F][0-9a-fA-F]{2})"
                     r"|(u[0-9a-fA-F]{4}|.))")


@v_args(meta=True)
class AstBuilder(Transformer):
    """Builds ast nodes, shifting chunk positions to file positions."""

    def __init__(self, file: str, base_line: int, base_column: int, lines: list):
        super().__init__()
        self.file, self.base_line, self.base_column, self.lines = file, base_line, base_column, lines
        self.problems = []

    # -- positions ---------------------------------------------------------
    def span_at(self, line: int, column: int) -> ast.Span:
        if line == 1:
            return ast.Span(self.file, self.base_line, column + self.base_column - 1)
        return ast.Span(self.file, self.base_line + line - 1, column)

    def span(self, meta) -> ast.Span:
        return self.span_at(getattr(meta, "line", 1), getattr(meta, "column", 1))

    def token_span(self, token: Token) -> ast.Span:
        return self.span_at(token.line, token.column)

    def source_line(self, line: int) -> str:
        return self.lines[line - 1] if 0 < line <= len(self.lines) else ""

    def fail(self, message: str, span: ast.Span):
        raise SyntaxProblem(error_at("syntax_error", message, span, self.source_line(span.line)))

    # -- statements --------------------------------------------------------
    def program(self, meta, children):
        return list(children)

    def statement(self, meta, children):
        *annotations, body = children
        if isinstance(body, ast.Rule):
            return ast.Rule(body.head, body.body, tuple(annotations), body.span)
        return ast.Declaration(body.kind, body.predicate, body.params, tuple(annotations), body.span)

    def rule(self, meta, children):
        head, body = children
        self._check_aggregates(body)
        return ast.Rule(head, tuple(body), (), self.span(meta))

    def fact(self, meta, children):
        return ast.Rule(children[0], (), (), self.span(meta))

    def annotation(self, meta, children):
        name, *args = children
        args = [a for a in args if a is not None]
        positional = tuple(a for a in args if isinstance(a, str))
        keywords = tuple(a for a in args if isinstance(a, tuple))
        return ast.Annotation(str(name), positional, keywords, self.span(meta))

    def ann_positional(self, meta, children):
        return self._string(children[0])

    def ann_keyword(self, meta, children):
        return (str(children[0]), self._string(children[1]))

    def declaration(self, meta, children):
        kind, name, *params = children
        params = tuple(p for p in params if p is not None)
        return ast.Declaration(kind, str(name), params, (), self.span(meta))

    def decl_kind(self, meta, children):
        return str(children[0])

    def param(self, meta, children):
        name, param_type = children
        return ast.Param(str(name), param_type or ast.ParamType("any"), self.span(meta))

    def simple_type(self, meta, children):
        return ast.ParamType(children[0])

    def type_name(self, meta, children):
        return str(children[0])

    def enum_type(self, meta, children):
        return ast.ParamType("enum", tuple(children))

    def enum_value(self, meta, children):
        token = children[0]
        return self._string(token) if token.type == "STRING" else str(token)

    # -- bodies ------------------------------------------------------------
    def body(self, meta, children):
        return list(children)

    def atom(self, meta, children):
        name, *args = children
        args = tuple(a for a in args if a is not None)
        self._no_aggregate(*args)
        return ast.Atom(str(name), args, self.token_span(name))

    def negation(self, meta, children):
        return ast.Negation(children[0], self.span(meta))

    def comparison(self, meta, children):
        left, op, right = children
        if isinstance(left, ast.Aggregate):
            self.fail("an aggregate goes on the right of '=': write 'N = count : { ... }'", left.span)
        return ast.Comparison(str(op), left, right, self.span(meta))

    def aggregate(self, meta, children):
        op, *rest = children
        value, body = (None, rest[0]) if len(rest) == 1 else rest
        return ast.Aggregate(op, value, tuple(body), self.span(meta))

    def count_op(self, meta, children):
        return "count"

    def value_op(self, meta, children):
        return str(children[0])

    def binary(self, meta, children):
        left, op, right = children
        self._no_aggregate(left, right)
        return ast.BinaryOp(str(op), left, right, self.span(meta))

    def negative(self, meta, children):
        operand = children[-1]
        self._no_aggregate(operand)
        if isinstance(operand, ast.Constant) and type_of(operand.value) in ("integer", "decimal"):
            return ast.Constant(-operand.value, self.span(meta))
        return ast.Negative(operand, self.span(meta))

    def _check_aggregates(self, body):
        for literal in body:
            if isinstance(literal, ast.Comparison) and isinstance(literal.right, ast.Aggregate):
                if literal.op != "=" or not isinstance(literal.left, ast.Variable):
                    self.fail("an aggregate needs a variable and '=' on its left", literal.span)
                for inner in literal.right.body:
                    if isinstance(inner, ast.Comparison) and isinstance(inner.right, ast.Aggregate):
                        self.fail("aggregates cannot be nested", inner.span)

    def _no_aggregate(self, *operands):
        for operand in operands:
            if isinstance(operand, ast.Aggregate):
                self.fail("an aggregate stands alone on the right of '='", operand.span)

    # -- terms -------------------------------------------------------------
    def variable(self, meta, children):
        return ast.Variable(str(children[0]), self.token_span(children[0]))

    def name_constant(self, meta, children):
        return ast.Constant(str(children[0]), self.token_span(children[0]))

    def string_constant(self, meta, children):
        return ast.Constant(self._string(children[0]), self.token_span(children[0]))

    def int_constant(self, meta, children):
        token = children[0]
        if len(token) > MAX_DIGITS:
            self.fail(f"an integer of {len(token)} digits is too long (at most {MAX_DIGITS})",
                      self.token_span(token))
        return ast.Constant(int(token), self.token_span(token))

    def decimal_constant(self, meta, children):
        return ast.Constant(parse_decimal(str(children[0])), self.token_span(children[0]))

    def date_constant(self, meta, children):
        token = children[0]
        try:
            return ast.Constant(parse_date(str(token)), self.token_span(token))
        except ValueProblem as problem:
            self.fail(str(problem), self.token_span(token))

    def true_constant(self, meta, children):
        return ast.Constant(TRUE, self.span(meta))

    def false_constant(self, meta, children):
        return ast.Constant(FALSE, self.span(meta))

    def _string(self, token: Token) -> str:
        try:
            return unescape(str(token)[1:-1])
        except ValueProblem as problem:
            self.fail(str(problem), self.token_span(token))

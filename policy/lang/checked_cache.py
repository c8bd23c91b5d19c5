"""A per-user cache of whole checked policies: their statements and the check's warnings.

Why: a cold `policylog query` read the bundled policy's four files from the parse cache
(parse_cache.py: 335 KB of JSON, 3,144 nodes decoded and shape-checked one generic step
at a time) and then ran every static check on it again, about a tenth of the command's
own work. A policy that loaded once without errors is the same policy the next time its
files hold the same text: this keeps one entry per policy, in a compact form read by a
decoder made for it, with the warnings its check found, so loading it runs no check.

The key is made of this module's VERSION, policylog's own source files (their names,
sizes and times: private_folder.code_fingerprint, so changed checks or parser miss), the
grammar, and the policy's files in order, each name with its whole text. An entry is
untrusted input, as in parse_cache.py: it is read only from the user's private folder,
only when its HMAC signature verifies, and only as JSON rebuilt by a decoder that checks
its whole shape: every node an array of one known tag with exactly its fields, of their
kinds, every span naming one of the policy's files, every warning a warning of a known
code. Anything else (an altered or planted file, a wrong shape, a nest too deep for the
decoder) is a miss, and the policy is parsed and checked as if nothing were cached.
Reading it runs no code: no pickle, only the AST classes, built from plain values.

The form: a node is ``[tag, field, ..., span]`` with a span ``[file index, line, column]``;
a tuple of nodes is an array; a constant's value is written as parse_cache writes it.
"""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

from policy.errors import CODES, WARNING, Diagnostic, Span
from policy.lang import ast
from policy.lang.parse_cache import BadEntry, decode_value, encode
from policy.lang.private_folder import (cache_folder, code_fingerprint, read_signed_json,
                                         write_signed)

VERSION = "1"
MAX_ENTRY_BYTES = 64 * 1024 * 1024
_GRAMMAR = Path(__file__).with_name("grammar.lark")


def _key(sources: dict) -> str:
    digest = hashlib.sha256()
    parts = (VERSION, code_fingerprint(), _GRAMMAR.read_text(encoding="utf-8"),
             *(piece for file, text in sources.items() for piece in (file, text)))
    for part in parts:
        digest.update(part.encode("utf-8", "surrogatepass"))
        digest.update(b"\0")
    return digest.hexdigest()


def _entry(sources: dict):
    folder = cache_folder()
    return None if folder is None else (folder, f"checked-{_key(sources)}.json")


def load(sources: dict):
    """(statements, warnings) of the policy whose files hold `sources` ({file: text}, in
    order) when it was checked before, else None."""
    entry = _entry(sources)
    if entry is None:
        return None
    return read_signed_json(*entry, MAX_ENTRY_BYTES, _Decoder(list(sources)).entry)


def store(sources: dict, statements: list, warnings: list) -> None:
    """Remember a policy that loaded without errors, with its check's warnings (best effort)."""
    entry = _entry(sources)
    if entry is None:
        return
    files = {file: index for index, file in enumerate(sources)}
    try:
        data = {"statements": [_encode(s, files) for s in statements],
                "warnings": [[d.code, d.severity, d.message, d.file, d.line, d.column,
                              d.source_line] for d in warnings]}
        body = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    except (TypeError, ValueError, KeyError, RecursionError):  # nothing this form can hold
        return
    write_signed(*entry, body)


def _encode(node, files: dict) -> list:
    """The compact form of an AST node: what _Decoder reads back (TypeError, KeyError: a
    node this form cannot hold, and nothing is stored)."""
    span = [files[node.span.file], node.span.line, node.span.column]
    kind = type(node)
    if kind is ast.Variable:
        return ["v", node.name, span]
    if kind is ast.Constant:
        return ["c", encode(node.value), span]
    if kind is ast.BinaryOp or kind is ast.Comparison:
        tag = "b" if kind is ast.BinaryOp else "k"
        return [tag, node.op, _encode(node.left, files), _encode(node.right, files), span]
    if kind is ast.Negative:
        return ["n", _encode(node.operand, files), span]
    if kind is ast.Aggregate:
        inner = None if node.value is None else _encode(node.value, files)
        return ["g", node.op, inner, _all(node.body, files), span]
    if kind is ast.Atom:
        return ["a", node.predicate, _all(node.args, files), span]
    if kind is ast.Negation:
        return ["~", _encode(node.atom, files), span]
    if kind is ast.Annotation:
        return ["@", node.name, list(node.positional), [list(pair) for pair in node.keywords],
                span]
    if kind is ast.Rule:
        return ["r", _encode(node.head, files), _all(node.body, files),
                _all(node.annotations, files), span]
    if kind is ast.Param:
        return ["p", node.name, [node.type.name, [encode(v) for v in node.type.values]], span]
    if kind is ast.Declaration:
        return ["d", node.kind, node.predicate, _all(node.params, files),
                _all(node.annotations, files), span]
    raise TypeError(f"cannot cache a {kind.__name__}")


def _all(nodes, files: dict) -> list:
    return [_encode(node, files) for node in nodes]


_EXPR = frozenset("vcbng")
_LITERAL = frozenset("a~k")
_STATEMENT = frozenset("rd")


class _Decoder:
    """Rebuilds an entry, checking every node's shape as it goes (BadEntry at the first
    thing that is not what `store` writes)."""

    def __init__(self, files: list):
        self.files = files
        self.build = {"v": self.variable, "c": self.constant, "b": self.binary,
                      "n": self.negative, "g": self.aggregate, "a": self.atom,
                      "~": self.negation, "k": self.comparison, "r": self.rule,
                      "d": self.declaration}

    def entry(self, data) -> tuple:
        if type(data) is not dict or set(data) != {"statements", "warnings"}:
            raise BadEntry("an entry holds statements and warnings")
        return ([self.node(item, _STATEMENT) for item in _array(data["statements"])],
                [self.warning(item) for item in _array(data["warnings"])])

    def warning(self, value) -> Diagnostic:
        code, severity, message, file, line, column, source_line = _fields(value, 7)
        if code not in CODES or severity != WARNING:
            raise BadEntry("a warning of a known code")
        return Diagnostic(code, severity, _text(message), _text(file), _count(line),
                          _count(column), _text(source_line))

    def node(self, value, tags: frozenset):
        if type(value) is not list or not value or type(value[0]) is not str \
                or value[0] not in tags:
            raise BadEntry(f"expected a node tagged one of {sorted(tags)}")
        return self.build[value[0]](value)

    def many(self, value, tags: frozenset) -> tuple:
        return tuple(self.node(item, tags) for item in _array(value))

    def span(self, value) -> Span:
        index, line, column = _fields(value, 3)
        if type(index) is not int or not 0 <= index < len(self.files):
            raise BadEntry("a span names one of the policy's files")
        return Span(self.files[index], _count(line), _count(column))

    def variable(self, value):
        _, name, span = _fields(value, 3)
        return ast.Variable(_text(name), self.span(span))

    def constant(self, value):
        _, constant, span = _fields(value, 3)
        return ast.Constant(decode_value(constant), self.span(span))

    def binary(self, value):
        _, op, left, right, span = _fields(value, 5)
        return ast.BinaryOp(_text(op), self.node(left, _EXPR), self.node(right, _EXPR),
                            self.span(span))

    def negative(self, value):
        _, operand, span = _fields(value, 3)
        return ast.Negative(self.node(operand, _EXPR), self.span(span))

    def aggregate(self, value):
        _, op, inner, body, span = _fields(value, 5)
        inner = None if inner is None else self.node(inner, _EXPR)
        return ast.Aggregate(_text(op), inner, self.many(body, _LITERAL), self.span(span))

    def atom(self, value):
        _, predicate, args, span = _fields(value, 4)
        return ast.Atom(_text(predicate), self.many(args, _EXPR), self.span(span))

    def negation(self, value):
        _, atom, span = _fields(value, 3)
        return ast.Negation(self.node(atom, frozenset("a")), self.span(span))

    def comparison(self, value):
        _, op, left, right, span = _fields(value, 5)
        return ast.Comparison(_text(op), self.node(left, _EXPR), self.node(right, _EXPR),
                              self.span(span))

    def annotation(self, value):
        if type(value) is not list or len(value) != 5 or value[0] != "@":
            raise BadEntry("expected an annotation")
        _, name, positional, keywords, span = value
        pairs = tuple(tuple(_text(part) for part in _fields(pair, 2)) for pair in _array(keywords))
        return ast.Annotation(_text(name), tuple(_text(t) for t in _array(positional)), pairs,
                              self.span(span))

    def rule(self, value):
        _, head, body, annotations, span = _fields(value, 5)
        return ast.Rule(self.node(head, frozenset("a")), self.many(body, _LITERAL),
                        tuple(self.annotation(a) for a in _array(annotations)), self.span(span))

    def param(self, value):
        tag, name, kind, span = _fields(value, 4)
        if tag != "p":
            raise BadEntry("expected a parameter")
        type_name, values = _fields(kind, 2)
        param_type = ast.ParamType(_text(type_name), tuple(decode_value(v) for v in _array(values)))
        return ast.Param(_text(name), param_type, self.span(span))

    def declaration(self, value):
        _, kind, predicate, params, annotations, span = _fields(value, 6)
        return ast.Declaration(_text(kind), _text(predicate),
                               tuple(self.param(p) for p in _array(params)),
                               tuple(self.annotation(a) for a in _array(annotations)),
                               self.span(span))


def _array(value) -> list:
    if type(value) is not list:
        raise BadEntry("expected an array")
    return value


def _fields(value, count: int) -> list:
    if type(value) is not list or len(value) != count:
        raise BadEntry(f"expected an array of {count}")
    return value


def _text(value) -> str:
    if type(value) is not str:
        raise BadEntry("expected a string")
    return value


def _count(value) -> int:
    if type(value) is not int or value < 0:
        raise BadEntry("expected a line or column number")
    return value

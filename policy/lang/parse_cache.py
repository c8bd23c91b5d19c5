"""A per-user cache of parsed rule files, so a cold command skips lark altogether.

A file's statements are stored as JSON under a key made of its name and text,
the grammar, this module's VERSION and policylog's own source files (their
names, sizes and times: private_folder.code_fingerprint); a changed file,
grammar or parser simply misses. An entry is untrusted input: it is read only from the user's private
folder and only when its HMAC signature verifies (private_folder.py), and then
rebuilt by a decoder that checks its whole shape against SCHEMA: every node of
a known class with exactly its fields, every field of the kind it must be,
nesting bounded. Anything else (a wrong shape, a deep nest, an altered or
planted file) is ignored and the file is parsed again. Reading the cache runs
no code: no pickle, only the AST classes listed here, built from plain values.
"""
from __future__ import annotations

import dataclasses
import hashlib
import json
import math
from decimal import Decimal, InvalidOperation
from pathlib import Path

from policy.lang import ast
from policy.lang.private_folder import (cache_folder, code_fingerprint, read_signed_json,
                                         write_signed)
from policy.values import Day, Truth, truth

VERSION = "3"  # 2: booleans are values.Truth, dates values.Day (not ints); 3: signed entries
MAX_ENTRY_BYTES = 64 * 1024 * 1024
MAX_DEPTH = 400  # JSON levels of one entry (the parser refuses statements nested > 100 levels)
_GRAMMAR = Path(__file__).with_name("grammar.lark")

# What each field of each AST class may hold. A kind is a class name, a frozenset of
# class names, or one of the plain kinds below; ("tuple", kind) and
# ("optional", kind) wrap a kind.
EXPR = frozenset({"Variable", "Constant", "BinaryOp", "Negative", "Aggregate"})
LITERAL = frozenset({"Atom", "Negation", "Comparison"})
SCHEMA = {
    "Span": {"file": "str", "line": "count", "column": "count"},
    "Variable": {"name": "str", "span": "Span"},
    "Constant": {"value": "value", "span": "Span"},
    "BinaryOp": {"op": "str", "left": EXPR, "right": EXPR, "span": "Span"},
    "Negative": {"operand": EXPR, "span": "Span"},
    "Aggregate": {"op": "str", "value": ("optional", EXPR), "body": ("tuple", LITERAL),
                  "span": "Span"},
    "Atom": {"predicate": "str", "args": ("tuple", EXPR), "span": "Span"},
    "Negation": {"atom": "Atom", "span": "Span"},
    "Comparison": {"op": "str", "left": EXPR, "right": EXPR, "span": "Span"},
    "Annotation": {"name": "str", "positional": ("tuple", "str"),
                   "keywords": ("tuple", ("pair", "str")), "span": "Span"},
    "Rule": {"head": "Atom", "body": ("tuple", LITERAL), "annotations": ("tuple", "Annotation"),
             "span": "Span"},
    "ParamType": {"name": "str", "values": ("tuple", "value")},
    "Param": {"name": "str", "type": "ParamType", "span": "Span"},
    "Declaration": {"kind": "str", "predicate": "str", "params": ("tuple", "Param"),
                    "annotations": ("tuple", "Annotation"), "span": "Span"},
}
STATEMENT = frozenset({"Rule", "Declaration"})
_CLASSES = {name: getattr(ast, name) for name in SCHEMA}


class BadEntry(ValueError):
    """A cache entry that is not what this version writes."""


def _key(text: str, file: str) -> str:
    digest = hashlib.sha256()
    for part in (VERSION, code_fingerprint(), _GRAMMAR.read_text(encoding="utf-8"), file, text):
        digest.update(part.encode("utf-8", "surrogatepass"))
        digest.update(b"\0")
    return digest.hexdigest()


def load(text: str, file: str):
    """The cached statements of a file's text, or None (no entry, or one not to be believed)."""
    folder = cache_folder()
    if folder is None:
        return None
    return read_signed_json(folder, f"ast-{_key(text, file)}.json", MAX_ENTRY_BYTES,
                            decode_statements)


def store(text: str, file: str, statements: list) -> None:
    """Remember the statements of a file that parsed without errors (best effort)."""
    folder = cache_folder()
    if folder is None:
        return
    try:
        body = json.dumps([encode(s) for s in statements], ensure_ascii=False)
        data = body.encode("utf-8")
    except (TypeError, ValueError, RecursionError):  # a value this cache cannot hold
        return
    write_signed(folder, f"ast-{_key(text, file)}.json", data)


def encode(value):
    if dataclasses.is_dataclass(value):
        return {"t": type(value).__name__,
                "f": {f.name: encode(getattr(value, f.name)) for f in dataclasses.fields(value)}}
    if isinstance(value, Day):
        return {"day": value.ordinal}
    if isinstance(value, Truth):
        return {"truth": value.value}
    if isinstance(value, Decimal):
        return {"dec": str(value)}
    if isinstance(value, tuple):
        return {"tuple": [encode(v) for v in value]}
    if isinstance(value, list):
        return [encode(v) for v in value]
    if value is None or isinstance(value, (bool, int, str)):
        return value
    raise TypeError(f"cannot cache a {type(value).__name__}")


def decode_statements(data) -> list:
    """The statements of an entry; BadEntry unless it is a list of well-formed statements."""
    if not isinstance(data, list):
        raise BadEntry("an entry is a list of statements")
    return [decode(item, STATEMENT) for item in data]


def decode(value, kind=STATEMENT, depth: int = 0):
    """`value` rebuilt as `kind` (see SCHEMA); BadEntry when it is anything else."""
    if depth > MAX_DEPTH:
        raise BadEntry("nested too deeply")
    if isinstance(kind, tuple):
        return _decode_wrapped(value, kind, depth)
    if kind in _PLAIN:
        return _PLAIN[kind](value)
    names = {kind} if isinstance(kind, str) else kind
    return _decode_node(value, names, depth)


def _decode_node(value, names: set, depth: int):
    if not isinstance(value, dict) or set(value) != {"t", "f"} or not isinstance(value["t"], str) \
            or value["t"] not in names:  # a list there is unhashable: a TypeError, not a miss
        raise BadEntry(f"expected one of {sorted(names)}")
    fields, spec = value["f"], SCHEMA[value["t"]]
    if not isinstance(fields, dict) or set(fields) != set(spec):
        raise BadEntry(f"a {value['t']} has the fields {sorted(spec)}")
    return _CLASSES[value["t"]](**{name: decode(fields[name], spec[name], depth + 1)
                                   for name in spec})


def _decode_wrapped(value, kind: tuple, depth: int):
    wrapper, inner = kind
    if wrapper == "optional":
        return None if value is None else decode(value, inner, depth + 1)
    if wrapper == "pair":
        if not isinstance(value, dict) or set(value) != {"tuple"} or \
                not isinstance(value["tuple"], list) or len(value["tuple"]) != 2:
            raise BadEntry("expected a pair")
        return tuple(decode(item, inner, depth + 1) for item in value["tuple"])
    if not isinstance(value, dict) or set(value) != {"tuple"} or not isinstance(value["tuple"], list):
        raise BadEntry("expected a tuple")
    return tuple(decode(item, inner, depth + 1) for item in value["tuple"])


def _string(value) -> str:
    if not isinstance(value, str):
        raise BadEntry("expected a string")
    return value


def _count(value) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise BadEntry("expected a line or column number")
    return value


def _value(value):
    """A constant's value: a string, an integer, true/false, a date or a decimal."""
    if isinstance(value, str) or isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, dict) and set(value) == {"day"}:
        return _day(value["day"])
    if isinstance(value, dict) and set(value) == {"truth"} and isinstance(value["truth"], bool):
        return truth(value["truth"])
    if isinstance(value, dict) and set(value) == {"dec"} and isinstance(value["dec"], str):
        try:
            number = Decimal(value["dec"])
        except InvalidOperation:
            raise BadEntry("not a decimal") from None
        if math.isfinite(number):
            return number
    raise BadEntry("expected a constant value")


def _day(ordinal) -> Day:
    if isinstance(ordinal, bool) or not isinstance(ordinal, int) or not 1 <= ordinal <= 3652059:
        raise BadEntry("not a date")
    return Day(ordinal)


_PLAIN = {"str": _string, "count": _count, "value": _value}
decode_value = _value  # also the value decoder of engine/static_cache.py

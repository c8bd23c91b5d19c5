"""A per-user cache of parsed rule files, so a cold command skips lark altogether.

A file's statements are stored as JSON under a key made of its text, the
grammar and the package version; a changed file, grammar or version simply
misses. Only the AST classes listed here are rebuilt from the JSON, from plain
values: reading the cache runs no code, and a damaged entry is ignored.
"""
from __future__ import annotations

import dataclasses
import hashlib
import json
import os
from decimal import Decimal
from pathlib import Path

from policy.lang import ast
from policy.values import Day, Truth, truth

VERSION = "2"  # 2: booleans are values.Truth, dates values.Day (not ints)
_CLASSES = {cls.__name__: cls for cls in (
    ast.Span, ast.Variable, ast.Constant, ast.BinaryOp, ast.Negative, ast.Aggregate, ast.Atom,
    ast.Negation, ast.Comparison, ast.Annotation, ast.Rule, ast.ParamType, ast.Param,
    ast.Declaration)}
_GRAMMAR = Path(__file__).with_name("grammar.lark")


def cache_folder():
    folder = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "policylog"
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    except OSError:
        return None
    return folder


def _key(text: str, file: str) -> str:
    digest = hashlib.sha256()
    for part in (VERSION, _GRAMMAR.read_text(encoding="utf-8"), file, text):
        digest.update(part.encode("utf-8", "surrogatepass"))
        digest.update(b"\0")
    return digest.hexdigest()


def load(text: str, file: str):
    """The cached statements of a file's text, or None."""
    folder = cache_folder()
    if folder is None:
        return None
    try:
        data = json.loads((folder / f"ast-{_key(text, file)}.json").read_text(encoding="utf-8"))
        return [decode(item) for item in data]
    except (OSError, ValueError, KeyError, TypeError):
        return None


def store(text: str, file: str, statements: list) -> None:
    """Remember the statements of a file that parsed without errors (best effort)."""
    folder = cache_folder()
    if folder is None:
        return
    target = folder / f"ast-{_key(text, file)}.json"
    try:
        partial = target.with_suffix(f".{os.getpid()}.tmp")
        partial.write_text(json.dumps([encode(s) for s in statements], ensure_ascii=False),
                           encoding="utf-8")
        partial.replace(target)
    except OSError:
        return


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


def decode(value):
    if isinstance(value, list):
        return [decode(v) for v in value]
    if not isinstance(value, dict):
        return value
    if "t" in value:
        return _CLASSES[value["t"]](**{k: decode(v) for k, v in value["f"].items()})
    if "day" in value:
        return Day(value["day"])
    if "truth" in value:
        return truth(value["truth"])
    if "dec" in value:
        return Decimal(value["dec"])
    return tuple(decode(v) for v in value["tuple"])

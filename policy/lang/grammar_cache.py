"""The parser's LALR tables, kept per user as signed JSON instead of built on every start.

Why: building lark's tables from grammar.lark takes about 0.2 s, paid by every
process that parses a text the parsed-file cache does not hold (every
`compile_text`, every new or changed rule file). Read back, they take a few
hundredths of a second. lark's own cache is a pickle, and unpickling a file is
running whatever code it holds, so it is never used: the tables are lark's
`memo_serialize` data (plain dicts, lists, tuples, strings and numbers) written
as tagged JSON, and lark rebuilds its parser from that data without running any
of it (`Lark.load` of a dict: it instantiates only the grammar classes lark lists
for each field; regular expressions are compiled, never evaluated).

An entry is kept in the private folder of the parsed files (private_folder.py):
it is believed only when its HMAC signature verifies, its JSON decodes to plain
values only, and lark rebuilds a parser from it; anything else is ignored and
the tables are built again (and stored again). The key is made of the grammar's
text, the options it is built with, lark's version and Python's: any change
misses.
"""
from __future__ import annotations

import hashlib
import json
import re
import sys

import lark
from lark import Lark
from lark.exceptions import LarkError
from lark.grammar import Rule
from lark.lexer import TerminalDef

from policy.lang.private_folder import cache_folder, read_signed_json, write_signed

VERSION = "2"  # 2: an "o" object holds its pairs, as "d" does
MAX_ENTRY_BYTES = 8 * 1024 * 1024
# What can go wrong when lark rebuilds a parser from data it did not write
_REFUSED = (LarkError, KeyError, TypeError, ValueError, AttributeError, IndexError,
            AssertionError, re.error, RecursionError)


class BadEntry(ValueError):
    """Tables data that is not what this module writes."""


def parser(grammar_path, **options) -> Lark:
    """The LALR parser of the grammar at `grammar_path` with `options`: from the cache when
    these tables were built before, else built (and stored)."""
    with open(grammar_path, encoding="utf-8") as stream:
        grammar = stream.read()
    name = f"lalr-{_key(grammar, options)}.json"
    folder = cache_folder()
    if folder is not None:
        loaded = _load(folder, name)
        if loaded is not None:
            return loaded
    built = Lark.open(grammar_path, **options)
    if folder is not None:
        _store(folder, name, built)
    return built


def _key(grammar: str, options: dict) -> str:
    digest = hashlib.sha256()
    for part in (VERSION, lark.__version__, sys.version.split()[0], repr(sorted(options.items())),
                 grammar):
        digest.update(part.encode("utf-8", "surrogatepass"))
        digest.update(b"\0")
    return digest.hexdigest()


def _load(folder, name: str):
    # BadEntry, bad JSON, or data lark cannot rebuild a parser from: a miss
    return read_signed_json(folder, name, MAX_ENTRY_BYTES, _parser, _REFUSED, decode_text)


def _parser(tables) -> Lark:
    if not isinstance(tables, dict) or set(tables) != {"data", "memo"}:
        raise BadEntry("an entry holds the data and the memo")
    return Lark.load(tables)


def _store(folder, name: str, built: Lark) -> None:
    data, memo = built.memo_serialize([TerminalDef, Rule])
    try:
        body = json.dumps(encode({"data": data, "memo": memo}), ensure_ascii=False)
    except (TypeError, ValueError, RecursionError):  # something not plain: nothing stored
        return
    write_signed(folder, name, body.encode("utf-8"))


def encode(value):
    """Plain data as JSON that keeps what JSON alone loses: a list is a list, a tuple
    {"t": [...]}, a dict {"o": [[key, value], ...]} when its keys are strings, else
    {"d": [[key, value], ...]}. Every JSON object is one of these tags, so that decode_text
    can rebuild each as json reads it (object_pairs_hook) instead of walking the result."""
    if isinstance(value, dict):
        tag = "o" if all(isinstance(key, str) for key in value) else "d"
        return {tag: [[encode(key), encode(item)] for key, item in value.items()]}
    if isinstance(value, tuple):
        return {"t": [encode(item) for item in value]}
    if isinstance(value, list):
        return [encode(item) for item in value]
    if value is None or isinstance(value, (bool, int, str)):
        return value
    raise TypeError(f"cannot store a {type(value).__name__}")


def decode_text(text: str):
    """What `encode` wrote, read from its JSON text; BadEntry for anything else (a float,
    an unknown tag, a list or unhashable value as a key; a nest too deep for json raises
    RecursionError). Each tagged object is rebuilt as json reads it, innermost first:
    about a third of the time a walk over the decoded document took."""
    return json.loads(text, object_pairs_hook=_tagged, parse_float=_not_plain,
                      parse_constant=_not_plain)


def _tagged(pairs: list):
    if len(pairs) != 1:
        raise BadEntry("a tagged value has one tag")
    (tag, body), = pairs
    if type(body) is not list:
        raise BadEntry("a tagged value holds an array")
    if tag == "t":
        return tuple(body)
    if tag == "o":
        return dict(_pair(item, str) for item in body)
    if tag == "d":
        return dict(_pair(item, (str, int, bool, tuple, type(None))) for item in body)
    raise BadEntry(f"unknown tag {tag!r}")


def _pair(item, kinds) -> tuple:
    if type(item) is not list or len(item) != 2:
        raise BadEntry("a key and a value")
    key = item[0]
    if not isinstance(key, kinds):
        raise BadEntry("a key is a plain value")
    try:
        hash(key)
    except TypeError:
        raise BadEntry("a key is a plain value") from None
    return key, item[1]


def _not_plain(text: str):
    raise BadEntry(f"{text} is not plain data")

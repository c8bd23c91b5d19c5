"""JSON that means one thing: no duplicate keys, no lone surrogates, no NaN, bounded nesting.

Python's json module keeps the last of two equal keys (the first value is lost
without a word), turns `"\\ud800"` into a string that is not Unicode text (it
cannot be printed or written as UTF-8), reads `NaN` and `Infinity`, and
raises RecursionError on a document nested 100,000 deep. `loads` refuses each
of these with a JsonProblem saying what is wrong, so a batch row becomes an
error record instead of a lost value or a traceback.

    >>> try:
    ...     loads('{"age": 1, "age": 2}')
    ... except JsonProblem as problem:
    ...     print(problem)
    the key 'age' is given twice (columns 2 and 12)
"""
from __future__ import annotations

import json
import re
from decimal import Decimal

MAX_DEPTH = 64
_SURROGATE = re.compile("[\ud800-\udfff]")
_SURROGATE_ESCAPE = re.compile(r"\\[uU][dD][89a-fA-F][0-9a-fA-F]{2}")


class JsonProblem(ValueError):
    """The text is not JSON this program accepts; the message says why."""


def loads(text: str):
    """The value of a JSON text (decimals as Decimal); JsonProblem when it is not acceptable."""
    if _SURROGATE.search(text):
        raise JsonProblem("the line is not UTF-8 text")
    duplicates = []
    try:
        value = json.loads(text, parse_float=Decimal, parse_constant=_no_constant,
                           object_pairs_hook=lambda pairs: _mapping(pairs, duplicates))
    except RecursionError:
        raise JsonProblem(f"nested too deeply (at most {MAX_DEPTH} levels)") from None
    except JsonProblem:
        raise
    except ValueError as problem:
        raise JsonProblem(f"not valid JSON: {problem}") from None
    if duplicates:
        raise JsonProblem(_duplicate_message(duplicates[0], text))
    if _SURROGATE_ESCAPE.search(text) and _has_surrogate(value):
        raise JsonProblem("a string holds a lone surrogate escape (\\ud800-\\udfff), which is not "
                          "a character")
    if text.count("[") + text.count("{") > MAX_DEPTH and depth_of(value) > MAX_DEPTH:
        raise JsonProblem(f"nested too deeply (at most {MAX_DEPTH} levels)")
    return value


def _no_constant(name: str):
    raise JsonProblem(f"{name} is not a number JSON allows")


def _mapping(pairs: list, duplicates: list) -> dict:
    mapping = dict(pairs)
    if len(mapping) != len(pairs) and not duplicates:
        seen = set()
        duplicates.append(next(key for key, _ in pairs if key in seen or seen.add(key)))
    return mapping


def _duplicate_message(key: str, text: str) -> str:
    """Where the key is written twice: its columns when they can be found in the text."""
    pattern = re.escape(json.dumps(key, ensure_ascii=False)) + r"\s*:"
    columns = [m.start() + 1 for m in re.finditer(pattern, text)]
    where = f" (columns {columns[0]} and {columns[1]})" if len(columns) >= 2 else ""
    return f"the key {key!r} is given twice{where}"


def _has_surrogate(value) -> bool:
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if _SURROGATE.search(item):
                return True
        elif isinstance(item, dict):
            stack.extend(item)
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return False


def depth_of(value) -> int:
    """How many lists and objects deep the value goes (without recursion)."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, (dict, list)):
            deepest = max(deepest, depth)
            stack.extend((child, depth + 1) for child in (item.values() if isinstance(item, dict)
                                                         else item))
    return deepest

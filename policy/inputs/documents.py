"""Reading YAML and JSON documents safely, keeping the line of every value.

PyYAML composes the document into nodes (no Python object is ever built from a
tag), and values are constructed one scalar at a time with the safe
constructor. Anchors and aliases are refused: facts files have no use for them
and they are the way to make a small file expand without bound.
"""
from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from pathlib import Path

import yaml
from yaml.constructor import ConstructorError, SafeConstructor

from policy.errors import FactsError, Span, error_at
from policy.lang.loader import read_text

_SURROGATE = re.compile("[\ud800-\udfff]")
MAX_NODES = 1_000_000
ALLOWED_TAGS = {
    f"tag:yaml.org,2002:{kind}"
    for kind in ("str", "int", "float", "bool", "null", "timestamp", "seq", "map")
}
MAX_DEPTH = 64


def facts_error(message: str, file: str, line: int = 0) -> FactsError:
    return FactsError([error_at("facts_error", message, Span(file, line, 1 if line else 0))])


def load_document(path) -> tuple:
    """(root node, file name) of a YAML or JSON file; FactsError when it is malformed."""
    path = Path(path)
    name = str(path)
    text = read_text(path)
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as problem:
        mark = problem.problem_mark or problem.context_mark
        line = mark.line + 1 if mark else 1
        raise facts_error(f"not valid YAML or JSON: {problem.problem or problem}", name, line) from None
    except yaml.reader.ReaderError as problem:  # a character YAML does not allow
        line = text[: problem.position].count("\n") + 1
        character = problem.character  # PyYAML gives a code point for text, a byte for bytes
        shown = repr(chr(character)) if isinstance(character, int) else repr(character)
        message = f"not valid YAML or JSON: the character {shown} is not allowed"
        raise facts_error(message, name, line) from None
    except yaml.YAMLError as problem:
        raise facts_error(f"not valid YAML or JSON: {problem}", name, 1) from None
    except RecursionError:
        raise facts_error(f"the document is nested too deeply (at most {MAX_DEPTH} levels)",
                          name, 1) from None
    if root is None:
        raise facts_error("the file is empty", name)
    check_shape(root, name)
    return root, name


def check_shape(root, name: str) -> None:
    """Refuse aliases, very deep nesting, very many nodes and keys given twice, before
    anything is built."""
    seen, stack, count, duplicates = set(), [(root, 1)], 0, []
    while stack:
        node, depth = stack.pop()
        count += 1
        if node.tag not in ALLOWED_TAGS:
            raise facts_error(f"the tag {node.tag!r} is not allowed", name, line_of(node))
        if id(node) in seen:
            raise facts_error("anchors and aliases (&, *) are not allowed", name, line_of(node))
        seen.add(id(node))
        if depth > MAX_DEPTH or count > MAX_NODES:
            what = "nested too deeply" if depth > MAX_DEPTH else "too large"
            raise facts_error(f"the document is {what}", name, line_of(node))
        if isinstance(node, yaml.MappingNode):
            duplicates.extend(_duplicate_keys(node, name))
            stack.extend((part, depth + 1) for pair in node.value for part in pair)
        elif isinstance(node, yaml.SequenceNode):
            stack.extend((item, depth + 1) for item in node.value)
    if duplicates:
        raise FactsError(duplicates)


def _duplicate_keys(node, name: str) -> list:
    """A diagnostic for every key of the mapping written a second time (YAML and JSON
    readers keep one of the two values without a word: here neither is believed)."""
    first_line, problems = {}, []
    for key_node, _ in node.value:
        if not isinstance(key_node, yaml.ScalarNode):
            continue  # not a name: mapping_items refuses it
        key = _key_identity(key_node)
        if key in first_line:
            message = (f"the key {key_node.value!r} is given twice (lines {first_line[key]} and "
                       f"{line_of(key_node)}); give it once")
            problems.append(error_at("facts_error", message, Span(name, line_of(key_node), 1)))
        else:
            first_line[key] = line_of(key_node)
    return problems


def _key_identity(key_node):
    """What a key means: its text for a string, its value for other scalars (1 and 01)."""
    if key_node.tag == "tag:yaml.org,2002:str":
        return key_node.value
    try:
        return key_node.tag, SafeConstructor().construct_object(key_node, deep=True)
    except (ConstructorError, ValueError, TypeError):
        return key_node.tag, key_node.value


def line_of(node) -> int:
    return node.start_mark.line + 1


def scalar(node, file: str):
    """The Python value of a scalar node (str, int, Decimal, bool, date, None).

    A number with a fraction or an exponent is read from its text as a Decimal,
    exactly (`2.5000000000000000000001` stays above 2.5); YAML would make it a
    float. An unquoted `1e5` (a number in JSON, a string to YAML 1.1) is one too.
    """
    if not isinstance(node, yaml.ScalarNode):
        kind = "a list" if isinstance(node, yaml.SequenceNode) else "a mapping"
        raise facts_error(f"expected a single value here, found {kind}", file, line_of(node))
    exact = _exact_number(node)
    if exact is not None:
        return exact
    try:
        value = SafeConstructor().construct_object(node, deep=True)
    except (ConstructorError, ValueError) as problem:
        raise facts_error(f"cannot read the value {node.value!r}: {problem}", file, line_of(node)) from None
    if isinstance(value, str) and _SURROGATE.search(value):
        raise facts_error("the text holds a lone surrogate escape (\\ud800-\\udfff), which is "
                          "not a character", file, line_of(node))
    return value


_FLOAT_TAG, _STR_TAG = "tag:yaml.org,2002:float", "tag:yaml.org,2002:str"
_JSON_EXPONENT = re.compile(r"-?(0|[1-9][0-9]*)(\.[0-9]+)?[eE][-+]?[0-9]+")


def _exact_number(node):
    """The Decimal a float scalar writes, or None (not a number, not finite, or sexagesimal)."""
    plain_exponent = node.tag == _STR_TAG and node.style is None and _JSON_EXPONENT.fullmatch(node.value)
    if node.tag != _FLOAT_TAG and not plain_exponent:
        return None
    text = node.value.replace("_", "")
    if ":" in text or len(text) > 1000:
        return None
    try:
        number = Decimal(text)
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def mapping_items(node, file: str, what: str) -> list:
    """[(key text, value node)] of a mapping node; FactsError if it is not a mapping."""
    if not isinstance(node, yaml.MappingNode):
        raise facts_error(f"{what} must be a mapping of names to values", file, line_of(node))
    items = []
    for key_node, value_node in node.value:
        key = scalar(key_node, file)
        if not isinstance(key, str):
            raise facts_error(f"the key {key!r} is not a name", file, line_of(key_node))
        items.append((key, value_node))
    return items


def sequence_items(node) -> list:
    """The items of a sequence node, or the node itself as the only item."""
    return list(node.value) if isinstance(node, yaml.SequenceNode) else [node]


def plain_value(node, file: str):
    """A checked node as plain Python values: a scalar, a list, or a mapping (a record)."""
    if isinstance(node, yaml.SequenceNode):
        return [plain_value(item, file) for item in node.value]
    if isinstance(node, yaml.MappingNode):
        return {key: plain_value(value, file) for key, value in mapping_items(node, file, "a record")}
    return scalar(node, file)

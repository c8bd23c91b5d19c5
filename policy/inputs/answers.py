"""One-line answers for facts that hold several values: a fact of records, a `@values("many")` fact.

The interview asks one question at a time and reads one line (a terminal) or one form field
(the page). For a fact that holds one value that line is the value; for these facts it is a
list, written as in an applicant file's flow style:

    [{name: Li, age: 3}, {name: Wu, age: 7}]     a fact of records ({...} alone: one record)
    [] or none                                  no records, no values
    a, b                                        a @values("many") fact: its values

The line is read as a facts file is (PyYAML's safe composer, no tags, anchors or aliases,
bounded size: data only, nothing is executed); what the values must be is checked afterwards,
as for an applicant file. `answer_text` writes an answer back
in the same form (the page keeps answers in hidden fields).
"""
from __future__ import annotations

import datetime
import json
import re
from decimal import Decimal

import yaml

from policy.errors import FactsError
from policy.inputs.documents import check_shape, plain_value

NONE_WORDS = {"[]", "none", "无", "没有"}
MAX_ANSWER = 65_536  # characters of one answer: a list past it is refused before it is read


def holds_several(spec) -> bool:
    """A fact of records, or a valued fact declared `@values("many")`."""
    return spec.is_record or spec.holds_many


def record_example(spec) -> str:
    """How one record of the fact is written: `{name: ..., age: ...}`."""
    return "{" + ", ".join(f"{p.name}: ..." for p in spec.declaration.params) + "}"


def several_answer(spec, text: str, one) -> list:
    """The list a one-line answer gives; `one(part)` reads a single value of a valued fact
    (a choice's number or name, a typed value). ValueError when it is not such a list."""
    text = text.strip()
    if text.lower() in NONE_WORDS:
        return []
    return listed(spec, text, one, "; give a long list in an applicant file (policylog query, "
                                   "or interview FILE)")


def listed(spec, text: str, one, advice: str = "") -> list:
    """The values a list written on one line holds (no words for "none": a batch's CSV
    cell reads `none` as a value, which an enum can have). ValueError when it is no list,
    or past MAX_ANSWER characters (composing it would take long before the size check of a
    facts file refused it)."""
    if len(text) > MAX_ANSWER:
        raise ValueError(f"an answer holds at most {MAX_ANSWER:,} characters{advice}")
    if spec.is_record:
        return _records(spec, text)
    return [one(part.strip()) for part in _parts(text)]


def _records(spec, text: str) -> list:
    try:  # checked as a facts file is: no tags, anchors or aliases, bounded size
        root = yaml.compose(text, Loader=yaml.SafeLoader)
        if root is not None:
            check_shape(root, "the answer")
        found = None if root is None else plain_value(root, "the answer")
    except (yaml.YAMLError, RecursionError, FactsError):
        found = None
    if isinstance(found, dict):
        found = [found]
    if not isinstance(found, list) or not all(isinstance(r, dict) for r in found):
        raise ValueError(f"records are written [{record_example(spec)}, ...], or [] for none")
    return found


def _parts(text: str) -> list:
    if text.startswith("[") and text.endswith("]"):
        text = text[1:-1]
    return [part for part in text.split(",") if part.strip()]


def answer_text(value) -> str:
    """An answer as the line that gives it back (several values, records, one value)."""
    if isinstance(value, list):
        return "[" + ", ".join(_record_text(v) if isinstance(v, dict) else _scalar(v)
                               for v in value) + "]"
    return _scalar(value)


def _record_text(record: dict) -> str:
    return "{" + ", ".join(f"{k}: {_scalar(v)}" for k, v in record.items()) + "}"


_PLAIN = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_YAML_WORDS = {"true", "false", "yes", "no", "on", "off", "y", "n", "null", "~", "none"}


def _scalar(value) -> str:
    """A value as YAML reads it back (strings quoted unless plainly a word)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, Decimal, float)):
        return str(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    text = str(value)
    if _PLAIN.fullmatch(text) and text.lower() not in _YAML_WORDS:
        return text
    return json.dumps(text, ensure_ascii=False)

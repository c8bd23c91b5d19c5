"""Rule text cut into statements, so that a syntax error costs only its own statement.

A statement ends at a dot outside strings and comments that is followed by
white space, a comment or the end of the text, as in Prolog. The parser parses
each statement on its own and goes on at the next one after a mistake.

    >>> [c.text for c in split_statements('a. b("x. y"). c(1.5)')]
    ['a.', ' b("x. y").', ' c(1.5)']
"""
from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Chunk:
    """One statement's text and where it starts in its file."""

    text: str
    line: int
    column: int


def split_statements(text: str) -> list:
    """Cut `text` after each statement-ending dot; a trailing rest is a chunk too."""
    chunks, start, i, n = [], 0, 0, len(text)
    line, col = 1, 1
    start_line, start_col = 1, 1
    in_string = in_comment = False
    while i < n:
        ch = text[i]
        if in_comment:
            in_comment = ch != "\n"
        elif in_string:
            if ch == "\\":
                i, col = i + 1, col + 1
            elif ch == '"' or ch == "\n":
                in_string = False
        elif ch == "%":
            in_comment = True
        elif ch == '"':
            in_string = True
        elif ch == "." and _ends_statement(text, i):
            chunks.append(Chunk(text[start : i + 1], start_line, start_col))
            start, start_line, start_col = i + 1, line, col + 1
        if i < n and text[i] == "\n":
            line, col = line + 1, 1
        else:
            col += 1
        i += 1
    rest = text[start:]
    if has_code(rest):
        chunks.append(Chunk(rest, start_line, start_col))
    return chunks


def _ends_statement(text: str, i: int) -> bool:
    """As in Prolog, the end dot is followed by white space, a comment or the end."""
    return i + 1 == len(text) or text[i + 1].isspace() or text[i + 1] == "%"


def has_code(text: str) -> bool:
    """Whether `text` holds anything but white space and comments."""
    return bool(re.sub(r"%[^\n]*", "", text).strip())

"""`policylog fmt`: one canonical layout for rule files, comments kept.

Layout: annotations one per line above their statement; a fact or declaration
on one line; a rule's head, then `:-`, then one body literal per line indented
four spaces. One blank line is kept wherever the original had blank lines
between statements. Comments on lines of their own stay above the statement
that follows them; a comment after code stays at the end of the line of the
literal it followed.
"""
from __future__ import annotations

import bisect

from dataclasses import dataclass

from pathlib import Path

from policy.lang import ast
from policy.errors import PolicySyntaxError
from policy.lang.loader import read_text
from policy.lang.parser import parse_text, source_lines
from policy.lang.printer import atom_text, literal_text
from policy.outputs import write_text
from policy.values import quote, show

INDENT = "    "


@dataclass(frozen=True)
class Comment:
    """A `%` comment of the source, kept by `fmt`: its line, text and whether code precedes it."""

    line: int
    text: str
    trailing: bool  # code stands before it on its line


def find_comments(text: str) -> list:
    """Every `%` comment outside strings, with its line and whether code precedes it."""
    comments = []
    for number, line in enumerate(source_lines(text), start=1):
        position = _comment_start(line)
        if position is not None:
            comments.append(Comment(number, line[position:].rstrip(), bool(line[:position].strip())))
    return comments


def _comment_start(line: str):
    in_string = escaped = False
    for index, char in enumerate(line):
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char == "%":
            return index
    return None


def format_text(text: str, file: str = "<text>") -> str:
    """The canonical layout of a rule file; ValueError-free: raises nothing for valid text.

    The caller checks for syntax errors first (parse_text's diagnostics).
    """
    statements, _ = parse_text(text, file)
    lines = source_lines(text)
    comments = find_comments(text)
    starts = [_first_line(statement) for statement in statements]
    out = []

    def emit(origin: int, produced: list) -> None:
        if out and origin > 1 and not lines[origin - 2].strip():
            out.append("")
        out.extend(produced)

    at = _CommentIndex(comments)  # looked up by line: linear in statements + comments
    for index, statement in enumerate(statements):
        previous_start = starts[index - 1] if index else 0
        for comment in at.after_before(previous_start, starts[index]):
            if not comment.trailing and not _inside_previous(comment, index, statements):
                emit(comment.line, [comment.text])
        end = starts[index + 1] if index + 1 < len(starts) else len(lines) + 1
        trailing = [c for c in at.from_before(starts[index], end)
                    if c.trailing or _inside(c, statement)]
        emit(starts[index], _statement_lines(statement, trailing))
    last = starts[-1] if starts else 0
    for comment in at.after_before(last, len(lines) + 2):
        if not comment.trailing:
            emit(comment.line, [comment.text])
    return "\n".join(out) + "\n" if out else ""


class _CommentIndex:
    """The comments (in line order) between two lines, found by bisection, not by a scan
    of every comment for every statement (which made 100,000 rules never finish)."""

    def __init__(self, comments: list):
        self.comments, self.lines = comments, [c.line for c in comments]

    def after_before(self, low: int, high: int) -> list:
        """Comments with low < line < high."""
        return self.comments[bisect.bisect_right(self.lines, low):bisect.bisect_left(self.lines, high)]

    def from_before(self, low: int, high: int) -> list:
        """Comments with low <= line < high."""
        return self.comments[bisect.bisect_left(self.lines, low):bisect.bisect_left(self.lines, high)]


def _inside_previous(comment: Comment, index: int, statements: list) -> bool:
    """A standalone comment inside the previous statement's text (between its body lines)."""
    return index > 0 and _inside(comment, statements[index - 1])


def _inside(comment: Comment, statement) -> bool:
    """Between a rule's head and its last body literal: kept at the end of the line before it."""
    return isinstance(statement, ast.Rule) and statement.span.line < comment.line < _last_line(statement)


def _first_line(statement) -> int:
    lines = [statement.span.line] + [a.span.line for a in statement.annotations]
    return min(lines)


def _last_line(rule: ast.Rule) -> int:
    return max([rule.head.span.line] + [literal.span.line for literal in rule.body])


def format_statement(statement) -> str:
    """One statement in the canonical layout (without comments)."""
    return "\n".join(_statement_lines(statement, []))


def _statement_lines(statement, trailing: list) -> list:
    lines = [annotation_text(a) for a in statement.annotations]
    if isinstance(statement, ast.Declaration):
        lines.append(declaration_text(statement))
        return _attach(lines, trailing, [statement.span.line] * len(lines))
    if statement.is_fact:
        lines.append(atom_text(statement.head) + ".")
        return _attach(lines, trailing, [a.span.line for a in statement.annotations]
                       + [statement.span.line])
    body = [INDENT + literal_text(literal) + ("," if i < len(statement.body) - 1 else ".")
            for i, literal in enumerate(statement.body)]
    lines.append(atom_text(statement.head) + " :-")
    lines.extend(body)
    origins = ([a.span.line for a in statement.annotations] + [statement.head.span.line]
               + [literal.span.line for literal in statement.body])
    return _attach(lines, trailing, origins)


def _attach(lines: list, trailing: list, origins: list) -> list:
    """Put each trailing comment at the end of the last output line that came from its line."""
    lines = list(lines)
    for comment in trailing:
        candidates = [i for i, origin in enumerate(origins) if origin <= comment.line]
        index = candidates[-1] if candidates else len(lines) - 1
        lines[index] = f"{lines[index]}  {comment.text}"
    return lines


MAX_WIDTH = 100


def annotation_text(annotation: ast.Annotation) -> str:
    """`@name(args)` on one line, or one argument a line when that is too wide."""
    args = [show_string(text) for text in annotation.positional]
    args += [f"{key}: {show_string(text)}" for key, text in annotation.keywords]
    one_line = f"@{annotation.name}({', '.join(args)})"
    if len(one_line) <= MAX_WIDTH or len(args) < 2:
        return one_line
    return f"@{annotation.name}(\n" + ",\n".join(INDENT + arg for arg in args) + ")"


def show_string(text: str) -> str:
    return quote(text)


def declaration_text(declaration: ast.Declaration) -> str:
    if not declaration.params:
        return f"{declaration.kind} {declaration.predicate}."
    params = ", ".join(_param_text(p) for p in declaration.params)
    return f"{declaration.kind} {declaration.predicate}({params})."


def _param_text(param: ast.Param) -> str:
    kind = param.type
    if kind.name == "any":
        return param.name
    if kind.name == "enum":
        return f"{param.name}: enum({', '.join(show(v) for v in kind.values)})"
    return f"{param.name}: {kind.name}"


def format_file(path: Path, check_only: bool) -> bool:
    """Format one file in place (unless check_only); True when its layout changes.

    A file with syntax errors raises PolicySyntaxError and is left untouched.
    """
    text = read_text(path)
    _, problems = parse_text(text, str(path))
    if problems:
        raise PolicySyntaxError(problems)
    formatted = format_text(text, str(path))
    if formatted == text:
        return False
    if not check_only:  # the file read (through a link, if it is one), replaced only when written whole
        write_text(Path(path).resolve(), formatted)
    return True

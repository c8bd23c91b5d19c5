"""A page of text lines and two-column grids, drawn plain or in rich's colours.

Why: a view that draws through rich's Console imports rich's console, table and
text modules, about a tenth of a cold `policylog query`'s own time, although the
plain look (output piped, redirected, or under a test runner; terminal.py) needs
none of them. So a view describes its page here: lines, and grids whose left
column never wraps (a step, a mark) and whose right column folds (the words), one
space apart. `draw` gives it to rich when the look is coloured, and otherwise
lays it out itself with rich's own line breaking (`rich._wrap.divide_line`) and
cell widths (`rich.cells`), both light to import, and the arithmetic of rich's
Table for the column widths: the same text, character for character
(tests/views/test_layout.py draws pages both ways). Text that this does not lay
out as rich would (a tab, a control character, a line separator other than
"\\n") is drawn by rich.

    >>> draw([Line([("Plan for Li", "bold")]), Grid([([("Step 1", "bold")], [("Go", "")])])], 80)
    'Plan for Li\\nStep 1 Go'
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from policy.views import terminal

Parts = list  # [(text, rich style name or "")]: one run of text after another


@dataclass
class Line:
    """One line of text (wrapped at the width); no parts: an empty line."""

    parts: Parts


@dataclass
class Grid:
    """Rows of (left parts, right parts): the left column as wide as its widest cell, never
    wrapped; the right column folded into the rest of the width."""

    rows: list


def draw(page: list, width: int) -> str:
    """The page as text: rich's colours at the terminal's width when the look is coloured,
    else plain at `width`; trailing spaces and the last newlines removed."""
    look = terminal.current()
    drawn = None
    if not look.colour and _plain_enough(page):
        drawn = _plain(page, width)
    if drawn is None:
        drawn = _rich(page, width)
    return terminal.tidy(drawn).rstrip("\n")


# --- with rich --------------------------------------------------------------------------------

def _rich(page: list, width: int) -> str:
    import io

    from rich.table import Table
    from rich.text import Text

    def text(parts):
        if len(parts) == 1:  # the style is the whole line's, padding included
            return Text(parts[0][0], style=parts[0][1] or "")
        return Text.assemble(*((words, style or "") for words, style in parts))

    buffer = io.StringIO()
    console = terminal.console(buffer, width)
    for block in page:
        if isinstance(block, Line):
            console.print(text(block.parts)) if block.parts else console.print()
            continue
        table = Table.grid(padding=(0, 1))
        table.add_column(no_wrap=True)
        table.add_column(overflow="fold")
        for left, right in block.rows:
            table.add_row(text(left), text(right))
        console.print(table)
    return buffer.getvalue()


# --- plain, laid out as rich lays it out -----------------------------------------------------

# What rich strips or treats as a line end or a tab stop: drawn by rich itself.
_SPECIAL = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029]")


def _plain_enough(page: list) -> bool:
    for block in page:
        texts = [block.parts] if isinstance(block, Line) else [p for row in block.rows for p in row]
        if any(_SPECIAL.search(words) for parts in texts for words, _ in parts):
            return False
        if isinstance(block, Grid) and any("\n" in words for left, _ in block.rows
                                           for words, _ in left):
            return False
    return True


def _plain(page: list, width: int):
    """The page drawn without rich's console, or None when rich's layout is not the simple
    one reproduced here (a left column as wide as the page)."""
    try:
        from rich._wrap import divide_line
        from rich.cells import cell_len, set_cell_size
    except ImportError:  # another rich than this was written against: let rich draw
        return None
    fold = _Folder(divide_line, cell_len, set_cell_size)
    lines = []
    for block in page:
        if isinstance(block, Line):
            lines.extend(fold.wrap(_joined(block.parts), width) if block.parts else [""])
            continue
        drawn = fold.grid([(_joined(left), _joined(right)) for left, right in block.rows], width)
        if drawn is None:
            return None
        lines.extend(drawn)
    return "".join(line + "\n" for line in lines)


def _joined(parts) -> str:
    return "".join(words for words, _ in parts)


class _Folder:
    """rich's Text.wrap (overflow "fold") and Table.grid(padding=(0, 1)) column widths."""

    def __init__(self, divide_line, cell_len, set_cell_size):
        self.divide_line, self.cell_len, self.set_cell_size = divide_line, cell_len, set_cell_size

    def wrap(self, text: str, width: int, pad: bool = False) -> list:
        """Text.wrap: each line broken where rich breaks it, whitespace past the width
        dropped, cropped to the width (and padded to it when `pad`: a left-justified cell)."""
        lines = []
        for line in text.split("\n"):
            offsets = self.divide_line(line, width, fold=True)
            edges = [0, *offsets, len(line)]
            for start, end in zip(edges, edges[1:]):
                lines.append(self._fit(_rstrip_end(line[start:end], width), width, pad))
        return lines

    def _fit(self, piece: str, width: int, pad: bool) -> str:
        length = self.cell_len(piece)
        if length > width:
            return self.set_cell_size(piece, width)
        return piece + " " * (width - length) if pad else piece

    def _widest(self, text: str, width: int) -> int:
        """Measurement.get of a cell's text: its widest line, at most the width."""
        lines = text.splitlines()
        widest = min(max((self.cell_len(line) for line in lines), default=0), width)
        return widest if widest >= 1 else 0

    def grid(self, rows: list, width: int):
        """The grid's lines; None when its left column leaves no room for the right one."""
        left = min(max((min(self._widest(label, width) + 1, width) for label, _ in rows),
                       default=0), width) or 1
        right = max((self._widest(text, width) for _, text in rows), default=0) or 1
        if left + right > width:
            if left >= width:
                return None
            right = width - left
        lines = []
        for label, text in rows:
            labels = [self._fit(label, left - 1, True) + " "]
            texts = self.wrap(text, right, pad=True)
            for number in range(max(len(labels), len(texts))):
                lines.append((labels[number] if number < len(labels) else " " * left)
                             + (texts[number] if number < len(texts) else " " * right))
        return lines


_TRAILING_SPACE = re.compile(r"\s+$")


def _rstrip_end(piece: str, width: int) -> str:
    """Text.rstrip_end: trailing whitespace dropped, as much as the piece is longer (in
    characters) than the width."""
    excess = len(piece) - width
    if excess <= 0:
        return piece
    found = _TRAILING_SPACE.search(piece)
    return piece[:len(piece) - min(len(found.group(0)), excess)] if found else piece

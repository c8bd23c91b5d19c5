"""How text output looks: plain at 80 columns, or rich's colours at the terminal's width.

Text views draw with rich into a string. When stdout is a terminal (and
neither NO_COLOR nor `--no-color` says otherwise) they draw the usual rich
way: colour and bold for statuses and headings, as wide as the terminal.
Otherwise (piped, redirected, under a test runner) they draw plain text at a
fixed width, so output written to files stays stable. FORCE_COLOR makes
output coloured even when stdout is not a terminal (what rich and most
tools do with it). cli.py picks the look once per command (`use`); views ask
for a `console` and `paint` words.

    >>> paint("applies", "green")
    'applies'
"""
from __future__ import annotations

import contextvars
import os
import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Look:
    """How the output is drawn: colour or not, and the width (None: each view's own)."""

    colour: bool = False
    width: int | None = None  # None: each view's fixed width


PLAIN = Look()
_CURRENT = contextvars.ContextVar("policylog_look", default=PLAIN)

STATUS_STYLES = {"applies": "bold green", "blocked": "bold red", "undetermined": "bold yellow",
                 "not_applicable": "dim"}


def detect(stream, no_color: bool = False) -> Look:
    """The look for output to `stream`: coloured on a terminal, unless told otherwise."""
    if no_color or os.environ.get("NO_COLOR"):
        return PLAIN
    forced = bool(os.environ.get("FORCE_COLOR"))
    if not forced and not _is_terminal(stream):
        return PLAIN
    import shutil  # only for a terminal: it imports the compression modules

    return Look(True, shutil.get_terminal_size((80, 24)).columns)


def _is_terminal(stream) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def use(look: Look) -> None:
    """Make `look` the look of this command's output."""
    _CURRENT.set(look)


def current() -> Look:
    return _CURRENT.get()


def console(buffer, width: int = 80):
    """A rich Console drawing into `buffer` with the current look (`width` when plain)."""
    from rich.console import Console

    look = current()
    return Console(file=buffer, width=look.width or width, highlight=False, emoji=False,
                   soft_wrap=False, color_system="standard" if look.colour else None,
                   force_terminal=look.colour, no_color=False)


def tidy(drawn: str) -> str:
    """Drawn text without the spaces rich pads each line with (before a closing style too)."""
    return "\n".join(_PADDING.sub(r"\1", line) for line in drawn.splitlines())


_PADDING = re.compile(r"[ \t]+((?:\x1b\[0m)?)$")


def paint(text: str, style: str) -> str:
    """`text` in `style` (rich's style names) when the look is coloured, else as it is."""
    if not current().colour or not style:
        return text
    import io

    buffer = io.StringIO()
    console(buffer).print(text, style=style, end="", markup=False, highlight=False)
    return buffer.getvalue()

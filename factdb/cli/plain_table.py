"""Listings as box-drawn text tables, laid out as rich's ``Table`` lays out plain text cells
(the same box, column widths, word wrapping and folding) without rich's console and
renderables, which cost a listing of 30 rows more than its query (bench/queries.py).

Layout: each column is as wide as its widest line plus one space each side; when the table
is wider than the terminal, the widest columns are narrowed a level at a time (to the next
widest), the cut spread evenly, until it fits; cells wrap at spaces, and a word longer than
its column is folded.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Sequence
from itertools import pairwise

from rich.cells import cell_len, chop_cells

# Characters a terminal would act on rather than show (as rich's ``Text`` drops them).
_CONTROLS = dict.fromkeys(map(ord, "\a\b\v\f\r"))
# A word and the spaces after it (only the first word of a line has spaces before it).
_WORD = re.compile(r"\s*\S+\s*")
_PADDING = 2  # one space each side of a cell


def terminal_width() -> int:
    """The width to lay a table out in: ``COLUMNS`` when set, else the terminal's (of stdin,
    stdout or stderr, the first that is one), else 80."""
    columns = os.environ.get("COLUMNS", "")
    if columns.isdigit():
        return int(columns)
    for descriptor in (0, 1, 2):
        try:
            width = os.get_terminal_size(descriptor).columns
        except (OSError, ValueError):
            continue
        return width or 80
    return 80


def styled_output() -> bool:
    """Whether stdout is a terminal that shows bold and italic text."""
    isatty = getattr(sys.stdout, "isatty", None)
    dumb = os.environ.get("TERM", "") in ("dumb", "unknown")
    return bool(isatty and isatty()) and not dumb


def render_table(
    header: Sequence[str],
    rows: Sequence[Sequence[str]],
    width: int,
    *,
    title: str | None = None,
    styled: bool = False,
) -> str:
    """The table of ``rows`` (cells as text) under ``header``, at most ``width`` cells wide
    when the columns can be narrowed that far, as lines each ending in a newline; ``title``
    centred above it. ``styled``: the header in bold and the title in italics (ANSI)."""
    head = [_lines(text) for text in header]
    body = [[_lines(text) for text in row] for row in rows]
    natural = [
        max(cell_len(line) for cell in column for line in cell) + _PADDING
        for column in zip(head, *body, strict=True)
    ]
    room = max(width - len(header) - 1, 0)
    widths = _narrowed([min(size, room) for size in natural], room)
    inner = [max(size - _PADDING, 1) for size in widths]
    out: list[str] = []
    if title is not None:
        whole = sum(size + _PADDING for size in inner) + len(inner) + 1
        for line in [line for text in _lines(title) for line in _wrap(text, whole)]:
            size = cell_len(line)
            left = (whole - size) // 2
            shown = f"\x1b[3m{line}\x1b[0m" if styled else line
            out.append(" " * left + shown + " " * (whole - left - size))
    out.append(_rule("┏", "━", "┳", "┓", inner))
    out.extend(_row(head, inner, "┃", bold=styled, bottom=True))
    out.append(_rule("┡", "━", "╇", "┩", inner))
    for row in body:
        out.extend(_row(row, inner, "│"))
    out.append(_rule("└", "─", "┴", "┘", inner))
    return "\n".join(out) + "\n"


def _clean(text: str) -> str:
    return text.translate(_CONTROLS).expandtabs(8)


def _lines(text: str) -> list[str]:
    """The lines of a cell's text, as written (before wrapping)."""
    return _clean(text).split("\n")


def _narrowed(widths: list[int], room: int) -> list[int]:
    """``widths`` cut to sum to at most ``room``: the widest columns lose width first, never
    below the next widest, the cut shared among them as evenly as whole cells allow."""
    widths = list(widths)
    excess = sum(widths) - room
    while excess > 0:
        top = max(widths)
        below = max((size for size in widths if size != top), default=0)
        if top == below:
            break
        widest = [index for index, size in enumerate(widths) if size == top]
        most = min(excess, top - below)
        left, remaining = len(widest), excess
        for index in widest:
            cut = min(most, round(remaining / left))
            widths[index] -= cut
            remaining -= cut
            left -= 1
        excess = sum(widths) - room
    return widths


def _wrap(text: str, width: int) -> list[str]:
    """``text`` (one line) in lines of at most ``width`` cells, broken after the spaces
    between words, a word wider than ``width`` folded; trailing spaces dropped."""
    if cell_len(text) <= width:
        return [text.rstrip()]
    breaks = [0]
    used = 0
    for match in _WORD.finditer(text):
        start, word = match.start(), match.group()
        size = cell_len(word.rstrip())
        if size <= width - used:
            used += cell_len(word)
        elif size > width:
            parts = chop_cells(word, width)
            for part in parts:
                if start:
                    breaks.append(start)
                start += len(part)
            used = cell_len(parts[-1])
        elif start:
            breaks.append(start)
            used = cell_len(word)
    breaks.append(len(text))
    return [text[begin:end].rstrip() for begin, end in pairwise(breaks) if end > begin]


def _row(
    cells: Sequence[list[str]],
    widths: Sequence[int],
    bar: str,
    *,
    bold: bool = False,
    bottom: bool = False,
) -> list[str]:
    """The text lines of one table row: each cell wrapped to its column, at the top of the
    row (at the ``bottom`` in the header) when another cell is taller."""
    wrapped = [
        [line for text in cell for line in _wrap(text, width)]
        for cell, width in zip(cells, widths, strict=True)
    ]
    height = max(len(lines) for lines in wrapped)
    if bottom:
        wrapped = [[""] * (height - len(lines)) + lines for lines in wrapped]
    out = []
    for number in range(height):
        parts = []
        for lines, width in zip(wrapped, widths, strict=True):
            line = lines[number] if number < len(lines) else ""
            pad = " " * (width - cell_len(line))
            parts.append(f" \x1b[1m{line}\x1b[0m{pad} " if bold and line else f" {line}{pad} ")
        out.append(bar + bar.join(parts) + bar)
    return out


def _rule(left: str, line: str, joint: str, right: str, widths: Sequence[int]) -> str:
    return left + joint.join(line * (width + _PADDING) for width in widths) + right

"""An article as text: checked on the way in, then cut into paragraphs and sentences that
keep their character spans in the whole text."""

from __future__ import annotations

import re
import unicodedata
from typing import NamedTuple

from factdb.errors import InvalidInput

MAX_BYTES = 2_000_000
"""Far above any news article (a long one is 50 kB); a bigger input is not an article."""

_PARAGRAPH_BREAK = re.compile(r"\n[ \t\r]*\n\s*")
ABBREVIATIONS = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "dr",
        "prof",
        "gen",
        "col",
        "lt",
        "sgt",
        "capt",
        "cmdr",
        "adm",
        "maj",
        "st",
        "jr",
        "sr",
        "rep",
        "sen",
        "gov",
        "pres",
        "amb",
        "no",
        "nos",
        "vol",
        "fig",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
        "a.m",
        "p.m",
        "e.g",
        "i.e",
        "vs",
        "etc",
        "approx",
        "u.s",
        "u.n",
        "u.k",
        "e.u",
        "inc",
        "ltd",
        "co",
        "corp",
    ]
)
_OPENING = "\"“„«‘'(["
_SPLIT = re.compile(r"[.!?]+[\"”’»)\]]*(?=\s+)")


class Sentence(NamedTuple):
    text: str
    start: int
    end: int
    paragraph: int


def decode_article(data: bytes, field: str = "FILE") -> str:
    """The article's text from its bytes: refused when empty, too big, binary or not UTF-8."""
    if len(data) > MAX_BYTES:
        raise InvalidInput.at(
            field, f"{len(data):,} bytes is too big for an article (at most {MAX_BYTES:,} bytes)"
        )
    if b"\x00" in data:
        raise InvalidInput.at(field, "is binary, not text (it contains NUL bytes)")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InvalidInput.at(
            field, f"is not UTF-8 text (byte {exc.start} cannot be decoded)"
        ) from None
    return check_article(text, field)


def check_article(text: str, field: str = "text") -> str:
    """The text, NFC-normalized; refused when empty or when it holds control characters
    other than tab, newline, carriage return and form feed (a sign of binary data)."""
    if not text.strip():
        raise InvalidInput.at(field, "is empty; give the text of an article")
    if len(text.encode("utf-8", "surrogatepass")) > MAX_BYTES:
        raise InvalidInput.at(field, f"is too big for an article (at most {MAX_BYTES:,} bytes)")
    for ch in text:
        category = unicodedata.category(ch)
        if (category == "Cc" and ch not in "\t\n\r\f") or category == "Cs":
            raise InvalidInput.at(
                field, f"is binary, not text (it contains the control character {ord(ch):#04x})"
            )
    return unicodedata.normalize("NFC", text)


def paragraphs(text: str) -> list[tuple[int, int]]:
    """(start, end) of each paragraph: blocks between blank lines, trimmed."""
    spans: list[tuple[int, int]] = []
    position = 0
    for brk in [*_PARAGRAPH_BREAK.finditer(text), None]:
        end = len(text) if brk is None else brk.start()
        block = text[position:end]
        stripped = block.strip()
        if stripped:
            start = position + block.index(stripped[0])
            spans.append((start, start + len(stripped)))
        if brk is not None:
            position = brk.end()
    return spans


def sentences(text: str) -> list[Sentence]:
    """Every sentence of the article with its span and paragraph number (from 1).

    A full stop ends a sentence unless it follows a known abbreviation or a lone initial, or
    falls inside a quotation (a quoted passage of several sentences stays with the words that
    attribute it)."""
    found: list[Sentence] = []
    for number, (start, end) in enumerate(paragraphs(text), 1):
        for s_start, s_end in _split(text, start, end):
            found.append(Sentence(text[s_start:s_end], s_start, s_end, number))
    return found


def _split(text: str, start: int, end: int) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    begin = start
    for match in _SPLIT.finditer(text, start, end):
        stop = match.end()
        if not _ends_sentence(text, begin, match.start(), stop, end):
            continue
        spans.append((begin, stop))
        begin = stop
        while begin < end and text[begin].isspace():
            begin += 1
    if begin < end:
        spans.append((begin, end))
    return [(a, b) for a, b in spans if text[a:b].strip()]


def _ends_sentence(text: str, begin: int, mark: int, stop: int, end: int) -> bool:
    following = text[stop:end].lstrip()
    if not following:
        return False  # the paragraph's end closes it anyway
    first = following[0]
    if not (first.isupper() or first.isdigit() or first in _OPENING):
        return False
    if text[mark] == ".":
        word = re.search(r"([\w.]+)$", text[begin:mark])
        if word is not None:
            token = word.group(1).lower()
            if token in ABBREVIATIONS or (len(token) == 1 and token.isalpha()):
                return False
    return not _inside_quote(text[begin:stop])


def _inside_quote(prefix: str) -> bool:
    """Whether a quotation opened in ``prefix`` is still open at its end."""
    curly = prefix.count("“") - prefix.count("”")
    guillemets = prefix.count("«") - prefix.count("»")
    straight = prefix.count('"') % 2
    return curly > 0 or guillemets > 0 or straight == 1

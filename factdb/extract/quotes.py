"""Quotations in a sentence (straight, curly, guillemets, low-high and CJK marks), kept byte
for byte, and the language their script shows."""

from __future__ import annotations

import re
import unicodedata
from typing import NamedTuple

_PAIRS = (
    re.compile(r"“([^“”]+)”"),
    re.compile(r"„([^„“”]+)[“”]"),
    re.compile(r"«([^«»]+)»"),
    re.compile(r"「([^「」]+)」"),
    re.compile(r"『([^『』]+)』"),
    re.compile(r'(?<![\w])"([^"]+)"'),
    # single quotes only where the closing one cannot be an apostrophe (Azerbaijan’s)
    re.compile(r"(?<![\w])‘([^‘’]+)’(?!\w)"),
    re.compile(r"(?<![\w])'([^']+)'(?!\w)"),
)


class Quote(NamedTuple):
    """A quotation: its words (``text``, without the marks) and the span of the marks and
    words in the sentence."""

    text: str
    start: int
    end: int


def find_quotes(sentence: str) -> list[Quote]:
    """The quotations in the sentence, in order; a quotation inside another is not listed.

    A comma or full stop just inside the closing mark belongs to the sentence that reports
    the quote, not to the speaker's words, and is left out."""
    found: list[Quote] = []
    taken: list[tuple[int, int]] = []
    for pattern in _PAIRS:
        for match in pattern.finditer(sentence):
            if any(a <= match.start() < b or a < match.end() <= b for a, b in taken):
                continue
            words = match.group(1)
            trimmed = words.rstrip(",.").strip()
            if not trimmed:
                continue
            taken.append((match.start(), match.end()))
            found.append(Quote(trimmed, match.start(), match.end()))
    return sorted(found, key=lambda quote: quote.start)


# Scripts by the first word of their Unicode character names, with the language a quote in
# them most likely is; letters particular to one language refine it (below).
_SCRIPTS = {
    "CYRILLIC": "ru",
    "ARABIC": "ar",
    "ARMENIAN": "hy",
    "GEORGIAN": "ka",
    "HEBREW": "he",
    "GREEK": "el",
    "CJK": "zh",
    "HIRAGANA": "ja",
    "KATAKANA": "ja",
    "HANGUL": "ko",
    "DEVANAGARI": "hi",
    "THAI": "th",
    "BENGALI": "bn",
}
_PARTICULAR = (
    ("ja", "HIRAGANA KATAKANA"),
    ("uk", "іїєґІЇЄҐ"),
    ("sr", "ђћџљњјЂЋЏЉЊЈ"),
    ("fa", "پچژگ"),
    ("ur", "ٹڈڑںےۓ"),
    ("az", "əƏ"),
    ("tr", "ğışĞİŞ"),
)


def quote_language(quote: str, default: str = "en") -> str:
    """A language tag for the quote from its letters: the script most of its letters are
    in (Cyrillic → ``ru``, Arabic → ``ar``, …), refined by letters only one language uses
    (``і`` → ``uk``, ``پ`` → ``fa``, ``ə`` → ``az``); Latin script gives ``default``."""
    counts: dict[str, int] = {}
    for ch in quote:
        if not ch.isalpha():
            continue
        name = unicodedata.name(ch, "")
        script = name.split(" ", 1)[0]
        counts[script] = counts.get(script, 0) + 1
    if not counts:
        return default
    script = max(counts, key=lambda key: counts[key])
    for language, letters in _PARTICULAR:
        if language == "ja":
            if counts.get("HIRAGANA") or counts.get("KATAKANA"):
                return "ja"
            continue
        if any(ch in letters for ch in quote):
            if language in ("az", "tr") and script != "LATIN":
                continue
            return language
    return _SCRIPTS.get(script, default)

"""What a statement asserts, for matching: its content words, which of them are names, dates
or numbers (key words), and its polarity, kept apart from the words.

Two statements match when they assert the same proposition. Polarity (``denied``, ``not``,
``baseless`` …) is taken out of the words and compared on its own, so "Iran admitted X" and
"Iran denied X" share every content word but never score as the same statement.

``score`` compares two texts; ``rapidfuzz`` is imported only when a score is computed, so
importing this module stays cheap.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator, Sequence
from typing import NamedTuple

from factdb.text import name_key

# Token weights: names, dates and numbers carry the proposition more than other words.
KEY_WEIGHT = 2.0
WORD_WEIGHT = 1.0
# Two words count as the same word from this similarity up (Indel ratio of their stems).
SAME_WORD = 0.8
# Factors applied to the score: opposite polarity, a different name or number on each side
# (another place, another date), and the same words with the names in reversed roles
# (A shelled B / B shelled A).
POLARITY_FACTOR = 0.85
CONFLICT_FACTOR = 0.8
ROLE_FACTOR = 0.65
# A very long text is compared on its first words only (and read no further than MAX_CHARS).
MAX_WORDS = 64
MAX_CHARS = 4000

_WORD = re.compile(r"[^\W_]+")
_CONTRACTED_NOT = re.compile(r"n['’]t\b")


def _word_set(words: str) -> frozenset[str]:
    return frozenset(words.split())


STOPWORDS = _word_set(
    """
    a about above after again against all also am an and any are as at be been before being
    below between both but by can could did do does doing down during each few for from further
    had has have having he her here hers herself him himself his how i if in into is it its
    itself just me more most my myself now of off on once only or other our ours ourselves out
    over own same she should so some such than that the their theirs them themselves then there
    these they this those through to too under until up very was we were what when where which
    while who whom why will with would you your yours yourself yourselves ca wo s t d ll ve re
    says said say saying claims claimed claim claiming alleges alleged allegedly alleging
    accuses accused accusing according reported reports reportedly stated insists insisted
    told tells officials official spokesperson spokesman
    """
)
# Words that flip a statement's polarity (counted: two flips cancel out).
NEGATIONS = _word_set(
    """
    not no never none nobody nothing neither nor cannot deny denies denied denying denial
    denials reject rejects rejected rejecting refute refutes refuted refuting rebuts rebutted
    false falsely untrue baseless unfounded groundless fabricated fabrication fabrications
    fake lie lies lying hoax disinformation propaganda
    """
)
# Words that say a statement is conceded or confirmed: not part of the proposition, and no flip.
AFFIRMATIONS = _word_set(
    """
    admit admits admitted admitting admission acknowledge acknowledges acknowledged
    acknowledging concede concedes conceded conceding confirm confirms confirmed confirming
    true indeed
    """
)
MONTHS = _word_set(
    """
    january february march april june july august september october november december
    jan feb mar apr jun jul aug sep sept oct nov dec
    """
)
_SUFFIXES = (
    "ations", "ation", "ings", "ing", "ians", "ian", "ies", "ied", "ed", "es", "s", "i", "e", "a",
)  # fmt: skip
_MIN_STEM = 4


class Proposition(NamedTuple):
    """A text as matching sees it: its content stems in order, whether each is a key word,
    its polarity (True: negated), and whether it says ``by`` (a passive)."""

    stems: tuple[str, ...]
    keys: tuple[bool, ...]
    negated: bool
    passive: bool


@functools.lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """A crude suffix-stripping stem, enough for ``forces``/``force``, ``shelled``/``shelling``
    and ``Pakistani``/``Pakistan``; near stems are then compared fuzzily."""
    if word.isdigit():
        return word.lstrip("0") or "0"
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= _MIN_STEM:
            return word[: -len(suffix)]
    return word


def words(text: str) -> list[str]:
    """The words of ``text``, lower-cased, without diacritics, ``n't`` spelt ``not``."""
    plain = text.lower() if text.isascii() else name_key(text)
    return _WORD.findall(_CONTRACTED_NOT.sub(" not", plain))


def _key_words(text: str, all_words: Sequence[str]) -> set[str]:
    """Lower-cased words that are written capitalized, or are numbers or months: names,
    places and dates. A capitalized first word counts too: in claims it is most often a name
    ("Pakistani special forces …"), and a common word taken for a name costs little."""
    found = {word for word in all_words if word in MONTHS or word.isdigit()}
    for word in _WORD.findall(text):
        if word[:1].isupper():
            found.add(word.lower() if word.isascii() else name_key(word))
    return found


def proposition(text: str) -> Proposition:
    """The proposition of ``text`` (see the module docstring)."""
    text = text[:MAX_CHARS]
    all_words = words(text)
    negated = sum(word in NEGATIONS for word in all_words) % 2 == 1
    content = [
        word
        for word in all_words
        if word not in STOPWORDS and word not in NEGATIONS and word not in AFFIRMATIONS
    ]
    if not content:  # only function words: compare those rather than nothing
        content = [word for word in all_words if word not in NEGATIONS]
    keys = _key_words(text, all_words)
    content = content[:MAX_WORDS]
    return Proposition(
        tuple(stem(word) for word in content),
        tuple(word in keys for word in content),
        negated,
        "by" in all_words,
    )


def index_stems(prop: Proposition, limit: int) -> list[str]:
    """At most ``limit`` different stems to retrieve candidates with, key words first."""
    ordered = [s for s, key in zip(prop.stems, prop.keys, strict=True) if key]
    ordered += [s for s, key in zip(prop.stems, prop.keys, strict=True) if not key]
    return list(dict.fromkeys(ordered))[:limit]


def _align(a: Proposition, b: Proposition) -> tuple[list[float], list[float], list[int]]:
    """Pair the words of ``a`` with those of ``b`` one to one, most similar first (from
    ``SAME_WORD`` up): each word's similarity to its partner (0 without one), and for each
    word of ``a`` the index of its partner in ``b`` (-1 without one). One to one, so a name
    said twice on one side and once on the other leaves one of them unmatched."""
    candidates = sorted(_similar_pairs(a.stems, b.stems))
    a_best, b_best = [0.0] * len(a.stems), [0.0] * len(b.stems)
    a_to_b = [-1] * len(a.stems)
    for negative, i, j in candidates:
        if a_to_b[i] < 0 and b_best[j] == 0:
            a_best[i] = b_best[j] = -negative
            a_to_b[i] = j
    return a_best, b_best, a_to_b


def _similar_pairs(first: Sequence[str], second: Sequence[str]) -> Iterator[tuple[float, int, int]]:
    """(-similarity, i, j) for the words that count as the same (``SAME_WORD`` and up; numbers
    only when equal). rapidfuzz compares one word with all of ``second`` at a time."""
    from rapidfuzz import process
    from rapidfuzz.distance import Indel

    for i, word in enumerate(first):
        found = process.extract(
            word, second, scorer=Indel.normalized_similarity, score_cutoff=SAME_WORD, limit=None
        )
        for other, value, j in found:
            if word == other or not (word.isdigit() or other.isdigit()):
                yield -value, i, j


def _weighted(values: Sequence[float], keys: Sequence[bool]) -> float:
    weights = [KEY_WEIGHT if key else WORD_WEIGHT for key in keys]
    return sum(v * w for v, w in zip(values, weights, strict=True)) / sum(weights)


def _roles_swapped(a: Proposition, b: Proposition, a_to_b: Sequence[int]) -> bool:
    """Both texts name the same key words in another order, and neither says ``by`` (a
    passive "Ganja was shelled by X" reverses the order without swapping roles). Called only
    when every word has its match on the other side: with other words ("A sent arms to B" /
    "B received arms from A") the order says nothing."""
    if a.passive or b.passive:
        return False
    pairs = [(i, j) for i, j in enumerate(a_to_b) if j >= 0 and a.keys[i] and b.keys[j]]
    order = [j for _i, j in pairs]
    return len(order) >= 2 and order != sorted(order)


def compare(a: Proposition, b: Proposition) -> float:
    """Similarity of two propositions in [0, 1] (see ``score``)."""
    if not a.stems or not b.stems:
        return 0.0
    a_best, b_best, a_to_b = _align(a, b)
    recall, precision = _weighted(a_best, a.keys), _weighted(b_best, b.keys)
    if recall + precision == 0:
        return 0.0
    value = 2 * recall * precision / (recall + precision)
    a_unmatched = any(key and v == 0 for key, v in zip(a.keys, a_best, strict=True))
    b_unmatched = any(key and v == 0 for key, v in zip(b.keys, b_best, strict=True))
    if a_unmatched and b_unmatched:
        value *= CONFLICT_FACTOR
    if all(a_best) and all(b_best) and _roles_swapped(a, b, a_to_b):
        value *= ROLE_FACTOR
    if a.negated != b.negated:
        value *= POLARITY_FACTOR
    return value


def score(a: str, b: str) -> float:
    """How likely ``a`` and ``b`` assert the same proposition, in [0, 1]: a weighted soft F1
    over their content stems (names, dates and numbers count double), lowered when a name or
    number differs on both sides, when the same names swap roles, and when the polarity
    differs (at most ``POLARITY_FACTOR``)."""
    return compare(proposition(a), proposition(b))

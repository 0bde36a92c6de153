"""Likely duplicate statements across the record: pairs of live statements that assert the
same proposition (``factdb.proposition``), found without asking the index once per statement.

Every statement's content stems go into an inverted index in memory; two statements are
compared when they share enough of their stems that are not among the most common ones.
Statements of one thread (an answer and what it answers, up to the claim) are already
linked and are not paired.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any, NamedTuple

from sqlalchemy import select
from sqlalchemy.orm import Session

from factdb.errors import InvalidInput
from factdb.matching import CERTAIN_THRESHOLD, SUGGEST_THRESHOLD, level
from factdb.proposition import Proposition, compare, proposition
from factdb.queries.filters import on_topic, topic_id
from factdb.queries.records import with_authors
from factdb.store.tables import statements

# Stems held by more statements than this are too common to say two statements are alike;
# a pair is scored when it shares SHARED_SHARE of the other stems of either.
COMMON_STEM = 200
SHARED_SHARE = 0.5


class _Entry(NamedTuple):
    id: int
    kind: str
    actor: str
    text: str
    props: tuple[Proposition, ...]
    thread: int


def _roots(session: Session) -> dict[int, int]:
    """Each statement's thread: the id of the claim at its root."""
    parents: dict[int, int | None] = {
        row.id: row.responds_to_id
        for row in session.execute(select(statements.c.id, statements.c.responds_to_id))
    }
    roots: dict[int, int] = {}
    for number in parents:
        below: list[int] = []
        current = number
        while current not in roots:
            parent = parents.get(current)
            if parent is None or len(below) > len(parents):  # a loop: a broken record
                roots[current] = current
                break
            below.append(current)
            current = parent
        for member in below:
            roots[member] = roots[current]
    return roots


def _entries(session: Session, topic: str | None) -> list[_Entry]:
    query = (
        with_authors(statements.c.text, statements.c.quote)
        .where(statements.c.deleted_at.is_(None))
        .order_by(statements.c.id)
    )
    number = topic_id(session, topic)
    if number is not None:
        query = query.where(on_topic(statements.c.id, number))
    roots = _roots(session)
    found: list[_Entry] = []
    for row in session.execute(query):
        texts = [value for value in (row.text, row.quote) if value]
        if texts:
            props = tuple(proposition(text) for text in texts)
            found.append(_Entry(row.id, row.kind, row.name, texts[0], props, roots[row.id]))
    return found


def _candidate_pairs(entries: list[_Entry]) -> list[tuple[int, int]]:
    """Index pairs (i < j) of entries that share at least ``SHARED_SHARE`` of the uncommon
    stems of the one with fewer. A pair scoring 0.7 has more than half of the words of each
    side matched (an F1 of 0.7 needs both recall and precision above 0.53), so this drops
    few pairs worth scoring and most of the others, which the score would cost time on."""
    holders: dict[str, list[int]] = defaultdict(list)
    for index, entry in enumerate(entries):
        for stem in {stem for prop in entry.props for stem in prop.stems}:
            holders[stem].append(index)
    sizes = [0] * len(entries)
    shared: Counter[tuple[int, int]] = Counter()
    for indexes in holders.values():
        if len(indexes) > COMMON_STEM:
            continue
        for position, first in enumerate(indexes):
            sizes[first] += 1
            for second in indexes[position + 1 :]:
                shared[first, second] += 1
    return sorted(
        pair
        for pair, count in shared.items()
        if count >= SHARED_SHARE * min(sizes[pair[0]], sizes[pair[1]])
    )


class DuplicatePair(NamedTuple):
    first: _Entry
    second: _Entry
    score: float


def duplicate_pairs(
    session: Session,
    *,
    topic: str | None = None,
    min_score: float = SUGGEST_THRESHOLD,
    suggest: float = SUGGEST_THRESHOLD,
    certain: float = CERTAIN_THRESHOLD,
) -> list[dict[str, Any]]:
    """Pairs of live statements (of ``topic``, when given) scoring at least ``min_score``,
    best first (ties by ids), as rows ``{score, match, polarity, first_id, first_kind,
    first_actor, first_text, second_id, second_kind, second_actor, second_text}`` (``first``
    is the older). Raises InvalidInput for a score outside [0, 1], NotFound for an unknown
    topic."""
    if not 0 <= min_score <= 1:
        raise InvalidInput.at("min_score", f"must be between 0 and 1, got {min_score}")
    entries = _entries(session, topic)
    found: list[DuplicatePair] = []
    for i, j in _candidate_pairs(entries):
        first, second = entries[i], entries[j]
        if first.thread == second.thread:
            continue
        value = max(compare(a, b) for a in first.props for b in second.props)
        if value >= min_score and value > 0:
            found.append(DuplicatePair(first, second, round(value, 4)))
    found.sort(key=lambda pair: (-pair.score, pair.first.id, pair.second.id))
    return [_row(pair, suggest, certain) for pair in found]


def _row(pair: DuplicatePair, suggest: float, certain: float) -> dict[str, Any]:
    same = pair.first.props[0].negated == pair.second.props[0].negated
    row: dict[str, Any] = {
        "score": pair.score,
        "match": level(pair.score, suggest, certain),
        "polarity": "same" if same else "opposite",
    }
    for side, entry in (("first", pair.first), ("second", pair.second)):
        row[f"{side}_id"] = entry.id
        row[f"{side}_kind"] = entry.kind
        row[f"{side}_actor"] = entry.actor
        row[f"{side}_text"] = entry.text
    return row

"""Find a published fact-check's claim and the fact-check itself in the record, so that an
import attaches to what is there instead of writing it again.

A claim (by an actor already in the record) is, in this order: a statement of the same
author citing one of the claim's appearances (the one with the same text, else the only
claim); a claim of the same author with the same text; a claim of the same author that
claim matching (``factdb.matching``) scores at least ``CERTAIN_THRESHOLD``. A fact-check is
one of the same checker, answering that claim, citing the review's URL.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, NamedTuple

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from factdb.errors import InvalidInput
from factdb.interchange.format import name_key
from factdb.store.models import Source, Statement, StatementSource

CHUNK = 500
# An author with at most this many claims has them scored here, all at once (``compare``
# costs some 40 µs); one with more is searched through the full-text index per claim.
SCORED_HERE = 400
SIMILAR_LIMIT = 10


class Wanted(NamedTuple):
    """A claim to look for: its author's id, its text and the URLs it appeared at."""

    author: int
    text: str
    urls: list[str]


def chunks(items: list[Any], size: int = CHUNK) -> Iterable[list[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def ids_of_refs(session: Session, refs: Iterable[str]) -> dict[str, int]:
    """The statements with these refs; a statement merged into another stands for that one
    (``factdb statement merge``)."""
    found: dict[str, int] = {}
    for chunk in chunks(sorted(refs)):
        rows = session.execute(
            select(Statement.ref, Statement.id, Statement.merged_into_id).where(
                Statement.ref.in_(chunk)
            )
        )
        found.update({str(ref): kept or statement_id for ref, statement_id, kept in rows})
    return found


def known_urls(session: Session, urls: Iterable[str]) -> set[str]:
    found: set[str] = set()
    for chunk in chunks(sorted(urls)):
        found.update(session.scalars(select(Source.url).where(Source.url.in_(chunk))))
    return found


def claims_in_record(session: Session, wanted: list[Wanted], urls: set[str]) -> list[int | None]:
    """The id of the statement each wanted claim already is, or None; ``urls``: those of
    the claims' URLs the record has."""
    found = _by_cited_url(session, wanted, urls)
    rest = [index for index, match in enumerate(found) if match is None]
    for index, match in zip(rest, _by_text(session, [wanted[i] for i in rest]), strict=True):
        found[index] = match
    rest = [index for index, match in enumerate(found) if match is None]
    for index, match in zip(rest, _by_matching(session, [wanted[i] for i in rest]), strict=True):
        found[index] = match
    return found


def _by_cited_url(session: Session, wanted: list[Wanted], urls: set[str]) -> list[int | None]:
    cited: dict[tuple[int, str], list[Any]] = {}  # (author, url) -> statements citing it
    for chunk in chunks(sorted({url for claim in wanted for url in claim.urls} & urls)):
        for row in session.execute(
            select(
                Statement.id,
                Statement.actor_id,
                Statement.kind,
                Statement.text,
                Statement.quote,
                Source.url,
            )
            .join(StatementSource, StatementSource.statement_id == Statement.id)
            .join(Source, Source.id == StatementSource.source_id)
            .where(Source.url.in_(chunk), Statement.deleted_at.is_(None))
        ):
            cited.setdefault((row.actor_id, row.url), []).append(row)
    found: list[int | None] = []
    for claim in wanted:
        citing = {row for url in claim.urls for row in cited.get((claim.author, url), [])}
        said = name_key(claim.text)
        same = [
            row.id
            for row in citing
            if said in (name_key(row.text or ""), name_key(row.quote or ""))
        ]
        claims = [row.id for row in citing if row.kind == "claim"]
        if same:
            found.append(min(same))
        elif len(set(claims)) == 1:
            found.append(claims[0])
        else:
            found.append(None)
    return found


def _by_text(session: Session, wanted: list[Wanted]) -> list[int | None]:
    first: dict[tuple[int, str | None], int] = {}
    for chunk in chunks(sorted({claim.text for claim in wanted})):
        for statement_id, actor_id, said in session.execute(
            select(Statement.id, Statement.actor_id, Statement.text)
            .where(
                Statement.kind == "claim", Statement.deleted_at.is_(None), Statement.text.in_(chunk)
            )
            .order_by(Statement.id)
        ):
            first.setdefault((actor_id, said), statement_id)
    return [first.get((claim.author, claim.text)) for claim in wanted]


def _by_matching(session: Session, wanted: list[Wanted]) -> list[int | None]:
    """Claim matching, same author only, from ``CERTAIN_THRESHOLD``: the claims of authors
    with few are scored here at once; the others go through ``factdb.matching.similar``."""
    if not wanted:
        return []
    from factdb.matching import CERTAIN_THRESHOLD
    from factdb.proposition import Proposition, compare, proposition

    authors = sorted({claim.author for claim in wanted})
    sizes: dict[int, int] = {}
    for chunk in chunks(authors):
        counts = session.execute(
            select(Statement.actor_id, func.count())
            .where(
                Statement.actor_id.in_(chunk),
                Statement.kind == "claim",
                Statement.deleted_at.is_(None),
            )
            .group_by(Statement.actor_id)
        )
        sizes.update({actor_id: count for actor_id, count in counts})
    few = [author for author in authors if 0 < sizes.get(author, 0) <= SCORED_HERE]
    theirs: dict[int, list[tuple[int, list[Proposition]]]] = {}
    for chunk in chunks(few):
        for statement_id, actor_id, said, quote in session.execute(
            select(Statement.id, Statement.actor_id, Statement.text, Statement.quote)
            .where(
                Statement.actor_id.in_(chunk),
                Statement.kind == "claim",
                Statement.deleted_at.is_(None),
            )
            .order_by(Statement.id)
        ):
            props = [proposition(value) for value in (said, quote) if value]
            theirs.setdefault(actor_id, []).append((statement_id, props))
    found: list[int | None] = []
    for claim in wanted:
        match: int | None = None
        if claim.author in theirs:
            prop = proposition(claim.text)
            best = (0.0, 0)
            for statement_id, props in theirs[claim.author]:
                score = round(max((compare(prop, other) for other in props), default=0.0), 4)
                if score > best[0]:
                    best = (score, statement_id)
            match = best[1] if best[0] >= CERTAIN_THRESHOLD else None
        elif sizes.get(claim.author, 0):
            match = _similar_by(session, claim, CERTAIN_THRESHOLD)
        found.append(match)
    return found


def _similar_by(session: Session, claim: Wanted, threshold: float) -> int | None:
    """The best of ``factdb.matching.similar``'s claims by the claim's author (among its
    first ``SIMILAR_LIMIT``; filtering by author inside ``similar`` widens its search)."""
    from factdb.matching import similar

    try:
        matches = similar(session, claim.text, kind="claim", limit=SIMILAR_LIMIT)
    except InvalidInput:  # a text without words
        return None
    ids = [match.statement_id for match in matches if match.score >= threshold]
    if not ids:
        return None
    rows = session.execute(select(Statement.id, Statement.actor_id).where(Statement.id.in_(ids)))
    authors = {statement_id: actor_id for statement_id, actor_id in rows}
    return next((found for found in ids if authors.get(found) == claim.author), None)


def fact_checks_in_record(
    session: Session, wanted: list[tuple[int, int, str]], urls: set[str]
) -> list[int | None]:
    """For each (claim id, checker id, review URL): the fact-check of that claim by that
    checker citing that URL, or None."""
    ids: dict[tuple[int | None, int, str], int] = {}
    for chunk in chunks(sorted({url for _, _, url in wanted} & urls)):
        for statement_id, answered, actor_id, url in session.execute(
            select(Statement.id, Statement.responds_to_id, Statement.actor_id, Source.url)
            .join(StatementSource, StatementSource.statement_id == Statement.id)
            .join(Source, Source.id == StatementSource.source_id)
            .where(
                Source.url.in_(chunk),
                Statement.kind == "fact_check",
                Statement.deleted_at.is_(None),
            )
            .order_by(Statement.id)
        ):
            ids.setdefault((answered, actor_id, url), statement_id)
    return [ids.get(key) for key in wanted]

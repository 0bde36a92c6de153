"""Full-text search over statements' text, quotes and notes.

SQLite uses the FTS5 table ``statements_fts`` (unicode61 tokenizer, diacritics removed) kept
in step by triggers; PostgreSQL a GIN index on ``factdb_search_document(text, quote, note)``
(lower-cased, unaccented, ``simple`` configuration). Both come from migration 0002.

What users type is data, never query syntax: it is split into words (letters and digits),
each word is quoted and matches words starting with it, and all words must match. Quotes,
``*``, ``-``, ``NEAR``, ``OR`` and parentheses are therefore ordinary text.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, Select, column, func, literal_column, select, table
from sqlalchemy.orm import Session

from factdb.dates import format_date
from factdb.errors import InvalidInput
from factdb.queries.filters import ActorFilter, actor_filter, kind_is
from factdb.queries.paging import Page, check_limit
from factdb.queries.records import statement_rows
from factdb.queries.rollup import Affiliations
from factdb.store.tables import statements
from factdb.text import name_key
from factdb.vocabulary import STATEMENT_KINDS

MAX_TERMS = 32
RANK_WINDOW = 2000
DEFAULT_LIMIT = 50
SNIPPET_WORDS = 12
_WORD = re.compile(r"[^\W_]+")

fts = table("statements_fts", column("rowid"), column("rank"), column("statements_fts"))


def search_terms(text: str, field: str = "TEXT") -> list[str]:
    """The words of a search, lower-cased; InvalidInput when there are none."""
    words = _WORD.findall(unicodedata.normalize("NFC", text).lower())
    if not words:
        raise InvalidInput.at(field, "give at least one word (letters or digits) to search for")
    if len(words) > MAX_TERMS:
        raise InvalidInput.at(field, f"at most {MAX_TERMS} words, got {len(words)}")
    return list(dict.fromkeys(words))


def _dialect(session: Session) -> str:
    return session.get_bind().dialect.name


def fts5_query(terms: Sequence[str], *, prefix: bool = True) -> str:
    """An FTS5 MATCH expression: every term quoted (as a prefix), all required."""
    star = "*" if prefix else ""
    return " ".join(f'"{term}"{star}' for term in terms)


def tsquery_text(terms: Sequence[str], *, prefix: bool = True) -> str:
    """A ``to_tsquery`` expression: every term quoted (as a prefix), all required."""
    star = ":*" if prefix else ""
    return " & ".join(f"'{term}'{star}" for term in terms)


def pg_document() -> ColumnElement[Any]:
    return func.factdb_search_document(statements.c.text, statements.c.quote, statements.c.note)


def _pg_query(terms: Sequence[str], *, prefix: bool = True) -> ColumnElement[Any]:
    return func.to_tsquery(
        literal_column("'simple'::regconfig"),
        func.factdb_unaccent(tsquery_text(terms, prefix=prefix)),
    )


def matching_ids(session: Session, terms: Sequence[str]) -> Select[Any]:
    """A subquery of the ids of statements (deleted or not) matching every term."""
    if _dialect(session) == "sqlite":
        return select(fts.c.rowid).where(fts.c.statements_fts.op("MATCH")(fts5_query(terms)))
    return select(statements.c.id).where(pg_document().op("@@")(_pg_query(terms)))


def _ranked(
    session: Session, terms: Sequence[str], *, prefix: bool
) -> Select[int, int, dt.date | None]:
    """Matching live statements, best first: (id, actor_id, date)."""
    columns = (statements.c.id, statements.c.actor_id, statements.c.date)
    if _dialect(session) == "sqlite":
        score = func.bm25(literal_column("statements_fts"))
        return (
            select(*columns)
            .select_from(fts)
            .join(statements, statements.c.id == fts.c.rowid)
            .where(fts.c.statements_fts.op("MATCH")(fts5_query(terms, prefix=prefix)))
            .where(statements.c.deleted_at.is_(None))
            .order_by(score, statements.c.id)
        )
    query = _pg_query(terms, prefix=prefix)
    return (
        select(*columns)
        .where(pg_document().op("@@")(query))
        .where(statements.c.deleted_at.is_(None))
        .order_by(func.ts_rank(pg_document(), query).desc(), statements.c.id)
    )


def snippet(values: Sequence[str | None], terms: Sequence[str], width: int = SNIPPET_WORDS) -> str:
    """A few words around the first match in the first field that has one, matches marked
    ``«like this»`` (diacritics-insensitive, words starting with a term)."""
    keys = [name_key(term) for term in terms]
    for value in values:
        if not value:
            continue
        words = value.split()
        hits = [
            index
            for index, word in enumerate(words)
            if any(part.startswith(keys_) for part in _parts(word) for keys_ in keys)
        ]
        if not hits:
            continue
        start = max(0, min(hits[0] - width // 3, len(words) - width))
        end = min(len(words), start + width)
        shown = [f"«{word}»" if index in hits else word for index, word in enumerate(words)]
        prefix = "… " if start > 0 else ""
        suffix = " …" if end < len(words) else ""
        return prefix + " ".join(shown[start:end]) + suffix
    return ""


def _parts(word: str) -> list[str]:
    return _WORD.findall(name_key(word))


def search(
    session: Session,
    text: str,
    *,
    kind: str | None = None,
    by: str | None = None,
    direct: bool = False,
    limit: int | None = DEFAULT_LIMIT,
) -> Page:
    """Live statements whose text, quote or note contain every word of ``text``, ignoring
    case and diacritics: first those where each word is a whole word, best first, then (to
    fill up to ``limit``) those where a word is only the start of a longer one.

    Rows: ``{id, kind, actor, date, text, quote, snippet, rank}`` where ``rank`` is 1 for the
    first row. Relevance is BM25 on SQLite and ``ts_rank`` on PostgreSQL; without ``kind``
    and ``by`` it is computed among the ``RANK_WINDOW`` most recently added matches, so a
    very common word stays fast. ``by`` keeps statements by that actor or (unless
    ``direct``) by its affiliates at the statement's date. ``limit`` None: every match.
    The page's ``total`` is the number of matches (whole words and starts of words). Raises
    InvalidInput for a search with no words, an unknown kind or a limit below 1."""
    terms = search_terms(text)
    if kind is not None and kind not in STATEMENT_KINDS:
        raise InvalidInput.at("kind", f"{kind!r} is not one of {', '.join(STATEMENT_KINDS)}")
    check_limit(limit)
    affiliations = Affiliations.load(session) if by is not None else None
    wanted = None
    if affiliations is not None:
        wanted = actor_filter(session, by, "by", affiliations, direct=direct)
    total = _count(session, terms, kind, wanted, affiliations)
    limit = total if limit is None else min(limit, total)
    ids: list[int] = []
    # Whole words first (fast, exact), then words that start with a term, to fill up.
    for prefix in (False, True):
        if len(ids) >= limit:
            break
        if wanted is None and kind is None:
            found = _best(session, terms, limit, prefix=prefix, skip=set(ids))
        else:
            found = _filtered(session, terms, limit, prefix, kind, wanted, affiliations, set(ids))
        ids.extend(found[: limit - len(ids)])
    return Page(_rows(session, ids, terms), total)


def _count(
    session: Session,
    terms: Sequence[str],
    kind: str | None,
    wanted: ActorFilter | None,
    affiliations: Affiliations | None,
) -> int:
    """The number of live matches (a word may be the start of a longer one), counted by the
    database unless the actor's dates must be checked row by row."""
    query = _ranked(session, terms, prefix=True).order_by(None)
    if kind is not None:
        query = query.where(kind_is(statements.c.kind, (kind,), use_index=False))
    if wanted is None or affiliations is None:
        counted = select(func.count()).select_from(query.subquery())
        return int(session.scalar(counted) or 0)
    query = query.where(statements.c.actor_id.in_(sorted(wanted.candidates)))
    return sum(
        1 for _id, actor_id, date in session.execute(query)
        if wanted.matches(affiliations, actor_id, date)
    )  # fmt: skip


def _filtered(
    session: Session,
    terms: Sequence[str],
    limit: int,
    prefix: bool,
    kind: str | None,
    wanted: ActorFilter | None,
    affiliations: Affiliations | None,
    skip: set[int],
) -> list[int]:
    """The best ``limit`` live matches of a kind and/or by an actor (all matches ranked)."""
    query = _ranked(session, terms, prefix=prefix)
    if kind is not None:
        query = query.where(kind_is(statements.c.kind, (kind,), use_index=False))
    if wanted is not None:
        query = query.where(statements.c.actor_id.in_(sorted(wanted.candidates)))
    ids: list[int] = []
    for statement_id, actor_id, date in session.execute(query):
        if statement_id in skip:
            continue
        if (
            wanted is not None
            and affiliations is not None
            and not wanted.matches(affiliations, actor_id, date)
        ):
            continue
        ids.append(statement_id)
        if len(ids) >= limit:
            break
    return ids


def _best(
    session: Session, terms: Sequence[str], limit: int, *, prefix: bool, skip: set[int]
) -> list[int]:
    """The best ``limit`` live matches (not in ``skip``). Relevance is computed for the
    ``RANK_WINDOW`` most recently added matches (all of them when there are fewer), which the
    indexes return without ranking everything; the window widens while deleted or skipped
    statements fill it."""
    take = limit + len(skip) + 16
    window = max(RANK_WINDOW, take)
    while True:
        if _dialect(session) == "sqlite":
            newest = (
                select(
                    fts.c.rowid.label("id"),
                    func.bm25(literal_column("statements_fts")).label("score"),
                )
                .where(fts.c.statements_fts.op("MATCH")(fts5_query(terms, prefix=prefix)))
                .order_by(fts.c.rowid.desc())
                .limit(window)
                .subquery()
            )
        else:
            query = _pg_query(terms, prefix=prefix)
            newest = (
                select(
                    statements.c.id.label("id"),
                    (-func.ts_rank(pg_document(), query)).label("score"),
                )
                .where(pg_document().op("@@")(query))
                .order_by(statements.c.id.desc())
                .limit(window)
                .subquery()
            )
        # Only the best few of the window are looked up in statements (to drop deleted ones).
        best = (
            select(newest.c.id, newest.c.score)
            .order_by(newest.c.score, newest.c.id)
            .limit(take)
            .subquery()
        )
        rows = session.execute(
            select(best.c.id, statements.c.deleted_at)
            .join(statements, statements.c.id == best.c.id)
            .order_by(best.c.score, best.c.id)
        ).all()
        live = [row[0] for row in rows if row[1] is None and row[0] not in skip]
        if len(live) >= limit or len(rows) < take:
            return live[:limit]
        take *= 4
        window = max(window, take)


def _rows(session: Session, ids: list[int], terms: Sequence[str]) -> list[dict[str, Any]]:
    s = statements
    found = statement_rows(
        session, ids, s.c.date, s.c.date_precision, s.c.text, s.c.quote, s.c.note
    )
    return [
        {
            "id": number,
            "kind": found[number].kind,
            "actor": found[number].name,
            "date": format_date(found[number].date, found[number].date_precision),
            "text": found[number].text,
            "quote": found[number].quote,
            "snippet": snippet(
                [found[number].text, found[number].quote, found[number].note], terms
            ),
            "rank": rank,
        }
        for rank, number in enumerate(ids, start=1)
    ]

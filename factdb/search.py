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
from factdb.filters import actor_filter, kind_is
from factdb.models import STATEMENT_KINDS, Actor, Statement
from factdb.rollup import Affiliations
from factdb.text import name_key

MAX_TERMS = 32
DEFAULT_LIMIT = 50
SNIPPET_WORDS = 12
_WORD = re.compile(r"[^\W_]+")

fts = table("statements_fts", column("rowid"), column("statements_fts"))


def search_terms(text: str, field: str = "TEXT") -> list[str]:
    """The words of a search, lower-cased; InvalidInput when there are none."""
    words = _WORD.findall(unicodedata.normalize("NFC", text).lower())
    if not words:
        raise InvalidInput(f"{field}: give at least one word (letters or digits) to search for")
    if len(words) > MAX_TERMS:
        raise InvalidInput(f"{field}: at most {MAX_TERMS} words, got {len(words)}")
    return list(dict.fromkeys(words))


def _dialect(session: Session) -> str:
    return session.get_bind().dialect.name


def fts5_query(terms: Sequence[str]) -> str:
    """An FTS5 MATCH expression: every term quoted as a prefix, all required."""
    return " ".join(f'"{term}"*' for term in terms)


def tsquery_text(terms: Sequence[str]) -> str:
    """A ``to_tsquery`` expression: every term quoted as a prefix, all required."""
    return " & ".join(f"'{term}':*" for term in terms)


def _pg_document() -> ColumnElement[Any]:
    return func.factdb_search_document(Statement.text, Statement.quote, Statement.note)


def _pg_query(terms: Sequence[str]) -> ColumnElement[Any]:
    return func.to_tsquery(
        literal_column("'simple'::regconfig"), func.factdb_unaccent(tsquery_text(terms))
    )


def matching_ids(session: Session, terms: Sequence[str]) -> Select[Any]:
    """A subquery of the ids of statements (deleted or not) matching every term."""
    if _dialect(session) == "sqlite":
        return select(fts.c.rowid).where(fts.c.statements_fts.op("MATCH")(fts5_query(terms)))
    return select(Statement.id).where(_pg_document().op("@@")(_pg_query(terms)))


def _ranked(session: Session, terms: Sequence[str]) -> Select[int, int, dt.date | None]:
    """Matching live statements, best first: (id, actor_id, date)."""
    columns = (Statement.id, Statement.actor_id, Statement.date)
    if _dialect(session) == "sqlite":
        score = func.bm25(literal_column("statements_fts"))
        return (
            select(*columns)
            .select_from(fts)
            .join(Statement.__table__, Statement.id == fts.c.rowid)
            .where(fts.c.statements_fts.op("MATCH")(fts5_query(terms)))
            .where(Statement.deleted_at.is_(None))
            .order_by(score, Statement.id)
        )
    query = _pg_query(terms)
    return (
        select(*columns)
        .where(_pg_document().op("@@")(query))
        .where(Statement.deleted_at.is_(None))
        .order_by(func.ts_rank(_pg_document(), query).desc(), Statement.id)
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
    limit: int = DEFAULT_LIMIT,
) -> list[dict[str, Any]]:
    """Live statements whose text, quote or note contain every word of ``text`` (as a word or
    the start of one; case- and diacritics-insensitive), best match first.

    Rows: ``{id, kind, actor, date, text, quote, snippet, rank}`` where ``rank`` is 1 for the
    best match. ``by`` keeps statements by that actor or (unless ``direct``) by its
    affiliates at the statement's date. Raises InvalidInput for a search with no words,
    an unknown kind or a limit below 1."""
    terms = search_terms(text)
    if kind is not None and kind not in STATEMENT_KINDS:
        raise InvalidInput(f"--kind: {kind!r} is not one of {', '.join(STATEMENT_KINDS)}")
    if limit < 1:
        raise InvalidInput(f"--limit: must be at least 1, got {limit}")
    query = _ranked(session, terms)
    if kind is not None:
        query = query.where(kind_is(Statement.kind, (kind,), use_index=False))
    affiliations = Affiliations.load(session) if by is not None else None
    wanted = None
    if by is not None and affiliations is not None:
        wanted = actor_filter(session, by, "--by", affiliations, direct=direct)
        assert wanted is not None
        query = query.where(Statement.actor_id.in_(sorted(wanted.candidates)))
    ids: list[int] = []
    if wanted is None:
        ids = [row[0] for row in session.execute(query.limit(limit))]
    else:
        assert affiliations is not None
        for statement_id, actor_id, date in session.execute(query):
            if wanted.matches(affiliations, actor_id, date):
                ids.append(statement_id)
                if len(ids) >= limit:
                    break
    return _rows(session, ids, terms)


def _rows(session: Session, ids: list[int], terms: Sequence[str]) -> list[dict[str, Any]]:
    if not ids:
        return []
    found = {
        row.id: row
        for row in session.execute(
            select(
                Statement.id,
                Statement.kind,
                Actor.name,
                Statement.date,
                Statement.date_precision,
                Statement.text,
                Statement.quote,
                Statement.note,
            )
            .join(Actor, Actor.id == Statement.actor_id)
            .where(Statement.id.in_(ids))
        )
    }
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

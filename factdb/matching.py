"""Claim matching: the live statements that assert the same proposition as a text.

Two steps. Candidates come from the full-text index of migration 0002 (FTS5 ranked by bm25
on SQLite, the ``factdb_search_document`` tsvector ranked by ``ts_rank`` on PostgreSQL): any
content word of the text (as a stem prefix, so ``Pakistani`` finds ``Pakistan``). The best
``CANDIDATES`` are then scored in Python by ``factdb.proposition.score`` against their text
(and their quote, when they have one), which is the same on both databases.

Scores are in [0, 1]. From ``SUGGEST_THRESHOLD`` a match is worth showing; from
``CERTAIN_THRESHOLD`` it is almost surely the same statement. A pair of opposite polarity
(admitted / denied, X / not X) never reaches ``CERTAIN_THRESHOLD``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from typing import Any, NamedTuple

from sqlalchemy import Select, func, literal_column, select
from sqlalchemy.orm import Session

from factdb.dates import format_date
from factdb.errors import InvalidInput, NotFound
from factdb.proposition import Proposition, compare, index_stems, proposition
from factdb.queries.filters import ActorFilter, actor_filter
from factdb.queries.paging import check_limit
from factdb.queries.records import statement_rows
from factdb.queries.resolve import is_id_ref, parse_statement_id
from factdb.queries.rollup import Affiliations
from factdb.queries.search import fts, fts5_query, pg_document, tsquery_text
from factdb.store.tables import statements
from factdb.text import required_text
from factdb.vocabulary import STATEMENT_KINDS

SUGGEST_THRESHOLD = 0.7
CERTAIN_THRESHOLD = 0.9
DEFAULT_LIMIT = 5
# How many of the index's best candidates are scored, and how many words are looked up.
CANDIDATES = 50
MAX_TERMS = 24


class Match(NamedTuple):
    """A live statement like the text matched: its id, the score (0 to 1) and its text (its
    quote when it has no text)."""

    statement_id: int
    score: float
    text: str


class _Candidate(NamedTuple):
    id: int
    text: str | None
    quote: str | None
    actor_id: int
    date: dt.date | None


def index_terms(prop: Proposition) -> list[str]:
    """The stems looked up in the full-text index for ``prop``."""
    return index_stems(prop, MAX_TERMS)


def _prefix(term: str) -> bool:
    """Stems of four letters or more are looked up as prefixes (``armen`` finds ``Armenian``);
    numbers and short words as they are."""
    return len(term) >= 4 and not term.isdigit()


def fts_match(terms: list[str]) -> str:
    """The FTS5 expression for any of ``terms``."""
    return " OR ".join(fts5_query([term], prefix=_prefix(term)) for term in terms)


def tsquery_any(terms: list[str]) -> str:
    """The ``to_tsquery`` expression for any of ``terms``."""
    return " | ".join(tsquery_text([term], prefix=_prefix(term)) for term in terms)


def _ranked_ids(session: Session, terms: list[str], take: int) -> Select[Any]:
    """The ``take`` best index matches (deleted or not): (id, score), best first."""
    if session.get_bind().dialect.name == "sqlite":
        # ORDER BY rank alone (bm25) lets FTS5 sort for itself; a second key would cost a
        # sort of every match. Ties are broken by id after the re-score.
        return (
            select(fts.c.rowid.label("id"), fts.c.rank.label("score"))
            .where(fts.c.statements_fts.op("MATCH")(fts_match(terms)))
            .order_by(fts.c.rank)
            .limit(take)
        )
    query = func.to_tsquery(
        literal_column("'simple'::regconfig"), func.factdb_unaccent(tsquery_any(terms))
    )
    score = (-func.ts_rank(pg_document(), query)).label("score")
    return (
        select(statements.c.id.label("id"), score)
        .where(pg_document().op("@@")(query))
        .order_by(literal_column("score"), statements.c.id)
        .limit(take)
    )


def _candidates(
    session: Session,
    terms: list[str],
    *,
    kind: str | None,
    wanted: ActorFilter | None,
    affiliations: Affiliations | None,
    exclude: Collection[int],
) -> list[_Candidate]:
    """The index's best ``CANDIDATES`` live statements passing the filters, best first. The
    window of index matches widens while deleted or filtered statements fill it."""
    take = CANDIDATES + len(exclude) + 16
    while True:
        best = _ranked_ids(session, terms, take).subquery()
        query = (
            select(
                statements.c.id,
                statements.c.text,
                statements.c.quote,
                statements.c.actor_id,
                statements.c.date,
                statements.c.deleted_at,
                statements.c.kind,
            )
            .join(best, best.c.id == statements.c.id)
            .order_by(best.c.score, best.c.id)
        )
        rows = session.execute(query).all()
        found = [
            _Candidate(row.id, row.text, row.quote, row.actor_id, row.date)
            for row in rows
            if row.deleted_at is None
            and row.id not in exclude
            and (kind is None or row.kind == kind)
            and (
                wanted is None
                or affiliations is None
                or wanted.matches(affiliations, row.actor_id, row.date)
            )
        ]
        if len(found) >= CANDIDATES or len(rows) < take:
            return found[:CANDIDATES]
        take *= 4


def _check(kind: str | None, limit: int) -> None:
    if kind is not None and kind not in STATEMENT_KINDS:
        raise InvalidInput.at("kind", f"{kind!r} is not one of {', '.join(STATEMENT_KINDS)}")
    check_limit(limit)


def query_proposition(text: str, field: str = "TEXT") -> Proposition:
    """The proposition of a text to match; InvalidInput when it has no words."""
    prop = proposition(required_text(text, field))
    if not prop.stems:
        raise InvalidInput.at(field, "give at least one word (letters or digits) to match")
    return prop


def similar(
    session: Session,
    text: str,
    *,
    kind: str | None = None,
    by: str | None = None,
    limit: int = DEFAULT_LIMIT,
    direct: bool = False,
    exclude: Collection[int] = (),
) -> list[Match]:
    """The live statements most likely to assert what ``text`` asserts, best first (ties by
    id), at most ``limit``, each with a score in (0, 1]. ``kind`` keeps one kind of statement;
    ``by`` keeps statements by that actor or (unless ``direct``) its affiliates at the
    statement's date; ``exclude`` leaves out statement ids. Raises InvalidInput for a text
    without words, an unknown kind or a limit below 1, and UnknownActor for ``by``."""
    prop = query_proposition(text)
    _check(kind, limit)
    affiliations = Affiliations.load(session) if by is not None else None
    wanted = None
    if affiliations is not None:
        wanted = actor_filter(session, by, "by", affiliations, direct=direct)
    found = _candidates(
        session,
        index_terms(prop),
        kind=kind,
        wanted=wanted,
        affiliations=affiliations,
        exclude=set(exclude),
    )
    return best_matches(prop, found, limit)


def _shown(candidate: _Candidate) -> str:
    return candidate.text or candidate.quote or ""


def best_matches(prop: Proposition, found: list[_Candidate], limit: int) -> list[Match]:
    """Score the candidates against ``prop``; the best ``limit`` above zero."""
    if not found:
        return []
    scored: list[Match] = []
    for candidate in found:
        texts = [value for value in (candidate.text, candidate.quote) if value]
        value = max((compare(prop, proposition(text)) for text in texts), default=0.0)
        if value > 0:
            scored.append(Match(candidate.id, round(value, 4), _shown(candidate)))
    scored.sort(key=lambda match: (-match.score, match.statement_id))
    return scored[:limit]


# ----------------------------------------------------------------------------- records


def level(value: float, suggest: float, certain: float) -> str:
    """``certain``, ``suggested`` or ``weak``: where a score stands against the thresholds."""
    if value >= certain:
        return "certain"
    return "suggested" if value >= suggest else "weak"


def _statement_text(session: Session, target: str) -> tuple[int, str]:
    """``#12``: the statement's id and the text it is matched by (its text, else its quote)."""
    number = parse_statement_id(target, "TEXT")
    row = session.execute(
        select(statements.c.text, statements.c.quote).where(statements.c.id == number)
    ).first()
    if row is None:
        raise NotFound(f"TEXT: there is no statement #{number}")
    text = row.text or row.quote
    if not text:
        raise InvalidInput(f"TEXT: statement #{number} has no text or quote to match")
    return number, text


def match_records(
    session: Session,
    matches: list[Match],
    query: str,
    *,
    suggest: float = SUGGEST_THRESHOLD,
    certain: float = CERTAIN_THRESHOLD,
) -> list[dict[str, Any]]:
    """Matches as rows: ``{id, score, match, polarity, kind, actor, date, text}`` where
    ``match`` is the level (see ``level``) and ``polarity`` is ``same`` or ``opposite`` (the
    matched text against ``query``)."""
    if not matches:
        return []
    ids = [match.statement_id for match in matches]
    rows = statement_rows(session, ids, statements.c.date, statements.c.date_precision)
    negated = proposition(query).negated
    return [
        {
            "id": match.statement_id,
            "score": match.score,
            "match": level(match.score, suggest, certain),
            "polarity": "same" if proposition(match.text).negated == negated else "opposite",
            "kind": rows[match.statement_id].kind,
            "actor": rows[match.statement_id].name,
            "date": format_date(
                rows[match.statement_id].date, rows[match.statement_id].date_precision
            ),
            "text": match.text,
        }
        for match in matches
    ]


def similar_records(
    session: Session,
    target: str,
    *,
    kind: str | None = None,
    by: str | None = None,
    direct: bool = False,
    limit: int = DEFAULT_LIMIT,
    min_score: float = 0.0,
    suggest: float = SUGGEST_THRESHOLD,
    certain: float = CERTAIN_THRESHOLD,
) -> list[dict[str, Any]]:
    """``factdb similar``: the statements nearest to ``target`` (a text, or ``#12`` for that
    statement's text, the statement itself left out) scoring at least ``min_score``, as rows
    (see ``match_records``)."""
    exclude: list[int] = []
    text = target
    if is_id_ref(target.strip()):  # a statement; anything else is text to match
        number, text = _statement_text(session, target)
        exclude.append(number)
    if not 0 <= min_score <= 1:
        raise InvalidInput.at("min_score", f"must be between 0 and 1, got {min_score}")
    found = similar(session, text, kind=kind, by=by, direct=direct, limit=limit, exclude=exclude)
    kept = [match for match in found if match.score >= min_score]
    return match_records(session, kept, text, suggest=suggest, certain=certain)


def entry_matches(
    session: Session,
    text: str,
    *,
    exclude: Collection[int] = (),
    suggest: float = SUGGEST_THRESHOLD,
    certain: float = CERTAIN_THRESHOLD,
    limit: int = 3,
) -> list[dict[str, Any]]:
    """The check made when a statement is logged: live statements scoring at least
    ``suggest`` against its ``text`` (ids in ``exclude`` left out: the new statement itself
    and what it answers), as rows (see ``match_records``). A text without words matches
    nothing (it is still a valid statement)."""
    if not proposition(text).stems:
        return []
    found = similar(session, text, limit=limit, exclude=exclude)
    kept = [match for match in found if match.score >= suggest]
    return match_records(session, kept, text, suggest=suggest, certain=certain)

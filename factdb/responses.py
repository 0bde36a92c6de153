"""Who denied what (and who endorsed, disputed, admitted, retracted or fact-checked it).

One row per response, in date order (undated last):
``response_id, kind, responder, on_behalf_of, date, quote, statement_id, statement, author,
sources``; ``who_denied`` and ``who_endorsed`` name the first columns for their kind
(``denial_id, denier`` / ``endorsement_id, endorser``) and drop ``kind``.

Filters roll up through dated affiliations (see ``factdb.rollup``): ``by`` is the responder,
``of`` the author of what was answered, ``about`` one of its subjects; each keeps rows whose
actor counts for the named one at that statement's date. ``direct`` turns roll-up off.
``topic`` and ``about`` look at what was answered; ``search`` matches the response or what
it answers; ``since``/``until`` bound the response's date.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, select, union
from sqlalchemy.orm import Session

from factdb.dates import PartialDate, format_date
from factdb.errors import InvalidInput
from factdb.filters import DateRange, actor_filter, date_key, kind_is, sources_of, topic_id
from factdb.models import RESPONSE_KINDS, Statement, StatementSubject, StatementTopic
from factdb.positions import actor_names, subjects_of
from factdb.resolve import get_statement
from factdb.rollup import Affiliations
from factdb.search import matching_ids, search_terms

Record = dict[str, Any]

_statements = Statement.__table__
response = _statements.alias("response")
target = _statements.alias("target")


@dataclass(frozen=True)
class Keys:
    """The first columns of a row: its id, its kind (None: no kind column), who answered."""

    id: str
    kind: str | None
    actor: str


RESPONSE_KEYS = Keys("response_id", "kind", "responder")
DENIAL_KEYS = Keys("denial_id", None, "denier")
ENDORSEMENT_KEYS = Keys("endorsement_id", None, "endorser")


def _base(kind: str | None, *, use_kind_index: bool) -> Select[Any]:
    kinds = RESPONSE_KINDS if kind is None else (kind,)
    return (
        select(
            response.c.id,
            response.c.kind,
            response.c.actor_id,
            response.c.date,
            response.c.date_precision,
            response.c.quote,
            target.c.id,
            target.c.text,
            target.c.quote,
            target.c.actor_id,
            target.c.date,
        )
        .select_from(response)
        .join(target, target.c.id == response.c.responds_to_id)
        .where(response.c.deleted_at.is_(None), target.c.deleted_at.is_(None))
        .where(kind_is(response.c.kind, kinds, use_index=use_kind_index))
    )


def response_query(
    session: Session,
    kind: str | None = None,
    *,
    statement: int | str | None = None,
    by: str | None = None,
    of: str | None = None,
    about: str | None = None,
    topic: str | None = None,
    search: str | None = None,
    since: str | PartialDate | None = None,
    until: str | PartialDate | None = None,
    direct: bool = False,
    keys: Keys = RESPONSE_KEYS,
) -> list[Record]:
    """Responses of ``kind`` (any response kind when None) matching every filter given, as
    rows ``{response_id, kind, responder, on_behalf_of, date, quote, statement_id,
    statement, author, sources}`` in date order (undated last), then by id.

    ``on_behalf_of`` lists the organizations the responder belonged to at the response's
    date, nearest first, up the chain. ``statement``: only answers to that statement id.
    ``keys`` names the first columns (``who_denied`` and ``who_endorsed`` use their own).
    Raises InvalidInput / NotFound / UnknownActor naming the flag at fault."""
    if kind is not None and kind not in RESPONSE_KINDS:
        raise InvalidInput(f"--kind: {kind!r} is not one of {', '.join(RESPONSE_KINDS)}")
    affiliations = Affiliations.load(session)
    by_filter = actor_filter(session, by, "--by", affiliations, direct=direct)
    of_filter = actor_filter(session, of, "--of", affiliations, direct=direct)
    about_filter = actor_filter(session, about, "--about", affiliations, direct=direct)
    topic_number = topic_id(session, topic)
    dates = DateRange.parse(since, until)
    selective = statement is not None or any(
        item is not None for item in (of_filter, about_filter, topic_number, search)
    )
    query = _base(kind, use_kind_index=by_filter is not None or not selective)
    if statement is not None:
        answered = get_statement(session, statement, field="ID")
        query = query.where(response.c.responds_to_id == answered.id)
    if by_filter is not None:
        query = query.where(response.c.actor_id.in_(sorted(by_filter.candidates)))
    if of_filter is not None:
        query = query.where(target.c.actor_id.in_(sorted(of_filter.candidates)))
    if about_filter is not None:
        query = query.where(
            target.c.id.in_(
                select(StatementSubject.statement_id).where(
                    StatementSubject.actor_id.in_(sorted(about_filter.candidates))
                )
            )
        )
    if topic_number is not None:
        query = query.where(
            target.c.id.in_(
                select(StatementTopic.statement_id).where(StatementTopic.topic_id == topic_number)
            )
        )
    if search is not None:
        matches = matching_ids(session, search_terms(search, "--search"))
        answering = select(_statements.c.id).where(_statements.c.responds_to_id.in_(matches))
        query = query.where(response.c.id.in_(union(matches, answering)))
    if dates.since is not None:
        query = query.where(response.c.date >= dates.since)
    if dates.until is not None:
        query = query.where(response.c.date <= dates.until)

    rows = session.execute(query).all()
    subjects: dict[int, list[int]] = {}
    if about_filter is not None:
        subjects = subjects_of(session, sorted({row[6] for row in rows}))
    kept = []
    for row in rows:
        (_rid, _kind, actor_id, date, _precision, _quote, target_id, _t, _q, author_id, tdate) = row
        if by_filter is not None and not by_filter.matches(affiliations, actor_id, date):
            continue
        if of_filter is not None and not of_filter.matches(affiliations, author_id, tdate):
            continue
        if about_filter is not None and not about_filter.matches_any(
            affiliations, subjects.get(target_id, []), tdate
        ):
            continue
        kept.append(row)
    kept.sort(key=lambda row: date_key(row[3], row[0]))
    return _records(session, kept, affiliations, keys)


def _records(
    session: Session,
    rows: Sequence[Any],
    affiliations: Affiliations,
    keys: Keys,
) -> list[Record]:
    if not rows:
        return []
    behalf = {row[0]: affiliations.organizations(row[2], row[3]) for row in rows}
    names = actor_names(
        session,
        {row[2] for row in rows}
        | {row[9] for row in rows}
        | {org for orgs in behalf.values() for org in orgs},
    )
    sources = sources_of(session, [row[0] for row in rows])
    records: list[Record] = []
    for (
        rid,
        kind,
        actor_id,
        date,
        precision,
        quote,
        target_id,
        target_text,
        target_quote,
        author_id,
        _tdate,
    ) in rows:
        record: Record = {keys.id: rid}
        if keys.kind is not None:
            record[keys.kind] = kind
        record[keys.actor] = names[actor_id]
        record["on_behalf_of"] = [names[org] for org in behalf[rid]]
        record["date"] = format_date(date, precision)
        record["quote"] = quote
        record["statement_id"] = target_id
        record["statement"] = target_text if target_text is not None else target_quote
        record["author"] = names[author_id]
        record["sources"] = sources.get(rid, [])
        records.append(record)
    return records


def who_denied(
    session: Session,
    statement: int | str | None = None,
    *,
    by: str | None = None,
    of: str | None = None,
    about: str | None = None,
    topic: str | None = None,
    search: str | None = None,
    since: str | PartialDate | None = None,
    until: str | PartialDate | None = None,
    direct: bool = False,
) -> list[Record]:
    """Denials as rows ``{denial_id, denier, on_behalf_of, date, quote, statement_id,
    statement, author, sources}``; filters as in ``response_query``."""
    return response_query(
        session,
        "denial",
        statement=statement,
        by=by,
        of=of,
        about=about,
        topic=topic,
        search=search,
        since=since,
        until=until,
        direct=direct,
        keys=DENIAL_KEYS,
    )


def who_endorsed(
    session: Session,
    statement: int | str | None = None,
    *,
    by: str | None = None,
    of: str | None = None,
    about: str | None = None,
    topic: str | None = None,
    search: str | None = None,
    since: str | PartialDate | None = None,
    until: str | PartialDate | None = None,
    direct: bool = False,
) -> list[Record]:
    """Endorsements as rows ``{endorsement_id, endorser, on_behalf_of, date, quote,
    statement_id, statement, author, sources}``; filters as in ``response_query``."""
    return response_query(
        session,
        "endorsement",
        statement=statement,
        by=by,
        of=of,
        about=about,
        topic=topic,
        search=search,
        since=since,
        until=until,
        direct=direct,
        keys=ENDORSEMENT_KEYS,
    )

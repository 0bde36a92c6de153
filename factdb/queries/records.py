"""Records as plain data (dicts of JSON types): the one shape the CLI renders as a table,
JSON or CSV, and that reports and tests read."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from sqlalchemy import ColumnElement, Row, Select, select
from sqlalchemy.orm import Session, selectinload

from factdb.dates import format_date
from factdb.store.tables import (
    actors,
    sources,
    statement_sources,
    statement_subjects,
    statement_topics,
    statements,
    topics,
)

if TYPE_CHECKING:
    from factdb.store.models import Actor, Affiliation, Source, Statement, StatementSource

Record = dict[str, Any]


def affiliation_terms(affiliation: Affiliation) -> Record:
    """An affiliation's ``role``, ``from`` and ``to``, seen from either end."""
    return {
        "role": affiliation.role,
        "from": format_date(affiliation.start_date, affiliation.start_precision),
        "to": format_date(affiliation.end_date, affiliation.end_precision),
    }


def affiliation_record(affiliation: Affiliation) -> Record:
    return {
        "organization": affiliation.organization.name,
        "organization_id": affiliation.organization_id,
        **affiliation_terms(affiliation),
    }


def actor_fields(actor: Actor) -> Record:
    """What an actor is: ``name, kind, country, wikidata, description, aliases`` (the
    export writes these too)."""
    return {
        "name": actor.name,
        "kind": actor.kind,
        "country": actor.country,
        "wikidata": actor.wikidata,
        "description": actor.description,
        "aliases": [alias.alias for alias in actor.aliases],
    }


def actor_record(actor: Actor) -> Record:
    return {
        "id": actor.id,
        **actor_fields(actor),
        "affiliations": [affiliation_record(a) for a in actor.memberships],
        "merged_into": actor.merged_into_id,
    }


def source_fields(source: Source) -> Record:
    """What a source is: ``url, outlet, title, published, retrieved, archive_url`` (the
    export writes these too)."""
    return {
        "url": source.url,
        "outlet": source.outlet,
        "title": source.title,
        "published": format_date(source.published_date, source.published_precision),
        "retrieved": source.retrieved_date.isoformat() if source.retrieved_date else None,
        "archive_url": source.archive_url,
    }


def source_record(source: Source) -> Record:
    return {"id": source.id, **source_fields(source)}


def statement_source_record(link: StatementSource) -> Record:
    return {
        "url": link.source.url,
        "outlet": link.source.outlet,
        "locator": link.locator,
    }


def statement_record(statement: Statement) -> Record:
    return {
        "id": statement.id,
        "kind": statement.kind,
        "actor": statement.actor.name,
        "actor_id": statement.actor_id,
        "responds_to": statement.responds_to_id,
        "text": statement.text,
        "quote": statement.quote,
        "lang": statement.lang,
        "date": format_date(statement.date, statement.date_precision),
        "about": [link.actor.name for link in statement.subject_links],
        "topics": [link.topic.name for link in statement.topic_links],
        "sources": [statement_source_record(link) for link in statement.source_links],
        "verdict": statement.verdict,
        "rating": statement.rating,
        "note": statement.note,
        "ref": statement.ref,
        "deleted": statement.deleted_at is not None,
    }


def with_authors(*columns: ColumnElement[Any]) -> Select[Any]:
    """A query of statements: their ``id``, ``kind`` and author's ``name``, then
    ``columns``."""
    return select(statements.c.id, statements.c.kind, actors.c.name, *columns).join(
        actors, actors.c.id == statements.c.actor_id
    )


def statement_rows(
    session: Session, ids: Sequence[int], *columns: ColumnElement[Any]
) -> dict[int, Row[Any]]:
    """The statements ``ids`` by id, as rows of ``with_authors(*columns)``."""
    if not ids:
        return {}
    query = with_authors(*columns).where(statements.c.id.in_(ids))
    return {row.id: row for row in session.execute(query)}


def statement_records(session: Session, ids: Sequence[int]) -> dict[int, Record]:
    """``statement_record`` of each statement by id, read with Core queries (one for the
    statements, one per kind of link), for listings that never need the ORM objects."""
    if not ids:
        return {}
    s = statements
    found: dict[int, Record] = {}
    for row in statement_rows(
        session,
        ids,
        s.c.actor_id,
        s.c.responds_to_id,
        s.c.text,
        s.c.quote,
        s.c.lang,
        s.c.date,
        s.c.date_precision,
        s.c.verdict,
        s.c.rating,
        s.c.note,
        s.c.ref,
        s.c.deleted_at,
    ).values():
        found[row.id] = {
            "id": row.id,
            "kind": row.kind,
            "actor": row.name,
            "actor_id": row.actor_id,
            "responds_to": row.responds_to_id,
            "text": row.text,
            "quote": row.quote,
            "lang": row.lang,
            "date": format_date(row.date, row.date_precision),
            "about": [],
            "topics": [],
            "sources": [],
            "verdict": row.verdict,
            "rating": row.rating,
            "note": row.note,
            "ref": row.ref,
            "deleted": row.deleted_at is not None,
        }
    for statement_id, name in session.execute(
        select(statement_subjects.c.statement_id, actors.c.name)
        .join(actors, actors.c.id == statement_subjects.c.actor_id)
        .where(statement_subjects.c.statement_id.in_(ids))
        .order_by(statement_subjects.c.statement_id, statement_subjects.c.position)
    ):
        found[statement_id]["about"].append(name)
    for statement_id, name in session.execute(
        select(statement_topics.c.statement_id, topics.c.name)
        .join(topics, topics.c.id == statement_topics.c.topic_id)
        .where(statement_topics.c.statement_id.in_(ids))
        .order_by(statement_topics.c.statement_id, statement_topics.c.position)
    ):
        found[statement_id]["topics"].append(name)
    for statement_id, cited in cited_sources(session, ids).items():
        found[statement_id]["sources"] = [
            {"url": item["url"], "outlet": item["outlet"], "locator": item["locator"]}
            for item in cited
        ]
    return found


def cited_sources(session: Session, ids: Sequence[int]) -> dict[int, list[Record]]:
    """Each statement's sources in their recorded order: ``{url, outlet, title, published,
    locator}``."""
    cited: dict[int, list[Record]] = {}
    rows = session.execute(
        select(
            statement_sources.c.statement_id,
            sources.c.url,
            sources.c.outlet,
            sources.c.title,
            sources.c.published_date,
            sources.c.published_precision,
            statement_sources.c.locator,
        )
        .join(sources, sources.c.id == statement_sources.c.source_id)
        .where(statement_sources.c.statement_id.in_(ids))
        .order_by(statement_sources.c.statement_id, statement_sources.c.position)
    )
    for row in rows:
        cited.setdefault(row.statement_id, []).append(
            {
                "url": row.url,
                "outlet": row.outlet,
                "title": row.title,
                "published": format_date(row.published_date, row.published_precision),
                "locator": row.locator,
            }
        )
    return cited


def statement_loader_options() -> Sequence[Any]:
    """Eager loads that make ``statement_record`` free of per-row queries."""
    from factdb.store.models import Statement, StatementSource, StatementSubject, StatementTopic

    return (
        selectinload(Statement.actor),
        selectinload(Statement.subject_links).selectinload(StatementSubject.actor),
        selectinload(Statement.topic_links).selectinload(StatementTopic.topic),
        selectinload(Statement.source_links).selectinload(StatementSource.source),
    )


def actor_loader_options() -> Sequence[Any]:
    from factdb.store.models import Actor, Affiliation

    return (
        selectinload(Actor.aliases),
        selectinload(Actor.memberships).selectinload(Affiliation.organization),
    )

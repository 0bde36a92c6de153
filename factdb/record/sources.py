"""Sources: where a statement was reported (URL, outlet, title, dates)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Literal

from sqlalchemy import select
from sqlalchemy.orm import Session

from factdb import rules
from factdb.dates import format_date, parse_optional_date
from factdb.errors import Conflict
from factdb.queries.records import Record, source_record
from factdb.store.conflicts import find_or_create
from factdb.store.models import Source
from factdb.text import clean_text, normalize_url


def source_for_url(session: Session, url: str, field: str = "source") -> Source:
    """The source with this (normalized) URL, created from the URL alone if new."""
    normalized = normalize_url(url, field)
    return find_or_create(
        session,
        lambda: session.scalar(select(Source).where(Source.url == normalized)),
        lambda: Source(url=normalized),
    )


@dataclass(frozen=True)
class SourceChange:
    """What ``add_source`` did: ``added`` a new source, ``updated`` empty fields of an
    existing one, or left it ``unchanged`` (everything given was already recorded)."""

    source: Source
    action: Literal["added", "updated", "unchanged"]


def add_source(
    session: Session,
    url: str,
    outlet: str | None = None,
    title: str | None = None,
    published: str | None = None,
    retrieved: str | None = None,
    archive_url: str | None = None,
) -> SourceChange:
    """Record a source with its details.

    Statements create sources from a bare URL (``source_for_url``), so adding a URL that is
    already known fills in the fields it does not have yet; repeating the same details is a
    no-op. Giving a value that differs from one already recorded is a Conflict: nothing is
    overwritten silently.
    """
    normalized = normalize_url(url, "URL")
    values: dict[str, Any] = {}
    if (text := clean_text(outlet, "outlet")) is not None:
        values["outlet"] = text
    if (text := clean_text(title, "title")) is not None:
        values["title"] = text
    published_on = parse_optional_date(published, "published")
    if published_on is not None:
        values["published_date"] = published_on.start
        values["published_precision"] = published_on.precision
    retrieved_on = parse_optional_date(retrieved, "retrieved")
    rules.check_retrieved(retrieved_on, published_on, "retrieved")
    if retrieved_on is not None:
        values["retrieved_date"] = retrieved_on.start
    if archive_url is not None and archive_url.strip():
        values["archive_url"] = normalize_url(archive_url, "archive_url")

    made: list[Source] = []

    def make() -> Source:
        made.append(Source(url=normalized, **values))
        return made[0]

    # Through find_or_create: a concurrent `source add` of the same URL fills in, not fails.
    source = find_or_create(
        session, lambda: session.scalar(select(Source).where(Source.url == normalized)), make
    )
    if made and source is made[0]:
        return SourceChange(source, "added")
    changed = False
    for column, value in values.items():
        current = getattr(source, column)
        if current is None:
            setattr(source, column, value)
            changed = True
        elif current != value:
            raise Conflict.at(
                _FIELDS[column],
                f"source #{source.id} already has {_FIELD_NAMES[column]} "
                f"{_shown(source, column)!r}; it is not overwritten",
            )
    session.flush()
    return SourceChange(source, "updated" if changed else "unchanged")


# The parameter of ``add_source`` that gives each column.
_FIELDS = {
    "outlet": "outlet",
    "title": "title",
    "published_date": "published",
    "published_precision": "published",
    "retrieved_date": "retrieved",
    "archive_url": "archive_url",
}
_FIELD_NAMES = {
    "outlet": "outlet",
    "title": "title",
    "published_date": "publication date",
    "published_precision": "publication date",
    "retrieved_date": "retrieval date",
    "archive_url": "archive URL",
}


def _shown(source: Source, column: str) -> str:
    if column.startswith("published"):
        return format_date(source.published_date, source.published_precision) or ""
    value = getattr(source, column)
    return value.isoformat() if isinstance(value, dt.date) else str(value)


def list_sources(session: Session) -> list[Record]:
    """Every source, oldest first."""
    return [source_record(s) for s in session.scalars(select(Source).order_by(Source.id)).all()]

"""Sources: where a statement was reported (URL, outlet, title, dates)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from factdb.models import Source
from factdb.text import normalize_url


def source_for_url(session: Session, url: str, field: str = "source") -> Source:
    """The source with this (normalized) URL, created from the URL alone if new."""
    normalized = normalize_url(url, field)
    source = session.scalar(select(Source).where(Source.url == normalized))
    if source is None:
        source = Source(url=normalized)
        session.add(source)
        session.flush()
    return source

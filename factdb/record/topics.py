"""Topics: free names that group statements ("Nagorno-Karabakh 2020")."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from factdb.store.conflicts import find_or_create
from factdb.store.models import Topic
from factdb.text import name_key, required_text


def topic_for_name(session: Session, name: str, field: str = "topic") -> Topic:
    """The topic with this name (case-, space- and diacritics-insensitive), created if new."""
    cleaned = required_text(name, field)
    key = name_key(cleaned)
    return find_or_create(
        session,
        lambda: session.scalar(select(Topic).where(Topic.name_key == key)),
        lambda: Topic(name=cleaned, name_key=key),
    )

"""A statement's links: the actors it is about, its topics and its sources (with a
locator), found or created by name or URL, added in order and dropped by name."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

from sqlalchemy.orm import Session

from factdb.errors import InvalidInput
from factdb.queries.resolve import resolve_actor
from factdb.record.sources import source_for_url
from factdb.record.topics import topic_for_name
from factdb.store.models import (
    Actor,
    StatementSource,
    StatementSubject,
    StatementTopic,
    Topic,
)
from factdb.text import clean_text, name_key, normalize_url

if TYPE_CHECKING:
    from factdb.store.models import Source, Statement

# A source is a URL, or a (URL, locator) pair such as ("https://…", "para. 3").
SourceInput = str | tuple[str, str | None]
Named = TypeVar("Named", Actor, Topic)


def _once(records: Iterable[Named]) -> list[Named]:
    """``records`` in order, each once (by id)."""
    found: dict[int, Named] = {}
    for record in records:
        found.setdefault(record.id, record)
    return list(found.values())


def linked_actors(session: Session, names: Iterable[str], field: str) -> list[Actor]:
    """The actors called ``names``, each once; UnknownActor naming ``field``."""
    return _once(resolve_actor(session, name, field) for name in names)


def linked_topics(session: Session, names: Iterable[str], field: str) -> list[Topic]:
    """The topics called ``names``, created when new, each once."""
    return _once(topic_for_name(session, name, field) for name in names)


def linked_sources(
    session: Session, items: Iterable[SourceInput], field: str
) -> list[tuple[Source, str | None]]:
    found: dict[int, tuple[Source, str | None]] = {}
    for item in items:
        url, locator = (item, None) if isinstance(item, str) else item
        source = source_for_url(session, url, field)
        cleaned = clean_text(locator, "locator")
        if source.id not in found or cleaned is not None:
            found[source.id] = (source, cleaned)
    return list(found.values())


def _next_position(links: Sequence[StatementSubject | StatementTopic | StatementSource]) -> int:
    return max((link.position for link in links), default=-1) + 1


def _link_new(links: list[Any], link: type[Any], name: str, records: Iterable[Named]) -> None:
    """Append a ``link(name=record, position=…)`` to ``links`` for each record they do not
    name yet, after the links already there."""
    present = {getattr(item, f"{name}_id") for item in links}
    for record in records:
        if record.id not in present:
            links.append(link(**{name: record, "position": _next_position(links)}))


def link_about(statement: Statement, actors: Iterable[Actor]) -> None:
    _link_new(statement.subject_links, StatementSubject, "actor", actors)


def link_topics(statement: Statement, topics: Iterable[Topic]) -> None:
    _link_new(statement.topic_links, StatementTopic, "topic", topics)


def link_sources(statement: Statement, sources: Iterable[tuple[Source, str | None]]) -> None:
    present = {link.source_id: link for link in statement.source_links}
    for source, locator in sources:
        if source.id in present:
            if locator is not None:
                present[source.id].locator = locator
            continue
        position = _next_position(statement.source_links)
        link = StatementSource(source=source, position=position, locator=locator)
        statement.source_links.append(link)


def _dropped(
    statement: Statement,
    links: Sequence[Any],
    key: Callable[[Any], object],
    wanted: Iterable[tuple[object, str]],
    field: str,
) -> list[Any]:
    """The links whose ``key`` is each value of ``wanted``, in order; InvalidInput naming
    ``field`` with the value's complaint for the first the statement does not have."""
    found = []
    for value, missing in wanted:
        link = next((x for x in links if key(x) == value), None)
        if link is None:
            raise InvalidInput.at(field, f"#{statement.id} {missing}")
        found.append(link)
    return found


def dropped_about(session: Session, statement: Statement, names: Iterable[str]) -> list[Any]:
    """The links to the actors ``names`` that ``statement`` is about (to drop them)."""
    actors = linked_actors(session, names, "remove_about")
    wanted = ((actor.id, f"is not about {actor.name}") for actor in actors)
    return _dropped(
        statement, statement.subject_links, lambda x: x.actor_id, wanted, "remove_about"
    )


def dropped_topics(statement: Statement, names: Iterable[str]) -> list[Any]:
    """The links to the topics ``names`` of ``statement`` (to drop them)."""
    wanted = ((name_key(name), f"has no topic {name!r}") for name in names)
    return _dropped(
        statement, statement.topic_links, lambda x: x.topic.name_key, wanted, "remove_topics"
    )


def dropped_sources(statement: Statement, urls: Iterable[str]) -> list[Any]:
    """The links to the sources ``urls`` that ``statement`` cites (to drop them)."""
    wanted = ((normalize_url(url, "remove_sources"), f"does not cite {url}") for url in urls)
    return _dropped(
        statement, statement.source_links, lambda x: x.source.url, wanted, "remove_sources"
    )


def link_keys(statement: Statement) -> tuple[Any, ...]:
    return (
        [link.actor_id for link in statement.subject_links],
        [link.topic_id for link in statement.topic_links],
        [(link.source_id, link.locator) for link in statement.source_links],
    )

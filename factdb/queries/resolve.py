"""Finding records by what users type: actor names (through aliases, ignoring case,
spacing and diacritics) and statement ids (``12`` or ``#12``)."""

from __future__ import annotations

import difflib
from typing import TYPE_CHECKING, NamedTuple

from sqlalchemy import select
from sqlalchemy.orm import Session

from factdb.errors import AmbiguousActor, InvalidInput, NotFound, UnknownActor
from factdb.store.tables import actor_aliases, actors, statements, topics
from factdb.text import name_key

if TYPE_CHECKING:
    from factdb.store.models import Actor, Topic

MAX_SUGGESTIONS = 3


class ActorRef(NamedTuple):
    """An actor as queries need it (no ORM object)."""

    id: int
    name: str


def live(actor: Actor) -> Actor:
    """The actor a merged duplicate now points to (itself when not merged)."""
    seen: set[int] = set()
    while actor.merged_into is not None and actor.id not in seen:
        seen.add(actor.id)
        actor = actor.merged_into
    return actor


def resolve_actor(session: Session, name: str, field: str = "actor") -> Actor:
    """The one actor called ``name``, as an ORM object (see ``resolve_actor_ref``)."""
    from factdb.store.models import Actor

    actor = session.get(Actor, resolve_actor_ref(session, name, field).id)
    assert actor is not None  # found just now, in this transaction
    return actor


def is_id_ref(text: str) -> bool:
    """``#12``: a record named by its id (where a statement's text, an actor's name or a
    draft's ref could stand)."""
    return text.startswith("#") and text[1:].isdigit()


def resolve_actor_ref(session: Session, name: str, field: str = "actor") -> ActorRef:
    """The one actor called ``name``: by its name, else by an alias, else by ``#id``; an actor
    merged into another stands for the one it was merged into."""
    key = name_key(name)
    if not key:
        raise InvalidInput.at(field, "an actor name must not be empty")
    if is_id_ref(key):
        # ids beyond 18 digits exist nowhere (and overflow the databases' integers)
        by_id = live_ref(session, int(key[1:])) if len(key) <= 19 else None
        if by_id is None:
            raise UnknownActor.at(field, f"there is no actor #{key[1:]}")
        return by_id
    named = session.scalar(select(actors.c.id).where(actors.c.name_key == key))
    found = None if named is None else live_ref(session, named)
    if found is not None:
        return found
    aliased = session.scalars(
        select(actor_aliases.c.actor_id).where(actor_aliases.c.alias_key == key)
    ).all()
    candidates = {ref.id: ref for ref in (live_ref(session, number) for number in aliased) if ref}
    if len(candidates) == 1:
        return next(iter(candidates.values()))
    if candidates:
        listed = ", ".join(f"{ref.name} (#{ref.id})" for ref in sorted(candidates.values()))
        raise AmbiguousActor.at(field, f"{name!r} could be any of: {listed}; give the full name")
    raise UnknownActor.at(field, f"no actor is called {name!r}{_suggest(session, key)}")


def live_ref(session: Session, actor_id: int) -> ActorRef | None:
    """Actor ``actor_id``, or what it was merged into (following the chain), if it exists."""
    seen: set[int] = set()
    row = session.execute(
        select(actors.c.id, actors.c.name, actors.c.merged_into_id).where(actors.c.id == actor_id)
    ).first()
    while row is not None and row.merged_into_id is not None and row.id not in seen:
        seen.add(row.id)
        row = session.execute(
            select(actors.c.id, actors.c.name, actors.c.merged_into_id).where(
                actors.c.id == row.merged_into_id
            )
        ).first()
    return None if row is None else ActorRef(row.id, row.name)


def _suggest(session: Session, key: str) -> str:
    names: dict[str, str] = {}
    for actor_key, actor_name in session.execute(
        select(actors.c.name_key, actors.c.name).where(actors.c.merged_into_id.is_(None))
    ):
        names[actor_key] = actor_name
    for alias_key, actor_name in session.execute(
        select(actor_aliases.c.alias_key, actors.c.name).join(
            actors, actor_aliases.c.actor_id == actors.c.id
        )
    ):
        names.setdefault(alias_key, actor_name)
    close = difflib.get_close_matches(key, list(names), n=MAX_SUGGESTIONS * 2, cutoff=0.6)
    suggestions = list(dict.fromkeys(names[match] for match in close))[:MAX_SUGGESTIONS]
    if suggestions:
        return f"; did you mean {', '.join(suggestions)}?"
    return "; add it first with `factdb actor add`"


def parse_statement_id(text: str, field: str = "ID") -> int:
    """``12`` or ``#12`` as an integer id."""
    raw = text.strip().removeprefix("#")
    if not raw.isdigit() or int(raw) == 0 or len(raw) > 18:
        raise InvalidInput.at(field, f"{text!r} is not a statement id (use 12 or #12)")
    return int(raw)


def statement_id_of(
    session: Session,
    statement_id: int | str,
    *,
    include_deleted: bool = False,
    field: str | None = None,
) -> int:
    """The id of an existing statement (``12`` or ``#12``); deleted ones only when asked
    for. ``field`` (``ID``) starts the error message when given."""
    number = parse_statement_id(statement_id) if isinstance(statement_id, str) else statement_id
    deleted_at = session.execute(
        select(statements.c.deleted_at).where(statements.c.id == number)
    ).first()
    if deleted_at is None or (deleted_at[0] is not None and not include_deleted):
        message = f"there is no statement #{number}"
        raise NotFound.at(field, message) if field else NotFound(message)
    return number


def resolve_topic(session: Session, name: str, field: str = "topic") -> Topic:
    """An existing topic by name, as an ORM object (see ``topic_id_of``)."""
    from factdb.store.models import Topic

    topic = session.get(Topic, topic_id_of(session, name, field))
    assert topic is not None  # found just now, in this transaction
    return topic


def topic_id_of(session: Session, name: str, field: str = "topic") -> int:
    """The id of an existing topic by name (case-, space- and diacritics-insensitive)."""
    key = name_key(name)
    found = session.scalar(select(topics.c.id).where(topics.c.name_key == key))
    if found is None:
        raise NotFound.at(field, f"there is no topic called {name!r}{suggest_topics(session, key)}")
    return int(found)


def suggest_topics(session: Session, key: str) -> str:
    """``; did you mean …?`` with the topics whose names contain or resemble ``key``."""
    names = {
        topic_key: topic_name
        for topic_key, topic_name in session.execute(select(topics.c.name_key, topics.c.name))
    }
    containing = sorted(topic_key for topic_key in names if key and key in topic_key)
    close = difflib.get_close_matches(key, list(names), n=MAX_SUGGESTIONS, cutoff=0.6)
    suggestions = list(dict.fromkeys(names[match] for match in [*containing, *close]))
    if not suggestions:
        return ""
    return f"; did you mean {', '.join(suggestions[:MAX_SUGGESTIONS])}?"

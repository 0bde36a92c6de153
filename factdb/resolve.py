"""Finding records by what users type: actor names (through aliases, ignoring case,
spacing and diacritics) and statement ids (``12`` or ``#12``)."""

from __future__ import annotations

import difflib

from sqlalchemy import select
from sqlalchemy.orm import Session

from factdb.errors import AmbiguousActor, InvalidInput, NotFound, UnknownActor
from factdb.models import Actor, ActorAlias, Statement, Topic
from factdb.text import name_key

MAX_SUGGESTIONS = 3


def live(actor: Actor) -> Actor:
    """The actor a merged duplicate now points to (itself when not merged)."""
    seen: set[int] = set()
    while actor.merged_into is not None and actor.id not in seen:
        seen.add(actor.id)
        actor = actor.merged_into
    return actor


def resolve_actor(session: Session, name: str, field: str = "actor") -> Actor:
    """The one actor called ``name``: by its name, else by an alias, else by ``#id``."""
    key = name_key(name)
    if not key:
        raise InvalidInput(f"{field}: an actor name must not be empty")
    if key.startswith("#") and key[1:].isdigit():
        # ids beyond 18 digits exist nowhere (and overflow the databases' integers)
        by_id = session.get(Actor, int(key[1:])) if len(key) <= 19 else None
        if by_id is None:
            raise UnknownActor(f"{field}: there is no actor #{key[1:]}")
        return live(by_id)
    named = session.scalar(select(Actor).where(Actor.name_key == key))
    if named is not None:
        return live(named)
    aliased = session.scalars(
        select(Actor)
        .join(ActorAlias, ActorAlias.actor_id == Actor.id)
        .where(ActorAlias.alias_key == key)
    ).all()
    candidates = {actor.id: actor for actor in (live(a) for a in aliased)}
    if len(candidates) == 1:
        return next(iter(candidates.values()))
    if candidates:
        listed = ", ".join(
            f"{actor.name} (#{actor.id})" for actor in sorted(candidates.values(), key=_by_id)
        )
        raise AmbiguousActor(f"{field}: {name!r} could be any of: {listed}; give the full name")
    raise UnknownActor(f"{field}: no actor is called {name!r}{_suggest(session, key)}")


def _by_id(actor: Actor) -> int:
    return actor.id


def _suggest(session: Session, key: str) -> str:
    names: dict[str, str] = {}
    for actor_key, actor_name in session.execute(
        select(Actor.name_key, Actor.name).where(Actor.merged_into_id.is_(None))
    ):
        names[actor_key] = actor_name
    for alias_key, actor_name in session.execute(
        select(ActorAlias.alias_key, Actor.name).join(Actor, ActorAlias.actor_id == Actor.id)
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
        raise InvalidInput(f"{field}: {text!r} is not a statement id (use 12 or #12)")
    return int(raw)


def get_statement(
    session: Session,
    statement_id: int | str,
    *,
    include_deleted: bool = False,
    field: str | None = None,
) -> Statement:
    """The statement with this id; deleted ones only when asked for. ``field`` (``ID``) starts
    the error message when given."""
    number = parse_statement_id(statement_id) if isinstance(statement_id, str) else statement_id
    statement = session.get(Statement, number)
    if statement is None or (statement.deleted_at is not None and not include_deleted):
        prefix = f"{field}: " if field else ""
        raise NotFound(f"{prefix}there is no statement #{number}")
    return statement


def resolve_topic(session: Session, name: str, field: str = "topic") -> Topic:
    """An existing topic by name (case-, space- and diacritics-insensitive)."""
    key = name_key(name)
    topic = session.scalar(select(Topic).where(Topic.name_key == key))
    if topic is None:
        raise NotFound(f"{field}: there is no topic called {name!r}{suggest_topics(session, key)}")
    return topic


def suggest_topics(session: Session, key: str) -> str:
    """``; did you mean …?`` with the topics whose names contain or resemble ``key``."""
    names = {
        topic_key: topic_name
        for topic_key, topic_name in session.execute(select(Topic.name_key, Topic.name))
    }
    containing = sorted(topic_key for topic_key in names if key and key in topic_key)
    close = difflib.get_close_matches(key, list(names), n=MAX_SUGGESTIONS, cutoff=0.6)
    suggestions = list(dict.fromkeys(names[match] for match in [*containing, *close]))
    if not suggestions:
        return ""
    return f"; did you mean {', '.join(suggestions[:MAX_SUGGESTIONS])}?"

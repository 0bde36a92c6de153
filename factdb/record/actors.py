"""Actors: who speaks (states, ministries, officials, organizations), their aliases, and
their affiliations (a spokesman belongs to a ministry, a ministry to a state).

Every function works in the caller's session and transaction and raises ``factdb.errors``
exceptions; nothing is printed. Names resolve through ``factdb.queries.resolve.resolve_actor``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from factdb import rules
from factdb.dates import PartialDate, format_date, parse_optional_date
from factdb.errors import Conflict, InvalidInput
from factdb.queries.records import Record, actor_loader_options, actor_record, affiliation_terms
from factdb.queries.resolve import is_id_ref, live, resolve_actor
from factdb.record.audit import audit_row
from factdb.store.models import (
    Actor,
    ActorAlias,
    Affiliation,
    AuditEntry,
    Statement,
    StatementSubject,
)
from factdb.text import clean_text, name_key, required_text

EDITABLE = ("name", "kind", "country", "wikidata", "description")


def _label(actor: Actor) -> str:
    return f"{actor.name} (#{actor.id})"


def _actor_named(session: Session, key: str) -> Actor | None:
    return session.scalar(select(Actor).where(Actor.name_key == key))


def _alias_holders(session: Session, key: str) -> list[tuple[Actor, str]]:
    """Live actors with this alias, and the alias as they spell it."""
    rows = session.execute(
        select(Actor, ActorAlias.alias)
        .join(ActorAlias, ActorAlias.actor_id == Actor.id)
        .where(ActorAlias.alias_key == key, Actor.merged_into_id.is_(None))
        .order_by(Actor.id)
    ).all()
    return [(actor, alias) for actor, alias in rows]


def _usable_key(name: str, field: str) -> str:
    """The name's key; names that could never be looked up (empty, ``#12``) are refused."""
    key = name_key(name)
    if not key:
        raise InvalidInput.at(field, "must not be empty")
    if is_id_ref(key):
        raise InvalidInput.at(field, f"{name!r} reads as an actor id; choose another name")
    return key


def _check_new_name(session: Session, name: str, field: str, *, itself: Actor | None) -> str:
    """The name's key, refusing one that another actor already answers to."""
    key = _usable_key(name, field)
    existing = _actor_named(session, key)
    if existing is not None and existing is not itself:
        if existing.merged_into_id is not None and existing.merged_into is not None:
            raise Conflict.at(
                field,
                f"{name!r} is already the name of {_label(existing)}, "
                f"merged into {_label(existing.merged_into)}",
            )
        raise Conflict.at(
            field, f"there is already an actor called {existing.name!r} (#{existing.id})"
        )
    for holder, alias in _alias_holders(session, key):
        if holder is not itself:
            raise Conflict.at(field, f"{alias!r} is already an alias of {_label(holder)}")
    return key


def _add_alias(session: Session, actor: Actor, alias: str, field: str = "ALIAS") -> bool:
    """Give ``actor`` the alias; False when it already answers to it."""
    cleaned = required_text(alias, field)
    key = _usable_key(cleaned, field)
    if key == actor.name_key or any(a.alias_key == key for a in actor.aliases):
        return False
    named = _actor_named(session, key)
    if named is not None and live(named) is actor:
        return False
    if named is not None:
        raise Conflict.at(field, f"{cleaned!r} is the name of another actor, {_label(named)}")
    actor.aliases.append(ActorAlias(alias=cleaned, alias_key=key))
    return True


# ----------------------------------------------------------------------------- affiliations


def _path_up(session: Session, start: Actor, goal: Actor) -> list[Actor]:
    """The chain of organizations (at any date) from ``start`` up to ``goal``; empty when
    ``goal`` is not above ``start`` (``factdb.rules.path_up``)."""

    def organizations(member: int) -> list[int]:
        return list(
            session.scalars(
                select(Affiliation.organization_id).where(Affiliation.member_id == member)
            ).all()
        )

    ids = rules.path_up(start.id, goal.id, organizations)
    return [actor for actor_id in ids if (actor := session.get(Actor, actor_id)) is not None]


def _period(
    start: str | None, end: str | None, from_field: str, to_field: str
) -> tuple[PartialDate | None, PartialDate | None]:
    begins = parse_optional_date(start, from_field)
    ends = parse_optional_date(end, to_field)
    rules.check_period(begins, ends, from_field, to_field)
    return begins, ends


def _affiliate(
    session: Session,
    member: Actor,
    organization: Actor,
    role: str | None,
    start: str | None,
    end: str | None,
    *,
    org_field: str,
) -> Affiliation:
    begins, ends = _period(start, end, "start", "end")
    role_text = clean_text(role, "role")
    if member.id == organization.id:
        raise InvalidInput.at(org_field, rules.member_of_itself(member.name))
    if circle := _path_up(session, organization, member):
        names = [member.name, *(actor.name for actor in circle)]
        raise InvalidInput.at(org_field, rules.affiliation_circle(names))
    values = (
        name_key(role_text or ""),
        begins.start if begins else None,
        begins.precision if begins else None,
        ends.start if ends else None,
        ends.precision if ends else None,
    )
    for existing in member.memberships:
        if existing.organization_id == organization.id and _terms(existing) == values:
            raise Conflict.at(
                org_field,
                f"{member.name} is already a member of {organization.name}"
                f"{_describe_period(existing)}",
            )
    affiliation = Affiliation(
        member=member,
        organization=organization,
        role=role_text,
        start_date=values[1],
        start_precision=values[2],
        end_date=values[3],
        end_precision=values[4],
    )
    session.add(affiliation)
    session.flush()
    return affiliation


def _terms(affiliation: Affiliation) -> tuple[object, ...]:
    return (
        name_key(affiliation.role or ""),
        affiliation.start_date,
        affiliation.start_precision,
        affiliation.end_date,
        affiliation.end_precision,
    )


def _describe_period(affiliation: Affiliation) -> str:
    parts = []
    if affiliation.role:
        parts.append(f"as {affiliation.role}")
    begins = format_date(affiliation.start_date, affiliation.start_precision)
    ends = format_date(affiliation.end_date, affiliation.end_precision)
    if begins:
        parts.append(f"from {begins}")
    if ends:
        parts.append(f"to {ends}")
    return f" ({' '.join(parts)})" if parts else ""


# ----------------------------------------------------------------------------- commands


def add_actor(
    session: Session,
    name: str,
    kind: str,
    country: str | None = None,
    aliases: Iterable[str] = (),
    member_of: str | None = None,
    role: str | None = None,
    start: str | None = None,
    end: str | None = None,
    wikidata: str | None = None,
    description: str | None = None,
) -> Actor:
    """Create an actor, with its aliases and (optionally) one affiliation."""
    cleaned = required_text(name, "NAME")
    actor_kind = rules.check_kind(kind)
    code = rules.check_country(country, "country")
    qid = rules.check_wikidata(wikidata, "wikidata")
    about = clean_text(description, "description")
    if member_of is None and (role is not None or start is not None or end is not None):
        raise InvalidInput.naming_fields(
            "{}: {}, {} and {} need {}", "member_of", "role", "start", "end", "member_of"
        )
    key = _check_new_name(session, cleaned, "NAME", itself=None)
    organization = resolve_actor(session, member_of, "member_of") if member_of else None
    actor = Actor(
        name=cleaned,
        name_key=key,
        kind=actor_kind,
        country=code,
        wikidata=qid,
        description=about,
    )
    session.add(actor)
    for alias in aliases:
        _add_alias(session, actor, alias, "aliases")
    session.flush()
    if organization is not None:
        _affiliate(session, actor, organization, role, start, end, org_field="member_of")
    return actor


def add_aliases(session: Session, actor_name: str, aliases: Iterable[str]) -> Actor:
    """Give an actor more names; aliases it already has are left as they are."""
    actor = resolve_actor(session, actor_name, "ACTOR")
    given = list(aliases)
    if not given:
        raise InvalidInput("ALIAS: give at least one alias")
    for alias in given:
        _add_alias(session, actor, alias, "ALIAS")
    session.flush()
    return actor


def affiliate(
    session: Session,
    member: str,
    organization: str,
    role: str | None = None,
    start: str | None = None,
    end: str | None = None,
) -> Affiliation:
    """Record that ``member`` belongs to ``organization`` (with a role and dates)."""
    member_actor = resolve_actor(session, member, "MEMBER")
    organization_actor = resolve_actor(session, organization, "ORG")
    return _affiliate(session, member_actor, organization_actor, role, start, end, org_field="ORG")


def list_actors(
    session: Session, kind: str | None = None, include_merged: bool = False
) -> list[Record]:
    """Actor records by name; merged duplicates only when asked for."""
    query = select(Actor).options(*actor_loader_options()).order_by(Actor.name_key, Actor.id)
    if kind is not None:
        query = query.where(Actor.kind == rules.check_kind(kind))
    if not include_merged:
        query = query.where(Actor.merged_into_id.is_(None))
    return [actor_record(actor) for actor in session.scalars(query).all()]


def member_record(affiliation: Affiliation) -> Record:
    return {
        "member": affiliation.member.name,
        "member_id": affiliation.member_id,
        **affiliation_terms(affiliation),
    }


def actor_details(session: Session, name: str) -> Record:
    """The actor record plus who is affiliated with it and how many (live) statements are
    by it and about it."""
    actor = resolve_actor(session, name, "ACTOR")
    members = session.scalars(
        select(Affiliation)
        .where(Affiliation.organization_id == actor.id)
        .options(selectinload(Affiliation.member))
        .order_by(Affiliation.id)
    ).all()
    by_count = session.scalar(
        select(func.count())
        .select_from(Statement)
        .where(Statement.actor_id == actor.id, Statement.deleted_at.is_(None))
    )
    about_count = session.scalar(
        select(func.count())
        .select_from(StatementSubject)
        .join(Statement, Statement.id == StatementSubject.statement_id)
        .where(StatementSubject.actor_id == actor.id, Statement.deleted_at.is_(None))
    )
    record = actor_record(actor)
    record["members"] = [member_record(affiliation) for affiliation in members]
    record["statements_by"] = int(by_count or 0)
    record["statements_about"] = int(about_count or 0)
    return record


def edit_actor(session: Session, actor: str, /, **changes: str | None) -> Actor:
    """Change an actor's name, kind, country, Wikidata id or description. ``None`` leaves a
    field as it is; an empty string clears an optional one."""
    unknown = sorted(set(changes) - set(EDITABLE))
    if unknown:
        raise InvalidInput.at(unknown[0], "actors have no such field")
    given = {field: value for field, value in changes.items() if value is not None}
    if not given:
        raise InvalidInput.naming_fields("nothing to change: give {}, {}, {}, {} or {}", *EDITABLE)
    target = resolve_actor(session, actor, "ACTOR")
    if "name" in given:
        new_name = required_text(given["name"], "name")
        key = _check_new_name(session, new_name, "name", itself=target)
        for alias in list(target.aliases):
            if alias.alias_key == key:
                target.aliases.remove(alias)
        target.name, target.name_key = new_name, key
    if "kind" in given:
        target.kind = rules.check_kind(given["kind"] or "")
    if "country" in given:
        target.country = rules.check_country(given["country"], "country")
    if "wikidata" in given:
        target.wikidata = rules.check_wikidata(given["wikidata"], "wikidata")
    if "description" in given:
        target.description = clean_text(given["description"], "description")
    session.flush()
    return target


def merge_actors(session: Session, duplicate: str, into: str) -> Actor:
    """Fold ``duplicate`` into ``into``: its statements, subjects, affiliations and aliases
    move over, its name becomes an alias, and it stays behind pointing at ``into``."""
    dup = resolve_actor(session, duplicate, "DUPLICATE")
    target = resolve_actor(session, into, "INTO")
    named = _actor_named(session, name_key(duplicate))
    if named is not None and named.merged_into_id is not None:
        raise Conflict(f"DUPLICATE: {_label(named)} is already merged into {_label(dup)}")
    if dup.id == target.id:
        raise InvalidInput(f"INTO: {duplicate!r} and {into!r} are the same actor, {_label(dup)}")
    before = actor_record(dup)
    moved: dict[str, int] = {}

    statements = session.scalars(select(Statement).where(Statement.actor_id == dup.id)).all()
    for statement in statements:
        statement.actor = target
    moved["statements"] = len(statements)

    moved["subjects"] = _move_subjects(session, dup, target)
    moved["affiliations"] = _move_affiliations(session, dup, target)

    alias_count = 0
    for alias in list(dup.aliases):
        dup.aliases.remove(alias)
        if alias.alias_key != target.name_key and all(
            a.alias_key != alias.alias_key for a in target.aliases
        ):
            target.aliases.append(ActorAlias(alias=alias.alias, alias_key=alias.alias_key))
            alias_count += 1
    if dup.name_key != target.name_key and all(a.alias_key != dup.name_key for a in target.aliases):
        target.aliases.append(ActorAlias(alias=dup.name, alias_key=dup.name_key))
        alias_count += 1
    moved["aliases"] = alias_count

    for earlier in session.scalars(select(Actor).where(Actor.merged_into_id == dup.id)).all():
        earlier.merged_into = target
    dup.merged_into = target
    session.flush()
    _refuse_cycles(session, target)

    after = {"merged_into": target.id, "into": target.name, "moved": moved}
    session.add(AuditEntry(**audit_row("merge", "actors", dup.id, before, after)))
    session.flush()
    return target


def _move_subjects(session: Session, dup: Actor, target: Actor) -> int:
    links = session.scalars(
        select(StatementSubject).where(StatementSubject.actor_id == dup.id)
    ).all()
    for link in links:
        taken = session.get(StatementSubject, (link.statement_id, target.id))
        if taken is None:
            session.add(
                StatementSubject(
                    statement_id=link.statement_id, actor_id=target.id, position=link.position
                )
            )
        session.delete(link)
    session.flush()
    return len(links)


def _move_affiliations(session: Session, dup: Actor, target: Actor) -> int:
    """Re-point both sides of the duplicate's affiliations; ones that would become
    self-affiliations or repeat an existing affiliation are dropped."""
    affected = session.scalars(
        select(Affiliation).where(
            (Affiliation.member_id == dup.id) | (Affiliation.organization_id == dup.id)
        )
    ).all()
    kept = list(
        session.scalars(
            select(Affiliation).where(
                (Affiliation.member_id == target.id) | (Affiliation.organization_id == target.id)
            )
        ).all()
    )
    kept = [affiliation for affiliation in kept if affiliation not in affected]
    for affiliation in affected:
        member = target if affiliation.member_id == dup.id else affiliation.member
        organization = target if affiliation.organization_id == dup.id else affiliation.organization
        if member is organization or any(
            other.member_id == member.id
            and other.organization_id == organization.id
            and _terms(other) == _terms(affiliation)
            for other in kept
        ):
            if affiliation in dup.memberships:
                dup.memberships.remove(affiliation)
            session.delete(affiliation)
            continue
        affiliation.member, affiliation.organization = member, organization
        kept.append(affiliation)
    session.flush()
    session.expire(dup, ["memberships", "members"])
    session.expire(target, ["memberships", "members"])
    return len(affected)


def _refuse_cycles(session: Session, actor: Actor) -> None:
    for organization_id in session.scalars(
        select(Affiliation.organization_id).where(Affiliation.member_id == actor.id)
    ).all():
        organization = session.get(Actor, organization_id)
        if organization is not None and (circle := _path_up(session, organization, actor)):
            names = [actor.name, *(other.name for other in circle)]
            raise InvalidInput(f"INTO: {rules.affiliation_circle(names)}")


def actor_summary(actor: Actor) -> dict[str, Any]:
    """The few facts a one-line confirmation needs."""
    return {"id": actor.id, "name": actor.name, "kind": actor.kind, "country": actor.country}

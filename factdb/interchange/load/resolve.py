"""The second stage: what each name and ``responds_to`` of the file stands for, in the file
or in the database (a merged actor or statement stands for the one it was merged into)."""

from __future__ import annotations

import difflib
from typing import Any

from sqlalchemy import select

from factdb.dates import PartialDate
from factdb.errors import InvalidInput
from factdb.interchange.format import ActorLine
from factdb.interchange.load.state import IN_DATABASE, DbParent, Job, chunks
from factdb.queries.resolve import is_id_ref, live_ref
from factdb.store.tables import actor_aliases, actors, statements


def load_actors(job: Job) -> None:
    """The database's actors that the file's names could mean (names and aliases)."""
    keys = set(job.names) | set(job.actors) | set(job.alias_owners)
    keys.discard("")
    for chunk in chunks(sorted(keys)):
        for row in job.session.execute(select(actors).where(actors.c.name_key.in_(chunk))):
            job.db_named[row.name_key] = job.db_actors[row.id] = row
        for alias_key, actor_id in job.session.execute(
            select(actor_aliases.c.alias_key, actor_aliases.c.actor_id).where(
                actor_aliases.c.alias_key.in_(chunk)
            )
        ):
            job.db_aliases.setdefault(alias_key, set()).add(live_id(job, actor_id))


def live_id(job: Job, actor_id: int) -> int:
    """The id of the actor ``actor_id`` was merged into (itself if not merged)."""
    known = job.db_actors.get(actor_id)
    if known is not None and known.merged_into_id is None:
        return actor_id
    found = live_ref(job.session, actor_id)
    return actor_id if found is None else found.id


def actor_for(job: Job, key: str) -> int | ActorLine | None:
    """What a name means: a database actor's id, a new actor of the file, or None."""
    if key in job.resolved:
        return job.resolved[key]
    found: int | ActorLine | None = None
    if is_id_ref(key):
        ref = live_ref(job.session, int(key[1:]))
        found = None if ref is None else ref.id
    elif key in job.actors:
        existing = job.db_named.get(key)
        found = job.actors[key] if existing is None else live_id(job, existing.id)
    elif key in job.db_named:
        found = live_id(job, job.db_named[key].id)
    else:
        candidates: dict[str, int | ActorLine] = {}
        for owner in job.alias_owners.get(key, []):
            target = actor_for(job, owner)
            if target is not None:
                candidates[label(job, target)] = target
        for actor_id in job.db_aliases.get(key, set()):
            candidates[label(job, actor_id)] = actor_id
        if len(candidates) > 1:
            raise InvalidInput(
                f"could be any of: {', '.join(sorted(candidates))}; give the full name"
            )
        found = next(iter(candidates.values()), None)
    if found is not None:
        job.resolved[key] = found
    return found


def label(job: Job, target: int | ActorLine) -> str:
    if isinstance(target, ActorLine):
        return f"{target.name} (line {target.line})"
    return f"{_name(job, target)} (#{target})"


def _name(job: Job, actor_id: int) -> str:
    """The name of the database's actor ``actor_id`` (``?`` if there is none)."""
    known = job.db_actors.get(actor_id)
    if known is not None:
        return str(known.name)
    name = job.session.scalar(select(actors.c.name).where(actors.c.id == actor_id))
    return "?" if name is None else name


def _suggest(job: Job, key: str) -> str:
    names: dict[str, str] = {actor.key: actor.name for actor in job.actors.values()}
    for actor_key, actor_name in job.session.execute(
        select(actors.c.name_key, actors.c.name).where(actors.c.merged_into_id.is_(None))
    ):
        names.setdefault(actor_key, actor_name)
    close = difflib.get_close_matches(key, list(names), n=3, cutoff=0.6)
    if close:
        return f"; did you mean {', '.join(names[match] for match in close)}?"
    return "; declare it with an actor line or add it with `factdb actor add`"


def resolve_names(job: Job) -> None:
    for key, (number, field_name, name) in job.names.items():
        try:
            target = actor_for(job, key)
        except InvalidInput as exc:
            job.problem(number, f"{field_name}: {name!r} {exc}")
            continue
        if target is None:
            job.problem(number, f"{field_name}: no actor is called {name!r}{_suggest(job, key)}")


def resolve_parents(job: Job) -> None:
    unresolved: list[tuple[int, str]] = []
    for index, parent in job.pending:
        position = job.refs.get(parent)
        if position is not None:
            job.parents[index] = position
        else:
            unresolved.append((index, parent))
    job.pending = []
    if not unresolved:
        return
    wanted = sorted({parent for _, parent in unresolved})
    found: dict[str, DbParent] = {}
    deleted: dict[str, int] = {}
    by_ref = [ref for ref in wanted if not is_id_ref(ref)]
    by_id = {int(ref[1:]): ref for ref in wanted if is_id_ref(ref)}
    c = statements.c
    columns = (c.id, c.ref, c.actor_id, c.date, c.date_precision, c.deleted_at, c.merged_into_id)
    rows: list[Any] = []
    for chunk in chunks(by_ref):
        rows.extend(job.session.execute(select(*columns).where(c.ref.in_(chunk))))
    for chunk in chunks(sorted(by_id)):
        rows.extend(job.session.execute(select(*columns).where(c.id.in_(chunk))))
    # A merged statement's ref (or id) stands for the statement it was merged into.
    merged: dict[int, list[str]] = {}
    named: list[tuple[Any, list[str]]] = []
    for row in rows:
        keys = [row.ref] if row.ref in wanted else []
        if row.id in by_id:
            keys.append(by_id[row.id])
        if row.merged_into_id is not None:
            merged.setdefault(row.merged_into_id, []).extend(keys)
        else:
            named.append((row, keys))
    for chunk in chunks(sorted(merged)):
        for row in job.session.execute(select(*columns).where(c.id.in_(chunk))):
            named.append((row, merged[row.id]))
    for row, keys in named:
        for key in keys:
            if row.deleted_at is not None:
                deleted[key] = row.id
                continue
            when = None if row.date is None else PartialDate(row.date, row.date_precision)
            found[key] = DbParent(
                row.id,
                row.actor_id,
                when.start if when else None,
                f"#{row.id}",
            )
    for index, parent in unresolved:
        line = job.lines[index]
        if parent in found:
            job.parents[index] = IN_DATABASE
            job.db_parents[index] = found[parent]
        elif parent in deleted:
            job.problem(
                line,
                f"responds_to: {parent!r} is statement #{deleted[parent]}, which is deleted",
            )
        else:
            job.problem(
                line,
                f"responds_to: no statement has the ref {parent!r} "
                "(neither in this file nor in the database)",
            )


def node(job: Job, key: str) -> int | str:
    target = actor_for(job, key)
    return target.key if isinstance(target, ActorLine) else int(target or 0)


def node_name(job: Job, node: int | str) -> str:
    if isinstance(node, str):
        return job.actors[node].name
    return _name(job, node)

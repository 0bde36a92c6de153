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
from factdb.queries.resolve import is_id_ref
from factdb.store.models import Actor, ActorAlias, Statement


def load_actors(job: Job) -> None:
    """The database's actors that the file's names could mean (names and aliases)."""
    keys = set(job.names) | set(job.actors) | set(job.alias_owners)
    keys.discard("")
    for chunk in chunks(sorted(keys)):
        for actor in job.session.scalars(select(Actor).where(Actor.name_key.in_(chunk))):
            job.db_named[actor.name_key] = actor
        for alias_key, actor_id in job.session.execute(
            select(ActorAlias.alias_key, ActorAlias.actor_id).where(ActorAlias.alias_key.in_(chunk))
        ):
            job.db_aliases.setdefault(alias_key, set()).add(live_id(job, actor_id))


def live_id(job: Job, actor_id: int) -> int:
    seen: set[int] = set()
    current = job.session.get(Actor, actor_id)
    while current is not None and current.merged_into_id is not None:
        if current.id in seen:
            break
        seen.add(current.id)
        current = job.session.get(Actor, current.merged_into_id)
    return actor_id if current is None else current.id


def actor_for(job: Job, key: str) -> int | ActorLine | None:
    """What a name means: a database actor's id, a new actor of the file, or None."""
    if key in job.resolved:
        return job.resolved[key]
    found: int | ActorLine | None = None
    if is_id_ref(key):
        actor = job.session.get(Actor, int(key[1:]))
        found = None if actor is None else live_id(job, actor.id)
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
    actor = job.session.get(Actor, target)
    return f"{actor.name if actor else '?'} (#{target})"


def _suggest(job: Job, key: str) -> str:
    names: dict[str, str] = {actor.key: actor.name for actor in job.actors.values()}
    for actor_key, actor_name in job.session.execute(
        select(Actor.name_key, Actor.name).where(Actor.merged_into_id.is_(None))
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
    columns = (
        Statement.id,
        Statement.ref,
        Statement.actor_id,
        Statement.date,
        Statement.date_precision,
        Statement.deleted_at,
        Statement.merged_into_id,
    )
    rows: list[Any] = []
    for chunk in chunks(by_ref):
        rows.extend(job.session.execute(select(*columns).where(Statement.ref.in_(chunk))))
    for chunk in chunks(sorted(by_id)):
        rows.extend(job.session.execute(select(*columns).where(Statement.id.in_(chunk))))
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
        for row in job.session.execute(select(*columns).where(Statement.id.in_(chunk))):
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
    actor = job.session.get(Actor, node)
    return actor.name if actor else "?"

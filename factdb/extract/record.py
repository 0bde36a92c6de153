"""An extraction against the record: actors by the names the record gives them, statements
already recorded left out, and answers to recorded claims pointed at them (``#ID``).

A statement counts as recorded when the record holds its ``ref`` (a draft imported before),
or a statement of the same kind by the same actor, cited from the same article, with the
same text or quote. A claim counts as recorded when ``factdb.matching.similar`` finds a
claim by the same author (or its affiliates) that says the same: from
``SUGGEST_THRESHOLD`` when the article answers it (the answer pins down which claim it is),
from ``CERTAIN_THRESHOLD`` otherwise. Its answers then answer the recorded claim (``#ID``).
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session

from factdb.errors import AmbiguousActor, FactDBError, UnknownActor
from factdb.extract.model import Draft, ProposedActor
from factdb.matching import CERTAIN_THRESHOLD, SUGGEST_THRESHOLD, Match, similar
from factdb.queries.resolve import resolve_actor_ref
from factdb.store.tables import sources, statement_sources, statements
from factdb.text import name_key

if TYPE_CHECKING:
    from factdb.extract.core import _Item


def record_name(session: Session, actor: ProposedActor) -> str | None:
    """The record's name for the actor: by its name, else by one of its aliases (case,
    spacing and diacritics ignored), or None when the record does not know it."""
    for name in (actor.name, *actor.aliases):
        try:
            return resolve_actor_ref(session, name).name
        except (UnknownActor, AmbiguousActor):
            continue
    return None


def link_to_record(
    session: Session, draft: Draft, items: list[_Item], actors: list[ProposedActor]
) -> tuple[dict[str, str], list[ProposedActor]]:
    """Rename actors to the record's names and drop those it holds; drop statements it
    holds; point answers at recorded claims. Returns (proposed name → name to use, the
    actors still to propose)."""
    names: dict[str, str] = {}
    proposed: list[ProposedActor] = []
    for actor in actors:
        known = record_name(session, actor)
        names[actor.name] = known or actor.name
        if known is None:
            proposed.append(actor)
    proposed = [
        replace(
            actor,
            organization=names.get(actor.organization, actor.organization)
            if actor.organization
            else None,
            aliases=[alias for alias in actor.aliases if not _known(session, alias)],
        )
        for actor in proposed
    ]
    draft.source_recorded = draft.url is not None and _source_id(session, draft.url) is not None
    recorded: dict[int, int] = {}
    for index, item in enumerate(items):
        number = _recorded(session, item, _author(item, names), draft.url)
        if number is not None:
            recorded[index] = number
    # what a recorded answer answers is recorded too: the claim it answers there
    position = {id(item): index for index, item in enumerate(items)}
    for index, number in list(recorded.items()):
        target = items[index].responds_to
        if target is not None and not isinstance(target, str):
            answered = _answered_id(session, number)
            if answered is not None:
                recorded.setdefault(position[id(target)], answered)
    for index, item in enumerate(items):
        if index in recorded:
            item.linked = f"#{recorded[index]} already recorded"
            continue
        if item.found.kind != "claim":
            continue
        author = _author(item, names)
        # a claim that is answered here links at SUGGEST (the answer says which claim it
        # is); one that is not is left out only when it is almost surely the same
        answered = _answered_later(item, items)
        match = _close_claim(
            session, item, author, SUGGEST_THRESHOLD if answered else CERTAIN_THRESHOLD
        )
        if match is not None:
            recorded[index] = match.statement_id
            item.linked = (
                f"#{match.statement_id} is this claim, recorded (by {author}, "
                f"similarity {match.score:.2f}: {match.text!r})"
            )
    kept: list[_Item] = []
    for index, item in enumerate(items):
        if index in recorded:
            draft.already_recorded.append((item.ref, recorded[index]))
            continue
        target = item.responds_to
        if target is not None and not isinstance(target, str):
            number = recorded.get(position[id(target)])
            if number is not None:
                item.responds_to = f"#{number}"
                item.linked = target.linked
        kept.append(item)
    items[:] = kept
    return names, proposed


def _author(item: _Item, names: dict[str, str]) -> str:
    name = item.found.authors[0].name
    return names.get(name, name)


def _answered_id(session: Session, statement_id: int) -> int | None:
    found = session.scalar(
        select(statements.c.responds_to_id).where(statements.c.id == statement_id)
    )
    return None if found is None else int(found)


def _known(session: Session, name: str) -> bool:
    try:
        resolve_actor_ref(session, name)
    except (UnknownActor, AmbiguousActor):
        return False
    return True


def _source_id(session: Session, url: str) -> int | None:
    found = session.scalar(select(sources.c.id).where(sources.c.url == url))
    return None if found is None else int(found)


def _answered_later(item: _Item, items: list[_Item]) -> bool:
    return any(other.responds_to is item for other in items)


def _recorded(session: Session, item: _Item, author: str, url: str | None) -> int | None:
    by_ref = session.scalar(select(statements.c.id).where(statements.c.ref == item.ref))
    if by_ref is not None:
        return int(by_ref)
    if url is None:
        return None
    source_id = _source_id(session, url)
    try:
        actor_id = resolve_actor_ref(session, author).id
    except (UnknownActor, AmbiguousActor):
        return None
    if source_id is None:
        return None
    quote = item.found.quote.text if item.found.quote is not None else None
    rows = session.execute(
        select(statements.c.id, statements.c.text, statements.c.quote)
        .join(statement_sources, statement_sources.c.statement_id == statements.c.id)
        .where(
            statement_sources.c.source_id == source_id,
            statements.c.actor_id == actor_id,
            statements.c.kind == item.found.kind,
            statements.c.deleted_at.is_(None),
        )
        .order_by(statements.c.id)
    ).all()
    for row in rows:
        same_text = item.found.text is not None and name_key(row.text or "") == name_key(
            item.found.text
        )
        same_quote = quote is not None and row.quote == quote
        if same_text or same_quote:
            return int(row.id)
    return None


def _close_claim(session: Session, item: _Item, author: str, threshold: float) -> Match | None:
    """The author's (or its affiliates') recorded claim that says what the item says, if
    ``factdb.matching`` scores it at ``threshold`` or above."""
    text = item.found.text
    if not text:
        return None
    try:
        best = similar(session, text, kind="claim", by=author, limit=1)
    except FactDBError:  # no words to match, or an author the record does not know
        return None
    if best and best[0].score >= threshold:
        return best[0]
    return None

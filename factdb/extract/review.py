"""Reviewing a draft: edit a proposal's author, kind or target, and keep only what was
accepted (with the actors it needs; an answer to a proposal that was left out goes too)."""

from __future__ import annotations

from dataclasses import replace

from factdb.errors import InvalidInput
from factdb.extract.model import Draft, ProposedActor, ProposedStatement
from factdb.queries.resolve import is_id_ref
from factdb.text import name_key
from factdb.vocabulary import STATEMENT_KINDS

REVIEW_KINDS = tuple(kind for kind in STATEMENT_KINDS if kind != "fact_check")


def edit(
    draft: Draft,
    statement: ProposedStatement,
    *,
    by: str | None = None,
    kind: str | None = None,
    responds_to: str | None = None,
) -> ProposedStatement:
    """The statement with a new author, kind or target (a ref of the draft or ``#ID``).
    A claim answers nothing; an answer must answer something."""
    changed = statement
    if by is not None:
        if not by.strip():
            raise InvalidInput("author: must not be empty")
        changed = replace(changed, by=by.strip())
    if kind is not None:
        value = kind.strip().lower()
        if value not in REVIEW_KINDS:
            raise InvalidInput(f"kind: {kind!r} is not one of {', '.join(REVIEW_KINDS)}")
        changed = replace(changed, kind=value)
        if value == "claim":
            changed = replace(changed, responds_to=None, text=changed.text or changed.quote)
    if responds_to is not None:
        target = responds_to.strip()
        refs = {s.ref for s in draft.statements if s.ref != statement.ref}
        if not is_id_ref(target) and target not in refs:
            raise InvalidInput(f"target: {target!r} is neither a proposal's ref nor #ID")
        if changed.kind == "claim":
            raise InvalidInput("target: a claim answers nothing; change its kind first")
        changed = replace(changed, responds_to=target, linked=None)
    if changed.kind != "claim" and changed.responds_to is None:
        raise InvalidInput(f"target: a {changed.kind} must answer a statement; give its target")
    return changed


def keep(draft: Draft, accepted: list[ProposedStatement]) -> tuple[Draft, list[str]]:
    """A draft of the accepted statements only, and the refs of accepted answers left out
    because what they answer was not accepted. Actors stay when a kept statement names them
    (as author, subject or organization of one that does)."""
    kept: list[ProposedStatement] = []
    dropped: list[str] = []
    refs: set[str] = set()
    for statement in accepted:
        target = statement.responds_to
        if target is not None and not target.startswith("#") and target not in refs:
            dropped.append(statement.ref)
            continue
        kept.append(statement)
        refs.add(statement.ref)
    needed = {name_key(s.by) for s in kept} | {name_key(a) for s in kept for a in s.about}
    by_key = {name_key(actor.name): actor for actor in draft.actors}
    actors: list[ProposedActor] = []
    queue = [key for key in needed if key in by_key]
    chosen: set[str] = set()
    while queue:
        key = queue.pop()
        if key in chosen:
            continue
        chosen.add(key)
        organization = by_key[key].organization
        if organization and name_key(organization) in by_key:
            queue.append(name_key(organization))
    actors = [actor for actor in draft.actors if name_key(actor.name) in chosen]
    return replace(draft, statements=kept, actors=actors, already_recorded=[]), dropped

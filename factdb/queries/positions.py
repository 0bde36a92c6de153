"""Positions: where each actor stands on a statement, followed through its whole thread.

Every statement in a thread gets a stance towards the thread's root: the root's author
``supports`` it; a denial flips the stance of what it denies (denying a denial supports the
root), an endorsement copies it (endorsing a denial opposes the root), a dispute flips it as a
question, an admission concedes, and a fact-check assesses (a verdict on a denial is turned
around: a denial found ``false`` means the root is assessed ``true``).

Retractions withdraw the statement they answer (the write path lets only its author or an
affiliate retract it). A withdrawn statement no longer counts: it gives its author no stance
(a retracted root still anchors the thread, so the answers to it keep theirs; a retraction
of a retraction restores what it withdrew). A retraction counts only once it has been said:
under ``as_of`` one dated after the cut-off (or undated) withdraws nothing.

An actor's position is the stance of its latest *live* statement in the thread (undated
ones count as the earliest); ``via`` lists the live statement ids with that stance. An actor
with no live stance left, but whose statement was withdrawn or who withdrew one, is
``withdrawn``, ``via`` the retractions. So the author of a retracted claim is ``withdrawn``,
as are both a ministry whose endorsement was retracted and the state that retracted it for
the ministry; an actor that also said something else live keeps that stance.

With roll-up each statement is credited to the outermost organizations its author spoke for
at its date (a withdrawal to those of the retractor at the retraction's date and of the
withdrawn statement's author at that statement's date), and the same rule applies: an
organization's position comes from its members' live stances, so one member's withdrawal
does not hide another member's live support.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Sequence
from typing import Any, NamedTuple

from sqlalchemy import ARRAY, ColumnElement, Integer, any_, func, literal, select
from sqlalchemy.orm import Session

from factdb.dates import PartialDate
from factdb.errors import NotFound
from factdb.queries.resolve import parse_statement_id
from factdb.queries.rollup import Affiliations
from factdb.queries.scope import parse_as_of
from factdb.store.tables import actors, statement_subjects, statements
from factdb.vocabulary import STANCES

POSITIONS = (*STANCES, "assessed:<verdict>")
_INVERTED = {
    "true": "false",
    "mostly_true": "mostly_false",
    "mixed": "mixed",
    "mostly_false": "mostly_true",
    "false": "true",
    "unproven": "unproven",
}
CHUNK = 5000


def id_in(session: Session, column: Any, ids: Iterable[int]) -> ColumnElement[bool]:
    """``column IN ids`` with the ids as one parameter (a JSON array on SQLite, an array on
    PostgreSQL): any number of ids, and one cached SQL text whatever their number."""
    values = sorted(set(ids))
    if session.get_bind().dialect.name == "sqlite":
        each = func.json_each(json.dumps(values)).table_valued("value")
        return column.in_(select(each.c.value))  # type: ignore[no-any-return]
    return column == any_(literal(values, ARRAY(Integer)))  # type: ignore[no-any-return]


def chunks(ids: Sequence[int], size: int = CHUNK) -> Iterable[list[int]]:
    """Id lists in pieces small enough for any database's bound-parameter limit."""
    ordered = sorted(set(ids))
    for start in range(0, len(ordered), size):
        yield ordered[start : start + size]


class Node(NamedTuple):
    """One statement of a thread, as much as positions need."""

    id: int
    kind: str
    actor_id: int
    responds_to_id: int | None
    date: dt.date | None
    verdict: str | None

    @property
    def order(self) -> tuple[dt.date, int]:
        """Speech order: by date, undated first, then by id."""
        return (self.date or dt.date.min, self.id)


class Stance(NamedTuple):
    position: str
    polarity: int  # +1 for the root, -1 against it, 0 neither (nothing below can be placed)


class Position(NamedTuple):
    """One actor's position on a statement. ``via``: the statement ids that put it there."""

    actor: str
    actor_id: int
    position: str
    via: list[int]

    def record(self) -> dict[str, object]:
        return {
            "actor": self.actor,
            "actor_id": self.actor_id,
            "position": self.position,
            "via": list(self.via),
        }


_NODE_COLUMNS = ("id", "kind", "actor_id", "responds_to_id", "date", "verdict")


def load_threads(
    session: Session, root_ids: Sequence[int], *, as_restored: bool = False
) -> dict[int, Node]:
    """The live statements ``root_ids`` and every live answer below them, level by level
    (each level is one indexed ``responds_to_id IN (…)`` query). Deleted statements and
    everything below them are left out. ``as_restored``: deleted roots too, each with the
    thread ``factdb restore`` would bring back (the answers deleted together with it)."""
    nodes: dict[int, Node] = {}
    columns = [statements.c[name] for name in _NODE_COLUMNS]
    if as_restored:
        columns.append(statements.c.deleted_at)
    stamps: dict[int, object] = {}  # as_restored: the deletion stamp each thread brings back
    frontier = list(root_ids)
    key = statements.c.id
    while frontier:
        found: list[int] = []
        query = select(*columns).where(id_in(session, key, frontier))
        if not as_restored:
            query = query.where(statements.c.deleted_at.is_(None))
        for row in session.execute(query).all():
            if row[0] in nodes:
                continue
            if as_restored:
                stamp = row[-1]
                if key is not statements.c.id:
                    if stamp is not None and stamp != stamps[row[3]]:
                        continue  # deleted on its own: restoring the root leaves it deleted
                    stamp = stamps[row[3]]
                stamps[row[0]] = stamp
            nodes[row[0]] = Node(*row[: len(_NODE_COLUMNS)])
            found.append(row[0])
        frontier = found
        key = statements.c.responds_to_id
    return nodes


def children_of(nodes: dict[int, Node]) -> dict[int, list[Node]]:
    children: dict[int, list[Node]] = {}
    for node in nodes.values():
        if node.responds_to_id is not None:
            children.setdefault(node.responds_to_id, []).append(node)
    return children


def _stance(node: Node, parent: Stance) -> Stance:
    if node.kind == "endorsement":
        label = "questions" if parent.position == "questions" else None
        return Stance(label or ("supports" if parent.polarity > 0 else "opposes"), parent.polarity)
    if node.kind == "denial":
        return Stance("supports" if parent.polarity < 0 else "opposes", -parent.polarity)
    if node.kind == "dispute":
        return Stance("supports" if parent.polarity < 0 else "questions", -parent.polarity)
    if node.kind == "admission":
        return Stance("concedes" if parent.polarity > 0 else "opposes", parent.polarity)
    if node.kind == "retraction":
        return Stance("withdrawn", 0)
    if node.kind == "fact_check":
        verdict = node.verdict or "unproven"
        if parent.polarity < 0:
            verdict = _INVERTED.get(verdict, verdict)
        polarity = 1 if verdict in ("true", "mostly_true") else 0
        polarity = -1 if verdict in ("false", "mostly_false") else polarity
        return Stance(f"assessed:{verdict}", polarity)
    return Stance("supports", parent.polarity)


def stances(
    root_id: int, nodes: dict[int, Node], children: dict[int, list[Node]]
) -> dict[int, Stance]:
    """The stance of every statement of the thread under ``root_id`` towards the root.
    Answers to a statement with no side (a retraction, an inconclusive fact-check) get none."""
    if root_id not in nodes:
        return {}
    found = {root_id: Stance("supports", 1)}
    frontier = [root_id]
    while frontier:
        following: list[int] = []
        for parent_id in frontier:
            parent = found[parent_id]
            if parent.polarity == 0:
                continue
            for child in children.get(parent_id, ()):
                if child.id not in found:
                    found[child.id] = _stance(child, parent)
                    following.append(child.id)
        frontier = following
    return found


def as_of_end(as_of: str | PartialDate | None) -> dt.date | None:
    """The last day ``as_of`` lets in (``2020-10`` → 2020-10-31), or None."""
    parsed = parse_as_of(as_of)
    return None if parsed is None else parsed.end


def said_by(node: Node, until: dt.date | None) -> bool:
    """Whether ``as_of`` keeps this statement: its date is known and not after ``until``."""
    return until is None or (node.date is not None and node.date <= until)


def thread_of(root_id: int, children: dict[int, list[Node]]) -> list[int]:
    """The ids of the thread under ``root_id`` (the root first), level by level."""
    order = [root_id]
    seen = {root_id}
    for node_id in order:  # grows while it is read: a breadth-first walk
        for child in children.get(node_id, ()):
            if child.id not in seen:
                seen.add(child.id)
                order.append(child.id)
    return order


def withdrawals(
    root_id: int,
    nodes: dict[int, Node],
    children: dict[int, list[Node]],
    until: dt.date | None = None,
) -> dict[int, list[int]]:
    """``{statement id: [ids of the retractions that withdraw it]}`` in the thread under
    ``root_id``. A retraction withdraws what it answers when ``until`` keeps it and it has
    not been withdrawn itself (retracting a retraction restores what that one withdrew)."""
    if root_id not in nodes:
        return {}
    withdrawn: dict[int, list[int]] = {}
    for node_id in reversed(thread_of(root_id, children)):  # answers before what they answer
        undone = [
            child.id
            for child in children.get(node_id, ())
            if child.kind == "retraction" and said_by(child, until) and child.id not in withdrawn
        ]
        if undone:
            withdrawn[node_id] = sorted(undone)
    return withdrawn


def thread_positions(
    root_id: int,
    nodes: dict[int, Node],
    children: dict[int, list[Node]],
    *,
    until: dt.date | None = None,
    affiliations: Affiliations | None = None,
) -> list[tuple[int, str, list[int]]]:
    """``(actor_id, position, via)`` for each actor in the thread under ``root_id``, in the
    order the actors first spoke (see the module docstring for the rules). With
    ``affiliations``, each statement is credited to the outermost organizations its author
    spoke for at its date (roll-up)."""
    placed = stances(root_id, nodes, children)
    withdrawn = withdrawals(root_id, nodes, children, until)

    def speakers(node: Node) -> list[int]:
        if affiliations is None:
            return [node.actor_id]
        return affiliations.top_organizations(node.actor_id, node.date)

    spoken: dict[int, list[Node]] = {}  # everything each actor said here, for the order
    live: dict[int, list[Node]] = {}
    withdrew: dict[int, set[int]] = {}
    for node_id in placed:
        node = nodes[node_id]
        if not said_by(node, until) or node.kind == "retraction":
            continue
        retractions = withdrawn.get(node_id, [])
        for speaker in speakers(node):
            spoken.setdefault(speaker, []).append(node)
            if retractions:
                withdrew.setdefault(speaker, set()).update(retractions)
            else:
                live.setdefault(speaker, []).append(node)
        for retraction in retractions:
            for retractor in speakers(nodes[retraction]):
                spoken.setdefault(retractor, []).append(nodes[retraction])
                withdrew.setdefault(retractor, set()).add(retraction)
    result: list[tuple[tuple[dt.date, int], int, str, list[int]]] = []
    for actor_id, said in spoken.items():
        first = min(item.order for item in said)
        stances_left = sorted(live.get(actor_id, []), key=lambda item: item.order)
        if stances_left:
            final = placed[stances_left[-1].id].position
            via = sorted(item.id for item in stances_left if placed[item.id].position == final)
        else:
            final, via = "withdrawn", sorted(withdrew.get(actor_id, ()))
        result.append((first, actor_id, final, via))
    result.sort(key=lambda item: (item[0], item[1]))
    return [(actor_id, position, via) for _order, actor_id, position, via in result]


def actor_names(session: Session, ids: Iterable[int]) -> dict[int, str]:
    """Names of the given actors, in one query per few thousand ids."""
    rows = session.execute(
        select(actors.c.id, actors.c.name).where(id_in(session, actors.c.id, ids))
    )
    return {number: name for number, name in rows.all()}


def positions_for(
    session: Session,
    statement_ids: Sequence[int],
    *,
    as_of: str | PartialDate | None = None,
    roll_up: bool = False,
) -> dict[int, list[Position]]:
    """Positions on many statements at once (missing or deleted ids get an empty list).
    ``as_of``: ignore what was said after that date (and undated statements);
    ``roll_up``: report the outermost organizations (states) instead of their members."""
    until = as_of_end(as_of)
    nodes = load_threads(session, statement_ids)
    children = children_of(nodes)
    affiliations = Affiliations.load(session) if roll_up else None
    raw = {
        root: thread_positions(root, nodes, children, until=until, affiliations=affiliations)
        for root in statement_ids
    }
    names = actor_names(session, {actor for rows in raw.values() for actor, _p, _v in rows})
    return {
        root: [Position(names[actor], actor, position, via) for actor, position, via in rows]
        for root, rows in raw.items()
    }


def positions(
    session: Session,
    statement_id: int | str,
    *,
    as_of: str | PartialDate | None = None,
    roll_up: bool = False,
) -> list[dict[str, object]]:
    """Every actor's position on one statement, followed through its thread, as records
    ``{actor, actor_id, position, via}`` in the order the actors first spoke.

    ``position`` is one of ``supports``, ``opposes``, ``questions``, ``concedes``,
    ``withdrawn`` or ``assessed:<verdict>``. ``as_of`` (``YYYY[-MM[-DD]]`` or a PartialDate)
    ignores everything said after that date's last day and everything undated; ``roll_up``
    credits each statement to the outermost organizations its author belonged to at its date.
    Raises NotFound for a missing or deleted statement."""
    number = parse_statement_id(statement_id) if isinstance(statement_id, str) else statement_id
    found = positions_for(session, [number], as_of=as_of, roll_up=roll_up)[number]
    if not found and not _live(session, number):
        raise NotFound(f"ID: there is no statement #{number}")
    return [item.record() for item in found]


def _live(session: Session, number: int) -> bool:
    return (
        session.scalar(
            select(statements.c.id).where(
                statements.c.id == number, statements.c.deleted_at.is_(None)
            )
        )
        is not None
    )


def subjects_of(session: Session, statement_ids: Sequence[int]) -> dict[int, list[int]]:
    """Subject actor ids of each statement, in their recorded order."""
    subjects: dict[int, list[int]] = {}
    links = statement_subjects
    rows = session.execute(
        select(links.c.statement_id, links.c.actor_id)
        .where(id_in(session, links.c.statement_id, statement_ids))
        .order_by(links.c.statement_id, links.c.position)
    ).all()
    for statement_id, actor_id in rows:
        subjects.setdefault(statement_id, []).append(actor_id)
    return subjects

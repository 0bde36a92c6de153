"""A statement's derived status (never stored), from the positions others take on it.

In order of precedence:

- ``retracted``: its author (or an affiliate) withdrew it: a retraction answers it (said by
  the ``as_of`` date, and not itself retracted);
- ``admitted``: a subject of it (or an affiliate of a subject at that date) concedes it;
- ``contested``: others both support it and oppose or question it;
- ``denied``: others oppose it (denials, fact-checks rating it false or mostly false);
- ``disputed``: others question it (disputes, fact-checks rating it mixed or unproven);
- ``endorsed``: others support it (endorsements, concessions, fact-checks rating it true);
- ``unanswered``: nobody but its author has taken a position.

"Others" are actors other than the author; positions are followed through the whole thread
(denying a denial supports the claim), and a withdrawn answer counts for nothing
(``factdb.queries.positions``: an endorsement its endorser retracted no longer endorses).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy.orm import Session

from factdb.dates import PartialDate
from factdb.queries.positions import (
    Node,
    as_of_end,
    children_of,
    load_threads,
    subjects_of,
    thread_positions,
    withdrawals,
)
from factdb.queries.rollup import Affiliations

_SUPPORT = {"supports", "concedes", "assessed:true", "assessed:mostly_true"}
_OPPOSE = {"opposes", "assessed:false", "assessed:mostly_false"}
_QUESTION = {"questions", "assessed:mixed", "assessed:unproven"}


def _status(
    root: Node,
    rows: list[tuple[int, str, list[int]]],
    nodes: dict[int, Node],
    subjects: list[int],
    affiliations: Affiliations,
) -> str:
    sides: set[str] = set()
    for actor_id, position, via in rows:
        if actor_id == root.actor_id:
            continue
        if position == "concedes" and any(
            affiliations.counts_for(actor_id, subject, nodes[via[-1]].date) for subject in subjects
        ):
            sides.add("admitted")
        elif position in _SUPPORT:
            sides.add("support")
        elif position in _OPPOSE:
            sides.add("oppose")
        elif position in _QUESTION:
            sides.add("question")
    if "admitted" in sides:
        return "admitted"
    if "support" in sides and sides & {"oppose", "question"}:
        return "contested"
    if "oppose" in sides:
        return "denied"
    if "question" in sides:
        return "disputed"
    if "support" in sides:
        return "endorsed"
    return "unanswered"


def statuses(
    session: Session,
    statement_ids: Sequence[int],
    *,
    as_of: str | PartialDate | None = None,
    as_restored: bool = False,
) -> dict[int, str]:
    """The derived status of each live statement in ``statement_ids`` (deleted or missing ids
    are left out), in a handful of queries whatever the number of ids. ``as_of`` ignores
    everything said after that date (and everything undated). ``as_restored``: deleted
    statements too, each with the status it would have if restored (``factdb restore``
    brings back the answers deleted together with it)."""
    until = as_of_end(as_of)
    nodes = load_threads(session, statement_ids, as_restored=as_restored)
    children = children_of(nodes)
    affiliations = Affiliations.load(session)
    roots = [number for number in statement_ids if number in nodes]
    subjects = subjects_of(session, roots)
    return {
        root: "retracted"
        if root in withdrawals(root, nodes, children, until)
        else _status(
            nodes[root],
            thread_positions(root, nodes, children, until=until),
            nodes,
            subjects.get(root, []),
            affiliations,
        )
        for root in roots
    }


def statement_status(
    session: Session, statement_id: int, *, as_of: str | PartialDate | None = None
) -> str | None:
    """The derived status of one statement (one of ``STATUSES``), or None if it is missing
    or deleted."""
    return statuses(session, [statement_id], as_of=as_of).get(statement_id)


def with_statuses(session: Session, thread: dict[str, Any]) -> dict[str, Any]:
    """A ``statements.statement_thread`` result with ``status`` added to every statement in
    it (the chain, the statement and its answers, nested); None for deleted ones."""
    nodes: list[dict[str, Any]] = list(thread["chain"])
    pending = [thread["statement"]]
    while pending:
        node = pending.pop()
        nodes.append(node)
        pending.extend(node.get("responses", []))
    found = statuses(session, [node["id"] for node in nodes])
    for node in nodes:
        node["status"] = found.get(node["id"])
    return thread

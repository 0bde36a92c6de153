"""What reports derive from the thread: a claim's status, each actor's position on it, which
statements are withdrawn, and how actors line up across a topic.

The queries area owns these rules (``factdb.queries.positions``, ``factdb.queries.status``,
``factdb.queries.alignment``); this module is the one place the report model calls them, so the
reports always agree with ``factdb positions``, ``claim list --status`` and ``alignment``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy.orm import Session

from factdb.dates import PartialDate
from factdb.queries.alignment import alignment as topic_alignment
from factdb.queries.positions import (
    as_of_end,
    children_of,
    load_threads,
    positions_for,
    withdrawals,
)
from factdb.queries.status import statuses as claim_statuses

Position = dict[str, Any]  # {actor, actor_id, position, via}


def positions_many(
    session: Session, claim_ids: Sequence[int], *, as_of: PartialDate | None, roll_up: bool
) -> dict[int, list[Position]]:
    """Every actor's position on each claim: ``[{actor, actor_id, position, via}]``, in the
    order the actors first spoke (as ``factdb positions``)."""
    found = positions_for(session, claim_ids, as_of=as_of, roll_up=roll_up)
    return {claim: [item.record() for item in rows] for claim, rows in found.items()}


def withdrawn_by(
    session: Session, claim_ids: Sequence[int], *, as_of: PartialDate | None
) -> dict[int, dict[int, list[int]]]:
    """For each claim, ``{statement id: [ids of the retractions that withdraw it]}`` over its
    thread, by the rules of ``factdb positions``: a retraction counts once said (by ``as_of``),
    and retracting a retraction restores what it withdrew. Statements that stand are not listed."""
    until = as_of_end(as_of)
    nodes = load_threads(session, claim_ids)
    children = children_of(nodes)
    return {claim: withdrawals(claim, nodes, children, until) for claim in claim_ids}


def statuses(
    session: Session, claim_ids: Sequence[int], *, as_of: PartialDate | None
) -> dict[int, str]:
    """Each claim's derived status: unanswered, denied, disputed, endorsed, contested,
    admitted or retracted (as ``claim list --status``)."""
    return claim_statuses(session, claim_ids, as_of=as_of)


def alignment(
    session: Session, topic: str, *, as_of: PartialDate | None, roll_up: bool
) -> list[dict[str, Any]]:
    """For each pair of actors: ``{actor_a, actor_a_id, actor_b, actor_b_id, same, opposite,
    agreement}`` over the topic's claims."""
    return topic_alignment(session, topic, roll_up=roll_up, as_of=as_of)

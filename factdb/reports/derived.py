"""What reports derive from the thread: a claim's status, each actor's position on it, and
how actors line up across a topic.

The queries area owns these rules (``factdb.positions``, ``factdb.status``,
``factdb.alignment``); this module is the one place the report model calls them, so the
reports always agree with ``factdb positions``, ``claim list --status`` and ``alignment``.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from factdb.alignment import alignment as topic_alignment
from factdb.positions import positions as thread_positions
from factdb.status import statement_status

Position = dict[str, Any]  # {actor, actor_id, position, via}


def positions(
    session: Session, claim_id: int, *, as_of: str | None, roll_up: bool
) -> list[Position]:
    """Every actor's position on the claim: ``[{actor, actor_id, position, via}]``, in the
    order the actors first spoke."""
    return thread_positions(session, claim_id, as_of=as_of, roll_up=roll_up)


def status(session: Session, claim_id: int, *, as_of: str | None) -> str:
    """The claim's derived status: unanswered, denied, disputed, endorsed, contested,
    admitted or retracted."""
    return statement_status(session, claim_id, as_of=as_of) or "unanswered"


def alignment(
    session: Session, topic: str, *, as_of: str | None, roll_up: bool
) -> list[dict[str, Any]]:
    """For each pair of actors: ``{actor_a, actor_a_id, actor_b, actor_b_id, same, opposite,
    agreement}`` over the topic's claims."""
    return topic_alignment(session, topic, roll_up=roll_up, as_of=as_of)

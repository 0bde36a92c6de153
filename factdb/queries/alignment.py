"""Alignment: for each pair of actors, how often they took the same side and the opposite
side on a topic's claims."""

from __future__ import annotations

from itertools import combinations
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from factdb.dates import PartialDate
from factdb.errors import InvalidInput
from factdb.queries.filters import kind_is, topic_id
from factdb.queries.positions import positions_for
from factdb.store.tables import statement_topics, statements

Record = dict[str, Any]
FOR = {"supports", "concedes", "assessed:true", "assessed:mostly_true"}
AGAINST = {"opposes", "questions", "assessed:false", "assessed:mostly_false"}


def side(position: str) -> int:
    """+1 for the claim, -1 against it, 0 for no side (withdrawn, an inconclusive verdict)."""
    return 1 if position in FOR else -1 if position in AGAINST else 0


def alignment(
    session: Session,
    topic: str,
    *,
    roll_up: bool = False,
    as_of: str | PartialDate | None = None,
) -> list[Record]:
    """Rows ``{actor_a, actor_a_id, actor_b, actor_b_id, same, opposite, agreement}`` for
    each pair of actors that both took a side on at least one live claim of ``topic``
    (``actor_a`` sorts before ``actor_b`` by name). ``same``/``opposite``: claims on which
    they sided together / apart; ``agreement``: ``same / (same + opposite)``, 2 decimals.
    Sides come from ``positions`` (supports/concedes/true for, opposes/questions/false
    against); ``roll_up`` pairs organizations instead of members. Most claims first."""
    if topic is None or not topic.strip():
        raise InvalidInput.at("topic", "give the topic to compare actors on")
    number = topic_id(session, topic)
    claims = list(
        session.scalars(
            select(statements.c.id)
            .join(statement_topics, statement_topics.c.statement_id == statements.c.id)
            .where(
                statement_topics.c.topic_id == number,
                kind_is(statements.c.kind, ("claim",), use_index=False),
                statements.c.deleted_at.is_(None),
            )
        )
    )
    found = positions_for(session, claims, as_of=as_of, roll_up=roll_up)
    names: dict[int, str] = {}
    tally: dict[tuple[int, int], list[int]] = {}
    for claim in claims:
        sides = {}
        for item in found.get(claim, []):
            names[item.actor_id] = item.actor
            if side(item.position):
                sides[item.actor_id] = side(item.position)
        ordered = sorted(sides, key=lambda actor: (names[actor], actor))
        for first, second in combinations(ordered, 2):
            counts = tally.setdefault((first, second), [0, 0])
            counts[0 if sides[first] == sides[second] else 1] += 1
    rows: list[Record] = [
        {
            "actor_a": names[first],
            "actor_a_id": first,
            "actor_b": names[second],
            "actor_b_id": second,
            "same": same,
            "opposite": opposite,
            "agreement": round(same / (same + opposite), 2),
        }
        for (first, second), (same, opposite) in tally.items()
    ]
    rows.sort(
        key=lambda row: (-int(row["same"]) - int(row["opposite"]), row["actor_a"], row["actor_b"])
    )
    return rows

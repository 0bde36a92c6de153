"""PLOVER export: one event record (JSON Lines) per statement, through a versioned mapping
from factdb's statement kinds to PLOVER event types and modes, with the nearest CAMEO code.

The actor is the statement's author; the recipient is the author of the statement it
answers, or for a claim the first actor it is about (the accused).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, TextIO

from sqlalchemy import select
from sqlalchemy.orm import Session

from factdb.interchange.export import (
    ExportedStatement,
    actor_names,
    iter_statements,
    make_filters,
    selected_ids,
)
from factdb.store.models import Actor, Statement

MAPPING_VERSION = "factdb-plover-1"


@dataclass(frozen=True)
class PloverEvent:
    event_type: str
    mode: str | None
    cameo: str  # CAMEO code of the nearest event
    cameo_label: str


# factdb kind -> PLOVER event. ``None``: not a PLOVER event (left out, with a warning).
PLOVER_MAPPING: dict[str, PloverEvent | None] = {
    "claim": PloverEvent("ACCUSE", "allege", "112", "Accuse, not specified below"),
    "denial": PloverEvent("REJECT", None, "120", "Reject, not specified below"),
    "dispute": PloverEvent("ACCUSE", "disapprove", "111", "Criticize or denounce"),
    "endorsement": PloverEvent("SUPPORT", None, "051", "Praise or endorse"),
    "admission": PloverEvent("CONCEDE", None, "015", "Acknowledge or claim responsibility"),
    "retraction": PloverEvent("CONCEDE", "retract", "080", "Yield, not specified below"),
    # A fact-check assesses a statement; it is not an interaction between political actors.
    "fact_check": None,
}

CHUNK = 1000


def plover_event(
    statement: ExportedStatement,
    recipient: str | None,
    countries: dict[str, str | None],
) -> dict[str, Any] | None:
    event = PLOVER_MAPPING[statement.kind]
    if event is None:
        return None
    return {
        "id": f"factdb:{statement.ref}",
        "date": statement.date,
        "event_type": event.event_type,
        "mode": event.mode,
        "actor": statement.by,
        "actor_country": countries.get(statement.by),
        "recipient": recipient,
        "recipient_country": None if recipient is None else countries.get(recipient),
        "text": statement.text or statement.quote,
        "source": statement.sources[0][0] if statement.sources else None,
        "cameo": event.cameo,
        "factdb_kind": statement.kind,
        "mapping": MAPPING_VERSION,
    }


def export_plover(session: Session, out: TextIO, warnings: list[str], **filters: Any) -> int:
    """Write one PLOVER event per statement as JSON Lines; returns the number written."""
    names = actor_names(session)
    countries: dict[str, str | None] = {}
    for actor_id, country in session.execute(select(Actor.id, Actor.country)):
        countries.setdefault(names[actor_id], country)
    ids = selected_ids(session, make_filters(filters), with_answered=False)
    written = 0
    left_out = 0
    buffer: list[ExportedStatement] = []

    def flush() -> int:
        parents = sorted({s.responds_to_id for s in buffer if s.responds_to_id is not None})
        authors: dict[int, str] = {}
        if parents:
            for statement_id, actor_id in session.execute(
                select(Statement.id, Statement.actor_id).where(Statement.id.in_(parents))
            ):
                authors[statement_id] = names[actor_id]
        count = 0
        for statement in buffer:
            if statement.responds_to_id is not None:
                recipient: str | None = authors.get(statement.responds_to_id)
            else:
                recipient = statement.about[0] if statement.about else None
            event = plover_event(statement, recipient, countries)
            if event is not None:
                out.write(json.dumps(event, ensure_ascii=False) + "\n")
                count += 1
        buffer.clear()
        return count

    for statement in iter_statements(session, ids, names):
        if PLOVER_MAPPING[statement.kind] is None:
            left_out += 1
            continue
        buffer.append(statement)
        if len(buffer) >= CHUNK:
            written += flush()
    written += flush()
    if left_out:
        warnings.append(
            f"{left_out} fact-check{'s' if left_out != 1 else ''} left out: "
            "PLOVER has no event type for an assessment"
        )
    return written

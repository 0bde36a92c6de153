"""Reading the audit trail back: who changed what, when, with the row before and after."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from sqlalchemy import ColumnElement, and_, or_, select
from sqlalchemy.orm import Session

from factdb.dates import parse_date
from factdb.errors import NotFound
from factdb.queries.records import Record
from factdb.queries.resolve import parse_statement_id, resolve_actor
from factdb.record.audit import STATEMENT_LINK_TABLES
from factdb.store.models import Actor, AuditEntry, Statement

# The link tables keyed by statement (``STATEMENT_LINK_TABLES``): their audit rows carry
# the statement id as ``row_id`` (the first column of their primary key). A statement
# written by the import has no such rows: its own row's ``after`` lists its links under
# these names instead.

# Tables whose rows belong to an actor through one of these columns.
ACTOR_LINK_COLUMNS = {
    "actor_aliases": ("actor_id",),
    "affiliations": ("member_id", "organization_id"),
}


def _parsed(value: str | None) -> Any:
    return None if value is None else json.loads(value)


def audit_record(entry: AuditEntry) -> Record:
    return {
        "id": entry.id,
        "at": entry.at.isoformat(timespec="seconds") + "Z",
        "user": entry.user,
        "action": entry.action,
        "table": entry.table_name,
        "row_id": entry.row_id,
        "before": _parsed(entry.before),
        "after": _parsed(entry.after),
    }


def _statement_rows(ids: ColumnElement[bool]) -> ColumnElement[bool]:
    """Audit rows of the statements matched by ``ids`` (a condition on ``row_id``) and of
    their link rows."""
    return and_(
        AuditEntry.table_name.in_(("statements", *STATEMENT_LINK_TABLES)),
        ids,
    )


def _mentions(record: Record, actor_ids: set[int]) -> bool:
    columns = ACTOR_LINK_COLUMNS.get(record["table"], ())
    for values in (record["before"], record["after"]):
        if isinstance(values, dict) and any(values.get(column) in actor_ids for column in columns):
            return True
    return False


def history(
    session: Session,
    statement_id: int | str | None = None,
    actor: str | None = None,
    since: str | None = None,
    until: str | None = None,
) -> list[Record]:
    """Audit records, oldest first, as ``{id, at, user, action, table, row_id, before,
    after}``. ``statement_id`` keeps the statement's own rows and its source, subject and
    topic links, with those of the duplicates merged into it; ``actor`` keeps the actor's
    rows (with its aliases and affiliations) and those of statements it made; ``since`` (a
    date) keeps rows from that day on, ``until`` rows up to its last day (``2020-10``
    includes all of October), both in UTC. Filters combine."""
    conditions: list[ColumnElement[bool]] = []
    actor_ids: set[int] = set()
    if statement_id is not None:
        number = (
            parse_statement_id(statement_id) if isinstance(statement_id, str) else int(statement_id)
        )
        if session.get(Statement, number) is None:
            raise NotFound(f"ID: there is no statement #{number}")
        # Duplicates merged into the statement: their rows (and the merge) belong to it too.
        folded = select(Statement.id).where(Statement.merged_into_id == number)
        conditions.append(
            _statement_rows(or_(AuditEntry.row_id == number, AuditEntry.row_id.in_(folded)))
        )
    if actor is not None:
        found = resolve_actor(session, actor, "actor")
        # A merged duplicate's own rows belong to the actor it was merged into.
        merged = session.scalars(select(Actor.id).where(Actor.merged_into_id == found.id))
        actor_ids = {found.id, *merged}
        made = select(Statement.id).where(Statement.actor_id.in_(sorted(actor_ids)))
        conditions.append(
            or_(
                and_(AuditEntry.table_name == "actors", AuditEntry.row_id.in_(sorted(actor_ids))),
                AuditEntry.table_name.in_(tuple(ACTOR_LINK_COLUMNS)),
                _statement_rows(AuditEntry.row_id.in_(made)),
            )
        )
    if since is not None:
        start = parse_date(since, "since").start
        conditions.append(AuditEntry.at >= dt.datetime.combine(start, dt.time()))
    if until is not None:
        end = parse_date(until, "until").end
        conditions.append(AuditEntry.at <= dt.datetime.combine(end, dt.time.max))
    entries = session.scalars(select(AuditEntry).where(*conditions).order_by(AuditEntry.id))
    records = [audit_record(entry) for entry in entries]
    if actor_ids:
        records = [
            record
            for record in records
            if record["table"] not in ACTOR_LINK_COLUMNS or _mentions(record, actor_ids)
        ]
    return records

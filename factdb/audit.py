"""Audit trail: every ORM insert, update, soft delete and restore writes an ``audit_log`` row
in the same transaction, through session events, so no write path can forget it."""

from __future__ import annotations

import datetime as dt
import getpass
import json
import os
from typing import Any, cast

from sqlalchemy import Table, insert, inspect
from sqlalchemy.orm import Session, UOWTransaction

from factdb.models import AuditEntry, Base, utcnow


def current_user() -> str:
    """``FACTDB_USER`` if set, else the operating-system login."""
    configured = os.environ.get("FACTDB_USER", "").strip()
    if configured:
        return configured
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


def _json_value(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return value


def snapshot(obj: Base, *, before: bool = False) -> dict[str, Any]:
    """The row's column values; with ``before``, as they were when loaded."""
    state = inspect(obj)
    values: dict[str, Any] = {}
    for attr in state.mapper.column_attrs:
        history = state.attrs[attr.key].history
        if before and history.deleted:
            value = history.deleted[0]
        elif before and history.added and not history.unchanged:
            value = None
        else:
            value = getattr(obj, attr.key)
        values[attr.key] = _json_value(value)
    return values


def _row_id(obj: Base) -> int | None:
    key = inspect(obj).mapper.primary_key_from_instance(obj)
    first = key[0] if key else None
    return first if isinstance(first, int) else None


def _dumps(values: dict[str, Any] | None) -> str | None:
    if values is None:
        return None
    return json.dumps(values, ensure_ascii=False, sort_keys=True)


def audit_row(
    action: str,
    table: str,
    row_id: int | None,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
) -> dict[str, Any]:
    """A ready-to-insert audit row (for write paths that bypass the ORM, such as import)."""
    return {
        "at": utcnow(),
        "user": current_user(),
        "action": action,
        "table_name": table,
        "row_id": row_id,
        "before": _dumps(before),
        "after": _dumps(after),
    }


def _update_action(obj: Base) -> str:
    state = inspect(obj)
    if "deleted_at" in state.attrs:
        history = state.attrs["deleted_at"].history
        if history.added and history.added[0] is not None:
            return "delete"
        if history.deleted and history.deleted[0] is not None and history.added == [None]:
            return "restore"
    return "update"


def _table_name(obj: Base) -> str:
    return cast(Table, obj.__table__).name


def record_flush(session: Session, flush_context: UOWTransaction) -> None:
    """The ``after_flush`` hook of every factdb session: an audit row per ORM change."""
    rows: list[dict[str, Any]] = []
    for obj in session.new:
        if isinstance(obj, Base) and not isinstance(obj, AuditEntry):
            rows.append(audit_row("insert", _table_name(obj), _row_id(obj), None, snapshot(obj)))
    for obj in session.dirty:
        if not isinstance(obj, Base) or isinstance(obj, AuditEntry):
            continue
        if not session.is_modified(obj, include_collections=False):
            continue
        before, after = snapshot(obj, before=True), snapshot(obj)
        if before == after:
            continue
        rows.append(audit_row(_update_action(obj), _table_name(obj), _row_id(obj), before, after))
    for obj in session.deleted:
        if isinstance(obj, Base) and not isinstance(obj, AuditEntry):
            rows.append(audit_row("delete", _table_name(obj), _row_id(obj), snapshot(obj), None))
    if rows:
        session.connection().execute(insert(AuditEntry), rows)

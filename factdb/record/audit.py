"""Audit trail: every ORM insert, update, soft delete and restore writes an ``audit_log`` row
in the same transaction, through session events, so no write path can forget it.

Bulk writers that bypass the ORM (the JSON Lines import) write their own: ``audit_inserts``
has the database build the same ``insert`` rows from rows just written, in one statement
per table. The import writes one row per statement, whose ``after`` also holds the
statement's source, subject and topic links (each under its table's name, as a list of the
links as their own audit rows would show them): ``LinkedRowJson``. The ORM hook, ``RowJson``
and ``LinkedRowJson`` write JSON through the one template of ``_template``.
"""

from __future__ import annotations

import datetime as dt
import getpass
import json
import os
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from functools import lru_cache
from itertools import count
from operator import itemgetter
from typing import Any, cast

from sqlalchemy import (
    ColumnElement,
    Connection,
    Date,
    DateTime,
    FromClause,
    Insert,
    String,
    Table,
    Text,
    bindparam,
    case,
    func,
    insert,
    inspect,
    literal,
    null,
    select,
)
from sqlalchemy.orm import Session, UOWTransaction

from factdb.store import tables
from factdb.store.models import AuditEntry, Base, utcnow


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


# The tables of a statement's links, which an imported statement's ``after`` holds.
STATEMENT_LINK_TABLES = ("statement_sources", "statement_subjects", "statement_topics")

json_string = json.encoder.encode_basestring  # a str as JSON, as json.dumps writes it


@lru_cache(maxsize=64)
def _template(keys: tuple[str, ...]) -> str:
    """The one layout of an audit row's ``before`` and ``after``, as a ``%`` template: a
    JSON object of ``keys`` (given sorted), each with a ``%s`` for its value (JSON text or
    a number); what ``json.dumps(values, ensure_ascii=False, sort_keys=True)`` writes."""
    fields = (f"{json_string(key).replace('%', '%%')}: %s" for key in keys)
    return "{" + ", ".join(fields) + "}"


def _json(value: Any) -> str | int:
    if value is None:
        return "null"
    if value.__class__ is str:
        return json_string(value)
    if value.__class__ is int:
        return value
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def _dumps(values: dict[str, Any] | None) -> str | None:
    if values is None:
        return None
    keys = tuple(sorted(values))
    return _template(keys) % tuple([_json(values[key]) for key in keys])


class RowJson:
    """The audit JSON of rows of one table written without the ORM, as the ORM hook writes
    it for the same row (``snapshot``), by the same template. A row is given as a tuple of
    its values as JSON text or numbers (``json_string``, ``"null"``; nested rows by
    ``list``) in the order of the table's columns and then ``links`` (other tables' rows,
    under those tables' names): a ``%`` template, no dictionary."""

    def __init__(self, table: str, *links: str) -> None:
        names = (*(column.name for column in tables.metadata.tables[table].c), *links)
        order = sorted(range(len(names)), key=names.__getitem__)
        self._pick: Callable[[Sequence[Any]], tuple[Any, ...]] = itemgetter(*order)
        self._template = _template(tuple(names[place] for place in order))

    def __call__(self, row: Sequence[str | int]) -> str:
        return self._template % self._pick(row)

    def list(self, rows: Iterable[Sequence[str | int]]) -> str:
        """Rows as a JSON list."""
        template, pick = self._template, self._pick
        return "[" + ", ".join([template % pick(row) for row in rows]) + "]"


_MARK = re.compile("\x00([0-9]+)\x00")
_Pick = Callable[[Sequence[Any]], tuple[Any, ...]]


class LinkedRowJson:
    """The audit JSON of rows of ``table`` each written with its rows of the ``links``
    tables, under those tables' names, as ``RowJson(table, *links)`` with ``RowJson(link)
    .list`` writes it (an imported statement's: ``STATEMENT_LINK_TABLES``); but one ``%``
    per row. ``fixed`` holds the JSON of columns that is the same for every row (an
    import's time stamps). For each count of links per table, ``RowJson`` writes one
    template with ``fixed`` in and a mark for every other value; the marks tell where each
    value goes.

    A row is given as one flat sequence: its columns but the fixed ones, in the table's
    order, then the rows of each of ``links`` in turn, each row's columns in its table's
    order (JSON text or numbers, as for ``RowJson``), and ``counts``, the number of rows of
    each link table."""

    def __init__(self, table: str, links: tuple[str, ...], fixed: dict[str, str]) -> None:
        self._row = RowJson(table, *links)
        self._columns = [column.name for column in tables.metadata.tables[table].c]
        self._links = [(RowJson(link), len(tables.metadata.tables[link].c)) for link in links]
        self._fixed = fixed
        self._shapes: dict[tuple[int, ...], tuple[str, _Pick]] = {}

    def __call__(self, values: Sequence[Any], counts: tuple[int, ...]) -> str:
        template, pick = self._shapes.get(counts) or self._shape(counts)
        return template % pick(values)

    def _shape(self, counts: tuple[int, ...]) -> tuple[str, _Pick]:
        marks: Iterator[int] = count()

        def mark() -> str:  # JSON text never holds a NUL: it is written \u0000
            return f"\x00{next(marks)}\x00"

        row = [self._fixed.get(name) or mark() for name in self._columns]
        for (link, width), rows in zip(self._links, counts, strict=True):
            row.append(link.list([[mark() for _ in range(width)] for _ in range(rows)]))
        parts = _MARK.split(self._row(row).replace("%", "%%"))
        shape = self._shapes[counts] = ("%s".join(parts[0::2]), itemgetter(*map(int, parts[1::2])))
        return shape


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


# ----------------------------------------------------------------------------- bulk writes


def audit_inserts(
    connection: Connection, table: str, ranges: Iterable[tuple[int, int]], at: dt.datetime
) -> None:
    """Write the ``insert`` audit rows of the rows of ``table`` whose ids lie in ``ranges``
    (first, last), just written by a path that bypasses the ORM: ``after`` is what
    ``snapshot`` gives (every column, sorted keys, dates and times in ISO format)."""
    statement = _audit_insert(connection.dialect.name, table)
    user = current_user()
    for first, last in ranges:
        connection.execute(statement, {"at": at, "user": user, "first": first, "last": last})


def _audit_insert(dialect: str, table: str) -> Insert:
    row = tables.metadata.tables[table].alias("t")
    audit = tables.audit_log
    rows = (
        select(
            bindparam("at", type_=DateTime),
            bindparam("user", type_=Text),
            literal("insert", String),
            literal(table, String),
            row.c.id,
            null(),
            _json_object(dialect, _column_values(dialect, row)),
        )
        .where(row.c.id.between(bindparam("first"), bindparam("last")))
        .order_by(row.c.id)
    )
    names = ["at", "user", "action", "table_name", "row_id", "before", "after"]
    return insert(audit).from_select([audit.c[name] for name in names], rows)


def _column_values(dialect: str, row: FromClause) -> dict[str, ColumnElement[Any]]:
    """Each column of ``row`` as ``snapshot`` writes it in JSON."""
    return {column.name: _iso_value(dialect, column) for column in row.c}


def _json_object(dialect: str, values: dict[str, ColumnElement[Any]]) -> ColumnElement[Any]:
    function = func.json_build_object if dialect == "postgresql" else func.json_object
    arguments: list[ColumnElement[Any]] = []
    for key in sorted(values):
        arguments += [literal(key, String), values[key]]
    return function(*arguments)


def _iso_value(dialect: str, column: ColumnElement[Any]) -> ColumnElement[Any]:
    """Dates and times in ISO 8601, as ``datetime.isoformat()`` writes them."""
    if isinstance(column.type, DateTime):
        if dialect == "postgresql":
            whole = func.to_char(column, 'YYYY-MM-DD"T"HH24:MI:SS', type_=String)
            fraction = func.to_char(column, "US", type_=String)
            return whole.concat(case((fraction == "000000", ""), else_=func.to_char(column, ".US")))
        # stored as 'YYYY-MM-DD HH:MM:SS.ffffff'; isoformat() leaves out zero microseconds
        whole = func.replace(func.substr(column, 1, 19), " ", "T", type_=String)
        fraction = func.substr(column, 20, type_=String)
        return whole.concat(case((fraction.in_(("", ".000000")), ""), else_=fraction))
    if isinstance(column.type, Date) and dialect == "postgresql":
        return func.to_char(column, "YYYY-MM-DD", type_=String)
    return column  # SQLite stores a date as 'YYYY-MM-DD' already

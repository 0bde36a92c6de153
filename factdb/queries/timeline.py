"""The timeline: every statement in date order, respecting date precision."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from factdb.errors import InvalidInput
from factdb.queries.filters import DateRange, actor_filter, on_topic, topic_id
from factdb.queries.paging import Page, check_limit
from factdb.queries.positions import chunks
from factdb.queries.records import statement_records
from factdb.queries.rollup import Affiliations
from factdb.queries.scope import Scope, ScopeArgs
from factdb.store.tables import statements

if TYPE_CHECKING:
    from typing_extensions import Unpack

Record = dict[str, Any]
_PRECISION_ORDER = {"year": 0, "month": 1, "day": 2}


def timeline_key(
    date: dt.date | None, precision: str | None, statement_id: int
) -> tuple[bool, dt.date, int, int]:
    """Undated last; otherwise by the start of the period, a wider period (a year, a month)
    before the days it contains, then by id."""
    return (
        date is None,
        date or dt.date.min,
        _PRECISION_ORDER.get(precision or "", 3),
        statement_id,
    )


def timeline(
    session: Session,
    scope: Scope | None = None,
    *,
    actor: str | None = None,
    limit: int | None = None,
    **args: Unpack[ScopeArgs],
) -> Page:
    """Live statements of every kind as ``statement_record`` dicts in timeline order
    (``timeline_key``): the first ``limit`` (all when None), with ``total`` the number
    matching. ``scope`` (or its fields as keywords) gives ``topic``, ``by`` (statements by
    that actor or, unless ``direct``, by its affiliates at the statement's date) and
    ``since``/``until`` (dated statements from the first day of ``since`` to the last day of
    ``until``). ``actor`` is the old name of ``by`` (``--actor``), still accepted."""
    scope = Scope.of_args(scope, args)
    if scope.by is not None and actor is not None and scope.by != actor:
        raise InvalidInput.naming_fields(
            "{}: is the old name of {}; give one of them", "actor", "by"
        )
    check_limit(limit)
    field = "by" if scope.by is not None or actor is None else "actor"
    affiliations = Affiliations.load(session)
    wanted = actor_filter(session, scope.by or actor, field, affiliations, direct=scope.direct)
    topic_number = topic_id(session, scope.topic)
    dates = DateRange.of(scope)
    query = select(
        statements.c.id, statements.c.actor_id, statements.c.date, statements.c.date_precision
    ).where(statements.c.deleted_at.is_(None))
    if wanted is not None:
        query = query.where(statements.c.actor_id.in_(sorted(wanted.candidates)))
    if topic_number is not None:
        query = query.where(on_topic(statements.c.id, topic_number))
    query = query.where(*dates.conditions(statements.c.date))
    if wanted is None and limit is not None:  # the database counts and cuts
        total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
        ids = list(
            session.scalars(
                query.with_only_columns(statements.c.id)
                .order_by(
                    statements.c.date.is_(None),
                    statements.c.date,
                    case(_PRECISION_ORDER, value=statements.c.date_precision, else_=3),
                    statements.c.id,
                )
                .limit(limit)
            )
        )
    else:
        rows = [
            row
            for row in session.execute(query)
            if wanted is None or wanted.matches(affiliations, row[1], row[2])
        ]
        rows.sort(key=lambda row: timeline_key(row[2], row[3], row[0]))
        total = len(rows)
        ids = [row[0] for row in rows[:limit]]
    loaded: dict[int, Record] = {}
    for part in chunks(ids):
        loaded.update(statement_records(session, part))
    return Page([loaded[number] for number in ids], total)

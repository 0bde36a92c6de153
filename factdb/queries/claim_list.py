"""Listing claims with their derived status, filtered by who made them, what they are about,
when, their status, and who denied or endorsed them."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from factdb.errors import InvalidInput
from factdb.queries.filters import (
    DateRange,
    about_any,
    actor_filter,
    date_key,
    kind_is,
    on_topic,
    topic_id,
)
from factdb.queries.paging import Page, check_limit
from factdb.queries.positions import chunks, subjects_of
from factdb.queries.records import statement_records
from factdb.queries.responses import response_query
from factdb.queries.rollup import Affiliations
from factdb.queries.scope import Scope, ScopeArgs
from factdb.queries.status import statuses
from factdb.store.tables import statements
from factdb.vocabulary import STATUSES

if TYPE_CHECKING:
    from typing_extensions import Unpack

Record = dict[str, Any]


def check_status(status: str | None, field: str = "status") -> str | None:
    if status is not None and status not in STATUSES:
        raise InvalidInput.at(field, f"{status!r} is not one of {', '.join(STATUSES)}")
    return status


def _answered_by(session: Session, kind: str, name: str | None, direct: bool) -> set[int] | None:
    if name is None:
        return None
    rows = response_query(session, kind, Scope(by=name, direct=direct))
    return {row["statement_id"] for row in rows}


def list_claims(
    session: Session,
    scope: Scope | None = None,
    *,
    status: str | None = None,
    denied_by: str | None = None,
    endorsed_by: str | None = None,
    unanswered: bool = False,
    include_deleted: bool = False,
    limit: int | None = None,
    **args: Unpack[ScopeArgs],
) -> Page:
    """Claims as ``statement_record`` dicts plus ``status``, in date order (undated last),
    then by id: the first ``limit`` (all when None), with ``total`` the number matching.

    ``scope`` (or its fields as keywords) gives ``by``, ``about``, ``topic``, ``since``,
    ``until``; ``by``/``about`` roll up through dated affiliations unless ``direct``;
    ``denied_by`` / ``endorsed_by`` keep claims directly answered by a denial / endorsement
    from that actor (or its affiliates at the answer's date); ``unanswered`` is
    ``status="unanswered"``.
    Deleted claims only with ``include_deleted``: they carry ``deleted: true`` and the
    status they would have if restored (``factdb restore`` brings back the answers deleted
    with them), and ``status`` filters them like any other claim."""
    check_status(status)
    if unanswered:
        if status not in (None, "unanswered"):
            raise InvalidInput.naming_fields(
                f"{{}}: cannot be combined with {{}} {status}", "unanswered", "status"
            )
        status = "unanswered"
    check_limit(limit)
    scope = Scope.of_args(scope, args)
    direct = scope.direct
    affiliations = Affiliations.load(session)
    by_filter = actor_filter(session, scope.by, "by", affiliations, direct=direct)
    about_filter = actor_filter(session, scope.about, "about", affiliations, direct=direct)
    topic_number = topic_id(session, scope.topic)
    dates = DateRange.of(scope)
    restrict: set[int] | None = None
    for kind, name in (("denial", denied_by), ("endorsement", endorsed_by)):
        answered = _answered_by(session, kind, name, direct)
        if answered is not None:
            restrict = answered if restrict is None else restrict & answered

    selective = any(item is not None for item in (about_filter, topic_number, restrict))
    query = select(statements.c.id, statements.c.actor_id, statements.c.date).where(
        kind_is(statements.c.kind, ("claim",), use_index=by_filter is not None or not selective)
    )
    if not include_deleted:
        query = query.where(statements.c.deleted_at.is_(None))
    if by_filter is not None:
        query = query.where(statements.c.actor_id.in_(sorted(by_filter.candidates)))
    if about_filter is not None:
        query = query.where(about_any(statements.c.id, about_filter.candidates))
    if topic_number is not None:
        query = query.where(on_topic(statements.c.id, topic_number))
    query = query.where(*dates.conditions(statements.c.date))

    if restrict is None:
        rows = list(session.execute(query))
    else:
        rows = []
        for part in chunks(sorted(restrict)):
            rows.extend(session.execute(query.where(statements.c.id.in_(part))))

    if about_filter is not None:
        subjects = subjects_of(session, [row[0] for row in rows])
        rows = [
            row
            for row in rows
            if about_filter.matches_any(affiliations, subjects.get(row[0], []), row[2])
        ]
    if by_filter is not None:
        rows = [row for row in rows if by_filter.matches(affiliations, row[1], row[2])]
    rows.sort(key=lambda row: date_key(row[2], row[0]))
    ids = [row[0] for row in rows]
    if status is None:  # every claim counts: statuses only for those shown
        total = len(ids)
        ids = ids[:limit]
        found = statuses(session, ids, as_restored=include_deleted)
    else:
        found = statuses(session, ids, as_restored=include_deleted)
        ids = [number for number in ids if found.get(number) == status]
        total = len(ids)
        ids = ids[:limit]
    records: list[Record] = []
    for part in chunks(ids):
        loaded = statement_records(session, part)
        records.extend({**loaded[number], "status": found.get(number)} for number in part)
    return Page(_in_order(records, ids), total)


def _in_order(records: list[Record], ids: list[int]) -> list[Record]:
    by_id = {record["id"]: record for record in records}
    return [by_id[number] for number in ids]

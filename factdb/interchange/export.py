"""Export: the records a filter selects, streamed in a deterministic order.

Order never depends on text collation (so SQLite and PostgreSQL agree): actors, sources and
statements by id. A filtered export also carries everything its statements need to import
on their own: the statements they answer (up to the claim), their actors, those actors'
organizations, and their sources.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any, TextIO, cast

from sqlalchemy import ColumnElement, Executable, Select, select
from sqlalchemy.orm import Session

from factdb.dates import format_date
from factdb.errors import InvalidInput
from factdb.interchange.format import FORMAT_VERSION, HEADER_KEY, STATEMENT_CONTENT
from factdb.queries.filters import DateRange, actor_filter, any_of, counting_terms
from factdb.queries.records import (
    actor_fields,
    actor_loader_options,
    affiliation_terms,
    source_fields,
)
from factdb.queries.resolve import resolve_topic
from factdb.queries.rollup import Affiliations
from factdb.queries.scope import Scope, ScopeArgs
from factdb.store.models import (
    Actor,
    Affiliation,
    Source,
    Statement,
    StatementSource,
    StatementSubject,
    StatementTopic,
    Topic,
)

CHUNK = 1000
FILTER_KEYS = ("topic", "by", "since", "until", "direct")
CSV_COLUMNS = ("id", "ref", "kind", "author", "responds_to", *STATEMENT_CONTENT)


def make_filters(filters: dict[str, Any]) -> Scope:
    """The scope of an export: ``scope`` (a ``Scope``) or its fields among ``FILTER_KEYS``."""
    given = {key: value for key, value in filters.items() if key != "scope"}
    unknown = [key for key in given if key not in FILTER_KEYS]
    if unknown:
        raise InvalidInput(f"{unknown[0]}: not an export filter (use {', '.join(FILTER_KEYS)})")
    args = {key: value for key, value in given.items() if value is not None}
    return Scope.of_args(filters.get("scope"), cast(ScopeArgs, args))


def _narrowed(scope: Scope) -> bool:
    """Whether ``scope`` leaves statements out."""
    return any(value is not None for value in (scope.topic, scope.by, scope.since, scope.until))


@dataclass(slots=True)
class ExportedStatement:
    """One statement with everything an export format shows, names instead of ids."""

    id: int
    ref: str
    kind: str
    actor_id: int
    by: str
    responds_to_id: int | None
    responds_to: str | None
    date: str | None
    text: str | None
    quote: str | None
    lang: str | None
    about: list[str]
    topics: list[str]
    sources: list[tuple[str, str | None]]
    verdict: str | None
    rating: str | None
    note: str | None
    deleted: bool


# ----------------------------------------------------------------------------- selection


def _clauses(session: Session, scope: Scope) -> list[ColumnElement[bool]]:
    clauses: list[ColumnElement[bool]] = []
    if scope.topic:
        topic = resolve_topic(session, scope.topic, "topic")
        clauses.append(
            Statement.id.in_(
                select(StatementTopic.statement_id).where(StatementTopic.topic_id == topic.id)
            )
        )
    # like every --by: the actor, or (unless direct) whoever counts for it at the date
    affiliations = Affiliations.load(session) if scope.by else None
    if affiliations is not None and (
        wanted := actor_filter(session, scope.by, "by", affiliations, direct=scope.direct)
    ):
        if scope.direct:
            clauses.append(Statement.actor_id == wanted.actor_id)
        else:
            terms = counting_terms(wanted, affiliations, Statement.actor_id, Statement.date)
            clauses.append(any_of(terms))
    clauses.extend(DateRange.of(scope).conditions(Statement.date))
    return clauses


def selected_ids(
    session: Session,
    filters: Scope,
    extra: Sequence[ColumnElement[bool]] = (),
    *,
    with_answered: bool = True,
) -> Select[Any]:
    """The ids of the statements to export: live ones that match and, ``with_answered``,
    every statement they answer up to the claim (even a deleted one, so the file stays
    whole)."""
    clauses = [*_clauses(session, filters), *extra]
    live = Statement.deleted_at.is_(None)
    if not with_answered:
        return select(Statement.id).where(live, *clauses)
    any_deleted = session.scalar(
        select(Statement.id).where(Statement.deleted_at.is_not(None)).limit(1)
    )
    if not clauses and any_deleted is None:
        return select(Statement.id).where(live)
    wanted = select(Statement.id.label("id")).where(live, *clauses).cte("wanted", recursive=True)
    above = (
        select(Statement.responds_to_id.label("id"))
        .join(wanted, Statement.id == wanted.c.id)
        .where(Statement.responds_to_id.is_not(None))
    )
    wanted = wanted.union(above)
    return select(wanted.c.id)


def actor_names(session: Session) -> dict[int, str]:
    """Every actor's name, merged duplicates under the name of the actor they now are."""
    rows = session.execute(select(Actor.id, Actor.name, Actor.merged_into_id)).all()
    merged = {row.id: row.merged_into_id for row in rows}
    names = {row.id: row.name for row in rows}
    result: dict[int, str] = {}
    for actor_id in names:
        current, seen = actor_id, set()
        while merged.get(current) is not None and current not in seen:
            seen.add(current)
            current = merged[current]
        result[actor_id] = names[current]
    return result


def iter_statements(
    session: Session, ids: Select[Any], names: dict[int, str] | None = None
) -> Iterator[ExportedStatement]:
    """The selected statements by id. One query streams the statements (with the ref of
    the statement each answers), and one per link table streams their subjects, topics and
    sources in the same order, so each statement's links are read off as it goes by."""
    names = names if names is not None else actor_names(session)
    parent = Statement.__table__.alias("parent")
    rows = _stream(
        session,
        select(*_STATEMENT_COLUMNS, parent.c.ref)
        .outerjoin(parent, parent.c.id == Statement.responds_to_id)
        .where(Statement.id.in_(ids))
        .order_by(Statement.id),
    )
    subjects = _Links(
        _stream(
            session,
            select(StatementSubject.statement_id, StatementSubject.actor_id)
            .where(StatementSubject.statement_id.in_(ids))
            .order_by(StatementSubject.statement_id, StatementSubject.position),
        )
    )
    topics = _Links(
        _stream(
            session,
            select(StatementTopic.statement_id, Topic.name)
            .join(Topic, Topic.id == StatementTopic.topic_id)
            .where(StatementTopic.statement_id.in_(ids))
            .order_by(StatementTopic.statement_id, StatementTopic.position),
        )
    )
    sources = _Links(
        _stream(
            session,
            select(StatementSource.statement_id, Source.url, StatementSource.locator)
            .join(Source, Source.id == StatementSource.source_id)
            .where(StatementSource.statement_id.in_(ids))
            .order_by(StatementSource.statement_id, StatementSource.position),
        )
    )
    dates: dict[tuple[Any, Any], str | None] = {}
    chunk: list[Any] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) >= CHUNK:
            yield from _exported(session, chunk, names, dates, subjects, topics, sources)
            chunk = []
    yield from _exported(session, chunk, names, dates, subjects, topics, sources)


_STATEMENT_COLUMNS = (
    Statement.id,
    Statement.ref,
    Statement.kind,
    Statement.actor_id,
    Statement.responds_to_id,
    Statement.date,
    Statement.date_precision,
    Statement.text,
    Statement.quote,
    Statement.lang,
    Statement.verdict,
    Statement.rating,
    Statement.note,
    Statement.deleted_at.is_not(None),
)


def _stream(session: Session, query: Executable) -> Iterator[Any]:
    return iter(session.execute(query.execution_options(yield_per=CHUNK)))


class _Links:
    """Rows ``(statement_id, value…)`` in statement order, taken one statement at a time
    (in the order the statements are asked for)."""

    def __init__(self, rows: Iterator[Any]) -> None:
        self._rows = rows
        self._next: Any = next(self._rows, None)

    def of(self, statement_id: int) -> list[Any]:
        found: list[Any] = []
        while self._next is not None and self._next[0] <= statement_id:
            if self._next[0] == statement_id:
                found.append(self._next)
            self._next = next(self._rows, None)
        return found


def _exported(
    session: Session,
    rows: list[Any],
    names: dict[int, str],
    dates: dict[tuple[Any, Any], str | None],
    subjects: _Links,
    topics: _Links,
    sources: _Links,
) -> Iterator[ExportedStatement]:
    refs = {row[0]: row[1] for row in rows}
    refs.update({row[4]: row[14] for row in rows if row[4] is not None})
    if None in refs.values():
        refs = {**refs, **_refs(session, refs)}
    for row in rows:
        (statement_id, _ref, kind, actor_id, parent_id, date, precision) = row[:7]
        when = dates.get((date, precision), _UNSEEN)
        if when is _UNSEEN:
            when = dates[(date, precision)] = format_date(date, precision)
        yield ExportedStatement(
            id=statement_id,
            ref=refs[statement_id],
            kind=kind,
            actor_id=actor_id,
            by=names[actor_id],
            responds_to_id=parent_id,
            responds_to=None if parent_id is None else refs[parent_id],
            date=when,
            text=row[7],
            quote=row[8],
            lang=row[9],
            about=[names[link[1]] for link in subjects.of(statement_id)],
            topics=[link[1] for link in topics.of(statement_id)],
            sources=[(link[1], link[2]) for link in sources.of(statement_id)],
            verdict=row[10],
            rating=row[11],
            note=row[12],
            deleted=bool(row[13]),
        )


_UNSEEN = ""  # not a date as format_date writes one


def statements_by_id(
    session: Session, ids: Sequence[int], names: dict[int, str]
) -> dict[int, ExportedStatement]:
    found: dict[int, ExportedStatement] = {}
    for start in range(0, len(ids), CHUNK):
        chunk = select(Statement.id).where(Statement.id.in_(ids[start : start + CHUNK]))
        for statement in iter_statements(session, chunk, names):
            found[statement.id] = statement
    return found


def _refs(session: Session, known: dict[int, str | None]) -> dict[int, str]:
    """Each statement's ref; ``s<id>`` for one without, unless another statement has that
    as its own ref (then ``s<id>.2``, ``s<id>.3`` …)."""
    refs = {statement_id: ref for statement_id, ref in known.items() if ref is not None}
    missing = sorted(statement_id for statement_id, ref in known.items() if ref is None)
    suffix = 1
    while missing:
        wanted = {
            statement_id: f"s{statement_id}" if suffix == 1 else f"s{statement_id}.{suffix}"
            for statement_id in missing
        }
        taken = set(
            session.scalars(select(Statement.ref).where(Statement.ref.in_(list(wanted.values()))))
        )
        missing = []
        for statement_id, ref in wanted.items():
            if ref in taken:
                missing.append(statement_id)
            else:
                refs[statement_id] = ref
        suffix += 1
    return refs


# ----------------------------------------------------------------------------- JSON Lines


def _compact(record: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in record.items() if value not in (None, [], False)}


_encode = json.JSONEncoder(ensure_ascii=False, check_circular=False).encode


def dump_line(record: dict[str, Any]) -> str:
    """``json.dumps(record, ensure_ascii=False)`` and a newline."""
    return _encode(record) + "\n"


def actor_line(actor: Actor, names: dict[int, str]) -> dict[str, Any]:
    affiliations = [
        _compact({"organization": names[row.organization_id], **affiliation_terms(row)})
        for row in actor.memberships
    ]
    return _compact({"type": "actor", **actor_fields(actor), "affiliations": affiliations})


def source_line(source: Any) -> dict[str, Any]:
    return _compact({"type": "source", **source_fields(source)})


def statement_line(statement: ExportedStatement) -> dict[str, Any]:
    """The statement's record, keys that are null, empty or false left out (``_compact``
    written out: this runs once per statement)."""
    line: dict[str, Any] = {
        "type": "statement",
        "ref": statement.ref,
        "kind": statement.kind,
        "by": statement.by,
    }
    for key, value in (
        ("responds_to", statement.responds_to),
        ("date", statement.date),
        ("text", statement.text),
        ("quote", statement.quote),
        ("lang", statement.lang),
    ):
        if value is not None:
            line[key] = value
    if statement.about:
        line["about"] = statement.about
    if statement.topics:
        line["topics"] = statement.topics
    if statement.sources:
        line["sources"] = [
            url if locator is None else {"url": url, "locator": locator}
            for url, locator in statement.sources
        ]
    for key, value in (
        ("verdict", statement.verdict),
        ("rating", statement.rating),
        ("note", statement.note),
    ):
        if value is not None:
            line[key] = value
    if statement.deleted:
        line["deleted"] = True
    return line


def _actor_ids(session: Session, ids: Select[Any], full: bool) -> list[int]:
    live = select(Actor.id).where(Actor.merged_into_id.is_(None))
    if full:
        return list(session.scalars(live.order_by(Actor.id)))
    wanted = set(session.scalars(select(Statement.actor_id).where(Statement.id.in_(ids))))
    wanted |= set(
        session.scalars(
            select(StatementSubject.actor_id).where(StatementSubject.statement_id.in_(ids))
        )
    )
    frontier = set(wanted)
    while frontier:
        above = set(
            session.scalars(
                select(Affiliation.organization_id).where(Affiliation.member_id.in_(frontier))
            )
        )
        frontier = above - wanted
        wanted |= above
    return sorted(wanted)


def export_jsonl(session: Session, out: TextIO, **filters: Any) -> int:
    """Write factdb JSON Lines (version 1) to ``out``: the header, then actors, sources and
    statements, each by id. Filters: ``scope`` (a ``factdb.queries.scope.Scope``) or its fields
    ``topic``, ``by`` (an actor name: its statements and, unless ``direct``, those of whoever
    counted for it at the statement's date), ``since``, ``until`` (dates). Returns the number
    of statements written."""
    chosen = make_filters(filters)
    ids = selected_ids(session, chosen)
    names = actor_names(session)
    out.write(dump_line({HEADER_KEY: FORMAT_VERSION}))
    actor_ids = _actor_ids(session, ids, not _narrowed(chosen))
    for start in range(0, len(actor_ids), CHUNK):
        chunk = actor_ids[start : start + CHUNK]
        actors = session.scalars(
            select(Actor).where(Actor.id.in_(chunk)).options(*actor_loader_options())
        ).all()
        for actor in sorted(actors, key=lambda item: item.id):
            if actor.merged_into_id is None:
                out.write(dump_line(actor_line(actor, names)))
    sources = select(Source.__table__).order_by(Source.id).execution_options(yield_per=CHUNK)
    if _narrowed(chosen):
        sources = sources.where(
            Source.id.in_(
                select(StatementSource.source_id).where(StatementSource.statement_id.in_(ids))
            )
        )
    for row in session.execute(sources):
        out.write(dump_line(source_line(row)))
    count = 0
    for statement in iter_statements(session, ids, names):
        out.write(dump_line(statement_line(statement)))
        count += 1
    return count


# ----------------------------------------------------------------------------- CSV


def export_csv(session: Session, out: TextIO, **filters: Any) -> int:
    """One row per statement (for spreadsheets); lists joined with ``; ``. Returns the
    number of rows."""
    ids = selected_ids(session, make_filters(filters), with_answered=False)
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    count = 0
    for statement in iter_statements(session, ids):
        writer.writerow(
            [
                statement.id,
                statement.ref,
                statement.kind,
                statement.by,
                statement.responds_to or "",
                statement.date or "",
                statement.text or "",
                statement.quote or "",
                statement.lang or "",
                "; ".join(statement.about),
                "; ".join(statement.topics),
                "; ".join(url for url, _ in statement.sources),
                statement.verdict or "",
                statement.rating or "",
                statement.note or "",
            ]
        )
        count += 1
    return count

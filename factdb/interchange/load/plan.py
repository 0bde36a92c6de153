"""The fourth stage: what the file holds that the database already has (statements by ref,
or by the ``s<id>`` export gives a statement without one; sources by URL; actors and topics
by name), whether it agrees with the database, and the counts of what is new."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from sqlalchemy import select

from factdb.dates import format_date
from factdb.interchange import format as fmt
from factdb.interchange.format import STATEMENT_KEYS, name_key
from factdb.interchange.load import resolve
from factdb.interchange.load.state import IN_DATABASE, LOOKUP_CHUNK, Job, chunks
from factdb.store import tables

_EXPORTED_REF = re.compile(r"^s([0-9]{1,18})(?:\.[0-9]+)?$")


def find_existing(job: Job) -> None:
    statement = tables.statements.c
    has_refs = job.session.scalar(select(statement.id).where(statement.ref.is_not(None)).limit(1))
    if has_refs is not None:
        for chunk in chunks(job.refs):
            for statement_id, ref, kept in job.session.execute(
                select(statement.id, statement.ref, statement.merged_into_id).where(
                    statement.ref.in_(chunk)
                )
            ):
                job.existing[str(ref)] = statement_id
                if kept is not None:
                    job.kept[str(ref)] = kept
    _find_exported(job)


def _find_exported(job: Job) -> None:
    """Export names a statement without a ref ``s<id>`` (or ``s<id>.2`` …). Reading
    such a file back into the same database must not duplicate those statements:
    ``s<N>`` (when no statement has it as its ref) stands for statement #N if #N has no
    ref and is the same in every key; otherwise it is an ordinary new ref."""
    statement = tables.statements.c
    refless = job.session.scalar(select(statement.id).where(statement.ref.is_(None)).limit(1))
    if refless is None:
        return
    wanted: dict[int, str] = {}
    for ref in job.refs:
        match = _EXPORTED_REF.match(ref)
        if match and ref not in job.existing:
            wanted[int(match.group(1))] = ref
    for chunk in chunks(sorted(wanted)):
        for statement_id, kept in job.session.execute(
            select(statement.id, statement.merged_into_id).where(
                statement.id.in_(chunk), statement.ref.is_(None)
            )
        ):
            job.existing[wanted[statement_id]] = statement_id
            job.tentative.add(wanted[statement_id])
            if kept is not None:
                job.kept[wanted[statement_id]] = kept


def _id_of(job: Job, ref: str) -> int | None:
    """The id a ref of the database stands for: the statement kept, for a merged one."""
    return job.kept.get(ref) or job.existing.get(ref)


def compare_spooled(job: Job) -> None:
    """Compare records that already exist (by ref, by URL) with the database."""
    if job.problems:
        return
    _find_sources(job)
    if not job.existing and not (job.existing_sources and job.source_records):
        return
    statements: list[tuple[Any, ...]] = []
    for tag, record, _index in job.spool.records():
        if tag == "o":
            if record[1] in job.existing_sources:
                _compare_source(job, record)
        elif record[fmt.S_REF] in job.existing:
            statements.append(record)
            if len(statements) >= LOOKUP_CHUNK:
                _compare_statements(job, statements)
                statements = []
    if statements:
        _compare_statements(job, statements)


def _find_sources(job: Job) -> None:
    source = tables.sources.c
    has_sources = job.session.scalar(select(source.id).limit(1))
    if has_sources is None:
        job.new_sources = len(job.urls)
        return
    for chunk in chunks(job.urls):
        for source_id, url in job.session.execute(
            select(source.id, source.url).where(source.url.in_(chunk))
        ):
            job.existing_sources[url] = source_id
    job.new_sources = len(job.urls) - len(job.existing_sources)


def _compare_source(job: Job, record: tuple[Any, ...]) -> None:
    line, url, outlet, title, published, retrieved, archive, given = record
    source = job.session.execute(
        select(tables.sources).where(tables.sources.c.id == job.existing_sources[url])
    ).one()
    values = {
        "outlet": (outlet, source.outlet),
        "title": (title, source.title),
        "published": (
            published,
            format_date(source.published_date, source.published_precision),
        ),
        "retrieved": (retrieved, _iso(source.retrieved_date)),
        "archive_url": (archive, source.archive_url),
    }
    for key, (mine, theirs) in values.items():
        if key in given and mine != theirs:
            job.problem(
                line,
                f"{key}: the source {url} (#{source.id}) already exists with {key} {theirs!r}",
            )
            return


def _compare_statements(job: Job, records: list[tuple[Any, ...]]) -> None:
    ids = [job.existing[record[fmt.S_REF]] for record in records]
    statement = tables.statements.c
    rows = {
        row.id: row
        for row in job.session.execute(select(tables.statements).where(statement.id.in_(ids)))
    }
    subject = tables.statement_subjects.c
    about: dict[int, list[int]] = {}
    for statement_id, actor_id in job.session.execute(
        select(subject.statement_id, subject.actor_id)
        .where(subject.statement_id.in_(ids))
        .order_by(subject.statement_id, subject.position)
    ):
        about.setdefault(statement_id, []).append(actor_id)
    topic, topic_link = tables.topics.c, tables.statement_topics.c
    topics: dict[int, list[str]] = {}
    for statement_id, key in job.session.execute(
        select(topic_link.statement_id, topic.name_key)
        .join(tables.topics, topic.id == topic_link.topic_id)
        .where(topic_link.statement_id.in_(ids))
        .order_by(topic_link.statement_id, topic_link.position)
    ):
        topics.setdefault(statement_id, []).append(key)
    source, source_link = tables.sources.c, tables.statement_sources.c
    sources: dict[int, list[list[str | None]]] = {}
    for statement_id, url, locator in job.session.execute(
        select(source_link.statement_id, source.url, source_link.locator)
        .join(tables.sources, source.id == source_link.source_id)
        .where(source_link.statement_id.in_(ids))
        .order_by(source_link.statement_id, source_link.position)
    ):
        sources.setdefault(statement_id, []).append([url, locator])
    gained = set(
        job.session.scalars(
            select(statement.merged_into_id).where(statement.merged_into_id.in_(ids))
        )
    )
    for record in records:
        statement_id = job.existing[record[fmt.S_REF]]
        row = rows[statement_id]
        tentative = record[fmt.S_REF] in job.tentative
        differs = _difference(
            job, record, row, about, topics, sources, strict=tentative, gained=row.id in gained
        )
        if differs is not None and tentative:
            del job.existing[record[fmt.S_REF]]  # not that statement: a new one
            job.kept.pop(record[fmt.S_REF], None)
        elif differs is not None:
            job.problem(
                record[fmt.S_LINE],
                f"{differs}: the statement {record[fmt.S_REF]!r} (#{statement_id}) already "
                f"exists with a different {differs}; give this one another ref, or edit "
                f"#{statement_id}",
            )


def _difference(
    job: Job,
    record: tuple[Any, ...],
    row: Any,
    about: dict[int, list[int]],
    topics: dict[int, list[str]],
    sources: dict[int, list[list[str | None]]],
    *,
    strict: bool = False,
    gained: bool = False,
) -> str | None:
    """The first key in which the record differs from the row; only keys the record
    gives are compared, unless ``strict`` (then a left-out key means empty). ``gained``:
    duplicates were merged into the row, so its subjects, topics and sources may include
    more than the record lists (see ``_links_agree``)."""
    given = set(STATEMENT_KEYS) if strict else set(record[fmt.S_GIVEN])
    if record[fmt.S_KIND] != row.kind:
        return "kind"
    if resolve.actor_for(job, name_key(record[fmt.S_BY])) != row.actor_id:
        return "by"
    if record[fmt.S_PARENT] is not None:
        index = job.refs[record[fmt.S_REF]]
        parent = job.parents[index]
        if parent == IN_DATABASE:
            parent_id: int | None = job.db_parents[index].id
        else:
            parent_id = _id_of(job, record[fmt.S_PARENT])
        if parent_id != row.responds_to_id:
            return "responds_to"
    simple = {
        "date": (record[fmt.S_DATE], format_date(row.date, row.date_precision)),
        "text": (record[fmt.S_TEXT], row.text),
        "quote": (record[fmt.S_QUOTE], row.quote),
        "lang": (record[fmt.S_LANG], row.lang),
        "verdict": (record[fmt.S_VERDICT], row.verdict),
        "rating": (record[fmt.S_RATING], row.rating),
        "note": (record[fmt.S_NOTE], row.note),
        # a merged statement was live when merged: it reads as it was then
        "deleted": (record[fmt.S_DELETED], row.deleted_at is not None and not row.merged_into_id),
    }
    for key, (mine, theirs) in simple.items():
        if key in given and mine != theirs:
            return key
    if "about" in given:
        wanted = [resolve.actor_for(job, name_key(name)) for name in record[fmt.S_ABOUT]]
        if not _links_agree(wanted, about.get(row.id, []), gained):
            return "about"
    if "topics" in given and not _links_agree(
        [name_key(t) for t in record[fmt.S_TOPICS]], topics.get(row.id, []), gained
    ):
        return "topics"
    if "sources" in given and not _links_agree(
        record[fmt.S_SOURCES], sources.get(row.id, []), gained
    ):
        return "sources"
    return None


def count(job: Job) -> None:
    result = job.result
    for actor in job.actors.values():
        if actor.key in job.db_named:
            result.actors.unchanged += 1
        else:
            result.actors.created += 1
    result.sources.created = job.new_sources
    result.sources.unchanged = len(job.urls) - job.new_sources
    topic = tables.topics.c
    for chunk in chunks(job.topics):
        for topic_id, key in job.session.execute(
            select(topic.id, topic.name_key).where(topic.name_key.in_(chunk))
        ):
            job.topic_ids[key] = topic_id
    result.topics.unchanged = len(job.topic_ids)
    result.topics.created = len(job.topics) - len(job.topic_ids)
    result.statements.unchanged = len(job.existing)
    result.statements.created = len(job.refs) - len(job.existing)


# ------------------------------------------------------------------------- writing


def _links_agree(mine: list[Any], theirs: list[Any], gained: bool) -> bool:
    """A record's links against a statement's: the same, in the same order; but when
    duplicates were merged into the statement, a file written before the merge lacks the
    links the merge brought, so then each link the record gives must merely be there."""
    if not gained:
        return mine == theirs
    return all(link in theirs for link in mine)


def _iso(value: dt.date | dt.datetime | None) -> str | None:
    return None if value is None else value.isoformat()

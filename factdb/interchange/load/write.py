"""The last stage: write what the plan found new, in batches of tuples through the driver
(``factdb.interchange.bulk.BulkWriter``), with the audit rows: one per actor, source …
built by the database as the ORM hook would write it, and one per statement holding its
links. Statements are written in file order, except responses that come before what they
answer, which wait for another round."""

from __future__ import annotations

from array import array
from contextlib import ExitStack
from dataclasses import dataclass, field
from itertools import chain
from typing import Any

from factdb.dates import parse_date
from factdb.interchange.bulk import BulkWriter, storage_time
from factdb.interchange.format import (
    S_ABOUT,
    S_BY,
    S_DATE,
    S_DELETED,
    S_KIND,
    S_LANG,
    S_NOTE,
    S_QUOTE,
    S_RATING,
    S_REF,
    S_SOURCES,
    S_TEXT,
    S_TOPICS,
    S_VERDICT,
    ActorLine,
    cached_date,
    name_key,
)
from factdb.interchange.load import resolve
from factdb.interchange.load.spool import Spool
from factdb.interchange.load.state import CLAIM, IN_DATABASE, Job, period
from factdb.record.audit import STATEMENT_LINK_TABLES, LinkedRowJson, current_user, json_string
from factdb.store import tables

# What the statements' round writes: the statements and their links.
_STATEMENT_TABLES = ("statements", "statement_subjects", "statement_topics", "statement_sources")


def write(job: Job) -> None:
    """Write everything the file holds that the database does not have yet."""
    _Writer(job).write()


class _Writer:
    """The write of one import, with what it hands from one table to the next (the new
    ids of actors, sources, topics and statements)."""

    def __init__(self, job: Job) -> None:
        self.job = job
        self.parents = job.parents
        self.db_parents = job.db_parents
        self.topic_ids = job.topic_ids
        self.now = tables.utcnow()
        self.stamp = storage_time(self.now)
        self.bulk = BulkWriter(job.session)
        # from ``write_sources`` on: each URL's source id
        self.source_ids: dict[str, int] = {}
        # from ``write_statements`` on: each statement's id, and whether it is written
        self.ids: array[int] = array("q")
        self.written = bytearray()
        self.author_ids: dict[str, int] = {}
        # each date as written: as stored (first day, precision) and as audit JSON
        self.date_values: dict[str | None, tuple[str | None, str | None, str, str]] = {
            None: (None, None, "null", "null")
        }
        self.audit_head = (self.stamp, current_user(), "insert", "statements")
        self.audit_stamp = json_string(self.now.isoformat())
        self.statement_json = LinkedRowJson(
            "statements",
            STATEMENT_LINK_TABLES,
            {
                "created_at": self.audit_stamp,
                "updated_at": self.audit_stamp,
                "merged_into_id": "null",
            },
        )

    def write(self) -> None:
        self.job.tick(self.job.line_count - len(self.job.refs))
        new = len(self.job.refs) - len(self.job.existing)
        # one audit row per new statement (and per actor, source …)
        with self.bulk.writing(), self.bulk.deferred_indexes("audit_log", new):
            self._write_topics()
            self._write_actors()
            self._write_sources()
            for table in ("topics", "actors", "actor_aliases", "affiliations", "sources"):
                self.bulk.audit(table, self.now)
            with ExitStack() as deferred:
                deferred.enter_context(self.bulk.deferred_search_index())
                for table in _STATEMENT_TABLES:  # about one link per statement and table
                    deferred.enter_context(self.bulk.deferred_indexes(table, new))
                deferred.enter_context(self.bulk.deferred_foreign_keys(_STATEMENT_TABLES, new))
                self._write_statements()
        self.job.session.expire_all()

    def _write_topics(self) -> None:
        new = [key for key in self.job.topics if key not in self.topic_ids]
        rows = []
        for key, topic_id in zip(new, self.bulk.ids("topics").take(len(new)), strict=True):
            rows.append((topic_id, self.job.topics[key], key))
            self.topic_ids[key] = topic_id
        self.bulk.insert("topics", _TOPIC_COLUMNS, rows)

    def _write_actors(self) -> None:
        new = [actor for actor in self.job.actors.values() if actor.key not in self.job.db_named]
        rows: list[tuple[Any, ...]] = []
        for actor, actor_id in zip(new, self.bulk.ids("actors").take(len(new)), strict=True):
            rows.append(
                (
                    actor_id,
                    actor.name,
                    actor.key,
                    actor.kind,
                    actor.country,
                    actor.wikidata,
                    actor.description,
                    None,
                    self.stamp,
                    self.stamp,
                )
            )
            self.job.resolved[actor.key] = actor_id
        self.bulk.insert("actors", _ACTOR_COLUMNS, rows)
        for key, target in list(self.job.resolved.items()):
            if isinstance(target, ActorLine):
                self.job.resolved[key] = self.job.resolved[target.key]
        aliases: list[tuple[Any, ...]] = []
        affiliations: list[tuple[Any, ...]] = []
        for actor in new:
            actor_id = self._actor_id(actor.key)
            for alias in actor.aliases:
                aliases.append((actor_id, alias, name_key(alias)))
            for affiliation in actor.affiliations:
                start, end = affiliation.start, affiliation.end
                affiliations.append(
                    (
                        actor_id,
                        self._actor_id(name_key(affiliation.organization)),
                        affiliation.role,
                        start.start.isoformat() if start else None,
                        start.precision if start else None,
                        end.start.isoformat() if end else None,
                        end.precision if end else None,
                    )
                )
        for table, columns, table_rows in (
            ("actor_aliases", _ALIAS_COLUMNS, aliases),
            ("affiliations", _AFFILIATION_COLUMNS, affiliations),
        ):
            ids = self.bulk.ids(table).take(len(table_rows))
            numbered = [(row_id, *row) for row_id, row in zip(ids, table_rows, strict=True)]
            self.bulk.insert(table, columns, numbered)

    def _actor_id(self, key: str) -> int:
        target = self.job.resolved.get(key)
        if target is None:
            target = resolve.actor_for(self.job, key)
        if isinstance(target, ActorLine):
            target = self.job.resolved[target.key]
        assert isinstance(target, int)
        return target

    def _write_sources(self) -> None:
        # from here on ``urls`` maps each URL to its source's id (0: not written yet)
        self.source_ids = self.job.urls
        for url in self.source_ids:
            self.source_ids[url] = self.job.existing_sources.get(url, 0)
        if not self.job.new_sources:
            return
        ids = iter(self.bulk.ids("sources").take(self.job.new_sources))
        rows: list[tuple[Any, ...]] = []
        if self.job.source_records:
            for tag, record, _index in self.job.spool.records():
                if tag != "o" or record[1] in self.job.existing_sources:
                    continue
                _line, url, outlet, title, published, retrieved, archive, _given = record
                when = period(published)
                source_id = next(ids)
                rows.append(
                    (
                        source_id,
                        url,
                        outlet,
                        title,
                        when.start.isoformat() if when else None,
                        when.precision if when else None,
                        None if retrieved is None else parse_date(retrieved).start.isoformat(),
                        archive,
                        self.stamp,
                        self.stamp,
                    )
                )
                self.source_ids[url] = source_id
                rows = self._insert_batch("sources", _SOURCE_COLUMNS, rows)
        stamp = self.stamp
        for url, known in self.source_ids.items():
            if not known:
                source_id = self.source_ids[url] = next(ids)
                rows.append((source_id, url, None, None, None, None, None, None, stamp, stamp))
                rows = self._insert_batch("sources", _SOURCE_COLUMNS, rows)
        self.bulk.insert("sources", _SOURCE_COLUMNS, rows)

    def _insert_batch(
        self, table: str, columns: tuple[str, ...], rows: list[tuple[Any, ...]]
    ) -> list[tuple[Any, ...]]:
        """Insert ``rows`` once there are ``self.bulk.batch`` of them; the list to go on with."""
        if len(rows) < self.bulk.batch:
            return rows
        self.bulk.insert(table, columns, rows)
        return []

    def _write_statements(self) -> None:
        count = len(self.job.refs)
        self.ids = array("q", [0]) * count
        fresh = iter(self.bulk.ids("statements").take(count - len(self.job.existing)))
        self.written = bytearray(count)
        # ids in file order; statements that already exist keep theirs
        for ref, statement_id in self.job.existing.items():
            index = self.job.refs[ref]
            self.ids[index] = self.job.kept.get(ref, statement_id)
            self.written[index] = 1
        for index in range(count):
            if not self.written[index]:
                self.ids[index] = next(fresh)
        self.job.refs.clear()  # no longer needed; frees memory before the write
        source = self.job.spool
        while True:
            deferred = Spool()
            postponed = self._write_round(source, deferred)
            if source is not self.job.spool:
                source.close()
            if not postponed:
                deferred.close()
                break
            source = deferred

    def _write_round(self, source: Spool, deferred: Spool) -> int:
        """Write every statement whose parent is written; spool the others for another
        round (only responses that come before the statement they answer)."""
        batch = _Batch()
        postponed = 0
        unreported = 0
        written, parents = self.written, self.parents
        for tag, record, index in source.records():
            if tag != "s" or written[index]:
                continue
            parent = parents[index]
            if parent >= 0 and not written[parent]:
                deferred.add((tag, record, index))
                postponed += 1
                continue
            self._add_statement(batch, index, record)
            written[index] = 1
            unreported += 1
            if len(batch.statements) >= self.bulk.batch:
                self._flush(batch)
                self.job.tick(unreported)
                unreported = 0
        self._flush(batch)
        self.job.tick(unreported)
        return postponed

    def _add_statement(self, batch: _Batch, index: int, record: tuple[Any, ...]) -> None:
        statement_id = self.ids[index]
        parent = self.parents[index]
        if parent == CLAIM:
            parent_id: int | None = None
        elif parent == IN_DATABASE:
            parent_id = self.db_parents[index].id
        else:
            parent_id = self.ids[parent]
        date = self.date_values.get(record[S_DATE]) or self._date_value(record[S_DATE])
        author = self.author_ids.get(record[S_BY]) or self._author_id(record[S_BY])
        kind, text, quote, lang = record[S_KIND], record[S_TEXT], record[S_QUOTE], record[S_LANG]
        verdict, rating, note, ref = (
            record[S_VERDICT],
            record[S_RATING],
            record[S_NOTE],
            record[S_REF],
        )
        stamp = self.stamp
        deleted = record[S_DELETED]
        batch.statements.append(
            (
                statement_id,
                kind,
                author,
                parent_id,
                text,
                quote,
                lang,
                date[0],
                date[1],
                verdict,
                rating,
                note,
                ref,
                stamp if deleted else None,
                stamp,
                stamp,
            )
        )
        subjects = [
            (statement_id, self.author_ids.get(name) or self._author_id(name), position)
            for position, name in enumerate(record[S_ABOUT])
        ]
        topic_ids = self.topic_ids
        topics = [
            (statement_id, topic_ids[name_key(topic)], position)
            for position, topic in enumerate(record[S_TOPICS])
        ]
        source_ids = self.source_ids
        sources = [
            (statement_id, source_ids[url], position, locator)
            for position, (url, locator) in enumerate(record[S_SOURCES])
        ]
        batch.subjects += subjects
        batch.topics += topics
        batch.sources += sources
        quoted = json_string  # conditionals written out: this runs once per statement
        after = self.statement_json(
            (
                statement_id,
                quoted(kind),
                author,
                "null" if parent_id is None else parent_id,
                "null" if text is None else quoted(text),
                "null" if quote is None else quoted(quote),
                "null" if lang is None else quoted(lang),
                date[2],
                date[3],
                "null" if verdict is None else quoted(verdict),
                "null" if rating is None else quoted(rating),
                "null" if note is None else quoted(note),
                "null" if ref is None else quoted(ref),
                self.audit_stamp if deleted else "null",
                *chain.from_iterable(
                    (a, b, c, "null" if d is None else quoted(d)) for a, b, c, d in sources
                ),
                *chain.from_iterable(subjects),
                *chain.from_iterable(topics),
            ),
            (len(sources), len(subjects), len(topics)),
        )
        batch.audits.append((*self.audit_head, statement_id, None, after))

    def _author_id(self, name: str) -> int:
        """The id of the actor ``name`` (as written in the file) stands for, remembered."""
        actor_id = self.author_ids[name] = self._actor_id(name_key(name))
        return actor_id

    def _date_value(self, text: str) -> tuple[str | None, str | None, str, str]:
        """A statement's date as stored (its first day) and its precision, and both as audit
        JSON, remembered."""
        when = cached_date(text)
        start = when.start.isoformat()
        value = (start, when.precision, json_string(start), json_string(when.precision))
        self.date_values[text] = value
        return value

    def _flush(self, batch: _Batch) -> None:
        write = self.bulk.insert
        write("statements", _STATEMENT_COLUMNS, batch.statements)
        write("statement_subjects", _LINK_SUBJECT_COLUMNS, batch.subjects)
        write("statement_topics", _LINK_TOPIC_COLUMNS, batch.topics)
        write("statement_sources", _LINK_SOURCE_COLUMNS, batch.sources)
        write("audit_log", _AUDIT_COLUMNS, batch.audits)
        batch.clear()


@dataclass
class _Batch:
    statements: list[tuple[Any, ...]] = field(default_factory=list)
    subjects: list[tuple[Any, ...]] = field(default_factory=list)
    topics: list[tuple[Any, ...]] = field(default_factory=list)
    sources: list[tuple[Any, ...]] = field(default_factory=list)
    audits: list[tuple[Any, ...]] = field(default_factory=list)

    def clear(self) -> None:
        for rows in (self.statements, self.subjects, self.topics, self.sources, self.audits):
            rows.clear()


def _columns(table: str, *leave_out: str) -> tuple[str, ...]:
    """The columns of ``table`` in its order, less ``leave_out``: those of the rows written."""
    columns = tables.metadata.tables[table].c
    return tuple(column.name for column in columns if column.name not in leave_out)


_ACTOR_COLUMNS = _columns("actors")
_ALIAS_COLUMNS = _columns("actor_aliases")
_AFFILIATION_COLUMNS = _columns("affiliations")
_SOURCE_COLUMNS = _columns("sources")
_STATEMENT_COLUMNS = _columns("statements", "merged_into_id")
_TOPIC_COLUMNS = _columns("topics")
_LINK_SUBJECT_COLUMNS = _columns("statement_subjects")
_LINK_TOPIC_COLUMNS = _columns("statement_topics")
_LINK_SOURCE_COLUMNS = _columns("statement_sources")
_AUDIT_COLUMNS = _columns("audit_log", "id")

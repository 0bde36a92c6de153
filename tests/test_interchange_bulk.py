"""How the import writes: audit rows built by the database read as the ORM hook writes
them; the full-text index, its trigger, the statements' indexes, PostgreSQL's foreign keys
and SQLite's page cache come out of an import exactly as they went in, whether it succeeds
or fails."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import table_rows
from sqlalchemy import event, select, text
from sqlalchemy.orm import Session

from factdb.errors import Conflict, InvalidInput
from factdb.interchange import import_jsonl
from factdb.interchange.bulk import BulkWriter
from factdb.queries.search import search
from factdb.record.audit import audit_inserts
from factdb.record.statements import add_claim
from factdb.store.db import Database
from factdb.store.engine import dispose_engines
from factdb.store.models import Actor, AuditEntry, Source

HEADER = '{"factdb": 1}'


def line(**record: Any) -> str:
    return json.dumps(record, ensure_ascii=False)


def statements(count: int, start: int = 0) -> list[str]:
    words = ("ceasefire", "drone", "border", "Stepanakert", "Ağdam", "shelling")
    return [
        line(
            type="statement",
            ref=f"r{n}",
            kind="claim" if n % 2 == 0 else "denial",
            responds_to=None if n % 2 == 0 else f"r{n - 1}",
            by="Armenia" if n % 3 else "Azerbaijan",
            text=f"{words[n % 6]} claim {n}",
            quote=f"verbatim {words[(n + 1) % 6]}" if n % 4 == 0 else None,
            note="çok önemli" if n % 5 == 0 else None,
            about=["Azerbaijan"] if n % 2 == 0 else [],
            topics=["Karabakh"],
            sources=[f"https://example.org/{n // 2}"],
            date="2020-10-11",
        )
        for n in range(start, start + count)
    ]


ACTORS = [
    line(type="actor", name="Armenia", kind="state", country="AM"),
    line(type="actor", name="Azerbaijan", kind="state", country="AZ"),
]


def load(database: Database, lines: list[str]) -> None:
    database.run(lambda s: import_jsonl(s, lines), write=True)


def audit_after(session: Session, table: str, row_id: int) -> list[dict[str, Any]]:
    found = session.scalars(
        select(AuditEntry.after)
        .where(AuditEntry.table_name == table, AuditEntry.row_id == row_id)
        .order_by(AuditEntry.id)
    )
    return [json.loads(after) for after in found if after is not None]


# ----------------------------------------------------------------------------- audit rows


def test_bulk_audit_rows_read_as_the_orm_writes_them(database: Database) -> None:
    """``audit_inserts`` writes for rows already there what the ORM hook wrote for them:
    times with and without microseconds, dates, nulls, text that needs escaping."""
    stamp = dt.datetime(2020, 10, 11, 12, 30, 5)

    def work(session: Session) -> None:
        actor = Actor(
            name='Nagorno "Karabakh"\nRepublic',
            name_key="nagorno karabakh republic",
            kind="state",
            created_at=stamp,
            updated_at=stamp.replace(microsecond=70),
        )
        source = Source(
            url="https://example.org/ə",
            published_date=dt.date(2020, 10, 1),
            published_precision="month",
            retrieved_date=dt.date(2021, 1, 2),
            created_at=stamp,
            updated_at=stamp,
        )
        session.add_all([actor, source])
        session.flush()
        me = f"#{actor.id}"
        claim = add_claim(session, "Claim", by=me, about=[me], sources=[source.url], date="2020")
        session.flush()
        for table, row_id in (
            ("actors", actor.id),
            ("sources", source.id),
            ("statements", claim.id),
        ):
            audit_inserts(session.connection(), table, [(row_id, row_id)], stamp)

    database.run(work, write=True)
    with database.session() as session:
        for table in ("actors", "sources", "statements"):
            by_orm, by_database = audit_after(session, table, 1)
            assert by_database == by_orm
        assert by_orm["date"] == "2020-01-01" and by_orm["created_at"].count(":") == 2


def test_audit_json_is_what_json_dumps_writes(sqlite_database: Database) -> None:
    """The ORM hook writes audit JSON by the template the import uses (``record.audit``):
    byte for byte what ``json.dumps`` with sorted keys writes, whatever the text holds."""
    name = 'Nagorno "Karabakh" %s %% {0} } \\ é\u2028\x01 Республика'

    def work(session: Session) -> None:
        session.add(Actor(name=name, name_key="nagorno", kind="state", description="{}"))

    sqlite_database.run(work, write=True)
    with sqlite_database.session() as session:
        [after] = [
            after
            for after in session.scalars(
                select(AuditEntry.after).where(AuditEntry.table_name == "actors")
            )
            if after is not None
        ]
    values = json.loads(after)
    assert values["name"] == name and values["description"] == "{}"
    assert after == json.dumps(values, ensure_ascii=False, sort_keys=True)


def test_history_of_an_imported_statement_shows_its_links(database: Database) -> None:
    from factdb.record.history import history

    load(database, [HEADER, *ACTORS, *statements(2)])
    with database.session() as session:
        [record] = history(session, statement_id=1)
        [by_actor] = [r for r in history(session, actor="Azerbaijan") if r["table"] != "actors"]
    assert (record["action"], record["table"], record["row_id"]) == ("insert", "statements", 1)
    assert record["after"]["text"] == "ceasefire claim 0"
    assert record["after"]["statement_subjects"] == [
        {"actor_id": 2, "position": 0, "statement_id": 1}
    ]
    assert record["after"]["statement_topics"] == [
        {"position": 0, "statement_id": 1, "topic_id": 1}
    ]
    assert record["after"]["statement_sources"] == [
        {"locator": None, "position": 0, "source_id": 1, "statement_id": 1}
    ]
    assert by_actor == record


# ----------------------------------------------------------------------------- SQLite


@pytest.fixture
def sqlite_database(tmp_path: Path, sqlite_template: Path) -> Iterator[Database]:
    path = tmp_path / "factdb.sqlite3"
    shutil.copyfile(sqlite_template, path)
    yield Database.open(str(path))
    dispose_engines()


# PostgreSQL: every index and constraint, by the statement that would create it.
PG_SCHEMA = text(
    "SELECT tablename, indexname, indexdef FROM pg_indexes "
    "WHERE schemaname = current_schema() "
    "UNION ALL SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) "
    "FROM pg_constraint WHERE connamespace = to_regnamespace(current_schema()) "
    "ORDER BY 1, 2, 3"
)


def schema(database: Database) -> list[tuple[str, ...]]:
    """SQLite: every table, index and trigger as stored; PostgreSQL: indexes and
    constraints (what the import drops and builds again on a large load)."""
    with database.engine.connect() as connection:
        if connection.dialect.name == "postgresql":
            return [tuple(str(value) for value in row) for row in connection.execute(PG_SCHEMA)]
        rows = connection.execute(text("SELECT name, sql FROM sqlite_master ORDER BY name"))
        return [(str(name), str(sql)) for name, sql in rows]


def check_search_index(database: Database) -> None:
    """SQLite: FTS5's own check that the index holds exactly the content of ``statements``
    (PostgreSQL's GIN index is built from the rows by the server itself)."""
    if database.engine.dialect.name == "sqlite":
        fts_check(database)


def statement_count(database: Database) -> int:
    with database.engine.connect() as connection:
        return int(connection.exec_driver_sql("SELECT count(*) FROM statements").scalar() or 0)


def fts_check(database: Database) -> None:
    """FTS5's own check that the index holds exactly the content of ``statements``."""
    with database.engine.begin() as connection:
        connection.execute(
            text("INSERT INTO statements_fts(statements_fts, rank) VALUES ('integrity-check', 1)")
        )


def found(database: Database, words: str) -> list[int]:
    with database.session() as session:
        return sorted(row["id"] for row in search(session, words, limit=1000))


@pytest.mark.parametrize("existing", [0, 5, 400], ids=["empty", "small", "larger"])
def test_search_index_and_schema_come_out_as_they_went_in(
    database: Database, existing: int
) -> None:
    """Into an empty database, one smaller than the import (its statement indexes, and on
    PostgreSQL its foreign keys, are dropped and built again) and one larger (they are
    kept): the same schema, a full-text index equal to its content, and the trigger back
    for statements added later."""
    if existing:
        load(database, [HEADER, *ACTORS, *statements(existing, start=1000)])
    before = schema(database)
    load(database, [HEADER, *ACTORS, *statements(60)])
    assert schema(database) == before
    check_search_index(database)
    assert found(database, "agdam") == sorted(
        [n + 1 + existing for n in range(60) if n % 6 == 4]
        + [n + 1 for n in range(existing) if (n + 1000) % 6 == 4]
    )
    assert found(database, "onemli") == sorted(
        [n + 1 + existing for n in range(0, 60, 5)]
        + [n + 1 for n in range(existing) if (n + 1000) % 5 == 0]
    )
    later = database.run(lambda s: add_claim(s, "Unique wording", by="Armenia").id, write=True)
    assert found(database, "unique wording") == [later]
    check_search_index(database)


def index_statements(database: Database, lines: list[str]) -> list[str]:
    """The index statements (DROP INDEX, CREATE INDEX) an import of ``lines`` sends."""
    sent: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if "INDEX" in statement.split("(")[0]:
            sent.append(" ".join(statement.replace('"', "").replace("public.", "").split()[:3]))

    event.listen(database.engine, "before_cursor_execute", record)
    try:
        load(database, lines)
    finally:
        event.remove(database.engine, "before_cursor_execute", record)
    return sent


@pytest.mark.parametrize("existing", [0, 400], ids=["empty", "larger"])
def test_a_large_load_builds_the_link_indexes_once_the_links_are_in(
    database: Database, existing: int
) -> None:
    """The secondary indexes of the statements' link tables, like the statements' own, are
    dropped while a load that at least doubles the statements writes, and built again
    after; into a larger database they are kept."""
    if existing:
        load(database, [HEADER, *ACTORS, *statements(existing, start=1000)])
    sent = index_statements(database, [HEADER, *ACTORS, *statements(60)])
    links = [
        "ix_statement_sources_source_id",
        "ix_statement_subjects_actor_id",
        "ix_statement_topics_topic_id",
    ]
    if existing:
        assert not [statement for statement in sent if "statement_" in statement]
    else:
        for name in links:
            assert f"DROP INDEX {name}" in sent
            assert sent.index(f"DROP INDEX {name}") < sent.index(f"CREATE INDEX {name}")


def test_the_page_cache_setting_is_restored(sqlite_database: Database) -> None:
    load(sqlite_database, [HEADER, *ACTORS, *statements(10)])
    with sqlite_database.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA cache_size").scalar() == -2000


def test_the_index_build_memory_lasts_only_for_the_import(pg_database: Database) -> None:
    """PostgreSQL: the larger ``maintenance_work_mem`` for the indexes built after a large
    load is the import transaction's own; the connection has the server's setting again."""
    database = pg_database
    show = text("SELECT current_setting('maintenance_work_mem')")
    with database.engine.connect() as connection:
        before = connection.scalar(show)
    seen = database.run(
        lambda s: (import_jsonl(s, [HEADER, *ACTORS, *statements(20)]), s.scalar(show))[1],
        write=True,
    )
    assert seen == "256MB" != before
    with database.engine.connect() as connection:
        assert connection.scalar(show) == before


class Interrupted(Exception):
    pass


def fail_after(monkeypatch: pytest.MonkeyPatch, count: int) -> None:
    """Make the import fail while it writes, after ``count`` statements (in batches of a
    thousand on both databases: the first batch is in the database by then)."""
    from factdb.interchange import bulk
    from factdb.interchange.load import write

    monkeypatch.setattr(bulk, "COPY_BATCH", bulk.BATCH)
    written = 0
    add = write._Writer._add_statement

    def failing(self: Any, *args: Any) -> None:
        nonlocal written
        written += 1
        if written > count:
            raise Interrupted
        add(self, *args)

    monkeypatch.setattr(write._Writer, "_add_statement", failing)


def test_an_import_failing_while_it_writes_leaves_everything_as_it_was(
    database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    load(database, [HEADER, *ACTORS, *statements(4, start=5000)])
    before, rows_before = schema(database), table_rows(database)
    fail_after(monkeypatch, 1200)
    with pytest.raises(Interrupted):
        load(database, [HEADER, *ACTORS, *statements(1500)])
    assert schema(database) == before
    assert table_rows(database) == rows_before
    check_search_index(database)


def test_a_caller_that_commits_after_a_failed_import_keeps_a_whole_schema(
    database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The import puts the trigger, indexes and keys back (and indexes what it wrote) even
    when it fails, in case its caller commits anyway."""
    before = schema(database)
    fail_after(monkeypatch, 1200)
    with database.session(write=True) as session, pytest.raises(Interrupted):
        import_jsonl(session, [HEADER, *ACTORS, *statements(1500)])
    assert schema(database) == before
    assert statement_count(database) == 1000
    check_search_index(database)
    assert found(database, "agdam")[:2] == [5, 11]


def test_a_link_to_nothing_fails_the_import_and_changes_nothing(
    database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The foreign keys hold while the import writes: on SQLite each row is checked as it
    goes in, on PostgreSQL (keys dropped during a large load) when they are added back. A
    statement's source that does not exist (smuggled in past the import's own checks)
    fails the import, and the database is as it was."""
    from factdb.interchange.bulk import BulkWriter

    load(database, [HEADER, *ACTORS, *statements(4, start=5000)])
    before, rows_before = schema(database), table_rows(database)
    insert = BulkWriter.insert

    def smuggling(self: Any, table: str, columns: tuple[str, ...], rows: Any) -> None:
        if table == "statement_sources":
            at = columns.index("source_id")
            rows = [(*rows[0][:at], 10**6, *rows[0][at + 1 :]), *rows[1:]]
        insert(self, table, columns, rows)

    monkeypatch.setattr(BulkWriter, "insert", smuggling)
    rule = r"(?i)^the change breaks a rule of the record: .*foreign key"
    with pytest.raises(InvalidInput, match=rule):
        load(database, [HEADER, *ACTORS, *statements(1500)])
    monkeypatch.undo()
    assert schema(database) == before
    assert table_rows(database) == rows_before
    check_search_index(database)


def test_the_import_knows_the_trigger_it_stands_in_for(sqlite_database: Database) -> None:
    """The copy of migration 0002's insert trigger that the import recreates reads as the
    migrated database has it (else the import would fall back to the trigger, slowly)."""
    from factdb.interchange.bulk import _FTS_TRIGGER

    assert ("statements_fts_insert", _FTS_TRIGGER.text) in schema(sqlite_database)


def test_a_batch_the_database_refuses_fails_the_write_and_leaves_nothing(
    database: Database,
) -> None:
    """On PostgreSQL the batches are copied in by a thread of their own: a batch the
    database refuses still fails the write in the caller's thread, with the database's own
    message; the batches after it are not written, and the thread is gone afterwards."""
    columns = ("id", "name", "name_key")

    def work(session: Session) -> None:
        bulk = BulkWriter(session)
        with bulk.writing():
            bulk.insert("topics", columns, [(1, "Karabakh", "karabakh")])
            bulk.insert("topics", columns, [(2, "Karabakh again", "karabakh")])
            bulk.insert("topics", columns, [(3, "Ceasefire", "ceasefire")])

    before = table_rows(database)
    with pytest.raises(Conflict) as caught:
        database.run(work, write=True)
    assert str(caught.value) == "topic: a topic with this name already exists"
    assert table_rows(database) == before
    assert [t.name for t in threading.enumerate() if t.name == "factdb-copy"] == []


def test_statements_after_a_batch_see_its_rows(database: Database) -> None:
    """A query sent while batches are still being copied in waits for them."""
    columns = ("id", "name", "name_key")

    def work(session: Session) -> list[str]:
        bulk = BulkWriter(session)
        with bulk.writing():
            for n in range(5):
                bulk.insert(
                    "topics", columns, [(n * 100 + i, f"T{n}.{i}", f"t{n}.{i}") for i in range(100)]
                )
            return list(session.scalars(text("SELECT name FROM topics ORDER BY id")))

    names = database.run(work, write=True)
    assert len(names) == 500 and names[0] == "T0.0" and names[-1] == "T4.99"

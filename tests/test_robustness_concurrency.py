"""Concurrent writers: real processes on one SQLite file, and races on PostgreSQL where two
transactions add the same topic, source or actor at once."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from factdb.errors import Conflict
from factdb.record.sources import source_for_url
from factdb.record.topics import topic_for_name
from factdb.store.db import Database
from factdb.store.engine import dispose_engines
from factdb.store.models import Actor, AuditEntry, Source, Topic

WRITER = """
import sys
from sqlalchemy import func, select
from factdb.store.db import Database
from factdb.store.models import Actor

path, wid, count = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
database = Database.open(path)
for i in range(count):
    def work(session):
        # read, then write, in one transaction: the lock is taken up front (BEGIN IMMEDIATE)
        seen = session.scalar(select(func.count()).select_from(Actor))
        name = f"writer {wid} actor {i} after {seen}"
        session.add(Actor(name=name, name_key=name, kind="person"))
    database.run(work, write=True)
print("done")
"""


def test_sqlite_processes_writing_at_once_all_succeed(
    tmp_path: Path, sqlite_template: Path
) -> None:
    path = tmp_path / "shared.sqlite3"
    path.write_bytes(sqlite_template.read_bytes())
    writers, each = 4, 40
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, str(path), str(wid), str(each)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env={**os.environ, "FACTDB_USER": f"writer{wid}"},
        )
        for wid in range(writers)
    ]
    outputs = [process.communicate(timeout=300) for process in processes]
    assert [(p.returncode, out, err) for p, (out, err) in zip(processes, outputs, strict=True)] == [
        (0, "done\n", "")
    ] * writers
    database = Database.open(str(path))
    with database.session() as session:
        actors = session.scalar(select(func.count()).select_from(Actor))
        audited = session.scalars(
            select(AuditEntry.user).where(
                AuditEntry.table_name == "actors", AuditEntry.action == "insert"
            )
        ).all()
    dispose_engines()
    assert actors == writers * each
    assert sorted(audited) == sorted(f"writer{w}" for w in range(writers) for _ in range(each))


# ----------------------------------------------------------------------------- PostgreSQL races


@pytest.fixture
def pg(pg_database_url: str) -> Iterator[Database]:
    from conftest import _truncate_all

    _truncate_all(pg_database_url)
    yield Database.open(pg_database_url)
    dispose_engines()


def _waiting_on_a_lock(database: Database) -> bool:
    with database.engine.connect() as connection:
        waiting = connection.scalar(text("SELECT count(*) FROM pg_locks WHERE NOT granted"))
    return bool(waiting)


def race(
    database: Database, first: Callable[[Session], Any], second: Callable[[Session], Any]
) -> Any:
    """Run ``first`` and flush it, start ``second`` in another transaction, wait until it is
    blocked on the first one's uncommitted row, commit the first, and return what the second
    returned (or raised)."""
    outcome: dict[str, Any] = {}

    def other() -> None:
        try:
            outcome["value"] = database.run(second, write=True)
        except Exception as exc:
            outcome["error"] = exc

    with database.session(write=True) as session:
        first(session)
        session.flush()
        thread = threading.Thread(target=other)
        thread.start()
        deadline = time.monotonic() + 30
        while not _waiting_on_a_lock(database):
            assert time.monotonic() < deadline, "the second writer never blocked"
            time.sleep(0.02)
    thread.join(timeout=60)
    assert not thread.is_alive()
    return outcome


def _count(database: Database, model: type[Any]) -> int:
    with database.session() as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def _inserts(database: Database, table: str) -> int:
    with database.session() as session:
        return int(
            session.scalar(
                select(func.count())
                .select_from(AuditEntry)
                .where(AuditEntry.table_name == table, AuditEntry.action == "insert")
            )
            or 0
        )


def test_two_writers_adding_the_same_topic_end_with_one_row(pg: Database) -> None:
    outcome = race(
        pg,
        lambda s: topic_for_name(s, "Nagorno-Karabakh 2020"),
        lambda s: topic_for_name(s, "nagorno-karabakh  2020").id,
    )
    assert "error" not in outcome
    assert _count(pg, Topic) == 1
    assert _inserts(pg, "topics") == 1
    with pg.session() as session:
        assert session.scalars(select(Topic.id)).all() == [outcome["value"]]


def test_two_writers_adding_the_same_source_end_with_one_row(pg: Database) -> None:
    outcome = race(
        pg,
        lambda s: source_for_url(s, "https://example.com/a"),
        lambda s: source_for_url(s, "HTTPS://EXAMPLE.com/a#x").id,
    )
    assert "error" not in outcome
    assert _count(pg, Source) == 1
    assert _inserts(pg, "sources") == 1
    with pg.session() as session:
        assert session.scalars(select(Source.id)).all() == [outcome["value"]]


def test_losing_the_race_to_add_an_actor_is_a_clean_conflict(pg: Database) -> None:
    from factdb.record.actors import add_actor

    outcome = race(
        pg,
        lambda s: add_actor(s, "Pakistan", "state"),
        lambda s: add_actor(s, "pakistan", "state").id,
    )
    # the loser's insert fails at the unique index; its transaction is rerun, and the rerun
    # gives the ordinary duplicate-name error instead of a driver traceback
    assert "value" not in outcome
    assert isinstance(outcome["error"], Conflict)
    assert str(outcome["error"]).startswith("NAME: there is already an actor called 'Pakistan'")
    assert _count(pg, Actor) == 1
    assert _inserts(pg, "actors") == 1


IMPORT = "\n".join(
    [
        '{"factdb": 1}',
        '{"type": "actor", "name": "Pakistan", "kind": "state", "country": "PK"}',
        '{"type": "actor", "name": "Armenia", "kind": "state", "country": "AM"}',
        '{"type": "statement", "ref": "c1", "kind": "claim", "by": "Armenia", "text": "x",'
        ' "topics": ["Karabakh"], "sources": [{"url": "https://example.org/a"}]}',
        '{"type": "statement", "ref": "d1", "kind": "denial", "by": "Pakistan",'
        ' "responds_to": "c1"}',
    ]
)


def test_two_imports_of_the_same_actors_at_once_both_succeed(pg: Database) -> None:
    from factdb.interchange import import_jsonl

    def load(session: Session) -> Any:
        return import_jsonl(session, IMPORT.splitlines())

    outcome = race(pg, load, lambda s: [row for row in load(s).rows()])
    assert "error" not in outcome
    assert {row["type"]: (row["created"], row["unchanged"]) for row in outcome["value"]} == {
        "actor": (0, 2),
        "source": (0, 1),
        "topic": (0, 1),
        "statement": (0, 2),
    }
    assert (_count(pg, Actor), _count(pg, Source), _count(pg, Topic)) == (1 + 1, 1, 1)
    assert _inserts(pg, "actors") == 2


def test_two_writers_adding_the_same_source_with_details_both_succeed(pg: Database) -> None:
    from factdb.record.sources import add_source

    outcome = race(
        pg,
        lambda s: add_source(s, "https://example.com/b", outlet="Dawn"),
        lambda s: add_source(s, "https://example.com/b", outlet="Dawn").action,
    )
    assert outcome == {"value": "unchanged"}
    assert _count(pg, Source) == 1
    assert _inserts(pg, "sources") == 1

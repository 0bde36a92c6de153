"""SIGKILL in the middle of an import's write transaction on PostgreSQL leaves nothing behind
(the server rolls the transaction back), and the import then runs to the end. (SQLite kills
are in the stress test, tests/test_robustness_stress.py.)"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import factdb_executable
from sqlalchemy import text

from factdb.store.db import Database
from factdb.store.engine import dispose_engines


@pytest.fixture
def pg_url(pg_database_url: str) -> Iterator[str]:
    from conftest import _truncate_all

    _truncate_all(pg_database_url)
    yield pg_database_url
    dispose_engines()


def write_file(path: Path, statements: int) -> None:
    with path.open("w", encoding="utf-8") as out:
        out.write('{"factdb": 1}\n')
        out.write(json.dumps({"type": "actor", "name": "Armenia", "kind": "state"}) + "\n")
        for i in range(statements):
            record = {"type": "statement", "ref": f"s{i}", "kind": "claim", "by": "Armenia"}
            record |= {"text": f"Claim {i}", "topics": [f"Topic {i % 7}"]}
            out.write(json.dumps(record) + "\n")


def counts(database: Database) -> tuple[int, int, int]:
    with database.engine.connect() as connection:
        return (
            int(connection.scalar(text("SELECT count(*) FROM statements")) or 0),
            int(connection.scalar(text("SELECT count(*) FROM actors")) or 0),
            int(connection.scalar(text("SELECT count(*) FROM audit_log")) or 0),
        )


def writing(database: Database) -> bool:
    """Whether some other session holds a write lock on the statements table."""
    with database.engine.connect() as connection:
        held = connection.scalar(
            text(
                "SELECT count(*) FROM pg_locks WHERE relation = 'statements'::regclass "
                "AND mode = 'RowExclusiveLock' AND pid <> pg_backend_pid()"
            )
        )
    return bool(held)


def test_killing_an_import_mid_write_on_postgresql_leaves_nothing(
    pg_url: str, tmp_path: Path
) -> None:
    data = tmp_path / "big.jsonl"
    write_file(data, 5_000)
    database = Database.open(pg_url)
    database.ensure_ready()
    process = subprocess.Popen(
        [factdb_executable(), "--db", pg_url, "import", str(data)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 120
    while not writing(database):
        assert process.poll() is None, "the import ended before it was seen writing"
        assert time.monotonic() < deadline
        time.sleep(0.01)
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    # the server notices the closed connection and rolls back; wait for its locks to go
    while writing(database):
        assert time.monotonic() < deadline
        time.sleep(0.05)
    assert counts(database) == (0, 0, 0)
    result = subprocess.run(
        [factdb_executable(), "--db", pg_url, "import", str(data)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert counts(database)[:2] == (5_000, 1)

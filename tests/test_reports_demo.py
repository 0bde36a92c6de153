"""``factdb demo``: loads the bundled worked example into its own database, prints the topic
report with the Pakistan denial, suggests three commands, and adds nothing the second time."""

from __future__ import annotations

import os
import shlex
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from factdb.store.db import Database
from factdb.store.engine import dispose_engines
from factdb.store.models import Statement
from tests.conftest import Cli, factdb_executable, table_rows

Snapshot = Callable[[], dict[str, list[tuple[Any, ...]]]]
RunFactdb = Callable[..., subprocess.CompletedProcess[str]]


def next_steps(where: str) -> str:
    db = shlex.quote(where)
    return (
        "Try next:\n"
        f"  factdb --db {db} who-denied --about Pakistan\n"
        f"  factdb --db {db} positions 1 --roll-up\n"
        f"  factdb --db {db} report claim 1 --format html -o claim.html\n"
    )


def test_demo_prints_the_denial_and_adds_nothing_twice(
    run_factdb: RunFactdb, db_url: str, database: Database, snapshot: Snapshot
) -> None:
    first = run_factdb("demo")
    assert first.returncode == 0, (first.stdout[-2000:], first.stderr)
    assert first.stderr == ""
    out = first.stdout
    assert "Topic: Nagorno-Karabakh 2020" in out
    assert "Pakistani special forces are fighting alongside the Azerbaijani army" in out
    assert "Denial #2 by Ministry of Foreign Affairs of Pakistan" in out
    assert "“baseless and unwarranted” (en)" in out
    assert "Status: denied" in out
    assert out.endswith(
        f"\nLoaded the worked example into {db_url} (36 records added).\n" + next_steps(db_url)
    )
    count = database.run(lambda s: s.scalar(select(func.count()).select_from(Statement)))
    assert count == 17

    before = snapshot()
    second = run_factdb("demo")
    assert second.returncode == 0, second.stderr
    assert snapshot() == before  # not one row more, not even in the audit log
    assert "“baseless and unwarranted” (en)" in second.stdout
    assert second.stdout.endswith(
        f"\nThe worked example is already in {db_url}; nothing was added.\n" + next_steps(db_url)
    )


def test_demo_db_option_on_the_command(cli: Cli, tmp_path: Path, snapshot: Snapshot) -> None:
    before = snapshot()
    elsewhere = tmp_path / "elsewhere.sqlite3"
    result = cli.ok("demo", "--db", str(elsewhere))
    assert "“baseless and unwarranted” (en)" in result.stdout
    assert elsewhere.exists()
    assert snapshot() == before  # the root --db database was not touched
    dispose_engines()


def test_demo_gets_its_own_file_by_default(tmp_path: Path) -> None:
    """Without --db the demo writes demo.sqlite3 in the user data directory, even when
    FACTDB_DB points at the user's own records."""
    own = tmp_path / "mine.sqlite3"
    env = {
        **os.environ,
        "XDG_DATA_HOME": str(tmp_path / "data"),
        "FACTDB_DB": str(own),
        "FACTDB_USER": "tester",
    }
    result = subprocess.run(
        [factdb_executable(), "demo"], capture_output=True, text=True, env=env, timeout=120
    )
    assert result.returncode == 0, result.stderr
    demo = tmp_path / "data" / "factdb" / "demo.sqlite3"
    assert demo.exists()
    assert not own.exists()
    assert result.stdout.endswith(
        f"\nLoaded the worked example into {demo} (36 records added).\n" + next_steps(str(demo))
    )
    rows = table_rows(Database.open(str(demo)))
    assert len(rows["statements"]) == 17
    dispose_engines()


def test_demo_refuses_a_database_that_is_not_factdb(tmp_path: Path) -> None:
    import sqlite3

    other = tmp_path / "other.sqlite3"
    with sqlite3.connect(other) as connection:
        connection.execute("CREATE TABLE notes (body TEXT)")
    connection.close()
    result = subprocess.run(
        [factdb_executable(), "demo", "--db", str(other)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr == f"error: {other} is not a factdb database\n"

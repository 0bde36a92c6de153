"""Migrations: the models and the revision files agree, every revision goes up and down on both
databases, and an upgrade is all or nothing."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

import pytest
from infra_support import blank_database, failing_revision
from sqlalchemy import inspect, text

from factdb.errors import DatabaseError
from factdb.store import migrate
from factdb.store.db import Database
from factdb.store.engine import dispose_engines
from factdb.store.schema import HEAD_REVISION

ROOT = Path(__file__).resolve().parent.parent
MIGRATIONS = ROOT / "migrations"


def tables(database: Database) -> set[str]:
    with database.engine.connect() as connection:
        return set(inspect(connection).get_table_names())


def test_head_revision_constant_is_alembics_head() -> None:
    assert migrate.head_revision() == HEAD_REVISION
    assert migrate.history()[-1].revision == HEAD_REVISION


def test_revision_files_form_one_numbered_chain() -> None:
    files = sorted(path.name for path in MIGRATIONS.glob("*.py"))
    history = migrate.history()
    assert [rev.revision for rev in history] == [name[:4] for name in files]
    assert [rev.revision for rev in history] == [f"{n:04d}" for n in range(1, len(files) + 1)]
    assert [rev.down_revision for rev in history] == [None, *[r.revision for r in history[:-1]]]
    assert all(rev.message for rev in history)
    assert not (ROOT / "alembic" / "__init__.py").exists()
    assert not (MIGRATIONS / "__init__.py").exists()


def test_models_and_migrations_agree(database: Database) -> None:
    database.ensure_ready()
    assert migrate.current(database) == HEAD_REVISION
    assert migrate.model_differences(database) == []


def test_the_comparison_sees_a_schema_that_drifted(tmp_path: Path) -> None:
    path = tmp_path / "drifted.sqlite3"
    database = Database.open(str(path))
    database.ensure_ready()
    with database.engine.begin() as connection:
        connection.execute(text("ALTER TABLE actors ADD COLUMN nickname TEXT"))
        connection.execute(text("DROP INDEX ix_actors_merged_into_id"))
    assert sorted(migrate.model_differences(database)) == [
        "add_index actors.ix_actors_merged_into_id",
        "remove_column actors.nickname",
    ]
    dispose_engines()


def test_upgrade_downgrade_upgrade_step_by_step(backend: str, tmp_path: Path) -> None:
    revisions = [rev.revision for rev in migrate.history()]
    with blank_database(backend, tmp_path) as url:
        database = Database.open(url)
        seen: list[set[str]] = []
        for revision in revisions:
            result = migrate.upgrade(database, revision=revision, backup=False)
            assert result.after == revision
            seen.append(tables(database))
        assert "statements" in seen[0]
        assert migrate.model_differences(database) == []
        for index in range(len(revisions) - 1, 0, -1):
            migrate.downgrade(database, revisions[index - 1])
            assert migrate.current(database) == revisions[index - 1]
            assert tables(database) == seen[index - 1]
        migrate.downgrade(database, "base")
        assert migrate.current(database) is None
        assert tables(database) <= {"alembic_version"}
        migrate.upgrade(database, backup=False)
        assert migrate.current(database) == HEAD_REVISION
        assert tables(database) == seen[-1]
        assert migrate.model_differences(database) == []


def test_upgrade_keeps_the_data(backend: str, tmp_path: Path) -> None:
    with blank_database(backend, tmp_path) as url:
        database = Database.open(url)
        migrate.upgrade(database, revision="0001", backup=False)
        with database.engine.begin() as connection:
            connection.execute(
                text(
                    "INSERT INTO actors (name, name_key, kind, created_at, updated_at) "
                    "VALUES ('Pakistan', 'pakistan', 'state', '2020-10-10', '2020-10-10')"
                )
            )
        result = migrate.upgrade(database)
        assert (result.before, result.after) == ("0001", HEAD_REVISION)
        assert (result.backup is not None) == (backend == "sqlite")
        with database.engine.connect() as connection:
            assert connection.execute(text("SELECT name FROM actors")).scalars().all() == [
                "Pakistan"
            ]


def test_a_failed_upgrade_changes_nothing_and_names_the_backup(
    backend: str, tmp_path: Path
) -> None:
    versions = failing_revision(tmp_path / "broken", HEAD_REVISION)
    with blank_database(backend, tmp_path) as url:
        database = Database.open(url)
        migrate.upgrade(database, revision="0001", backup=False)
        before = tables(database)
        with pytest.raises(DatabaseError) as caught:
            # 0001 → head succeeds step by step, then 9001 fails: none of it may stay.
            migrate.upgrade(database, versions=[versions])
        message = str(caught.value)
        assert message.startswith("upgrade failed: ")
        assert "no_such_table" in message
        assert "\n" not in message
        assert migrate.current(database) == "0001"
        assert tables(database) == before
        if backend == "sqlite":
            found = re.search(r"the database is unchanged and a backup is at (\S+)$", message)
            assert found is not None
            backup = Path(found.group(1))
            assert backup.parent == tmp_path
            with sqlite3.connect(backup) as copy:
                assert copy.execute("SELECT version_num FROM alembic_version").fetchall() == [
                    ("0001",)
                ]
        else:
            assert "backup" not in message

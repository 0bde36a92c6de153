"""Migrations: the models and the revision files agree, every revision goes up and down on both
databases, and an upgrade is all or nothing."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

import pytest
from conftest import table_rows
from infra_support import blank_database, failing_revision
from sqlalchemy import CheckConstraint, inspect, text
from sqlalchemy.exc import IntegrityError

from factdb.errors import DatabaseError
from factdb.queries.search import search
from factdb.record.statements import add_claim
from factdb.store import migrate
from factdb.store.db import Database
from factdb.store.engine import dispose_engines
from factdb.store.models import Base
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


def stored_checks(database: Database) -> dict[str, str]:
    """Each CHECK constraint of the database by name, as the database gives it back: on
    SQLite the ``CONSTRAINT … CHECK (…)`` clause of its table's stored text."""
    with database.engine.connect() as connection:
        if database.url.get_backend_name() != "sqlite":
            rows = connection.execute(
                text(
                    "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
                    "WHERE contype = 'c' AND connamespace = to_regnamespace(current_schema())"
                )
            )
            return {name: definition for name, definition in rows}
        found: dict[str, str] = {}
        tables_sql = connection.execute(
            text("SELECT sql FROM sqlite_master WHERE type = 'table' AND sql LIKE '%CHECK%'")
        ).scalars()
        for sql in tables_sql:
            for match in re.finditer(r"CONSTRAINT (ck_\w+) CHECK \(", sql):
                depth, end = 1, match.end()
                while depth:
                    depth += {"(": 1, ")": -1}.get(sql[end], 0)
                    end += 1
                found[match[1]] = sql[match.start() : end]
        return found


def list_checks(database: Database) -> set[str]:
    """The checks written with an IN list (``= ANY (ARRAY[…])`` as PostgreSQL gives it)."""
    return {
        name
        for name, definition in stored_checks(database).items()
        if " IN (" in definition or "ANY (" in definition
    }


REWRITTEN = {
    "ck_actors_kind",
    "ck_affiliations_start_precision",
    "ck_affiliations_end_precision",
    "ck_sources_published_precision",
    "ck_statements_kind",
    "ck_statements_verdict_on_fact_checks",
    "ck_statements_date_precision",
    "ck_audit_log_action",
}


def test_the_stored_checks_are_the_models_checks(database: Database) -> None:
    """Alembic does not compare CHECK constraints, so this does: every check of the models is
    in the database under its name (on SQLite word for word), none with an IN list."""
    database.ensure_ready()
    stored = stored_checks(database)
    declared = {
        str(constraint.name): f"CONSTRAINT {constraint.name} CHECK ({constraint.sqltext})"
        for table in Base.metadata.sorted_tables
        for constraint in table.constraints
        if isinstance(constraint, CheckConstraint)
    }
    assert sorted(stored) == sorted(declared)
    assert list_checks(database) == set()
    if database.url.get_backend_name() == "sqlite":
        assert stored == declared


REFUSED = (
    "UPDATE statements SET kind = 'rumour' WHERE id = 1",
    "UPDATE statements SET verdict = 'meh' WHERE id = 2",
    "UPDATE statements SET date_precision = 'week' WHERE id = 1",
    "UPDATE actors SET kind = 'nation'",
    "UPDATE audit_log SET action = 'shred'",
)


def test_migration_0004_up_and_down_keeps_rows_checks_and_search(
    backend: str, tmp_path: Path
) -> None:
    with blank_database(backend, tmp_path) as url:
        database = Database.open(url)
        migrate.upgrade(database, revision="0003", backup=False)
        with database.engine.begin() as connection:
            for row in (
                "INSERT INTO actors (id, name, name_key, kind, created_at, updated_at) "
                "VALUES (1, 'Armenia', 'armenia', 'state', '2020-10-10', '2020-10-10')",
                "INSERT INTO statements (id, kind, actor_id, text, date, date_precision, "
                "created_at, updated_at) VALUES (1, 'claim', 1, 'Mercenaries arrived', "
                "'2020-10-01', 'month', '2020-10-10', '2020-10-10')",
                "INSERT INTO statements (id, kind, actor_id, responds_to_id, verdict, "
                "created_at, updated_at) VALUES (2, 'fact_check', 1, 1, 'false', "
                "'2020-10-10', '2020-10-10')",
                "INSERT INTO statement_subjects (statement_id, actor_id, position) "
                "VALUES (1, 1, 0)",
                'INSERT INTO audit_log (at, "user", action, table_name, row_id) '
                "VALUES ('2020-10-10', 'me', 'insert', 'statements', 1)",
            ):
                connection.execute(text(row))
        before = table_rows(database)
        assert list_checks(database) == REWRITTEN

        def unchanged_and_checked() -> None:
            assert table_rows(database) == before
            for statement in REFUSED:
                with pytest.raises(IntegrityError), database.engine.begin() as connection:
                    connection.execute(text(statement))
            if backend == "sqlite":
                with database.engine.connect() as connection:
                    triggers = connection.execute(
                        text("SELECT name FROM sqlite_master WHERE type = 'trigger' ORDER BY 1")
                    ).scalars()
                    assert list(triggers) == [
                        "statements_fts_delete",
                        "statements_fts_insert",
                        "statements_fts_update",
                    ]
                    assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1

        migrate.upgrade(database, backup=False)
        assert list_checks(database) == set()
        unchanged_and_checked()
        migrate.downgrade(database, "0003")
        assert list_checks(database) == REWRITTEN
        unchanged_and_checked()
        migrate.upgrade(database, backup=False)
        unchanged_and_checked()
        assert migrate.model_differences(database) == []
        # the full-text index still follows the statements (on SQLite through its triggers)
        added = database.run(
            lambda s: add_claim(s, "Mercenaries left", by="Armenia").id, write=True
        )
        found = database.run(lambda s: search(s, "mercenaries"))
        assert sorted(row["id"] for row in found) == [1, added]


def test_an_sqlite_migration_that_breaks_a_reference_fails_and_changes_nothing(
    tmp_path: Path,
) -> None:
    """SQLite migrations run with foreign keys off (to rebuild tables); a reference they
    leave pointing nowhere fails the upgrade, which then changes nothing."""
    folder = tmp_path / "dangling"
    folder.mkdir()
    (folder / "9002_dangling.py").write_text(
        '"""deletes an actor that an alias points at"""\n'
        "from alembic import op\n\n"
        'revision = "9002"\n'
        f"down_revision = {HEAD_REVISION!r}\n"
        "branch_labels = None\n"
        "depends_on = None\n\n\n"
        "def upgrade() -> None:\n"
        '    op.execute("DELETE FROM actors")\n\n\n'
        "def downgrade() -> None:\n"
        "    pass\n",
        encoding="utf-8",
    )
    database = Database.open(str(tmp_path / "keys.sqlite3"))
    database.ensure_ready()
    with database.engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO actors (id, name, name_key, kind, created_at, updated_at) "
                "VALUES (1, 'Pakistan', 'pakistan', 'state', '2020-10-10', '2020-10-10')"
            )
        )
        connection.execute(
            text("INSERT INTO actor_aliases (actor_id, alias, alias_key) VALUES (1, 'PK', 'pk')")
        )
    with pytest.raises(DatabaseError) as caught:
        migrate.upgrade(database, versions=[folder], backup=False)
    assert str(caught.value) == (
        "upgrade failed: foreign_key_check: actor_aliases row 1 points to no actors row"
    )
    assert migrate.current(database) == HEAD_REVISION
    with database.engine.connect() as connection:
        assert connection.execute(text("SELECT name FROM actors")).scalars().all() == ["Pakistan"]
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    dispose_engines()

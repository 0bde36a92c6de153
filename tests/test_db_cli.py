"""``factdb db ...``: upgrade, current, path, check, backup; a database behind head; passwords."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import Cli, factdb_executable, table_rows
from infra_support import blank_database
from sqlalchemy import text
from sqlalchemy.engine import make_url
from typer.testing import CliRunner, Result

from factdb.cli import app
from factdb.store import migrate
from factdb.store.db import Database
from factdb.store.engine import dispose_engines
from factdb.store.schema import HEAD_REVISION


def where(url: str) -> str:
    """How the db commands name a database: absolute path, or URL without its password."""
    if "://" not in url:
        return str(Path(url).resolve())
    return make_url(url).set(drivername="postgresql+psycopg").render_as_string(hide_password=True)


def label(url: str) -> str:
    """How ordinary commands name a database in their errors."""
    if "://" not in url:
        return url
    return make_url(url).set(drivername="postgresql+psycopg").render_as_string(hide_password=True)


@pytest.fixture
def old_db_url(backend: str, tmp_path: Path) -> Iterator[str]:
    """A database one revision behind head, holding one actor."""
    with blank_database(backend, tmp_path) as url:
        database = Database.open(url)
        previous = migrate.history()[-2].revision
        migrate.upgrade(database, revision=previous, backup=False)
        with database.engine.begin() as connection:
            connection.execute(
                text(
                    "INSERT INTO actors (name, name_key, kind, created_at, updated_at) "
                    "VALUES ('Pakistan', 'pakistan', 'state', '2020-10-10', '2020-10-10')"
                )
            )
        dispose_engines()
        yield url


@pytest.fixture
def sqlite_url(tmp_path: Path, sqlite_template: Path) -> Iterator[str]:
    """An empty SQLite database at head, for what only SQLite has (files, PRAGMA checks)."""
    path = tmp_path / "factdb.sqlite3"
    shutil.copyfile(sqlite_template, path)
    yield str(path)
    dispose_engines()


def invoke(*args: str) -> Result:
    return CliRunner().invoke(app, list(args))


# ----------------------------------------------------------------------------- behind head


def test_a_database_behind_head_stops_ordinary_commands_with_one_line(old_db_url: str) -> None:
    previous = migrate.history()[-2].revision
    expected = (
        f"error: the database {label(old_db_url)} is at schema {previous}, this factdb needs "
        f"{HEAD_REVISION}: run `factdb db upgrade`\n"
    )
    for command in (
        ["actor", "list"],
        ["source", "list"],
        ["actor", "add", "India", "--kind", "state"],
    ):
        result = invoke("--db", old_db_url, *command)
        assert (result.exit_code, result.stdout, result.stderr) == (1, "", expected), command
    assert migrate.current(Database.open(old_db_url)) == previous


def test_db_upgrade_backs_up_then_upgrades(old_db_url: str, backend: str) -> None:
    previous = migrate.history()[-2].revision
    assert Cli(old_db_url).ok("db", "current").stdout == (
        f"{previous} (behind head {HEAD_REVISION}: run `factdb db upgrade`)\n"
    )
    result = invoke("--db", old_db_url, "db", "upgrade")
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[-1] == f"upgraded {where(old_db_url)} from schema {previous} to {HEAD_REVISION}"
    if backend == "sqlite":
        assert len(lines) == 2
        prefix = f"backed up {where(old_db_url)} to "
        assert lines[0].startswith(prefix)
        backup = Path(lines[0].removeprefix(prefix))
        assert backup.parent == Path(old_db_url).resolve().parent
        assert backup.name.startswith("blank.sqlite3.") and backup.name.endswith(".bak")
        with sqlite3.connect(backup) as copy:
            assert copy.execute("SELECT version_num FROM alembic_version").fetchall() == [
                (previous,)
            ]
            assert copy.execute("SELECT name FROM actors").fetchall() == [("Pakistan",)]
    else:
        assert len(lines) == 1
    assert [a["name"] for a in Cli(old_db_url).json("actor", "list")] == ["Pakistan"]
    again = Cli(old_db_url).json("db", "upgrade")
    assert again == {
        "database": where(old_db_url),
        "before": HEAD_REVISION,
        "after": HEAD_REVISION,
        "changed": False,
        "backup": None,
    }
    assert Cli(old_db_url).ok("db", "upgrade").stdout == (
        f"{where(old_db_url)} is already at head {HEAD_REVISION}; nothing to do\n"
    )


def test_a_database_from_a_newer_factdb_is_left_alone(
    tmp_path: Path, sqlite_template: Path
) -> None:
    path = tmp_path / "newer.sqlite3"
    shutil.copyfile(sqlite_template, path)
    with sqlite3.connect(path) as raw:
        raw.execute("UPDATE alembic_version SET version_num = '9999'")
    cli = Cli(str(path))
    assert cli.ok("db", "current").stdout == (
        f"9999 (unknown to this factdb, whose head is {HEAD_REVISION})\n"
    )
    result = cli("db", "upgrade")
    assert (result.exit_code, result.stdout, result.stderr) == (
        1,
        "",
        f"error: the database {path} is at schema 9999, which this factdb does not know "
        "(a newer factdb wrote it): upgrade factdb; nothing was changed\n",
    )
    assert not [p.name for p in tmp_path.iterdir() if p.name.endswith(".bak")]  # no backup
    result = cli("actor", "list")
    assert result.stderr == (
        f"error: the database {path} is at schema 9999, which this factdb does not know: "
        "upgrade factdb\n"
    )


def test_db_commands_work_on_a_database_behind_head(old_db_url: str) -> None:
    previous = migrate.history()[-2].revision
    cli = Cli(old_db_url)
    assert cli.json("db", "path")["state"] == "behind"
    assert cli.json("db", "current") == {
        "revision": previous,
        "head": HEAD_REVISION,
        "state": "behind",
    }
    result = cli("db", "check", "--format", "json")
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert report["problems"] == [
        f"schema {previous} is behind head {HEAD_REVISION}: run `factdb db upgrade`"
    ]
    assert report["models_agree"] is None
    assert result.stderr == (
        f"error: db check: schema {previous} is behind head {HEAD_REVISION}: "
        "run `factdb db upgrade`\n"
    )


def test_db_upgrade_creates_a_new_database_at_head(backend: str, tmp_path: Path) -> None:
    with blank_database(backend, tmp_path) as url:
        assert Cli(url).ok("db", "current").stdout == (
            f"none (created at head {HEAD_REVISION} on first use)\n"
        )
        if backend == "sqlite":
            assert not Path(url).exists()  # asking does not create it
        assert Cli(url).ok("db", "upgrade").stdout == (
            f"created {where(url)} at schema {HEAD_REVISION}\n"
        )
        assert Cli(url).ok("db", "current").stdout == f"{HEAD_REVISION} (head)\n"


def test_ordinary_commands_create_a_new_database_at_head(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "dir" / "new.sqlite3"
    assert Cli(str(path)).json("actor", "list") == []
    assert Cli(str(path)).json("db", "current")["state"] == "current"


# ----------------------------------------------------------------------------- path, check


def test_db_path_names_the_database_and_its_revision(cli: Cli, db_url: str, backend: str) -> None:
    assert cli.json("db", "path") == {
        "database": where(db_url),
        "backend": backend,
        "exists": True,
        "revision": HEAD_REVISION,
        "head": HEAD_REVISION,
        "state": "current",
    }
    table = cli.ok("db", "path").stdout
    assert f"{HEAD_REVISION} (head)" in table
    assert "backend" in table and backend in table


def test_db_path_uses_factdb_db_and_the_default(tmp_path: Path) -> None:
    target = tmp_path / "from-env.sqlite3"
    result = CliRunner().invoke(app, ["db", "path", "-f", "json"], env={"FACTDB_DB": str(target)})
    assert json.loads(result.stdout)["database"] == str(target)
    home = tmp_path / "home"
    env = {**os.environ, "HOME": str(home), "XDG_DATA_HOME": str(home / "data")}
    env.pop("FACTDB_DB", None)
    done = subprocess.run(
        [factdb_executable(), "db", "path", "--format", "json"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["database"] == str(home / "data" / "factdb" / "factdb.sqlite3")
    assert json.loads(done.stdout)["state"] == "missing"


def test_db_check_passes_on_a_healthy_database(cli: Cli, db_url: str, backend: str) -> None:
    cli.ok("actor", "add", "Pakistan", "--kind", "state")
    report = cli.json("db", "check")
    sqlite = backend == "sqlite"
    assert report == {
        "database": where(db_url),
        "backend": backend,
        "exists": True,
        "revision": HEAD_REVISION,
        "head": HEAD_REVISION,
        "state": "current",
        "integrity": ["ok"] if sqlite else None,
        "foreign_keys": [] if sqlite else None,
        "models_agree": True,
        "differences": [],
        "problems": [],
        "warnings": [],
        "ok": True,
    }
    table = cli.ok("db", "check").stdout
    assert "agree with the schema" in table
    assert "answer dates  ok" in table


def test_db_check_finds_broken_references_and_a_drifted_schema(sqlite_url: str) -> None:
    # (PostgreSQL enforces foreign keys itself: there is nothing to break there.)
    cli, db_url = Cli(sqlite_url), sqlite_url
    with sqlite3.connect(db_url) as raw:  # foreign keys are off on a plain connection
        raw.execute("INSERT INTO actor_aliases (actor_id, alias, alias_key) VALUES (99, 'x', 'x')")
        raw.execute("ALTER TABLE sources ADD COLUMN paywall INTEGER")
    result = cli("db", "check", "--format", "json")
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert report["foreign_keys"] == [{"table": "actor_aliases", "rowid": 1, "parent": "actors"}]
    assert report["differences"] == ["remove_column sources.paywall"]
    assert report["warnings"] is None  # answer dates are not read from a database in doubt
    assert report["problems"] == [
        "foreign_key_check: 1 rows point to missing rows (in actor_aliases)",
        "the schema differs from the models: remove_column sources.paywall",
    ]
    assert result.stderr == (
        "error: db check: foreign_key_check: 1 rows point to missing rows (in actor_aliases); "
        "the schema differs from the models: remove_column sources.paywall\n"
    )


def damaged_copy(tmp_path: Path, name: str) -> Path:
    path = tmp_path / name
    Database.open(str(path)).ensure_ready()
    dispose_engines()
    with sqlite3.connect(path) as raw:
        raw.execute("PRAGMA journal_mode = DELETE")
        raw.execute(
            "INSERT INTO actors (name, name_key, kind, created_at, updated_at) "
            "VALUES ('Pakistan', 'pakistan', 'state', '2020-10-10', '2020-10-10')"
        )
    return path


def index_root(path: Path, index: str) -> int:
    with sqlite3.connect(path) as raw:
        found = raw.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", (index,))
        return int(found.fetchone()[0])


def test_db_check_reports_what_integrity_check_finds(tmp_path: Path) -> None:
    path = damaged_copy(tmp_path, "swapped.sqlite3")
    a = index_root(path, "ix_actors_merged_into_id")
    b = index_root(path, "ix_actor_aliases_alias_key")
    with sqlite3.connect(path) as raw:  # point two indexes at each other's pages
        raw.execute("PRAGMA writable_schema = ON")
        raw.execute(
            "UPDATE sqlite_master SET rootpage = ? WHERE name = ?", (b, "ix_actors_merged_into_id")
        )
        raw.execute(
            "UPDATE sqlite_master SET rootpage = ? WHERE name = ?",
            (a, "ix_actor_aliases_alias_key"),
        )
    result = Cli(str(path))("db", "check", "--format", "json")
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert report["integrity"] == [
        "row 1 missing from index ix_actors_merged_into_id",
        "wrong # of entries in index ix_actors_merged_into_id",
        "wrong # of entries in index ix_actor_aliases_alias_key",
    ]
    expected = "integrity_check: " + "; ".join(report["integrity"])
    assert report["problems"] == [expected]
    assert result.stderr == f"error: db check: {expected}\n"


def test_db_check_reports_a_damaged_page(tmp_path: Path) -> None:
    path = damaged_copy(tmp_path, "page.sqlite3")
    root = index_root(path, "ix_actor_aliases_alias_key")
    with sqlite3.connect(path) as raw:
        page_size = raw.execute("PRAGMA page_size").fetchone()[0]
    with path.open("r+b") as handle:
        handle.seek((root - 1) * page_size)
        handle.write(b"\x0d" + b"\xff" * 64)
    result = Cli(str(path))("db", "check", "--format", "json")
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert (report["state"], report["integrity"]) == (
        "current",
        ["database disk image is malformed"],
    )
    assert result.stderr == "error: db check: integrity_check: database disk image is malformed\n"


def test_db_check_reports_a_file_too_damaged_to_read(tmp_path: Path) -> None:
    path = damaged_copy(tmp_path, "scribbled.sqlite3")
    with path.open("r+b") as handle:  # the schema table's page, right after the header
        handle.seek(100)
        handle.write(b"\x0d" + b"\xff" * 64)
    result = Cli(str(path))("db", "check", "--format", "json")
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert (report["state"], report["revision"]) == ("damaged", None)
    assert report["integrity"] == ["database disk image is malformed"]
    assert result.stderr == (
        f"error: db check: {path} is damaged: its schema revision cannot be read; "
        "integrity_check: database disk image is malformed\n"
    )


def test_db_check_on_a_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "nothing.sqlite3"
    result = Cli(str(path))("db", "check")
    assert result.exit_code == 1
    assert result.stderr == (
        f"error: db check: {path} does not exist yet (it is created at head on first use)\n"
    )
    assert not path.exists()


# ----------------------------------------------------------------------------- backup


def test_db_backup_writes_a_consistent_self_contained_copy(sqlite_url: str) -> None:
    cli, db_url = Cli(sqlite_url), sqlite_url
    cli.ok("actor", "add", "Pakistan", "--kind", "state")
    target = Path(db_url).parent / "copy.sqlite3"
    # Another writer holds an open transaction: the copy has only what was committed.
    writer = sqlite3.connect(db_url, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("INSERT INTO topics (name, name_key) VALUES ('uncommitted', 'uncommitted')")
    result = cli.json("db", "backup", str(target))
    writer.execute("ROLLBACK")
    writer.close()
    assert result == {
        "database": where(db_url),
        "backup": str(target),
        "bytes": target.stat().st_size,
    }
    with sqlite3.connect(target) as copy:
        assert copy.execute("PRAGMA journal_mode").fetchone() == ("delete",)
        assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert table_rows(Database.open(str(target))) == table_rows(Database.open(db_url))
    assert Cli(str(target)).json("actor", "list")[0]["name"] == "Pakistan"


def test_db_backup_never_overwrites_without_force(sqlite_url: str) -> None:
    cli, db_url = Cli(sqlite_url), sqlite_url
    target = Path(db_url).parent / "exists.sqlite3"
    target.write_bytes(b"keep me")
    result = cli("db", "backup", str(target))
    assert (result.exit_code, result.stdout, result.stderr) == (
        1,
        "",
        f"error: FILE: {str(target)!r} already exists; add --force to replace it\n",
    )
    assert target.read_bytes() == b"keep me"
    assert cli.ok("db", "backup", str(target), "--force").stdout.startswith("backed up ")
    with sqlite3.connect(target) as copy:
        assert copy.execute("SELECT version_num FROM alembic_version").fetchone() == (
            HEAD_REVISION,
        )
    folder = Path(db_url).parent
    result = cli("db", "backup", str(folder))
    assert result.stderr == f"error: FILE: {str(folder)!r} is a folder, not a file name\n"
    result = cli("db", "backup", str(folder / "no" / "such" / "x.sqlite3"))
    assert result.stderr == (
        f"error: FILE: the folder {str(folder / 'no' / 'such')!r} does not exist; create it first\n"
    )
    result = cli("db", "backup", db_url, "--force")
    assert result.stderr == f"error: FILE: {db_url!r} is the database itself\n"
    assert sorted(p.name for p in folder.iterdir() if p.name.startswith(".")) == []


def test_db_backup_points_postgresql_to_pg_dump(pg_database_url: str) -> None:
    cli, db_url = Cli(pg_database_url), pg_database_url
    url = make_url(db_url)
    result = cli("db", "backup", "team.dump")
    assert (result.exit_code, result.stdout, result.stderr) == (
        1,
        "",
        "error: db backup copies SQLite files only; back up PostgreSQL with pg_dump, e.g. "
        f"pg_dump --format=custom --file=team.dump "
        f"'postgresql://{url.username}@{url.host}:{url.port}/{url.database}'\n",
    )
    assert not Path("team.dump").exists()


# ----------------------------------------------------------------------------- passwords

SECRET = "s3cret"
UNREACHABLE = f"postgresql://postgres:{SECRET}@127.0.0.1:5432/nonexistent_factdb_db"
COMMANDS = [
    ["db", "path"],
    ["db", "current"],
    ["db", "check"],
    ["db", "upgrade"],
    ["db", "backup", "x.dump"],
    ["actor", "list"],
    ["actor", "add", "Pakistan", "--kind", "state"],
    ["source", "list"],
]


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c[:2]))
def test_no_output_shows_the_password_of_an_unreachable_server(command: list[str]) -> None:
    result = invoke("--db", UNREACHABLE, *command)
    assert result.exit_code == 1
    assert result.stderr.startswith("error: ")
    assert result.stderr.count("\n") == 1
    assert SECRET not in result.stdout + result.stderr
    env_result = CliRunner().invoke(app, command, env={"FACTDB_DB": UNREACHABLE})
    assert env_result.exit_code == 1
    assert SECRET not in env_result.stdout + env_result.stderr


def test_no_output_shows_the_password_of_a_working_server(pg_database_url: str) -> None:
    url = make_url(pg_database_url).set(password=SECRET).render_as_string(hide_password=False)
    for command in (["db", "path"], ["db", "current"], ["db", "check"], ["db", "upgrade"]):
        result = invoke("--db", url, *command)
        assert result.exit_code == 0, result.stderr
        assert SECRET not in result.stdout + result.stderr
    shown = json.loads(invoke("--db", url, "db", "path", "-f", "json").stdout)["database"]
    assert shown == make_url(url).render_as_string(hide_password=True)
    assert ":***@" in shown


def test_no_output_shows_the_password_through_the_entry_point(tmp_path: Path) -> None:
    for args in (["db", "check"], ["actor", "list"], ["--db", "postgresql://u:s3cret@[bad/db"]):
        full = args if args[0] == "--db" else ["--db", UNREACHABLE, *args]
        if args[0] == "--db":
            full = [*args, "actor", "list"]
        done = subprocess.run(
            [factdb_executable(), *full],
            capture_output=True,
            text=True,
            timeout=60,
            cwd=tmp_path,
        )
        assert done.returncode == 1, (full, done.stderr)
        assert SECRET not in done.stdout + done.stderr
        assert "Traceback" not in done.stderr

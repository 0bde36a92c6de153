"""Shared fixtures: every database test runs on a real SQLite file and on a real PostgreSQL
server (a fresh database created for the run and dropped after it).

``FACTDB_TEST_PG`` names the server's admin URL (default: the local trust-auth server). If it
cannot be reached the PostgreSQL tests fail; they are never skipped.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import make_url
from typer.testing import CliRunner, Result

from factdb.cli import app
from factdb.store.db import Database
from factdb.store.engine import dispose_engines

PG_ADMIN_URL = os.environ.get(
    "FACTDB_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
BACKENDS = ("sqlite", "postgresql")


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An SQLite file migrated to head once; each test gets a copy."""
    path = tmp_path_factory.mktemp("template") / "factdb.sqlite3"
    Database.open(str(path)).ensure_ready()
    dispose_engines()
    return path


@pytest.fixture(scope="session")
def pg_database_url() -> Iterator[str]:
    """A fresh PostgreSQL database for this test run, at head; dropped afterwards."""
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    name = f"factdb_test_{uuid.uuid4().hex[:12]}"
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(PG_ADMIN_URL).set(database=name).render_as_string(hide_password=False)
    Database.open(url).ensure_ready()
    try:
        yield url
    finally:
        dispose_engines()
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _truncate_all(url: str) -> None:
    engine = Database.open(url).engine
    with engine.begin() as connection:
        tables = [t for t in inspect(connection).get_table_names() if t != "alembic_version"]
        if tables:
            quoted = ", ".join(f'"{table}"' for table in tables)
            connection.execute(text(f"TRUNCATE {quoted} RESTART IDENTITY CASCADE"))


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def db_url(
    backend: str, request: pytest.FixtureRequest, tmp_path: Path, sqlite_template: Path
) -> Iterator[str]:
    """The ``--db`` value of an empty database at head, on the test's backend."""
    if backend == "sqlite":
        path = tmp_path / "factdb.sqlite3"
        shutil.copyfile(sqlite_template, path)
        yield str(path)
    else:
        url = request.getfixturevalue("pg_database_url")
        _truncate_all(url)
        yield url
    dispose_engines()


@pytest.fixture
def database(db_url: str) -> Database:
    return Database.open(db_url)


@pytest.fixture
def pg_database(pg_database_url: str) -> Iterator[Database]:
    """An empty PostgreSQL database at head, for what only PostgreSQL has."""
    _truncate_all(pg_database_url)
    yield Database.open(pg_database_url)
    dispose_engines()


def table_rows(database: Database) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, sorted: compare before and after to prove nothing changed."""
    rows: dict[str, list[tuple[Any, ...]]] = {}
    with database.engine.connect() as connection:
        for table in sorted(inspect(connection).get_table_names()):
            if table.startswith("statements_fts") or table == "alembic_version":
                continue
            result = connection.execute(text(f'SELECT * FROM "{table}"'))
            rows[table] = sorted((tuple(row) for row in result), key=repr)
    return rows


@pytest.fixture
def snapshot(database: Database) -> Callable[[], dict[str, list[tuple[Any, ...]]]]:
    return lambda: table_rows(database)


@dataclass
class Cli:
    """Runs ``factdb --db <test database> ARGS`` in-process through CliRunner."""

    db_url: str

    def __call__(self, *args: str, input: str | None = None, **env: str) -> Result:
        runner = CliRunner()
        return runner.invoke(app, ["--db", self.db_url, *args], input=input, env=env or None)

    def ok(self, *args: str, input: str | None = None) -> Result:
        result = self(*args, input=input)
        assert result.exit_code == 0, (result.exit_code, result.stdout, result.stderr)
        return result

    def json(self, *args: str, input: str | None = None) -> Any:
        import json

        return json.loads(self.ok(*args, "--format", "json", input=input).stdout)


@pytest.fixture
def cli(db_url: str) -> Cli:
    return Cli(db_url)


def factdb_executable() -> str:
    """The installed ``factdb`` console script of the running interpreter's environment."""
    candidate = Path(sys.executable).parent / "factdb"
    return str(candidate) if candidate.exists() else str(shutil.which("factdb"))


@pytest.fixture
def run_factdb(db_url: str) -> Callable[..., subprocess.CompletedProcess[str]]:
    """Runs the installed entry point in a subprocess against the test database."""

    def run(*args: str, input: str | None = None) -> subprocess.CompletedProcess[str]:
        env = {**os.environ, "FACTDB_USER": "tester"}
        env.pop("FACTDB_DB", None)
        return subprocess.run(
            [factdb_executable(), "--db", db_url, *args],
            input=input,
            capture_output=True,
            text=True,
            env=env,
            timeout=120,
        )

    return run


def every_command() -> list[tuple[str, Any]]:
    """(path, click command) for the root and every command and group under it, built the
    way a run builds them (the root lists its commands and builds each one on demand)."""
    import typer.main
    from typer.core import TyperGroup as Group

    from factdb.cli.vendored_click import Context

    found: list[tuple[str, Any]] = []

    def walk(command: Any, path: str) -> None:
        found.append((path, command))
        if isinstance(command, Group):
            context = Context(command)
            for name in command.list_commands(context):
                walk(command.get_command(context, name), f"{path} {name}")

    walk(typer.main.get_command(app), "factdb")
    return found

"""Looking after a database: where it is and at which schema, checking it, backing it up.

These functions open the database without the usual schema check, because they are how a
database that is behind head (or damaged) is found out and fixed.
"""

from __future__ import annotations

import os
import sqlite3
from contextlib import closing
from pathlib import Path
from typing import Any

from sqlalchemy import inspect
from sqlalchemy.engine import URL
from sqlalchemy.exc import DBAPIError

from factdb.errors import DatabaseError, InvalidInput, NotFound
from factdb.store.backups import sqlite_copy
from factdb.store.db import Database
from factdb.store.engine import BUSY_TIMEOUT_MS, connection_message, is_sqlite, where


def backend(database: Database) -> str:
    return "sqlite" if is_sqlite(database.url) else "postgresql"


def status(database: Database) -> dict[str, Any]:
    """Where the database is and its schema revision against the code's head.

    ``state`` is ``missing`` (an SQLite file not created yet), ``empty`` (no tables yet; both
    are created at head on first use), ``current``, ``behind`` (run ``factdb db upgrade``),
    ``unknown`` (a revision this factdb does not know: a newer factdb wrote it) or ``foreign``
    (tables but no factdb schema revision).
    """
    from factdb.store import migrate

    head = migrate.head_revision()
    exists = migrate.database_exists(database)
    revision = migrate.current(database) if exists else None
    known = [rev.revision for rev in migrate.history()]
    if not exists:
        state = "missing"
    elif revision is None:
        state = "foreign" if _has_tables(database) else "empty"
    elif revision == head:
        state = "current"
    elif revision in known:
        state = "behind"
    else:
        state = "unknown"
    return {
        "database": where(database),
        "backend": backend(database),
        "exists": exists,
        "revision": revision,
        "head": head,
        "state": state,
    }


def _has_tables(database: Database) -> bool:
    try:
        with database.engine.connect() as connection:
            return bool(set(inspect(connection).get_table_names()) - {"alembic_version"})
    except DBAPIError as exc:
        raise DatabaseError(connection_message(database, exc)) from None


def state_problem(info: dict[str, Any]) -> str | None:
    """The problem a schema state is, as one line (None when the schema is current)."""
    state = info["state"]
    if state == "current":
        return None
    if state == "missing":
        return f"{info['database']} does not exist yet (it is created at head on first use)"
    if state == "empty":
        return f"{info['database']} has no schema yet (it is created at head on first use)"
    if state == "behind":
        return f"schema {info['revision']} is behind head {info['head']}: run `factdb db upgrade`"
    if state == "damaged":
        return f"{info['database']} is damaged: its schema revision cannot be read"
    if state == "unknown":
        return f"schema {info['revision']} is unknown to this factdb (head {info['head']})"
    return f"{info['database']} is not a factdb database (no schema revision)"


def check(database: Database) -> dict[str, Any]:
    """Check the database: its schema revision against head, SQLite's integrity and foreign-key
    checks, and whether the schema matches the models. ``ok`` is true when ``problems`` is
    empty. ``warnings`` names the answers dated before what they answer (kept on purpose, so
    not problems); None when the schema is not at head or a problem was found first."""
    from factdb.store import migrate

    try:
        report = status(database)
    except DatabaseError:
        if not (is_sqlite(database.url) and migrate.database_exists(database)):
            raise
        # Too damaged to read its schema revision: say what SQLite's own check finds.
        findings, _ = _sqlite_checks(Path(str(database.url.database)))
        if findings == ["ok"]:
            raise
        report = {
            "database": where(database),
            "backend": "sqlite",
            "exists": True,
            "revision": None,
            "head": migrate.head_revision(),
            "state": "damaged",
        }
    problems: list[str] = []
    integrity: list[str] | None = None
    foreign_keys: list[dict[str, Any]] | None = None
    differences: list[str] | None = None
    warnings: list[str] | None = None
    problem = state_problem(report)
    if problem:
        problems.append(problem)
    if report["exists"] and report["state"] != "foreign":
        if is_sqlite(database.url):
            integrity, foreign_keys = _sqlite_checks(Path(str(database.url.database)))
            if integrity != ["ok"]:
                problems.append(f"integrity_check: {'; '.join(integrity[:5])}")
            if foreign_keys:
                tables = sorted({row["table"] for row in foreign_keys})
                problems.append(
                    f"foreign_key_check: {len(foreign_keys)} rows point to missing rows "
                    f"(in {', '.join(tables)})"
                )
        if report["state"] == "current":
            differences = migrate.model_differences(database)
            if differences:
                problems.append(f"the schema differs from the models: {'; '.join(differences[:5])}")
        if report["state"] == "current" and not problems:
            from factdb.record.answer_dates import early_answers

            warnings = database.run(early_answers)
    return {
        **report,
        "integrity": integrity,
        "foreign_keys": foreign_keys,
        "models_agree": None if differences is None else not differences,
        "differences": differences,
        "problems": problems,
        "warnings": warnings,
        "ok": not problems,
    }


def _sqlite_checks(path: Path) -> tuple[list[str], list[dict[str, Any]] | None]:
    """SQLite's integrity and foreign-key checks, through a plain connection that changes
    nothing (a file too damaged to check at all gives SQLite's error as the finding)."""
    try:
        with closing(sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000)) as raw:
            integrity = [str(row[0]) for row in raw.execute("PRAGMA integrity_check")]
            violations = [
                {"table": str(row[0]), "rowid": row[1], "parent": str(row[2])}
                for row in raw.execute("PRAGMA foreign_key_check")
            ]
    except sqlite3.DatabaseError as exc:
        return [str(exc)], None
    return integrity, violations


def backup(database: Database, file: str | Path, *, force: bool = False) -> dict[str, Any]:
    """Write a consistent copy of an SQLite database to ``target`` (never over an existing file
    unless ``force``; see :mod:`factdb.outfiles`). PostgreSQL databases are backed up with
    ``pg_dump``."""
    from factdb.outfiles import output_path

    if not is_sqlite(database.url):
        url = database.url
        plain = URL.create(
            "postgresql", url.username, None, url.host, url.port, url.database, url.query
        )
        raise DatabaseError(
            "db backup copies SQLite files only; back up PostgreSQL with pg_dump, e.g. "
            f"pg_dump --format=custom --file={file} '{plain.render_as_string()}'"
        )
    source = Path(str(database.url.database))
    if not source.is_file():
        raise NotFound(f"the database {source} does not exist")
    # a string, not a Path: a trailing / (a folder) must reach check_target
    path = os.path.expanduser(str(file))
    target = Path(path)
    if target.exists() and target.resolve() == source.resolve():
        raise InvalidInput(f"FILE: {path!r} is the database itself")
    with output_path(path, force=force, field="FILE") as copy:
        sqlite_copy(source, copy)
    return {
        "database": where(database),
        "backup": str(target.resolve()),
        "bytes": target.stat().st_size,
    }

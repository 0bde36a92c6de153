"""Where a database is and how to reach it: the URL ``--db`` names, one engine per URL (with
SQLite's settings), and a driver error as one line.

The bottom of the store: migrations, maintenance and :mod:`factdb.store.db` build on it, and it
imports nothing of factdb but its errors.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError

from factdb.errors import DatabaseError

BUSY_TIMEOUT_MS = 30_000


def default_path() -> Path:
    from platformdirs import user_data_path

    return user_data_path("factdb", appauthor=False) / "factdb.sqlite3"


def resolve_url(target: str | None = None) -> URL:
    """The database URL for ``--db`` (or ``FACTDB_DB``, or the default file)."""
    chosen = target if target else os.environ.get("FACTDB_DB") or None
    if chosen is None:
        path = default_path()
        return URL.create("sqlite+pysqlite", database=str(path))
    if "://" not in chosen:
        return URL.create("sqlite+pysqlite", database=str(Path(chosen).expanduser()))
    try:
        url = make_url(chosen)
    except (ArgumentError, ValueError):  # ValueError: a port that is not a number
        raise DatabaseError.at("db", f"{safe_url_text(chosen)!r} is not a database URL") from None
    if url.drivername in ("postgresql", "postgres", "postgresql+psycopg"):
        return url.set(drivername="postgresql+psycopg")
    if url.drivername in ("sqlite", "sqlite+pysqlite"):
        return url.set(drivername="sqlite+pysqlite")
    raise DatabaseError.at(
        "db", f"unsupported database {url.drivername!r}; use an SQLite path or postgresql://"
    )


def safe_url_text(raw: str) -> str:
    """A URL as text with any password masked (also for URLs that do not parse)."""
    try:
        return make_url(raw).render_as_string(hide_password=True)
    except (ArgumentError, ValueError):
        scheme, sep, rest = raw.partition("://")
        if sep and "@" in rest:
            credentials, _, host = rest.rpartition("@")
            user = credentials.split(":", 1)[0]
            return f"{scheme}://{user}:***@{host}"
        return raw


def describe(url: URL) -> str:
    """The URL for messages: never with its password."""
    if url.get_backend_name() == "sqlite":
        return str(url.database)
    return url.render_as_string(hide_password=True)


def is_sqlite(url: URL) -> bool:
    return url.get_backend_name() == "sqlite"


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy's "begin" event issue BEGIN itself, so writers can take the lock
        # up front (BEGIN IMMEDIATE) instead of failing later on lock upgrade.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def on_begin(connection: Any) -> None:
        mode = "IMMEDIATE" if connection.get_execution_options().get("factdb_write") else "DEFERRED"
        connection.exec_driver_sql(f"BEGIN {mode}")


_engines: dict[str, Engine] = {}


def get_engine(url: URL) -> Engine:
    key = url.render_as_string(hide_password=False)
    engine = _engines.get(key)
    if engine is None:
        if is_sqlite(url):
            database = url.database or ""
            if database and database != ":memory:":
                Path(database).parent.mkdir(parents=True, exist_ok=True)
            engine = create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000})
            _configure_sqlite(engine)
        else:
            engine = create_engine(url, pool_pre_ping=False)
        _engines[key] = engine
    return engine


def dispose_engines() -> None:
    for engine in _engines.values():
        engine.dispose()
    _engines.clear()


class Location:
    """A database by where it is: its URL, its engine and its label for messages. Migrations
    and maintenance work on a location; :class:`factdb.store.db.Database` adds the schema check and
    the one-transaction session."""

    def __init__(self, url: URL) -> None:
        self.url = url

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.label})"

    @property
    def engine(self) -> Engine:
        return get_engine(self.url)

    @property
    def label(self) -> str:
        return describe(self.url)


def where(location: Location) -> str:
    """The database as the user should find it: an absolute file path, or the URL without its
    password."""
    if is_sqlite(location.url) and location.url.database not in (None, "", ":memory:"):
        return str(Path(str(location.url.database)).resolve())
    return location.label


def first_line(exc: BaseException | None) -> str:
    """The first line of a driver error's message (of its original DBAPI error)."""
    original = exc.orig if isinstance(exc, DBAPIError) else exc
    lines = str(original).strip().splitlines() if original is not None else []
    return lines[0] if lines else type(original).__name__


def connection_message(location: Location, exc: BaseException | None) -> str:
    detail = first_line(exc)
    password = location.url.password
    if password:
        detail = detail.replace(str(password), "***")
    return f"cannot use the database {location.label}: {detail}"

"""Where the database is, how to connect, and the one-transaction-per-command session.

``--db`` / ``FACTDB_DB`` take a path (an SQLite file) or a URL (``sqlite:///…``,
``postgresql://…``); the default is ``factdb.sqlite3`` in the user data directory.
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import Engine, create_engine, event, inspect, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, OperationalError
from sqlalchemy.orm import Session, UOWTransaction, sessionmaker

from factdb.errors import Conflict, DatabaseError, FactDBError, InvalidInput, SchemaOutOfDate
from factdb.schema import HEAD_REVISION

T = TypeVar("T")

BUSY_TIMEOUT_MS = 30_000
LOCK_RETRIES = 5


class FactDBSession(Session):
    """The session class that carries the audit hook."""


@event.listens_for(FactDBSession, "after_flush")
def _audit_flush(session: Session, flush_context: UOWTransaction) -> None:
    # Imported at the first flush: only ORM objects are flushed, so the ORM classes are
    # loaded by then, and a read-only command never pays for them.
    from factdb.audit import record_flush

    record_flush(session, flush_context)


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
        raise DatabaseError(f"--db: {safe_url_text(chosen)!r} is not a database URL") from None
    if url.drivername in ("postgresql", "postgres", "postgresql+psycopg"):
        return url.set(drivername="postgresql+psycopg")
    if url.drivername in ("sqlite", "sqlite+pysqlite"):
        return url.set(drivername="sqlite+pysqlite")
    raise DatabaseError(
        f"--db: unsupported database {url.drivername!r}; use an SQLite path or postgresql://"
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


def current_revision(engine: Engine) -> str | None:
    """The Alembic revision stamped in the database, or None for a database without one."""
    with engine.connect() as connection:
        if not inspect(connection).has_table("alembic_version"):
            return None
        row = connection.execute(text("SELECT version_num FROM alembic_version")).first()
        return None if row is None else str(row[0])


def _has_tables(engine: Engine) -> bool:
    with engine.connect() as connection:
        return bool(inspect(connection).get_table_names())


class Database:
    """A factdb database: its URL, engine, and the check that its schema is current."""

    def __init__(self, url: URL) -> None:
        self.url = url
        self._checked = False

    def __repr__(self) -> str:
        return f"Database({self.label})"

    @classmethod
    def open(cls, target: str | None = None) -> Database:
        return cls(resolve_url(target))

    @property
    def engine(self) -> Engine:
        return get_engine(self.url)

    @property
    def label(self) -> str:
        return describe(self.url)

    def ensure_ready(self) -> None:
        """Create a new database at head; refuse one that is behind (never migrate silently)."""
        if self._checked:
            return
        try:
            revision = current_revision(self.engine)
            if revision is None:
                if _has_tables(self.engine):
                    raise DatabaseError(f"{self.label} is not a factdb database")
                from factdb.migrate import upgrade

                upgrade(self, backup=False)
            elif revision != HEAD_REVISION:
                if _known_older(revision):
                    raise SchemaOutOfDate(
                        f"the database {self.label} is at schema {revision}, this factdb needs "
                        f"{HEAD_REVISION}: run `factdb db upgrade`"
                    )
                raise SchemaOutOfDate(
                    f"the database {self.label} is at schema {revision}, which this factdb does "
                    "not know: upgrade factdb"
                )
        except OperationalError as exc:
            raise DatabaseError(connection_message(self, exc)) from None
        self._checked = True

    @contextmanager
    def session(self, *, write: bool = False) -> Iterator[Session]:
        """One session in one transaction: committed on success, rolled back on error."""
        self.ensure_ready()
        bind = self.engine.execution_options(factdb_write=True) if write else self.engine
        factory = sessionmaker(bind=bind, class_=FactDBSession, expire_on_commit=False)
        with factory() as session, session.begin():
            yield session

    def run(self, work: Callable[[Session], T], *, write: bool = False) -> T:
        """Run ``work`` in one transaction, retrying a bounded number of times while another
        process holds the SQLite write lock, or PostgreSQL reports a deadlock, a
        serialization failure, or a unique violation (a concurrent writer added the same
        name first: the rerun finds its row). A duplicate becomes a ``Conflict``, a refused
        value an ``InvalidInput``, any other driver error a ``DatabaseError``: one line each,
        the password masked. Driver errors raised outside SQLAlchemy (such as COPY through
        the raw connection) are handled the same way."""
        caught: tuple[type[Exception], ...] = (DBAPIError, *self._driver_errors())
        for attempt in range(LOCK_RETRIES + 1):
            try:
                with self.session(write=write) as session:
                    return work(session)
            except UnicodeEncodeError:
                raise InvalidInput("a value is not valid UTF-8 text") from None
            except OverflowError:
                raise InvalidInput("a number is too large for the database") from None
            except caught as exc:
                original = exc.orig if isinstance(exc, DBAPIError) else exc
                retries = UNIQUE_RETRIES if _is_unique_violation(original) else LOCK_RETRIES
                if attempt < retries and self._retryable(original):
                    time.sleep(0.05 * (2**attempt))
                    continue
                raise self._failure(original) from None
        raise AssertionError("unreachable")

    def _driver_errors(self) -> tuple[type[Exception], ...]:
        dbapi = getattr(self.engine.dialect, "loaded_dbapi", None)
        error = getattr(dbapi, "Error", None)
        return (error,) if isinstance(error, type) and issubclass(error, Exception) else ()

    def _retryable(self, original: BaseException | None) -> bool:
        if is_sqlite(self.url):
            return _is_locked(original)
        if _is_unique_violation(original):
            return True
        return getattr(original, "sqlstate", None) in _RETRYABLE_SQLSTATES

    def _failure(self, original: BaseException | None) -> FactDBError:
        if "IntegrityError" in _class_names(original):
            return integrity_error(original)
        if "DataError" in _class_names(original):
            return InvalidInput(f"a value was refused by the database: {first_line(original)}")
        return DatabaseError(connection_message(self, original))


def _class_names(exc: BaseException | None) -> set[str]:
    return {cls.__name__ for cls in type(exc).__mro__} if exc is not None else set()


def _is_locked(original: BaseException | None) -> bool:
    return "database is locked" in str(original) or "database is busy" in str(original)


def is_locked(exc: DBAPIError) -> bool:
    return _is_locked(exc.orig)


def _is_unique_violation(original: BaseException | None) -> bool:
    return getattr(original, "sqlstate", None) == "23505"


# SQLSTATE serialization_failure and deadlock_detected: the transaction can simply be rerun.
_RETRYABLE_SQLSTATES = ("40001", "40P01")
UNIQUE_RETRIES = 2


# Unique constraints users can collide on, by (table, column) as SQLite and PostgreSQL name
# them; the message starts with the field the user typed.
_UNIQUE_MESSAGES = {
    ("actors", "name_key"): "name: an actor with this name already exists",
    ("actor_aliases", "actor_id"): "alias: the actor already has this alias",
    ("sources", "url"): "url: a source with this URL already exists",
    ("topics", "name_key"): "topic: a topic with this name already exists",
    ("statements", "ref"): "ref: another statement already has this ref",
}


def first_line(exc: BaseException | None) -> str:
    """The first line of a driver error's message (of its original DBAPI error)."""
    original = exc.orig if isinstance(exc, DBAPIError) else exc
    lines = str(original).strip().splitlines() if original is not None else []
    return lines[0] if lines else type(original).__name__


def integrity_error(exc: BaseException | None) -> FactDBError:
    """A ``Conflict`` for a duplicate (naming the field when it is a known one), else an
    ``InvalidInput`` for a broken rule of the record."""
    detail = first_line(exc)
    if "unique" not in detail.lower():
        return InvalidInput(f"the change breaks a rule of the record: {detail}")
    sqlite = re.search(r"UNIQUE constraint failed: (\w+)\.(\w+)", detail)
    postgres = re.search(r'unique constraint "(\w+)"', detail)
    for (table, column), message in _UNIQUE_MESSAGES.items():
        if sqlite and (sqlite.group(1), sqlite.group(2)) == (table, column):
            return Conflict(message)
        if postgres and postgres.group(1).startswith(f"uq_{table}_{column}"):
            return Conflict(message)
    return Conflict(f"the change duplicates an existing record: {detail}")


def connection_message(database: Database, exc: BaseException | None) -> str:
    detail = first_line(exc)
    password = database.url.password
    if password:
        detail = detail.replace(str(password), "***")
    return f"cannot use the database {database.label}: {detail}"


def _known_older(revision: str) -> bool:
    return revision.isdigit() and int(revision) < int(HEAD_REVISION)

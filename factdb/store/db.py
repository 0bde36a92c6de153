"""The database a command uses: the check that its schema is current (a new one is created
at head) and the one-transaction-per-command session, retried while another writer holds a
lock.

``--db`` / ``FACTDB_DB`` take a path (an SQLite file) or a URL (``sqlite:///…``,
``postgresql://…``), resolved by :mod:`factdb.store.engine`; the default is ``factdb.sqlite3`` in
the user data directory.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TypeVar

from sqlalchemy import Engine, event, inspect, text
from sqlalchemy.engine import URL
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.orm import Session, UOWTransaction, sessionmaker

from factdb.errors import Conflict, DatabaseError, FactDBError, InvalidInput, SchemaOutOfDate
from factdb.store.engine import Location, connection_message, first_line, is_sqlite, resolve_url
from factdb.store.schema import HEAD_REVISION

T = TypeVar("T")

LOCK_RETRIES = 5


class FactDBSession(Session):
    """The session class that carries the audit hook."""


@event.listens_for(FactDBSession, "after_flush")
def _audit_flush(session: Session, flush_context: UOWTransaction) -> None:
    # Imported at the first flush: only ORM objects are flushed, so the ORM classes are
    # loaded by then, and a read-only command never pays for them.
    from factdb.record.audit import record_flush

    record_flush(session, flush_context)


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


class Database(Location):
    """A factdb database: where it is, the check that its schema is current, and the
    one-transaction session."""

    def __init__(self, url: URL) -> None:
        super().__init__(url)
        self._checked = False

    @classmethod
    def open(cls, target: str | None = None) -> Database:
        return cls(resolve_url(target))

    def ensure_ready(self) -> None:
        """Create a new database at head; refuse one that is behind (never migrate silently)."""
        if self._checked:
            return
        try:
            revision = current_revision(self.engine)
            if revision is None:
                if _has_tables(self.engine):
                    raise DatabaseError(f"{self.label} is not a factdb database")
                from factdb.store.migrate import upgrade

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
# them; the message starts with the field the user typed (as ``add_actor``, ``add_source``
# and the statement functions name them).
_UNIQUE_MESSAGES = {
    ("actors", "name_key"): ("NAME", "an actor with this name already exists"),
    ("actor_aliases", "actor_id"): ("aliases", "the actor already has this alias"),
    ("sources", "url"): ("URL", "a source with this URL already exists"),
    ("topics", "name_key"): ("topic", "a topic with this name already exists"),
    ("statements", "ref"): ("ref", "another statement already has this ref"),
}


def integrity_error(exc: BaseException | None) -> FactDBError:
    """A ``Conflict`` for a duplicate (naming the field when it is a known one), else an
    ``InvalidInput`` for a broken rule of the record."""
    detail = first_line(exc)
    if "unique" not in detail.lower():
        return InvalidInput(f"the change breaks a rule of the record: {detail}")
    sqlite = re.search(r"UNIQUE constraint failed: (\w+)\.(\w+)", detail)
    postgres = re.search(r'unique constraint "(\w+)"', detail)
    for (table, column), (field, message) in _UNIQUE_MESSAGES.items():
        if sqlite and (sqlite.group(1), sqlite.group(2)) == (table, column):
            return Conflict.at(field, message)
        if postgres and postgres.group(1).startswith(f"uq_{table}_{column}"):
            return Conflict.at(field, message)
    return Conflict(f"the change duplicates an existing record: {detail}")


def _known_older(revision: str) -> bool:
    return revision.isdigit() and int(revision) < int(HEAD_REVISION)

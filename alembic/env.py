"""Alembic environment for factdb: the database comes from the caller (factdb.store.migrate)."""

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Connection

from alembic import context
from factdb.store.db import Database
from factdb.store.engine import is_sqlite
from factdb.store.models import Base

config = context.config
database: Database = config.attributes["factdb_database"]


# Search objects made by raw SQL in 0002 (FTS5 table and its shadow tables on SQLite, the GIN
# expression index on PostgreSQL) have no ORM model: leave them out of model comparisons.
SEARCH_OBJECTS = ("statements_fts", "ix_statements_search")


def include_name(name: str | None, type_: str, parent_names: object) -> bool:
    return not (name and name.startswith(SEARCH_OBJECTS))


@contextmanager
def sqlite_foreign_keys_checked_at_the_end(connection: Connection) -> Iterator[None]:
    """SQLite: foreign keys off while the migrations run (a table rebuilt as SQLite's manual
    describes is dropped while other tables point at it) and back on afterwards; the pragma
    takes effect only outside a transaction, so this wraps the transaction."""
    if not is_sqlite(database.url):
        yield
        return
    raw = connection.connection.dbapi_connection
    assert raw is not None
    raw.execute("PRAGMA foreign_keys = OFF")
    try:
        yield
    finally:
        raw.execute("PRAGMA foreign_keys = ON")


def broken_references(connection: Connection) -> set[tuple[object, ...]]:
    """SQLite: the rows whose foreign keys point nowhere (``PRAGMA foreign_key_check``)."""
    if not is_sqlite(database.url):
        return set()
    return {tuple(row) for row in connection.exec_driver_sql("PRAGMA foreign_key_check")}


def run_migrations_online() -> None:
    engine = database.engine.execution_options(factdb_write=True)
    # One transaction around every step (SQLite too, whose DDL Alembic would otherwise commit
    # revision by revision): a failed or killed upgrade leaves the database as it was.
    with (
        engine.connect() as connection,
        sqlite_foreign_keys_checked_at_the_end(connection),
        connection.begin(),
    ):
        context.configure(
            connection=connection,
            target_metadata=Base.metadata,
            render_as_batch=is_sqlite(database.url),
            compare_type=True,
            include_name=include_name,
        )
        broken_before = broken_references(connection)
        with context.begin_transaction():
            context.run_migrations()
        # what the migrations broke with keys off fails them (a damaged file stays as it was)
        broken = broken_references(connection) - broken_before
        if broken:
            table, row, parent, _key = min(broken, key=str)
            raise RuntimeError(f"foreign_key_check: {table} row {row} points to no {parent} row")


if context.is_offline_mode():
    raise SystemExit("factdb migrations run online only")
run_migrations_online()

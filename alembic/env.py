"""Alembic environment for factdb: the database comes from the caller (factdb.store.migrate)."""

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


def run_migrations_online() -> None:
    engine = database.engine.execution_options(factdb_write=True)
    # One transaction around every step (SQLite too, whose DDL Alembic would otherwise commit
    # revision by revision): a failed or killed upgrade leaves the database as it was.
    with engine.begin() as connection:
        context.configure(
            connection=connection,
            target_metadata=Base.metadata,
            render_as_batch=is_sqlite(database.url),
            compare_type=True,
            include_name=include_name,
        )
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    raise SystemExit("factdb migrations run online only")
run_migrations_online()

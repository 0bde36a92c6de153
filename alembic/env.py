"""Alembic environment for factdb: the database comes from the caller (factdb.migrate)."""

from alembic import context
from factdb.db import Database, is_sqlite
from factdb.models import Base

config = context.config
database: Database = config.attributes["factdb_database"]


def run_migrations_online() -> None:
    engine = database.engine.execution_options(factdb_write=True)
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=Base.metadata,
            render_as_batch=is_sqlite(database.url),
            compare_type=True,
        )
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    raise SystemExit("factdb migrations run online only")
run_migrations_online()

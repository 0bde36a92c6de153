"""Helpers for the database-maintenance tests: brand-new databases with no schema at all, on
SQLite (a file that does not exist yet) or PostgreSQL (a throwaway database, dropped after)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from conftest import PG_ADMIN_URL
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from factdb.store.engine import dispose_engines


@contextmanager
def blank_database(backend: str, tmp_path: Path) -> Iterator[str]:
    """The ``--db`` value of a database with no tables, not even Alembic's."""
    if backend == "sqlite":
        yield str(tmp_path / "blank.sqlite3")
        dispose_engines()
        return
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    name = f"factdb_blank_{uuid.uuid4().hex[:12]}"
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(PG_ADMIN_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        dispose_engines()
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def failing_revision(folder: Path, down_revision: str) -> Path:
    """A revision folder holding one revision after ``down_revision`` that creates a table and
    then fails, to prove an upgrade is all or nothing."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "9001_broken.py").write_text(
        '"""a broken revision"""\n'
        "import sqlalchemy as sa\n"
        "from alembic import op\n\n"
        'revision = "9001"\n'
        f"down_revision = {down_revision!r}\n"
        "branch_labels = None\n"
        "depends_on = None\n\n\n"
        "def upgrade() -> None:\n"
        '    op.create_table("half_done", sa.Column("id", sa.Integer, primary_key=True))\n'
        '    op.execute("INSERT INTO no_such_table VALUES (1)")\n\n\n'
        "def downgrade() -> None:\n"
        '    op.drop_table("half_done")\n',
        encoding="utf-8",
    )
    return folder

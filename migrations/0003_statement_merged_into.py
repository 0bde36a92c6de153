"""statement merged into

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-03 08:00:00

``statements.merged_into_id``: the statement a merged duplicate was folded into
(``factdb statement merge``), with its foreign key, a check that it is not the statement
itself, and an index.

SQLite: a plain ``ALTER TABLE … ADD COLUMN`` carrying the key and the check, so the table is
not rebuilt (a batch rebuild would drop the full-text triggers of 0002); going down is a plain
``DROP COLUMN`` (SQLite 3.35 or newer) after the index.
"""

from collections.abc import Sequence

import sqlalchemy as sa

from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

FOREIGN_KEY = "fk_statements_merged_into_id_statements"
CHECK = "ck_statements_not_merged_into_self"
CHECK_SQL = "merged_into_id IS NULL OR merged_into_id <> id"
INDEX = "ix_statements_merged_into_id"

SQLITE_ADD = (
    "ALTER TABLE statements ADD COLUMN merged_into_id INTEGER "
    "CONSTRAINT fk_statements_merged_into_id_statements REFERENCES statements (id) "
    "CONSTRAINT ck_statements_not_merged_into_self "
    "CHECK (merged_into_id IS NULL OR merged_into_id <> id)"
)


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute(SQLITE_ADD)
    else:
        op.add_column("statements", sa.Column("merged_into_id", sa.Integer(), nullable=True))
        op.create_foreign_key(FOREIGN_KEY, "statements", "statements", ["merged_into_id"], ["id"])
        op.create_check_constraint(CHECK, "statements", CHECK_SQL)
    op.create_index(INDEX, "statements", ["merged_into_id"], unique=False)


def downgrade() -> None:
    op.drop_index(INDEX, table_name="statements")
    if op.get_bind().dialect.name == "sqlite":
        op.execute("ALTER TABLE statements DROP COLUMN merged_into_id")
    else:
        op.drop_constraint(CHECK, "statements", type_="check")
        op.drop_constraint(FOREIGN_KEY, "statements", type_="foreignkey")
        op.drop_column("statements", "merged_into_id")

"""full-text search and query indexes

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27 09:45:00

SQLite: an FTS5 external-content table ``statements_fts`` over statements' text, quote and
note (unicode61 tokenizer, diacritics removed), kept in step by triggers.
PostgreSQL: an immutable ``factdb_search_document(text, quote, note)`` function (lower-cased,
unaccented ``simple`` tsvector) and a GIN expression index on it.
Both: an index on statements (actor_id, kind, date) for "who denied / endorsed by X".

Note for later migrations on SQLite: a batch ("move and copy") rebuild of ``statements``
drops its triggers; such a migration must recreate the three ``statements_fts_*`` triggers.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SQLITE_UP = (
    """
    CREATE VIRTUAL TABLE statements_fts USING fts5(
        text, quote, note,
        content='statements', content_rowid='id',
        tokenize='unicode61 remove_diacritics 2'
    )
    """,
    """
    CREATE TRIGGER statements_fts_insert AFTER INSERT ON statements BEGIN
        INSERT INTO statements_fts(rowid, text, quote, note)
        VALUES (new.id, new.text, new.quote, new.note);
    END
    """,
    """
    CREATE TRIGGER statements_fts_delete AFTER DELETE ON statements BEGIN
        INSERT INTO statements_fts(statements_fts, rowid, text, quote, note)
        VALUES ('delete', old.id, old.text, old.quote, old.note);
    END
    """,
    """
    CREATE TRIGGER statements_fts_update AFTER UPDATE OF text, quote, note ON statements BEGIN
        INSERT INTO statements_fts(statements_fts, rowid, text, quote, note)
        VALUES ('delete', old.id, old.text, old.quote, old.note);
        INSERT INTO statements_fts(rowid, text, quote, note)
        VALUES (new.id, new.text, new.quote, new.note);
    END
    """,
    "INSERT INTO statements_fts(statements_fts) VALUES ('rebuild')",
)

SQLITE_DOWN = (
    "DROP TRIGGER IF EXISTS statements_fts_update",
    "DROP TRIGGER IF EXISTS statements_fts_delete",
    "DROP TRIGGER IF EXISTS statements_fts_insert",
    "DROP TABLE IF EXISTS statements_fts",
)

POSTGRESQL_UP = (
    "CREATE EXTENSION IF NOT EXISTS unaccent",
    # unaccent() is only STABLE (its dictionary could change); an index needs IMMUTABLE.
    """
    CREATE OR REPLACE FUNCTION factdb_unaccent(value text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
    AS $$ SELECT public.unaccent('public.unaccent'::regdictionary, value) $$
    """,
    """
    CREATE OR REPLACE FUNCTION factdb_search_document(body text, quote text, note text)
    RETURNS tsvector
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT to_tsvector('simple'::regconfig, factdb_unaccent(lower(
        coalesce(body, '') || ' ' || coalesce(quote, '') || ' ' || coalesce(note, '')))) $$
    """,
    """
    CREATE INDEX ix_statements_search ON statements
    USING gin (factdb_search_document(text, quote, note))
    """,
)

POSTGRESQL_DOWN = (
    "DROP INDEX IF EXISTS ix_statements_search",
    "DROP FUNCTION IF EXISTS factdb_search_document(text, text, text)",
    "DROP FUNCTION IF EXISTS factdb_unaccent(text)",
)


def upgrade() -> None:
    with op.batch_alter_table("statements", schema=None) as batch_op:
        batch_op.create_index(
            "ix_statements_actor_kind_date", ["actor_id", "kind", "date"], unique=False
        )
    dialect = op.get_bind().dialect.name
    for statement in SQLITE_UP if dialect == "sqlite" else POSTGRESQL_UP:
        op.execute(statement)


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    for statement in SQLITE_DOWN if dialect == "sqlite" else POSTGRESQL_DOWN:
        op.execute(statement)
    with op.batch_alter_table("statements", schema=None) as batch_op:
        batch_op.drop_index("ix_statements_actor_kind_date")

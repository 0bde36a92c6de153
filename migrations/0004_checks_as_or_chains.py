"""checks as OR chains

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-03 13:45:00

Every CHECK that tests a column against a list of words (``kind IN ('claim', …)``, the
verdicts, the date precisions, the audit actions) is written as an OR chain of equalities
instead (``(kind = 'claim' OR kind = 'denial' OR …)``). Both accept and refuse the same
values (NULL included: each gives NULL for it, which a CHECK lets pass). SQLite evaluates the
chain far faster: for an IN list of more than two words it builds a small temporary index on
every execution of an INSERT, once per row, which made the checks cost about a tenth of a
bulk import.

SQLite cannot alter a CHECK, so each of the five tables concerned is rebuilt as the SQLite
manual describes (``lang_altertable.html``, "making other kinds of table schema changes"):
its CREATE TABLE text as stored, with each old check replaced by the new one, becomes a new
table; the rows are copied; the old table is dropped and the new one renamed; its indexes
and triggers (the three ``statements_fts_*`` triggers of 0002) are created again from their
stored text. ``alembic/env.py`` runs SQLite migrations with foreign keys off and checks them
before committing, as that procedure asks. PostgreSQL: each constraint is dropped and added
again with the new expression; and the check of 0003 that 0003 named
``ck_statements_ck_statements_not_merged_into_self`` (the naming convention applied twice)
gets the name the models give it, ``ck_statements_not_merged_into_self``.
"""

import re
from collections.abc import Sequence

from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Every check with a list, as 0001 wrote it: (table, constraint, expression).
IN_LIST_CHECKS = [
    ("actors", "ck_actors_kind", "kind IN ('state', 'person', 'ministry', 'organization', 'armed_group', 'international_org', 'media', 'other')"),
    ("affiliations", "ck_affiliations_start_precision", "(start_date IS NULL AND start_precision IS NULL) OR (start_date IS NOT NULL AND start_precision IN ('year', 'month', 'day'))"),
    ("affiliations", "ck_affiliations_end_precision", "(end_date IS NULL AND end_precision IS NULL) OR (end_date IS NOT NULL AND end_precision IN ('year', 'month', 'day'))"),
    ("sources", "ck_sources_published_precision", "(published_date IS NULL AND published_precision IS NULL) OR (published_date IS NOT NULL AND published_precision IN ('year', 'month', 'day'))"),
    ("statements", "ck_statements_kind", "kind IN ('claim', 'denial', 'dispute', 'endorsement', 'admission', 'retraction', 'fact_check')"),
    ("statements", "ck_statements_verdict_on_fact_checks", "(kind = 'fact_check' AND verdict IN ('true', 'mostly_true', 'mixed', 'mostly_false', 'false', 'unproven')) OR (kind <> 'fact_check' AND verdict IS NULL AND rating IS NULL)"),
    ("statements", "ck_statements_date_precision", "(date IS NULL AND date_precision IS NULL) OR (date IS NOT NULL AND date_precision IN ('year', 'month', 'day'))"),
    ("audit_log", "ck_audit_log_action", "action IN ('insert', 'update', 'delete', 'restore', 'merge')"),
]  # fmt: skip
_IN_LIST = re.compile(r"(\w+) IN \(([^)]*)\)")


def or_chains(expression: str) -> str:
    """``expression`` with each ``column IN ('a', 'b')`` written ``(column = 'a' OR column = 'b')``."""
    return _IN_LIST.sub(
        lambda found: (
            "(" + " OR ".join(f"{found[1]} = {word}" for word in found[2].split(", ")) + ")"
        ),
        expression,
    )


OR_CHAIN_CHECKS = [(table, name, or_chains(sql)) for table, name, sql in IN_LIST_CHECKS]

# PostgreSQL: the check of 0003 from the name 0003 gave it to the models' name, and back
RENAME_UP = (
    "ALTER TABLE statements RENAME CONSTRAINT ck_statements_ck_statements_not_merged_into_self "
    "TO ck_statements_not_merged_into_self"
)
RENAME_DOWN = (
    "ALTER TABLE statements RENAME CONSTRAINT ck_statements_not_merged_into_self "
    "TO ck_statements_ck_statements_not_merged_into_self"
)


def upgrade() -> None:
    rewrite(IN_LIST_CHECKS, OR_CHAIN_CHECKS)
    if op.get_bind().dialect.name != "sqlite":
        op.execute(RENAME_UP)


def downgrade() -> None:
    rewrite(OR_CHAIN_CHECKS, IN_LIST_CHECKS)
    if op.get_bind().dialect.name != "sqlite":
        op.execute(RENAME_DOWN)


def rewrite(old: list[tuple[str, str, str]], new: list[tuple[str, str, str]]) -> None:
    if op.get_bind().dialect.name != "sqlite":
        for (table, name, _before), (_table, _name, after) in zip(old, new, strict=True):
            op.drop_constraint(op.f(name), table, type_="check")
            op.create_check_constraint(op.f(name), table, after)
        return
    for table in dict.fromkeys(table for table, _name, _sql in old):
        changes = [
            (f"CONSTRAINT {name} CHECK ({before})", f"CONSTRAINT {name} CHECK ({after})")
            for (owner, name, before), (_table, _name, after) in zip(old, new, strict=True)
            if owner == table
        ]
        rebuild_sqlite_table(table, changes)


def rebuild_sqlite_table(table: str, changes: list[tuple[str, str]]) -> None:
    """Rebuild ``table`` with each ``(before, after)`` text of its CREATE TABLE replaced."""
    connection = op.get_bind()
    rows = connection.exec_driver_sql(
        "SELECT type, sql FROM sqlite_master WHERE tbl_name = ? AND sql IS NOT NULL",
        (table,),
    ).all()
    created = next(sql for kind, sql in rows if kind == "table")
    others = [sql for kind, sql in rows if kind in ("index", "trigger")]
    for before, after in changes:
        if created.count(before) != 1:
            raise RuntimeError(f"{table}: the stored schema does not read {before!r}")
        created = created.replace(before, after)
    # the column list and constraints, after the name (which a rename may have quoted)
    body = created[created.index("(") :]
    staging = f"_new_{table}"
    statements = [
        f"CREATE TABLE {staging} {body}",
        f"INSERT INTO {staging} SELECT * FROM {table}",  # noqa: S608 - names from this file
        f"DROP TABLE {table}",
        f"ALTER TABLE {staging} RENAME TO {table}",
        *others,
    ]
    for statement in statements:
        connection.exec_driver_sql(statement)

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

from collections.abc import Callable, Sequence

from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ACTOR_KINDS = (
    "state",
    "person",
    "ministry",
    "organization",
    "armed_group",
    "international_org",
    "media",
    "other",
)
STATEMENT_KINDS = (
    "claim",
    "denial",
    "dispute",
    "endorsement",
    "admission",
    "retraction",
    "fact_check",
)
VERDICTS = ("true", "mostly_true", "mixed", "mostly_false", "false", "unproven")
PRECISIONS = ("year", "month", "day")
AUDIT_ACTIONS = ("insert", "update", "delete", "restore", "merge")


def in_list(column: str, values: tuple[str, ...]) -> str:
    """A list check as 0001 wrote it."""
    quoted = ", ".join(f"'{value}'" for value in values)
    return f"{column} IN ({quoted})"


def or_chain(column: str, values: tuple[str, ...]) -> str:
    """A list check as this revision writes it."""
    return "(" + " OR ".join(f"{column} = '{value}'" for value in values) + ")"


def precision_pair(date: str, precision: str, one_of: str) -> str:
    return f"({date} IS NULL AND {precision} IS NULL) OR ({date} IS NOT NULL AND {one_of})"


def verdict_on_fact_checks(one_of: str) -> str:
    return (
        f"(kind = 'fact_check' AND {one_of}) OR "
        "(kind <> 'fact_check' AND verdict IS NULL AND rating IS NULL)"
    )


def checks(one_of: Callable[[str, tuple[str, ...]], str]) -> list[tuple[str, str, str]]:
    """(table, constraint, expression) of every check concerned, lists written by ``one_of``."""

    def pair(date: str, precision: str) -> str:
        return precision_pair(date, precision, one_of(precision, PRECISIONS))

    return [
        ("actors", "ck_actors_kind", one_of("kind", ACTOR_KINDS)),
        ("affiliations", "ck_affiliations_start_precision", pair("start_date", "start_precision")),
        ("affiliations", "ck_affiliations_end_precision", pair("end_date", "end_precision")),
        (
            "sources",
            "ck_sources_published_precision",
            pair("published_date", "published_precision"),
        ),
        ("statements", "ck_statements_kind", one_of("kind", STATEMENT_KINDS)),
        (
            "statements",
            "ck_statements_verdict_on_fact_checks",
            verdict_on_fact_checks(one_of("verdict", VERDICTS)),
        ),
        ("statements", "ck_statements_date_precision", pair("date", "date_precision")),
        ("audit_log", "ck_audit_log_action", one_of("action", AUDIT_ACTIONS)),
    ]


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
    rewrite(checks(in_list), checks(or_chain))
    if op.get_bind().dialect.name != "sqlite":
        op.execute(RENAME_UP)


def downgrade() -> None:
    rewrite(checks(or_chain), checks(in_list))
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

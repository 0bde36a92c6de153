"""The record's tables, as SQLAlchemy Core.

Every speech act is a row of ``statements``; its ``kind`` says which (the ORM classes in
``factdb.store.models`` map onto these tables). Names, aliases, topics and URLs are stored twice:
as given and as a normalized key that carries the uniqueness constraint.

Queries use these tables directly, so a command that only reads never pays for building
the ORM classes.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    CheckConstraint,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from factdb.vocabulary import ACTOR_KINDS, AUDIT_ACTIONS, PRECISIONS, STATEMENT_KINDS, VERDICTS

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> dt.datetime:
    """Naive UTC timestamp (stored the same way on SQLite and PostgreSQL)."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def _one_of(column: str, values: tuple[str, ...]) -> str:
    """``column`` is one of ``values``, as an OR chain of equalities: the same as ``IN (…)``,
    but SQLite checks it on each insert without building a temporary index (migration 0004)."""
    return "(" + " OR ".join(f"{column} = '{value}'" for value in values) + ")"


def _precision_pair(date_column: str, precision_column: str) -> str:
    return (
        f"({date_column} IS NULL AND {precision_column} IS NULL) OR "
        f"({date_column} IS NOT NULL AND {_one_of(precision_column, PRECISIONS)})"
    )


def _created_at() -> Column[dt.datetime]:
    return Column("created_at", DateTime, nullable=False, default=utcnow)


def _updated_at() -> Column[dt.datetime]:
    return Column("updated_at", DateTime, nullable=False, default=utcnow, onupdate=utcnow)


metadata = MetaData(naming_convention=NAMING_CONVENTION)

actors = Table(
    "actors",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", Text, nullable=False),
    Column("name_key", Text, nullable=False, unique=True),
    Column("kind", String(32), nullable=False),
    Column("country", String(2)),
    Column("wikidata", String(32)),
    Column("description", Text),
    Column("merged_into_id", ForeignKey("actors.id"), index=True),
    _created_at(),
    _updated_at(),
    CheckConstraint(_one_of("kind", ACTOR_KINDS), name="kind"),
    CheckConstraint("merged_into_id IS NULL OR merged_into_id <> id", name="not_merged_into_self"),
)

actor_aliases = Table(
    "actor_aliases",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("actor_id", ForeignKey("actors.id"), nullable=False, index=True),
    Column("alias", Text, nullable=False),
    Column("alias_key", Text, nullable=False, index=True),
    UniqueConstraint("actor_id", "alias_key"),
)

# ``member`` belongs to ``organization`` (a spokesman to a ministry, a ministry to a state)
# from ``start`` to ``end``; open ends mean "always" and "still".
affiliations = Table(
    "affiliations",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("member_id", ForeignKey("actors.id"), nullable=False, index=True),
    Column("organization_id", ForeignKey("actors.id"), nullable=False, index=True),
    Column("role", Text),
    Column("start_date", Date),
    Column("start_precision", String(5)),
    Column("end_date", Date),
    Column("end_precision", String(5)),
    CheckConstraint("member_id <> organization_id", name="not_self"),
    CheckConstraint(_precision_pair("start_date", "start_precision"), name="start_precision"),
    CheckConstraint(_precision_pair("end_date", "end_precision"), name="end_precision"),
    CheckConstraint(
        "start_date IS NULL OR end_date IS NULL OR start_date <= end_date", name="ordered"
    ),
)

sources = Table(
    "sources",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("url", Text, nullable=False, unique=True),
    Column("outlet", Text),
    Column("title", Text),
    Column("published_date", Date),
    Column("published_precision", String(5)),
    Column("retrieved_date", Date),
    Column("archive_url", Text),
    _created_at(),
    _updated_at(),
    CheckConstraint(
        _precision_pair("published_date", "published_precision"), name="published_precision"
    ),
)

topics = Table(
    "topics",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", Text, nullable=False),
    Column("name_key", Text, nullable=False, unique=True),
)

statements = Table(
    "statements",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("kind", String(16), nullable=False),
    Column("actor_id", ForeignKey("actors.id"), nullable=False, index=True),
    Column("responds_to_id", ForeignKey("statements.id"), index=True),
    Column("text", Text),
    Column("quote", Text),
    Column("lang", String(35)),
    Column("date", Date),
    Column("date_precision", String(5)),
    Column("verdict", String(16)),
    Column("rating", Text),
    Column("note", Text),
    Column("ref", Text, unique=True),
    Column("deleted_at", DateTime),
    _created_at(),
    _updated_at(),
    # A duplicate folded into another statement by ``factdb statement merge``; added last
    # (migration 0003) so that SQLite adds it without rebuilding the table.
    Column("merged_into_id", ForeignKey("statements.id"), index=True),
    CheckConstraint(_one_of("kind", STATEMENT_KINDS), name="kind"),
    CheckConstraint(
        "(kind = 'claim' AND responds_to_id IS NULL) OR "
        "(kind <> 'claim' AND responds_to_id IS NOT NULL)",
        name="responds_to_by_kind",
    ),
    CheckConstraint("responds_to_id IS NULL OR responds_to_id <> id", name="not_self_response"),
    CheckConstraint("merged_into_id IS NULL OR merged_into_id <> id", name="not_merged_into_self"),
    CheckConstraint(
        f"(kind = 'fact_check' AND {_one_of('verdict', VERDICTS)}) OR "
        "(kind <> 'fact_check' AND verdict IS NULL AND rating IS NULL)",
        name="verdict_on_fact_checks",
    ),
    CheckConstraint(_precision_pair("date", "date_precision"), name="date_precision"),
    Index("ix_statements_date_id", "date", "id"),
    Index("ix_statements_kind_date", "kind", "date"),
    Index("ix_statements_actor_kind_date", "actor_id", "kind", "date"),
)


def _link_table(name: str, other: str, other_table: str) -> Table:
    """A statement's ordered links to sources, subjects (actors) or topics."""
    return Table(
        name,
        metadata,
        Column("statement_id", ForeignKey("statements.id"), primary_key=True),
        Column(other, ForeignKey(f"{other_table}.id"), primary_key=True, index=True),
        Column("position", Integer, nullable=False, default=0),
    )


statement_sources = _link_table("statement_sources", "source_id", "sources")
statement_sources.append_column(Column("locator", Text))
statement_subjects = _link_table("statement_subjects", "actor_id", "actors")
statement_topics = _link_table("statement_topics", "topic_id", "topics")

# One change to the record: who did what to which row, with the row before and after.
audit_log = Table(
    "audit_log",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("at", DateTime, nullable=False, default=utcnow, index=True),
    Column("user", Text, nullable=False),
    Column("action", String(16), nullable=False),
    Column("table_name", String(64), nullable=False),
    Column("row_id", Integer),
    Column("before", Text),
    Column("after", Text),
    Index("ix_audit_log_table_row", "table_name", "row_id"),
    CheckConstraint(_one_of("action", AUDIT_ACTIONS), name="action"),
)

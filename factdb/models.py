"""The record as SQLAlchemy 2 typed ORM classes.

Every speech act is a row of ``statements``; its ``kind`` picks the mapped subclass
(single-table inheritance). Names, aliases, topics and URLs are stored twice: as given and
as a normalized key that carries the uniqueness constraint.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

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
RESPONSE_KINDS = STATEMENT_KINDS[1:]
VERDICTS = ("true", "mostly_true", "mixed", "mostly_false", "false", "unproven")
PRECISIONS = ("year", "month", "day")


def utcnow() -> dt.datetime:
    """Naive UTC timestamp (stored the same way on SQLite and PostgreSQL)."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def _in(column: str, values: tuple[str, ...]) -> str:
    quoted = ", ".join(f"'{value}'" for value in values)
    return f"{column} IN ({quoted})"


def _precision_pair(date_column: str, precision_column: str) -> str:
    return (
        f"({date_column} IS NULL AND {precision_column} IS NULL) OR "
        f"({date_column} IS NOT NULL AND {_in(precision_column, PRECISIONS)})"
    )


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Actor(Base):
    __tablename__ = "actors"
    __table_args__ = (
        CheckConstraint(_in("kind", ACTOR_KINDS), name="kind"),
        CheckConstraint(
            "merged_into_id IS NULL OR merged_into_id <> id", name="not_merged_into_self"
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(Text)
    name_key: Mapped[str] = mapped_column(Text, unique=True)
    kind: Mapped[str] = mapped_column(String(32))
    country: Mapped[str | None] = mapped_column(String(2))
    wikidata: Mapped[str | None] = mapped_column(String(32))
    description: Mapped[str | None] = mapped_column(Text)
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("actors.id"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)

    aliases: Mapped[list[ActorAlias]] = relationship(
        back_populates="actor", cascade="all, delete-orphan", order_by="ActorAlias.id"
    )
    memberships: Mapped[list[Affiliation]] = relationship(
        foreign_keys="Affiliation.member_id",
        back_populates="member",
        order_by="Affiliation.id",
    )
    members: Mapped[list[Affiliation]] = relationship(
        foreign_keys="Affiliation.organization_id",
        back_populates="organization",
        order_by="Affiliation.id",
        viewonly=True,
    )
    merged_into: Mapped[Actor | None] = relationship(remote_side=[id])


class ActorAlias(Base):
    __tablename__ = "actor_aliases"
    __table_args__ = (UniqueConstraint("actor_id", "alias_key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    actor_id: Mapped[int] = mapped_column(ForeignKey("actors.id"), index=True)
    alias: Mapped[str] = mapped_column(Text)
    alias_key: Mapped[str] = mapped_column(Text, index=True)

    actor: Mapped[Actor] = relationship(back_populates="aliases")


class Affiliation(Base):
    """``member`` belongs to ``organization`` (a spokesman to a ministry, a ministry to a
    state) from ``start`` to ``end``; open ends mean "always" and "still"."""

    __tablename__ = "affiliations"
    __table_args__ = (
        CheckConstraint("member_id <> organization_id", name="not_self"),
        CheckConstraint(_precision_pair("start_date", "start_precision"), name="start_precision"),
        CheckConstraint(_precision_pair("end_date", "end_precision"), name="end_precision"),
        CheckConstraint(
            "start_date IS NULL OR end_date IS NULL OR start_date <= end_date", name="ordered"
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("actors.id"), index=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("actors.id"), index=True)
    role: Mapped[str | None] = mapped_column(Text)
    start_date: Mapped[dt.date | None] = mapped_column(Date)
    start_precision: Mapped[str | None] = mapped_column(String(5))
    end_date: Mapped[dt.date | None] = mapped_column(Date)
    end_precision: Mapped[str | None] = mapped_column(String(5))

    member: Mapped[Actor] = relationship(foreign_keys=[member_id], back_populates="memberships")
    organization: Mapped[Actor] = relationship(foreign_keys=[organization_id])


class Source(Base):
    __tablename__ = "sources"
    __table_args__ = (
        CheckConstraint(
            _precision_pair("published_date", "published_precision"), name="published_precision"
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    url: Mapped[str] = mapped_column(Text, unique=True)
    outlet: Mapped[str | None] = mapped_column(Text)
    title: Mapped[str | None] = mapped_column(Text)
    published_date: Mapped[dt.date | None] = mapped_column(Date)
    published_precision: Mapped[str | None] = mapped_column(String(5))
    retrieved_date: Mapped[dt.date | None] = mapped_column(Date)
    archive_url: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)


class Topic(Base):
    __tablename__ = "topics"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(Text)
    name_key: Mapped[str] = mapped_column(Text, unique=True)


class Statement(Base):
    __tablename__ = "statements"
    __table_args__ = (
        CheckConstraint(_in("kind", STATEMENT_KINDS), name="kind"),
        CheckConstraint(
            "(kind = 'claim' AND responds_to_id IS NULL) OR "
            "(kind <> 'claim' AND responds_to_id IS NOT NULL)",
            name="responds_to_by_kind",
        ),
        CheckConstraint("responds_to_id IS NULL OR responds_to_id <> id", name="not_self_response"),
        CheckConstraint(
            f"(kind = 'fact_check' AND {_in('verdict', VERDICTS)}) OR "
            "(kind <> 'fact_check' AND verdict IS NULL AND rating IS NULL)",
            name="verdict_on_fact_checks",
        ),
        CheckConstraint(_precision_pair("date", "date_precision"), name="date_precision"),
        Index("ix_statements_date_id", "date", "id"),
        Index("ix_statements_kind_date", "kind", "date"),
        Index("ix_statements_actor_kind_date", "actor_id", "kind", "date"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    actor_id: Mapped[int] = mapped_column(ForeignKey("actors.id"), index=True)
    responds_to_id: Mapped[int | None] = mapped_column(ForeignKey("statements.id"), index=True)
    text: Mapped[str | None] = mapped_column(Text)
    quote: Mapped[str | None] = mapped_column(Text)
    lang: Mapped[str | None] = mapped_column(String(35))
    date: Mapped[dt.date | None] = mapped_column(Date)
    date_precision: Mapped[str | None] = mapped_column(String(5))
    verdict: Mapped[str | None] = mapped_column(String(16))
    rating: Mapped[str | None] = mapped_column(Text)
    note: Mapped[str | None] = mapped_column(Text)
    ref: Mapped[str | None] = mapped_column(Text, unique=True)
    deleted_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)

    actor: Mapped[Actor] = relationship()
    responds_to: Mapped[Statement | None] = relationship(
        remote_side=[id], back_populates="responses"
    )
    responses: Mapped[list[Statement]] = relationship(
        back_populates="responds_to", order_by="(Statement.date, Statement.id)"
    )
    source_links: Mapped[list[StatementSource]] = relationship(
        back_populates="statement",
        cascade="all, delete-orphan",
        order_by="StatementSource.position",
    )
    subject_links: Mapped[list[StatementSubject]] = relationship(
        back_populates="statement",
        cascade="all, delete-orphan",
        order_by="StatementSubject.position",
    )
    topic_links: Mapped[list[StatementTopic]] = relationship(
        back_populates="statement", cascade="all, delete-orphan", order_by="StatementTopic.position"
    )

    __mapper_args__ = {
        "polymorphic_on": "kind",
        "polymorphic_abstract": True,
    }


class Claim(Statement):
    __mapper_args__ = {"polymorphic_identity": "claim"}


class Denial(Statement):
    __mapper_args__ = {"polymorphic_identity": "denial"}


class Dispute(Statement):
    __mapper_args__ = {"polymorphic_identity": "dispute"}


class Endorsement(Statement):
    __mapper_args__ = {"polymorphic_identity": "endorsement"}


class Admission(Statement):
    __mapper_args__ = {"polymorphic_identity": "admission"}


class Retraction(Statement):
    __mapper_args__ = {"polymorphic_identity": "retraction"}


class FactCheck(Statement):
    __mapper_args__ = {"polymorphic_identity": "fact_check"}


STATEMENT_CLASSES: dict[str, type[Statement]] = {
    "claim": Claim,
    "denial": Denial,
    "dispute": Dispute,
    "endorsement": Endorsement,
    "admission": Admission,
    "retraction": Retraction,
    "fact_check": FactCheck,
}


class StatementSource(Base):
    __tablename__ = "statement_sources"

    statement_id: Mapped[int] = mapped_column(ForeignKey("statements.id"), primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id"), primary_key=True, index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    locator: Mapped[str | None] = mapped_column(Text)

    statement: Mapped[Statement] = relationship(back_populates="source_links")
    source: Mapped[Source] = relationship()


class StatementSubject(Base):
    __tablename__ = "statement_subjects"

    statement_id: Mapped[int] = mapped_column(ForeignKey("statements.id"), primary_key=True)
    actor_id: Mapped[int] = mapped_column(ForeignKey("actors.id"), primary_key=True, index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)

    statement: Mapped[Statement] = relationship(back_populates="subject_links")
    actor: Mapped[Actor] = relationship()


class StatementTopic(Base):
    __tablename__ = "statement_topics"

    statement_id: Mapped[int] = mapped_column(ForeignKey("statements.id"), primary_key=True)
    topic_id: Mapped[int] = mapped_column(ForeignKey("topics.id"), primary_key=True, index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)

    statement: Mapped[Statement] = relationship(back_populates="topic_links")
    topic: Mapped[Topic] = relationship()


class AuditEntry(Base):
    """One change to the record: who did what to which row, with the row before and after."""

    __tablename__ = "audit_log"
    __table_args__ = (
        Index("ix_audit_log_table_row", "table_name", "row_id"),
        CheckConstraint(
            _in("action", ("insert", "update", "delete", "restore", "merge")), name="action"
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, index=True)
    user: Mapped[str] = mapped_column(Text)
    action: Mapped[str] = mapped_column(String(16))
    table_name: Mapped[str] = mapped_column(String(64))
    row_id: Mapped[int | None] = mapped_column(Integer)
    before: Mapped[str | None] = mapped_column(Text)
    after: Mapped[str | None] = mapped_column(Text)

"""The record as SQLAlchemy 2 typed ORM classes, mapped onto the Core tables of
``factdb.store.tables`` (which declare the columns, keys and constraints).

Every speech act is a row of ``statements``; its ``kind`` picks the mapped subclass
(single-table inheritance).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import DeclarativeBase, Mapped, relationship

from factdb.store import tables
from factdb.store.tables import utcnow

__all__ = ["utcnow"]


class Base(DeclarativeBase):
    metadata = tables.metadata


class Actor(Base):
    __table__ = tables.actors

    id: Mapped[int]
    name: Mapped[str]
    name_key: Mapped[str]
    kind: Mapped[str]
    country: Mapped[str | None]
    wikidata: Mapped[str | None]
    description: Mapped[str | None]
    merged_into_id: Mapped[int | None]
    created_at: Mapped[dt.datetime]
    updated_at: Mapped[dt.datetime]

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
    merged_into: Mapped[Actor | None] = relationship(remote_side=[tables.actors.c.id])


class ActorAlias(Base):
    __table__ = tables.actor_aliases

    id: Mapped[int]
    actor_id: Mapped[int]
    alias: Mapped[str]
    alias_key: Mapped[str]

    actor: Mapped[Actor] = relationship(back_populates="aliases")


class Affiliation(Base):
    """``member`` belongs to ``organization`` (a spokesman to a ministry, a ministry to a
    state) from ``start`` to ``end``; open ends mean "always" and "still"."""

    __table__ = tables.affiliations

    id: Mapped[int]
    member_id: Mapped[int]
    organization_id: Mapped[int]
    role: Mapped[str | None]
    start_date: Mapped[dt.date | None]
    start_precision: Mapped[str | None]
    end_date: Mapped[dt.date | None]
    end_precision: Mapped[str | None]

    member: Mapped[Actor] = relationship(
        foreign_keys=[tables.affiliations.c.member_id], back_populates="memberships"
    )
    organization: Mapped[Actor] = relationship(foreign_keys=[tables.affiliations.c.organization_id])


class Source(Base):
    __table__ = tables.sources

    id: Mapped[int]
    url: Mapped[str]
    outlet: Mapped[str | None]
    title: Mapped[str | None]
    published_date: Mapped[dt.date | None]
    published_precision: Mapped[str | None]
    retrieved_date: Mapped[dt.date | None]
    archive_url: Mapped[str | None]
    created_at: Mapped[dt.datetime]
    updated_at: Mapped[dt.datetime]


class Topic(Base):
    __table__ = tables.topics

    id: Mapped[int]
    name: Mapped[str]
    name_key: Mapped[str]


class Statement(Base):
    __table__ = tables.statements

    id: Mapped[int]
    kind: Mapped[str]
    actor_id: Mapped[int]
    responds_to_id: Mapped[int | None]
    text: Mapped[str | None]
    quote: Mapped[str | None]
    lang: Mapped[str | None]
    date: Mapped[dt.date | None]
    date_precision: Mapped[str | None]
    verdict: Mapped[str | None]
    rating: Mapped[str | None]
    note: Mapped[str | None]
    ref: Mapped[str | None]
    deleted_at: Mapped[dt.datetime | None]
    created_at: Mapped[dt.datetime]
    updated_at: Mapped[dt.datetime]
    merged_into_id: Mapped[int | None]

    actor: Mapped[Actor] = relationship()
    responds_to: Mapped[Statement | None] = relationship(
        remote_side=[tables.statements.c.id],
        foreign_keys=[tables.statements.c.responds_to_id],
        back_populates="responses",
    )
    responses: Mapped[list[Statement]] = relationship(
        foreign_keys=[tables.statements.c.responds_to_id],
        back_populates="responds_to",
        order_by="(Statement.date, Statement.id)",
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
    __table__ = tables.statement_sources

    statement_id: Mapped[int]
    source_id: Mapped[int]
    position: Mapped[int]
    locator: Mapped[str | None]

    statement: Mapped[Statement] = relationship(back_populates="source_links")
    source: Mapped[Source] = relationship()


class StatementSubject(Base):
    __table__ = tables.statement_subjects

    statement_id: Mapped[int]
    actor_id: Mapped[int]
    position: Mapped[int]

    statement: Mapped[Statement] = relationship(back_populates="subject_links")
    actor: Mapped[Actor] = relationship()


class StatementTopic(Base):
    __table__ = tables.statement_topics

    statement_id: Mapped[int]
    topic_id: Mapped[int]
    position: Mapped[int]

    statement: Mapped[Statement] = relationship(back_populates="topic_links")
    topic: Mapped[Topic] = relationship()


class AuditEntry(Base):
    """One change to the record: who did what to which row, with the row before and after."""

    __table__ = tables.audit_log

    id: Mapped[int]
    at: Mapped[dt.datetime]
    user: Mapped[str]
    action: Mapped[str]
    table_name: Mapped[str]
    row_id: Mapped[int | None]
    before: Mapped[str | None]
    after: Mapped[str | None]

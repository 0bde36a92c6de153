"""Who may retract a statement, with the database's affiliations: the rule itself is
``factdb.rules.may_retract``."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from factdb import rules
from factdb.dates import PartialDate, period_end
from factdb.errors import InvalidInput
from factdb.record.statement_checks import date_of
from factdb.store.models import Actor, Affiliation, Statement


def organizations_of(session: Session, actor_id: int, when: PartialDate | None) -> set[int]:
    """Every organization ``actor_id`` belonged to at ``when``, directly or through others
    (a spokesman → a ministry → a state), by the rule of ``factdb.rules``."""

    def links(member: int) -> list[tuple[int, dt.date | None, dt.date | None]]:
        rows = session.execute(
            select(
                Affiliation.organization_id,
                Affiliation.start_date,
                Affiliation.end_date,
                Affiliation.end_precision,
            ).where(Affiliation.member_id == member)
        )
        return [
            (organization, start, None if end is None else period_end(end, precision))
            for organization, start, end, precision in rows
        ]

    return rules.organizations_at(actor_id, None if when is None else when.start, links)


def may_retract(
    session: Session, retractor: Actor, target: Statement, when: PartialDate | None
) -> bool:
    """Whether ``retractor``, speaking at ``when``, can withdraw ``target``: it is the
    author, or an affiliate of the author (``factdb.rules.may_retract``)."""
    return rules.may_retract(
        retractor.id,
        target.actor.id,
        lambda: organizations_of(session, retractor.id, when),
        lambda: organizations_of(session, target.actor.id, date_of(target)),
    )


def retraction_target(statement: Statement) -> str:
    """A statement as the retraction rule names it: ``#1 (Pakistan)``."""
    return f"#{statement.id} ({statement.actor.name})"


def check_retraction(
    session: Session,
    retractor: Actor,
    target: Statement,
    when: PartialDate | None,
    field: str = "by",
) -> None:
    if not may_retract(session, retractor, target, when):
        refused = rules.retraction_refused(retraction_target(target), retractor.name)
        raise InvalidInput.at(field, refused)

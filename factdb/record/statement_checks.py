"""What a statement write checks and finds first: its values (language tag, ref, verdict,
date) and the statement it changes or answers, by id, refusing merged and deleted ones.
Errors name the field (``lang``, ``ref``, ``verdict``, ``date``) or ``ID``."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from factdb import rules
from factdb.dates import PartialDate, parse_date
from factdb.errors import Conflict, InvalidInput, NotFound
from factdb.queries.resolve import parse_statement_id
from factdb.store.models import Statement
from factdb.text import clean_text
from factdb.vocabulary import VERDICTS


def clean_lang(value: str | None) -> str | None:
    return rules.check_lang(clean_text(value, "lang"), "lang")


def clean_ref(value: str | None) -> str | None:
    if value is None:
        return None
    return rules.check_ref(clean_text(value, "ref"), value, "ref")


def check_ref_free(session: Session, ref: str, own_id: int | None = None) -> None:
    holder = session.scalar(select(Statement.id).where(Statement.ref == ref))
    if holder is not None and holder != own_id:
        raise Conflict.at("ref", f"{ref!r} is already the ref of statement #{holder}")


def clean_verdict(value: str) -> str:
    cleaned = (clean_text(value, "verdict") or "").lower().replace("-", "_")
    if cleaned not in VERDICTS:
        raise InvalidInput.at(
            "verdict", f"{value!r} is not a verdict; use one of {', '.join(VERDICTS)}"
        )
    return cleaned


def parse_when(value: str | None) -> PartialDate | None:
    if value is None:
        return None
    return parse_date(value, "date")


def set_date(statement: Statement, date: PartialDate | None) -> None:
    statement.date = date.start if date else None
    statement.date_precision = date.precision if date else None


def date_of(statement: Statement) -> PartialDate | None:
    if statement.date is None or statement.date_precision is None:
        return None
    return PartialDate(statement.date, statement.date_precision)  # type: ignore[arg-type]


def refuse_merged(statement: Statement) -> None:
    """A duplicate merged into another statement is gone for good: point to the one kept."""
    kept = statement.merged_into_id
    if kept is not None:
        raise InvalidInput(f"ID: statement #{statement.id} was merged into #{kept}; use #{kept}")


def answerable_statement(session: Session, responds_to: int | str) -> Statement:
    number = parse_statement_id(responds_to) if isinstance(responds_to, str) else int(responds_to)
    target = session.get(Statement, number)
    if target is None:
        raise NotFound(f"ID: there is no statement #{number}")
    refuse_merged(target)
    if target.deleted_at is not None:
        raise InvalidInput(
            f"ID: statement #{number} is deleted; restore it first with `factdb restore {number}`"
        )
    return target


def existing_statement(session: Session, statement_id: int | str) -> Statement:
    """A statement by id, deleted or not."""
    number = (
        parse_statement_id(statement_id) if isinstance(statement_id, str) else int(statement_id)
    )
    statement = session.get(Statement, number)
    if statement is None:
        raise NotFound(f"ID: there is no statement #{number}")
    return statement


def live_statement(session: Session, statement_id: int | str) -> Statement:
    statement = existing_statement(session, statement_id)
    refuse_merged(statement)
    if statement.deleted_at is not None:
        raise InvalidInput(
            f"ID: statement #{statement.id} is deleted; restore it first with "
            f"`factdb restore {statement.id}`"
        )
    return statement

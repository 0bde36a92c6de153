"""Merging a duplicate statement into the one kept (``factdb statement merge``).

The duplicate's answers move to the statement kept, which also gains the duplicate's
subjects, topics and sources that it does not have yet. The duplicate itself is soft-deleted
and marked ``merged_into``, otherwise left as it was (its own links too): the record of what
was logged stays, and an old export that names it still reads as the same statement.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from factdb import rules
from factdb.dates import PartialDate
from factdb.errors import InvalidInput, NotFound
from factdb.queries.records import Record
from factdb.queries.resolve import parse_statement_id
from factdb.record.audit import audit_row
from factdb.record.retraction import may_retract, retraction_target
from factdb.record.statements import kind_label
from factdb.store.models import (
    AuditEntry,
    Statement,
    StatementSource,
    StatementSubject,
    StatementTopic,
    utcnow,
)

Link = TypeVar("Link", StatementSubject, StatementTopic, StatementSource)


@dataclass(frozen=True)
class MergeResult:
    """What a merge did: the duplicate, the statement kept, how much moved to it, and a
    warning for each answer of it dated before what it answers (``answer_dates``)."""

    merged: int
    into: int
    answers: int
    subjects: int
    topics: int
    sources: int
    warnings: tuple[str, ...] = ()

    def moved(self) -> dict[str, int]:
        return {
            "answers": self.answers,
            "subjects": self.subjects,
            "topics": self.topics,
            "sources": self.sources,
        }

    def record(self) -> Record:
        return {"merged": self.merged, "into": self.into, **self.moved()}


def merge_statements(session: Session, duplicate_id: int | str, into_id: int | str) -> MergeResult:
    """Fold statement ``duplicate_id`` into ``into_id``: its answers (deleted ones too) now
    answer the statement kept, which gains the subjects, topics and sources it lacks; the
    duplicate is soft-deleted with ``merged_into_id`` set, and a ``merge`` audit row says so.

    Refused (``InvalidInput``/``NotFound``, nothing changed): a statement into itself, a
    deleted or merged statement, statements of different kinds (a denial never merges into an
    admission), one into its own thread, answers to different statements, and a move that
    would have a retraction withdraw another actor's statement. Answers that end up dated
    before the statement kept are kept as dated, as the answer commands keep them, and named
    in ``warnings``."""
    numbers = [_number(duplicate_id, "DUPLICATE"), _number(into_id, "INTO")]
    # Lock both rows, in id order, before reading them: a concurrent merge of the two the
    # other way round (PostgreSQL) then waits for this one and finds the pair merged, instead
    # of merging each into the other.
    session.execute(
        select(Statement.id)
        .where(Statement.id.in_(sorted(set(numbers))))
        .order_by(Statement.id)
        .with_for_update()
    )
    duplicate = _statement(session, numbers[0], "DUPLICATE")
    kept = _statement(session, numbers[1], "INTO")
    _check_pair(session, duplicate, kept)
    answers = list(
        session.scalars(
            select(Statement).where(Statement.responds_to_id == duplicate.id).order_by(Statement.id)
        ).all()
    )
    _check_answers(session, answers, kept)

    with session.no_autoflush:
        for answer in answers:
            answer.responds_to = kept
        subjects = _add_links(
            kept.subject_links,
            duplicate.subject_links,
            lambda link, position: StatementSubject(actor_id=link.actor_id, position=position),
            key=lambda link: link.actor_id,
        )
        topics = _add_links(
            kept.topic_links,
            duplicate.topic_links,
            lambda link, position: StatementTopic(topic_id=link.topic_id, position=position),
            key=lambda link: link.topic_id,
        )
        sources = _add_links(
            kept.source_links,
            duplicate.source_links,
            lambda link, position: StatementSource(
                source_id=link.source_id, position=position, locator=link.locator
            ),
            key=lambda link: link.source_id,
        )
        now = utcnow()
        if subjects or topics or sources:
            kept.updated_at = now  # as an edit of its links would
        for earlier in session.scalars(
            select(Statement).where(Statement.merged_into_id == duplicate.id)
        ).all():
            earlier.merged_into_id = kept.id
        duplicate.deleted_at = now
        duplicate.merged_into_id = kept.id
    session.flush()

    result = MergeResult(
        duplicate.id, kept.id, len(answers), subjects, topics, sources, _early(answers, kept)
    )
    after = {"merged_into": kept.id, "moved": result.moved()}
    session.add(AuditEntry(**audit_row("merge", "statements", duplicate.id, None, after)))
    session.flush()
    return result


def _number(statement_id: int | str, field: str) -> int:
    if isinstance(statement_id, str):
        return parse_statement_id(statement_id, field)
    return int(statement_id)


def _statement(session: Session, number: int, field: str) -> Statement:
    statement = session.get(Statement, number)
    if statement is None:
        raise NotFound.at(field, f"there is no statement #{number}")
    if statement.merged_into_id is not None:
        raise InvalidInput.at(
            field, f"statement #{number} is already merged into #{statement.merged_into_id}"
        )
    if statement.deleted_at is not None:
        raise InvalidInput.at(
            field,
            f"statement #{number} is deleted; restore it first with `factdb restore {number}`",
        )
    return statement


def _a(kind: str) -> str:
    label = kind_label(kind)
    return f"{'an' if label[0] in 'aeiou' else 'a'} {label}"


def _ancestors(session: Session, statement: Statement) -> list[int]:
    """What ``statement`` answers, directly and through other answers, nearest first."""
    found: list[int] = []
    cursor = statement.responds_to_id
    while cursor is not None and cursor not in found:
        found.append(cursor)
        cursor = session.scalar(select(Statement.responds_to_id).where(Statement.id == cursor))
    return found


def _check_pair(session: Session, duplicate: Statement, kept: Statement) -> None:
    if duplicate.id == kept.id:
        raise InvalidInput(f"INTO: a statement cannot be merged into itself (#{kept.id})")
    if duplicate.kind != kept.kind:
        raise InvalidInput(
            f"INTO: #{duplicate.id} is {_a(duplicate.kind)} and #{kept.id} {_a(kept.kind)}; "
            "only statements of the same kind can be merged"
        )
    for field, lower, upper in (("INTO", kept, duplicate), ("DUPLICATE", duplicate, kept)):
        if upper.id in _ancestors(session, lower):
            raise InvalidInput.at(
                field,
                f"#{lower.id} is in the thread of #{upper.id} (it answers it, directly "
                "or through other answers); a statement cannot be merged into its own thread",
            )
    if duplicate.responds_to_id != kept.responds_to_id:
        raise InvalidInput(
            f"INTO: #{duplicate.id} answers #{duplicate.responds_to_id} and #{kept.id} answers "
            f"#{kept.responds_to_id}; only answers to the same statement can be merged (merge "
            "those first if they are duplicates)"
        )


def _when(statement: Statement) -> PartialDate | None:
    if statement.date is None or statement.date_precision is None:
        return None
    return PartialDate(statement.date, statement.date_precision)  # type: ignore[arg-type]


def _check_answers(session: Session, answers: Sequence[Statement], kept: Statement) -> None:
    """A retraction that moves must come from the kept statement's author or an affiliate,
    as any retraction must."""
    for answer in answers:
        if answer.deleted_at is not None:
            continue
        when = _when(answer)
        if answer.kind == "retraction" and not may_retract(session, answer.actor, kept, when):
            refused = rules.retraction_refused(retraction_target(kept), answer.actor.name)
            raise InvalidInput(f"INTO: #{answer.id} retracts the duplicate, and {refused}")


def _early(answers: Sequence[Statement], kept: Statement) -> tuple[str, ...]:
    """A warning for each live answer moved that is dated before the statement kept."""
    kept_when = _when(kept)
    found = []
    for answer in answers:
        when = _when(answer)
        if answer.deleted_at is None and rules.dated_before(when, kept_when):
            found.append(rules.early_answer(answer.id, str(when), kept.id, str(kept_when)))
    return tuple(found)


def _add_links(
    kept: list[Link],
    duplicate: Sequence[Link],
    copy: Callable[[Link, int], Link],
    *,
    key: Callable[[Link], int],
) -> int:
    """Append to ``kept`` a copy of each of the duplicate's links it lacks; the count."""
    present = {key(link) for link in kept}
    position = max((link.position for link in kept), default=-1) + 1
    added = 0
    for link in duplicate:
        if key(link) in present:
            continue
        kept.append(copy(link, position))
        present.add(key(link))
        position += 1
        added += 1
    return added

"""Answers dated before the statement they answer.

Real sources disagree on dates (time zones; a claim logged from a later report), so such an
answer is kept as given and named in a warning. The rule and its wording are
``factdb.rules.dated_before`` and ``factdb.rules.early_answer``; here, the import's summary
and the search of the database, for the answer commands, ``claim edit``, import and
``db check``.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from factdb.dates import PartialDate
from factdb.rules import dated_before, early_answer
from factdb.store.tables import statements

LINES_SHOWN = 20  # line numbers named in the import's summary


def import_summary(lines: Sequence[int]) -> str:
    """One line for every answer of an import file dated before what it answers, naming the
    first ``LINES_SHOWN`` line numbers."""
    count = len(lines)
    shown = ", ".join(str(line) for line in lines[:LINES_SHOWN])
    if count == 1:
        return f"1 answer is dated before the statement it answers (line {shown})"
    more = f" and {count - LINES_SHOWN} more" if count > LINES_SHOWN else ""
    return f"{count} answers are dated before the statement they answer (lines {shown}{more})"


def early_answers(session: Session, statement_id: int | None = None) -> list[str]:
    """A warning for each live answer dated before the live statement it answers, in answer
    id order; with ``statement_id``, only where that statement is the answer or the one
    answered (what logging or re-dating it can bring about)."""
    answer = statements.alias("answer")
    answered = statements.alias("answered")
    query = (
        select(
            answer.c.id,
            answer.c.date,
            answer.c.date_precision,
            answered.c.id,
            answered.c.date,
            answered.c.date_precision,
        )
        .join(answered, answer.c.responds_to_id == answered.c.id)
        .where(
            answer.c.deleted_at.is_(None),
            answered.c.deleted_at.is_(None),
            # ending before the other begins implies beginning before it: the query
            # narrows, the rule decides
            answer.c.date < answered.c.date,
        )
        .order_by(answer.c.id)
    )
    if statement_id is not None:
        query = query.where(or_(answer.c.id == statement_id, answered.c.id == statement_id))
    found = []
    for (
        answer_id,
        date,
        precision,
        answered_id,
        answered_date,
        answered_precision,
    ) in session.execute(query):
        when = PartialDate(date, precision)
        answered_when = PartialDate(answered_date, answered_precision)
        if dated_before(when, answered_when):
            found.append(early_answer(answer_id, str(when), answered_id, str(answered_when)))
    return found

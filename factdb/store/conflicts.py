"""Get-or-create that survives a concurrent writer adding the same row.

On PostgreSQL two transactions can both find no row and both insert it; the second insert
waits for the first to commit and then fails on the unique constraint. Inserting inside a
SAVEPOINT lets the loser roll back just that insert and read the winner's row instead, so both
commands succeed and one row exists. The insert goes through the ORM, so the audit hook
records it (and a rolled-back insert leaves no audit row). On SQLite write transactions take
the lock up front, so the race cannot happen there; the savepoint costs little.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from factdb.store.models import Base

R = TypeVar("R", bound=Base)


def find_or_create(session: Session, find: Callable[[], R | None], make: Callable[[], R]) -> R:
    """The row ``find`` returns, else a new one from ``make``, inserted and flushed; when a
    concurrent writer inserted it first, theirs."""
    existing = find()
    if existing is not None:
        return existing
    row = make()
    try:
        with session.begin_nested():
            session.add(row)
    except IntegrityError:
        winner = find()
        if winner is None:
            raise
        return winner
    return row

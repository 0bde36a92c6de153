"""Primary keys for rows written with Core ``insert()``: known before the write, so rows can
point at each other (a response at the statement it answers) in one ``executemany``.

SQLite: the import holds the write lock (``BEGIN IMMEDIATE``), so ids continue from
``max(id)``. PostgreSQL: ids come from the table's own sequence (``nextval``), so concurrent
writers never collide.
"""

from __future__ import annotations

from array import array

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from factdb.store.models import Base


class IdAllocator:
    def __init__(self, session: Session, table: str) -> None:
        self._session = session
        self._table = table
        self._postgres = session.get_bind().dialect.name == "postgresql"
        self._next = 0
        self._ranges: list[tuple[int, int]] = []
        self._sequence = ""
        if self._postgres:
            # looked up once: called in the query below, it would run once per id
            found = session.scalar(select(func.pg_get_serial_sequence(table, "id")))
            self._sequence = str(found)
        else:
            column = Base.metadata.tables[table].c.id
            self._next = int(session.scalar(select(func.coalesce(func.max(column), 0))) or 0) + 1

    def take(self, count: int) -> array[int]:
        """``count`` new ids, ascending."""
        ids: array[int] = array("q")
        if count <= 0:
            return ids
        if not self._postgres:
            ids.extend(range(self._next, self._next + count))
            self._note(self._next, self._next + count - 1)
            self._next += count
            return ids
        result = self._session.connection().execute(
            text(
                "SELECT nextval(CAST(:sequence AS regclass)) "
                "FROM generate_series(1, :count) ORDER BY 1"
            ),
            {"sequence": self._sequence, "count": count},
        )
        for (value,) in result:
            ids.append(int(value))
            self._note(ids[-1], ids[-1])
        return ids

    def one(self) -> int:
        return self.take(1)[0]

    def ranges(self) -> list[tuple[int, int]]:
        """The ids taken so far as (first, last) runs of consecutive ids."""
        return list(self._ranges)

    def _note(self, first: int, last: int) -> None:
        if self._ranges and self._ranges[-1][1] == first - 1:
            first = self._ranges.pop()[0]
        self._ranges.append((first, last))

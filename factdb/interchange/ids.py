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

from factdb.models import Base


class IdAllocator:
    def __init__(self, session: Session, table: str) -> None:
        self._session = session
        self._table = table
        self._postgres = session.get_bind().dialect.name == "postgresql"
        self._next = 0
        if not self._postgres:
            column = Base.metadata.tables[table].c.id
            self._next = int(session.scalar(select(func.coalesce(func.max(column), 0))) or 0) + 1

    def take(self, count: int) -> array[int]:
        """``count`` new ids, ascending."""
        ids: array[int] = array("q")
        if count <= 0:
            return ids
        if not self._postgres:
            ids.extend(range(self._next, self._next + count))
            self._next += count
            return ids
        result = self._session.connection().execute(
            text(
                "SELECT nextval(pg_get_serial_sequence(:table, 'id')) "
                "FROM generate_series(1, :count) ORDER BY 1"
            ),
            {"table": self._table, "count": count},
        )
        for (value,) in result:
            ids.append(int(value))
        return ids

    def one(self) -> int:
        return self.take(1)[0]

"""Records read with Core queries (``statement_records``) are the records of the ORM
objects (``statement_record``), field for field."""

from __future__ import annotations

from queries_example import load_example
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from factdb.queries.records import (
    Record,
    statement_loader_options,
    statement_record,
    statement_records,
)
from factdb.store.db import Database
from factdb.store.models import Statement
from factdb.store.tables import statements


def test_core_records_equal_the_orm_records_for_every_statement(database: Database) -> None:
    database.run(load_example, write=True)
    # a deleted statement and a fact-check's verdict are carried as well
    database.run(
        lambda session: session.execute(
            update(statements)
            .where(statements.c.id == 2)
            .values(deleted_at=statements.c.created_at)
        ),
        write=True,
    )

    def both(session: Session) -> tuple[dict[int, Record], dict[int, Record]]:
        ids = list(session.scalars(select(Statement.id).order_by(Statement.id)))
        orm = {
            item.id: statement_record(item)
            for item in session.scalars(
                select(Statement).where(Statement.id.in_(ids)).options(*statement_loader_options())
            )
        }
        return statement_records(session, ids), orm

    core, orm = database.run(both)
    assert len(core) >= 10
    assert core == orm
    assert core[2]["deleted"] is True
    assert any(
        record["sources"] and record["about"] and record["topics"] for record in core.values()
    )
    assert any(record["verdict"] for record in core.values())

"""Migration 0002 (full-text search, query indexes): statements written before it are
searchable after it, on both databases, and going back down removes what it made."""

from __future__ import annotations

from pathlib import Path

from infra_support import blank_database
from sqlalchemy import inspect, text

from factdb.queries.search import search
from factdb.store import migrate
from factdb.store.db import Database

BEFORE = (
    "INSERT INTO actors (id, name, name_key, kind, created_at, updated_at) "
    "VALUES (1, 'Aleksandar Vučić', 'aleksandar vucic', 'person', '2020-10-10', '2020-10-10')",
    "INSERT INTO statements (id, kind, actor_id, text, quote, created_at, updated_at) "
    "VALUES (1, 'claim', 1, 'Kosovo mobilized its police', 'Vučić spoke', "
    "'2020-10-10', '2020-10-10')",
)


def test_statements_from_before_the_upgrade_are_searchable(backend: str, tmp_path: Path) -> None:
    with blank_database(backend, tmp_path) as url:
        database = Database.open(url)
        migrate.upgrade(database, revision="0001", backup=False)
        with database.engine.begin() as connection:
            for statement in BEFORE:
                connection.execute(text(statement))
        migrate.upgrade(database, backup=False)  # through 0002 to head
        found = database.run(lambda s: search(s, "vucic mobilized"))
        assert [(row["id"], row["snippet"]) for row in found] == [
            (1, "Kosovo «mobilized» its police")
        ]
        migrate.downgrade(database, "0001")
        with database.engine.connect() as connection:
            names = set(inspect(connection).get_table_names())
            indexes = {index["name"] for index in inspect(connection).get_indexes("statements")}
            assert not {name for name in names if name.startswith("statements_fts")}
            assert "ix_statements_actor_kind_date" not in indexes
            if backend == "sqlite":
                triggers = connection.execute(
                    text("SELECT name FROM sqlite_master WHERE type = 'trigger'")
                ).all()
                assert triggers == []
            else:
                functions = connection.execute(
                    text("SELECT proname FROM pg_proc WHERE proname LIKE 'factdb_%'")
                ).all()
                assert functions == []
                assert "ix_statements_search" not in indexes

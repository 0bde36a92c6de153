"""Every query reads statements through an index: EXPLAIN QUERY PLAN (SQLite) of each SQL
statement each query runs never scans ``statements``, and selective filters are where the
reading starts (not the index on ``kind``, which would read every statement of a kind)."""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from queries_example import load_example
from sqlalchemy import event
from sqlalchemy.orm import Session

from factdb.queries.alignment import alignment
from factdb.queries.claim_list import list_claims
from factdb.queries.positions import positions
from factdb.queries.responses import response_query, who_denied, who_endorsed
from factdb.queries.search import search
from factdb.queries.status import statuses
from factdb.queries.timeline import timeline
from factdb.store.db import Database
from factdb.store.engine import dispose_engines

TOPIC = "Nagorno-Karabakh 2020"
# Plan lines about the statements table under any of the names the queries give it.
STATEMENTS = re.compile(r"\b(statements|response|target)\b(?!_fts)")
# Plan lines about the sources that answer rows carry (joined into the same query).
SOURCE_LINKS = re.compile(r"\b(link|source)\b")

SELECTIVE: dict[str, Callable[[Session], Any]] = {
    "who-denied --by": lambda s: who_denied(s, by="Pakistan"),
    "who-denied --by --direct": lambda s: who_denied(s, by="Pakistan", direct=True),
    "who-denied --of": lambda s: who_denied(s, of="Armenia"),
    "who-denied --about": lambda s: who_denied(s, about="Pakistan"),
    "who-denied --topic": lambda s: who_denied(s, topic=TOPIC),
    "who-denied --search": lambda s: who_denied(s, search="propaganda"),
    "who-denied ID": lambda s: who_denied(s, 1),
    "who-endorsed --by": lambda s: who_endorsed(s, by="Pakistan"),
    "responses --of": lambda s: response_query(s, of="Armenia"),
    "positions": lambda s: positions(s, 1),
    "positions --roll-up --as-of": lambda s: positions(s, 1, roll_up=True, as_of="2020-10"),
    "status": lambda s: statuses(s, [1, 3, 5]),
    "claim list --by": lambda s: list_claims(s, by="Armenia"),
    "claim list --about": lambda s: list_claims(s, about="Pakistan"),
    "claim list --topic": lambda s: list_claims(s, topic=TOPIC),
    "claim list --denied-by": lambda s: list_claims(s, denied_by="Pakistan"),
    "claim list --endorsed-by": lambda s: list_claims(s, endorsed_by="Pakistan"),
    "search": lambda s: search(s, "humanitarian truce"),
    "search --kind --by": lambda s: search(s, "truce", kind="claim", by="Armenia"),
    "timeline --topic": lambda s: timeline(s, topic=TOPIC),
    "timeline --actor": lambda s: timeline(s, actor="Pakistan"),
    "timeline --since --until": lambda s: timeline(s, since="2020-10-11", until="2020-10-12"),
    "alignment": lambda s: alignment(s, TOPIC, roll_up=True),
}
# Listings of everything of a kind: reading by the kind index is the point.
BY_KIND: dict[str, Callable[[Session], Any]] = {
    "who-denied": lambda s: who_denied(s),
    "responses": lambda s: response_query(s),
    "claim list": lambda s: list_claims(s),
    "claim list --status": lambda s: list_claims(s, status="denied"),
}


@pytest.fixture(scope="module")
def example_db(
    tmp_path_factory: pytest.TempPathFactory, sqlite_template: Path
) -> Iterator[Database]:
    path = tmp_path_factory.mktemp("plans") / "factdb.sqlite3"
    shutil.copyfile(sqlite_template, path)
    database = Database.open(str(path))
    database.run(load_example, write=True)
    yield database
    dispose_engines()


def plan_lines(
    database: Database, work: Callable[[Session], Any], about: re.Pattern[str] = STATEMENTS
) -> list[str]:
    """The plan lines ``about`` statements (or other tables) of every SELECT ``work`` runs."""
    seen: list[tuple[str, Any]] = []

    def capture(_conn: Any, _cursor: Any, sql: str, params: Any, _ctx: Any, _many: bool) -> None:
        if sql.lstrip().upper().startswith("SELECT"):
            seen.append((sql, params))

    event.listen(database.engine, "before_cursor_execute", capture)
    try:
        database.run(work)
    finally:
        event.remove(database.engine, "before_cursor_execute", capture)
    assert seen
    lines: list[str] = []
    with database.engine.connect() as connection:
        for sql, params in seen:
            for row in connection.exec_driver_sql("EXPLAIN QUERY PLAN " + sql, params):
                if about.search(row[3]):
                    lines.append(row[3])
    return lines


@pytest.mark.parametrize("name", sorted(SELECTIVE))
def test_selective_queries_start_from_their_filter(example_db: Database, name: str) -> None:
    lines = plan_lines(example_db, SELECTIVE[name])
    assert lines, name
    for line in lines:
        assert line.startswith("SEARCH "), (name, line)
        assert "ix_statements_kind_date" not in line, (name, line)


@pytest.mark.parametrize("name", sorted(BY_KIND))
def test_kind_listings_use_the_kind_index(example_db: Database, name: str) -> None:
    lines = plan_lines(example_db, BY_KIND[name])
    assert any("USING INDEX ix_statements_kind_date (kind=?)" in line for line in lines), lines
    for line in lines:
        assert line.startswith("SEARCH "), (name, line)


ANSWER_LISTINGS = {
    name: work
    for name, work in {**SELECTIVE, **BY_KIND}.items()
    if name.startswith(("who-", "responses"))
}
# Pakistan itself denied nothing, so that query reads no answer rows; its ministry did.
ANSWER_LISTINGS["who-denied --by --direct"] = lambda s: who_denied(
    s, by="Ministry of Foreign Affairs of Pakistan", direct=True
)


def test_by_alone_picks_answers_from_the_actor_index_then_reads_them_by_id(
    example_db: Database,
) -> None:
    # Pakistan rolls up dated affiliations (one search per member and period), its ministry
    # alone does not (one search)
    for work, searches in (
        (SELECTIVE["who-denied --by"], 3),
        (ANSWER_LISTINGS["who-denied --by --direct"], 1),
    ):
        lines = plan_lines(example_db, work)
        picks, reads = lines[:searches], lines[searches:]
        for line in picks:
            assert line.startswith(
                "SEARCH statements USING COVERING INDEX ix_statements_actor_kind_date "
                "(actor_id=? AND kind=?"
            ), lines
        assert reads == [
            "SEARCH response USING INTEGER PRIMARY KEY (rowid=?)",
            "SEARCH target USING INTEGER PRIMARY KEY (rowid=?)",
        ], lines


@pytest.mark.parametrize("name", sorted(ANSWER_LISTINGS))
def test_answer_rows_find_their_sources_by_index(example_db: Database, name: str) -> None:
    lines = plan_lines(example_db, ANSWER_LISTINGS[name], SOURCE_LINKS)
    assert lines == [
        "SEARCH link USING INDEX sqlite_autoindex_statement_sources_1 (statement_id=?) LEFT-JOIN",
        "SEARCH source USING INTEGER PRIMARY KEY (rowid=?) LEFT-JOIN",
    ], (name, lines)


def test_search_reads_the_full_text_index(example_db: Database) -> None:
    seen: list[tuple[str, Any]] = []

    def capture(_conn: Any, _cursor: Any, sql: str, params: Any, _ctx: Any, _many: bool) -> None:
        if "MATCH" in sql:
            seen.append((sql, params))

    event.listen(example_db.engine, "before_cursor_execute", capture)
    try:
        example_db.run(lambda s: search(s, "truce"))
        whole = [params[0] for _sql, params in seen]
        seen.clear()
        example_db.run(lambda s: search(s, "truc"))
    finally:
        event.remove(example_db.engine, "before_cursor_execute", capture)
    # the matches counted (whole words and prefixes), then the best whole words; when they
    # are all the matches, no search for prefixes follows
    assert whole == ['"truce"*', '"truce"']
    assert [params[0] for _sql, params in seen] == ['"truc"*', '"truc"', '"truc"*']
    with example_db.engine.connect() as connection:
        sql, params = seen[0]
        plan = [row[3] for row in connection.exec_driver_sql("EXPLAIN QUERY PLAN " + sql, params)]
    assert plan == [
        "SCAN statements_fts VIRTUAL TABLE INDEX 0:M3",
        "SEARCH statements USING INTEGER PRIMARY KEY (rowid=?)",
    ], plan
    for sql, params in seen[1:]:
        with example_db.engine.connect() as connection:
            plan = [
                row[3] for row in connection.exec_driver_sql("EXPLAIN QUERY PLAN " + sql, params)
            ]
        # the newest matches come from the FTS index in rowid order (no sort, no ranking of
        # everything); only the best of them are looked up in statements
        assert plan == [
            "MATERIALIZE anon_1",
            "CO-ROUTINE anon_2",
            "SCAN statements_fts VIRTUAL TABLE INDEX 192:M3",
            "SCAN anon_2",
            "USE TEMP B-TREE FOR ORDER BY",
            "SCAN anon_1",
            "SEARCH statements USING INTEGER PRIMARY KEY (rowid=?)",
            "USE TEMP B-TREE FOR ORDER BY",
        ], plan

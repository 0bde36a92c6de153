"""Export → import into an empty database → export gives the same bytes: on SQLite, on
PostgreSQL, and from one to the other."""

from __future__ import annotations

import io
import json
import shutil
from collections.abc import Callable, Iterator
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.orm import Session

from factdb.errors import NotFound
from factdb.interchange import export_jsonl, import_jsonl
from factdb.record.statements import add_claim, add_response, delete_statement
from factdb.store.db import Database
from factdb.store.engine import dispose_engines

EXAMPLE = resources.files("factdb") / "data" / "nagorno-karabakh-2020.jsonl"
TABLES = (
    "audit_log",
    "statement_sources",
    "statement_subjects",
    "statement_topics",
    "statements",
    "topics",
    "sources",
    "affiliations",
    "actor_aliases",
    "actors",
)


def wipe(database: Database) -> None:
    with database.engine.begin() as connection:
        for table in TABLES:
            connection.execute(text(f'DELETE FROM "{table}"'))


def load(database: Database, data: str) -> None:
    database.run(lambda s: import_jsonl(s, data.splitlines(keepends=True)), write=True)


def export(database: Database, **filters: str) -> str:
    out = io.StringIO()
    database.run(lambda s: export_jsonl(s, out, **filters))
    return out.getvalue()


def rich_data(database: Database) -> None:
    """The worked example plus what only the logging commands make: statements without a
    ref (exported as s<id>, one of them colliding with an explicit ref), a deleted claim, a
    deleted claim that a live answer still points at, and text that needs escaping."""
    load(database, EXAMPLE.read_text(encoding="utf-8"))

    def more(session: Session) -> None:
        add_claim(session, "Explicitly s20", by="Armenia", ref="s20")
        loose = add_claim(
            session,
            'Quotes " and \\ and\nnewlines, Əliyev, 中文',
            by="Ilham Aliyev",
            sources=["https://example.org/x?b=2&a=1"],
            about=["Armenia"],
        )
        add_response(session, "denial", loose.id, by="Armenia", quote="no")
        gone = add_claim(session, "Deleted leaf", by="Pakistan", ref="gone")
        delete_statement(session, gone.id)

    database.run(more, write=True)
    load(
        database,
        '{"factdb": 1}\n'
        '{"type": "statement", "ref": "doomed", "kind": "claim", "by": "Pakistan", '
        '"text": "Later withdrawn", "deleted": true}\n'
        '{"type": "statement", "ref": "still-here", "kind": "dispute", "by": "Armenia", '
        '"responds_to": "doomed"}\n',
    )


def test_round_trip_gives_the_same_bytes(database: Database) -> None:
    load(database, EXAMPLE.read_text(encoding="utf-8"))
    first = export(database)
    wipe(database)
    load(database, first)
    assert export(database) == first
    # and the example comes back line for line (its own key order aside)
    assert first.splitlines()[0] == '{"factdb": 1}'
    assert len(first.splitlines()) == 36


def test_refless_and_deleted_statements_round_trip(database: Database) -> None:
    rich = Database.open(database.url.render_as_string(hide_password=False))
    rich_data(rich)
    first = export(rich)
    lines = first.splitlines()
    assert any('"ref": "s19"' in line for line in lines)
    assert any('"ref": "s20.2", "kind": "denial"' in line for line in lines)
    assert any('"ref": "doomed"' in line and '"deleted": true' in line for line in lines)
    assert not any('"ref": "gone"' in line for line in lines)
    wipe(rich)
    load(rich, first)
    assert export(rich) == first


def test_reimporting_an_export_into_its_own_database_changes_nothing(
    database: Database, snapshot: Callable[[], dict[str, Any]]
) -> None:
    rich_data(database)
    exported = export(database)
    before = snapshot()
    result = database.run(lambda s: import_jsonl(s, exported.splitlines(keepends=True)), write=True)
    assert result.statements.created == 0
    assert snapshot() == before


def test_an_s_ref_that_is_another_statement_here_is_new(database: Database) -> None:
    load(database, EXAMPLE.read_text(encoding="utf-8"))
    database.run(lambda s: add_claim(s, "Mine, without a ref", by="Armenia"), write=True)
    other = (
        '{"factdb": 1}\n'
        '{"type": "statement", "ref": "s18", "kind": "claim", "by": "Armenia", '
        '"text": "Theirs, from another database"}\n'
    )
    result = database.run(lambda s: import_jsonl(s, other.splitlines()), write=True)
    assert (result.statements.created, result.statements.unchanged) == (1, 0)
    assert export(database).splitlines()[-2:] == [
        '{"type": "statement", "ref": "s18.2", "kind": "claim", "by": "Armenia", '
        '"text": "Mine, without a ref"}',
        '{"type": "statement", "ref": "s18", "kind": "claim", "by": "Armenia", '
        '"text": "Theirs, from another database"}',
    ]


def test_filtered_export_carries_what_it_needs(database: Database) -> None:
    load(database, EXAMPLE.read_text(encoding="utf-8"))
    part = export(database, by="Pakistan Foreign Office")
    refs = [line for line in part.splitlines() if '"type": "statement"' in line]
    # its own two statements, plus the claim its denial answers
    assert [line.split('"ref": "')[1].split('"')[0] for line in refs] == [
        "nk-special-forces",
        "nk-special-forces-rejected",
        "nk-pakistan-self-defence",
    ]
    actors = [
        line.split('"name": "')[1].split('"')[0]
        for line in part.splitlines()
        if '"type": "actor"' in line
    ]
    assert actors == [
        "Armenia",
        "Azerbaijan",
        "Pakistan",
        "Nikol Pashinyan",
        "Ministry of Foreign Affairs of Pakistan",
    ]
    wipe(database)
    load(database, part)
    assert export(database) == part


def test_export_filters_by_topic_and_date(database: Database) -> None:
    load(database, EXAMPLE.read_text(encoding="utf-8"))
    by_topic = export(database, topic="nagorno-karabakh 2020")
    assert sum('"type": "statement"' in line for line in by_topic.splitlines()) == 17
    october_17 = export(database, since="2020-10-17", until="2020-10-17")
    refs = [
        line.split('"ref": "')[1].split('"')[0]
        for line in october_17.splitlines()
        if '"type": "statement"' in line
    ]
    # the day's statements, and the claims they answer (from 2020-10 and 2020-10-10)
    assert refs == [
        "nk-special-forces",
        "nk-special-forces-rejected",
        "nk-pakistan-self-defence",
        "nk-ganja-strike",
        "nk-moscow-ceasefire",
        "nk-humanitarian-truce",
        "nk-humanitarian-truce-azerbaijan",
        "nk-lavrov-mediation",
    ]
    # the library names the field; ``factdb export`` shows its flag (--topic)
    with pytest.raises(NotFound, match=r"^topic: there is no topic called 'Elsewhere'"):
        export(database, topic="Elsewhere")


@pytest.fixture
def both(
    pg_database_url: str, sqlite_template: Path, tmp_path: Path
) -> Iterator[tuple[Database, Database]]:
    """An empty SQLite file and an empty PostgreSQL database, (sqlite, postgres)."""
    path = tmp_path / "cross.sqlite3"
    shutil.copyfile(sqlite_template, path)
    postgres = Database.open(pg_database_url)
    wipe(postgres)
    try:
        yield Database.open(str(path)), postgres
    finally:
        wipe(postgres)
        dispose_engines()


def test_round_trip_across_backends(both: tuple[Database, Database]) -> None:
    sqlite, postgres = both
    rich_data(sqlite)
    from_sqlite = export(sqlite)
    load(postgres, from_sqlite)
    from_postgres = export(postgres)
    assert from_postgres == from_sqlite
    wipe(sqlite)
    load(sqlite, from_postgres)
    assert export(sqlite) == from_sqlite


def many_statements(count: int) -> str:
    """``count`` statements over several import batches (COPY batches on PostgreSQL), with
    text that COPY's text format must escape (tabs, newlines, backslashes, a literal \\N)."""
    hard = ("tab\there", "line\nbreak", "back\\slash", "\\N", "Ağdam “quoted”", "end\\")
    lines = [
        '{"factdb": 1}',
        '{"type": "actor", "name": "Armenia", "kind": "state", "country": "AM"}',
        '{"type": "actor", "name": "Azerbaijan", "kind": "state", "country": "AZ"}',
    ]
    for n in range(count):
        record: dict[str, Any] = {
            "type": "statement",
            "ref": f"big-{n}",
            "kind": "claim" if n % 3 == 0 else ("denial", "fact_check")[n % 2],
            "by": ("Armenia", "Azerbaijan")[n % 2],
            "text": f"statement {n}: {hard[n % len(hard)]}",
            "date": f"2020-{n % 12 + 1:02d}",
            "topics": [f"Topic {n % 7}"],
            "sources": [{"url": f"https://example.org/{n // 2}", "locator": hard[n % 6]}],
        }
        if n % 3:
            record["responds_to"] = f"big-{n - n % 3}"
        if record["kind"] == "fact_check":
            record["verdict"] = "mixed"
        if n % 5 == 0:
            record["quote"] = hard[(n + 1) % len(hard)]
            record["lang"] = "hy"
        lines.append(json.dumps(record, ensure_ascii=False))
    return "\n".join(lines) + "\n"


def test_a_large_import_exports_the_same_bytes_on_both_databases(
    both: tuple[Database, Database], monkeypatch: pytest.MonkeyPatch
) -> None:
    """2,500 statements (three batches of a thousand on both): PostgreSQL's COPY path, with
    its batches sent by a thread of their own and its indexes and keys built after the load,
    and SQLite's path give the same export, which imports back to itself."""
    from factdb.interchange import bulk

    monkeypatch.setattr(bulk, "COPY_BATCH", bulk.BATCH)
    sqlite, postgres = both
    data = many_statements(2500)
    load(sqlite, data)
    load(postgres, data)
    from_sqlite = export(sqlite)
    assert len(from_sqlite.splitlines()) == 1 + 2 + 1250 + 2500
    assert export(postgres) == from_sqlite
    wipe(postgres)
    load(postgres, from_sqlite)
    assert export(postgres) == from_sqlite

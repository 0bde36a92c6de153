"""``factdb statement merge``: a duplicate's answers and links move to the statement kept,
every answer and audit row survives, refusals change nothing, and history, show, restore,
export and import all know about the merge. Migration 0003 goes up and down."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import Cli, _truncate_all
from infra_support import blank_database
from sqlalchemy import func, inspect, select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from test_interchange_roundtrip import export, wipe
from test_robustness_concurrency import race

from factdb.cli.history import change_summary
from factdb.errors import InvalidInput
from factdb.interchange import import_jsonl
from factdb.queries.search import search
from factdb.record.actors import add_actor
from factdb.record.merging import MergeResult, merge_statements
from factdb.record.statements import add_claim, add_response, delete_statement
from factdb.store import migrate
from factdb.store.db import Database
from factdb.store.engine import dispose_engines
from factdb.store.models import (
    AuditEntry,
    Statement,
    StatementSource,
    StatementSubject,
    StatementTopic,
)
from factdb.store.schema import HEAD_REVISION

Snapshot = Callable[[], dict[str, list[tuple[Any, ...]]]]
NK = "Nagorno-Karabakh 2020"
DAWN = "https://www.dawn.com/news/1584174"
ARMENPRESS = "https://armenpress.am/eng/news/1029845"


def write(database: Database, work: Callable[[Session], Any]) -> Any:
    return database.run(work, write=True)


@pytest.fixture
def record(database: Database) -> Database:
    """Two reports of one claim (#1 kept, #2 its duplicate) and the answers around them:

    #1 claim by Pashinyan (2020-10): denied by #6, admitted by #7 (2020-10-02)
    #2 claim by Armenia (2020-10-05): denied by #3 (endorsed by #4), disputed by #5 (deleted)
    #8 denies the denial #3; #9 is India's claim, retracted by India in #10.
    """

    def work(session: Session) -> None:
        add_actor(session, "Pakistan", "state", country="PK")
        add_actor(session, "Armenia", "state", country="AM")
        add_actor(session, "India", "state", country="IN")
        add_actor(session, "Nikol Pashinyan", "person", member_of="Armenia", start="2018-05")
        add_claim(
            session,
            "Pakistani special forces are fighting alongside the Azerbaijani army",
            by="Nikol Pashinyan",
            date="2020-10",
            about=["Pakistan"],
            topics=[NK],
            sources=[(DAWN, "para. 4")],
            ref="nk-forces",
        )
        add_claim(
            session,
            "Pakistani special forces fight beside Azerbaijan's army",
            by="Armenia",
            date="2020-10-05",
            about=["Pakistan", "India"],
            topics=[NK, "Pakistan"],
            sources=[DAWN, ARMENPRESS],
            ref="nk-forces-2",
        )
        add_response(session, "denial", 2, by="Pakistan", date="2020-10-06", ref="nk-denied")
        add_response(session, "endorsement", 3, by="India", date="2020-10-07")
        add_response(session, "dispute", 2, by="India", date="2020-10-08")
        delete_statement(session, 5)
        add_response(session, "denial", 1, by="Pakistan", date="2020-10-10")
        add_response(session, "admission", 1, by="Pakistan", date="2020-10-02")
        add_response(session, "denial", 3, by="Armenia", date="2020-10-09")
        add_claim(session, "Pakistani troops fight in Karabakh", by="India", date="2020-10")
        add_response(session, "retraction", 9, by="India", date="2020-10-12")

    write(database, work)
    return database


def counts(database: Database) -> dict[str, Any]:
    """What a merge must keep: rows per table, the answers of #1 and #2, the links of #1."""
    with database.session() as session:

        def links(model: Any, column: Any) -> list[Any]:
            return list(
                session.scalars(
                    select(column).where(model.statement_id == 1).order_by(model.position)
                )
            )

        return {
            "rows": {
                model.__table__.name: session.scalar(select(func.count()).select_from(model))
                for model in (Statement, StatementSubject, StatementTopic, StatementSource)
            },
            "audit": list(
                session.execute(select(AuditEntry.id, AuditEntry.action, AuditEntry.after))
            ),
            "answers": {
                target: sorted(
                    session.scalars(select(Statement.id).where(Statement.responds_to_id == target))
                )
                for target in (1, 2)
            },
            "subjects": links(StatementSubject, StatementSubject.actor_id),
            "topics": links(StatementTopic, StatementTopic.topic_id),
            "sources": list(
                session.execute(
                    select(StatementSource.source_id, StatementSource.locator)
                    .where(StatementSource.statement_id == 1)
                    .order_by(StatementSource.position)
                )
            ),
        }


# ----------------------------------------------------------------------------- library


def test_merge_keeps_every_answer_link_and_audit_row(record: Database) -> None:
    before = counts(record)
    assert before["answers"] == {1: [6, 7], 2: [3, 5]}
    assert (before["subjects"], before["topics"], before["sources"]) == (
        [1],
        [1],
        [(1, "para. 4")],
    )

    result = write(record, lambda s: merge_statements(s, 2, "#1"))

    assert result == MergeResult(merged=2, into=1, answers=2, subjects=1, topics=1, sources=1)
    after = counts(record)
    # the deleted dispute #5 moves too, so that restoring it later finds a live statement
    assert after["answers"] == {1: [3, 5, 6, 7], 2: []}
    assert after["subjects"] == [1, 3]  # Pakistan, then India
    assert after["topics"] == [1, 2]  # Nagorno-Karabakh 2020, then Pakistan
    assert after["sources"] == [(1, "para. 4"), (2, None)]  # Dawn keeps #1's locator
    # one new link row per link #1 lacked; no statement row is lost
    assert after["rows"] == {
        "statements": before["rows"]["statements"],
        "statement_subjects": before["rows"]["statement_subjects"] + 1,
        "statement_topics": before["rows"]["statement_topics"] + 1,
        "statement_sources": before["rows"]["statement_sources"] + 1,
    }
    # every audit row is still there, unchanged, followed by the merge's own
    assert after["audit"][: len(before["audit"])] == before["audit"]
    with record.session() as session:
        added = session.execute(
            select(AuditEntry.action, AuditEntry.table_name, AuditEntry.row_id).where(
                AuditEntry.id > before["audit"][-1][0]
            )
        ).all()
        duplicate = session.get(Statement, 2)
        assert duplicate is not None
        assert duplicate.merged_into_id == 1 and duplicate.deleted_at is not None
        # the duplicate itself is left as it was logged, links included
        assert [link.actor_id for link in duplicate.subject_links] == [1, 3]
        merge_row = session.scalars(select(AuditEntry).where(AuditEntry.action == "merge")).one()
    assert sorted(tuple(row) for row in added) == [
        ("delete", "statements", 2),
        ("insert", "statement_sources", 1),
        ("insert", "statement_subjects", 1),
        ("insert", "statement_topics", 1),
        ("merge", "statements", 2),
        ("update", "statements", 1),  # its updated_at: its links changed
        ("update", "statements", 3),  # the answers now answer #1
        ("update", "statements", 5),
    ]
    assert tuple(added[-1]) == ("merge", "statements", 2)
    assert merge_row.before is None
    assert json.loads(merge_row.after or "") == {
        "merged_into": 1,
        "moved": {"answers": 2, "subjects": 1, "topics": 1, "sources": 1},
    }


def test_links_the_kept_statement_has_already_are_not_repeated(record: Database) -> None:
    write(record, lambda s: merge_statements(s, 2, 1))
    write(record, lambda s: add_claim(s, "Same again", by="Armenia", about=["India"], topics=[NK]))
    result = write(record, lambda s: merge_statements(s, 11, 1))
    assert (result.answers, result.subjects, result.topics, result.sources) == (0, 0, 0, 0)
    assert counts(record)["subjects"] == [1, 3]


def test_a_statement_merged_into_one_that_is_merged_later_follows_it(record: Database) -> None:
    write(record, lambda s: add_claim(s, "A third report", by="Armenia", date="2020-10"))
    write(record, lambda s: merge_statements(s, 2, 1))
    write(record, lambda s: merge_statements(s, 1, 11))
    with record.session() as session:
        merged = dict(
            session.execute(
                select(Statement.id, Statement.merged_into_id).where(
                    Statement.merged_into_id.is_not(None)
                )
            ).all()
        )
        answers = sorted(
            session.scalars(select(Statement.id).where(Statement.responds_to_id == 11))
        )
    assert merged == {1: 11, 2: 11}
    assert answers == [3, 5, 6, 7]


# ----------------------------------------------------------------------------- refusals


@pytest.mark.parametrize(
    ("args", "line"),
    [
        (("1", "#1"), "INTO: a statement cannot be merged into itself (#1)"),
        (
            ("6", "7"),
            "INTO: #6 is a denial and #7 an admission; only statements of the same kind can "
            "be merged",
        ),
        (
            ("3", "1"),
            "INTO: #3 is a denial and #1 a claim; only statements of the same kind can be merged",
        ),
        (
            ("5", "4"),
            "DUPLICATE: statement #5 is deleted; restore it first with `factdb restore 5`",
        ),
        (
            ("8", "3"),
            "DUPLICATE: #8 is in the thread of #3 (it answers it, directly or through other "
            "answers); a statement cannot be merged into its own thread",
        ),
        (
            ("3", "8"),
            "INTO: #8 is in the thread of #3 (it answers it, directly or through other "
            "answers); a statement cannot be merged into its own thread",
        ),
        (
            ("6", "3"),
            "INTO: #6 answers #1 and #3 answers #2; only answers to the same statement can be "
            "merged (merge those first if they are duplicates)",
        ),
        (
            ("9", "1"),
            "INTO: #10 retracts the duplicate, and only the author of #1 (Nikol Pashinyan) or "
            "an actor affiliated with it can retract it; India is neither",
        ),
        (("99", "1"), "DUPLICATE: there is no statement #99"),
        (("1", "0"), "INTO: '0' is not a statement id (use 12 or #12)"),
    ],
)
def test_refusals_are_one_line_and_change_nothing(
    record: Database, cli: Cli, snapshot: Snapshot, args: tuple[str, str], line: str
) -> None:
    before = snapshot()
    result = cli("statement", "merge", *args)
    assert (result.exit_code, result.stdout, result.stderr) == (1, "", f"error: {line}\n")
    assert snapshot() == before


def test_a_merged_statement_cannot_be_merged_again_nor_kept(
    record: Database, cli: Cli, snapshot: Snapshot
) -> None:
    cli.ok("statement", "merge", "2", "1")
    before = snapshot()
    for args, line in (
        (("2", "1"), "DUPLICATE: statement #2 is already merged into #1"),
        (("9", "2"), "INTO: statement #2 is already merged into #1"),
    ):
        result = cli("statement", "merge", *args)
        assert (result.exit_code, result.stdout, result.stderr) == (1, "", f"error: {line}\n")
    assert snapshot() == before


def test_the_library_raises_invalid_input(record: Database) -> None:
    with pytest.raises(InvalidInput, match=r"^INTO: a statement cannot be merged into itself"):
        write(record, lambda s: merge_statements(s, 2, 2))


@pytest.fixture
def two_reports(pg_database_url: str) -> Iterator[Database]:
    """Two reports of one claim on PostgreSQL, where two merges can run at once."""
    _truncate_all(pg_database_url)
    database = Database.open(pg_database_url)

    def work(session: Session) -> None:
        add_actor(session, "Armenia", "state")
        add_claim(session, "Pakistani forces fight in Karabakh", by="Armenia")
        add_claim(session, "Pakistani troops fight in Karabakh", by="Armenia")

    write(database, work)
    yield database
    dispose_engines()


def test_merging_two_statements_into_each_other_at_once_merges_one(
    two_reports: Database,
) -> None:
    outcome = race(
        two_reports,
        lambda s: merge_statements(s, 1, 2),
        lambda s: merge_statements(s, 2, 1),
    )
    # the second waits for the first's locks, then finds #1 merged: no circle, #2 stays
    assert "value" not in outcome
    assert str(outcome["error"]) == "INTO: statement #1 is already merged into #2"
    with two_reports.session() as session:
        rows = session.execute(
            select(Statement.id, Statement.merged_into_id, Statement.deleted_at.is_(None))
        ).all()
    assert sorted(tuple(row) for row in rows) == [(1, 2, False), (2, None, True)]


# ----------------------------------------------------------------------------- command line


def test_merge_command_prints_what_moved(record: Database, cli: Cli) -> None:
    result = cli.ok("statement", "merge", "#2", "1")
    assert result.stdout == (
        "Merged statement #2 into #1: moved 2 answers, 1 subject, 1 topic, 1 source.\n"
    )
    assert result.stderr == ""


def test_merge_command_json(record: Database, cli: Cli) -> None:
    assert cli.json("statement", "merge", "2", "#1") == {
        "merged": 2,
        "into": 1,
        "answers": 2,
        "subjects": 1,
        "topics": 1,
        "sources": 1,
        "warnings": [],
    }


def test_an_answer_that_moves_before_the_kept_statement_is_kept_with_a_warning(
    record: Database, cli: Cli
) -> None:
    result = cli.ok("statement", "merge", "1", "2")
    line = "#7 (2020-10-02) is dated before #2 (2020-10-05), which it answers"
    assert result.stderr == f"warning: {line}\n"
    assert result.stdout == (
        "Merged statement #1 into #2: moved 2 answers, 0 subjects, 0 topics, 0 sources.\n"
    )
    with record.session() as session:
        moved = session.get(Statement, 7)
        assert moved is not None and moved.responds_to_id == 2


def test_merge_json_carries_the_warnings(record: Database, cli: Cli) -> None:
    assert cli.json("statement", "merge", "1", "2")["warnings"] == [
        "#7 (2020-10-02) is dated before #2 (2020-10-05), which it answers"
    ]


def test_merge_help_has_an_example(cli: Cli) -> None:
    shown = cli.ok("statement", "merge", "--help").stdout
    assert "Example: factdb statement merge 12 7" in shown
    assert "DUPLICATE" in shown and "INTO" in shown


def test_history_shows_the_merge(record: Database, cli: Cli) -> None:
    cli.ok("statement", "merge", "2", "1")
    rows = cli.json("history", "1")
    merges = [row for row in rows if row["action"] == "merge"]
    assert [(row["table"], row["row_id"], row["after"]) for row in merges] == [
        (
            "statements",
            2,
            {
                "merged_into": 1,
                "moved": {"answers": 2, "sources": 1, "subjects": 1, "topics": 1},
            },
        )
    ]
    # the kept statement's history holds the duplicate's rows: its insert and its deletion
    assert ("insert", 2) in [(row["action"], row["row_id"]) for row in rows]
    assert ("delete", 2) in [(row["action"], row["row_id"]) for row in rows]
    assert change_summary(merges[0]) == "into #1; moved answers 2, sources 1, subjects 1, topics 1"
    assert [row["id"] for row in cli.json("history", "2")] == [
        row["id"] for row in rows if row["row_id"] == 2
    ]


def test_show_restore_and_answering_a_merged_statement_point_to_the_kept_one(
    record: Database, cli: Cli, snapshot: Snapshot
) -> None:
    cli.ok("statement", "merge", "2", "1")
    before = snapshot()
    for args, line in (
        (("show", "2"), "ID: statement #2 was merged into #1; use #1"),
        (("show", "2", "--include-deleted"), "ID: statement #2 was merged into #1; use #1"),
        (
            ("restore", "2"),
            "ID: statement #2 was merged into #1 and cannot be restored; its answers and links "
            "are on that statement now",
        ),
        (("deny", "2", "--by", "India"), "ID: statement #2 was merged into #1; use #1"),
        (("claim", "edit", "2", "--note", "x"), "ID: statement #2 was merged into #1; use #1"),
        (("delete", "2"), "ID: statement #2 was merged into #1; use #1"),
    ):
        result = cli(*args)
        assert (result.exit_code, result.stdout, result.stderr) == (1, "", f"error: {line}\n")
    assert snapshot() == before
    thread = cli.json("show", "1")["statement"]
    assert [answer["id"] for answer in thread["responses"]] == [7, 3, 6]


# ----------------------------------------------------------------------------- interchange


def load(database: Database, data: str) -> dict[str, tuple[int, int]]:
    result = write(database, lambda s: import_jsonl(s, data.splitlines(keepends=True)))
    return {row["type"]: (row["created"], row["unchanged"]) for row in result.rows()}


def test_export_leaves_the_duplicate_out_and_round_trips(record: Database) -> None:
    write(record, lambda s: merge_statements(s, 2, 1))
    first = export(record)
    statements = [json.loads(line) for line in first.splitlines() if '"statement"' in line]
    refs = [line["ref"] for line in statements]
    assert "nk-forces-2" not in refs
    assert refs == ["nk-forces", "nk-denied", "s4", "s6", "s7", "s8", "s9", "s10"]
    kept = statements[0]
    assert (kept["about"], kept["topics"]) == (["Pakistan", "India"], [NK, "Pakistan"])
    assert kept["sources"] == [{"url": DAWN, "locator": "para. 4"}, ARMENPRESS]
    assert statements[1]["responds_to"] == "nk-forces"
    wipe(record)
    load(record, first)
    assert export(record) == first


def test_an_old_file_naming_the_merged_statement_imports_into_the_kept_one(
    record: Database, snapshot: Snapshot
) -> None:
    old = export(record)
    assert '"ref": "nk-forces-2"' in old
    write(record, lambda s: merge_statements(s, 2, 1))
    before = snapshot()
    # the old file again: nothing is created, nothing changes (#1 lists fewer links in it)
    assert load(record, old)["statement"] == (0, 9)
    assert snapshot() == before

    # a new answer to the merged ref, in the old file and on its own, attaches to #1
    answer = (
        '{"type": "statement", "ref": "%s", "kind": "dispute", "by": "India", '
        '"responds_to": "%s", "date": "2020-10-20"}\n'
    )
    assert load(record, old + answer % ("in-file", "nk-forces-2"))["statement"] == (1, 9)
    header = '{"factdb": 1}\n'
    assert load(record, header + answer % ("by-ref", "nk-forces-2"))["statement"] == (1, 0)
    assert load(record, header + answer % ("by-id", "#2"))["statement"] == (1, 0)
    with record.session() as session:
        targets = dict(
            session.execute(
                select(Statement.ref, Statement.responds_to_id).where(
                    Statement.ref.in_(("in-file", "by-ref", "by-id"))
                )
            ).all()
        )
        total = session.scalar(select(func.count()).select_from(Statement))
    assert targets == {"in-file": 1, "by-ref": 1, "by-id": 1}
    assert total == 13


def test_an_old_line_that_differs_from_the_merged_statement_is_still_refused(
    record: Database, snapshot: Snapshot
) -> None:
    write(record, lambda s: merge_statements(s, 2, 1))
    before = snapshot()
    line = (
        '{"factdb": 1}\n{"type": "statement", "ref": "nk-forces-2", "kind": "claim", '
        '"by": "Armenia", "text": "Something else"}\n'
    )
    with pytest.raises(InvalidInput, match=r"^line 2: text: the statement 'nk-forces-2' \(#2\)"):
        load(record, line)
    assert snapshot() == before


def test_a_new_answer_to_the_merged_ref_dated_before_the_kept_one_is_named(
    database: Database,
) -> None:
    def work(session: Session) -> None:
        add_actor(session, "Armenia", "state")
        add_actor(session, "Pakistan", "state")
        add_claim(session, "Later report", by="Armenia", date="2020-10-10", ref="later")
        add_claim(session, "Earlier report", by="Armenia", date="2020-10-01", ref="earlier")

    write(database, work)
    old = export(database)
    write(database, lambda s: merge_statements(s, 2, 1))
    answer = (
        '{"type": "statement", "ref": "d1", "kind": "denial", "by": "Pakistan", '
        '"responds_to": "earlier", "date": "2020-10-05"}\n'
    )
    # after 2020-10-01, the merged line's date, but before #1's: it answers #1
    result = write(database, lambda s: import_jsonl(s, (old + answer).splitlines()))
    assert result.warnings == ["1 answer is dated before the statement it answers (line 6)"]
    with database.session() as session:
        denial = session.scalars(select(Statement).where(Statement.ref == "d1")).one()
        assert denial.responds_to_id == 1


def test_an_old_export_of_statements_without_refs_imports_into_the_kept_one(
    database: Database, snapshot: Snapshot
) -> None:
    def work(session: Session) -> None:
        add_actor(session, "Armenia", "state")
        add_actor(session, "Pakistan", "state")
        add_claim(session, "Pakistani forces fight", by="Armenia", about=["Pakistan"])
        add_claim(session, "Pakistani troops fight", by="Armenia", topics=[NK])
        add_response(session, "denial", 2, by="Pakistan")

    write(database, work)
    old = export(database)
    assert '"ref": "s2"' in old and '"responds_to": "s2"' in old
    write(database, lambda s: merge_statements(s, 2, 1))
    before = snapshot()
    assert load(database, old)["statement"] == (0, 3)
    assert snapshot() == before


# ----------------------------------------------------------------------------- migration


def test_migration_0003_up_and_down_keeps_full_text_search(backend: str, tmp_path: Path) -> None:
    with blank_database(backend, tmp_path) as url:
        database = Database.open(url)
        migrate.upgrade(database, revision="0002", backup=False)
        with database.engine.begin() as connection:
            connection.execute(
                text(
                    "INSERT INTO actors (id, name, name_key, kind, created_at, updated_at) "
                    "VALUES (1, 'Armenia', 'armenia', 'state', '2020-10-10', '2020-10-10')"
                )
            )
            connection.execute(
                text(
                    "INSERT INTO statements (id, kind, actor_id, text, created_at, updated_at) "
                    "VALUES (1, 'claim', 1, 'Mercenaries arrived', '2020-10-10', '2020-10-10')"
                )
            )
        migrate.upgrade(database, backup=False)
        assert migrate.current(database) == HEAD_REVISION
        with database.engine.connect() as connection:
            columns = {c["name"] for c in inspect(connection).get_columns("statements")}
            keys = inspect(connection).get_foreign_keys("statements")
        assert "merged_into_id" in columns
        assert (["merged_into_id"], "statements") in [
            (k["constrained_columns"], k["referred_table"]) for k in keys
        ]
        # a statement cannot be merged into itself, whatever writes it
        with pytest.raises(IntegrityError), database.engine.begin() as connection:
            connection.execute(text("UPDATE statements SET merged_into_id = id"))
        write(database, lambda s: add_claim(s, "Mercenaries left", by="Armenia"))
        found = database.run(lambda s: search(s, "mercenaries"))
        assert sorted(row["id"] for row in found) == [1, 2]

        migrate.downgrade(database, "0002")
        with database.engine.connect() as connection:
            columns = {c["name"] for c in inspect(connection).get_columns("statements")}
            if backend == "sqlite":
                triggers = connection.execute(
                    text("SELECT count(*) FROM sqlite_master WHERE type = 'trigger'")
                ).scalar()
                assert triggers == 3
            rows = connection.execute(text("SELECT id, text FROM statements ORDER BY id")).all()
        assert "merged_into_id" not in columns
        assert [tuple(row) for row in rows] == [(1, "Mercenaries arrived"), (2, "Mercenaries left")]
        migrate.upgrade(database, backup=False)
        assert migrate.model_differences(database) == []

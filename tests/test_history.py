"""The audit trail: a row for every insert, update, soft delete, restore and cascade, and
``factdb history`` reading it back by statement, actor and date."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from conftest import Cli
from sqlalchemy.orm import Session

from factdb.cli.common import flagged
from factdb.errors import InvalidInput, NotFound
from factdb.record.actors import add_actor
from factdb.record.history import history
from factdb.record.statements import (
    add_claim,
    add_response,
    delete_statement,
    edit_statement,
    restore_statement,
)
from factdb.store.db import Database

Snapshot = Callable[[], dict[str, list[tuple[Any, ...]]]]


def write(database: Database, work: Callable[[Session], Any]) -> Any:
    return database.run(work, write=True)


def read(database: Database, **filters: Any) -> list[dict[str, Any]]:
    return list(database.run(lambda s: history(s, **filters)))


def actions(records: list[dict[str, Any]]) -> list[tuple[str, str, int | None]]:
    return [(r["action"], r["table"], r["row_id"]) for r in records]


@pytest.fixture
def logged(database: Database, monkeypatch: pytest.MonkeyPatch) -> Database:
    """Two actors, a claim with a subject, topic and source, and a denial of it."""
    monkeypatch.setenv("FACTDB_USER", "analyst")

    def work(session: Session) -> None:
        add_actor(session, "Pakistan", "state")
        add_actor(session, "Nikol Pashinyan", "person")
        add_claim(
            session,
            "Pakistani special forces are fighting",
            "Nikol Pashinyan",
            date="2020-10",
            about=["Pakistan"],
            topics=["Nagorno-Karabakh 2020"],
            sources=["https://example.com/a"],
        )
        add_response(session, "denial", 1, "Pakistan", quote="baseless and unwarranted")

    write(database, work)
    return database


def test_inserts_are_audited_with_the_user_and_the_new_row(logged: Database) -> None:
    records = read(logged)
    assert actions(records) == [
        ("insert", "actors", 1),
        ("insert", "actors", 2),
        ("insert", "topics", 1),
        ("insert", "sources", 1),
        ("insert", "statements", 1),
        ("insert", "statement_sources", 1),
        ("insert", "statement_subjects", 1),
        ("insert", "statement_topics", 1),
        ("insert", "statements", 2),
    ]
    assert {record["user"] for record in records} == {"analyst"}
    denial = records[-1]
    assert denial["before"] is None
    assert {key: denial["after"][key] for key in ("kind", "actor_id", "responds_to_id")} == {
        "kind": "denial",
        "actor_id": 1,
        "responds_to_id": 1,
    }
    assert denial["after"]["quote"] == "baseless and unwarranted"
    assert records[6]["after"] == {"statement_id": 1, "actor_id": 1, "position": 0}


def test_an_edit_writes_one_update_row_with_before_and_after(logged: Database) -> None:
    write(logged, lambda s: edit_statement(s, 1, text="Special forces", remove_about=["Pakistan"]))
    changes = read(logged, statement_id=1)[-2:]
    assert actions(changes) == [("update", "statements", 1), ("delete", "statement_subjects", 1)]
    update, unlink = changes
    assert (update["before"]["text"], update["after"]["text"]) == (
        "Pakistani special forces are fighting",
        "Special forces",
    )
    assert unlink["before"] == {"statement_id": 1, "actor_id": 1, "position": 0}
    assert unlink["after"] is None


def test_soft_delete_and_restore_are_audited(logged: Database) -> None:
    write(logged, lambda s: delete_statement(s, 2))
    write(logged, lambda s: restore_statement(s, 2))
    insert, deleted, restored = read(logged, statement_id="#2")
    assert actions([deleted, restored]) == [
        ("delete", "statements", 2),
        ("restore", "statements", 2),
    ]
    assert deleted["before"]["deleted_at"] is None
    assert deleted["after"]["deleted_at"] is not None
    assert restored["before"]["deleted_at"] == deleted["after"]["deleted_at"]
    assert restored["after"]["deleted_at"] is None
    assert insert["action"] == "insert"


def test_a_cascade_writes_a_row_for_each_statement_of_the_thread(logged: Database) -> None:
    write(logged, lambda s: add_response(s, "denial", 2, "Nikol Pashinyan"))
    before = len(read(logged))
    write(logged, lambda s: delete_statement(s, 1, cascade=True))
    write(logged, lambda s: restore_statement(s, 1))
    assert sorted(actions(read(logged)[before:])) == [
        ("delete", "statements", 1),
        ("delete", "statements", 2),
        ("delete", "statements", 3),
        ("restore", "statements", 1),
        ("restore", "statements", 2),
        ("restore", "statements", 3),
    ]


def test_history_of_an_actor_covers_its_rows_and_its_statements(logged: Database) -> None:
    assert actions(read(logged, actor="pakistan")) == [
        ("insert", "actors", 1),
        ("insert", "statements", 2),
    ]
    assert actions(read(logged, actor="Nikol Pashinyan")) == [
        ("insert", "actors", 2),
        ("insert", "statements", 1),
        ("insert", "statement_sources", 1),
        ("insert", "statement_subjects", 1),
        ("insert", "statement_topics", 1),
    ]
    assert actions(read(logged, actor="Pakistan", statement_id=1)) == []


def test_history_since_a_date(logged: Database) -> None:
    assert len(read(logged, since="2020-01-01")) == 9
    assert read(logged, since="9999") == []


def test_history_until_a_date_includes_its_last_day(logged: Database) -> None:
    everything = read(logged)
    day = everything[0]["at"][:10]
    assert read(logged, until=day) == everything
    assert read(logged, until=day[:7]) == everything
    assert read(logged, until="2020-12") == []
    assert read(logged, since="2020", until="2020") == []
    assert read(logged, since=day, until=day) == everything


@pytest.mark.parametrize(
    ("filters", "error", "message"),
    [
        ({"statement_id": 9}, NotFound, "ID: there is no statement #9"),
        ({"statement_id": "x"}, InvalidInput, "ID: 'x' is not a statement id (use 12 or #12)"),
        ({"since": "2020-13"}, InvalidInput, "since: '2020-13' is not a real date"),
        ({"until": "2020-02-30"}, InvalidInput, "until: '2020-02-30' is not a real date"),
        (
            {"actor": "Narnia"},
            NotFound,
            "actor: no actor is called 'Narnia'; add it first with `factdb actor add`",
        ),
    ],
)
def test_history_refuses_bad_filters(
    logged: Database, filters: dict[str, Any], error: type[Exception], message: str
) -> None:
    with pytest.raises(error) as caught:
        read(logged, **filters)
    assert str(caught.value) == message  # the field; the command shows its flag:
    assert flagged(caught.value) == ("--" if message[0].islower() else "") + message


# ----------------------------------------------------------------------------- CLI


def test_history_command_json(cli: Cli, snapshot: Snapshot) -> None:
    cli.ok("actor", "add", "Pakistan", "--kind", "state")
    cli.ok("claim", "add", "Claim", "--by", "Pakistan", "--on", "2020")
    cli.ok("claim", "edit", "1", "--quote", "verbatim")
    cli.ok("delete", "1")
    records = cli.json("history", "#1")
    for record in records:
        assert record.pop("at").endswith("Z")
        assert record["after"].pop("updated_at")
        assert record["after"].pop("created_at")
        if record["before"]:
            record["before"].pop("updated_at")
            record["before"].pop("created_at")
    deleted_at = records[2]["after"].pop("deleted_at")
    assert isinstance(deleted_at, str)
    row = {
        "id": 1,
        "kind": "claim",
        "actor_id": 1,
        "responds_to_id": None,
        "text": "Claim",
        "quote": None,
        "lang": None,
        "date": "2020-01-01",
        "date_precision": "year",
        "verdict": None,
        "rating": None,
        "note": None,
        "ref": None,
        "deleted_at": None,
        "merged_into_id": None,
    }
    user = records[0]["user"]
    assert records == [
        {
            "id": 2,
            "user": user,
            "action": "insert",
            "table": "statements",
            "row_id": 1,
            "before": None,
            "after": row,
        },
        {
            "id": 3,
            "user": user,
            "action": "update",
            "table": "statements",
            "row_id": 1,
            "before": row,
            "after": {**row, "quote": "verbatim"},
        },
        {
            "id": 4,
            "user": user,
            "action": "delete",
            "table": "statements",
            "row_id": 1,
            "before": {**row, "quote": "verbatim"},
            "after": {key: value for key, value in row.items() if key != "deleted_at"}
            | {"quote": "verbatim"},
        },
    ]


def test_history_command_table_and_csv(cli: Cli) -> None:
    cli.ok("actor", "add", "Pakistan", "--kind", "state")
    cli.ok("claim", "add", "Claim", "--by", "Pakistan")
    cli.ok("claim", "edit", "1", "--text", "Better claim")
    result = cli("history", "1", COLUMNS="200")
    assert result.exit_code == 0
    table = result.stdout
    assert "Claim → Better claim" in table
    assert "text: Claim" in table
    lines = cli.ok("history", "1", "--format", "csv").stdout.splitlines()
    assert lines[0] == "id,at,user,action,table,row_id,before,after"
    assert len(lines) == 3
    assert ",update,statements,1," in lines[2]


def test_history_command_until(cli: Cli) -> None:
    cli.ok("actor", "add", "Pakistan", "--kind", "state")
    assert cli.json("history", "--until", "2020-10") == []
    [row] = cli.json("history", "--until", "9999", "--since", "2020")
    assert (row["action"], row["table"], row["after"]["name"]) == ("insert", "actors", "Pakistan")


@pytest.mark.parametrize(
    ("args", "line"),
    [
        (("history", "7"), "error: ID: there is no statement #7"),
        (("history", "--since", "2020-02-30"), "error: --since: '2020-02-30' is not a real date"),
        (("history", "--until", "2020-13"), "error: --until: '2020-13' is not a real date"),
        (
            ("history", "--actor", "Pakistn"),
            "error: --actor: no actor is called 'Pakistn'; did you mean Pakistan?",
        ),
    ],
)
def test_history_command_errors(
    cli: Cli, snapshot: Snapshot, args: tuple[str, ...], line: str
) -> None:
    cli.ok("actor", "add", "Pakistan", "--kind", "state")
    before = snapshot()
    result = cli(*args)
    assert (result.exit_code, result.stdout, result.stderr) == (1, "", line + "\n")
    assert snapshot() == before


def test_history_json_is_plain_json(cli: Cli) -> None:
    cli.ok("actor", "add", "Pakistan", "--kind", "state")
    output = cli.ok("history", "--format", "json").stdout
    assert json.loads(output)[0]["table"] == "actors"


def test_history_of_an_actor_includes_duplicates_merged_into_it(logged: Database) -> None:
    from factdb.record.actors import merge_actors

    write(logged, lambda s: add_actor(s, "Islamic Republic of Pakistan", "state"))
    write(logged, lambda s: merge_actors(s, "Islamic Republic of Pakistan", "Pakistan"))
    rows = actions(read(logged, actor="Pakistan"))
    assert rows[:3] == [
        ("insert", "actors", 1),
        ("insert", "statements", 2),
        ("insert", "actors", 3),
    ]
    assert ("merge", "actors", 3) in rows
    assert rows == actions(read(logged, actor="Islamic Republic of Pakistan"))

"""Paged listings (``--limit``), on SQLite and PostgreSQL: each listing's first rows and
the total the library returns, the table cut at 30 rows with its note, every row for JSON
and CSV, and a bad limit refused."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import event
from sqlalchemy.orm import Session

from factdb.cli.common import showing
from factdb.errors import InvalidInput
from factdb.queries.claim_list import list_claims
from factdb.queries.paging import Page
from factdb.queries.responses import response_query, who_denied, who_endorsed
from factdb.queries.search import search
from factdb.queries.timeline import timeline
from factdb.record.actors import add_actor
from factdb.record.statements import add_claim, add_response, delete_statement
from factdb.store.db import Database

Snapshot = Callable[[], dict[str, list[tuple[Any, ...]]]]
CLAIMS = 36  # each denied once in 2020 by the spokesperson, one denial deleted
LIVE_DENIALS_2020 = CLAIMS - 1
LATE_DENIALS = 2  # in 2021, after the spokesperson left: not Ruritania's


def _day(first: int, index: int) -> str:
    """Consecutive days from the first of month ``first`` of the year (index from 0)."""
    month, day = (first, index + 1) if index < 30 else (first + 1, index - 29)
    return f"{month:02d}-{day:02d}"


def _crowd(session: Session) -> dict[str, Any]:
    add_actor(session, "Ruritania", "state")
    add_actor(session, "Ruritanian Foreign Ministry", "ministry", member_of="Ruritania")
    add_actor(
        session,
        "Rudolf Rassendyll",
        "person",
        member_of="Ruritanian Foreign Ministry",
        start="2020-01",
        end="2020-12",
    )
    add_actor(session, "Critic", "person")
    claims = [
        add_claim(
            session,
            f"Border incident number {number}",
            "Critic",
            date=f"2019-{_day(10, number)}",
            about=["Ruritania"],
            topics=["Border"],
        ).id
        for number in range(CLAIMS)
    ]
    denials = [
        add_response(
            session, "denial", claim, "Rudolf Rassendyll", date=f"2020-{_day(1, number)}"
        ).id
        for number, claim in enumerate(claims)
    ]
    for number in range(LATE_DENIALS):
        add_response(session, "denial", claims[number], "Rudolf Rassendyll", date="2021-03-01")
    delete_statement(session, denials[9])
    # same first day, three precisions, and undated: the timeline's own order
    for date in ("2020", "2020-01", None, "2020-01-01", None):
        add_claim(session, f"Unrelated remark dated {date}", "Critic", date=date)
    return {"claims": claims, "denials": denials}


@pytest.fixture
def crowd(database: Database) -> dict[str, Any]:
    return database.run(_crowd, write=True)  # type: ignore[no-any-return]


LISTINGS: dict[str, Callable[..., Page]] = {
    # --by alone: the answers that count are picked from the index, then counted
    "who-denied --by": lambda s, limit: who_denied(s, by="Ruritania", limit=limit),
    # --by with another filter: rows read, roll-up checked in Python
    "who-denied --by --topic": lambda s, limit: who_denied(
        s, by="Ruritania", topic="Border", limit=limit
    ),
    # no actor filter: counted and cut by the database
    "who-denied": lambda s, limit: who_denied(s, limit=limit),
    "who-denied --of": lambda s, limit: who_denied(s, of="Critic", limit=limit),
    "who-endorsed": lambda s, limit: who_endorsed(s, limit=limit),
    "responses --by --direct": lambda s, limit: response_query(
        s, by="Rudolf Rassendyll", direct=True, limit=limit
    ),
    "claim list": lambda s, limit: list_claims(s, limit=limit),
    "claim list --status": lambda s, limit: list_claims(s, status="denied", limit=limit),
    "timeline": lambda s, limit: timeline(s, limit=limit),
    "timeline --by": lambda s, limit: timeline(s, by="Ruritania", limit=limit),
    "search": lambda s, limit: search(s, "border", limit=limit),
    "search --by": lambda s, limit: search(s, "incident", by="Critic", limit=limit),
}
TOTALS = {
    "who-denied --by": LIVE_DENIALS_2020,
    "who-denied --by --topic": LIVE_DENIALS_2020,
    "who-denied": LIVE_DENIALS_2020 + LATE_DENIALS,
    "who-denied --of": LIVE_DENIALS_2020 + LATE_DENIALS,
    "who-endorsed": 0,
    "responses --by --direct": LIVE_DENIALS_2020 + LATE_DENIALS,
    "claim list": CLAIMS + 5,
    "claim list --status": LIVE_DENIALS_2020,  # the claim whose denial was deleted is not
    "timeline": CLAIMS + 5 + LIVE_DENIALS_2020 + LATE_DENIALS,
    "timeline --by": LIVE_DENIALS_2020,
    "search": CLAIMS,
    "search --by": CLAIMS,
}


def test_a_page_is_the_first_rows_of_the_whole_listing_with_its_total(
    database: Database, crowd: dict[str, Any]
) -> None:
    for name, listing in LISTINGS.items():
        whole = database.run(lambda s, listing=listing: listing(s, None))
        assert (len(whole), whole.total) == (TOTALS[name], TOTALS[name]), name
        for limit in sorted({1, 2, 7, 30, TOTALS[name], TOTALS[name] + 1} - {0}):
            page = database.run(lambda s, listing=listing, limit=limit: listing(s, limit))
            assert isinstance(page, Page)
            assert (list(page), page.total) == (whole[:limit], TOTALS[name]), (name, limit)


def test_the_timeline_cut_by_the_database_keeps_the_timeline_order(
    database: Database, crowd: dict[str, Any]
) -> None:
    first = database.run(lambda s: timeline(s, limit=CLAIMS + 3))
    dates = [row["date"] for row in first[CLAIMS:]]
    # a year before its months, a month before its days; undated statements come last
    assert dates == ["2020", "2020-01", "2020-01-01"]
    last = database.run(lambda s: timeline(s))[-2:]
    assert [(row["date"], row["text"]) for row in last] == [
        (None, "Unrelated remark dated None"),
        (None, "Unrelated remark dated None"),
    ]
    assert last[0]["id"] < last[1]["id"]


def test_a_deleted_denial_is_not_counted(database: Database, crowd: dict[str, Any]) -> None:
    page = database.run(lambda s: who_denied(s, by="Ruritania", limit=10))
    assert [row["denial_id"] for row in page] == [*crowd["denials"][:9], crowd["denials"][10]]
    assert page.total == LIVE_DENIALS_2020


@pytest.mark.parametrize("name", ["who-denied", "timeline", "search"])
def test_the_database_counts_and_cuts_when_no_row_needs_checking(
    database: Database, crowd: dict[str, Any], name: str
) -> None:
    """Without an actor's dates to check, the total comes from a COUNT query and the page's
    rows from a LIMIT (or, for search, a ranked window)."""
    seen: list[str] = []

    def capture(_conn: Any, _cursor: Any, sql: str, *_rest: Any) -> None:
        seen.append(" ".join(sql.split()))

    event.listen(database.engine, "before_cursor_execute", capture)
    try:
        page = database.run(lambda s: LISTINGS[name](s, 5))
    finally:
        event.remove(database.engine, "before_cursor_execute", capture)
    assert (len(page), page.total) == (5, TOTALS[name])
    assert any(sql.startswith("SELECT count(*) AS count_1 FROM (SELECT") for sql in seen), seen
    assert any(" LIMIT " in sql for sql in seen), seen


@pytest.mark.parametrize("limit", [0, -3])
def test_the_library_refuses_a_limit_below_one(
    database: Database, crowd: dict[str, Any], limit: int
) -> None:
    for listing in LISTINGS.values():
        with pytest.raises(InvalidInput, match=f"^limit: must be at least 1, got {limit}$"):
            database.run(lambda s, listing=listing: listing(s, limit))


def test_the_note_under_a_cut_table() -> None:
    assert showing(30, 4874) == "Showing 30 of 4,874; use --limit to see more"
    assert showing(1500, 1234567) == "Showing 1,500 of 1,234,567; use --limit to see more"


COMMANDS = {
    "who-denied": (["who-denied", "--by", "Ruritania"], LIVE_DENIALS_2020),
    "who-endorsed": (["who-endorsed"], 0),
    "responses": (["responses", "--of", "Critic"], LIVE_DENIALS_2020 + LATE_DENIALS),
    "claim list": (["claim", "list", "--about", "Ruritania"], CLAIMS),
    "search": (["search", "border"], CLAIMS),
    "timeline": (["timeline"], CLAIMS + 5 + LIVE_DENIALS_2020 + LATE_DENIALS),
}
ID_COLUMN = {
    "who-denied": "denial_id",
    "who-endorsed": "endorsement_id",
    "responses": "response_id",
    "claim list": "id",
    "search": "id",
    "timeline": "id",
}


def _table_ids(stdout: str, column: int) -> list[int]:
    """The ids in a table's column (the table printed wide enough for one line a row)."""
    rows = [line.split("│")[1:-1] for line in stdout.splitlines() if line.startswith("│")]
    return [int(cells[column]) for cells in rows]  # the header's bars are ┃


def test_a_table_shows_30_rows_and_says_how_many_there_are(cli: Any, crowd: dict[str, Any]) -> None:
    for name in COMMANDS:
        _check_command(cli, name)


def _check_command(cli: Any, name: str) -> None:
    args, total = COMMANDS[name]
    every = cli.json(*args)
    assert len(every) == total  # JSON: every row
    ids = [row[ID_COLUMN[name]] for row in every]
    column = 1 if name in ("search", "timeline") else 0
    table = cli(*args, COLUMNS="400")
    assert table.exit_code == 0
    if total > 30:
        assert _table_ids(table.stdout, column) == ids[:30]
        assert table.stderr == f"Showing 30 of {total}; use --limit to see more\n"
    else:
        assert _table_ids(table.stdout, column) == ids
        assert table.stderr == "No endorsements found.\n"
    wide = cli(*args, "--limit", str(total + 1), COLUMNS="400")
    assert (wide.exit_code, wide.stderr) == (0, "" if total else "No endorsements found.\n")
    assert _table_ids(wide.stdout, column) == ids
    few = cli(*args, "-n", "3", COLUMNS="400")
    if total:
        assert few.stderr == f"Showing 3 of {total}; use --limit to see more\n"
        assert _table_ids(few.stdout, column) == ids[:3]
    assert cli.json(*args, "--limit", "3") == every[:3]
    csv = cli(*args, "--format", "csv")
    assert (csv.exit_code, csv.stderr) == (0, "")
    assert len(csv.stdout.splitlines()) == total + 1
    short_csv = cli(*args, "--format", "csv", "--limit", "2")
    assert (short_csv.stderr, short_csv.stdout.splitlines()) == ("", csv.stdout.splitlines()[:3])


def test_a_limit_below_one_is_refused_and_changes_nothing(
    cli: Any, crowd: dict[str, Any], snapshot: Snapshot
) -> None:
    before = snapshot()
    for args, _total in COMMANDS.values():
        result = cli(*args, "--limit", "0")
        assert (result.exit_code, result.stdout) == (2, ""), args
        assert result.stderr.startswith(
            "error: Invalid value for '--limit' / '-n': 0 is not in the range x>=1."
        ), result.stderr
        assert result.stderr.count("\n") == 1
    assert snapshot() == before


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_the_help_says_what_the_limit_is(cli: Any, name: str) -> None:
    result = cli(
        *COMMANDS[name][0][:2] if name == "claim list" else COMMANDS[name][0][:1], "--help"
    )
    text = " ".join(result.stdout.split())
    assert "-n, --limit N At most N rows (default: 30 in a table, every row as json or csv)." in (
        text
    )

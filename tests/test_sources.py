"""Sources: ``add_source`` / ``list_sources`` and ``factdb source add | list``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from conftest import Cli

from factdb.errors import Conflict, FactDBError
from factdb.queries.records import source_record
from factdb.record.sources import add_source, list_sources, source_for_url
from factdb.store.db import Database

Snapshot = Callable[[], dict[str, list[tuple[Any, ...]]]]

DAWN = "https://www.dawn.com/news/1584174"


def added(database: Database, url: str, **fields: Any) -> tuple[str, dict[str, Any]]:
    def work(session: Any) -> tuple[str, dict[str, Any]]:
        change = add_source(session, url, **fields)
        return change.action, source_record(change.source)

    return database.run(work, write=True)


def test_add_source_normalizes_and_records_every_field(database: Database) -> None:
    action, record = added(
        database,
        "HTTPS://WWW.Dawn.com:443/news/1584174#top",
        outlet=" Dawn ",
        title="Pakistan rejects Armenian PM's claims",
        published="2020-10",
        retrieved="2020-10-12",
        archive_url="http://archive.org/web/2020/https://www.dawn.com/news/1584174",
    )
    assert action == "added"
    assert record == {
        "id": 1,
        "url": DAWN,
        "outlet": "Dawn",
        "title": "Pakistan rejects Armenian PM's claims",
        "published": "2020-10",
        "retrieved": "2020-10-12",
        "archive_url": "http://archive.org/web/2020/https://www.dawn.com/news/1584174",
    }
    assert database.run(list_sources) == [record]


def test_adding_a_known_url_fills_in_and_never_overwrites(
    database: Database, snapshot: Snapshot
) -> None:
    database.run(lambda s: source_for_url(s, DAWN + "#comments"), write=True)
    assert added(database, DAWN, outlet="Dawn") == (
        "updated",
        {
            "id": 1,
            "url": DAWN,
            "outlet": "Dawn",
            "title": None,
            "published": None,
            "retrieved": None,
            "archive_url": None,
        },
    )
    assert added(database, DAWN, outlet="Dawn")[0] == "unchanged"
    assert added(database, DAWN)[0] == "unchanged"
    before = snapshot()
    with pytest.raises(Conflict) as caught:
        added(database, DAWN, title="New title", outlet="The Express Tribune")
    assert str(caught.value) == (
        "outlet: source #1 already has outlet 'Dawn'; it is not overwritten"
    )
    assert snapshot() == before


@pytest.mark.parametrize(
    ("url", "fields", "message"),
    [
        ("ftp://dawn.com/x", {}, "URL: 'ftp://dawn.com/x' is not an http(s) URL"),
        ("dawn.com/news", {}, "URL: 'dawn.com/news' is not an http(s) URL"),
        (
            DAWN,
            {"archive_url": "file:///tmp/copy.html"},
            "archive_url: 'file:///tmp/copy.html' is not an http(s) URL",
        ),
        (DAWN, {"published": "2020-10-32"}, "published: '2020-10-32' is not a real date"),
        (
            DAWN,
            {"published": "10/10/2020"},
            "published: '10/10/2020' is not a date; use YYYY, YYYY-MM or YYYY-MM-DD",
        ),
        (DAWN, {"retrieved": "2020-10"}, "retrieved: 2020-10 is not a day; use YYYY-MM-DD"),
        (
            DAWN,
            {"published": "2020-10-10", "retrieved": "2020-10-09"},
            "retrieved: 2020-10-09 is before the publication date 2020-10-10",
        ),
        (DAWN, {"outlet": "Dawn\x00"}, "outlet: contains a control character (0x00)"),
    ],
)
def test_bad_sources_are_refused(
    database: Database, snapshot: Snapshot, url: str, fields: dict[str, Any], message: str
) -> None:
    before = snapshot()
    with pytest.raises(FactDBError) as caught:
        added(database, url, **fields)
    assert str(caught.value) == message
    assert snapshot() == before


def test_source_add_and_list_commands(cli: Cli) -> None:
    result = cli.ok("source", "add", DAWN, "--outlet", "Dawn", "--published", "2020-10-10")
    assert result.stdout == f"Added source #1 {DAWN}.\n"
    again = cli.ok("source", "add", DAWN + "#x", "--outlet", "Dawn")
    assert again.stdout == f"Source #1 {DAWN} is already recorded with these details.\n"
    filled = cli.ok("source", "add", DAWN, "--title", "Pakistan rejects claims")
    assert filled.stdout == f"Updated source #1 {DAWN}.\n"
    assert cli.json("source", "add", "http://Example.org", "--retrieved", "2020-10-12") == {
        "id": 2,
        "url": "http://example.org/",
        "outlet": None,
        "title": None,
        "published": None,
        "retrieved": "2020-10-12",
        "archive_url": None,
    }
    assert cli.json("source", "list") == [
        {
            "id": 1,
            "url": DAWN,
            "outlet": "Dawn",
            "title": "Pakistan rejects claims",
            "published": "2020-10-10",
            "retrieved": None,
            "archive_url": None,
        },
        {
            "id": 2,
            "url": "http://example.org/",
            "outlet": None,
            "title": None,
            "published": None,
            "retrieved": "2020-10-12",
            "archive_url": None,
        },
    ]
    assert cli.ok("source", "list", "-f", "csv").stdout == (
        "id,url,outlet,title,published,retrieved,archive_url\n"
        f"1,{DAWN},Dawn,Pakistan rejects claims,2020-10-10,,\n"
        "2,http://example.org/,,,,2020-10-12,\n"
    )


def test_source_list_when_empty(cli: Cli) -> None:
    result = cli.ok("source", "list")
    assert (result.stdout, result.stderr) == (
        "",
        "No sources yet; add one with `factdb source add`.\n",
    )
    assert cli.json("source", "list") == []


@pytest.mark.parametrize(
    ("args", "code", "line"),
    [
        (
            ("source", "add", "javascript:alert(1)"),
            1,
            "error: URL: 'javascript:alert(1)' is not an http(s) URL",
        ),
        (
            ("source", "add", DAWN, "--archive", "ftp://archive.org/x"),
            1,
            "error: --archive: 'ftp://archive.org/x' is not an http(s) URL",
        ),
        (
            ("source", "add", DAWN, "--outlet", "Tribune"),
            1,
            "error: --outlet: source #1 already has outlet 'Dawn'; it is not overwritten",
        ),
        (
            ("source", "add", DAWN, "--published", "2020-11"),
            1,
            "error: --published: source #1 already has publication date '2020-10-10'; "
            "it is not overwritten",
        ),
        (
            ("source", "add", "https://example.org", "--published", "2020-13"),
            1,
            "error: --published: '2020-13' is not a real date",
        ),
        (
            ("source", "add"),
            2,
            "error: Missing argument 'URL'. (see `factdb source add --help`)",
        ),
    ],
)
def test_bad_source_commands(
    cli: Cli, snapshot: Snapshot, args: tuple[str, ...], code: int, line: str
) -> None:
    cli.ok("source", "add", DAWN, "--outlet", "Dawn", "--published", "2020-10-10")
    before = snapshot()
    result = cli(*args)
    assert (result.exit_code, result.stdout, result.stderr) == (code, "", line + "\n")
    assert snapshot() == before


def test_source_commands_have_examples(cli: Cli) -> None:
    for command in ("add", "list"):
        text = " ".join(cli.ok("source", command, "--help").stdout.split())
        assert f"Example: factdb source {command}" in text

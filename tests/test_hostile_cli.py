"""Hostile and broken command-line input: one clear line on stderr naming the field, a non-zero
exit, no traceback, nothing written; valid but unusual text (1 MB, mixed scripts, SQL and HTML
look-alikes) is accepted and read back unchanged."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import Cli, factdb_executable

Snapshot = Callable[[], dict[str, list[tuple[Any, ...]]]]


@pytest.fixture
def seeded(cli: Cli) -> Cli:
    cli.ok("actor", "add", "Pakistan", "--kind", "state", "--country", "PK")
    cli.ok("claim", "add", "Pakistani special forces fight in Karabakh", "--by", "Pakistan")
    return cli


def refused(cli: Cli, snapshot: Snapshot, *args: str, code: int = 1) -> str:
    """Run a command that must fail; return its one stderr line after checking the rest."""
    before = snapshot()
    result = cli(*args)
    assert result.exit_code == code, (result.exit_code, result.stdout, result.stderr)
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert snapshot() == before
    return lines[0]


@pytest.mark.parametrize(
    ("args", "line"),
    [
        (["claim", "add", "", "--by", "Pakistan"], "error: TEXT: must not be empty"),
        (["claim", "add", " \n\t ", "--by", "Pakistan"], "error: TEXT: must not be empty"),
        (
            ["claim", "add", "a\x01b", "--by", "Pakistan"],
            "error: TEXT: contains a control character (0x01)",
        ),
        (
            ["claim", "add", "ok", "--by", "Pakistan", "--note", "\x1b[31mred"],
            "error: --note: contains a control character (0x1b)",
        ),
        (
            ["claim", "add", "ok", "--by", "Pakistan", "--quote", "nul\x00byte"],
            "error: --quote: contains a control character (0x00)",
        ),
        (
            ["claim", "add", "ok", "--by", "Pakistan", "--on", "2021-02-29"],
            "error: --on: '2021-02-29' is not a real date",
        ),
        (
            ["claim", "add", "ok", "--by", "Pakistan", "--on", "0000"],
            "error: --on: '0000' is not a real date",
        ),
        (
            ["claim", "add", "ok", "--by", "Pakistan", "--on", "２０２０"],
            "error: --on: '２０２０' is not a date; use YYYY, YYYY-MM or YYYY-MM-DD",
        ),
        (
            ["claim", "add", "ok", "--by", "#99999999999999999999999"],
            "error: --by: there is no actor #99999999999999999999999",
        ),
        (
            ["claim", "add", "ok", "--by", "Pakistan", "--source", "javascript:alert(1)"],
            "error: --source: 'javascript:alert(1)' is not an http(s) URL",
        ),
        (
            ["claim", "add", "ok", "--by", "'; DROP TABLE actors; --"],
            'error: --by: no actor is called "\'; DROP TABLE actors; --"',
        ),
    ],
)
def test_bad_arguments_are_one_line_and_change_nothing(
    seeded: Cli, snapshot: Snapshot, args: list[str], line: str
) -> None:
    assert refused(seeded, snapshot, *args).startswith(line)


@pytest.mark.parametrize(
    ("args", "line"),
    [
        (
            ["claim", "add", "bad \udcff bytes", "--by", "Pakistan"],
            "error: argument 5 (b'bad \\xff bytes'): ",
        ),
        (["claim", "add", "ok", "--by", "Pakistan", "--note", "\udcfe"], "error: --note: "),
        (["claim", "add", "ok", "--by", "Pakistan", "--note=\udcfe"], "error: --note: "),
    ],
)
def test_arguments_that_are_not_utf8_are_usage_errors(
    seeded: Cli, snapshot: Snapshot, args: list[str], line: str
) -> None:
    assert refused(seeded, snapshot, *args, code=2) == line + "is not valid UTF-8 text"


def test_invalid_utf8_bytes_from_the_shell(tmp_path: Path) -> None:
    """The real entry point gets raw bytes from the OS, decoded with surrogate escapes."""
    result = subprocess.run(
        [factdb_executable(), "--db", str(tmp_path / "x.sqlite3"), "actor", "add", b"Bad\xff"],
        capture_output=True,
    )
    assert (result.returncode, result.stdout, result.stderr) == (
        2,
        b"",
        b"error: argument 5 (b'Bad\\xff'): is not valid UTF-8 text\n",
    )
    assert not (tmp_path / "x.sqlite3").exists()


MIXED = "Пакистан отрицает · पाकिस्तान ने खंडन किया · باكستان تنفي · ✓"
PAYLOADS = [
    MIXED,
    "'; DROP TABLE statements; --",
    "<script>alert('x')</script><img src=x onerror=alert(1)>",
    'Robert"); DELETE FROM actors WHERE ("1"="1',
    "line one\nline two\twith a tab",
    "%s %d {0} ${HOME} $(rm -rf /) `id`",
]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_unusual_but_valid_text_round_trips(seeded: Cli, payload: str) -> None:
    added = seeded.json(
        "claim", "add", payload, "--by", "Pakistan", "--quote", payload, "--note", payload
    )
    assert (added["text"], added["quote"], added["note"]) == (payload, payload, payload)
    shown = seeded.json("show", str(added["id"]))
    assert json.dumps(shown, ensure_ascii=False).count(json.dumps(payload, ensure_ascii=False)) >= 3


def test_a_megabyte_of_mixed_scripts_round_trips(seeded: Cli) -> None:
    huge = (MIXED + " ") * (1_048_576 // (len(MIXED) + 1)) + "end"
    assert len(huge) >= 1_000_000
    added = seeded.json("claim", "add", huge, "--by", "Pakistan", "--topic", MIXED)
    assert added["text"] == huge
    assert added["topics"] == [MIXED]


def test_output_to_a_full_disk_is_one_line(seeded: Cli, db_url: str) -> None:
    with open("/dev/full", "w") as full:
        result = subprocess.run(
            [factdb_executable(), "--db", db_url, "actor", "list", "--format", "json"],
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
        )
    assert (result.returncode, result.stderr) == (
        1,
        "error: cannot write the output: No space left on device\n",
    )


def test_a_reader_that_goes_away_is_not_an_error_message(seeded: Cli, db_url: str) -> None:
    for name in range(60):
        seeded.ok("actor", "add", f"Actor {name}", "--kind", "person")
    with subprocess.Popen(
        [factdb_executable(), "--db", db_url, "actor", "list", "--format", "json"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    ) as process:
        assert process.stdout is not None and process.stderr is not None
        process.stdout.read(10)
        process.stdout.close()
        errors = process.stderr.read()
    assert b"Traceback" not in errors
    assert b"Exception ignored" not in errors

"""Every command that writes a file (``export -o``, ``report ... -o``, ``db backup FILE``)
refuses the same way, with the same words, exit 1; success says where it wrote; usage errors
point to the command's help."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import Cli, table_rows

from factdb.errors import Conflict, InvalidInput
from factdb.outfiles import open_output, write_text
from factdb.store.db import Database
from factdb.store.engine import dispose_engines

# command -> (arguments for a target, the name its messages use for the target)
WRITERS = {
    "export": (lambda target: ["export", "-o", target], "-o"),
    "export --output": (lambda target: ["export", "--output", target], "-o"),
    "report claim": (lambda target: ["report", "claim", "1", "-o", target], "-o"),
    "report topic": (lambda target: ["report", "topic", "Karabakh", "-o", target], "-o"),
    "db backup": (lambda target: ["db", "backup", target], "FILE"),
}


@pytest.fixture
def sqlite_cli(tmp_path: Path, sqlite_template: Path) -> Iterator[Cli]:
    path = tmp_path / "db" / "factdb.sqlite3"
    path.parent.mkdir()
    shutil.copyfile(sqlite_template, path)
    cli = Cli(str(path))
    cli.ok("actor", "add", "Pakistan", "--kind", "state")
    cli.ok("claim", "add", "Pakistani forces", "--by", "Pakistan", "--topic", "Karabakh")
    yield cli
    dispose_engines()


@pytest.fixture
def place(tmp_path: Path) -> Path:
    where = tmp_path / "out"
    where.mkdir()
    return where


def files(root: Path) -> dict[str, bytes | None]:
    return {
        entry.relative_to(root).as_posix(): entry.read_bytes() if entry.is_file() else None
        for entry in sorted(root.rglob("*"))
    }


def assert_refused(cli: Cli, place: Path, args: list[str], line: str) -> None:
    database = Database.open(cli.db_url)
    rows, before = table_rows(database), files(place)
    result = cli(*args)
    assert (result.exit_code, result.stdout, result.stderr) == (1, "", f"error: {line}\n")
    assert files(place) == before
    assert table_rows(database) == rows


@pytest.mark.parametrize("command", WRITERS)
def test_an_existing_file_is_refused_in_the_same_words(
    sqlite_cli: Cli, place: Path, command: str
) -> None:
    args, field = WRITERS[command]
    target = place / "kept.txt"
    target.write_text("keep me")
    assert_refused(
        sqlite_cli,
        place,
        args(str(target)),
        f"{field}: {str(target)!r} already exists; add --force to replace it",
    )


@pytest.mark.parametrize("command", WRITERS)
def test_a_folder_is_refused_in_the_same_words(sqlite_cli: Cli, place: Path, command: str) -> None:
    args, field = WRITERS[command]
    (place / "folder").mkdir()
    for force in ([], ["--force"]):
        assert_refused(
            sqlite_cli,
            place,
            [*args(str(place / "folder")), *force],
            f"{field}: {str(place / 'folder')!r} is a folder, not a file name",
        )
    # a name ending in / is a folder even when there is nothing there
    assert_refused(
        sqlite_cli,
        place,
        args(f"{place / 'new'}/"),
        f"{field}: {str(place / 'new') + '/'!r} is a folder, not a file name",
    )


@pytest.mark.parametrize("command", WRITERS)
def test_a_missing_folder_is_refused_in_the_same_words(
    sqlite_cli: Cli, place: Path, command: str
) -> None:
    args, field = WRITERS[command]
    assert_refused(
        sqlite_cli,
        place,
        args(str(place / "no" / "such" / "file.out")),
        f"{field}: the folder {str(place / 'no' / 'such')!r} does not exist; create it first",
    )


def test_export_says_what_it_wrote_on_stderr(sqlite_cli: Cli, place: Path) -> None:
    target = place / "all.jsonl"
    result = sqlite_cli.ok("export", "-o", str(target))
    assert (result.stdout, result.stderr) == ("", f"Wrote 1 statement to {target}.\n")
    assert target.read_text(encoding="utf-8") == sqlite_cli.ok("export").stdout
    sqlite_cli.ok("claim", "add", "A second claim", "--by", "Pakistan")
    result = sqlite_cli.ok("export", "-f", "csv", "-o", str(target), "--force")
    assert (result.stdout, result.stderr) == ("", f"Wrote 2 statements to {target}.\n")
    assert sorted(files(place)) == ["all.jsonl"]  # no temporary file left beside it


def test_db_backup_says_where_it_wrote(sqlite_cli: Cli, place: Path) -> None:
    target = place / "copy.sqlite3"
    result = sqlite_cli.ok("db", "backup", str(target))
    assert result.stderr == ""
    assert result.stdout == (
        f"backed up {Path(sqlite_cli.db_url).resolve()} to {target.resolve()} "
        f"({target.stat().st_size} bytes)\n"
    )
    assert sorted(files(place)) == ["copy.sqlite3"]


def test_export_bad_date_exits_1_before_writing(sqlite_cli: Cli, place: Path) -> None:
    for flag in ("--since", "--until"):
        assert_refused(
            sqlite_cli,
            place,
            ["export", flag, "2020-99", "-o", str(place / "x.jsonl")],
            f"{flag}: '2020-99' is not a real date",
        )
    result = sqlite_cli("export", "--since", "2020-99")
    assert (result.exit_code, result.stdout, result.stderr) == (
        1,
        "",
        "error: --since: '2020-99' is not a real date\n",
    )


def test_db_backup_help_names_the_argument_file(sqlite_cli: Cli) -> None:
    result = sqlite_cli.ok("db", "backup", "--help")
    assert "Usage: factdb db backup [OPTIONS] {FILE}" in result.stdout
    assert "{file}" not in result.stdout


@pytest.mark.parametrize(
    ("args", "message", "command"),
    [
        (["who-denied", "--by"], "Option '--by' requires an argument.", "who-denied"),
        (["report", "claim", "1", "-o"], "Option '-o' requires an argument.", "report claim"),
        (["export", "-o"], "Option '-o' requires an argument.", "export"),
        (["db", "backup"], "Missing argument 'FILE'.", "db backup"),
        (["actor", "list", "extra"], "Got unexpected extra argument(s) (extra)", "actor list"),
        (["--db"], "Option '--db' requires an argument.", ""),
    ],
)
def test_every_usage_error_points_to_the_commands_help(
    sqlite_cli: Cli, args: list[str], message: str, command: str
) -> None:
    result = sqlite_cli(*args)
    help_command = f"factdb {command} --help" if command else "factdb --help"
    assert (result.exit_code, result.stdout, result.stderr) == (
        2,
        "",
        f"error: {message} (see `{help_command}`)\n",
    )


# ----------------------------------------------------------------------------- library


def test_open_output_leaves_nothing_when_the_block_fails(place: Path) -> None:
    target = place / "out.txt"
    with pytest.raises(RuntimeError), open_output(str(target), force=False, field="-o") as out:
        out.write("half")
        raise RuntimeError("stop")
    assert files(place) == {}
    target.write_text("old")
    with pytest.raises(RuntimeError), open_output(str(target), force=True, field="-o") as out:
        out.write("half")
        raise RuntimeError("stop")
    assert files(place) == {"out.txt": b"old"}


def test_a_file_appearing_meanwhile_is_not_replaced(place: Path) -> None:
    target = place / "out.txt"
    with (
        pytest.raises(Conflict) as raised,
        open_output(str(target), force=False, field="-o") as out,
    ):
        out.write("new")
        target.write_text("theirs")
    assert str(raised.value) == f"-o: {str(target)!r} already exists; add --force to replace it"
    assert files(place) == {"out.txt": b"theirs"}


def test_write_text_refuses_a_pipe_even_with_force(place: Path) -> None:
    os.mkfifo(place / "pipe")
    with pytest.raises(InvalidInput) as raised:
        write_text(str(place / "pipe"), "x", force=True, field="FILE")
    assert str(raised.value) == f"FILE: {str(place / 'pipe')!r} is not a regular file"

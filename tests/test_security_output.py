"""Files are written only where ``-o`` (or ``db backup FILE``) says: never over an existing
file without ``--force``, never into or over a folder, never over a device or pipe, never
creating folders; a relative path with ``..`` lands exactly where it points."""

from __future__ import annotations

import os
import shutil
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import Cli

from factdb.store.engine import dispose_engines

# Each command that writes a file, as a function of the target path.
WRITERS = {
    "export": lambda target: ["export", "-o", target],
    "report claim": lambda target: ["report", "claim", "1", "-o", target],
    "report actor": lambda target: ["report", "actor", "Pakistan", "-o", target],
    "report topic": lambda target: ["report", "topic", "Karabakh", "-o", target],
    "db backup": lambda target: ["db", "backup", target],
}


@pytest.fixture
def sqlite_cli(tmp_path: Path, sqlite_template: Path) -> Iterator[Cli]:
    path = tmp_path / "db" / "factdb.sqlite3"
    path.parent.mkdir()
    shutil.copyfile(sqlite_template, path)
    cli = Cli(str(path))
    cli.ok("actor", "add", "Pakistan", "--kind", "state")
    cli.ok(
        "claim", "add", "Pakistani forces in Karabakh", "--by", "Pakistan", "--topic", "Karabakh"
    )
    yield cli
    dispose_engines()


@pytest.fixture
def place(tmp_path: Path) -> Path:
    where = tmp_path / "out"
    where.mkdir()
    return where


def listing(root: Path) -> dict[str, bytes | str]:
    """Every entry under ``root``: file contents, or the kind of anything else."""
    found: dict[str, bytes | str] = {}
    for entry in sorted(root.rglob("*")):
        mode = entry.lstat().st_mode
        key = entry.relative_to(root).as_posix()
        if stat.S_ISREG(mode):
            found[key] = entry.read_bytes()
        elif stat.S_ISDIR(mode):
            found[key] = "folder"
        elif stat.S_ISFIFO(mode):
            found[key] = "fifo"
        else:
            found[key] = "other"
    return found


def refused(cli: Cli, place: Path, args: list[str], expected_end: str) -> None:
    before = listing(place)
    result = cli(*args)
    assert result.exit_code != 0
    assert result.stdout == ""
    assert len(result.stderr.splitlines()) == 1, result.stderr
    assert result.stderr.startswith("error: ")
    assert result.stderr.rstrip("\n").endswith(expected_end), result.stderr
    assert listing(place) == before


@pytest.mark.parametrize("command", WRITERS)
def test_an_existing_file_is_kept_without_force(sqlite_cli: Cli, place: Path, command: str) -> None:
    (place / "kept.txt").write_text("keep me")
    refused(
        sqlite_cli,
        place,
        WRITERS[command](str(place / "kept.txt")),
        "already exists; add --force to replace it",
    )


@pytest.mark.parametrize("command", WRITERS)
def test_a_folder_is_never_a_target(sqlite_cli: Cli, place: Path, command: str) -> None:
    (place / "folder").mkdir()
    (place / "folder" / "inside.txt").write_text("x")
    for force in ([], ["--force"]):
        before = listing(place)
        result = sqlite_cli(*WRITERS[command](str(place / "folder")), *force)
        assert result.exit_code != 0
        assert len(result.stderr.splitlines()) == 1
        assert "folder" in result.stderr
        assert listing(place) == before


@pytest.mark.parametrize("command", WRITERS)
def test_a_pipe_is_not_replaced_even_with_force(sqlite_cli: Cli, place: Path, command: str) -> None:
    os.mkfifo(place / "pipe")
    refused(
        sqlite_cli,
        place,
        [*WRITERS[command](str(place / "pipe")), "--force"],
        "is not a regular file",
    )


@pytest.mark.parametrize("command", WRITERS)
def test_missing_folders_are_not_created(sqlite_cli: Cli, place: Path, command: str) -> None:
    before = listing(place)
    result = sqlite_cli(*WRITERS[command](str(place / "no" / "such" / "file.out")))
    assert result.exit_code != 0
    assert len(result.stderr.splitlines()) == 1
    assert "does not exist" in result.stderr or "No such file" in result.stderr
    assert listing(place) == before


@pytest.mark.parametrize("command", WRITERS)
def test_a_relative_path_lands_where_it_points_and_force_replaces(
    sqlite_cli: Cli, place: Path, command: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    (place / "work").mkdir()
    monkeypatch.chdir(place / "work")
    sqlite_cli.ok(*WRITERS[command]("../result.out"))
    first = listing(place)
    assert set(first) == {"work", "result.out"}
    assert first["result.out"] != b""
    (place / "result.out").write_text("old")
    sqlite_cli.ok(*WRITERS[command]("../result.out"), "--force")
    assert set(listing(place)) == {"work", "result.out"}
    assert (place / "result.out").read_bytes() != b"old"

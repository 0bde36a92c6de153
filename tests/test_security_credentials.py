"""No credentials in any output: every command is run with a password in its PostgreSQL URL
(reachable, unreachable, and a database that does not exist), and stdout, stderr and any file
it writes are searched for the password."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import every_command, factdb_executable
from sqlalchemy.engine import make_url
from typer.core import TyperGroup as Group
from typer.testing import CliRunner

from factdb.cli import app
from factdb.store.engine import dispose_engines

PASSWORD = "s3cret-Pa55"

# A value for each required argument or option, by parameter name; anything else gets "1".
VALUES = {
    "statement_id": "1",
    "statement": "1",
    "by": "Pakistan",
    "verdict": "false",
    "kind": "state",
    "text": "Karabakh",
    "topic": "Karabakh",
    "name": "Pakistan",
    "actor": "Pakistan",
    "member": "Pakistan",
    "organization": "Pakistan",
    "duplicate": "Pakistan",
    "into": "Pakistan",
    "aliases": "PK",
    "url": "https://example.com/",
}


def leaf_commands() -> list[tuple[list[str], list[str]]]:
    """Every command of the app, with required values filled in: (path, arguments)."""
    found: list[tuple[list[str], list[str]]] = []
    for path, command in every_command():
        if isinstance(command, Group):
            continue
        arguments: list[str] = []
        for param in command.params:
            if not param.required:
                continue
            value = VALUES.get(param.name or "", "1")
            if param.param_type_name == "option":
                arguments += [param.opts[0], value]
            elif param.name == "file":
                arguments.append("FILE")
            else:
                arguments.append(value)
        found.append((path.split()[1:], arguments))
    return sorted(found)


COMMANDS = leaf_commands()


def _writes_files() -> set[str]:
    return {
        " ".join(path.split()[1:])
        for path, command in every_command()
        if any("-o" in getattr(p, "opts", []) for p in command.params)
    }


WRITES_FILES = _writes_files()


@pytest.fixture
def secret_url(pg_database_url: str) -> Iterator[str]:
    """The test database's URL with a password (the server trusts local users, so the
    password is accepted and ignored), seeded with an actor and a claim."""
    from conftest import _truncate_all

    _truncate_all(pg_database_url)
    url = make_url(pg_database_url).set(password=PASSWORD).render_as_string(hide_password=False)
    runner = CliRunner()
    for args in (
        ["actor", "add", "Pakistan", "--kind", "state"],
        ["claim", "add", "Karabakh", "--by", "Pakistan", "--topic", "Karabakh"],
    ):
        result = runner.invoke(app, ["--db", url, *args])
        assert result.exit_code == 0, result.stderr
    yield url
    dispose_engines()


def _unreachable(url: str, **parts: object) -> str:
    return make_url(url).set(**parts).render_as_string(hide_password=False)  # type: ignore[arg-type]


def _check(
    url: str, tmp_path: Path, path: list[str], arguments: list[str], *, output: bool = True
) -> None:
    out = tmp_path / "out"
    out.mkdir(exist_ok=True)
    filled = [str(out / "file") if arg == "FILE" else arg for arg in arguments]
    attempts = [[*path, *filled]]
    if output and " ".join(path) in WRITES_FILES:
        attempts.append([*path, *filled, "-o", str(out / "o")])
    for attempt in attempts:
        result = CliRunner().invoke(app, ["--db", url, *attempt])
        dispose_engines()
        for stream in (result.stdout, result.stderr):
            assert PASSWORD not in stream, (attempt, stream)
        assert "Traceback" not in result.stderr
    for written in out.rglob("*"):
        if written.is_file():
            assert PASSWORD.encode() not in written.read_bytes(), written


@pytest.mark.parametrize(("path", "arguments"), COMMANDS, ids=[" ".join(p) for p, _ in COMMANDS])
def test_no_command_prints_the_password(
    secret_url: str, tmp_path: Path, path: list[str], arguments: list[str]
) -> None:
    _check(secret_url, tmp_path, path, arguments)


@pytest.mark.parametrize(
    "broken",
    [
        {"port": 1},
        {"host": "no-such-host.invalid"},
        {"database": "factdb_no_such_database"},
    ],
    ids=["refused port", "unknown host", "missing database"],
)
def test_unreachable_servers_do_not_print_the_password(
    secret_url: str, tmp_path: Path, broken: dict[str, object]
) -> None:
    url = _unreachable(secret_url, **broken)
    for path, arguments in COMMANDS:
        _check(url, tmp_path, path, arguments, output=False)


def test_the_installed_command_hides_the_password_in_errors(secret_url: str) -> None:
    """Through the real entry point, with the URL given by --db and by FACTDB_DB."""
    url = _unreachable(secret_url, port=1)
    for args, env in (
        (["--db", url, "actor", "list"], {}),
        (["actor", "list"], {"FACTDB_DB": url}),
        (["--db", url, "db", "check"], {}),
    ):
        result = subprocess.run(
            [factdb_executable(), *args],
            capture_output=True,
            text=True,
            env={"PATH": "/usr/bin:/bin", **env},
        )
        assert result.returncode == 1
        assert PASSWORD not in result.stdout + result.stderr
        assert result.stderr.startswith("error: ")
        assert "***" in result.stderr or "s3cret" not in result.stderr

"""The command line as a whole speaks one way: a bad choice is worded the same on every
command, and a name that matches no topic suggests the ones that come close."""

from __future__ import annotations

import pytest
from conftest import Cli, every_command
from typer.core import TyperGroup
from typer.testing import CliRunner

from factdb.cli import app
from factdb.cli.common import plain_choice_error


def test_every_command_and_group_has_an_example() -> None:
    missing = [
        path for path, command in every_command() if "Example: factdb " not in (command.help or "")
    ]
    assert missing == []


def test_every_listing_takes_format() -> None:
    """Commands that print records take --format/-f (the reports and demo print documents)."""
    missing = [
        path
        for path, command in every_command()
        if not isinstance(command, TyperGroup)
        and path != "factdb demo"
        and not any("--format" in getattr(p, "opts", []) and "-f" in p.opts for p in command.params)
    ]
    assert missing == []


@pytest.mark.parametrize(
    ("message", "plain"),
    [
        (
            "Invalid value for '--verdict': Value error, 'maybe' is not one of 'true', 'false'.",
            "Invalid value for '--verdict': 'maybe' is not one of true, false",
        ),
        (
            "Invalid value for '-f': Value error, \"it's, 'x'\" is not one of 'text', 'md'.",
            "Invalid value for '-f': \"it's, 'x'\" is not one of text, md",
        ),
        ("Missing option '--by'.", "Missing option '--by'."),
    ],
)
def test_plain_choice_error(message: str, plain: str) -> None:
    assert plain_choice_error(message) == plain


STATUSES = "unanswered, denied, disputed, endorsed, contested, admitted, retracted"
ANSWERS = "denial, dispute, endorsement, admission, retraction, fact_check"


@pytest.mark.parametrize(
    ("args", "line"),
    [
        (
            ("claim", "list", "--status", "refuted"),
            f"Invalid value for '--status' / '-s': 'refuted' is not one of {STATUSES} "
            "(see `factdb claim list --help`)",
        ),
        (
            ("responses", "--kind", "claim"),
            f"Invalid value for '--kind' / '-k': 'claim' is not one of {ANSWERS} "
            "(see `factdb responses --help`)",
        ),
        (
            ("export", "--format", "xml"),
            "Invalid value for '--format' / '-f': 'xml' is not one of jsonl, csv, claimreview, "
            "plover (see `factdb export --help`)",
        ),
        (
            ("actor", "list", "--format", "yaml"),
            "Invalid value for '--format' / '-f': 'yaml' is not one of table, json, csv "
            "(see `factdb actor list --help`)",
        ),
    ],
)
def test_bad_choices_are_worded_alike(cli: Cli, args: tuple[str, ...], line: str) -> None:
    result = cli(*args)
    assert (result.exit_code, result.stdout, result.stderr) == (2, "", f"error: {line}\n")


@pytest.mark.parametrize(
    ("args", "line"),
    [
        (
            ("timeline", "--topic", "karabakh"),
            "--topic: there is no topic called 'karabakh'; did you mean Nagorno-Karabakh 2020?",
        ),
        (
            ("export", "--topic", "Nagorno Karabah 2020"),
            "--topic: there is no topic called 'Nagorno Karabah 2020'; "
            "did you mean Nagorno-Karabakh 2020?",
        ),
        (
            ("report", "topic", "Karabakh 2020"),
            "NAME: there is no topic called 'Karabakh 2020'; did you mean Nagorno-Karabakh 2020?",
        ),
        (("alignment", "--topic", "Crimea"), "--topic: there is no topic called 'Crimea'"),
    ],
)
def test_unknown_topics_suggest_close_ones(cli: Cli, args: tuple[str, ...], line: str) -> None:
    cli.ok("actor", "add", "Armenia", "--kind", "state")
    cli.ok("claim", "add", "A claim", "--by", "Armenia", "--topic", "Nagorno-Karabakh 2020")
    cli.ok("claim", "add", "Another", "--by", "Armenia", "--topic", "Ceasefire")
    result = cli(*args)
    assert (result.exit_code, result.stdout, result.stderr) == (1, "", f"error: {line}\n")


def test_a_database_url_with_a_bad_port_is_one_clear_line_without_the_password() -> None:
    url = "postgresql://analyst:s3cret@127.0.0.1:notaport/factdb"
    result = CliRunner().invoke(app, ["--db", url, "db", "path"])
    assert (result.exit_code, result.stdout, result.stderr) == (
        1,
        "",
        "error: --db: 'postgresql://analyst:***@127.0.0.1:notaport/factdb' is not a database URL\n",
    )

"""The ``factdb`` command line: nouns for records, verbs for answers.

The root lists its commands from ``catalog`` and builds only the one that is run; command
modules import only typer at load time, so start-up stays fast.
"""

from __future__ import annotations

from typing import Annotated

import typer

from factdb import __version__
from factdb.cli.catalog import verbatim_examples
from factdb.cli.common import CliState, FactDBGroup
from factdb.cli.options import db_option

app = typer.Typer(
    cls=FactDBGroup,
    name="factdb",
    help=verbatim_examples(
        "Track diplomatic claims: who said what, who denied it, who backed it.\n\n"
        'Example: factdb claim add "Pakistani special forces are fighting in Karabakh" '
        '--by "Nikol Pashinyan" --on 2020-10'
    ),
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)


def _show_version(value: bool) -> None:
    if value:
        typer.echo(f"factdb {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    ctx: typer.Context,
    db: Annotated[
        str | None,
        db_option(
            "Database: an SQLite file path or a postgresql:// URL "
            "[default: factdb.sqlite3 in your user data directory].",
            envvar="FACTDB_DB",
            show_envvar=True,
        ),
    ] = None,
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_show_version, is_eager=True, help="Show the version and exit."
        ),
    ] = False,
) -> None:
    """Track diplomatic claims: who said what, who denied it, who backed it."""
    ctx.obj = CliState(db)


def main() -> None:
    app()

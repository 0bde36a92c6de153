"""The ``factdb`` command line: nouns for records, verbs for answers.

Each command module registers its commands on the root app; modules import only typer at
load time so ``factdb --help`` stays fast.
"""

from __future__ import annotations

from typing import Annotated

import typer

from factdb import __version__
from factdb.cli import (
    actors,
    database,
    history,
    interchange,
    queries,
    reports,
    sources,
    statements,
)
from factdb.cli.common import CliState, FactDBGroup

app = typer.Typer(
    cls=FactDBGroup,
    name="factdb",
    help=(
        "Track diplomatic claims: who said what, who denied it, who backed it.\n\n"
        'Example: factdb claim add "Pakistani special forces are fighting in Karabakh" '
        '--by "Nikol Pashinyan" --on 2020-10'
    ),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
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
        typer.Option(
            "--db",
            envvar="FACTDB_DB",
            help="Database: an SQLite file path or a postgresql:// URL "
            "\\[default: factdb.sqlite3 in your user data directory].",
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


for module in (actors, sources, statements, queries, reports, interchange, database, history):
    module.register(app)


def main() -> None:
    app()

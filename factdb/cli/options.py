"""The arguments and options that several command modules share, each declared once.

A module's own options stay in that module; what is here reads the same wherever it is
used. Like every module the commands load, this imports only typer.
"""

from __future__ import annotations

from typing import Annotated, Any

import typer

from factdb.cli.vendored_click import choice
from factdb.vocabulary import STATEMENT_KINDS

StatementIdArg = Annotated[
    str, typer.Argument(metavar="ID", help="Statement id: 12 or #12.", show_default=False)
]
ActorArg = Annotated[
    str, typer.Argument(metavar="ACTOR", help="Actor name, alias or #id.", show_default=False)
]
ForceOption = Annotated[bool, typer.Option("--force", help="Let -o replace an existing file.")]

# Finding statements: ``search``, ``similar`` and ``duplicates``.
StatementKindOption = Annotated[
    str | None,
    typer.Option(
        "--kind", "-k", click_type=choice(STATEMENT_KINDS), help="Only statements of this kind."
    ),
]
SaidByOption = Annotated[
    str | None,
    typer.Option("--by", metavar="ACTOR", help="Said by this actor or its affiliates."),
]
DirectOption = Annotated[
    bool,
    typer.Option("--direct", help="Only the named actors themselves, not their affiliates."),
]


def db_option(help: str, **more: Any) -> Any:
    """``--db PATH|URL``: the root's (the database every command uses) and ``demo``'s."""
    return typer.Option("--db", metavar="PATH|URL", help=help, **more)

"""Commands: ``factdb statement merge``."""

from __future__ import annotations

from typing import Annotated

import typer

from factdb.cli.common import FormatOption, OutputFormat, emit_record, run, warn, write_json

statement_app = typer.Typer(
    name="statement",
    help="Example: factdb statement merge 12 7",
    no_args_is_help=True,
    rich_markup_mode=None,
)

MOVED = ("answers", "subjects", "topics", "sources")


def _counted(count: int, noun: str) -> str:
    return f"{count} {noun if count != 1 else noun[:-1]}"


@statement_app.command("merge")
def merge(
    ctx: typer.Context,
    duplicate: Annotated[
        str,
        typer.Argument(
            metavar="DUPLICATE", help="The statement to fold away: 12 or #12.", show_default=False
        ),
    ],
    into: Annotated[
        str,
        typer.Argument(metavar="INTO", help="The statement to keep: 7 or #7.", show_default=False),
    ],
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """Merge a duplicate statement into the one to keep.

    Its answers move over, with its subjects, topics and sources that the one kept lacks;
    the duplicate is deleted, marked as merged, and the history gets a merge entry. Both must
    be of the same kind (a denial never merges into an admission) and, for answers, answer the
    same statement; neither may be in the other's thread. An answer that moves and is dated
    before the one kept stays as dated, with a warning.

    Example: factdb statement merge 12 7
    """
    from factdb.record.merging import merge_statements

    result = run(ctx, lambda session: merge_statements(session, duplicate, into), write=True)
    record = result.record()
    warn(result.warnings)
    if fmt is OutputFormat.json:
        write_json(record | {"warnings": list(result.warnings)})
    elif fmt is OutputFormat.csv:
        emit_record(record, fmt)
    else:
        moved = ", ".join(_counted(record[key], key) for key in MOVED)
        typer.echo(f"Merged statement #{result.merged} into #{result.into}: moved {moved}.")


def register(app: typer.Typer) -> None:
    """Add this module's commands to the root app."""
    app.add_typer(statement_app, name="statement")

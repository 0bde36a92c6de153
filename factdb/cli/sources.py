"""Commands: ``factdb source add | list``."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from factdb.cli.common import FormatOption, OutputFormat, emit_record, emit_rows, run

source_app = typer.Typer(
    name="source",
    help="Example: factdb source add https://www.dawn.com/news/1584174 --outlet Dawn",
    no_args_is_help=True,
    rich_markup_mode=None,
)

_MESSAGES = {
    "added": "Added source #{id} {url}.",
    "updated": "Updated source #{id} {url}.",
    "unchanged": "Source #{id} {url} is already recorded with these details.",
}


@source_app.command("add")
def add(
    ctx: typer.Context,
    url: Annotated[str, typer.Argument(metavar="URL", help="An http(s) URL.", show_default=False)],
    outlet: Annotated[
        str | None, typer.Option("--outlet", metavar="NAME", help="Who published it.")
    ] = None,
    title: Annotated[str | None, typer.Option("--title", metavar="TEXT", help="Its title.")] = None,
    published: Annotated[
        str | None,
        typer.Option("--published", metavar="DATE", help="YYYY, YYYY-MM or YYYY-MM-DD."),
    ] = None,
    retrieved: Annotated[
        str | None,
        typer.Option("--retrieved", metavar="DATE", help="When you read it: YYYY-MM-DD."),
    ] = None,
    archive: Annotated[
        str | None,
        typer.Option("--archive", metavar="URL", help="An archived copy (http/https)."),
    ] = None,
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """Add a source, or fill in details of one already known by its URL.

    Example: factdb source add https://www.dawn.com/news/1584174 --outlet Dawn --published 2020
    """
    from factdb.queries.records import source_record
    from factdb.record.sources import add_source

    def work(session: Any) -> tuple[str, dict[str, Any]]:
        change = add_source(session, url, outlet, title, published, retrieved, archive)
        return change.action, source_record(change.source)

    action, record = run(ctx, work, write=True)
    if fmt is OutputFormat.table:
        typer.echo(_MESSAGES[action].format(**record))
    else:
        emit_record(record, fmt)


@source_app.command("list")
def list_command(ctx: typer.Context, fmt: FormatOption = OutputFormat.table) -> None:
    """List every source, oldest first.

    Example: factdb source list --format csv
    """
    from factdb.record.sources import list_sources

    rows = run(ctx, list_sources)
    emit_rows(
        rows,
        fmt,
        ["id", "url", "outlet", "title", "published", "retrieved", "archive_url"],
        empty="No sources yet; add one with `factdb source add`.",
    )


def register(app: typer.Typer) -> None:
    """Add this module's commands to the root app."""
    app.add_typer(source_app, name="source")

"""Commands: ``factdb report claim | topic | actor`` and ``factdb demo``."""

from __future__ import annotations

import sys
from collections.abc import Callable
from enum import StrEnum
from functools import partial
from typing import TYPE_CHECKING, Annotated, Any

import typer

from factdb.cli.common import dump_json, fail, flagged, run, scope_of, state
from factdb.cli.options import ActorArg, ForceOption, db_option

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from factdb.dates import PartialDate


class ReportFormat(StrEnum):
    text = "text"
    md = "md"
    html = "html"
    json = "json"


ReportFormatOption = Annotated[
    ReportFormat,
    typer.Option("--format", "-f", help="text (terminal), md, html or json.", case_sensitive=False),
]
OutputOption = Annotated[
    str | None,
    typer.Option(
        "--output",
        "-o",
        metavar="FILE",
        help="Write the report to FILE (never overwrites without --force).",
    ),
]
AsOfOption = Annotated[
    str | None,
    typer.Option(
        "--as-of",
        metavar="DATE",
        help="Only what was said by this date (YYYY, YYYY-MM or YYYY-MM-DD).",
    ),
]
RollUpOption = Annotated[
    bool,
    typer.Option("--roll-up", help="Positions of organizations (states) instead of members."),
]

report_app = typer.Typer(
    name="report",
    help="Example: factdb report claim 1 --format html -o report.html",
    no_args_is_help=True,
    rich_markup_mode=None,
)


def render(report: dict[str, Any], fmt: ReportFormat) -> str:
    """The report in a file format (text is rendered without colour)."""
    if fmt is ReportFormat.json:
        return dump_json(report) + "\n"
    if fmt is ReportFormat.md:
        from factdb.reports import markdown

        return markdown.render(report)
    if fmt is ReportFormat.html:
        from factdb.reports import html

        return html.render(report)
    import io

    from factdb.cli.report_text import print_report

    buffer = io.StringIO()
    print_report(report, buffer)
    return buffer.getvalue()


def _report(
    ctx: typer.Context,
    build: Callable[[Session, str, PartialDate | None, bool], dict[str, Any]],
    subject: str,
    fmt: ReportFormat,
    output: str | None,
    force: bool,
) -> None:
    """Build the report on ``subject`` as of the command's ``--as-of``, with its
    ``--roll-up``, and print it, or write it to ``-o``."""
    from factdb.errors import FactDBError
    from factdb.outfiles import check_target, write_text

    scope = scope_of(ctx)
    try:
        if output is not None:
            check_target(output, force=force, field="-o")
        report = run(ctx, lambda session: build(session, subject, scope.as_of, scope.roll_up))
        if output is not None:
            write_text(output, render(report, fmt), force=force, field="-o")
            sys.stderr.write(f"Wrote {output}\n")
        elif fmt is ReportFormat.text:
            from factdb.cli.report_text import print_report

            print_report(report)
        else:
            sys.stdout.write(render(report, fmt))
    except FactDBError as exc:
        fail(flagged(exc))


@report_app.command("claim")
def claim_command(
    ctx: typer.Context,
    statement_id: Annotated[
        str, typer.Argument(metavar="ID", help="The claim's id (12 or #12).", show_default=False)
    ],
    fmt: ReportFormatOption = ReportFormat.text,
    output: OutputOption = None,
    force: ForceOption = False,
    as_of: AsOfOption = None,
    roll_up: RollUpOption = False,
) -> None:
    """A claim, who made it and where, its status, every answer in order, and positions.

    Example: factdb report claim 1 --format html -o claim-1.html
    """
    from factdb.reports.model import claim_report

    _report(ctx, claim_report, statement_id, fmt, output, force)


@report_app.command("topic")
def topic_command(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(metavar="NAME", help="The topic.", show_default=False)],
    fmt: ReportFormatOption = ReportFormat.text,
    output: OutputOption = None,
    force: ForceOption = False,
    as_of: AsOfOption = None,
    roll_up: RollUpOption = False,
) -> None:
    """A topic's summary, every claim with its thread, and how actors line up.

    Example: factdb report topic "Nagorno-Karabakh 2020" --format md -o karabakh.md
    """
    from factdb.reports.model import topic_report

    _report(ctx, topic_report, name, fmt, output, force)


@report_app.command("actor")
def actor_command(
    ctx: typer.Context,
    name: ActorArg,
    fmt: ReportFormatOption = ReportFormat.text,
    output: OutputOption = None,
    force: ForceOption = False,
    as_of: AsOfOption = None,
    roll_up: RollUpOption = False,
    direct: Annotated[
        bool, typer.Option("--direct", help="Only the actor's own statements, not its members'.")
    ] = False,
) -> None:
    """What an actor and its members claimed and answered, and the claims about it.

    Example: factdb report actor Pakistan
    """
    from factdb.reports.model import actor_report

    _report(ctx, partial(actor_report, direct=direct), name, fmt, output, force)


def _demo_target(ctx: typer.Context, db: str | None) -> str:
    """``demo --db`` or the root ``--db`` typed on the command line; never ``FACTDB_DB``
    (the user's own records), so by default the demo gets its own file."""
    if db:
        return db
    from factdb.cli.vendored_click import ParameterSource

    root = ctx.find_root()
    if root.get_parameter_source("db") is ParameterSource.COMMANDLINE and state(ctx).db:
        return str(state(ctx).db)
    from factdb.demo import demo_path

    return str(demo_path())


def demo_command(
    ctx: typer.Context,
    db: Annotated[
        str | None, db_option("Load the example here instead of the demo's own file.")
    ] = None,
) -> None:
    """It goes into demo.sqlite3 beside your default database unless --db is given.

    It never touches your own records (not even with FACTDB_DB set). Running it again adds nothing.

    Example: factdb demo
    """
    import shlex

    from factdb.cli.common import CliState
    from factdb.demo import load_demo
    from factdb.reports.model import topic_report
    from factdb.store.engine import safe_url_text

    target = _demo_target(ctx, db)
    ctx.find_root().obj = CliState(target)
    loaded = run(ctx, load_demo, write=True)
    report = run(ctx, lambda s: topic_report(s, loaded.topic))
    from factdb.cli.report_text import print_report

    print_report(report)
    shown = safe_url_text(target) if "://" in target else target
    where = shlex.quote(shown)
    added = (
        f"Loaded the worked example into {shown} ({loaded.added} records added)."
        if loaded.added
        else f"The worked example is already in {shown}; nothing was added."
    )
    typer.echo(
        f"\n{added}\nTry next:\n"
        f"  factdb --db {where} who-denied --about Pakistan\n"
        f"  factdb --db {where} positions {loaded.claim_id} --roll-up\n"
        f"  factdb --db {where} report claim {loaded.claim_id} --format html -o claim.html"
    )


def register(app: typer.Typer) -> None:
    """Add this module's commands to the root app."""
    app.add_typer(report_app, name="report")
    app.command("demo")(demo_command)

"""Commands that ask the record: ``who-denied``, ``who-endorsed``, ``responses``,
``positions``, ``search``, ``timeline``, ``alignment`` and ``claim list``."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, Annotated, Any

import typer

from factdb.cli.common import (
    FormatOption,
    LimitOption,
    OutputFormat,
    emit_rows,
    fail,
    page_limit,
    run,
    scope_of,
)
from factdb.cli.options import DirectOption, SaidByOption, StatementIdArg, StatementKindOption
from factdb.cli.vendored_click import choice
from factdb.vocabulary import RESPONSE_KINDS, STATUSES

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from factdb.queries.paging import Page

StatementArg = Annotated[
    str | None,
    typer.Argument(
        metavar="[ID]", help="Only answers to this statement (12 or #12).", show_default=False
    ),
]
ByOption = Annotated[
    str | None,
    typer.Option(
        "--by", metavar="ACTOR", help="Answered by this actor or its affiliates at the time."
    ),
]
OfOption = Annotated[
    str | None,
    typer.Option(
        "--of", metavar="ACTOR", help="Answering statements by this actor (or its affiliates)."
    ),
]
AboutOption = Annotated[
    str | None,
    typer.Option(
        "--about", metavar="ACTOR", help="Answering statements about this actor (or affiliates)."
    ),
]
TopicOption = Annotated[
    str | None, typer.Option("--topic", metavar="T", help="Answering statements on this topic.")
]
SearchOption = Annotated[
    str | None,
    typer.Option(
        "--search", metavar="TEXT", help="The answer or what it answers contains these words."
    ),
]
SinceOption = Annotated[
    str | None,
    typer.Option("--since", metavar="DATE", help="Dated on or after: YYYY, YYYY-MM, YYYY-MM-DD."),
]
UntilOption = Annotated[
    str | None,
    typer.Option("--until", metavar="DATE", help="Dated on or before (the period's last day)."),
]
AsOfOption = Annotated[
    str | None,
    typer.Option(
        "--as-of", metavar="DATE", help="Ignore what was said after this date (and undated)."
    ),
]
RollUpOption = Annotated[
    bool,
    typer.Option("--roll-up", help="Report organizations (states) instead of their members."),
]

RESPONSE_COLUMNS = (
    "on_behalf_of",
    "date",
    "quote",
    "statement_id",
    "statement",
    "author",
    "sources",
)
# How each answer listing shows its rows: the columns before RESPONSE_COLUMNS, and the line
# printed when there are none.
ANSWER_LISTINGS = {
    "responses": (("response_id", "kind", "responder"), "No answers found."),
    "who-denied": (("denial_id", "denier"), "No denials found."),
    "who-endorsed": (("endorsement_id", "endorser"), "No endorsements found."),
}


def _answers(
    ctx: typer.Context,
    query: Callable[..., Page],
    listing: str,
    statement: str | None,
    search: str | None,
    limit: int | None,
    fmt: OutputFormat,
) -> None:
    """Run an answer listing (``query``, from factdb.queries.responses) with the command's
    scope and print it as ``ANSWER_LISTINGS[listing]`` says."""
    scope = scope_of(ctx)
    rows = run(
        ctx,
        lambda session: query(
            session, statement=statement, scope=scope, search=search, limit=page_limit(limit, fmt)
        ),
    )
    first, empty = ANSWER_LISTINGS[listing]
    emit_rows(rows, fmt, (*first, *RESPONSE_COLUMNS), empty=empty, total=rows.total)


def responses(
    ctx: typer.Context,
    statement: StatementArg = None,
    kind: Annotated[
        str | None,
        typer.Option(
            "--kind", "-k", click_type=choice(RESPONSE_KINDS), help="Only this kind of answer."
        ),
    ] = None,
    by: ByOption = None,
    of: OfOption = None,
    about: AboutOption = None,
    topic: TopicOption = None,
    search: SearchOption = None,
    since: SinceOption = None,
    until: UntilOption = None,
    direct: DirectOption = False,
    limit: LimitOption = None,
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """Example: factdb responses --kind dispute --of "Nikol Pashinyan" """
    from factdb.queries.responses import response_query

    query = partial(response_query, kind=kind)
    _answers(ctx, query, "responses", statement, search, limit, fmt)


def _one_kind(listing: str, function: str, example: str) -> Callable[..., None]:
    """``responses`` for one kind of answer, with rows of its own: who-denied and
    who-endorsed, ``function`` in factdb.queries.responses. The same flags but --kind: its
    signature is that of ``responses`` without ``kind`` (the filters reach the library
    through ``scope_of``)."""

    def command(
        ctx: typer.Context,
        statement: str | None,
        search: str | None,
        limit: int | None,
        fmt: OutputFormat,
        **filters: Any,
    ) -> None:
        from factdb.queries import responses as library

        _answers(ctx, getattr(library, function), listing, statement, search, limit, fmt)

    flags = inspect.signature(responses, eval_str=True)
    kept = [parameter for parameter in flags.parameters.values() if parameter.name != "kind"]
    command.__signature__ = flags.replace(parameters=kept)  # type: ignore[attr-defined]
    command.__doc__ = f"Example: {example}"
    return command


def positions(
    ctx: typer.Context,
    statement: StatementIdArg,
    as_of: AsOfOption = None,
    roll_up: RollUpOption = False,
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """Example: factdb positions 1 --roll-up"""
    from factdb.queries.positions import positions as query

    scope = scope_of(ctx)
    rows = run(
        ctx, lambda session: query(session, statement, as_of=scope.as_of, roll_up=scope.roll_up)
    )
    emit_rows(rows, fmt, ("actor", "position", "via"), empty="Nobody has taken a position.")


def search(
    ctx: typer.Context,
    text: Annotated[str, typer.Argument(metavar="TEXT", help="Words to find (all must match).")],
    kind: StatementKindOption = None,
    by: SaidByOption = None,
    direct: DirectOption = False,
    limit: LimitOption = None,
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """Example: factdb search "special forces" """
    from factdb.queries.search import search as query

    rows = run(
        ctx,
        lambda session: query(
            session,
            text,
            kind=kind,
            by=by,
            direct=direct,
            limit=page_limit(limit, fmt),
        ),
    )
    emit_rows(
        rows,
        fmt,
        ("rank", "id", "kind", "actor", "date", "snippet"),
        empty="No matches.",
        total=rows.total,
    )


def timeline(
    ctx: typer.Context,
    topic: Annotated[
        str | None, typer.Option("--topic", metavar="T", help="Only statements on this topic.")
    ] = None,
    by: Annotated[
        str | None,
        typer.Option("--by", metavar="ACTOR", help="Only statements by it or its affiliates."),
    ] = None,
    since: SinceOption = None,
    until: UntilOption = None,
    direct: DirectOption = False,
    limit: LimitOption = None,
    fmt: FormatOption = OutputFormat.table,
    actor: Annotated[
        str | None, typer.Option("--actor", metavar="ACTOR", hidden=True, help="Old name of --by.")
    ] = None,
) -> None:
    """Example: factdb timeline --by Pakistan --since 2020-10"""
    from factdb.queries.timeline import timeline as query

    if by is not None and actor is not None and by != actor:
        fail("--actor: is the old name of --by; give one of them", 2)
    scope = scope_of(ctx)
    rows = run(
        ctx,
        lambda session: query(
            session,
            scope,
            actor=actor,
            limit=page_limit(limit, fmt),
        ),
    )
    emit_rows(
        rows,
        fmt,
        ("date", "id", "kind", "actor", "responds_to", "text", "quote"),
        empty="No statements found.",
        total=rows.total,
    )


def alignment(
    ctx: typer.Context,
    topic: Annotated[
        str, typer.Option("--topic", metavar="T", help="The topic whose claims to compare on.")
    ],
    roll_up: RollUpOption = False,
    as_of: AsOfOption = None,
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """Example: factdb alignment --topic "Nagorno-Karabakh 2020" --roll-up"""
    from factdb.queries.alignment import alignment as query

    scope = scope_of(ctx)
    rows = run(ctx, lambda session: query(session, topic, roll_up=scope.roll_up, as_of=scope.as_of))
    emit_rows(
        rows,
        fmt,
        ("actor_a", "actor_b", "same", "opposite", "agreement"),
        empty="No two actors took sides on the same claim.",
    )


CLAIM_COLUMNS = ("id", "date", "actor", "text", "about", "topics", "status")
NO_CLAIMS_YET = "No claims yet. Add one with: factdb claim add TEXT --by ACTOR"


def claim_list(
    ctx: typer.Context,
    by: Annotated[
        str | None,
        typer.Option("--by", metavar="ACTOR", help="Claimed by this actor or its affiliates."),
    ] = None,
    about: Annotated[
        str | None,
        typer.Option("--about", metavar="ACTOR", help="About this actor (or its affiliates)."),
    ] = None,
    topic: Annotated[
        str | None, typer.Option("--topic", metavar="T", help="On this topic.")
    ] = None,
    since: SinceOption = None,
    until: UntilOption = None,
    status: Annotated[
        str | None,
        typer.Option(
            "--status", "-s", click_type=choice(STATUSES), help="Only claims with this status."
        ),
    ] = None,
    denied_by: Annotated[
        str | None,
        typer.Option("--denied-by", metavar="ACTOR", help="Denied by this actor (or affiliates)."),
    ] = None,
    endorsed_by: Annotated[
        str | None,
        typer.Option(
            "--endorsed-by", metavar="ACTOR", help="Endorsed by this actor (or affiliates)."
        ),
    ] = None,
    unanswered: Annotated[
        bool, typer.Option("--unanswered", help="Only claims nobody else has answered.")
    ] = False,
    include_deleted: Annotated[
        bool, typer.Option("--include-deleted", help="Deleted claims too.")
    ] = False,
    direct: DirectOption = False,
    limit: LimitOption = None,
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """List claims with their derived status, filtered by status, topic or who answered them.

    The statuses: unanswered, denied, disputed, endorsed, contested, admitted, retracted.
    With --include-deleted, a deleted column too.

    Example: factdb claim list --about Pakistan --status denied
    """
    from factdb.queries.claim_list import list_claims

    # Unfiltered and empty: there are no (live) claims, so say how to add one.
    options = (by, about, topic, since, until, status, denied_by, endorsed_by)
    filtered = unanswered or any(value is not None for value in options)
    scope = scope_of(ctx)

    def work(session: Session) -> Page:
        return list_claims(
            session,
            scope,
            status=status,
            denied_by=denied_by,
            endorsed_by=endorsed_by,
            unanswered=unanswered,
            include_deleted=include_deleted,
            limit=page_limit(limit, fmt),
        )

    columns = (*CLAIM_COLUMNS, "deleted") if include_deleted else CLAIM_COLUMNS
    empty = "No claims found." if filtered else NO_CLAIMS_YET
    rows = run(ctx, work)
    emit_rows(rows, fmt, columns, empty=empty, total=rows.total)


def register(app: typer.Typer) -> None:
    """Add this module's commands to the root app (``claim list`` is added by statements)."""
    app.command("who-denied")(
        _one_kind("who-denied", "who_denied", "factdb who-denied --about Pakistan")
    )
    app.command("who-endorsed")(
        _one_kind("who-endorsed", "who_endorsed", "factdb who-endorsed --by Pakistan")
    )
    app.command("responses")(responses)
    app.command("positions")(positions)
    app.command("search")(search)
    app.command("timeline")(timeline)
    app.command("alignment")(alignment)

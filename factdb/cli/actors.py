"""Commands: ``factdb actor add | alias | affiliate | list | show | edit | merge``."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from factdb.cli.common import FormatOption, OutputFormat, emit_record, emit_rows, given, run
from factdb.cli.options import ActorArg
from factdb.vocabulary import ACTOR_KINDS

KIND_HELP = f"Kind of actor: {', '.join(ACTOR_KINDS[:-1])} or {ACTOR_KINDS[-1]}."


def _kind(value: str | None) -> str | None:
    if value is None:
        return None
    normalized = value.strip().lower()
    if normalized not in ACTOR_KINDS:
        raise typer.BadParameter(f"{value!r} is not one of {', '.join(ACTOR_KINDS)}")
    return normalized


NameArg = Annotated[
    str, typer.Argument(metavar="NAME", help="The actor's name.", show_default=False)
]
_KIND = typer.Option("--kind", "-k", metavar="KIND", callback=_kind, help=KIND_HELP)
KindOption = Annotated[str, _KIND]
AnyKindOption = Annotated[str | None, _KIND]  # optional: actor list and edit
CountryOption = Annotated[
    str | None,
    typer.Option("--country", metavar="CC", help="ISO 3166-1 alpha-2 country code, e.g. PK."),
]
WikidataOption = Annotated[
    str | None, typer.Option("--wikidata", metavar="QID", help="Wikidata item id, e.g. Q843.")
]
DescriptionOption = Annotated[
    str | None, typer.Option("--description", metavar="TEXT", help="A short description.")
]
RoleOption = Annotated[
    str | None, typer.Option("--role", metavar="ROLE", help="Role in the organization.")
]
FromOption = Annotated[
    str | None,
    typer.Option("--from", metavar="DATE", help="Affiliation start: YYYY, YYYY-MM or YYYY-MM-DD."),
]
ToOption = Annotated[
    str | None,
    typer.Option("--to", metavar="DATE", help="Affiliation end: YYYY, YYYY-MM or YYYY-MM-DD."),
]

# The flags of a new or changed actor, as the library's keywords (add_actor, edit_actor).
_FIELDS = {
    "name": "name",
    "kind": "kind",
    "country": "country",
    "alias": "aliases",
    "member_of": "member_of",
    "role": "role",
    "start": "start",
    "end": "end",
    "wikidata": "wikidata",
    "description": "description",
}

actor_app = typer.Typer(
    name="actor",
    help='Example: factdb actor add "Pakistan" --kind state --country PK',
    no_args_is_help=True,
    rich_markup_mode=None,
)


def _summary(record: dict[str, Any]) -> str:
    details = ", ".join(part for part in (record["kind"], record["country"]) if part)
    return f"#{record['id']} {record['name']} ({details})"


def _period(affiliation: dict[str, Any]) -> str:
    parts = [affiliation["role"]] if affiliation.get("role") else []
    if affiliation.get("from"):
        parts.append(f"from {affiliation['from']}")
    if affiliation.get("to"):
        parts.append(f"to {affiliation['to']}")
    return f" ({', '.join(parts)})" if parts else ""


def _display(record: dict[str, Any]) -> dict[str, Any]:
    """An actor record for the table view: affiliations as readable lines."""
    shown = dict(record)
    shown["affiliations"] = [
        f"{a['organization']} (#{a['organization_id']}){_period(a)}" for a in record["affiliations"]
    ]
    if "members" in record:
        shown["members"] = [
            f"{m['member']} (#{m['member_id']}){_period(m)}" for m in record["members"]
        ]
    return shown


def _confirm(record: dict[str, Any], fmt: OutputFormat, message: str) -> None:
    if fmt is OutputFormat.table:
        typer.echo(message)
    else:
        emit_record(record, fmt)


@actor_app.command("add")
def add(
    ctx: typer.Context,
    name: NameArg,
    kind: KindOption,
    country: CountryOption = None,
    alias: Annotated[
        list[str] | None,
        typer.Option("--alias", metavar="ALIAS", help="Another name (repeat for more)."),
    ] = None,
    member_of: Annotated[
        str | None,
        typer.Option("--member-of", metavar="ORG", help="An organization the actor belongs to."),
    ] = None,
    role: RoleOption = None,
    start: FromOption = None,
    end: ToOption = None,
    wikidata: WikidataOption = None,
    description: DescriptionOption = None,
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """Add an actor (a state, ministry, person, organization...).

    Example: factdb actor add "Pakistan Foreign Office" --kind ministry --member-of Pakistan
    """
    from factdb.queries.records import actor_record
    from factdb.record.actors import add_actor

    fields = given(ctx, _FIELDS)
    record = run(ctx, lambda session: actor_record(add_actor(session, **fields)), write=True)
    _confirm(record, fmt, f"Added actor {_summary(record)}.")


@actor_app.command("alias")
def alias(
    ctx: typer.Context,
    actor: ActorArg,
    aliases: Annotated[
        list[str],
        typer.Argument(metavar="ALIAS...", help="One or more other names.", show_default=False),
    ],
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """Give an actor other names (spellings, transliterations, short forms).

    Example: factdb actor alias "Aleksandar Vučić" "Vucic" "Александар Вучић"
    """
    from factdb.queries.records import actor_record
    from factdb.record.actors import add_aliases

    record = run(
        ctx, lambda session: actor_record(add_aliases(session, actor, aliases)), write=True
    )
    _confirm(
        record,
        fmt,
        f"Actor #{record['id']} {record['name']} is also called: {'; '.join(record['aliases'])}.",
    )


@actor_app.command("affiliate")
def affiliate(
    ctx: typer.Context,
    member: Annotated[
        str, typer.Argument(metavar="MEMBER", help="The member actor.", show_default=False)
    ],
    organization: Annotated[
        str,
        typer.Argument(metavar="ORG", help="The organization it belongs to.", show_default=False),
    ],
    role: RoleOption = None,
    start: FromOption = None,
    end: ToOption = None,
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """Record that an actor belongs to an organization (a spokesman to a ministry).

    Example: factdb actor affiliate "Zahid Hafeez Chaudhri" Pakistan --role envoy --from 2023
    """
    from factdb.queries.records import actor_record
    from factdb.record.actors import affiliate as affiliate_actor

    def work(session: Any) -> dict[str, Any]:
        affiliation = affiliate_actor(session, member, organization, role, start, end)
        return actor_record(affiliation.member)

    record = run(ctx, work, write=True)
    added = record["affiliations"][-1]
    _confirm(
        record,
        fmt,
        f"Actor #{record['id']} {record['name']} is a member of "
        f"#{added['organization_id']} {added['organization']}{_period(added)}.",
    )


@actor_app.command("list")
def list_command(
    ctx: typer.Context,
    kind: AnyKindOption = None,
    include_deleted: Annotated[
        bool,
        typer.Option("--include-deleted", help="Also list actors merged into others."),
    ] = False,
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """List actors by name (merged duplicates are hidden unless --include-deleted).

    Example: factdb actor list --kind state --format csv
    """
    from factdb.record.actors import list_actors

    rows = run(ctx, lambda session: list_actors(session, kind, include_merged=include_deleted))
    columns = ["id", "name", "kind", "country", "aliases", "affiliations"]
    if include_deleted:
        columns.append("merged_into")
    emit_rows(rows, fmt, columns, empty="No actors yet; add one with `factdb actor add`.")


@actor_app.command("show")
def show(ctx: typer.Context, actor: ActorArg, fmt: FormatOption = OutputFormat.table) -> None:
    """Show an actor: its aliases, affiliations, members and statement counts.

    Example: factdb actor show "Pakistan Foreign Office" --format json
    """
    from factdb.record.actors import actor_details

    record = run(ctx, lambda session: actor_details(session, actor))
    emit_record(record if fmt is OutputFormat.json else _display(record), fmt)


@actor_app.command("edit")
def edit(
    ctx: typer.Context,
    actor: ActorArg,
    name: Annotated[str | None, typer.Option("--name", metavar="NAME", help="New name.")] = None,
    kind: AnyKindOption = None,
    country: Annotated[
        str | None,
        typer.Option("--country", metavar="CC", help='ISO 3166-1 alpha-2 code ("" clears it).'),
    ] = None,
    wikidata: Annotated[
        str | None,
        typer.Option("--wikidata", metavar="QID", help='Wikidata item id ("" clears it).'),
    ] = None,
    description: Annotated[
        str | None,
        typer.Option("--description", metavar="TEXT", help='Description ("" clears it).'),
    ] = None,
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """Change an actor's name, kind, country, Wikidata id or description.

    Example: factdb actor edit "Pakistan" --wikidata Q843
    """
    from factdb.queries.records import actor_record
    from factdb.record.actors import edit_actor

    changes = given(ctx, _FIELDS)
    record = run(
        ctx, lambda session: actor_record(edit_actor(session, actor, **changes)), write=True
    )
    _confirm(record, fmt, f"Updated actor {_summary(record)}.")


@actor_app.command("merge")
def merge(
    ctx: typer.Context,
    duplicate: Annotated[
        str,
        typer.Argument(metavar="DUPLICATE", help="The actor to fold away.", show_default=False),
    ],
    into: Annotated[
        str, typer.Argument(metavar="INTO", help="The actor to keep.", show_default=False)
    ],
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """Merge a duplicate actor into the one to keep.

    Statements by and about it, affiliations and aliases move; its name becomes an alias.

    Example: factdb actor merge "Pakistani MFA" "Pakistan Foreign Office"
    """
    from factdb.queries.records import actor_record
    from factdb.queries.resolve import resolve_actor
    from factdb.record.actors import merge_actors

    def work(session: Any) -> tuple[str, dict[str, Any]]:
        dup = resolve_actor(session, duplicate, "DUPLICATE")
        label = f"#{dup.id} {dup.name}"
        return label, actor_record(merge_actors(session, duplicate, into))

    label, record = run(ctx, work, write=True)
    _confirm(record, fmt, f"Merged actor {label} into #{record['id']} {record['name']}.")


def register(app: typer.Typer) -> None:
    """Add this module's commands to the root app."""
    app.add_typer(actor_app, name="actor")

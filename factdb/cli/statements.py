"""Commands that record statements: ``factdb claim add | edit`` (and ``claim list``, from
``queries``), the answers ``deny | dispute | endorse | admit | retract | fact-check``, and
``delete | restore``."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Annotated, Any

import typer

from factdb.cli.common import (
    FormatOption,
    OutputFormat,
    emit_record,
    emit_rows,
    fail,
    given,
    run,
    warn,
    write_json,
)
from factdb.cli.options import StatementIdArg
from factdb.cli.queries import claim_list
from factdb.cli.vendored_click import choice
from factdb.vocabulary import VERDICTS

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from factdb.store.models import Statement


ByOption = Annotated[
    str,
    typer.Option("--by", metavar="ACTOR", help="Who said it: actor name, alias or #id."),
]
OnOption = Annotated[
    str | None,
    typer.Option("--on", metavar="DATE", help="When: YYYY, YYYY-MM or YYYY-MM-DD."),
]
QuoteOption = Annotated[
    str | None, typer.Option("--quote", metavar="Q", help="The verbatim words.")
]
LangOption = Annotated[
    str | None,
    typer.Option("--lang", metavar="L", help="Language of the quote, e.g. en, ur, hy."),
]
TextOption = Annotated[
    str | None,
    typer.Option("--text", metavar="T", help="What the answer itself asserts, in your words."),
]
AboutOption = Annotated[
    list[str] | None,
    typer.Option("--about", metavar="ACTOR", help="An actor it is about (repeat for more)."),
]
TopicOption = Annotated[
    list[str] | None,
    typer.Option("--topic", metavar="T", help="A topic (created if new; repeat for more)."),
]
SourceOption = Annotated[
    list[str] | None,
    typer.Option("--source", metavar="URL", help="An http(s) source URL (repeat for more)."),
]
LocatorOption = Annotated[
    list[str] | None,
    typer.Option(
        "--locator",
        metavar="WHERE",
        help="Where in the source, e.g. 'para. 4'; the n-th --locator goes with the n-th --source.",
    ),
]
NoteOption = Annotated[str | None, typer.Option("--note", metavar="N", help="Your note.")]
RefOption = Annotated[
    str | None,
    typer.Option("--ref", metavar="REF", help="A stable key for import/export (no spaces)."),
]
RatingOption = Annotated[
    str | None,
    typer.Option("--rating", metavar="WORDS", help="The checker's own rating, in its words."),
]
NoCheckOption = Annotated[
    bool,
    typer.Option(
        "--no-check", help="Do not look for similar statements already recorded (see `similar`)."
    ),
]

claim_app = typer.Typer(
    name="claim",
    help='Example: factdb claim add "Pakistani special forces are fighting in Karabakh" '
    '--by "Nikol Pashinyan" --on 2020-10',
    no_args_is_help=True,
    rich_markup_mode=None,
)


def _sources(
    sources: list[str] | None, locators: list[str] | None
) -> list[str | tuple[str, str | None]]:
    urls = sources or []
    places = locators or []
    if len(places) > len(urls):
        fail(
            f"--locator: {len(places)} --locator for {len(urls)} --source; each --locator goes "
            "with the --source in the same position",
            2,
        )
    return [(url, places[i]) if i < len(places) else url for i, url in enumerate(urls)]


def _added(
    session: Session, statement: Statement, check: tuple[float, float] | None
) -> dict[str, Any]:
    """The new statement's record and the sentence that confirms it; for an answer, the
    warning when it is dated before what it answers; and (unless ``check`` is None or the
    statement has no text) the statements recorded before that look like it: neither itself
    nor what it answers."""
    from factdb.queries.records import statement_record
    from factdb.record.statements import kind_label

    record = statement_record(statement)
    message = f"Added {kind_label(record['kind'])} #{record['id']} by {record['actor']}"
    result: dict[str, Any] = {"record": record}
    target = statement.responds_to
    if target is not None:
        from factdb.record.answer_dates import early_answers

        message += f", answering {kind_label(target.kind)} #{target.id}"
        result["warnings"] = early_answers(session, statement.id)
    if check is not None and statement.text:
        from factdb.matching import entry_matches

        suggest, certain = check
        exclude = [statement.id] if target is None else [statement.id, target.id]
        result["similar"] = entry_matches(
            session, statement.text, exclude=exclude, suggest=suggest, certain=certain
        )
    return result | {"message": message + "."}


def _confirm(result: dict[str, Any], fmt: OutputFormat, by: str | None = None) -> None:
    """The confirmation on stdout; warnings on stderr, and in JSON as ``warnings``; a note on
    stderr for each similar statement, and in JSON the ``similar`` list when there is one
    (without, the record stays as it was)."""
    warnings = result.get("warnings")
    similar = result.get("similar")
    warn(warnings or [])
    extra: dict[str, Any] = {} if warnings is None else {"warnings": warnings}
    if similar:
        extra["similar"] = similar
    if fmt is OutputFormat.table:
        typer.echo(result["message"])
    elif fmt is OutputFormat.json and extra:
        write_json(result["record"] | extra)
    else:
        emit_record(result["record"], fmt)
    if similar and by is not None:
        from factdb.cli.matching import entry_notes

        entry_notes(similar, by)


# The flags of a new statement and of a statement edit, as the library's keywords.
_FIELDS = {
    "text": "text",
    "by": "by",
    "on": "date",
    "quote": "quote",
    "lang": "lang",
    "about": "about",
    "topic": "topics",
    "note": "note",
    "ref": "ref",
    "verdict": "verdict",
    "rating": "rating",
}
_EDITS = {
    **{flag: key for flag, key in _FIELDS.items() if key not in ("by", "about", "topics")},
    "about": "add_about",
    "remove_about": "remove_about",
    "topic": "add_topics",
    "remove_topic": "remove_topics",
    "remove_source": "remove_sources",
}


def _record(ctx: typer.Context, fmt: OutputFormat, add: Callable[..., Statement]) -> None:
    """Record the statement the command's flags describe, as ``add(session, **fields)``
    (flags not given are left to the library's defaults), and confirm it; unless
    ``--no-check``, note the statements already recorded that look like it."""
    from factdb.cli.matching import thresholds

    fields = given(ctx, _FIELDS)
    fields["sources"] = _sources(ctx.params["source"], ctx.params["locator"])
    check = None if ctx.params["no_check"] else thresholds()
    result = run(ctx, lambda session: _added(session, add(session, **fields), check), write=True)
    _confirm(result, fmt, fields["by"])


@claim_app.command("add")
def claim_add(
    ctx: typer.Context,
    text: Annotated[
        str, typer.Argument(metavar="TEXT", help="What is claimed.", show_default=False)
    ],
    by: ByOption,
    on: OnOption = None,
    quote: QuoteOption = None,
    lang: LangOption = None,
    about: AboutOption = None,
    topic: TopicOption = None,
    source: SourceOption = None,
    locator: LocatorOption = None,
    note: NoteOption = None,
    ref: RefOption = None,
    no_check: NoCheckOption = False,
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """Log a claim: an actor asserts something.

    First it looks for similar statements already recorded: for each scoring at least the
    suggest threshold it still adds the claim, and prints a `note:` on stderr with the
    command that would link to it instead (JSON: the `similar` key; see `factdb similar`).

    Example: factdb claim add "Pakistani special forces are fighting alongside the Azerbaijani
    army" --by "Nikol Pashinyan" --on 2020-10 --about Pakistan --topic "Nagorno-Karabakh 2020"
    """
    from factdb.record.statements import add_claim

    _record(ctx, fmt, add_claim)


@claim_app.command("edit")
def claim_edit(
    ctx: typer.Context,
    statement_id: StatementIdArg,
    text: Annotated[
        str | None, typer.Option("--text", metavar="T", help="New text ('' clears an answer's).")
    ] = None,
    on: Annotated[
        str | None, typer.Option("--on", metavar="DATE", help="New date ('' makes it unknown).")
    ] = None,
    quote: QuoteOption = None,
    lang: LangOption = None,
    about: AboutOption = None,
    remove_about: Annotated[
        list[str] | None,
        typer.Option("--remove-about", metavar="ACTOR", help="Drop an actor it is about."),
    ] = None,
    topic: TopicOption = None,
    remove_topic: Annotated[
        list[str] | None, typer.Option("--remove-topic", metavar="T", help="Drop a topic.")
    ] = None,
    source: SourceOption = None,
    locator: LocatorOption = None,
    remove_source: Annotated[
        list[str] | None, typer.Option("--remove-source", metavar="URL", help="Drop a source.")
    ] = None,
    note: NoteOption = None,
    ref: RefOption = None,
    verdict: Annotated[
        str | None,
        typer.Option("--verdict", click_type=choice(VERDICTS), help="A fact-check's new verdict."),
    ] = None,
    rating: RatingOption = None,
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """Change a statement (a claim or any answer); '' clears an optional field.

    Example: factdb claim edit 1 --quote "Pakistani special forces" --lang en --topic Ganja
    """
    from factdb.queries.records import statement_record
    from factdb.record.answer_dates import early_answers
    from factdb.record.statements import edit_statement, kind_label

    changes = given(ctx, _EDITS)
    changes["add_sources"] = _sources(source, locator)

    def work(session: Session) -> dict[str, Any]:
        record = statement_record(edit_statement(session, statement_id, **changes))
        # re-dating it may leave it before what it answers, or its answers before it
        warnings = early_answers(session, record["id"]) if on is not None else []
        return {
            "record": record,
            "message": f"Changed {kind_label(record['kind'])} #{record['id']}.",
            "warnings": warnings,
        }

    _confirm(run(ctx, work, write=True), fmt)


# ----------------------------------------------------------------------------- answers

RESPONSE_COMMANDS = {
    # verb: (kind, example); the summary is the catalog's
    "deny": (
        "denial",
        'factdb deny 1 --by "Pakistan Foreign Office" --quote "baseless and unwarranted" '
        "--on 2020-10-10",
    ),
    "dispute": (
        "dispute",
        'factdb dispute 1 --by "Armenia" --text "The ceasefire was broken first by the other side"',
    ),
    "endorse": (
        "endorsement",
        'factdb endorse 2 --by Pakistan --on 2020-10-11 --text "Pakistan stands with Azerbaijan"',
    ),
    "admit": (
        "admission",
        'factdb admit 5 --by Armenia --text "Azerbaijani forces made important gains"',
    ),
    "retract": (
        "retraction",
        'factdb retract 1 --by "Nikol Pashinyan" --on 2020-11',
    ),
}


def _response_command(kind: str, example: str) -> Callable[..., None]:
    """One implementation behind deny, dispute, endorse, admit and retract."""

    def command(
        ctx: typer.Context,
        statement_id: StatementIdArg,
        by: ByOption,
        on: OnOption = None,
        quote: QuoteOption = None,
        lang: LangOption = None,
        text: TextOption = None,
        about: AboutOption = None,
        topic: TopicOption = None,
        source: SourceOption = None,
        locator: LocatorOption = None,
        note: NoteOption = None,
        ref: RefOption = None,
        no_check: NoCheckOption = False,
        fmt: FormatOption = OutputFormat.table,
    ) -> None:
        from factdb.record.statements import add_response

        _record(
            ctx, fmt, lambda session, **fields: add_response(session, kind, statement_id, **fields)
        )

    command.__doc__ = f"Example: {example}"
    command.__name__ = f"{kind}_command"
    return command


def fact_check(
    ctx: typer.Context,
    statement_id: StatementIdArg,
    by: ByOption,
    verdict: Annotated[
        str, typer.Option("--verdict", click_type=choice(VERDICTS), help="The verdict.")
    ],
    rating: RatingOption = None,
    on: OnOption = None,
    text: TextOption = None,
    quote: QuoteOption = None,
    lang: LangOption = None,
    source: SourceOption = None,
    locator: LocatorOption = None,
    note: NoteOption = None,
    ref: RefOption = None,
    no_check: NoCheckOption = False,
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """Example: factdb fact-check 1 --by "EUvsDisinfo" --verdict unproven --rating "No evidence
    offered" --source https://example.org/check
    """
    from factdb.record.statements import add_fact_check

    _record(ctx, fmt, lambda session, **fields: add_fact_check(session, statement_id, **fields))


# ----------------------------------------------------------------------------- delete, restore


def _confirm_ids(ids: list[int], fmt: OutputFormat, key: str, done: str, others: str) -> None:
    """The statements a delete or restore touched: JSON ``{key: [ids]}``, CSV one id a row,
    a table the sentence ``{done} #4 and the 2 answers {others}: #5, #6.``"""
    if fmt is OutputFormat.json:
        write_json({key: ids})
        return
    if fmt is OutputFormat.csv:
        emit_rows([{key: number} for number in ids], fmt, [key])
        return
    first, rest = ids[0], ids[1:]
    message = f"{done} #{first}"
    if rest:
        noun = "answer" if len(rest) == 1 else "answers"
        message += f" and the {len(rest)} {noun} {others}: {', '.join(f'#{n}' for n in rest)}"
    typer.echo(message + ".")


def delete(
    ctx: typer.Context,
    statement_id: StatementIdArg,
    cascade: Annotated[
        bool, typer.Option("--cascade", help="Also delete every answer below it.")
    ] = False,
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """Example: factdb delete 4 --cascade"""
    from factdb.record.statements import delete_statement

    deleted = run(ctx, lambda session: delete_statement(session, statement_id, cascade), write=True)
    _confirm_ids(deleted, fmt, "deleted", "Deleted", "below it")


def restore(
    ctx: typer.Context, statement_id: StatementIdArg, fmt: FormatOption = OutputFormat.table
) -> None:
    """Example: factdb restore 4"""
    from factdb.record.statements import restore_statement

    restored = run(ctx, lambda session: restore_statement(session, statement_id), write=True)
    _confirm_ids(restored, fmt, "restored", "Restored", "deleted with it")


claim_app.command("list")(claim_list)


def register(app: typer.Typer) -> None:
    """Add this module's commands to the root app."""
    app.add_typer(claim_app, name="claim")
    for verb, (kind, example) in RESPONSE_COMMANDS.items():
        app.command(verb)(_response_command(kind, example))
    app.command("fact-check")(fact_check)
    app.command("delete")(delete)
    app.command("restore")(restore)

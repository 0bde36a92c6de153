"""Commands: ``factdb claim add | edit``, the answers ``deny | dispute | endorse | admit |
retract | fact-check``, and ``show | delete | restore``."""

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
    run,
    warn,
    write_json,
)
from factdb.cli.queries import claim_list
from factdb.cli.vendored_click import choice
from factdb.vocabulary import VERDICTS

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from factdb.store.models import Statement


IdArg = Annotated[
    str, typer.Argument(metavar="ID", help="Statement id: 12 or #12.", show_default=False)
]
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


def kind_label(kind: str) -> str:
    return kind.replace("_", "-")


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


def _check(no_check: bool) -> tuple[float, float] | None:
    """The thresholds of the similarity check, or None with ``--no-check``."""
    from factdb.cli.matching import thresholds

    return None if no_check else thresholds()


def _added(
    session: Session, statement: Statement, check: tuple[float, float] | None
) -> dict[str, Any]:
    """The new statement's record and the sentence that confirms it; for an answer, the
    warning when it is dated before what it answers; and (unless ``check`` is None or the
    statement has no text) the statements recorded before that look like it: neither itself
    nor what it answers."""
    from factdb.queries.records import statement_record

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

    cited = _sources(source, locator)
    check = _check(no_check)
    result = run(
        ctx,
        lambda session: _added(
            session,
            add_claim(
                session,
                text,
                by,
                date=on,
                quote=quote,
                lang=lang,
                about=about or (),
                topics=topic or (),
                sources=cited,
                note=note,
                ref=ref,
            ),
            check,
        ),
        write=True,
    )
    _confirm(result, fmt, by)


@claim_app.command("edit")
def claim_edit(
    ctx: typer.Context,
    statement_id: IdArg,
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
    from factdb.record.statements import edit_statement

    cited = _sources(source, locator)

    def work(session: Session) -> dict[str, Any]:
        statement = edit_statement(
            session,
            statement_id,
            text=text,
            date=on,
            quote=quote,
            lang=lang,
            note=note,
            ref=ref,
            verdict=verdict,
            rating=rating,
            add_about=about,
            remove_about=remove_about,
            add_topics=topic,
            remove_topics=remove_topic,
            add_sources=cited,
            remove_sources=remove_source,
        )
        record = statement_record(statement)
        label = kind_label(record["kind"])
        # re-dating it may leave it before what it answers, or its answers before it
        warnings = early_answers(session, statement.id) if on is not None else []
        return {
            "record": record,
            "message": f"Changed {label} #{record['id']}.",
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
        statement_id: IdArg,
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

        cited = _sources(source, locator)
        check = _check(no_check)
        result = run(
            ctx,
            lambda session: _added(
                session,
                add_response(
                    session,
                    kind,
                    statement_id,
                    by,
                    date=on,
                    quote=quote,
                    lang=lang,
                    text=text,
                    about=about or (),
                    topics=topic or (),
                    sources=cited,
                    note=note,
                    ref=ref,
                ),
                check,
            ),
            write=True,
        )
        _confirm(result, fmt, by)

    command.__doc__ = f"Example: {example}"
    command.__name__ = f"{kind}_command"
    return command


def fact_check(
    ctx: typer.Context,
    statement_id: IdArg,
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

    cited = _sources(source, locator)
    check = _check(no_check)
    result = run(
        ctx,
        lambda session: _added(
            session,
            add_fact_check(
                session,
                statement_id,
                by,
                verdict,
                rating=rating,
                date=on,
                sources=cited,
                note=note,
                text=text,
                quote=quote,
                ref=ref,
                lang=lang,
            ),
            check,
        ),
        write=True,
    )
    _confirm(result, fmt, by)


# ----------------------------------------------------------------------------- reading


THREAD_COLUMNS = ("id", "kind", "actor", "responds_to", "date", "text", "quote", "verdict")


def _label(record: dict[str, Any], *, current: bool = False) -> Any:
    """One statement of a thread as rich Text (never markup: user text stays literal)."""
    from rich.text import Text

    label = Text()
    label.append(f"{kind_label(record['kind'])} #{record['id']}", style="bold")
    label.append(f" · {record['actor']}")
    label.append(f" · {record['date'] or 'date unknown'}", style="dim")
    if record.get("verdict"):
        label.append(f" · verdict: {record['verdict']}", style="bold")
    if record.get("status"):
        label.append(f" · status: {record['status']}", style="bold")
    if record.get("deleted"):
        label.append(" · deleted", style="red")
    if current:
        label.append("  ◀", style="bold")
    for line in _details(record):
        label.append("\n")
        label.append_text(line)
    return label


def _details(record: dict[str, Any]) -> list[Any]:
    from rich.text import Text

    lines: list[Text] = []
    if record.get("text"):
        lines.append(Text(record["text"]))
    if record.get("quote"):
        lang = f" ({record['lang']})" if record.get("lang") else ""
        lines.append(Text(f"“{record['quote']}”{lang}", style="italic"))
    if record.get("rating"):
        lines.append(Text(f"rating: {record['rating']}"))
    for key in ("about", "topics"):
        if record.get(key):
            lines.append(Text(f"{key}: {', '.join(record[key])}", style="dim"))
    for source in record.get("sources", []):
        where = f" ({source['locator']})" if source.get("locator") else ""
        lines.append(Text(f"source: {source['url']}{where}", style="dim"))
    if record.get("note"):
        lines.append(Text(f"note: {record['note']}", style="dim"))
    return lines


def render_thread(thread: dict[str, Any]) -> None:
    """The thread as a tree: the chain down from the root claim, the statement (marked ◀),
    and every answer below it."""
    from rich.console import Console
    from rich.tree import Tree

    chain = thread["chain"]
    statement = thread["statement"]
    root: Tree | None = None
    branch: Tree | None = None
    for record in chain:
        label = _label(record)
        branch = Tree(label) if branch is None else branch.add(label)
        root = root or branch

    def grow(parent: Tree | None, node: dict[str, Any], current: bool) -> Tree:
        label = _label(node, current=current)
        tree = Tree(label) if parent is None else parent.add(label)
        for answer in node["responses"]:
            grow(tree, answer, False)
        return tree

    top = grow(branch, statement, True)
    Console().print(root or top)


def show(
    ctx: typer.Context,
    statement_id: IdArg,
    include_deleted: Annotated[
        bool, typer.Option("--include-deleted", help="Show deleted statements too.")
    ] = False,
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """Example: factdb show 1"""
    from factdb.queries.status import with_statuses
    from factdb.record.statements import statement_thread, thread_records

    thread = run(
        ctx,
        lambda session: with_statuses(
            session, statement_thread(session, statement_id, include_deleted=include_deleted)
        ),
    )
    if fmt is OutputFormat.table:
        render_thread(thread)
    elif fmt is OutputFormat.json:
        write_json(thread)
    else:
        emit_rows(thread_records(thread), fmt, THREAD_COLUMNS)


def _emit_ids(key: str, ids: list[int], fmt: OutputFormat) -> None:
    """JSON ``{key: [ids]}``; CSV one id a row."""
    if fmt is OutputFormat.json:
        write_json({key: ids})
    else:
        emit_rows([{key: number} for number in ids], fmt, [key])


def _ids(ids: list[int]) -> str:
    return ", ".join(f"#{number}" for number in ids)


def delete(
    ctx: typer.Context,
    statement_id: IdArg,
    cascade: Annotated[
        bool, typer.Option("--cascade", help="Also delete every answer below it.")
    ] = False,
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """Example: factdb delete 4 --cascade"""
    from factdb.record.statements import delete_statement

    deleted = run(ctx, lambda session: delete_statement(session, statement_id, cascade), write=True)
    if fmt is not OutputFormat.table:
        _emit_ids("deleted", deleted, fmt)
        return
    first, rest = deleted[0], deleted[1:]
    message = f"Deleted #{first}"
    if rest:
        noun = "answer" if len(rest) == 1 else "answers"
        message += f" and the {len(rest)} {noun} below it: {_ids(rest)}"
    typer.echo(message + ".")


def restore(
    ctx: typer.Context, statement_id: IdArg, fmt: FormatOption = OutputFormat.table
) -> None:
    """Example: factdb restore 4"""
    from factdb.record.statements import restore_statement

    restored = run(ctx, lambda session: restore_statement(session, statement_id), write=True)
    if fmt is not OutputFormat.table:
        _emit_ids("restored", restored, fmt)
        return
    first, rest = restored[0], restored[1:]
    message = f"Restored #{first}"
    if rest:
        noun = "answer" if len(rest) == 1 else "answers"
        message += f" and the {len(rest)} {noun} deleted with it: {_ids(rest)}"
    typer.echo(message + ".")


claim_app.command("list")(claim_list)


def register(app: typer.Typer) -> None:
    """Add this module's commands to the root app."""
    app.add_typer(claim_app, name="claim")
    for verb, (kind, example) in RESPONSE_COMMANDS.items():
        app.command(verb)(_response_command(kind, example))
    app.command("fact-check")(fact_check)
    app.command("show")(show)
    app.command("delete")(delete)
    app.command("restore")(restore)

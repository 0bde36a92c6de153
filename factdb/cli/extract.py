"""Command: extract (propose the statements an article reports; review; import)."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated, Any

import typer

from factdb.cli.common import database, error_line, fail, run, write_json, write_table
from factdb.cli.options import ForceOption

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from factdb.extract import Draft, ProposedStatement
    from factdb.interchange import ImportResult


class DraftFormat(StrEnum):
    table = "table"
    json = "json"
    jsonl = "jsonl"


COLUMNS = ["n", "kind", "author", "answers", "text", "quote", "date", "confidence", "sentence"]


def _read(file: str) -> bytes:
    """The article's bytes; a file too big for an article is refused by its size, before
    it is read."""
    from factdb.extract.article import MAX_BYTES

    if file == "-":
        return sys.stdin.buffer.read(MAX_BYTES + 1)
    if os.path.isdir(file):
        fail(f"FILE: {file!r} is a folder, not a file")
    try:
        size = os.stat(file).st_size
        if size > MAX_BYTES:
            fail(
                f"FILE: {file!r} is {size:,} bytes, too big for an article "
                f"(at most {MAX_BYTES:,} bytes)"
            )
        with open(file, "rb") as handle:
            return handle.read(MAX_BYTES + 1)
    except OSError as exc:
        fail(f"FILE: cannot read {file!r}: {exc.strerror or exc}")


def _rows(draft: Draft) -> list[dict[str, Any]]:
    number = {statement.ref: index for index, statement in enumerate(draft.statements, 1)}
    rows = []
    for index, statement in enumerate(draft.statements, 1):
        target = statement.responds_to
        answers = None
        if target is not None:
            answers = f"{target} (recorded)" if target.startswith("#") else f"n{number[target]}"
        rows.append(
            {
                "n": f"n{index}",
                "kind": statement.kind,
                "author": statement.by,
                "answers": answers,
                "text": statement.text,
                "quote": statement.quote,
                "date": statement.date,
                "confidence": f"{statement.confidence:.2f}",
                "sentence": f"¶{statement.evidence.paragraph} {statement.evidence.sentence}",
            }
        )
    return rows


def _show(draft: Draft, fmt: DraftFormat) -> None:
    from factdb.extract import draft_lines

    if fmt is DraftFormat.json:
        write_json(draft.as_json())
    elif fmt is DraftFormat.jsonl:
        sys.stdout.write("".join(draft_lines(draft)))
    else:
        for ref, number in draft.already_recorded:
            sys.stderr.write(f"{ref}: already recorded as #{number}; not proposed again.\n")
        if not draft.statements:
            sys.stderr.write("Nothing new to propose.\n")
            return
        new = ", ".join(actor.name for actor in draft.actors) or "none"
        write_table(_rows(draft), COLUMNS, title=f"Proposals (new actors: {new})")


def _describe(statement: ProposedStatement, index: int, total: int) -> str:
    lines = [f"[{index}/{total}] {statement.kind} by {statement.by} ({statement.ref})"]
    if statement.responds_to:
        lines.append(f"  answers: {statement.responds_to}")
    for key in ("text", "quote", "date"):
        value = getattr(statement, key)
        if value:
            lines.append(f"  {key}: {value}")
    lines.append(f"  ¶{statement.evidence.paragraph}: {statement.evidence.sentence}")
    return "\n".join(lines)


def _author_check(ctx: typer.Context, draft: Draft) -> Callable[[str], str]:
    """An edited author must be a proposed actor or one the record knows (then by the
    record's name)."""
    from factdb.queries.resolve import resolve_actor_ref
    from factdb.text import name_key

    proposed = {name_key(actor.name): actor.name for actor in draft.actors}

    def check(name: str) -> str:
        if name_key(name) in proposed:
            return proposed[name_key(name)]
        return database(ctx).run(lambda session: resolve_actor_ref(session, name, "author").name)

    return check


def _review(draft: Draft, known: Callable[[str], str]) -> Draft:
    """Ask about each proposal in turn; the draft of those accepted."""
    from factdb.errors import FactDBError
    from factdb.extract.review import edit, keep

    accepted: list[ProposedStatement] = []
    total = len(draft.statements)
    for index, statement in enumerate(draft.statements, 1):
        typer.echo(_describe(statement, index, total))
        while True:
            choice = (
                typer.prompt(
                    "  [a]ccept, [s]kip, edit [b]y, [k]ind or [t]arget, [q]uit", default="a"
                )
                .strip()
                .lower()[:1]
            )
            try:
                if choice == "b":
                    statement = edit(draft, statement, by=known(typer.prompt("  author")))
                elif choice == "k":
                    statement = edit(draft, statement, kind=typer.prompt("  kind"))
                    if statement.kind != "claim" and statement.responds_to is None:
                        statement = edit(draft, statement, responds_to=typer.prompt("  target"))
                elif choice == "t":
                    statement = edit(draft, statement, responds_to=typer.prompt("  target"))
                elif choice in ("a", "s", "q"):
                    break
                else:
                    typer.echo("  type a, s, b, k, t or q")
                    continue
            except FactDBError as exc:
                typer.echo(f"  {error_line(str(exc))}")
                continue
            typer.echo(_describe(statement, index, total))
        if choice == "q":
            break
        if choice == "a":
            accepted.append(statement)
    kept, dropped = keep(draft, accepted)
    for ref in dropped:
        typer.echo(f"Left out {ref}: what it answers was not accepted.")
    return kept


def _import(ctx: typer.Context, draft: Draft) -> ImportResult:
    from factdb.errors import FactDBError
    from factdb.extract import draft_lines
    from factdb.interchange import import_jsonl

    lines = list(draft_lines(draft))

    def work(session: Session) -> ImportResult:
        return import_jsonl(session, lines)

    try:
        return database(ctx).run(work, write=True)
    except FactDBError as exc:
        for line in str(exc).splitlines() or [""]:
            sys.stderr.write(error_line(line) + "\n")
        raise typer.Exit(1) from None


def register(app: typer.Typer) -> None:
    """Add this module's command to the root app."""

    @app.command("extract")
    def extract_command(
        ctx: typer.Context,
        file: Annotated[
            str,
            typer.Argument(metavar="FILE|-", help="The article as UTF-8 text, or - for stdin."),
        ],
        published: Annotated[
            str | None,
            typer.Option(
                "--published",
                metavar="DATE",
                help="The day the article was published (YYYY-MM-DD): relative dates such "
                "as 'on Sunday' count from it.",
            ),
        ] = None,
        url: Annotated[
            str | None,
            typer.Option(
                "--url", metavar="URL", help="The article's URL: every proposal cites it."
            ),
        ] = None,
        topic: Annotated[
            list[str] | None,
            typer.Option("--topic", metavar="T", help="Tag every proposal with topic T."),
        ] = None,
        output: Annotated[
            str | None,
            typer.Option(
                "--output", "-o", metavar="FILE", help="Also write the draft (JSON Lines) to FILE."
            ),
        ] = None,
        force: ForceOption = False,
        review: Annotated[
            bool,
            typer.Option(
                "--review",
                help="Walk the proposals one by one (accept, skip, edit), then import the "
                "accepted ones in one transaction.",
            ),
        ] = False,
        fmt: Annotated[
            DraftFormat,
            typer.Option(
                "--format",
                "-f",
                help="table (readable), json (the draft with evidence) or jsonl (the draft "
                "as factdb JSON Lines).",
                case_sensitive=False,
            ),
        ] = DraftFormat.table,
    ) -> None:
        """Reads the article and proposes who claimed what, and who denied, disputed, endorsed,
        admitted or retracted it: kinds from the reporting verbs and the words ("baseless"
        makes a denial), verbatim quotes with their language, dates against --published,
        actors by the names the database gives them (new ones proposed), and answers linked
        to what they answer, in the article or already recorded (then `#ID`). Statements
        already recorded are not proposed again.

        Nothing is written to the database: -o writes the draft as factdb JSON Lines to edit
        and `factdb import`; --review asks about each proposal and imports those you accept.

        Example: factdb extract article.txt --published 2020-10-18
        --url https://example.org/news/1 -o draft.jsonl
        """
        from factdb.errors import FactDBError
        from factdb.extract import extract, write_draft
        from factdb.extract.article import decode_article
        from factdb.outfiles import check_target, open_output

        try:
            text = decode_article(_read(file), "FILE")
            if output is not None:
                check_target(output, force=force, field="-o")
        except FactDBError as exc:
            fail(str(exc))
        draft = run(
            ctx,
            lambda session: extract(
                text, published=published, url=url, record=session, topics=topic or ()
            ),
        )
        if output is not None:
            try:
                with open_output(output, force=force, field="-o") as out:
                    count = write_draft(draft, out)
            except FactDBError as exc:
                fail(str(exc))
            noun = "statement" if count == 1 else "statements"
            sys.stderr.write(f"Wrote {count} proposed {noun} to {output}.\n")
        if not review:
            _show(draft, fmt)
            return
        if not draft.statements:
            _show(draft, DraftFormat.table)
            return
        accepted = _review(draft, _author_check(ctx, draft))
        if not accepted.statements:
            typer.echo("Nothing accepted; nothing written.")
            return
        count = len(accepted.statements)
        if not typer.confirm(f"Import {count} statements now?", default=False):
            typer.echo("Nothing written.")
            return
        result = _import(ctx, accepted)
        summary = ", ".join(
            f"{row['created']} {row['type']}{'s' if row['created'] != 1 else ''}"
            for row in result.rows()
        )
        typer.echo(f"Imported: {summary} created.")

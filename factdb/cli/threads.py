"""Commands on a statement and its thread: ``factdb show | delete | restore``."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from factdb.cli.common import FormatOption, OutputFormat, emit_rows, run, write_json
from factdb.cli.options import StatementIdArg

THREAD_COLUMNS = ("id", "kind", "actor", "responds_to", "date", "text", "quote", "verdict")


def _label(record: dict[str, Any], *, current: bool = False) -> Any:
    """One statement of a thread as rich Text (never markup: user text stays literal)."""
    from rich.text import Text

    from factdb.record.statements import kind_label

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
    statement_id: StatementIdArg,
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


def register(app: typer.Typer) -> None:
    """Add this module's commands to the root app."""
    app.command("show")(show)
    app.command("delete")(delete)
    app.command("restore")(restore)

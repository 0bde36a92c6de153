"""Command: ``factdb show``, a statement as a thread: what it answers, up to the claim, and
every answer below it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import typer

from factdb.cli.common import FormatOption, OutputFormat, emit_rows, run, write_json
from factdb.cli.options import StatementIdArg

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

IncludeDeletedOption = Annotated[
    bool, typer.Option("--include-deleted", help="Show deleted statements too.")
]
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
    include_deleted: IncludeDeletedOption = False,
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """Example: factdb show 1"""
    from factdb.queries.status import with_statuses
    from factdb.record.statements import statement_thread, thread_records

    def work(session: Session) -> dict[str, Any]:
        thread = statement_thread(session, statement_id, include_deleted=include_deleted)
        return with_statuses(session, thread)

    thread = run(ctx, work)
    if fmt is OutputFormat.table:
        render_thread(thread)
    elif fmt is OutputFormat.json:
        write_json(thread)
    else:
        emit_rows(thread_records(thread), fmt, THREAD_COLUMNS)


def register(app: typer.Typer) -> None:
    """Add this module's commands to the root app."""
    app.command("show")(show)

"""Reports for the terminal: rich panels, trees and tables built from the report data.

Colour only when the output is a terminal (rich decides; ``NO_COLOR`` is honoured); written
to a file, the same report is plain text. User text is wrapped in ``rich.text.Text`` so
markup-looking input (``[bold]``, ``[link=…]``) is shown literally, never interpreted.
"""

from __future__ import annotations

from typing import IO, Any

from rich.console import Console, Group, RenderableType
from rich.panel import Panel
from rich.table import Table
from rich.text import Text
from rich.tree import Tree

from factdb.reports.labels import (
    KIND_COLOURS,
    POSITION_LABELS,
    RESPONSE_SECTIONS,
    STANCE_COLOURS,
    SUMMARY_LABELS,
    date_label,
    heading,
    one_line,
    page_of,
    position_label,
    quote_label,
    scope_note,
    source_details,
    source_label,
    speaker,
    stance_of,
    verdict_label,
    withdrawn_label,
)

Data = dict[str, Any]
STATUS_COLOURS = {
    "denied": "red",
    "contested": "red",
    "disputed": "dark_orange",
    "endorsed": "green",
    "admitted": "blue",
    "retracted": "grey50",
    "unanswered": "grey50",
}
WITHDRAWN_COLOUR = KIND_COLOURS["retraction"]


def print_report(report: Data, file: IO[str] | None = None, *, width: int | None = None) -> None:
    """Print any report; to ``file`` (plain text, no colour) when given."""
    if file is None:
        console = Console(highlight=False, width=width)
    else:
        console = Console(
            file=file, highlight=False, no_color=True, force_terminal=False, width=width or 100
        )
    for part in renderables(report):
        console.print(part)


def renderables(report: Data) -> list[RenderableType]:
    return page_of(report, _claim_page, topic_page, actor_page)


def _claim_page(report: Data) -> list[RenderableType]:
    return claim_block(report, scope=scope_note(report))


def _plain(value: Any, style: str = "") -> Text:
    return Text(one_line(value if value is not None else ""), style=style)


def _source_line(source: Data, prefix: str = "source: ") -> Text:
    line = Text(prefix, style="dim")
    line.append(one_line(source_label(source)))
    if source.get("url") and source.get("url") != source_label(source):
        line.append(f" <{one_line(source['url'])}>", style="dim")
    details = source_details(source)
    if details:
        line.append(f", {one_line(details)}", style="dim")
    return line


def _status(status: str) -> Text:
    return Text.assemble(("Status: ", "bold"), (status, f"bold {STATUS_COLOURS.get(status, '')}"))


def _withdrawn(entry: Data) -> Text:
    """`` — withdrawn by #12`` in the retractions' grey, or nothing while it stands."""
    label = withdrawn_label(entry)
    return Text(f" — {label}" if label else "", style=f"bold {WITHDRAWN_COLOUR}")


def claim_block(block: Data, *, scope: str = "") -> list[RenderableType]:
    claim = block["claim"]
    fields = Table.grid(padding=(0, 2))
    fields.add_column(style="bold")
    fields.add_column(overflow="fold")
    fields.add_row("By", _plain(speaker(claim)))
    fields.add_row("Date", _plain(date_label(claim["date"])))
    quoted = quote_label(claim)
    if quoted:
        fields.add_row("Quote", _plain(quoted, "italic"))
    if claim["about"]:
        fields.add_row("About", _plain(", ".join(claim["about"])))
    if claim["topics"]:
        fields.add_row("Topics", _plain(", ".join(claim["topics"])))
    if claim.get("note"):
        fields.add_row("Note", _plain(claim["note"]))
    for source in claim["sources"]:
        fields.add_row("Source", _source_line(source, ""))
    head: list[RenderableType] = [
        _plain(claim.get("text") or "(no text)", "bold"),
        _status(block["status"]) + _withdrawn(claim),
    ]
    if scope:
        head.append(Text(scope, style="italic dim"))
    title = Text(heading(claim), style="bold")
    panel = Panel(Group(*head, fields), title=title, title_align="left", border_style="cyan")

    tree = Tree(Text("Thread", style="bold"))
    if not block["thread"]:
        tree.add(Text("No answers recorded.", style="dim"))
    _add_nodes(tree, block["thread"])
    return [panel, tree, _positions(block), Text("")]


def _add_nodes(tree: Tree, nodes: list[Data]) -> None:
    for node in nodes:
        colour = KIND_COLOURS.get(node["kind"], "")
        label = Text(heading(node), style=f"bold {colour}")
        label.append(" by ")
        label.append(_plain(speaker(node)))
        label.append(f", {date_label(node['date'])}", style="dim")
        label.append(_withdrawn(node))
        lines: list[RenderableType] = [label]
        if node.get("verdict"):
            verdict = Text("verdict: ", style="dim")
            verdict.append(verdict_label(node["verdict"]), style="bold")
            if node.get("rating"):
                verdict.append(" — ")
                verdict.append(_plain(node["rating"]))
            lines.append(verdict)
        struck = " strike" if node.get("withdrawn_by") else ""
        if node.get("text"):
            lines.append(_plain(node["text"], struck))
        quoted = quote_label(node)
        if quoted:
            lines.append(_plain(quoted, "italic" + struck))
        if node.get("note"):
            lines.append(Text.assemble(("note: ", "dim"), _plain(node["note"])))
        lines += [_source_line(source) for source in node["sources"]]
        branch = tree.add(Group(*lines))
        _add_nodes(branch, node["responses"])


def _positions(block: Data) -> RenderableType:
    rows = block["positions"]
    if not rows:
        return Text("No positions recorded.", style="dim")
    table = Table(title="Positions", title_justify="left", title_style="bold")
    table.add_column("Actor")
    table.add_column("Position")
    table.add_column("Via")
    for row in rows:
        colour = STANCE_COLOURS.get(stance_of(str(row["position"])), "")
        table.add_row(
            _plain(row["actor"]),
            Text(position_label(str(row["position"])), style=colour),
            ", ".join(f"#{i}" for i in row["via"]),
        )
    summary = block["summary"]
    lines: list[RenderableType] = [table]
    for key, label in POSITION_LABELS.items():
        if summary[key]:
            lines.append(Text.assemble((f"{label}: ", "bold"), _plain(", ".join(summary[key]))))
    for verdict in summary["verdicts"]:
        line = Text.assemble(("Verdict", "bold"), " by ", _plain(verdict["actor"]), ": ")
        line.append(verdict_label(verdict["verdict"]))
        if verdict.get("rating"):
            line.append(" (")
            line.append(_plain(verdict["rating"]))
            line.append(")")
        lines.append(line)
    return Group(*lines)


def topic_page(report: Data) -> list[RenderableType]:
    title = Text("Topic: ", style="bold")
    title.append(_plain(report["topic"], "bold"))
    counts = Text()
    for index, (key, value) in enumerate(report["summary"].items()):
        counts.append(" · " if index else "")
        counts.append(f"{SUMMARY_LABELS[key]} ")
        counts.append(str(value), style="bold")
    parts: list[RenderableType] = [title, counts]
    scope = scope_note(report)
    if scope:
        parts.append(Text(scope, style="italic dim"))
    parts.append(Text(""))
    if not report["claims"]:
        parts.append(Text("No claims recorded.", style="dim"))
    for block in report["claims"]:
        parts += claim_block(block)
    parts.append(_alignment(report["alignment"]))
    return parts


def _alignment(rows: list[Data]) -> RenderableType:
    if not rows:
        return Text("Alignment: no two actors took sides on the same claim.", style="dim")
    table = Table(title="Alignment", title_justify="left", title_style="bold")
    table.add_column("Actor")
    table.add_column("Actor")
    table.add_column("Same side", justify="right")
    table.add_column("Opposite sides", justify="right")
    for row in rows:
        table.add_row(
            _plain(row["actor_a"]), _plain(row["actor_b"]), str(row["same"]), str(row["opposite"])
        )
    return table


def actor_page(report: Data) -> list[RenderableType]:
    actor = report["actor"]
    facts = [actor["kind"], actor.get("country")]
    if actor.get("aliases"):
        facts.append("also " + ", ".join(actor["aliases"]))
    head: list[RenderableType] = [_plain(" · ".join(str(f) for f in facts if f), "dim")]
    if actor.get("description"):
        head.append(_plain(actor["description"]))
    for aff in actor["affiliations"]:
        span = " to ".join(p for p in (aff.get("from"), aff.get("to")) if p)
        role = f"{aff['role']} of " if aff.get("role") else "member of "
        head.append(_plain(f"{role}{aff['organization']}" + (f" ({span})" if span else "")))
    if report["counted"]:
        head.append(_plain("Statements counted from: " + ", ".join(report["counted"]), "dim"))
    scope = scope_note(report)
    if scope:
        head.append(Text(scope, style="italic dim"))
    title = Text("Actor: ", style="bold")
    title.append(_plain(actor["name"]))
    parts: list[RenderableType] = [
        Panel(Group(*head), title=title, title_align="left", border_style="cyan")
    ]
    claimed = Tree(Text("Claimed", style="bold"))
    if not report["claimed"]:
        claimed.add(Text("No claims recorded.", style="dim"))
    for entry in report["claimed"]:
        line = Text(heading(entry), style="bold")
        line.append(f", {date_label(entry['date'])}: ", style="dim")
        line.append(_plain(entry.get("text") or ""))
        line.append(f" ({entry['status']})", style=STATUS_COLOURS.get(entry["status"], ""))
        claimed.add(line)
    parts.append(claimed)
    for key, label in RESPONSE_SECTIONS.items():
        if not report[key]:
            continue
        tree = Tree(Text(label, style="bold"))
        for entry in report[key]:
            target = entry["answers"]
            line = Text(heading(entry), style=f"bold {KIND_COLOURS.get(entry['kind'], '')}")
            line.append(" by ")
            line.append(_plain(speaker(entry)))
            line.append(f", {date_label(entry['date'])}", style="dim")
            said = quote_label(entry) or entry.get("text")
            branch = tree.add(Group(line, _plain(said, "italic")) if said else line)
            answer = Text(f"answering {heading(target)} by ", style="dim")
            answer.append(_plain(target["actor"]))
            answer.append(f" ({date_label(target['date'])}): ", style="dim")
            answer.append(_plain(target.get("text") or ""))
            branch.add(answer)
        parts.append(tree)
    parts.append(Text(""))
    about = Text("Claims about ", style="bold underline")
    about.append(_plain(actor["name"]))
    parts.append(about)
    if not report["about"]:
        parts.append(Text("No claims recorded.", style="dim"))
    for block in report["about"]:
        parts += claim_block(block)
    return parts

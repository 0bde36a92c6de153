"""Reports as Markdown: readable as plain text, clean on a code-hosting site.

Every piece of user text goes through ``text()``, which puts it on one line and
backslash-escapes Markdown syntax, so nothing in the record becomes raw HTML, a link or a
heading. Links are written only for http(s) URLs (``labels.web_url``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from factdb.reports.labels import (
    POSITION_LABELS,
    RESPONSE_SECTIONS,
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
    verdict_label,
    web_url,
    withdrawn_label,
)

Data = dict[str, Any]

_SPECIAL = re.compile(r"([\\`*_\[\]<>#|!~&])")
_LINE_START = re.compile(r"^([-+=]|\d+[.)])")


def text(value: Any) -> str:
    """User text made inert: one line, Markdown punctuation backslash-escaped."""
    escaped = _SPECIAL.sub(r"\\\1", one_line(value))
    return _LINE_START.sub(r"\\\1", escaped)


def link(label: str, url: Any) -> str:
    """``[label](url)`` for an http(s) URL; the escaped label alone otherwise."""
    target = web_url(url)
    if target is None:
        return text(label)
    return f"[{text(label)}]({target})"


def render(report: Data) -> str:
    """Any report as Markdown, by its ``report`` key."""
    lines = page_of(report, claim_page, topic_page, actor_page)
    return "\n".join(lines).rstrip("\n") + "\n"


def _scope(report: Data) -> list[str]:
    note = scope_note(report)
    return [f"*{note[:1].upper() + note[1:]}.*", ""] if note else []


def claim_page(report: Data) -> list[str]:
    return [*claim_block(report, level=1, scope=_scope(report))]


def claim_block(block: Data, *, level: int, scope: Iterable[str] = ()) -> list[str]:
    claim = block["claim"]
    hashes = "#" * level
    title = text(claim["text"]) if claim.get("text") else "(no text)"
    lines = [f"{hashes} {heading(claim)}: {title}", "", *scope]
    lines += [f"**Status: {text(block['status'])}**{_withdrawn(claim)}", ""]
    lines += _fields(claim)
    lines += ["", f"{hashes}# Thread", ""]
    if block["thread"]:
        lines += _thread(block["thread"], indent="")
    else:
        lines.append("No answers recorded.")
    lines += ["", f"{hashes}# Positions", ""]
    lines += _positions(block)
    lines.append("")
    return lines


def _fields(claim: Data) -> list[str]:
    lines = [f"- **By:** {text(speaker(claim))}", f"- **Date:** {text(date_label(claim['date']))}"]
    quoted = quote_label(claim)
    if quoted:
        lines.append(f"- **Quote:** {text(quoted)}")
    if claim["about"]:
        lines.append(f"- **About:** {text(', '.join(claim['about']))}")
    if claim["topics"]:
        lines.append(f"- **Topics:** {text(', '.join(claim['topics']))}")
    if claim.get("note"):
        lines.append(f"- **Note:** {text(claim['note'])}")
    if claim.get("ref"):
        lines.append(f"- **Ref:** {text(claim['ref'])}")
    if claim["sources"]:
        lines.append("- **Sources:**")
        lines += [f"  - {_source(source)}" for source in claim["sources"]]
    return lines


def _source(source: Data) -> str:
    details = source_details(source)
    shown = link(source_label(source), source.get("url"))
    if web_url(source.get("url")) is None and source.get("url"):
        shown += f" ({text(source['url'])}, not a web link)"
    return f"{shown}, {text(details)}" if details else shown


def _withdrawn(entry: Data) -> str:
    """`` — *withdrawn by #12*``, or nothing while the statement stands."""
    label = withdrawn_label(entry)
    return f" — *{label}*" if label else ""


def _thread(nodes: list[Data], indent: str) -> list[str]:
    lines: list[str] = []
    for node in nodes:
        first = f"**{heading(node)}** by {text(speaker(node))}, {text(date_label(node['date']))}"
        first += _withdrawn(node)
        details = []
        if node.get("verdict"):
            rating = f" — {text(node['rating'])}" if node.get("rating") else ""
            details.append(f"Verdict: **{text(verdict_label(node['verdict']))}**{rating}")
        if node.get("text"):
            details.append(text(node["text"]))
        quoted = quote_label(node)
        if quoted:
            details.append(f"Quote: {text(quoted)}")
        if node.get("note"):
            details.append(f"Note: {text(node['note'])}")
        details += [f"Source: {_source(source)}" for source in node["sources"]]
        # A trailing backslash is a hard line break that keeps one list item.
        body = [f"{indent}- {first}", *(f"{indent}  {part}" for part in details)]
        lines += [line + "\\" for line in body[:-1]] + body[-1:]
        lines += _thread(node["responses"], indent + "  ")
    return lines


def _positions(block: Data) -> list[str]:
    rows = block["positions"]
    if not rows:
        return ["No positions recorded."]
    lines = ["| Actor | Position | Via |", "|---|---|---|"]
    for row in rows:
        via = ", ".join(f"#{i}" for i in row["via"])
        lines.append(f"| {text(row['actor'])} | {text(position_label(row['position']))} | {via} |")
    lines.append("")
    summary = block["summary"]
    for key, label in POSITION_LABELS.items():
        if summary[key]:
            lines.append(f"- **{label}:** {text(', '.join(summary[key]))}")
    for verdict in summary["verdicts"]:
        rating = f" ({text(verdict['rating'])})" if verdict.get("rating") else ""
        lines.append(
            f"- **Verdict** by {text(verdict['actor'])}: "
            f"{text(verdict_label(verdict['verdict']))}{rating}, #{verdict['id']}"
        )
    return lines


def topic_page(report: Data) -> list[str]:
    lines = [f"# Topic: {text(report['topic'])}", "", *_scope(report)]
    labels = [SUMMARY_LABELS[key] for key in report["summary"]]
    lines += [
        "| " + " | ".join(labels) + " |",
        "|" + "---:|" * len(labels),
        "| " + " | ".join(str(value) for value in report["summary"].values()) + " |",
        "",
    ]
    lines += ["## Claims", ""]
    if not report["claims"]:
        lines += ["No claims recorded.", ""]
    for block in report["claims"]:
        lines += claim_block(block, level=3)
    lines += ["## Alignment", ""]
    lines += _alignment(report["alignment"])
    return lines


def _alignment(rows: list[Data]) -> list[str]:
    if not rows:
        return ["No two actors took sides on the same claim."]
    lines = ["| Actor | Actor | Same side | Opposite sides |", "|---|---|---:|---:|"]
    for row in rows:
        lines.append(
            f"| {text(row['actor_a'])} | {text(row['actor_b'])} | {row['same']} | "
            f"{row['opposite']} |"
        )
    return lines


def actor_page(report: Data) -> list[str]:
    actor = report["actor"]
    lines = [f"# Actor: {text(actor['name'])}", "", *_scope(report)]
    facts = [text(actor["kind"])]
    if actor.get("country"):
        facts.append(text(actor["country"]))
    if actor.get("aliases"):
        facts.append("also " + text(", ".join(actor["aliases"])))
    lines += [" · ".join(facts), ""]
    if actor.get("description"):
        lines += [text(actor["description"]), ""]
    for aff in actor["affiliations"]:
        span = " to ".join(part for part in (aff.get("from"), aff.get("to")) if part)
        role = f"{aff['role']} of " if aff.get("role") else "member of "
        lines.append(
            f"- {text(role + aff['organization'])}{' (' + text(span) + ')' if span else ''}"
        )
    if actor["affiliations"]:
        lines.append("")
    if report["counted"]:
        lines += [f"Statements counted from: {text(', '.join(report['counted']))}", ""]
    lines += ["## Claimed", ""]
    if report["claimed"]:
        for entry in report["claimed"]:
            lines.append(
                f"- **{heading(entry)}** by {text(speaker(entry))}, "
                f"{text(date_label(entry['date']))}: {text(entry.get('text') or '')} "
                f"(status: {text(entry['status'])})"
            )
    else:
        lines.append("No claims recorded.")
    lines.append("")
    for key, label in RESPONSE_SECTIONS.items():
        entries = report[key]
        if not entries:
            continue
        lines += [f"## {label}", ""]
        for entry in entries:
            target = entry["answers"]
            said_text = quote_label(entry) or entry.get("text")
            said = f" {text(said_text)}" if said_text else ""
            lines.append(
                f"- **{heading(entry)}** by {text(speaker(entry))}, "
                f"{text(date_label(entry['date']))}:{said} "
                f"— answering {heading(target)} by {text(target['actor'])} "
                f"({text(date_label(target['date']))}): {text(target.get('text') or '')}"
            )
        lines.append("")
    lines += [f"## Claims about {text(actor['name'])}", ""]
    if not report["about"]:
        lines += ["No claims recorded.", ""]
    for block in report["about"]:
        lines += claim_block(block, level=3)
    return lines

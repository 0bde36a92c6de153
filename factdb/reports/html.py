"""Reports as one self-contained HTML file: inline CSS and SVG, no script, nothing fetched
from the network, printable.

Every piece of user text passes through ``esc`` (``html.escape``); links are written only
for http(s) URLs, checked here (``labels.web_url``) rather than trusted from the database.
A Content-Security-Policy meta tag forbids scripts as a second line of defence.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from html import escape
from typing import Any

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
    thread_entries,
    verdict_label,
    web_url,
    withdrawn_label,
)

Data = dict[str, Any]

CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'none'"

CSS = """
:root { --ink: #1f2933; --muted: #5f6b76; --rule: #d9dee3; --paper: #ffffff; }
* { box-sizing: border-box; }
body { margin: 0; background: #f4f6f8; color: var(--ink);
  font: 15px/1.5 -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
main { max-width: 960px; margin: 24px auto; background: var(--paper); padding: 32px 40px;
  border: 1px solid var(--rule); border-radius: 6px; }
h1 { font-size: 1.6em; line-height: 1.25; margin: 0 0 8px; }
h2 { font-size: 1.25em; margin: 28px 0 10px; border-bottom: 1px solid var(--rule);
  padding-bottom: 4px; }
h3 { font-size: 1.1em; margin: 20px 0 8px; }
.eyebrow { text-transform: uppercase; letter-spacing: .08em; font-size: .75em;
  color: var(--muted); margin: 0 0 4px; }
.scope { color: var(--muted); font-style: italic; }
.status { display: inline-block; padding: 1px 10px; border-radius: 999px; color: #fff;
  font-weight: 600; font-size: .85em; background: #546e7a; }
.status-denied, .status-contested { background: #c62828; }
.status-disputed { background: #ef6c00; }
.status-endorsed { background: #2e7d32; }
.status-admitted { background: #1565c0; }
.status-retracted { background: #757575; }
dl.fields { display: grid; grid-template-columns: 8em 1fr; gap: 4px 12px; margin: 12px 0; }
dl.fields dt { color: var(--muted); font-weight: 600; }
dl.fields dd { margin: 0; }
blockquote { margin: 4px 0; padding: 2px 12px; border-left: 3px solid var(--rule);
  font-style: italic; }
ol.thread, ol.thread ol { list-style: none; margin: 0; padding-left: 0; }
ol.thread ol { margin-left: 22px; }
ol.thread > li, ol.thread ol > li { margin: 8px 0; padding: 6px 12px;
  border-left: 4px solid #90a4ae; background: #fafbfc; }
.withdrawn-by { display: inline-block; padding: 0 8px; border-radius: 999px;
  color: #fff; font-weight: 600; font-size: .8em; }
.withdrawn-by a { color: inherit; }
li.withdrawn > div, li.withdrawn > blockquote { text-decoration: line-through;
  color: var(--muted); }
.kind { font-weight: 700; }
.meta { color: var(--muted); font-size: .9em; }
ul.sources { margin: 4px 0; padding-left: 18px; font-size: .9em; }
table { border-collapse: collapse; width: 100%; margin: 8px 0; font-size: .95em; }
th, td { border-bottom: 1px solid var(--rule); padding: 4px 8px; text-align: left;
  vertical-align: top; }
th { background: #eef1f4; }
td.num, th.num { text-align: right; }
.chip { display: inline-block; width: .8em; height: .8em; border-radius: 2px;
  margin-right: 6px; vertical-align: baseline; }
svg { display: block; max-width: 100%; height: auto; margin: 8px 0; }
svg text { font-family: -apple-system, "Segoe UI", Roboto, Arial, sans-serif; }
article.claim { border-top: 2px solid var(--rule); margin-top: 28px; }
a { color: #1565c0; }
footer { margin-top: 32px; color: var(--muted); font-size: .8em; }
@page { margin: 16mm; }
@media print {
  body { background: #fff; }
  main { border: 0; margin: 0; padding: 0; max-width: none; }
  article.claim, figure, table, li { break-inside: avoid; }
  a { color: inherit; }
}
"""


def esc(value: Any) -> str:
    """User text as HTML text or attribute content."""
    return escape("" if value is None else str(value), quote=True)


def link(label: str, url: Any) -> str:
    """An anchor for an http(s) URL; the escaped label alone for anything else."""
    target = web_url(url)
    if target is None:
        return esc(label)
    return f'<a href="{esc(target)}" rel="noopener noreferrer">{esc(label)}</a>'


def render(report: Data) -> str:
    """Any report as one HTML document, by its ``report`` key."""
    title = page_of(
        report,
        lambda r: f"{heading(r['claim'])}: {one_line(r['claim'].get('text') or '')}",
        lambda r: f"Topic: {r['topic']}",
        lambda r: f"Actor: {r['actor']['name']}",
    )
    body = page_of(report, claim_page, topic_page, actor_page)
    return "".join(
        [
            "<!DOCTYPE html>\n",
            '<html lang="en">\n<head>\n<meta charset="utf-8">\n',
            f'<meta http-equiv="Content-Security-Policy" content="{CSP}">\n',
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n',
            '<meta name="referrer" content="no-referrer">\n',
            f"<title>{esc(title)} — factdb report</title>\n",
            f"<style>{CSS}</style>\n</head>\n<body>\n<main>\n",
            body,
            "<footer>Made with factdb. Positions and statuses are derived from the "
            "recorded thread.</footer>\n",
            "</main>\n</body>\n</html>\n",
        ]
    )


def _scope(report: Data) -> str:
    note = scope_note(report)
    return f'<p class="scope">{esc(note[:1].upper() + note[1:])}.</p>\n' if note else ""


# ------------------------------------------------------------------------- claim blocks


def claim_page(report: Data) -> str:
    claim = report["claim"]
    return "".join(
        [
            '<header>\n<p class="eyebrow">factdb claim report</p>\n',
            f"<h1>{esc(heading(claim))}: {esc(one_line(claim.get('text') or '(no text)'))}</h1>\n",
            _status(report["status"], claim),
            _scope(report),
            "</header>\n",
            _claim_body(report, level=2),
            "<h2>Stance graph</h2>\n",
            stance_graph([report]),
        ]
    )


def _status(status: str, claim: Data) -> str:
    css = "".join(ch for ch in status if ch.isalnum() or ch == "-")
    badge = _withdrawn(claim)
    return f'<p>Status: <span class="status status-{css}">{esc(status)}</span>{badge}</p>\n'


def _withdrawn(entry: Data) -> str:
    """A badge in the retractions' grey naming (and linking to) the retractions that withdraw
    the statement; nothing while it stands."""
    retractions = entry.get("withdrawn_by") or []
    if not retractions:
        return ""
    links = ", ".join(f'<a href="#s{int(number)}">#{int(number)}</a>' for number in retractions)
    colour = KIND_COLOURS["retraction"]
    return f' <span class="withdrawn-by" style="background: {colour}">withdrawn by {links}</span>'


def _claim_body(block: Data, *, level: int) -> str:
    h = f"h{level}"
    thread = block["thread"]
    parts = [
        _fields(block["claim"]),
        f"<{h}>Timeline</{h}>\n",
        timeline(block),
        f"<{h}>Thread</{h}>\n",
        f'<ol class="thread">\n{_thread(thread)}</ol>\n'
        if thread
        else "<p>No answers recorded.</p>\n",
        f"<{h}>Positions</{h}>\n",
        _positions(block),
    ]
    return "".join(parts)


def _claim_article(block: Data) -> str:
    claim = block["claim"]
    return "".join(
        [
            f'<article class="claim" id="claim-{int(claim["id"])}">\n',
            f"<h3>{esc(heading(claim))}: {esc(one_line(claim.get('text') or '(no text)'))}</h3>\n",
            _status(block["status"], claim),
            _claim_body(block, level=4),
            "</article>\n",
        ]
    )


def _fields(claim: Data) -> str:
    rows = [("By", esc(speaker(claim))), ("Date", esc(date_label(claim["date"])))]
    quoted = quote_label(claim)
    if quoted:
        rows.append(("Quote", f"<blockquote>{esc(quoted)}</blockquote>"))
    if claim["about"]:
        rows.append(("About", esc(", ".join(claim["about"]))))
    if claim["topics"]:
        rows.append(("Topics", esc(", ".join(claim["topics"]))))
    if claim.get("note"):
        rows.append(("Note", esc(claim["note"])))
    if claim.get("ref"):
        rows.append(("Ref", esc(claim["ref"])))
    if claim["sources"]:
        rows.append(("Sources", _sources(claim["sources"])))
    items = "".join(f"<dt>{label}</dt><dd>{value}</dd>\n" for label, value in rows)
    return f'<dl class="fields">\n{items}</dl>\n'


def _sources(sources: Iterable[Data]) -> str:
    items = []
    for source in sources:
        shown = link(source_label(source), source.get("url"))
        if web_url(source.get("url")) is None and source.get("url"):
            shown += f' <span class="meta">({esc(source["url"])}, not a web link)</span>'
        details = source_details(source)
        if details:
            shown += f' <span class="meta">{esc(details)}</span>'
        items.append(f"<li>{shown}</li>")
    return f'<ul class="sources">{"".join(items)}</ul>'


def _thread(nodes: Iterable[Data]) -> str:
    out = []
    for node in nodes:
        colour = KIND_COLOURS.get(node["kind"], "#90a4ae")
        withdrawn = ' class="withdrawn"' if node.get("withdrawn_by") else ""
        parts = [
            f'<li id="s{int(node["id"])}"{withdrawn} style="border-left-color: {colour}">',
            f'<span class="kind" style="color: {colour}">{esc(heading(node))}</span> ',
            f"by {esc(speaker(node))} ",
            f'<span class="meta">· {esc(date_label(node["date"]))}</span>',
            _withdrawn(node),
        ]
        if node.get("verdict"):
            rating = f" — {esc(node['rating'])}" if node.get("rating") else ""
            parts.append(
                f"<div>Verdict: <strong>{esc(verdict_label(node['verdict']))}</strong>"
                f"{rating}</div>"
            )
        if node.get("text"):
            parts.append(f"<div>{esc(node['text'])}</div>")
        quoted = quote_label(node)
        if quoted:
            parts.append(f"<blockquote>{esc(quoted)}</blockquote>")
        if node.get("note"):
            parts.append(f'<div class="meta">Note: {esc(node["note"])}</div>')
        if node["sources"]:
            parts.append(_sources(node["sources"]))
        if node["responses"]:
            parts.append(f"<ol>\n{_thread(node['responses'])}</ol>")
        parts.append("</li>\n")
        out.append("".join(parts))
    return "".join(out)


def _positions(block: Data) -> str:
    rows = block["positions"]
    if not rows:
        return "<p>No positions recorded.</p>\n"
    body = []
    for row in rows:
        colour = STANCE_COLOURS.get(stance_of(str(row["position"])), "#90a4ae")
        via = ", ".join(f"#{int(i)}" for i in row["via"])
        body.append(
            f"<tr><td>{esc(row['actor'])}</td>"
            f'<td><span class="chip" style="background: {colour}"></span>'
            f"{esc(position_label(str(row['position'])))}</td><td>{via}</td></tr>\n"
        )
    summary = block["summary"]
    lines = [
        f"<li><strong>{label}:</strong> {esc(', '.join(summary[key]))}</li>"
        for key, label in POSITION_LABELS.items()
        if summary[key]
    ]
    for verdict in summary["verdicts"]:
        rating = f" ({esc(verdict['rating'])})" if verdict.get("rating") else ""
        lines.append(
            f"<li><strong>Verdict</strong> by {esc(verdict['actor'])}: "
            f"{esc(verdict_label(verdict['verdict']))}{rating}</li>"
        )
    return (
        "<table><thead><tr><th>Actor</th><th>Position</th><th>Via</th></tr></thead>\n"
        f"<tbody>\n{''.join(body)}</tbody></table>\n<ul>{''.join(lines)}</ul>\n"
    )


# ----------------------------------------------------------------------------- SVG


def _clip(value: Any, limit: int) -> str:
    flat = one_line(value or "")
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


def timeline(block: Data) -> str:
    """The claim and its answers as a vertical timeline, in date order (unknown dates
    last), indented by depth in the thread and coloured by kind."""
    entries = [{**block["claim"], "depth": 0}, *thread_entries(block["thread"])]
    entries.sort(key=lambda e: (e["date"] is None, e["date"] or "", int(e["id"])))
    row, top, width = 46, 16, 880
    height = top * 2 + row * len(entries)
    axis = 118
    parts = [
        f'<figure><svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" aria-label="Timeline of the thread">',
        f'<line x1="{axis}" y1="{top}" x2="{axis}" y2="{height - top}" stroke="#b0bec5" '
        'stroke-width="2"/>',
    ]
    for index, entry in enumerate(entries):
        y = top + row * index + row // 2
        colour = KIND_COLOURS.get(entry["kind"], "#90a4ae")
        x = axis + 22 + 18 * int(entry.get("depth", 0))
        said = quote_label(entry) or entry.get("text") or ""
        gone = withdrawn_label(entry)
        struck = ' text-decoration="line-through"' if gone else ""
        parts += [
            f"<g><title>{esc(heading(entry))} by {esc(entry['actor'])}"
            f"{esc(f' ({gone})') if gone else ''}</title>",
            f'<text x="{axis - 14}" y="{y + 4}" text-anchor="end" font-size="12" '
            f'fill="#5f6b76">{esc(date_label(entry["date"]))}</text>',
            f'<circle cx="{axis}" cy="{y}" r="7" fill="{colour}"/>',
            f'<line x1="{axis + 7}" y1="{y}" x2="{x - 4}" y2="{y}" stroke="{colour}" '
            'stroke-width="1.5"/>',
            f'<text x="{x}" y="{y - 4}" font-size="13" fill="#1f2933">'
            f'<tspan font-weight="700" fill="{colour}">{esc(heading(entry))}</tspan> '
            f"{esc(_clip(entry['actor'], 70))}</text>",
            f'<text x="{x}" y="{y + 13}" font-size="12" fill="#5f6b76"{struck}>'
            f"{esc(_clip(said, 100))}</text></g>",
        ]
    parts.append("</svg></figure>\n")
    return "".join(parts)


def _graph_edges(blocks: Iterable[Data]) -> dict[tuple[str, str, str], int]:
    """Positions as edges: each actor → the claim's author (its own position row), by stance;
    counted over the claims given."""
    edges: dict[tuple[str, str, str], int] = {}
    for block in blocks:
        claim = block["claim"]
        target = next(
            (str(r["actor"]) for r in block["positions"] if claim["id"] in r["via"]),
            str(claim["actor"]),
        )
        for row in block["positions"]:
            source = str(row["actor"])
            if source == target:
                continue
            key = (source, target, stance_of(str(row["position"])))
            edges[key] = edges.get(key, 0) + 1
    return edges


def stance_graph(blocks: Iterable[Data]) -> str:
    """Actors as nodes on a circle, positions as coloured arrows to the claim's author."""
    edges = _graph_edges(blocks)
    if not edges:
        return "<p>No one has taken a position on anyone else's claim yet.</p>\n"
    names = sorted({name for edge in edges for name in edge[:2]}, key=str.casefold)
    radius = min(200.0, 60.0 + 30.0 * len(names))
    width, height = 880, int(2 * radius + 110)
    cx, cy = width / 2, radius + 40
    spots: dict[str, tuple[float, float]] = {}
    for index, name in enumerate(names):
        angle = -math.pi / 2 + 2 * math.pi * index / len(names)
        spots[name] = (cx + radius * math.cos(angle), cy + radius * math.sin(angle))
    parts = [
        f'<figure><svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" aria-label="Stance graph">',
        "<defs>",
    ]
    for stance, colour in STANCE_COLOURS.items():
        parts.append(
            f'<marker id="arrow-{stance}" viewBox="0 0 10 10" refX="10" refY="5" '
            'markerWidth="7" markerHeight="7" orient="auto-start-reverse">'
            f'<path d="M 0 0 L 10 5 L 0 10 z" fill="{colour}"/></marker>'
        )
    parts.append("</defs>")
    node_r = 9.0
    for (source, target, stance), count in sorted(edges.items()):
        colour = STANCE_COLOURS.get(stance, "#90a4ae")
        (x1, y1), (x2, y2) = spots[source], spots[target]
        dx, dy = x2 - x1, y2 - y1
        length = math.hypot(dx, dy) or 1.0
        ux, uy = dx / length, dy / length
        # Curve every edge to its left so A→B and B→A never overlap.
        bend = 28.0 + 10.0 * list(STANCE_COLOURS).index(stance) if stance in STANCE_COLOURS else 28
        mx, my = (x1 + x2) / 2 - uy * bend, (y1 + y2) / 2 + ux * bend
        sx, sy = x1 + ux * node_r, y1 + uy * node_r
        ex, ey = x2 - ux * (node_r + 3), y2 - uy * (node_r + 3)
        label = f"{source} {position_label(stance)} {target}"
        parts.append(
            f"<g><title>{esc(label)}{f' ({count} claims)' if count > 1 else ''}</title>"
            f'<path d="M {sx:.1f} {sy:.1f} Q {mx:.1f} {my:.1f} {ex:.1f} {ey:.1f}" fill="none" '
            f'stroke="{colour}" stroke-width="{min(2 + count, 6)}" '
            f'marker-end="url(#arrow-{stance})"/>'
        )
        if count > 1:
            parts.append(
                f'<text x="{mx:.1f}" y="{my:.1f}" font-size="12" fill="{colour}" '
                f'text-anchor="middle">×{count}</text>'
            )
        parts.append("</g>")
    for name, (x, y) in spots.items():
        right = x >= cx - 1
        anchor = "start" if right else "end"
        tx = x + (node_r + 6) * (1 if right else -1)
        parts.append(
            f"<g><title>{esc(name)}</title>"
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{node_r}" fill="#ffffff" stroke="#37474f" '
            'stroke-width="2"/>'
            f'<text x="{tx:.1f}" y="{y + 4:.1f}" font-size="13" text-anchor="{anchor}" '
            f'fill="#1f2933">{esc(_clip(name, 40))}</text></g>'
        )
    legend_y = height - 14
    for index, (stance, colour) in enumerate(STANCE_COLOURS.items()):
        lx = 16 + index * 140
        parts.append(
            f'<line x1="{lx}" y1="{legend_y - 4}" x2="{lx + 24}" y2="{legend_y - 4}" '
            f'stroke="{colour}" stroke-width="3"/>'
            f'<text x="{lx + 30}" y="{legend_y}" font-size="12" fill="#1f2933">{stance}</text>'
        )
    parts.append("</svg></figure>\n")
    return "".join(parts)


# ------------------------------------------------------------------------ topic, actor


def topic_page(report: Data) -> str:
    summary = report["summary"]
    head = "".join(f'<th class="num">{SUMMARY_LABELS[key]}</th>' for key in summary)
    cells = "".join(f'<td class="num">{int(value)}</td>' for value in summary.values())
    parts = [
        '<header>\n<p class="eyebrow">factdb topic report</p>\n',
        f"<h1>{esc(report['topic'])}</h1>\n",
        _scope(report),
        "</header>\n<h2>Summary</h2>\n",
        f"<table><thead><tr>{head}</tr></thead><tbody><tr>{cells}</tr></tbody></table>\n",
        "<h2>Stance graph</h2>\n",
        stance_graph(report["claims"]),
        "<h2>Alignment</h2>\n",
        _alignment(report["alignment"]),
        "<h2>Claims</h2>\n",
    ]
    if report["claims"]:
        parts.append(_contents(report["claims"]))
    else:
        parts.append("<p>No claims recorded.</p>\n")
    parts += [_claim_article(block) for block in report["claims"]]
    return "".join(parts)


def _contents(blocks: Iterable[Data]) -> str:
    items = "".join(
        f'<li><a href="#claim-{int(b["claim"]["id"])}">{esc(heading(b["claim"]))}</a>: '
        f"{esc(_clip(b['claim'].get('text'), 120))} "
        f'<span class="meta">({esc(b["status"])})</span></li>\n'
        for b in blocks
    )
    return f"<ol>\n{items}</ol>\n"


def _alignment(rows: list[Data]) -> str:
    if not rows:
        return "<p>No two actors took sides on the same claim.</p>\n"
    body = "".join(
        f"<tr><td>{esc(r['actor_a'])}</td><td>{esc(r['actor_b'])}</td>"
        f'<td class="num">{int(r["same"])}</td><td class="num">{int(r["opposite"])}</td></tr>\n'
        for r in rows
    )
    return (
        '<table><thead><tr><th>Actor</th><th>Actor</th><th class="num">Same side</th>'
        f'<th class="num">Opposite sides</th></tr></thead>\n<tbody>\n{body}</tbody></table>\n'
    )


def actor_page(report: Data) -> str:
    actor = report["actor"]
    facts = [esc(actor["kind"])]
    if actor.get("country"):
        facts.append(esc(actor["country"]))
    if actor.get("aliases"):
        facts.append("also " + esc(", ".join(actor["aliases"])))
    parts = [
        '<header>\n<p class="eyebrow">factdb actor report</p>\n',
        f"<h1>{esc(actor['name'])}</h1>\n",
        f'<p class="meta">{" · ".join(facts)}</p>\n',
        _scope(report),
    ]
    if actor.get("description"):
        parts.append(f"<p>{esc(actor['description'])}</p>\n")
    if actor["affiliations"]:
        items = []
        for aff in actor["affiliations"]:
            span = " to ".join(p for p in (aff.get("from"), aff.get("to")) if p)
            role = f"{aff['role']} of " if aff.get("role") else "member of "
            items.append(
                f"<li>{esc(role + aff['organization'])}"
                f"{' (' + esc(span) + ')' if span else ''}</li>"
            )
        parts.append(f"<ul>{''.join(items)}</ul>\n")
    if report["counted"]:
        parts.append(
            f'<p class="meta">Statements counted from: {esc(", ".join(report["counted"]))}</p>\n'
        )
    parts.append("</header>\n<h2>Claimed</h2>\n")
    if report["claimed"]:
        claimed = "".join(
            f"<li><strong>{esc(heading(e))}</strong> by {esc(speaker(e))}, "
            f"{esc(date_label(e['date']))}: {esc(e.get('text') or '')} "
            f'<span class="meta">(status: {esc(e["status"])})</span></li>\n'
            for e in report["claimed"]
        )
        parts.append(f"<ul>\n{claimed}</ul>\n")
    else:
        parts.append("<p>No claims recorded.</p>\n")
    for key, label in RESPONSE_SECTIONS.items():
        if not report[key]:
            continue
        items = []
        for entry in report[key]:
            target = entry["answers"]
            said = quote_label(entry) or entry.get("text") or ""
            items.append(
                f"<li><strong>{esc(heading(entry))}</strong> by {esc(speaker(entry))}, "
                f"{esc(date_label(entry['date']))}: {esc(said)} "
                f'<span class="meta">— answering {esc(heading(target))} by '
                f"{esc(target['actor'])} ({esc(date_label(target['date']))}): "
                f"{esc(target.get('text') or '')}</span></li>\n"
            )
        parts.append(f"<h2>{label}</h2>\n<ul>\n{''.join(items)}</ul>\n")
    parts.append(f"<h2>Claims about {esc(actor['name'])}</h2>\n")
    if report["about"]:
        parts.append(stance_graph(report["about"]))
        parts += [_claim_article(block) for block in report["about"]]
    else:
        parts.append("<p>No claims recorded.</p>\n")
    return "".join(parts)

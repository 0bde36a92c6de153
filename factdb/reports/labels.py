"""Words every renderer shares: kind and position labels, dates, quotes, and the one check
that decides whether a URL may become a link."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, TypeVar
from urllib.parse import quote, urlsplit

Page = TypeVar("Page")

KIND_LABELS = {
    "claim": "Claim",
    "denial": "Denial",
    "dispute": "Dispute",
    "endorsement": "Endorsement",
    "admission": "Admission",
    "retraction": "Retraction",
    "fact_check": "Fact-check",
}

# Colours for kinds and positions (HTML and the terminal): red against, green for, amber
# questioning, blue conceding, grey withdrawn, purple assessed.
STANCE_COLOURS = {
    "supports": "#2e7d32",
    "opposes": "#c62828",
    "questions": "#ef6c00",
    "concedes": "#1565c0",
    "withdrawn": "#757575",
    "assessed": "#6a1b9a",
}
KIND_COLOURS = {
    "claim": "#37474f",
    "denial": STANCE_COLOURS["opposes"],
    "dispute": STANCE_COLOURS["questions"],
    "endorsement": STANCE_COLOURS["supports"],
    "admission": STANCE_COLOURS["concedes"],
    "retraction": STANCE_COLOURS["withdrawn"],
    "fact_check": STANCE_COLOURS["assessed"],
}
SUMMARY_LABELS = {
    "claims": "Claims",
    "denials": "Denials",
    "disputes": "Disputes",
    "endorsements": "Endorsements",
    "admissions": "Admissions",
    "retractions": "Retractions",
    "fact_checks": "Fact-checks",
    "unanswered": "Unanswered",
}
POSITION_LABELS = {
    "supports": "Supports",
    "opposes": "Opposes",
    "questions": "Questions",
    "concedes": "Concedes",
    "withdrawn": "Withdrawn",
}
RESPONSE_SECTIONS = {
    "denied": "Denied",
    "disputed": "Disputed",
    "endorsed": "Endorsed",
    "admitted": "Admitted",
    "retracted": "Retracted",
    "fact_checked": "Fact-checked",
}
# URL characters kept as they are in links; everything else is percent-encoded, so a link
# destination never holds quotes, spaces, brackets or parentheses.
_URL_SAFE = ":/?#@!$&'*+,;=%-._~"


def kind_label(kind: str) -> str:
    return KIND_LABELS.get(kind, kind)


def stance_of(position: str) -> str:
    """``assessed:false`` → ``assessed``; the colour family of a position."""
    return position.split(":", 1)[0]


def position_label(position: str) -> str:
    if position.startswith("assessed:"):
        return f"assessed {verdict_label(position.split(':', 1)[1])}"
    return position


def verdict_label(verdict: str | None) -> str:
    return (verdict or "").replace("_", " ")


def date_label(date: str | None) -> str:
    return date if date else "date unknown"


def quote_label(entry: dict[str, Any]) -> str | None:
    """The verbatim quote in curly quotes, with its language when known."""
    if not entry.get("quote"):
        return None
    lang = f" ({entry['lang']})" if entry.get("lang") else ""
    return f"“{entry['quote']}”{lang}"


def heading(entry: dict[str, Any]) -> str:
    """``Denial #2`` — a statement's kind and id."""
    return f"{kind_label(entry['kind'])} #{entry['id']}"


def withdrawn_label(entry: dict[str, Any]) -> str | None:
    """``withdrawn by #12`` when retractions withdraw the statement (``withdrawn_by``)."""
    retractions = entry.get("withdrawn_by") or []
    if not retractions:
        return None
    return "withdrawn by " + ", ".join(f"#{int(number)}" for number in retractions)


def speaker(entry: dict[str, Any]) -> str:
    """The author, and on whose behalf they spoke (nearest organization first)."""
    orgs = [org["name"] for org in entry.get("on_behalf_of") or []]
    return f"{entry['actor']} (on behalf of {', '.join(orgs)})" if orgs else str(entry["actor"])


def page_of(
    report: dict[str, Any],
    claim: Callable[[dict[str, Any]], Page],
    topic: Callable[[dict[str, Any]], Page],
    actor: Callable[[dict[str, Any]], Page],
) -> Page:
    """``report`` rendered by the function for its kind (its ``report`` key)."""
    kind = report["report"]
    page = claim if kind == "claim" else topic if kind == "topic" else actor
    return page(report)


def scope_note(report: dict[str, Any]) -> str:
    """What limits a report, as one phrase (empty when nothing does): ``as of 2020-10;
    positions rolled up to organizations``."""
    notes = []
    if report.get("as_of"):
        notes.append(f"as of {report['as_of']}")
    if report.get("roll_up"):
        notes.append("positions rolled up to organizations")
    return "; ".join(notes)


def thread_entries(nodes: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Every entry of a thread (nodes with their ``responses``), depth first."""
    out: list[dict[str, Any]] = []
    for node in nodes:
        out.append(node)
        out.extend(thread_entries(node["responses"]))
    return out


def one_line(text: Any) -> str:
    """User text on one line: every run of whitespace (newlines too) becomes a space."""
    return " ".join(str(text).split())


def web_url(url: Any) -> str | None:
    """The URL, safe to use as a link target, when it is an absolute http(s) URL with a
    host; otherwise None. Never trusts what the database holds."""
    if not isinstance(url, str):
        return None
    raw = url.strip()
    if any(ord(ch) < 0x20 or ord(ch) == 0x7F for ch in raw):
        return None
    try:
        parts = urlsplit(raw)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    if not raw.lower().startswith(("http://", "https://")):
        return None
    return quote(raw, safe=_URL_SAFE)


def source_label(source: dict[str, Any]) -> str:
    """Outlet (or the URL) of a source."""
    return str(source.get("outlet") or source.get("title") or source.get("url") or "source")


def source_details(source: dict[str, Any]) -> str:
    """What follows the source's name: published date and locator."""
    parts = []
    if source.get("published"):
        parts.append(f"published {source['published']}")
    if source.get("locator"):
        parts.append(str(source["locator"]))
    return ", ".join(parts)

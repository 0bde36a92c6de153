"""The HTML report in a real browser (headless Chromium, when installed), and hostile records
— script tags, javascript: URLs, event handlers, inserted straight into the database past the
input checks — leaving nothing executable in the HTML or the Markdown."""

from __future__ import annotations

import re
import shutil
import struct
import subprocess
import zlib
from html.parser import HTMLParser
from pathlib import Path

import pytest
from markdown_it import MarkdownIt
from sqlalchemy.orm import Session

from factdb.reports import html, markdown
from factdb.reports.model import actor_report, claim_report, topic_report
from factdb.store.db import Database
from factdb.store.models import (
    Actor,
    ActorAlias,
    Affiliation,
    Claim,
    Denial,
    Endorsement,
    FactCheck,
    Source,
    StatementSource,
    StatementSubject,
    StatementTopic,
    Topic,
)
from factdb.text import name_key
from tests.conftest import Cli
from tests.reports_example import load_example

CHROMIUM = shutil.which("chromium") or (
    "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None
)

SCRIPT = "<script>alert(1)</script>"
JS_URL = "javascript:alert(1)"
IMG = '"><img src=x onerror=alert(1)>'
HOSTILE_TEXT = [
    SCRIPT,
    JS_URL,
    IMG,
    "<svg onload=alert(1)>",
    "[click](javascript:alert(1))",
    '<a href="javascript:alert(1)">x</a>',
    "' onmouseover='alert(1)",
    "</style><script>alert(1)</script>",
    "]]><![CDATA[<script>alert(1)</script>",
    "<!-- x",
    "[link=javascript:alert(1)]click[/link] [bold red]markup[/]",
    "![x](javascript:alert(1)) <https://ok.example> www.example.com",
    "# heading\n- item\n===\n<iframe src=javascript:alert(1)>",
]
HOSTILE_URLS = [
    JS_URL,
    " JaVaScRiPt:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "vbscript:msgbox(1)",
    "//evil.example/x",
    "https:javascript:alert(1)",
    'https://ok.example/a"><script>alert(1)</script>',
    "https://ok.example/b) [x](javascript:alert(1)",
    "java\tscript:alert(1)",
]
ALLOWED_TAGS = set(
    [
        "html",
        "head",
        "meta",
        "title",
        "style",
        "body",
        "main",
        "header",
        "footer",
        "p",
        "span",
        "h1",
        "h2",
        "h3",
        "h4",
        "dl",
        "dt",
        "dd",
        "ul",
        "ol",
        "li",
        "a",
        "blockquote",
        "table",
        "thead",
        "tbody",
        "tr",
        "th",
        "td",
        "div",
        "strong",
        "em",
        "figure",
        "article",
        "br",
        "svg",
        "defs",
        "marker",
        "path",
        "line",
        "circle",
        "text",
        "tspan",
        "g",
    ]
)
URL_ATTRIBUTES = {"href", "src", "xlink:href", "action", "formaction", "srcset", "background"}


class Audit(HTMLParser):
    """Every tag, attribute and text node of a document."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def assert_inert(document: str) -> Audit:
    """No script, no event handler, no link that is not http(s) or a same-page anchor."""
    audit = Audit()
    audit.feed(document)
    audit.close()
    for tag, attrs in audit.tags:
        assert tag in ALLOWED_TAGS, tag
        for name, value in attrs:
            assert not name.startswith("on"), (tag, name, value)
            text = (value or "").strip()
            if name in URL_ATTRIBUTES:
                assert text.startswith(("http://", "https://", "#")), (tag, name, value)
                assert not re.search(r"[\s\"'<>]", text), (tag, name, value)
            else:
                assert "javascript:" not in text.lower(), (tag, name, value)
            assert "data:" not in text.lower() or name == "content", (tag, name, value)
        if tag == "meta":
            names = {name for name, _ in attrs}
            assert names <= {"charset", "http-equiv", "content", "name"}, attrs
            assert dict(attrs).get("http-equiv") in (None, "Content-Security-Policy"), attrs
    return audit


def hostile_claim(session: Session) -> int:
    """A claim and thread whose every text field is an attack, written with the ORM."""
    actors = []
    for index, name in enumerate([SCRIPT, JS_URL, IMG, "<svg onload=alert(1)>"]):
        actor = Actor(
            name=name,
            name_key=name_key(name),
            kind="state" if index == 3 else "person",
            description=HOSTILE_TEXT[index + 4],
        )
        actor.aliases = [ActorAlias(alias=HOSTILE_TEXT[5], alias_key=f"alias-{index}")]
        actors.append(actor)
    session.add_all(actors)
    session.flush()
    session.add(Affiliation(member_id=actors[0].id, organization_id=actors[3].id, role=IMG))
    sources = [
        Source(url=url, outlet=HOSTILE_TEXT[i % len(HOSTILE_TEXT)], title=SCRIPT)
        for i, url in enumerate(HOSTILE_URLS)
    ]
    topic = Topic(name=SCRIPT, name_key=name_key(SCRIPT))
    session.add_all([*sources, topic])
    session.flush()

    def links(statement_id: int, offset: int) -> None:
        for position, source in enumerate(sources[offset:] + sources[:offset]):
            session.add(
                StatementSource(
                    statement_id=statement_id,
                    source_id=source.id,
                    position=position,
                    locator=HOSTILE_TEXT[(position + offset) % len(HOSTILE_TEXT)],
                )
            )
        session.add(StatementTopic(statement_id=statement_id, topic_id=topic.id))

    claim = Claim(
        actor_id=actors[0].id,
        text=SCRIPT,
        quote=IMG,
        lang='"><b>',
        note="\n".join(HOSTILE_TEXT),
        ref=JS_URL,
    )
    session.add(claim)
    session.flush()
    links(claim.id, 0)
    session.add(StatementSubject(statement_id=claim.id, actor_id=actors[2].id))
    denial = Denial(
        actor_id=actors[1].id,
        responds_to_id=claim.id,
        text=HOSTILE_TEXT[5],
        quote="<svg onload=alert(1)>",
        note=HOSTILE_TEXT[10],
    )
    session.add(denial)
    session.flush()
    links(denial.id, 3)
    endorsement = Endorsement(
        actor_id=actors[2].id, responds_to_id=denial.id, text=HOSTILE_TEXT[12], quote=JS_URL
    )
    check = FactCheck(
        actor_id=actors[3].id,
        responds_to_id=claim.id,
        verdict="false",
        rating=IMG,
        text=HOSTILE_TEXT[11],
    )
    session.add_all([endorsement, check])
    session.flush()
    links(endorsement.id, 5)
    return claim.id


def reports_of(database: Database) -> list[dict[str, object]]:
    claim_id = database.run(hostile_claim, write=True)
    return [
        database.run(lambda s: claim_report(s, claim_id)),
        database.run(lambda s: topic_report(s, SCRIPT)),
        database.run(lambda s: actor_report(s, "#1")),
        database.run(lambda s: actor_report(s, "#4", roll_up=True)),
    ]


def test_hostile_records_leave_nothing_executable_in_html(database: Database) -> None:
    reports = reports_of(database)
    for report in reports:
        document = html.render(report)
        audit = assert_inert(document)
        shown = "".join(audit.text)
        assert SCRIPT in shown  # shown as text, not dropped
        assert IMG in shown or report["report"] == "actor"
        links = [dict(attrs).get("href") for tag, attrs in audit.tags if tag == "a"]
        assert all(link and link.startswith(("https://ok.example/", "#")) for link in links)
        style_tags = [tag for tag, _ in audit.tags if tag == "style"]
        assert style_tags == ["style"]
    claim_page = html.render(reports[0])
    assert 'href="https://ok.example/a%22%3E%3Cscript%3Ealert%281%29%3C/script%3E"' in claim_page


def test_hostile_records_leave_nothing_executable_in_markdown(database: Database) -> None:
    renderer = MarkdownIt("commonmark")  # raw HTML enabled: any passthrough would show
    for report in reports_of(database):
        document = markdown.render(report)
        assert not re.search(r"(?<!\\)<", document), "an unescaped < in the Markdown"
        assert not re.search(r"(?<!\\)\]\(\s*(?!https?://)", document), "a non-http(s) link"
        audit = assert_inert(renderer.render(document))
        shown = "".join(audit.text)
        assert SCRIPT in shown
        headings = [tag for tag, _ in audit.tags if tag in ("h1", "h2", "h3", "h4", "hr")]
        # only the report's own headings: user text never becomes a heading or a rule
        assert "hr" not in headings


def test_hostile_markup_is_shown_literally_in_the_terminal(cli: Cli, database: Database) -> None:
    database.run(hostile_claim, write=True)
    out = cli.ok("report", "claim", "1").stdout
    assert "\x1b]8;" not in out  # no terminal hyperlink
    assert "[bold red]markup[/]" in out.replace("\n", "")
    assert SCRIPT in out


# ------------------------------------------------------------------------------ Chromium


def png_pixels(data: bytes) -> tuple[int, int, list[bytes]]:
    """Width, height and rows of raw RGB(A) bytes of an 8-bit, non-interlaced PNG."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    position, idat, header = 8, b"", b""
    while position < len(data):
        (length,) = struct.unpack(">I", data[position : position + 4])
        kind = data[position + 4 : position + 8]
        body = data[position + 8 : position + 8 + length]
        if kind == b"IHDR":
            header = body
        elif kind == b"IDAT":
            idat += body
        position += 12 + length
    width, height, depth, colour, _c, _f, interlace = struct.unpack(">IIBBBBB", header)
    assert depth == 8 and interlace == 0 and colour in (2, 6)
    channels = 3 if colour == 2 else 4
    raw = zlib.decompress(idat)
    stride = width * channels
    rows: list[bytes] = []
    previous = bytearray(stride)
    for y in range(height):
        start = y * (stride + 1)
        mode = raw[start]
        line = bytearray(raw[start + 1 : start + 1 + stride])
        for x in range(stride):
            left = line[x - channels] if x >= channels else 0
            up = previous[x]
            corner = previous[x - channels] if x >= channels else 0
            if mode == 1:
                line[x] = (line[x] + left) & 0xFF
            elif mode == 2:
                line[x] = (line[x] + up) & 0xFF
            elif mode == 3:
                line[x] = (line[x] + (left + up) // 2) & 0xFF
            elif mode == 4:
                p = left + up - corner
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
                pick = left if pa <= pb and pa <= pc else up if pb <= pc else corner
                line[x] = (line[x] + pick) & 0xFF
        rows.append(bytes(line[i] for i in range(stride) if i % channels < 3))
        previous = line
    return width, height, rows


def screenshot(page: Path, png: Path, profile: Path) -> None:
    assert CHROMIUM is not None
    subprocess.run(
        [
            CHROMIUM,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            f"--user-data-dir={profile}",
            f"--screenshot={png}",
            "--window-size=1200,1600",
            page.as_uri(),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )


@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed")
@pytest.mark.parametrize("backend", ["sqlite"])
def test_html_report_renders_in_chromium(cli: Cli, database: Database, tmp_path: Path) -> None:
    database.run(load_example, write=True)
    page = tmp_path / "claim.html"
    cli.ok("report", "claim", "1", "-f", "html", "-o", str(page))
    png = tmp_path / "claim.png"
    screenshot(page, png, tmp_path / "profile")
    width, height, rows = png_pixels(png.read_bytes())
    assert (width, height) == (1200, 1600)
    pixels = [row[i : i + 3] for row in rows[::4] for i in range(0, len(row), 12)]
    background = max(set(pixels), key=pixels.count)
    differing = sum(1 for pixel in pixels if pixel != background)
    assert differing / len(pixels) > 0.05, "the screenshot is (nearly) blank"
    assert len(set(pixels)) > 50
    # the red of a denial (#c62828) is drawn: the status badge, timeline and graph edge
    reds = sum(1 for r, g, b in pixels if r > 170 and g < 80 and b < 80)
    assert reds > 20

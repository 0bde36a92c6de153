"""Every report in every format for the worked example, through the command line; the golden
Markdown of the claim report; and where ``-o`` may (and may not) write.

Regenerate the golden file after an intended change of the Markdown, then review the diff:

    FACTDB_REGENERATE_GOLDEN=1 /work/venv/bin/python -m pytest -q \
        tests/test_reports_render.py -k golden
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from factdb.reports.model import actor_report, claim_report, topic_report
from factdb.store.db import Database
from factdb.store.models import Statement
from tests.conftest import Cli
from tests.reports_example import load_example

GOLDEN = Path(__file__).parent / "golden" / "claim_report.md"
TOPIC = "Nagorno-Karabakh 2020"

Snapshot = Callable[[], dict[str, list[tuple[Any, ...]]]]


@pytest.fixture
def example(database: Database) -> Database:
    database.run(load_example, write=True)
    return database


@pytest.fixture
def claim_id(example: Database) -> int:
    found = example.run(
        lambda s: s.scalar(select(Statement.id).where(Statement.ref == "nk-special-forces"))
    )
    assert found == 1
    return 1


# ------------------------------------------------------------------------------ formats


def test_claim_report_text(cli: Cli, claim_id: int) -> None:
    out = cli.ok("report", "claim", str(claim_id)).stdout
    assert "\x1b[" not in out  # no colour when not on a terminal
    assert "Claim #1" in out
    assert "Pakistani special forces are fighting alongside the Azerbaijani army" in out
    assert "Status: denied" in out
    assert "Nikol Pashinyan (on behalf of Armenia)" in out
    assert "Denial #2 by Ministry of Foreign Affairs of Pakistan" in out
    assert "“baseless and unwarranted” (en)" in out
    assert "Supports: Nikol Pashinyan" in out
    assert "Opposes: Ministry of Foreign Affairs of Pakistan" in out


def test_claim_report_json_is_the_model(cli: Cli, example: Database, claim_id: int) -> None:
    printed = json.loads(cli.ok("report", "claim", "#1", "--format", "json").stdout)
    assert printed == example.run(lambda s: claim_report(s, claim_id))
    assert printed["status"] == "denied"
    assert printed["thread"][0]["quote"] == "baseless and unwarranted"


def test_claim_report_markdown_golden(cli: Cli, claim_id: int) -> None:
    out = cli.ok("report", "claim", str(claim_id), "-f", "md").stdout
    if os.environ.get("FACTDB_REGENERATE_GOLDEN"):
        GOLDEN.parent.mkdir(exist_ok=True)
        GOLDEN.write_text(out, encoding="utf-8")
    assert out == GOLDEN.read_text(encoding="utf-8")


def test_claim_report_html(cli: Cli, claim_id: int) -> None:
    out = cli.ok("report", "claim", str(claim_id), "-f", "html").stdout
    assert out.startswith("<!DOCTYPE html>")
    assert (
        "<h1>Claim #1: Pakistani special forces are fighting alongside the Azerbaijani army" in out
    )
    assert '<span class="status status-denied">denied</span>' in out
    assert "<blockquote>“baseless and unwarranted” (en)</blockquote>" in out
    assert "Ministry of Foreign Affairs of Pakistan (on behalf of Pakistan)" in out
    assert 'aria-label="Timeline of the thread"' in out
    assert 'aria-label="Stance graph"' in out
    assert 'marker-end="url(#arrow-opposes)"' in out  # Pakistan's ministry → Pashinyan
    assert '<a href="https://example.org/news/2020/10/18/pakistan-rejects-armenian-claim"' in out
    assert "<script" not in out and "http://" not in out.replace("http://www.w3.org/2000/svg", "")


def test_topic_report_in_each_format(cli: Cli, example: Database) -> None:
    text = cli.ok("report", "topic", "nagorno-karabakh 2020").stdout
    assert "Topic: Nagorno-Karabakh 2020" in text
    assert "Claims 9 · Denials 3 · Disputes 0 · Endorsements 3 · Admissions 1" in text
    assert "“baseless and unwarranted” (en)" in text
    assert "Status: admitted" in text
    assert "Alignment" in text

    md = cli.ok("report", "topic", TOPIC, "-f", "md").stdout
    assert md.startswith("# Topic: Nagorno-Karabakh 2020\n")
    assert "| 9 | 3 | 0 | 3 | 1 | 0 | 1 | 2 |" in md
    assert "### Claim #1: Pakistani special forces" in md
    assert (
        "- **Denial #2** by Ministry of Foreign Affairs of Pakistan (on behalf of Pakistan), "
        "2020-10-17\\\n" in md
    )
    assert "Quote: “baseless and unwarranted” (en)" in md
    assert "**Status: admitted**" in md
    assert "Verdict: **mostly true** — Broadly accurate, likely an undercount" in md
    assert (
        "| Ministry of Foreign Affairs of Armenia | Ministry of Foreign Affairs of Azerbaijan "
        "| 1 | 2 |" in md
    )

    html = cli.ok("report", "topic", TOPIC, "-f", "html").stdout
    assert "<h1>Nagorno-Karabakh 2020</h1>" in html
    assert '<a href="#claim-1">Claim #1</a>' in html
    assert html.count('<article class="claim"') == 9
    assert "<blockquote>“baseless and unwarranted” (en)</blockquote>" in html

    data = json.loads(cli.ok("report", "topic", TOPIC, "-f", "json").stdout)
    assert data == example.run(lambda s: topic_report(s, TOPIC))
    assert data["summary"]["claims"] == 9


def test_actor_report_in_each_format(cli: Cli, example: Database) -> None:
    text = cli.ok("report", "actor", "Pakistan Foreign Office").stdout
    assert "Actor: Ministry of Foreign Affairs of Pakistan" in text
    assert "Denied" in text and "“baseless and unwarranted” (en)" in text
    assert "answering Claim #1 by Nikol Pashinyan" in text

    md = cli.ok("report", "actor", "Pakistan", "-f", "md").stdout
    assert md.startswith("# Actor: Pakistan\n")
    assert "Statements counted from: Imran Khan, Ministry of Foreign Affairs of Pakistan" in md
    assert "## Denied" in md and "## Endorsed" in md and "## Admitted" not in md
    assert "“baseless and unwarranted” (en) — answering Claim #1 by Nikol Pashinyan" in md
    assert "## Claims about Pakistan" in md

    html = cli.ok("report", "actor", "Pakistan", "-f", "html").stdout
    assert "<h1>Pakistan</h1>" in html
    assert "<h2>Denied</h2>" in html and "“baseless and unwarranted” (en)" in html

    data = json.loads(cli.ok("report", "actor", "Pakistan", "-f", "json").stdout)
    assert data == example.run(lambda s: actor_report(s, "Pakistan"))
    direct = json.loads(cli.ok("report", "actor", "Pakistan", "--direct", "-f", "json").stdout)
    assert direct["denied"] == [] and direct["direct"] is True


def test_as_of_and_roll_up_options(cli: Cli, claim_id: int) -> None:
    data = json.loads(
        cli.ok("report", "claim", "1", "--as-of", "2020-10-16", "--roll-up", "-f", "json").stdout
    )
    assert (data["as_of"], data["roll_up"], data["status"], data["thread"]) == (
        "2020-10-16",
        True,
        "unanswered",
        [],
    )
    rolled = json.loads(cli.ok("report", "claim", "1", "--roll-up", "-f", "json").stdout)
    assert [(p["actor"], p["position"]) for p in rolled["positions"]] == [
        ("Armenia", "supports"),
        ("Pakistan", "opposes"),
    ]
    md = cli.ok("report", "claim", "1", "--as-of", "2020-10", "-f", "md").stdout
    assert "*As of 2020-10.*" in md


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (("report", "claim", "999"), 1, "error: ID: there is no statement #999"),
        (("report", "claim", "x1"), 1, "error: ID: 'x1' is not a statement id (use 12 or #12)"),
        (
            ("report", "topic", "Karabakh"),
            1,
            "error: NAME: there is no topic called 'Karabakh'; did you mean Nagorno-Karabakh 2020?",
        ),
        (
            ("report", "topic", "Crimea 2014"),
            1,
            "error: NAME: there is no topic called 'Crimea 2014'",
        ),
        (
            ("report", "actor", "Pakistn"),
            1,
            "error: ACTOR: no actor is called 'Pakistn'; did you mean Pakistan?",
        ),
        (
            ("report", "claim", "1", "--as-of", "2020-13"),
            1,
            "error: --as-of: '2020-13' is not a real date",
        ),
    ],
)
def test_report_errors(
    cli: Cli, example: Database, snapshot: Snapshot, args: tuple[str, ...], code: int, message: str
) -> None:
    before = snapshot()
    result = cli(*args)
    assert (result.exit_code, result.stdout, result.stderr) == (code, "", message + "\n")
    assert snapshot() == before


def test_bad_format_is_a_usage_error(cli: Cli, example: Database) -> None:
    result = cli("report", "claim", "1", "--format", "pdf")
    assert result.exit_code == 2
    assert result.stderr == (
        "error: Invalid value for '--format' / '-f': 'pdf' is not one of text, md, html, json "
        "(see `factdb report claim --help`)\n"
    )


# --------------------------------------------------------------------------------- -o


def test_output_file_is_written_and_never_overwritten_silently(
    cli: Cli, example: Database, tmp_path: Path, snapshot: Snapshot
) -> None:
    target = tmp_path / "report.md"
    result = cli.ok("report", "claim", "1", "-f", "md", "-o", str(target))
    assert result.stdout == ""
    assert result.stderr == f"Wrote {target}\n"
    assert target.read_text(encoding="utf-8") == GOLDEN.read_text(encoding="utf-8")

    target.write_text("mine", encoding="utf-8")
    before = snapshot()
    refused = cli("report", "claim", "1", "-f", "md", "-o", str(target))
    assert refused.exit_code == 1
    assert refused.stderr == (
        f"error: -o: {str(target)!r} already exists; add --force to replace it\n"
    )
    assert target.read_text(encoding="utf-8") == "mine"
    assert snapshot() == before

    cli.ok("report", "claim", "1", "-f", "json", "-o", str(target), "--force")
    assert json.loads(target.read_text(encoding="utf-8"))["status"] == "denied"


def test_output_text_file_is_plain(cli: Cli, example: Database, tmp_path: Path) -> None:
    target = tmp_path / "report.txt"
    cli.ok("report", "topic", TOPIC, "-o", str(target))
    written = target.read_text(encoding="utf-8")
    assert "\x1b[" not in written
    assert "“baseless and unwarranted” (en)" in written


def test_output_refuses_folders_and_missing_folders(
    cli: Cli, example: Database, tmp_path: Path
) -> None:
    folder = tmp_path / "reports"
    folder.mkdir()
    for target in (str(folder), str(folder) + "/"):
        result = cli("report", "claim", "1", "-o", target, "--force")
        assert result.exit_code == 1
        assert result.stderr == f"error: -o: {target!r} is a folder, not a file name\n"
    missing = tmp_path / "new" / "deeper" / "report.html"
    result = cli("report", "claim", "1", "-f", "html", "-o", str(missing))
    assert result.exit_code == 1
    assert result.stderr == (
        f"error: -o: the folder {str(missing.parent)!r} does not exist; create it first\n"
    )
    assert not (tmp_path / "new").exists()
    not_a_folder = tmp_path / "plain.txt"
    not_a_folder.write_text("x", encoding="utf-8")
    result = cli("report", "claim", "1", "-o", str(not_a_folder / "report.md"))
    assert result.exit_code == 1
    assert result.stderr == f"error: -o: {str(not_a_folder)!r} is not a folder\n"
    assert list(folder.iterdir()) == []


def test_output_replaces_a_link_instead_of_following_it(
    cli: Cli, example: Database, tmp_path: Path
) -> None:
    tmp_path = tmp_path / "out"  # the test database lives in tmp_path itself
    tmp_path.mkdir()
    elsewhere = tmp_path / "elsewhere.txt"
    elsewhere.write_text("precious", encoding="utf-8")
    link = tmp_path / "report.html"
    link.symlink_to(elsewhere)
    refused = cli("report", "claim", "1", "-f", "html", "-o", str(link))
    assert refused.exit_code == 1
    assert "already exists; add --force" in refused.stderr
    dangling = tmp_path / "dangling.html"
    dangling.symlink_to(tmp_path / "nowhere.html")
    refused = cli("report", "claim", "1", "-f", "html", "-o", str(dangling))
    assert refused.exit_code == 1
    assert not (tmp_path / "nowhere.html").exists()

    cli.ok("report", "claim", "1", "-f", "html", "-o", str(link), "--force")
    assert elsewhere.read_text(encoding="utf-8") == "precious"
    assert not link.is_symlink()
    assert link.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "dangling.html",
        "elsewhere.txt",
        "report.html",
    ]


def test_failed_report_writes_no_file(cli: Cli, example: Database, tmp_path: Path) -> None:
    target = tmp_path / "missing.html"
    result = cli("report", "claim", "999", "-f", "html", "-o", str(target))
    assert (result.exit_code, result.stderr) == (1, "error: ID: there is no statement #999\n")
    assert not target.exists()

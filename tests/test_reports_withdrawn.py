"""Withdrawn statements in reports: a retraction withdraws what it answers (the rules of
``factdb.queries.positions``), and every claim block marks the claim and each answer with the
retractions that withdraw it (``withdrawn_by``) — in the data, the terminal, Markdown and
HTML, on SQLite and PostgreSQL.

The worked example has claim #1 (Pashinyan) denied by Pakistan's Foreign Office in #2
(2020-10-17); it has 17 statements, so the retractions logged here are #18 and #19.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from sqlalchemy.orm import Session

from factdb.record.statements import add_response
from factdb.reports.model import actor_report, claim_report, topic_report
from factdb.store.db import Database
from tests.conftest import Cli
from tests.reports_example import load_example
from tests.test_reports_html import assert_inert

TOPIC = "Nagorno-Karabakh 2020"
FOREIGN_OFFICE = "Ministry of Foreign Affairs of Pakistan"
DENIAL_LINE = f"**Denial #2** by {FOREIGN_OFFICE} (on behalf of Pakistan), 2020-10-17"
RETRACTION_LINE = f"**Retraction #18** by {FOREIGN_OFFICE} (on behalf of Pakistan), 2020-10-20"


@pytest.fixture
def example(database: Database) -> Database:
    database.run(load_example, write=True)
    return database


def retract(database: Database, statement_id: int, by: str, date: str) -> int:
    def log(session: Session) -> int:
        return add_response(session, "retraction", statement_id, by=by, date=date).id

    number = database.run(log, write=True)
    assert isinstance(number, int)
    return number


@pytest.fixture
def retracted_denial(example: Database) -> Database:
    """The Foreign Office takes its denial back: retraction #18 on 2020-10-20."""
    assert retract(example, 2, FOREIGN_OFFICE, "2020-10-20") == 18
    return example


def marks(nodes: list[dict[str, Any]]) -> dict[int, list[int]]:
    """``{id: withdrawn_by}`` of every item of a thread, nested answers included."""
    found: dict[int, list[int]] = {}
    for node in nodes:
        found[node["id"]] = node["withdrawn_by"]
        found.update(marks(node["responses"]))
    return found


def flat(text: str) -> str:
    """Terminal output without the tree's lines and with its wrapping undone."""
    return " ".join(text.translate(str.maketrans("│├└─", "    ")).split())


# --------------------------------------------------------------------------------- data


def test_the_example_withdraws_nothing(example: Database) -> None:
    report = example.run(lambda s: claim_report(s, 1))
    assert report["claim"]["withdrawn_by"] == []
    assert marks(report["thread"]) == {2: []}
    topic = example.run(lambda s: topic_report(s, TOPIC))
    for block in topic["claims"]:
        assert block["claim"]["withdrawn_by"] == []
        assert all(found == [] for found in marks(block["thread"]).values())


def test_a_retracted_denial_is_marked_in_every_report(retracted_denial: Database) -> None:
    report = retracted_denial.run(lambda s: claim_report(s, 1))
    assert report["claim"]["withdrawn_by"] == []
    assert marks(report["thread"]) == {2: [18], 18: []}
    assert {p["actor"]: p["position"] for p in report["positions"]}[FOREIGN_OFFICE] == "withdrawn"
    # withdrawn_by follows the statement entry's own keys, before depth and responses
    [denial] = report["thread"]
    assert list(denial)[-3:] == ["withdrawn_by", "depth", "responses"]

    topic = retracted_denial.run(lambda s: topic_report(s, TOPIC))
    [block] = [b for b in topic["claims"] if b["claim"]["id"] == 1]
    assert marks(block["thread"]) == {2: [18], 18: []}
    pakistan = retracted_denial.run(lambda s: actor_report(s, "Pakistan"))
    [about] = pakistan["about"]
    assert marks(about["thread"]) == {2: [18], 18: []}


def test_as_of_before_the_retraction_marks_nothing(retracted_denial: Database) -> None:
    before = retracted_denial.run(lambda s: claim_report(s, 1, as_of="2020-10-19"))
    assert marks(before["thread"]) == {2: []}  # #18 not said yet, nor shown
    on_the_day = retracted_denial.run(lambda s: claim_report(s, 1, as_of="2020-10-20"))
    assert marks(on_the_day["thread"]) == {2: [18], 18: []}


def test_retracting_the_retraction_restores_the_denial(retracted_denial: Database) -> None:
    assert retract(retracted_denial, 18, FOREIGN_OFFICE, "2020-10-25") == 19
    report = retracted_denial.run(lambda s: claim_report(s, 1))
    assert marks(report["thread"]) == {2: [], 18: [19], 19: []}
    assert {p["actor"]: p["position"] for p in report["positions"]}[FOREIGN_OFFICE] == "opposes"
    # before the second retraction was said, the first still withdraws the denial
    earlier = retracted_denial.run(lambda s: claim_report(s, 1, as_of="2020-10-24"))
    assert marks(earlier["thread"]) == {2: [18], 18: []}


def test_a_retracted_claim_is_marked(example: Database) -> None:
    assert retract(example, 1, "Nikol Pashinyan", "2020-10-30") == 18
    report = example.run(lambda s: claim_report(s, 1))
    assert report["claim"]["withdrawn_by"] == [18]
    assert marks(report["thread"]) == {2: [], 18: []}
    assert (
        example.run(lambda s: claim_report(s, 1, as_of="2020-10-29"))["claim"]["withdrawn_by"] == []
    )


# ------------------------------------------------------------------------------ formats


def test_every_format_marks_the_retracted_denial(cli: Cli, retracted_denial: Database) -> None:
    data = json.loads(cli.ok("report", "claim", "1", "-f", "json").stdout)
    assert data == retracted_denial.run(lambda s: claim_report(s, 1))
    assert marks(data["thread"]) == {2: [18], 18: []}

    text = flat(cli.ok("report", "claim", "1").stdout)
    assert (
        f"Denial #2 by {FOREIGN_OFFICE} (on behalf of Pakistan), 2020-10-17 — withdrawn by #18"
        in (text)
    )
    assert text.count("withdrawn by") == 1

    md = cli.ok("report", "claim", "1", "-f", "md").stdout
    assert f"- {DENIAL_LINE} — *withdrawn by #18*\\\n" in md
    assert f"  - {RETRACTION_LINE}\n" in md  # the retraction itself stands
    assert md.count("withdrawn by") == 1

    html = cli.ok("report", "claim", "1", "-f", "html").stdout
    assert_inert(html)
    assert (
        '<li id="s2" class="withdrawn" style="border-left-color: #c62828">'
        '<span class="kind" style="color: #c62828">Denial #2</span> '
        f"by {FOREIGN_OFFICE} (on behalf of Pakistan) "
        '<span class="meta">· 2020-10-17</span> '
        '<span class="withdrawn-by" style="background: #757575">'
        'withdrawn by <a href="#s18">#18</a></span>'
    ) in html
    assert '<li id="s18" style="border-left-color: #757575">' in html  # the link's target
    assert f"<title>Denial #2 by {FOREIGN_OFFICE} (withdrawn by #18)</title>" in html
    assert html.count('class="withdrawn"') == 1
    assert "li.withdrawn > div, li.withdrawn > blockquote { text-decoration: line-through;" in html


def test_no_format_marks_it_before_the_retraction(cli: Cli, retracted_denial: Database) -> None:
    as_of = ("--as-of", "2020-10-19")
    data = json.loads(cli.ok("report", "claim", "1", *as_of, "-f", "json").stdout)
    assert marks(data["thread"]) == {2: []}
    assert "withdrawn by" not in cli.ok("report", "claim", "1", *as_of).stdout
    md = cli.ok("report", "claim", "1", *as_of, "-f", "md").stdout
    assert f"- {DENIAL_LINE}\\\n" in md and "withdrawn by" not in md
    html = cli.ok("report", "claim", "1", *as_of, "-f", "html").stdout
    assert "withdrawn by" not in html and 'class="withdrawn"' not in html


def test_every_format_follows_a_retracted_retraction(cli: Cli, retracted_denial: Database) -> None:
    assert retract(retracted_denial, 18, FOREIGN_OFFICE, "2020-10-25") == 19
    data = json.loads(cli.ok("report", "claim", "1", "-f", "json").stdout)
    assert marks(data["thread"]) == {2: [], 18: [19], 19: []}

    text = flat(cli.ok("report", "claim", "1").stdout)
    assert "(on behalf of Pakistan), 2020-10-17 The claim is false" in text  # unmarked
    assert "(on behalf of Pakistan), 2020-10-20 — withdrawn by #19" in text
    assert text.count("withdrawn by") == 1

    md = cli.ok("report", "claim", "1", "-f", "md").stdout
    assert f"- {DENIAL_LINE}\\\n" in md
    assert f"  - {RETRACTION_LINE} — *withdrawn by #19*\n" in md
    assert md.count("withdrawn by") == 1

    html = cli.ok("report", "claim", "1", "-f", "html").stdout
    assert '<li id="s2" style="border-left-color: #c62828">' in html
    assert '<li id="s18" class="withdrawn" style="border-left-color: #757575">' in html
    assert 'withdrawn by <a href="#s19">#19</a></span>' in html
    assert html.count('class="withdrawn"') == 1


def test_every_format_marks_a_retracted_claim(cli: Cli, example: Database) -> None:
    assert retract(example, 1, "Nikol Pashinyan", "2020-10-30") == 18
    status = "retracted"
    assert example.run(lambda s: claim_report(s, 1))["status"] == status
    data = json.loads(cli.ok("report", "claim", "1", "-f", "json").stdout)
    assert data["claim"]["withdrawn_by"] == [18]

    text = flat(cli.ok("report", "claim", "1").stdout)
    assert f"Status: {status} — withdrawn by #18" in text
    md = cli.ok("report", "claim", "1", "-f", "md").stdout
    assert f"**Status: {status}** — *withdrawn by #18*\n" in md
    html = cli.ok("report", "claim", "1", "-f", "html").stdout
    assert (
        f'<p>Status: <span class="status status-{status}">{status}</span> '
        '<span class="withdrawn-by" style="background: #757575">'
        'withdrawn by <a href="#s18">#18</a></span></p>'
    ) in html
    # the topic report marks it the same way in its claim article
    topic = cli.ok("report", "topic", TOPIC, "-f", "md").stdout
    assert f"**Status: {status}** — *withdrawn by #18*\n" in topic

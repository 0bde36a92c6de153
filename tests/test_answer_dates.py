"""Answers dated before what they answer are kept, with a warning: the answer commands,
``claim edit``, import, ``db check``, reports, the timeline and the export round trip, on
both databases."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import Cli
from test_interchange_roundtrip import wipe

from factdb import rules
from factdb.dates import parse_date
from factdb.record.answer_dates import import_summary
from factdb.store.db import Database

Snapshot = Callable[[], dict[str, list[tuple[Any, ...]]]]
WARNED = "warning: #2 (2020-06-16) is dated before #1 (2020-06-17), which it answers\n"


@pytest.fixture
def claimed(cli: Cli) -> Cli:
    """The case of the issue: a claim of 2020-06-17 (#1) that answers dated a day earlier
    are given to."""
    cli.ok("actor", "add", "Azerbaijan", "--kind", "state", "--country", "AZ")
    cli.ok(
        "actor",
        "add",
        "Ministry of Defence of Azerbaijan",
        "--kind",
        "ministry",
        "--member-of",
        "Azerbaijan",
    )
    cli.ok("actor", "add", "Armenia", "--kind", "state", "--country", "AM")
    cli.ok("actor", "add", "AFP Fact Check", "--kind", "media")
    cli.ok(
        "claim", "add", "Armenian shelling hit Tovuz", "--by", "Azerbaijan", "--on", "2020-06-17"
    )
    return cli


def stored_date(cli: Cli, statement_id: int) -> str | None:
    date: str | None = cli.json("show", str(statement_id))["statement"]["date"]
    return date


# ----------------------------------------------------------------------------- the rule


@pytest.mark.parametrize(
    ("answer", "answered", "before"),
    [
        ("2020-06-16", "2020-06-17", True),
        ("2020-05", "2020-06-17", True),
        ("2020-12-31", "2021", True),
        ("2020-06-17", "2020-06-17", False),
        ("2020-06-16", "2020-06", False),  # a day inside the month
        ("2020-06", "2020-06-17", False),  # the month holding the day
        ("2020", "2020-06-17", False),
        ("2020-06-18", "2020-06-17", False),
        (None, "2020-06-17", False),
        ("2020-06-16", None, False),
    ],
)
def test_the_rule_compares_periods_at_their_precision(
    answer: str | None, answered: str | None, before: bool
) -> None:
    answer_date = None if answer is None else parse_date(answer)
    answered_date = None if answered is None else parse_date(answered)
    assert rules.dated_before(answer_date, answered_date) is before
    # the import's form of the same rule, on ordinals (0 when undated)
    last = answer_date.end.toordinal() if answer_date else 0
    first = answered_date.start.toordinal() if answered_date else 0
    assert rules.days_before(last, first) is before


def test_the_import_summary_names_the_lines() -> None:
    assert import_summary([4]) == "1 answer is dated before the statement it answers (line 4)"
    assert import_summary([4, 9, 12]) == (
        "3 answers are dated before the statement they answer (lines 4, 9, 12)"
    )
    many = import_summary(list(range(3, 28)))
    assert many == (
        "25 answers are dated before the statement they answer (lines "
        + ", ".join(str(n) for n in range(3, 23))
        + " and 5 more)"
    )


# ----------------------------------------------------------------------------- answer commands

ANSWERS = [
    ("deny", ["--by", "Armenia"], "denial", "Armenia"),
    ("dispute", ["--by", "Armenia"], "dispute", "Armenia"),
    (
        "endorse",
        ["--by", "Ministry of Defence of Azerbaijan"],
        "endorsement",
        "Ministry of Defence of Azerbaijan",
    ),
    ("admit", ["--by", "Armenia"], "admission", "Armenia"),
    ("retract", ["--by", "Azerbaijan"], "retraction", "Azerbaijan"),
    (
        "fact-check",
        ["--by", "AFP Fact Check", "--verdict", "unproven"],
        "fact-check",
        "AFP Fact Check",
    ),
]


@pytest.mark.parametrize(
    ("verb", "options", "label", "actor"), ANSWERS, ids=[case[0] for case in ANSWERS]
)
def test_an_answer_dated_before_what_it_answers_is_kept_with_a_warning(
    claimed: Cli, verb: str, options: list[str], label: str, actor: str
) -> None:
    result = claimed(verb, "1", *options, "--on", "2020-06-16")
    assert (result.exit_code, result.stdout, result.stderr) == (
        0,
        f"Added {label} #2 by {actor}, answering claim #1.\n",
        WARNED,
    )
    assert stored_date(claimed, 2) == "2020-06-16"


@pytest.mark.parametrize(
    ("verb", "options", "label", "actor"), ANSWERS, ids=[case[0] for case in ANSWERS]
)
def test_json_output_carries_the_warnings(
    claimed: Cli, verb: str, options: list[str], label: str, actor: str
) -> None:
    result = claimed(verb, "1", *options, "--on", "2020-06-16", "--format", "json")
    assert result.exit_code == 0
    assert result.stderr == WARNED
    added = json.loads(result.stdout)
    assert (added["id"], added["actor"], added["date"]) == (2, actor, "2020-06-16")
    assert added["warnings"] == [WARNED.removeprefix("warning: ").rstrip("\n")]
    on_time = claimed.json(verb, "1", *options, "--on", "2020-06-17")
    assert (on_time["id"], on_time["warnings"]) == (3, [])


@pytest.mark.parametrize(
    ("claim_on", "answer_on", "stderr"),
    [
        ("2020-06-17", "2020-05", "warning: #2 (2020-05) is dated before #1 (2020-06-17), "),
        ("2021", "2020-12-31", "warning: #2 (2020-12-31) is dated before #1 (2021), "),
        ("2020-06", "2020-06-16", ""),
        ("2020-06-17", "2020-06", ""),
        ("2020-06-17", "", ""),
        ("", "2020-06-16", ""),
    ],
)
def test_dates_compare_at_their_precision(
    cli: Cli, claim_on: str, answer_on: str, stderr: str
) -> None:
    cli.ok("actor", "add", "Armenia", "--kind", "state")
    cli.ok("claim", "add", "x", "--by", "Armenia", *(["--on", claim_on] if claim_on else []))
    result = cli.ok("deny", "1", "--by", "Armenia", *(["--on", answer_on] if answer_on else []))
    assert result.stderr == (stderr + "which it answers\n" if stderr else "")
    assert stored_date(cli, 2) == (answer_on or None)


def test_an_answer_to_an_answer_is_compared_with_its_own_target(claimed: Cli) -> None:
    claimed.ok("deny", "1", "--by", "Armenia", "--on", "2020-06-20")
    result = claimed.ok("deny", "2", "--by", "Azerbaijan", "--on", "2020-06-18")
    assert result.stderr == (
        "warning: #3 (2020-06-18) is dated before #2 (2020-06-20), which it answers\n"
    )


# ----------------------------------------------------------------------------- edit


def test_re_dating_warns_for_each_answer_left_before_it(claimed: Cli) -> None:
    claimed.ok("deny", "1", "--by", "Armenia", "--on", "2020-06-18")
    claimed.ok("dispute", "1", "--by", "Armenia", "--on", "2020-06-20")
    claimed.ok("deny", "3", "--by", "Azerbaijan", "--on", "2020-06-21")
    moved = claimed("claim", "edit", "1", "--on", "2020-06-22", "--format", "json")
    expected = [
        "#2 (2020-06-18) is dated before #1 (2020-06-22), which it answers",
        "#3 (2020-06-20) is dated before #1 (2020-06-22), which it answers",
    ]
    assert moved.exit_code == 0
    assert moved.stderr == "".join(f"warning: {line}\n" for line in expected)
    assert json.loads(moved.stdout)["warnings"] == expected
    assert stored_date(claimed, 1) == "2020-06-22"
    # moving an answer before what it answers warns too; table output says what changed
    early = claimed.ok("claim", "edit", "4", "--on", "2020-06-19")
    assert (early.stdout, early.stderr) == (
        "Changed denial #4.\n",
        "warning: #4 (2020-06-19) is dated before #3 (2020-06-20), which it answers\n",
    )
    # an edit that leaves the date alone does not repeat the warning
    noted = claimed("claim", "edit", "4", "--note", "time zones", "--format", "json")
    assert (noted.exit_code, noted.stderr, json.loads(noted.stdout)["warnings"]) == (0, "", [])
    # back in order: no warning
    fixed = claimed.ok("claim", "edit", "1", "--on", "2020-06")
    assert fixed.stderr == ""


# ----------------------------------------------------------------------------- import


def jsonl(*records: dict[str, Any]) -> str:
    return "\n".join(['{"factdb": 1}', *(json.dumps(record) for record in records)]) + "\n"


ACTORS = (
    {"type": "actor", "name": "Azerbaijan", "kind": "state", "country": "AZ"},
    {"type": "actor", "name": "Armenia", "kind": "state", "country": "AM"},
)


def statement(ref: str, kind: str, date: str | None, responds_to: str | None = None) -> Any:
    record: dict[str, Any] = {"type": "statement", "ref": ref, "kind": kind, "by": "Armenia"}
    if responds_to is not None:
        record["responds_to"] = responds_to
    else:
        record["text"] = f"claim {ref}"
    if date is not None:
        record["date"] = date
    return record


def test_import_keeps_early_answers_and_sums_them_up(
    cli: Cli, tmp_path: Path, snapshot: Snapshot
) -> None:
    first = tmp_path / "first.jsonl"
    first.write_text(jsonl(*ACTORS, statement("c1", "claim", "2020-06-17")), encoding="utf-8")
    assert cli.ok("import", str(first)).stderr == ""
    second = tmp_path / "second.jsonl"
    second.write_text(
        jsonl(
            statement("c2", "claim", "2020-10"),
            statement("d1", "denial", "2020-06-16", "c1"),  # line 3: before #1, in the database
            statement("d2", "denial", "2020-10-01", "c2"),  # a day inside the month
            statement("d3", "denial", "2020-09-30", "c2"),  # line 5: before c2, in the file
            statement("d4", "denial", "2020-06-15", "#1"),  # line 6: #1 by id
            statement("d5", "denial", "2020-06-20", "d4"),
            statement("d6", "denial", None, "c2"),
            statement("d7", "denial", "2020-06-19", "d8"),  # line 9: before what comes later
            statement("d8", "denial", "2020-06-20", "c1"),
        ),
        encoding="utf-8",
    )
    summary = "4 answers are dated before the statement they answer (lines 3, 5, 6, 9)"
    before = snapshot()
    dry = cli("import", str(second), "--dry-run")
    assert (dry.exit_code, dry.stderr) == (0, f"warning: {summary}\n")
    assert snapshot() == before
    result = cli("import", str(second), "--format", "json")
    assert (result.exit_code, result.stderr) == (0, f"warning: {summary}\n")
    assert json.loads(result.stdout) == {
        "dry_run": False,
        "lines": 10,
        "actor": {"created": 0, "unchanged": 0},
        "source": {"created": 0, "unchanged": 0},
        "topic": {"created": 0, "unchanged": 0},
        "statement": {"created": 9, "unchanged": 0},
        "warnings": [summary],
    }
    exported = [json.loads(line) for line in cli.ok("export").stdout.splitlines()[1:]]
    dates = {record["ref"]: record.get("date") for record in exported if "ref" in record}
    assert dates == {
        "c1": "2020-06-17",
        "c2": "2020-10",
        "d1": "2020-06-16",
        "d2": "2020-10-01",
        "d3": "2020-09-30",
        "d4": "2020-06-15",
        "d5": "2020-06-20",
        "d6": None,
        "d7": "2020-06-19",
        "d8": "2020-06-20",
    }
    # importing the same file again changes nothing and says the same
    again = cli("import", str(second), "--format", "csv")
    assert (again.exit_code, again.stderr) == (0, f"warning: {summary}\n")
    assert again.stdout.splitlines()[-1] == "statement,0,9"


# ----------------------------------------------------------------------------- db check


def test_db_check_lists_them_as_warnings_and_passes(claimed: Cli) -> None:
    clean = claimed.json("db", "check")
    assert (clean["warnings"], clean["ok"]) == ([], True)
    claimed.ok("deny", "1", "--by", "Armenia", "--on", "2020-06-16")
    claimed.ok("dispute", "1", "--by", "Armenia", "--on", "2020-06")
    claimed.ok("deny", "3", "--by", "Azerbaijan", "--on", "2020-05-31")
    claimed.ok("deny", "1", "--by", "Azerbaijan", "--on", "2020-06-01")
    claimed.ok("delete", "5")  # deleted: no longer listed
    expected = [
        "#2 (2020-06-16) is dated before #1 (2020-06-17), which it answers",
        "#4 (2020-05-31) is dated before #3 (2020-06), which it answers",
    ]
    result = claimed("db", "check", "--format", "json")
    assert (result.exit_code, result.stderr) == (0, "".join(f"warning: {w}\n" for w in expected))
    report = json.loads(result.stdout)
    assert (report["warnings"], report["problems"], report["ok"]) == (expected, [], True)
    table = claimed("db", "check")
    assert table.exit_code == 0
    assert "answer dates  2 answer(s) dated before what they answer" in table.stdout
    assert "result        ok" in table.stdout


# ----------------------------------------------------------------------------- reports, timeline


def ids_of(nodes: list[dict[str, Any]]) -> list[Any]:
    return [(node["id"], ids_of(node["responses"])) for node in nodes]


def test_reports_keep_the_thread_and_the_timeline_keeps_date_order(claimed: Cli) -> None:
    claimed.ok("endorse", "1", "--by", "Ministry of Defence of Azerbaijan", "--on", "2020-06-16")
    claimed.ok("deny", "1", "--by", "Armenia", "--on", "2020-06-18")
    claimed.ok("deny", "2", "--by", "Armenia", "--on", "2020-06-15")
    # a thread shows each answer under what it answers, answers to one statement by date
    report = claimed.json("report", "claim", "1")
    assert ids_of(report["thread"]) == [(2, [(4, [])]), (3, [])]
    assert [node["depth"] for node in report["thread"]] == [1, 1]
    assert report["thread"][0]["responses"][0]["depth"] == 2
    shown = claimed.json("show", "1")["statement"]
    assert ids_of(shown["responses"]) == [(2, [(4, [])]), (3, [])]
    # the timeline is in date order, even where that puts an answer first
    timeline = claimed.json("timeline")
    assert [(row["id"], row["date"]) for row in timeline] == [
        (4, "2020-06-15"),
        (2, "2020-06-16"),
        (1, "2020-06-17"),
        (3, "2020-06-18"),
    ]
    markdown = claimed.ok("report", "claim", "1", "--format", "md").stdout
    assert (
        "## Thread\n\n"
        "- **Endorsement #2** by Ministry of Defence of Azerbaijan (on behalf of Azerbaijan), "
        "2020-06-16\n"
        "  - **Denial #4** by Armenia, 2020-06-15\n"
        "- **Denial #3** by Armenia, 2020-06-18\n"
    ) in markdown


# ----------------------------------------------------------------------------- round trip


def test_export_import_export_gives_the_same_bytes(claimed: Cli, database: Database) -> None:
    claimed.ok("endorse", "1", "--by", "Ministry of Defence of Azerbaijan", "--on", "2020-06-16")
    claimed.ok("deny", "2", "--by", "Armenia", "--on", "2020-06")
    claimed.ok("deny", "1", "--by", "Armenia", "--on", "2019")
    first = claimed.ok("export").stdout
    wipe(database)
    imported = claimed("import", "-", input=first)
    assert (imported.exit_code, imported.stderr) == (
        0,
        "warning: 2 answers are dated before the statement they answer (lines 7, 9)\n",
    )
    assert claimed.ok("export").stdout == first

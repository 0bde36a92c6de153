"""Claim matching on the command line, on SQLite and PostgreSQL: the note the logging
commands print, ``--no-check``, the ``similar`` key of their JSON, ``factdb similar`` and
``factdb duplicates``, and bad input (one line, exit 1, nothing changed)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import Cli
from test_startup import example_db, probe  # noqa: F401  (the module fixture is used below)

from factdb.cli import matching as cli_matching
from factdb.matching import CERTAIN_THRESHOLD, SUGGEST_THRESHOLD

Snapshot = Callable[[], dict[str, list[tuple[Any, ...]]]]
FORCES = "Pakistani special forces are fighting alongside the Azerbaijani army"
REPEATED = "Pakistani special forces fight alongside the Azerbaijani army"
NEGATED = "Pakistani special forces are not fighting alongside the Azerbaijani army"
GAINS = "Azerbaijani forces have made important gains along the front"
SUGGEST, CERTAIN = "FACTDB_SUGGEST_THRESHOLD", "FACTDB_CERTAIN_THRESHOLD"
WORDS = "(letters or digits)"
PAKISTN = "no actor is called 'Pakistn'; did you mean Pakistan?"
NOWHERE = "there is no topic called 'Nowhere'"
FORCES_NOTE = '"Pakistani special forces are fighting alongside the Azerbai…"'


@pytest.fixture
def record(cli: Cli) -> Cli:
    """Armenia, its prime minister, Pakistan and Azerbaijan; claim #1 (FORCES, by the prime
    minister, topic NK) and claim #2 (GAINS)."""
    cli.ok("actor", "add", "Armenia", "--kind", "state")
    cli.ok("actor", "add", "Nikol Pashinyan", "--kind", "person", "--member-of", "Armenia")
    cli.ok("actor", "add", "Pakistan", "--kind", "state")
    cli.ok("actor", "add", "Azerbaijan", "--kind", "state")
    cli.ok("claim", "add", FORCES, "--by", "Nikol Pashinyan", "--on", "2020-10", "--topic", "NK")
    cli.ok("claim", "add", GAINS, "--by", "Azerbaijan", "--on", "2020-10", "--topic", "NK")
    return cli


def test_a_repeated_claim_is_added_with_a_note(record: Cli) -> None:
    added = record.ok("claim", "add", REPEATED, "--by", "Armenia")
    assert added.stdout == "Added claim #3 by Armenia.\n"
    assert added.stderr == (
        f"note: similar to #1 {FORCES_NOTE} (1.00); to link it instead: "
        "factdb endorse 1 --by Armenia\n"
    )
    assert record.json("show", "3")["statement"]["text"] == REPEATED


def test_the_note_quotes_the_actor_as_given_and_says_deny_for_the_opposite(
    record: Cli,
) -> None:
    added = record.ok("claim", "add", NEGATED, "--by", "nikol pashinyan")
    assert added.stderr == (
        f"note: similar to #1 {FORCES_NOTE} (0.85); to link it instead: "
        'factdb deny 1 --by "nikol pashinyan"\n'
    )


def test_a_text_without_words_is_added_without_a_note(record: Cli) -> None:
    added = record.ok("claim", "add", "[?!]", "--by", "Armenia")
    assert (added.stdout, added.stderr) == ("Added claim #3 by Armenia.\n", "")


def test_no_check_adds_without_looking(record: Cli) -> None:
    added = record.ok("claim", "add", REPEATED, "--by", "Armenia", "--no-check")
    assert (added.stdout, added.stderr) == ("Added claim #3 by Armenia.\n", "")
    plain = record.json("claim", "add", FORCES, "--by", "Armenia", "--no-check")
    assert "similar" not in plain
    assert plain["id"] == 4


def test_json_carries_the_similar_statements(record: Cli) -> None:
    added = record.json("claim", "add", REPEATED, "--by", "Armenia")
    assert added["id"] == 3
    assert added["similar"] == [
        {
            "id": 1,
            "score": 1.0,
            "match": "certain",
            "polarity": "same",
            "kind": "claim",
            "actor": "Nikol Pashinyan",
            "date": "2020-10",
            "text": FORCES,
        }
    ]
    unlike = record.json("claim", "add", "Mali expelled the French ambassador", "--by", "Armenia")
    assert "similar" not in unlike


def test_an_answer_with_text_is_checked_but_not_against_what_it_answers(record: Cli) -> None:
    record.ok("claim", "add", REPEATED, "--by", "Armenia", "--no-check")  # #3
    denied = record.ok("deny", "1", "--by", "Pakistan", "--text", NEGATED)
    assert denied.stdout == "Added denial #4 by Pakistan, answering claim #1.\n"
    assert denied.stderr == (
        'note: similar to #3 "Pakistani special forces fight alongside the Azerbaijani ar…" '
        "(0.85); to link it instead: "
        "factdb deny 3 --by Pakistan\n"
    )
    quiet = record.ok("endorse", "1", "--by", "Armenia", "--quote", FORCES)  # no --text
    assert quiet.stderr == ""
    checked = record.json(
        "fact-check", "2", "--by", "Pakistan", "--verdict", "true", "--text", REPEATED
    )
    # the endorsement #5 matches by its quote; the denial #4 (0.85) is fourth: three are shown
    assert [row["id"] for row in checked["similar"]] == [1, 3, 5]


def test_thresholds_come_from_the_environment(record: Cli) -> None:
    strict = record("claim", "add", NEGATED, "--by", "Armenia", FACTDB_SUGGEST_THRESHOLD="0.9")
    assert (strict.exit_code, strict.stderr) == (0, "")
    loose = json.loads(
        record("similar", GAINS, "-f", "json", **{CERTAIN: "0.8", SUGGEST: "0.75"}).stdout
    )
    assert [(row["id"], row["match"]) for row in loose][:1] == [(2, "certain")]


@pytest.mark.parametrize(
    ("env", "line"),
    [
        ({SUGGEST: "high"}, f"error: {SUGGEST}: 'high' is not a number from 0 to 1\n"),
        ({CERTAIN: "1.5"}, f"error: {CERTAIN}: '1.5' is not a number from 0 to 1\n"),
        ({SUGGEST: "0.9", CERTAIN: "0.8"}, f"error: {CERTAIN}: 0.8 is below {SUGGEST} 0.9\n"),
    ],
)  # fmt: skip
def test_a_bad_threshold_is_one_line_and_nothing_is_added(
    record: Cli, snapshot: Snapshot, env: dict[str, str], line: str
) -> None:
    before = snapshot()
    result = record("claim", "add", REPEATED, "--by", "Armenia", **env)
    assert (result.exit_code, result.stdout, result.stderr) == (1, "", line)
    assert snapshot() == before


# ----------------------------------------------------------------------------- similar


def test_similar_lists_the_nearest_statements(record: Cli) -> None:
    record.ok("claim", "add", NEGATED, "--by", "Pakistan", "--no-check")  # #3
    rows = record.json("similar", "Pakistani special forces fight for Azerbaijan's army")
    assert [row["id"] for row in rows] == [1, 3, 2]
    assert [row["polarity"] for row in rows] == ["same", "opposite", "same"]
    assert rows[0]["score"] > rows[1]["score"] > rows[2]["score"]
    csv = record.ok("similar", FORCES, "--format", "csv", "--limit", "1").stdout
    assert csv == (
        "id,score,match,polarity,kind,actor,date,text\n"
        f"1,1.0,certain,same,claim,Nikol Pashinyan,2020-10,{FORCES}\n"
    )
    table = record.ok("similar", FORCES, "--limit", "1").stdout
    assert "│ 1  │ 1.0   │ certain │ same     │ claim │" in table
    filtered = record.json("similar", FORCES, "--kind", "claim", "--by", "Pakistan")
    assert [row["id"] for row in filtered] == [3]


def test_similar_to_a_statement_leaves_it_out(record: Cli) -> None:
    record.ok("claim", "add", REPEATED, "--by", "Armenia", "--no-check")  # #3
    rows = record.json("similar", "#1", "--min-score", str(SUGGEST_THRESHOLD))
    assert [(row["id"], row["score"], row["match"]) for row in rows] == [(3, 1.0, "certain")]
    nothing = record.ok("similar", "#2", "--min-score", "0.9")
    assert (nothing.stdout, nothing.stderr) == ("", "No similar statements.\n")


@pytest.mark.parametrize(
    ("args", "code", "line"),
    [
        (("similar", "#99"), 1, "error: TEXT: there is no statement #99\n"),
        (("similar", ""), 1, "error: TEXT: must not be empty\n"),
        (("similar", "?!"), 1, f"error: TEXT: give at least one word {WORDS} to match\n"),
        (("similar", FORCES, "--by", "Pakistn"), 1, f"error: --by: {PAKISTN}\n"),
        (("similar", FORCES, "--min-score", "2"), 2, None),
        (("duplicates", "--topic", "Nowhere"), 1, f"error: --topic: {NOWHERE}\n"),
    ],
)  # fmt: skip
def test_bad_input_is_one_line_and_changes_nothing(
    record: Cli, snapshot: Snapshot, args: tuple[str, ...], code: int, line: str | None
) -> None:
    before = snapshot()
    result = record(*args)
    assert result.exit_code == code
    assert result.stdout == ""
    if line is None:
        assert result.stderr.startswith("error: ") and result.stderr.count("\n") == 1
    else:
        assert result.stderr == line
    assert snapshot() == before


# ----------------------------------------------------------------------------- duplicates


def test_duplicates_lists_pairs_across_the_record(record: Cli) -> None:
    record.ok("claim", "add", REPEATED, "--by", "Armenia", "--topic", "NK", "--no-check")  # #3
    record.ok("claim", "add", NEGATED, "--by", "Pakistan", "--no-check")  # #4, no topic
    record.ok("deny", "1", "--by", "Pakistan", "--text", NEGATED, "--no-check")  # #5
    pairs = record.json("duplicates")
    assert [(p["first_id"], p["second_id"], p["score"], p["polarity"]) for p in pairs] == [
        (1, 3, 1.0, "same"),
        (4, 5, 1.0, "same"),
        (1, 4, 0.85, "opposite"),
        (3, 4, 0.85, "opposite"),
        (3, 5, 0.85, "opposite"),
    ]  # (1, 5) is left out: #5 answers #1
    assert pairs[0] == {
        "score": 1.0,
        "match": "certain",
        "polarity": "same",
        "first_id": 1,
        "first_kind": "claim",
        "first_actor": "Nikol Pashinyan",
        "first_text": FORCES,
        "second_id": 3,
        "second_kind": "claim",
        "second_actor": "Armenia",
        "second_text": REPEATED,
    }
    certain = record.json("duplicates", "--min-score", str(CERTAIN_THRESHOLD))
    assert [(p["first_id"], p["second_id"]) for p in certain] == [(1, 3), (4, 5)]
    on_topic = record.json("duplicates", "--topic", "nk")
    assert [(p["first_id"], p["second_id"]) for p in on_topic] == [(1, 3)]
    record.ok("delete", "3")
    assert [
        (p["first_id"], p["second_id"]) for p in record.json("duplicates", "--topic", "NK")
    ] == []
    empty = record.ok("duplicates", "--topic", "NK")
    assert (empty.stdout, empty.stderr) == ("", "No likely duplicates.\n")


def test_a_merged_duplicate_no_longer_matches(record: Cli) -> None:
    record.ok("claim", "add", REPEATED, "--by", "Armenia", "--no-check")  # #3
    assert [(p["first_id"], p["second_id"]) for p in record.json("duplicates")] == [(1, 3)]
    record.ok("statement", "merge", "3", "1")
    assert record.json("duplicates") == []
    assert [row["id"] for row in record.json("similar", REPEATED)] == [1, 2]


# ----------------------------------------------------------------------------- start-up


def test_the_cli_defaults_are_the_library_thresholds() -> None:
    assert cli_matching.SUGGEST_DEFAULT == SUGGEST_THRESHOLD
    assert cli_matching.CERTAIN_DEFAULT == CERTAIN_THRESHOLD


@pytest.mark.parametrize(
    "argv",
    [
        ["similar", "Pakistani special forces"],
        ["duplicates", "--topic", "Nagorno-Karabakh 2020", "--min-score", "0.4"],
    ],
    ids=["similar", "duplicates"],
)
def test_matching_commands_do_not_build_the_orm(example_db: Path, argv: list[str]) -> None:  # noqa: F811
    seen, stdout = probe(example_db, argv)
    assert seen == {"code": 0, "orm": False, "frozen": True}
    assert stdout.strip()

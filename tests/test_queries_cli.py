"""The query commands on the worked example, through the command line, on SQLite and
PostgreSQL: exact JSON, table and CSV output, and one-line errors that change nothing."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from queries_example import load_example, refs

from factdb.store.db import Database

Snapshot = Callable[[], dict[str, list[tuple[Any, ...]]]]
TOPIC = "Nagorno-Karabakh 2020"


@pytest.fixture
def example(db_url: str) -> dict[str, int]:
    database = Database.open(db_url)
    database.run(load_example, write=True)
    return dict(database.run(refs))


def test_who_denied_about_pakistan_as_json(cli: Any, example: dict[str, int]) -> None:
    assert cli.json("who-denied", "--about", "Pakistan") == [
        {
            "denial_id": example["nk-special-forces-rejected"],
            "denier": "Ministry of Foreign Affairs of Pakistan",
            "on_behalf_of": ["Pakistan"],
            "date": "2020-10-17",
            "quote": "baseless and unwarranted",
            "statement_id": example["nk-special-forces"],
            "statement": "Pakistani special forces are fighting alongside the Azerbaijani army",
            "author": "Nikol Pashinyan",
            "sources": [
                {
                    "url": "https://example.org/news/2020/10/18/pakistan-rejects-armenian-claim",
                    "outlet": "Example News (worked example)",
                    "locator": "paragraphs 4-5",
                }
            ],
        }
    ]


def test_who_denied_by_pakistan_as_table_and_csv(cli: Any, example: dict[str, int]) -> None:
    table = cli("who-denied", "--by", "Pakistan", COLUMNS="250")
    assert (table.exit_code, table.stderr) == (0, "")
    assert "baseless and unwarranted" in table.stdout and "Nikol Pashinyan" in table.stdout
    direct = cli.ok("who-denied", "--by", "Pakistan", "--direct")
    assert (direct.stdout, direct.stderr) == ("", "No denials found.\n")
    assert cli.json("who-denied", "--by", "Pakistan", "--direct") == []
    csv = cli.ok("who-denied", "--by", "Pakistan", "-f", "csv").stdout.splitlines()
    assert csv[0] == (
        "denial_id,denier,on_behalf_of,date,quote,statement_id,statement,author,sources"
    )
    assert csv[1] == (
        f"{example['nk-special-forces-rejected']},Ministry of Foreign Affairs of Pakistan,"
        f"Pakistan,2020-10-17,baseless and unwarranted,{example['nk-special-forces']},"
        "Pakistani special forces are fighting alongside the Azerbaijani army,Nikol Pashinyan,"
        "https://example.org/news/2020/10/18/pakistan-rejects-armenian-claim"
    )


def test_who_endorsed_and_responses(cli: Any, example: dict[str, int]) -> None:
    endorsed = cli.json("who-endorsed", "--of", "Pakistan")
    assert [(row["endorsement_id"], row["endorser"], row["on_behalf_of"]) for row in endorsed] == [
        (example["nk-imran-khan-stands-with-azerbaijan"], "Imran Khan", ["Pakistan"])
    ]
    answers = cli.json("responses", str(example["nk-casualties"]), "--kind", "fact_check")
    assert [(row["response_id"], row["kind"], row["responder"]) for row in answers] == [
        (example["nk-casualties-checked"], "fact_check", "Example Fact Check")
    ]
    every = cli.json("responses", "--topic", TOPIC.upper())
    assert len(every) == 8


def test_positions_rolled_up(cli: Any, example: dict[str, int]) -> None:
    claim = example["nk-special-forces"]
    assert cli.json("positions", f"#{claim}", "--roll-up") == [
        {"actor": "Armenia", "actor_id": 1, "position": "supports", "via": [claim]},
        {
            "actor": "Pakistan",
            "actor_id": 3,
            "position": "opposes",
            "via": [example["nk-special-forces-rejected"]],
        },
    ]
    assert cli.json("positions", str(claim), "--as-of", "2020-09") == []
    assert [row["actor"] for row in cli.json("positions", str(claim), "--as-of", "2020-10-16")] == [
        "Nikol Pashinyan"
    ]
    table = cli("positions", str(claim), "--as-of", "2020-10-31", COLUMNS="200")
    assert table.exit_code == 0
    assert "Nikol Pashinyan" in table.stdout and "opposes" in table.stdout


def test_claim_list_with_status(cli: Any, example: dict[str, int]) -> None:
    denied = cli.json("claim", "list", "--status", "denied")
    assert [(row["ref"], row["status"]) for row in denied] == [
        ("nk-special-forces", "denied"),
        ("nk-ceasefire-broken-by-azerbaijan", "denied"),
        ("nk-ceasefire-broken-by-armenia", "denied"),
    ]
    assert list(denied[0]) == [
        "id",
        "kind",
        "actor",
        "actor_id",
        "responds_to",
        "text",
        "quote",
        "lang",
        "date",
        "about",
        "topics",
        "sources",
        "verdict",
        "rating",
        "note",
        "ref",
        "deleted",
        "status",
    ]
    by_pakistan = cli.json("claim", "list", "--denied-by", "Pakistan", "--about", "Azerbaijan")
    assert [row["ref"] for row in by_pakistan] == ["nk-special-forces"]
    unanswered = cli.json("claim", "list", "--unanswered", "--until", "2020-10-10")
    assert [row["ref"] for row in unanswered] == ["nk-moscow-ceasefire"]
    csv = cli.ok("claim", "list", "--endorsed-by", "Imran Khan", "-f", "csv").stdout
    assert csv.splitlines() == [
        "id,date,actor,text,about,topics,status",
        f"{example['nk-pakistan-self-defence']},2020-10-17,"
        "Ministry of Foreign Affairs of Pakistan,Pakistan supports Azerbaijan's right to "
        "self-defence,Azerbaijan; Armenia,Nagorno-Karabakh 2020,endorsed",
    ]


def test_show_carries_the_status(cli: Any, example: dict[str, int]) -> None:
    shown = cli.json("show", str(example["nk-azerbaijani-gains"]))
    assert shown["statement"]["status"] == "admitted"
    tree = cli("show", str(example["nk-azerbaijani-gains"]), COLUMNS="200")
    assert "status: admitted" in tree.stdout


def test_search_timeline_and_alignment(cli: Any, example: dict[str, int]) -> None:
    found = cli.json("search", "Pakistani special", "--kind", "claim")
    assert [(row["id"], row["snippet"], row["rank"]) for row in found] == [
        (
            example["nk-special-forces"],
            "«Pakistani» «special» forces are fighting alongside the Azerbaijani army",
            1,
        )
    ]
    assert cli.ok("search", "special", "-f", "csv").stdout.splitlines()[0] == (
        "rank,id,kind,actor,date,snippet"
    )
    timeline = cli.json("timeline", "--by", "Azerbaijan", "--since", "2020-10-11")
    assert [(row["date"], row["ref"]) for row in timeline] == [
        ("2020-10-11", "nk-ceasefire-broken-by-armenia"),
        ("2020-10-11", "nk-azerbaijan-rejects-violation"),
        ("2020-10-17", "nk-humanitarian-truce-azerbaijan"),
    ]
    pairs = cli.json("alignment", "--topic", TOPIC, "--roll-up", "--as-of", "2020-10-11")
    assert pairs == [
        {
            "actor_a": "Armenia",
            "actor_a_id": 1,
            "actor_b": "Azerbaijan",
            "actor_b_id": 2,
            "same": 1,
            "opposite": 2,
            "agreement": 0.33,
        }
    ]


HOSTILE_SEARCHES = ['"', "*", "NEAR(", "truce OR", "(truce", 'truce"', "x' OR 1=1 --", "  "]


@pytest.mark.parametrize("query", HOSTILE_SEARCHES)
def test_hostile_searches_give_results_or_one_line(
    cli: Any, example: dict[str, int], query: str
) -> None:
    result = cli("search", query, "--format", "json")
    if result.exit_code == 0:
        assert isinstance(json.loads(result.stdout), list)
        assert result.stderr == ""
    else:
        assert (result.exit_code, result.stdout) == (1, "")
        assert result.stderr == (
            "error: TEXT: give at least one word (letters or digits) to search for\n"
        )


def test_search_for_a_dash_word_needs_the_double_dash(cli: Any, example: dict[str, int]) -> None:
    refused = cli("search", "-truce")
    assert refused.exit_code == 2
    assert refused.stderr.startswith("error: No such option: -t")
    found = cli.ok("search", "--format", "json", "--", "-truce")
    assert len(json.loads(found.stdout)) == 2


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (
            ["who-denied", "--by", "Pakistn"],
            1,
            "error: --by: no actor is called 'Pakistn'; did you mean Pakistan?",
        ),
        (
            ["who-denied", "--topic", "Crimea 2014"],
            1,
            "error: --topic: there is no topic called 'Crimea 2014'",
        ),
        (["who-denied", "999"], 1, "error: ID: there is no statement #999"),
        (
            ["who-endorsed", "--since", "2020-02-30"],
            1,
            "error: --since: '2020-02-30' is not a real date",
        ),
        (["positions", "abc"], 1, "error: ID: 'abc' is not a statement id (use 12 or #12)"),
        (
            ["positions", "1", "--as-of", "soon"],
            1,
            "error: --as-of: 'soon' is not a date; use YYYY, YYYY-MM or YYYY-MM-DD",
        ),
        (
            ["search", ""],
            1,
            "error: TEXT: give at least one word (letters or digits) to search for",
        ),
        (
            ["claim", "list", "--unanswered", "--status", "denied"],
            1,
            "error: --unanswered: cannot be combined with --status denied",
        ),
        (
            ["timeline", "--actor", "Atlantis"],
            1,
            "error: --actor: no actor is called 'Atlantis'; add it first with `factdb actor add`",
        ),
        (
            ["timeline", "--by", "Atlantis"],
            1,
            "error: --by: no actor is called 'Atlantis'; add it first with `factdb actor add`",
        ),
        (
            ["timeline", "--by", "Pakistan", "--actor", "Armenia"],
            2,
            "error: --actor: is the old name of --by; give one of them",
        ),
        (
            ["report", "claim", "1", "--as-of", "2019"],
            1,
            "error: --as-of: claim #1 was not made until 2020-10",
        ),
    ],
)
def test_bad_input_is_one_line_and_changes_nothing(
    cli: Any, example: dict[str, int], snapshot: Snapshot, args: list[str], code: int, message: str
) -> None:
    before = snapshot()
    result = cli(*args)
    assert (result.exit_code, result.stdout, result.stderr) == (code, "", message + "\n")
    assert snapshot() == before


@pytest.mark.parametrize(
    "args",
    [
        ["responses", "--kind", "rumour"],
        ["claim", "list", "--status", "refuted"],
        ["search", "x", "--limit", "0"],
        ["alignment"],
        ["search", "x", "--kind", "opinion"],
    ],
)
def test_bad_option_values_are_usage_errors(
    cli: Any, example: dict[str, int], snapshot: Snapshot, args: list[str]
) -> None:
    before = snapshot()
    result = cli(*args)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith("error: ") and result.stderr.count("\n") == 1
    assert "Traceback" not in result.stderr
    assert snapshot() == before


def test_the_installed_command_answers(
    run_factdb: Callable[..., Any], example: dict[str, int]
) -> None:
    done = run_factdb("who-denied", "--by", "Pakistan", "--format", "json")
    assert done.returncode == 0, done.stderr
    assert [row["denial_id"] for row in json.loads(done.stdout)] == [
        example["nk-special-forces-rejected"]
    ]


def test_timeline_takes_by_and_its_hidden_old_name_actor(cli: Any, example: dict[str, int]) -> None:
    by = cli.json("timeline", "--by", "Pakistan")
    assert [row["ref"] for row in by] == [
        "nk-special-forces-rejected",
        "nk-pakistan-self-defence",
        "nk-imran-khan-stands-with-azerbaijan",
    ]
    assert cli.json("timeline", "--actor", "Pakistan") == by
    assert cli.json("timeline", "--by", "Pakistan", "--actor", "Pakistan") == by
    usage = cli.ok("timeline", "--help").stdout
    assert "--by" in usage and "--actor" not in usage


def test_retractions_withdraw_what_they_answer(cli: Any) -> None:
    """The state retracts its ministry's endorsement of the prime minister's claim."""
    for args in (
        ("actor", "add", "Armenia", "--kind", "state"),
        ("actor", "add", "Nikol Pashinyan", "--kind", "person", "--member-of", "Armenia"),
        ("actor", "add", "Armenian MoD", "--kind", "ministry", "--member-of", "Armenia"),
        ("claim", "add", "X", "--by", "Nikol Pashinyan", "--on", "2020-10-01"),
        ("endorse", "1", "--by", "Armenian MoD", "--on", "2020-10-02"),
        ("retract", "2", "--by", "Armenia", "--on", "2020-10-03"),
    ):
        cli.ok(*args)
    assert cli.json("positions", "1") == [
        {"actor": "Nikol Pashinyan", "actor_id": 2, "position": "supports", "via": [1]},
        {"actor": "Armenian MoD", "actor_id": 3, "position": "withdrawn", "via": [3]},
        {"actor": "Armenia", "actor_id": 1, "position": "withdrawn", "via": [3]},
    ]
    assert cli.json("positions", "1", "--roll-up") == [
        {"actor": "Armenia", "actor_id": 1, "position": "supports", "via": [1]},
    ]
    assert cli.json("positions", "1", "--as-of", "2020-10-02") == [
        {"actor": "Nikol Pashinyan", "actor_id": 2, "position": "supports", "via": [1]},
        {"actor": "Armenian MoD", "actor_id": 3, "position": "supports", "via": [2]},
    ]
    assert [row["status"] for row in cli.json("claim", "list")] == ["unanswered"]
    cli.ok("retract", "1", "--by", "Nikol Pashinyan", "--on", "2020-10-04")
    assert [row["status"] for row in cli.json("claim", "list")] == ["retracted"]
    assert cli.json("positions", "1", "--roll-up") == [
        {"actor": "Armenia", "actor_id": 1, "position": "withdrawn", "via": [3, 4]},
    ]
    report = cli.json("report", "claim", "1")
    assert (report["status"], report["summary"]["withdrawn"]) == (
        "retracted",
        ["Nikol Pashinyan", "Armenian MoD", "Armenia"],
    )


def test_claim_list_on_an_empty_database_says_how_to_add_one(cli: Any) -> None:
    empty = cli.ok("claim", "list")
    assert (empty.stdout, empty.stderr) == (
        "",
        "No claims yet. Add one with: factdb claim add TEXT --by ACTOR\n",
    )
    assert cli.json("claim", "list") == []
    cli.ok("actor", "add", "Armenia", "--kind", "state")
    filtered = cli.ok("claim", "list", "--by", "Armenia")
    assert (filtered.stdout, filtered.stderr) == ("", "No claims found.\n")


def test_claim_list_marks_deleted_claims(cli: Any, example: dict[str, int]) -> None:
    claim = example["nk-special-forces"]
    cli.ok("delete", str(claim), "--cascade")
    listed = cli.json("claim", "list", "--include-deleted", "--by", "Armenia")
    assert [(row["ref"], row["deleted"], row["status"]) for row in listed] == [
        ("nk-special-forces", True, "denied"),
        ("nk-ceasefire-broken-by-azerbaijan", False, "denied"),
        ("nk-humanitarian-truce", False, "endorsed"),
    ]
    csv = cli.ok("claim", "list", "--include-deleted", "--status", "denied", "-f", "csv")
    lines = csv.stdout.splitlines()
    assert lines[0] == "id,date,actor,text,about,topics,status,deleted"
    assert lines[1] == (
        f"{claim},2020-10,Nikol Pashinyan,Pakistani special forces are fighting alongside the "
        "Azerbaijani army,Pakistan; Azerbaijan,Nagorno-Karabakh 2020,denied,yes"
    )
    assert [line.rsplit(",", 1)[1] for line in lines[2:]] == ["no", "no"]
    plain = cli.ok("claim", "list", "-f", "csv").stdout.splitlines()
    assert plain[0] == "id,date,actor,text,about,topics,status"
    assert str(claim) not in [line.split(",", 1)[0] for line in plain[1:]]

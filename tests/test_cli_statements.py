"""The statement commands: the worked example typed in, exact outputs, and every bad input
(one line on stderr, the right exit code, nothing written)."""

from __future__ import annotations

import json
import re
import subprocess
from collections.abc import Callable
from typing import Any

import pytest
from conftest import Cli

Snapshot = Callable[[], dict[str, list[tuple[Any, ...]]]]
CLAIM = "Pakistani special forces are fighting alongside the Azerbaijani army"
ARTICLE = "https://www.example.com/2020/10/pakistan-rejects-armenian-claim"


def without_status(node: Any) -> Any:
    """A thread with the derived ``status`` left out (the queries area owns and tests it)."""
    if isinstance(node, dict):
        return {key: without_status(value) for key, value in node.items() if key != "status"}
    if isinstance(node, list):
        return [without_status(item) for item in node]
    return node


def record(**fields: Any) -> dict[str, Any]:
    """A statement record with every key; defaults for what is not given."""
    return {
        "id": None,
        "kind": None,
        "actor": None,
        "actor_id": None,
        "responds_to": None,
        "text": None,
        "quote": None,
        "lang": None,
        "date": None,
        "about": [],
        "topics": [],
        "sources": [],
        "verdict": None,
        "rating": None,
        "note": None,
        "ref": None,
        "deleted": False,
    } | fields


ACTORS = [
    ("Pakistan", "--kind", "state", "--country", "PK"),
    (
        "Ministry of Foreign Affairs of Pakistan",
        "--kind",
        "ministry",
        "--member-of",
        "Pakistan",
        "--alias",
        "Pakistan Foreign Office",
    ),
    ("Armenia", "--kind", "state", "--country", "AM"),
    ("Nikol Pashinyan", "--kind", "person", "--member-of", "Armenia", "--role", "Prime Minister"),
    ("Azerbaijan", "--kind", "state", "--country", "AZ"),
    ("AFP Fact Check", "--kind", "media"),
]
PAKISTAN, MOFA, ARMENIA, PASHINYAN, AZERBAIJAN, AFP = range(1, 7)


@pytest.fixture
def actors(cli: Cli) -> Cli:
    for args in ACTORS:
        cli.ok("actor", "add", *args)
    return cli


@pytest.fixture
def claimed(actors: Cli) -> Cli:
    actors.ok("claim", "add", CLAIM, "--by", "Nikol Pashinyan", "--on", "2020-10")
    return actors


CLAIM_RECORD = record(
    id=1,
    kind="claim",
    actor="Nikol Pashinyan",
    actor_id=PASHINYAN,
    text=CLAIM,
    date="2020-10",
    about=["Pakistan"],
    topics=["Nagorno-Karabakh 2020"],
    sources=[{"url": ARTICLE, "outlet": None, "locator": "para. 4"}],
    ref="nk2020-pakistan-forces",
)
DENIAL_RECORD = record(
    id=2,
    kind="denial",
    actor="Ministry of Foreign Affairs of Pakistan",
    actor_id=MOFA,
    responds_to=1,
    quote="baseless and unwarranted",
    lang="en",
    date="2020-10-10",
    text="Armenia should halt its irresponsible propaganda",
    sources=[{"url": ARTICLE, "outlet": None, "locator": None}],
)


def test_the_worked_example_typed_in(actors: Cli, snapshot: Snapshot) -> None:
    cli = actors
    added = cli.json(
        "claim",
        "add",
        CLAIM,
        "--by",
        "nikol  PASHINYAN",
        "--on",
        "2020-10",
        "--about",
        "Pakistan",
        "--topic",
        "Nagorno-Karabakh 2020",
        "--source",
        ARTICLE,
        "--locator",
        "para. 4",
        "--ref",
        "nk2020-pakistan-forces",
    )
    assert added == CLAIM_RECORD

    denied = cli.ok(
        "deny",
        "#1",
        "--by",
        "Pakistan Foreign Office",
        "--quote",
        "baseless and unwarranted",
        "--lang",
        "en",
        "--on",
        "2020-10-10",
        "--text",
        "Armenia should halt its irresponsible propaganda",
        "--source",
        ARTICLE,
    )
    assert denied.stdout == (
        "Added denial #2 by Ministry of Foreign Affairs of Pakistan, answering claim #1.\n"
    )
    assert denied.stderr == ""

    rebuttal = cli.ok(
        "deny", "2", "--by", "Nikol Pashinyan", "--on", "2020-10-11", "--text", "We have proof"
    )
    assert rebuttal.stdout == "Added denial #3 by Nikol Pashinyan, answering denial #2.\n"

    endorsed = cli.json("endorse", "2", "--by", "Pakistan", "--on", "2020-10-11")
    assert endorsed.pop("warnings") == []  # none: it is not dated before what it answers
    assert endorsed == record(
        id=4,
        kind="endorsement",
        actor="Pakistan",
        actor_id=PAKISTAN,
        responds_to=2,
        date="2020-10-11",
    )

    cli.ok(
        "claim",
        "add",
        "Azerbaijani forces have made important gains along the front",
        "--by",
        "Azerbaijan",
        "--on",
        "2020-10",
    )
    admitted = cli.ok("admit", "5", "--by", "Armenia", "--on", "2020-10")
    assert admitted.stdout == "Added admission #6 by Armenia, answering claim #5.\n"

    disputed = cli.ok("dispute", "5", "--by", "Nikol Pashinyan")
    assert disputed.stdout == "Added dispute #7 by Nikol Pashinyan, answering claim #5.\n"

    checked = cli.json(
        "fact-check",
        "1",
        "--by",
        "AFP Fact Check",
        "--verdict",
        "unproven",
        "--rating",
        "No evidence offered",
        "--on",
        "2020-10-12",
    )
    assert checked.pop("warnings") == []
    assert checked == record(
        id=8,
        kind="fact_check",
        actor="AFP Fact Check",
        actor_id=AFP,
        responds_to=1,
        date="2020-10-12",
        verdict="unproven",
        rating="No evidence offered",
    )

    # A retraction by another actor is refused; by the author it is logged.
    before = snapshot()
    refused = cli("retract", "1", "--by", "Pakistan")
    assert (refused.exit_code, refused.stdout, refused.stderr) == (
        1,
        "",
        "error: --by: only the author of #1 (Nikol Pashinyan) or an actor affiliated with it "
        "can retract it; Pakistan is neither\n",
    )
    assert snapshot() == before
    retracted = cli.ok("retract", "1", "--by", "Nikol Pashinyan", "--on", "2020-11")
    assert retracted.stdout == "Added retraction #9 by Nikol Pashinyan, answering claim #1.\n"

    thread = without_status(cli.json("show", "1"))
    assert thread == {
        "statement": CLAIM_RECORD
        | {
            "responses": [
                DENIAL_RECORD
                | {
                    "responses": [
                        record(
                            id=3,
                            kind="denial",
                            actor="Nikol Pashinyan",
                            actor_id=PASHINYAN,
                            responds_to=2,
                            text="We have proof",
                            date="2020-10-11",
                        )
                        | {"responses": []},
                        endorsed | {"responses": []},
                    ]
                },
                checked | {"responses": []},
                record(
                    id=9,
                    kind="retraction",
                    actor="Nikol Pashinyan",
                    actor_id=PASHINYAN,
                    responds_to=1,
                    date="2020-11",
                )
                | {"responses": []},
            ]
        },
        "chain": [],
    }
    below = without_status(cli.json("show", "#3"))
    assert below["chain"] == [CLAIM_RECORD, DENIAL_RECORD]
    assert below["statement"]["id"] == 3


def test_show_draws_the_thread_as_a_tree(claimed: Cli) -> None:
    cli = claimed
    cli.ok("deny", "1", "--by", "Pakistan Foreign Office", "--quote", "baseless and unwarranted")
    cli.ok("deny", "2", "--by", "Armenia", "--text", "[bold]not markup[/bold]")
    result = cli("show", "2", COLUMNS="120")
    assert result.exit_code == 0
    assert re.sub(r" · status: \w+", "", result.stdout) == (
        f"claim #1 · Nikol Pashinyan · 2020-10\n"
        f"{CLAIM}\n"
        "└── denial #2 · Ministry of Foreign Affairs of Pakistan · date unknown  ◀\n"
        "    “baseless and unwarranted”\n"
        "    └── denial #3 · Armenia · date unknown\n"
        "        [bold]not markup[/bold]\n"
    )


def test_show_as_csv_lists_the_thread(claimed: Cli) -> None:
    claimed.ok("fact-check", "1", "--by", "AFP Fact Check", "--verdict", "false")
    assert claimed.ok("show", "1", "--format", "csv").stdout == (
        "id,kind,actor,responds_to,date,text,quote,verdict\n"
        f"1,claim,Nikol Pashinyan,,2020-10,{CLAIM},,\n"
        "2,fact_check,AFP Fact Check,1,,,,false\n"
    )


def test_claim_edit(claimed: Cli) -> None:
    cli = claimed
    result = cli.ok("claim", "edit", "#1", "--quote", "special forces", "--topic", "Karabakh")
    assert result.stdout == "Changed claim #1.\n"
    edited = cli.json(
        "claim",
        "edit",
        "1",
        "--remove-topic",
        "karabakh",
        "--about",
        "Pakistan",
        "--source",
        ARTICLE,
        "--locator",
        "para. 2",
        "--on",
        "",
        "--note",
        "date unclear",
    )
    assert edited == record(
        id=1,
        kind="claim",
        actor="Nikol Pashinyan",
        actor_id=PASHINYAN,
        text=CLAIM,
        quote="special forces",
        about=["Pakistan"],
        sources=[{"url": ARTICLE, "outlet": None, "locator": "para. 2"}],
        note="date unclear",
    ) | {"warnings": []}
    cli.ok("fact-check", "1", "--by", "AFP Fact Check", "--verdict", "false")
    verdict = cli.json("claim", "edit", "2", "--verdict", "MOSTLY_FALSE", "--rating", "Misleading")
    assert (verdict["verdict"], verdict["rating"]) == ("mostly_false", "Misleading")


def test_delete_cascade_and_restore(claimed: Cli) -> None:
    cli = claimed
    cli.ok("deny", "1", "--by", "Pakistan")
    cli.ok("deny", "2", "--by", "Armenia")
    cli.ok("endorse", "1", "--by", "Armenia")
    assert cli.ok("delete", "4").stdout == "Deleted #4.\n"
    assert cli.ok("delete", "#1", "--cascade").stdout == (
        "Deleted #1 and the 2 answers below it: #2, #3.\n"
    )
    shown = cli("show", "1")
    assert (shown.exit_code, shown.stderr) == (
        1,
        "error: ID: statement #1 is deleted; `factdb restore 1` brings it back\n",
    )
    assert cli.json("show", "1", "--include-deleted")["statement"]["deleted"] is True
    assert cli.json("restore", "1") == {"restored": [1, 2, 3]}
    assert cli.ok("restore", "4").stdout == "Restored #4.\n"
    assert cli.json("delete", "2", "--cascade") == {"deleted": [2, 3]}
    assert cli.ok("restore", "2").stdout == "Restored #2 and the 1 answer deleted with it: #3.\n"


USAGE = 2
BAD_COMMANDS: list[tuple[str, tuple[str, ...], int, str]] = [
    ("empty text", ("claim", "add", " ", "--by", "Pakistan"), 1, "TEXT: must not be empty"),
    (
        "malformed date",
        ("claim", "add", "x", "--by", "Pakistan", "--on", "10 Oct 2020"),
        1,
        "--on: '10 Oct 2020' is not a date; use YYYY, YYYY-MM or YYYY-MM-DD",
    ),
    (
        "impossible date",
        ("deny", "1", "--by", "Pakistan", "--on", "2020-10-32"),
        1,
        "--on: '2020-10-32' is not a real date",
    ),
    (
        "unknown actor",
        ("deny", "1", "--by", "Pakistan Foreign Ofice"),
        1,
        "--by: no actor is called 'Pakistan Foreign Ofice'; did you mean "
        "Ministry of Foreign Affairs of Pakistan?",
    ),
    (
        "ambiguous actor",
        ("claim", "add", "x", "--by", "FO"),
        1,
        "--by: 'FO' could be any of: Foreign Office of Armenia (#7), "
        "Foreign Office of Azerbaijan (#8); give the full name",
    ),
    (
        "unknown subject",
        ("claim", "add", "x", "--by", "Pakistan", "--about", "Armenai"),
        1,
        "--about: no actor is called 'Armenai'; did you mean Armenia?",
    ),
    ("no such statement", ("deny", "99", "--by", "Pakistan"), 1, "ID: there is no statement #99"),
    (
        "not an id",
        ("dispute", "first", "--by", "Pakistan"),
        1,
        "ID: 'first' is not a statement id (use 12 or #12)",
    ),
    (
        "a deleted statement",
        ("endorse", "2", "--by", "Pakistan"),
        1,
        "ID: statement #2 is deleted; restore it first with `factdb restore 2`",
    ),
    (
        "retraction by another actor",
        ("retract", "1", "--by", "Azerbaijan"),
        1,
        "--by: only the author of #1 (Nikol Pashinyan) or an actor affiliated with it can "
        "retract it; Azerbaijan is neither",
    ),
    (
        "verdict on a claim",
        ("claim", "edit", "1", "--verdict", "false"),
        1,
        "--verdict: only fact-checks have a verdict; #1 is a claim",
    ),
    (
        "unknown verdict",
        ("fact-check", "1", "--by", "AFP Fact Check", "--verdict", "maybe"),
        USAGE,
        "Invalid value for '--verdict': 'maybe' is not one of true, mostly_true, mixed, "
        "mostly_false, false, unproven (see `factdb fact-check --help`)",
    ),
    (
        "missing verdict",
        ("fact-check", "1", "--by", "AFP Fact Check"),
        USAGE,
        "Missing option '--verdict'. Choose from: true, mostly_true, mixed, mostly_false, "
        "false, unproven (see `factdb fact-check --help`)",
    ),
    (
        "non-http source",
        ("claim", "add", "x", "--by", "Pakistan", "--source", "file:///etc/passwd"),
        1,
        "--source: 'file:///etc/passwd' is not an http(s) URL",
    ),
    (
        "locator without a source",
        ("claim", "add", "x", "--by", "Pakistan", "--locator", "p. 1"),
        USAGE,
        "--locator: 1 --locator for 0 --source; each --locator goes with the --source in the "
        "same position",
    ),
    (
        "duplicate ref",
        ("claim", "add", "x", "--by", "Pakistan", "--ref", "nk-1"),
        1,
        "--ref: 'nk-1' is already the ref of statement #1",
    ),
    (
        "ref with spaces",
        ("claim", "add", "x", "--by", "Pakistan", "--ref", "nk 1"),
        1,
        "--ref: 'nk 1' contains whitespace; use a key like nk2020-claim-1",
    ),
    (
        "delete an answered statement",
        ("delete", "1"),
        1,
        "ID: #1 is answered by #3; delete those first or use --cascade to delete the whole "
        "thread below it",
    ),
    ("restore a live statement", ("restore", "1"), 1, "ID: statement #1 is not deleted"),
    ("show nothing", ("show", "#404"), 1, "ID: there is no statement #404"),
    (
        "edit without changes",
        ("claim", "edit", "1"),
        1,
        "nothing to change: give at least one option, such as --text",
    ),
    (
        "missing --by",
        ("deny", "1"),
        USAGE,
        "Missing option '--by'. (see `factdb deny --help`)",
    ),
]


@pytest.mark.parametrize(
    ("args", "code", "line"),
    [case[1:] for case in BAD_COMMANDS],
    ids=[case[0] for case in BAD_COMMANDS],
)
def test_bad_input_is_one_line_and_writes_nothing(
    claimed: Cli, snapshot: Snapshot, args: tuple[str, ...], code: int, line: str
) -> None:
    cli = claimed
    cli.ok("actor", "add", "Foreign Office of Armenia", "--kind", "ministry", "--alias", "FO")
    cli.ok("actor", "add", "Foreign Office of Azerbaijan", "--kind", "ministry", "--alias", "FO")
    cli.ok("claim", "edit", "1", "--ref", "nk-1")
    cli.ok("deny", "1", "--by", "Pakistan")
    cli.ok("delete", "2")
    cli.ok("deny", "1", "--by", "Pakistan")
    before = snapshot()
    result = cli(*args)
    assert (result.exit_code, result.stdout, result.stderr) == (code, "", f"error: {line}\n")
    assert snapshot() == before


@pytest.mark.parametrize("verb", ["deny", "dispute", "endorse", "admit", "retract", "fact-check"])
def test_every_answer_command_documents_itself(cli: Cli, verb: str) -> None:
    result = cli.ok(verb, "--help")
    assert f"Example: factdb {verb} " in " ".join(result.stdout.split())


def test_through_the_installed_entry_point(
    run_factdb: Callable[..., subprocess.CompletedProcess[str]],
) -> None:
    for args in ACTORS[:4]:
        assert run_factdb("actor", "add", *args).returncode == 0
    added = run_factdb("claim", "add", CLAIM, "--by", "Nikol Pashinyan", "--format", "json")
    assert (added.returncode, added.stderr) == (0, "")
    assert json.loads(added.stdout) == record(
        id=1, kind="claim", actor="Nikol Pashinyan", actor_id=PASHINYAN, text=CLAIM
    )
    denied = run_factdb("deny", "#1", "--by", "Pakistan Foreign Office", "--on", "2020-10-10")
    assert (denied.returncode, denied.stdout) == (
        0,
        "Added denial #2 by Ministry of Foreign Affairs of Pakistan, answering claim #1.\n",
    )
    refused = run_factdb("retract", "1", "--by", "Pakistan")
    assert (refused.returncode, refused.stdout, refused.stderr) == (
        1,
        "",
        "error: --by: only the author of #1 (Nikol Pashinyan) or an actor affiliated with it "
        "can retract it; Pakistan is neither\n",
    )
    history = json.loads(run_factdb("history", "1", "--format", "json").stdout)
    assert [(row["action"], row["table"], row["user"]) for row in history] == [
        ("insert", "statements", "tester")
    ]

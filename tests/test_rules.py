"""``factdb.rules``: each rule on plain values, then through every entry path that applies
(the command, ``factdb import``, ``claim edit``, merges), where it must answer with the same
sentence after the path's own field prefix, write nothing, and exit 1."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from typing import Any

import pytest
from conftest import Cli

from factdb import rules
from factdb.dates import parse_date, period_end
from factdb.errors import InvalidInput

Snapshot = Callable[[], dict[str, list[tuple[Any, ...]]]]
HEADER = '{"factdb": 1}'
MOFA = "Ministry of Foreign Affairs of Pakistan"
ADD_CHAD = ("actor", "add", "Chad", "--kind", "state")


def line(**record: Any) -> str:
    return json.dumps(record, ensure_ascii=False)


def d(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


# ----------------------------------------------------------------------------- plain values


def test_validators_return_the_clean_value_or_none() -> None:
    assert rules.check_lang("pt-BR", "lang") == "pt-BR"
    assert rules.check_lang(None, "lang") is None
    assert rules.check_country(" am ", "--country") == "AM"
    assert rules.check_country("", "--country") is None
    assert rules.check_wikidata("q843", "wikidata") == "Q843"
    assert rules.check_wikidata(None, "wikidata") is None
    assert rules.check_ref("nk-1", " nk-1 ", "--ref") == "nk-1"


@pytest.mark.parametrize(
    ("check", "message"),
    [
        (
            lambda: rules.check_lang("English please", "F"),
            "F: 'English please' is not a language tag (use e.g. en, ur, hy, az)",
        ),
        (lambda: rules.check_lang("e" * 36, "F"), f"F: {'e' * 36!r} is not a language tag"),
        (
            lambda: rules.check_country("XX", "F"),
            "F: 'XX' is not an ISO 3166-1 alpha-2 country code",
        ),
        (lambda: rules.check_wikidata("Q0", "F"), "F: 'Q0' is not a Wikidata item id (like Q843)"),
        (lambda: rules.check_ref(None, " ", "F"), "F: must not be empty"),
        (
            lambda: rules.check_ref("a b", "a b", "F"),
            "F: 'a b' contains whitespace; use a key like nk2020-claim-1",
        ),
        (
            lambda: rules.check_period(parse_date("2021"), parse_date("2020"), "A", "B"),
            "A: 2021 is after B 2020",
        ),
        (
            lambda: rules.check_period(parse_date("2020-05-10"), parse_date("2020"), "A", "B"),
            "B: 2020 is less precise than A 2020-05-10; give the end as a full date",
        ),
    ],
)
def test_validators_refuse_with_one_sentence(check: Callable[[], object], message: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        check()
    assert str(caught.value).startswith(message)


def test_period_in_order_or_open_passes() -> None:
    rules.check_period(parse_date("2020-05"), parse_date("2020-05"), "A", "B")
    rules.check_period(None, parse_date("2020"), "A", "B")
    rules.check_period(parse_date("2020"), None, "A", "B")


def test_period_end_is_the_last_day_of_the_period() -> None:
    assert period_end(d("2020-01-01"), "year") == d("2020-12-31")
    assert period_end(d("2020-02-01"), "month") == d("2020-02-29")
    assert period_end(d("2020-02-03"), "day") == d("2020-02-03")


@pytest.mark.parametrize(
    ("start", "last_day", "when", "counts"),
    [
        (None, None, None, True),  # open-ended: counts even undated
        (d("2020-01-01"), d("2020-06-30"), None, False),  # ended: not for an undated one
        (d("2020-01-01"), d("2020-06-30"), d("2020-06-30"), True),  # its last day
        (d("2020-01-01"), d("2020-06-30"), d("2020-07-01"), False),  # the day after
        (d("2020-01-01"), None, d("2019-12-31"), False),  # before it started
        (d("2020-01-01"), None, d("2020-01-01"), True),
        (738000, 738100, 738100, True),  # the import's ordinals
        (738000, 738100, 738101, False),
    ],
)
def test_affiliation_counts_from_start_to_the_last_day(
    start: Any, last_day: Any, when: Any, counts: bool
) -> None:
    assert rules.affiliation_counts(start, last_day, when) is counts


GRAPH: dict[str, list[tuple[str, int | None, int | None]]] = {
    "spokesman": [("ministry", 10, 20)],
    "ministry": [("state", None, None)],
    "state": [("spokesman", 30, None)],  # a circle, at other dates: the walk still ends
}


def test_organizations_at_follows_the_chain_at_the_date() -> None:
    def links(node: str) -> list[tuple[str, int | None, int | None]]:
        return GRAPH.get(node, [])

    assert rules.organizations_at("spokesman", 15, links) == {"ministry", "state"}
    assert rules.organizations_at("spokesman", 25, links) == set()
    assert rules.organizations_at("spokesman", None, links) == set()
    assert rules.organizations_at("ministry", 35, links) == {"state", "spokesman"}


def test_path_up_gives_the_chain_that_would_close() -> None:
    parents = {1: [2], 2: [3, 4], 4: [5]}

    def up(node: int) -> list[int]:
        return parents.get(node, [])

    assert rules.path_up(1, 5, up) == [1, 2, 4, 5]
    assert rules.path_up(5, 1, up) == []
    assert rules.path_up(3, 3, up) == [3]


def test_may_retract_asks_for_organizations_only_when_needed() -> None:
    def never() -> set[int]:
        raise AssertionError("asked")

    assert rules.may_retract(1, 1, never, never)
    assert rules.may_retract(1, 2, lambda: {2}, never)
    assert rules.may_retract(1, 2, set, lambda: {1})
    assert not rules.may_retract(1, 2, lambda: {3}, lambda: {4})


def test_sentences() -> None:
    assert rules.member_of_itself("A") == "A cannot be a member of itself"
    assert rules.affiliation_circle(["A", "B", "A"]) == (
        "affiliations cannot go in a circle (A → B → A)"
    )
    assert rules.retraction_refused("#1 (Pakistan)", "Armenia") == (
        "only the author of #1 (Pakistan) or an actor affiliated with it can retract it; "
        "Armenia is neither"
    )


# ----------------------------------------------------------------------------- entry paths


@pytest.fixture
def world(cli: Cli) -> Cli:
    """Pakistan, its ministry (a member from 2020-01 to 2020-06, month precision), Armenia;
    #1 a claim by Pakistan (ref c1), #2 a retraction of it by the ministry in its term."""
    cli.ok("actor", "add", "Pakistan", "--kind", "state", "--country", "PK")
    cli.ok("actor", "add", "Armenia", "--kind", "state", "--country", "AM")
    cli.ok("actor", "add", MOFA, "--kind", "ministry")
    cli.ok("actor", "affiliate", MOFA, "Pakistan", "--from", "2020-01", "--to", "2020-06")
    cli.ok("claim", "add", "x", "--by", "Pakistan", "--on", "2020-03", "--ref", "c1")
    cli.ok("retract", "1", "--by", MOFA, "--on", "2020-06-30")
    return cli


def refused_everywhere(
    cli: Cli, snapshot: Snapshot, args: tuple[str, ...], stdin: str | None, stderr: str
) -> None:
    before = snapshot()
    result = cli(*args, input=stdin)
    assert (result.exit_code, result.stdout, result.stderr) == (1, "", stderr)
    assert snapshot() == before


def imported(*records: str) -> tuple[tuple[str, ...], str]:
    return ("import", "-"), "\n".join([HEADER, *records]) + "\n"


def paths(
    sentence: str,
    field: str,
    command: tuple[str, ...],
    edit: tuple[str, ...],
    record: str,
    import_field: str,
) -> list[Any]:
    """One validator's cases: the command and the edit (``field`` named by its flag) and the
    import (named by ``import_field`` after the line), each with its full error."""
    args, stdin = imported(record)
    return [
        pytest.param(command, None, f"error: {field}: {sentence}\n", id="cmd"),
        pytest.param(edit, None, f"error: {field}: {sentence}\n", id="edit"),
        pytest.param(args, stdin, f"error: line 2: {import_field}: {sentence}\n", id="import"),
    ]


LANG = "'English please' is not a language tag (use e.g. en, ur, hy, az)"
COUNTRY = "'XX' is not an ISO 3166-1 alpha-2 country code"
WIKIDATA = "'P31' is not a Wikidata item id (like Q843)"
REF = "'a b' contains whitespace; use a key like nk2020-claim-1"


@pytest.mark.parametrize(
    ("args", "stdin", "stderr"),
    [
        *paths(
            LANG,
            "--lang",
            ("claim", "add", "y", "--by", "Armenia", "--lang", "English please"),
            ("claim", "edit", "1", "--lang", "English please"),
            line(
                type="statement",
                ref="y",
                kind="claim",
                by="Armenia",
                text="y",
                lang="English please",
            ),
            "lang",
        ),
        *paths(
            COUNTRY,
            "--country",
            ("actor", "add", "Chad", "--kind", "state", "--country", "XX"),
            ("actor", "edit", "Armenia", "--country", "XX"),
            line(type="actor", name="Chad", kind="state", country="XX"),
            "country",
        ),
        *paths(
            WIKIDATA,
            "--wikidata",
            ("actor", "add", "Chad", "--kind", "state", "--wikidata", "P31"),
            ("actor", "edit", "Armenia", "--wikidata", "P31"),
            line(type="actor", name="Chad", kind="state", wikidata="P31"),
            "wikidata",
        ),
        *paths(
            REF,
            "--ref",
            ("claim", "add", "y", "--by", "Armenia", "--ref", "a b"),
            ("claim", "edit", "1", "--ref", "a b"),
            line(type="statement", kind="claim", by="Armenia", text="y", ref="a b"),
            "ref",
        ),
    ],
)
def test_a_validator_says_the_same_on_every_path(
    world: Cli, snapshot: Snapshot, args: tuple[str, ...], stdin: str | None, stderr: str
) -> None:
    refused_everywhere(world, snapshot, args, stdin, stderr)


@pytest.mark.parametrize(
    ("args", "stdin", "stderr"),
    [
        pytest.param(
            ("actor", "affiliate", "Armenia", "Pakistan", "--from", "2020-05-10", "--to", "2020"),
            None,
            "error: --to: 2020 is less precise than --from 2020-05-10; give the end as a full "
            "date\n",
            id="affiliate",
        ),
        pytest.param(
            (*ADD_CHAD, "--member-of", "Pakistan", "--from", "2020-05-10", "--to", "2020"),
            None,
            "error: --to: 2020 is less precise than --from 2020-05-10; give the end as a full "
            "date\n",
            id="add",
        ),
        pytest.param(
            *imported(
                line(
                    type="actor",
                    name="Chad",
                    kind="state",
                    affiliations=[{"organization": "Pakistan", "from": "2020-05-10", "to": "2020"}],
                )
            ),
            "error: line 2: affiliations[0].to: 2020 is less precise than affiliations[0].from "
            "2020-05-10; give the end as a full date\n",
            id="import",
        ),
    ],
)
def test_an_affiliation_period_is_checked_alike(
    world: Cli, snapshot: Snapshot, args: tuple[str, ...], stdin: str | None, stderr: str
) -> None:
    refused_everywhere(world, snapshot, args, stdin, stderr)


@pytest.mark.parametrize(
    ("args", "stdin", "stderr"),
    [
        pytest.param(
            ("actor", "affiliate", "Pakistan", "Pakistan"),
            None,
            "error: ORG: Pakistan cannot be a member of itself\n",
            id="affiliate",
        ),
        pytest.param(
            *imported(
                line(
                    type="actor", name="Chad", kind="state", affiliations=[{"organization": "chad"}]
                )
            ),
            "error: line 2: affiliations[0].organization: Chad cannot be a member of itself\n",
            id="import-name",
        ),
        pytest.param(
            *imported(
                line(
                    type="actor",
                    name="Chad",
                    kind="state",
                    aliases=["Tchad"],
                    affiliations=[{"organization": "Tchad"}],
                )
            ),
            "error: line 2: affiliations[0].organization: Chad cannot be a member of itself\n",
            id="import-alias",
        ),
    ],
)
def test_an_actor_is_not_its_own_member_on_any_path(
    world: Cli, snapshot: Snapshot, args: tuple[str, ...], stdin: str | None, stderr: str
) -> None:
    refused_everywhere(world, snapshot, args, stdin, stderr)


CIRCLE = "affiliations cannot go in a circle (A → B → A)"


@pytest.mark.parametrize(
    ("args", "stdin", "stderr"),
    [
        pytest.param(("actor", "affiliate", "A", "B"), None, f"error: ORG: {CIRCLE}\n", id="cmd"),
        pytest.param(
            ("actor", "add", "C", "--kind", "state", "--member-of", "B"),
            None,
            None,
            id="not-a-circle",
        ),
        pytest.param(
            *imported(
                line(type="actor", name="X", kind="state", affiliations=[{"organization": "Y"}]),
                line(type="actor", name="Y", kind="state", affiliations=[{"organization": "X"}]),
            ),
            "error: line 2: affiliations: affiliations cannot go in a circle (X → Y → X)\n",
            id="import",
        ),
    ],
)
def test_affiliations_cannot_go_in_a_circle_on_any_path(
    world: Cli, snapshot: Snapshot, args: tuple[str, ...], stdin: str | None, stderr: str | None
) -> None:
    world.ok("actor", "add", "A", "--kind", "state")
    world.ok("actor", "add", "B", "--kind", "ministry", "--member-of", "A")
    if stderr is None:  # a member of a member is no circle: the check does not over-reach
        world.ok(*args)
        return
    refused_everywhere(world, snapshot, args, stdin, stderr)


def test_merging_actors_into_a_circle_is_refused_with_the_same_sentence(
    world: Cli, snapshot: Snapshot
) -> None:
    world.ok("actor", "add", "A", "--kind", "state")
    world.ok("actor", "add", "B", "--kind", "ministry", "--member-of", "A")
    world.ok("actor", "add", "C", "--kind", "state")
    world.ok("actor", "affiliate", "A", "C")
    # C into B: B would be a member of A and A a member of B.
    stderr = "error: INTO: affiliations cannot go in a circle (B → A → B)\n"
    refused_everywhere(world, snapshot, ("actor", "merge", "C", "B"), None, stderr)


RETRACT = (
    "only the author of {target} or an actor affiliated with it can retract it; {who} is neither"
)


@pytest.mark.parametrize(
    ("args", "stdin", "stderr"),
    [
        pytest.param(
            ("retract", "1", "--by", MOFA, "--on", "2020-07-01"),
            None,
            "error: --by: " + RETRACT.format(target="#1 (Pakistan)", who=MOFA) + "\n",
            id="cmd",
        ),
        pytest.param(
            ("claim", "edit", "2", "--on", "2020-07-01"),
            None,
            "error: --on: " + RETRACT.format(target="#1 (Pakistan)", who=MOFA) + "\n",
            id="edit",
        ),
        pytest.param(
            *imported(
                line(
                    type="statement",
                    ref="r",
                    kind="retraction",
                    by=MOFA,
                    responds_to="c1",
                    date="2020-07-01",
                )
            ),
            "error: line 2: by: " + RETRACT.format(target="#1 (Pakistan)", who=MOFA) + "\n",
            id="import",
        ),
        pytest.param(
            *imported(
                line(type="statement", ref="c2", kind="claim", by="Pakistan", text="z"),
                line(type="statement", ref="r", kind="retraction", by="Armenia", responds_to="c2"),
            ),
            "error: line 3: by: "
            + RETRACT.format(target="the statement on line 2 (Pakistan)", who="Armenia")
            + "\n",
            id="import-in-file",
        ),
    ],
)
def test_who_may_retract_is_one_rule_with_one_sentence(
    world: Cli, snapshot: Snapshot, args: tuple[str, ...], stdin: str | None, stderr: str
) -> None:
    refused_everywhere(world, snapshot, args, stdin, stderr)


@pytest.mark.parametrize(
    ("args", "retractions"),
    [
        pytest.param(("retract", "1", "--by", MOFA, "--on", "2020-06-30"), [2, 3], id="cmd"),
        pytest.param(("claim", "edit", "2", "--on", "2020-06"), [2], id="edit"),
        pytest.param(("import", "-"), [2, 3], id="import"),
    ],
)
def test_the_affiliation_counts_to_the_last_day_of_its_end_month(
    world: Cli, args: tuple[str, ...], retractions: list[int]
) -> None:
    """A month-precise end counts through its last day on every path that checks a
    retraction, and the roll-up counts the ministry's answers for Pakistan by the same rule:
    its denial of the day after does not."""
    stdin = None
    if args[0] == "import":
        record = line(
            type="statement",
            ref="r",
            kind="retraction",
            by=MOFA,
            responds_to="c1",
            date="2020-06-30",
        )
        stdin = HEADER + "\n" + record + "\n"
    world.ok(*args, input=stdin)
    world.ok("deny", "1", "--by", MOFA, "--on", "2020-07-01")
    rows = world.json("responses", "--by", "Pakistan")
    assert [(row["response_id"], row["kind"], row["on_behalf_of"]) for row in rows] == [
        (number, "retraction", ["Pakistan"]) for number in retractions
    ]


SOURCE = "https://example.org/a"


@pytest.mark.parametrize(
    ("args", "stdin", "stderr"),
    [
        pytest.param(
            ("source", "add", SOURCE, "--retrieved", "2020-10"),
            None,
            "error: --retrieved: 2020-10 is not a day; use YYYY-MM-DD\n",
            id="cmd-day",
        ),
        pytest.param(
            *imported(line(type="source", url=SOURCE, retrieved="2020-10")),
            "error: line 2: retrieved: 2020-10 is not a day; use YYYY-MM-DD\n",
            id="import-day",
        ),
        pytest.param(
            ("source", "add", SOURCE, "--published", "2020-10-10", "--retrieved", "2020-10-09"),
            None,
            "error: --retrieved: 2020-10-09 is before the publication date 2020-10-10\n",
            id="cmd-order",
        ),
        pytest.param(
            *imported(
                line(type="source", url=SOURCE, published="2020-10-10", retrieved="2020-10-09")
            ),
            "error: line 2: retrieved: 2020-10-09 is before the publication date 2020-10-10\n",
            id="import-order",
        ),
    ],
)
def test_a_source_is_retrieved_on_a_day_after_its_publication_on_any_path(
    world: Cli, snapshot: Snapshot, args: tuple[str, ...], stdin: str | None, stderr: str
) -> None:
    refused_everywhere(world, snapshot, args, stdin, stderr)

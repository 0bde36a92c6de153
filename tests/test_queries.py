"""Asking the record, as library calls on SQLite and PostgreSQL: who denied what (with
roll-up through dated affiliations), positions through threads, claim status, claim lists,
full-text search, timelines and alignment."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from queries_example import load_example, log_example, refs
from sqlalchemy.orm import Session

from factdb.cli.common import flagged
from factdb.errors import InvalidInput, NotFound, UnknownActor
from factdb.queries.alignment import alignment
from factdb.queries.claim_list import list_claims
from factdb.queries.positions import positions
from factdb.queries.responses import response_query, who_denied, who_endorsed
from factdb.queries.rollup import Affiliations
from factdb.queries.search import search
from factdb.queries.status import statuses, with_statuses
from factdb.queries.timeline import timeline
from factdb.record.actors import add_actor
from factdb.record.statements import (
    add_claim,
    add_fact_check,
    add_response,
    delete_statement,
    statement_thread,
)
from factdb.store.db import Database

ARTICLE = "https://example.org/news/2020/10/18/pakistan-rejects-armenian-claim"
TOPIC = "Nagorno-Karabakh 2020"


def read(database: Database, work: Callable[[Session], Any]) -> Any:
    return database.run(work)


def write(database: Database, work: Callable[[Session], Any]) -> Any:
    return database.run(work, write=True)


@pytest.fixture
def example(database: Database) -> dict[str, int]:
    """The worked example loaded; statement ids by ref."""
    return dict(write(database, load_example))


# ----------------------------------------------------------------------------- worked example


def test_who_denied_about_pakistan_shows_the_foreign_office_for_pakistan(
    database: Database, example: dict[str, int]
) -> None:
    rows = read(database, lambda s: who_denied(s, about="Pakistan"))
    assert rows == [
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
                    "url": ARTICLE,
                    "outlet": "Example News (worked example)",
                    "locator": "paragraphs 4-5",
                }
            ],
        }
    ]


def test_who_denied_by_pakistan_rolls_up_unless_direct(
    database: Database, example: dict[str, int]
) -> None:
    rolled = read(database, lambda s: who_denied(s, by="Pakistan"))
    assert [row["denial_id"] for row in rolled] == [example["nk-special-forces-rejected"]]
    assert read(database, lambda s: who_denied(s, by="Pakistan", direct=True)) == []
    by_alias = read(database, lambda s: who_denied(s, by="pakistan foreign office", direct=True))
    assert [row["denial_id"] for row in by_alias] == [example["nk-special-forces-rejected"]]


def test_positions_on_the_special_forces_claim(database: Database, example: dict[str, int]) -> None:
    claim, denial = example["nk-special-forces"], example["nk-special-forces-rejected"]
    assert read(database, lambda s: positions(s, claim)) == [
        {"actor": "Nikol Pashinyan", "actor_id": 5, "position": "supports", "via": [claim]},
        {
            "actor": "Ministry of Foreign Affairs of Pakistan",
            "actor_id": 8,
            "position": "opposes",
            "via": [denial],
        },
    ]
    assert read(database, lambda s: positions(s, f"#{claim}", roll_up=True)) == [
        {"actor": "Armenia", "actor_id": 1, "position": "supports", "via": [claim]},
        {"actor": "Pakistan", "actor_id": 3, "position": "opposes", "via": [denial]},
    ]


def test_the_ceasefire_accusations_are_two_claims_each_denied_by_the_other(
    database: Database, example: dict[str, int]
) -> None:
    by_armenia = example["nk-ceasefire-broken-by-azerbaijan"]
    by_azerbaijan = example["nk-ceasefire-broken-by-armenia"]
    denied = read(database, lambda s: list_claims(s, topic=TOPIC, status="denied"))
    assert [row["id"] for row in denied] == [
        example["nk-special-forces"],
        by_armenia,
        by_azerbaijan,
    ]
    against_armenia = read(database, lambda s: who_denied(s, of="Armenia", by="Azerbaijan"))
    assert [(r["denier"], r["statement_id"], r["on_behalf_of"]) for r in against_armenia] == [
        ("Ministry of Foreign Affairs of Azerbaijan", by_armenia, ["Azerbaijan"])
    ]
    against_azerbaijan = read(database, lambda s: who_denied(s, of="Azerbaijan", by="Armenia"))
    assert [(r["denier"], r["statement_id"], r["on_behalf_of"]) for r in against_azerbaijan] == [
        ("Ministry of Foreign Affairs of Armenia", by_azerbaijan, ["Armenia"])
    ]


def test_statuses_of_the_example_claims(database: Database, example: dict[str, int]) -> None:
    claims = read(database, lambda s: list_claims(s))
    assert {row["ref"]: row["status"] for row in claims} == {
        "nk-special-forces": "denied",
        "nk-pakistan-self-defence": "endorsed",
        "nk-azerbaijani-gains": "admitted",
        "nk-casualties": "endorsed",
        "nk-ganja-strike": "unanswered",
        "nk-moscow-ceasefire": "unanswered",  # only its own author reiterated it
        "nk-ceasefire-broken-by-azerbaijan": "denied",
        "nk-ceasefire-broken-by-armenia": "denied",
        "nk-humanitarian-truce": "endorsed",
    }


def test_show_data_carries_each_statements_status(
    database: Database, example: dict[str, int]
) -> None:
    claim = example["nk-special-forces"]
    thread = read(database, lambda s: with_statuses(s, statement_thread(s, claim)))
    assert thread["statement"]["status"] == "denied"
    assert [answer["status"] for answer in thread["statement"]["responses"]] == ["unanswered"]
    reply = read(
        database,
        lambda s: with_statuses(s, statement_thread(s, example["nk-special-forces-rejected"])),
    )
    assert [item["status"] for item in reply["chain"]] == ["denied"]


def test_alignment_on_the_example_rolled_up(database: Database, example: dict[str, int]) -> None:
    rows = read(database, lambda s: alignment(s, "nagorno-karabakh 2020", roll_up=True))
    assert rows == [
        {
            "actor_a": "Armenia",
            "actor_a_id": 1,
            "actor_b": "Azerbaijan",
            "actor_b_id": 2,
            "same": 2,
            "opposite": 2,
            "agreement": 0.5,
        },
        {
            "actor_a": "Armenia",
            "actor_a_id": 1,
            "actor_b": "Pakistan",
            "actor_b_id": 3,
            "same": 0,
            "opposite": 1,
            "agreement": 0.0,
        },
        {
            "actor_a": "Example Fact Check",
            "actor_a_id": 16,
            "actor_b": "Example News Desk",
            "actor_b_id": 15,
            "same": 1,
            "opposite": 0,
            "agreement": 1.0,
        },
    ]


def test_timeline_of_the_example_respects_precision(
    database: Database, example: dict[str, int]
) -> None:
    rows = read(database, lambda s: timeline(s, topic=TOPIC, until="2020-10-11"))
    assert [(row["date"], row["ref"]) for row in rows] == [
        ("2020-10", "nk-special-forces"),
        ("2020-10", "nk-azerbaijani-gains"),
        ("2020-10", "nk-armenia-admits-gains"),
        ("2020-10-10", "nk-moscow-ceasefire"),
        ("2020-10-11", "nk-ceasefire-broken-by-azerbaijan"),
        ("2020-10-11", "nk-ceasefire-broken-by-armenia"),
        ("2020-10-11", "nk-azerbaijan-rejects-violation"),
        ("2020-10-11", "nk-armenia-rejects-violation"),
    ]
    pakistan = read(database, lambda s: timeline(s, by="Pakistan", since="2020-10-18"))
    assert [row["ref"] for row in pakistan] == ["nk-imran-khan-stands-with-azerbaijan"]


def test_who_endorsed_and_every_kind_of_response(
    database: Database, example: dict[str, int]
) -> None:
    endorsed = read(database, lambda s: who_endorsed(s, by="Pakistan"))
    assert [
        (row["endorsement_id"], row["endorser"], row["on_behalf_of"], row["author"])
        for row in endorsed
    ] == [
        (
            example["nk-imran-khan-stands-with-azerbaijan"],
            "Imran Khan",
            ["Pakistan"],
            "Ministry of Foreign Affairs of Pakistan",
        )
    ]
    admissions = read(database, lambda s: response_query(s, "admission"))
    assert [(row["response_id"], row["kind"], row["responder"]) for row in admissions] == [
        (example["nk-armenia-admits-gains"], "admission", "Armenia")
    ]
    checked = read(database, lambda s: response_query(s, "fact_check", about="Azerbaijan"))
    assert [row["statement_id"] for row in checked] == [example["nk-casualties"]]
    assert list(checked[0]) == [
        "response_id",
        "kind",
        "responder",
        "on_behalf_of",
        "date",
        "quote",
        "statement_id",
        "statement",
        "author",
        "sources",
    ]


def test_response_filters_by_statement_topic_search_and_dates(
    database: Database, example: dict[str, int]
) -> None:
    truce = example["nk-humanitarian-truce"]
    assert [
        r["response_id"] for r in read(database, lambda s: response_query(s, statement=truce))
    ] == [example["nk-humanitarian-truce-azerbaijan"]]
    searched = read(database, lambda s: who_denied(s, search="propaganda"))
    assert [row["denial_id"] for row in searched] == [example["nk-special-forces-rejected"]]
    # the search also matches what was denied
    assert [
        r["denial_id"] for r in read(database, lambda s: who_denied(s, search="Pakistani"))
    ] == [example["nk-special-forces-rejected"]]
    dated = read(database, lambda s: who_denied(s, topic=TOPIC, since="2020-10-12"))
    assert [row["denial_id"] for row in dated] == [example["nk-special-forces-rejected"]]
    assert read(database, lambda s: who_denied(s, until="2020-10-10")) == []


# ----------------------------------------------------------------------------- roll-up


def test_affiliations_follow_dated_chains() -> None:
    affiliations = Affiliations()
    for link in (
        (3, 2, dt.date(2019, 1, 1), dt.date(2020, 6, 30)),  # spokesman → ministry
        (2, 1, None, None),  # ministry → state
    ):
        affiliations.by_member.setdefault(link[0], []).append(link)
        affiliations.by_organization.setdefault(link[1], []).append(link)
    assert affiliations.organizations(3, dt.date(2020, 6, 30)) == [2, 1]
    assert affiliations.organizations(3, dt.date(2020, 7, 1)) == []
    assert affiliations.organizations(3, dt.date(2018, 12, 31)) == []
    assert affiliations.organizations(3, None) == []
    assert affiliations.organizations(2, None) == [1]
    assert affiliations.top_organizations(3, dt.date(2020, 1, 1)) == [1]
    assert affiliations.top_organizations(3, dt.date(2021, 1, 1)) == [3]
    assert affiliations.ever_members(1) == {1, 2, 3}
    assert affiliations.counts_for(3, 1, dt.date(2019, 5, 1))
    assert not affiliations.counts_for(3, 1, dt.date(2020, 8, 1))


@pytest.fixture
def chain(database: Database) -> dict[str, int]:
    """A state, its ministry, and a spokesman of the ministry from 2019-01 to 2020-06, who
    denies a claim while in office, in the last month of office, after leaving, and on an
    unknown date."""

    def work(session: Session) -> dict[str, int]:
        add_actor(session, "Ruritania", "state")
        add_actor(session, "Ruritanian Foreign Ministry", "ministry", member_of="Ruritania")
        add_actor(
            session,
            "Jan Novak",
            "person",
            member_of="Ruritanian Foreign Ministry",
            role="spokesman",
            start="2019-01",
            end="2020-06",
        )
        add_actor(session, "Freedonia", "state")
        claim = add_claim(
            session, "Ruritania shelled the border", "Freedonia", date="2019-01-01"
        ).id
        ids = {"claim": claim}
        for name, date in (
            ("in_office", "2020-03-02"),
            ("last_month", "2020-06"),
            ("after_leaving", "2020-08-15"),
            ("undated", None),
        ):
            ids[name] = add_response(session, "denial", claim, "Jan Novak", date=date).id
        ids["about"] = add_claim(
            session,
            "The ministry misled the press",
            "Freedonia",
            date="2020-07-01",
            about=["Jan Novak"],
        ).id
        ids["by_novak"] = add_claim(
            session, "The border is calm", "Jan Novak", date="2020-05-01", about=["Freedonia"]
        ).id
        ids["freedonia_denies"] = add_response(
            session, "denial", ids["by_novak"], "Freedonia", date="2020-05-02"
        ).id
        ids["late_claim"] = add_claim(
            session, "Nothing happened", "Jan Novak", date="2020-09-01"
        ).id
        ids["late_denial"] = add_response(
            session, "denial", ids["late_claim"], "Freedonia", date="2020-09-02"
        ).id
        return ids

    return dict(write(database, work))


def test_a_denial_after_leaving_office_does_not_count_for_the_state(
    database: Database, chain: dict[str, int]
) -> None:
    rows = read(database, lambda s: who_denied(s, by="Ruritania"))
    assert [(row["denial_id"], row["date"], row["on_behalf_of"]) for row in rows] == [
        (chain["in_office"], "2020-03-02", ["Ruritanian Foreign Ministry", "Ruritania"]),
        (chain["last_month"], "2020-06", ["Ruritanian Foreign Ministry", "Ruritania"]),
    ]
    own = read(database, lambda s: who_denied(s, by="Jan Novak"))
    assert [(row["denial_id"], row["on_behalf_of"]) for row in own] == [
        (chain["in_office"], ["Ruritanian Foreign Ministry", "Ruritania"]),
        (chain["last_month"], ["Ruritanian Foreign Ministry", "Ruritania"]),
        (chain["after_leaving"], []),
        (chain["undated"], []),
    ]
    assert read(database, lambda s: who_denied(s, by="Ruritania", direct=True)) == []


def test_of_and_about_roll_up_by_the_answered_statements_date(
    database: Database, chain: dict[str, int]
) -> None:
    of_state = read(database, lambda s: who_denied(s, of="Ruritania"))
    assert [row["denial_id"] for row in of_state] == [chain["freedonia_denies"]]
    assert read(database, lambda s: who_denied(s, of="Ruritania", direct=True)) == []
    of_novak = read(database, lambda s: who_denied(s, of="Jan Novak", direct=True))
    assert [row["denial_id"] for row in of_novak] == [
        chain["freedonia_denies"],
        chain["late_denial"],
    ]
    # the claim about Novak is dated after he left: it is not about Ruritania
    assert read(database, lambda s: list_claims(s, about="Ruritania")) == []
    about_novak = read(database, lambda s: list_claims(s, about="Jan Novak"))
    assert [row["id"] for row in about_novak] == [chain["about"]]
    by_state = read(database, lambda s: list_claims(s, by="Ruritania"))
    assert [row["id"] for row in by_state] == [chain["by_novak"]]


def test_positions_roll_up_only_while_affiliated(database: Database, chain: dict[str, int]) -> None:
    rolled = read(database, lambda s: positions(s, chain["claim"], roll_up=True))
    assert rolled == [
        {
            "actor": "Jan Novak",  # undated statements count as the earliest
            "actor_id": 3,
            "position": "opposes",
            "via": sorted([chain["undated"], chain["after_leaving"]]),
        },
        {"actor": "Freedonia", "actor_id": 4, "position": "supports", "via": [chain["claim"]]},
        {
            "actor": "Ruritania",
            "actor_id": 1,
            "position": "opposes",
            "via": [chain["in_office"], chain["last_month"]],
        },
    ]


# ----------------------------------------------------------------------------- threads


@pytest.fixture
def thread(database: Database) -> dict[str, int]:
    """A claim answered three levels deep, by actors A (the claimant) … H."""

    def work(session: Session) -> dict[str, int]:
        for name in ("A", "B", "D", "E", "F", "G", "H", "S"):
            add_actor(session, f"Actor {name}", "state")
        ids: dict[str, int] = {}
        ids["claim"] = add_claim(
            session, "S sank the ferry", "Actor A", date="2021-01-01", about=["Actor S"]
        ).id
        ids["dispute"] = add_response(
            session, "dispute", ids["claim"], "Actor H", date="2021-01-03"
        ).id
        ids["denial"] = add_response(
            session, "denial", ids["claim"], "Actor B", date="2021-01-05"
        ).id
        ids["denies_denial"] = add_response(
            session, "denial", ids["denial"], "Actor D", date="2021-01-10"
        ).id
        ids["endorses_denial"] = add_response(
            session, "endorsement", ids["denial"], "Actor E", date="2021-01-12"
        ).id
        ids["third_level"] = add_response(
            session, "endorsement", ids["denies_denial"], "Actor F", date="2021-01-15"
        ).id
        ids["check"] = add_fact_check(
            session, ids["denial"], "Actor G", verdict="false", date="2021-01-20"
        ).id
        ids["withdrawal"] = add_response(
            session, "retraction", ids["denial"], "Actor B", date="2021-02-01"
        ).id
        return ids

    return dict(write(database, work))


def test_positions_follow_a_thread_three_deep(database: Database, thread: dict[str, int]) -> None:
    found = read(database, lambda s: positions(s, thread["claim"]))
    assert [(row["actor"], row["position"], row["via"]) for row in found] == [
        ("Actor A", "supports", [thread["claim"]]),
        ("Actor H", "questions", [thread["dispute"]]),
        ("Actor B", "withdrawn", [thread["withdrawal"]]),
        ("Actor D", "supports", [thread["denies_denial"]]),
        ("Actor E", "opposes", [thread["endorses_denial"]]),
        ("Actor F", "supports", [thread["third_level"]]),
        ("Actor G", "assessed:true", [thread["check"]]),
    ]
    assert read(database, lambda s: statuses(s, [thread["claim"]])) == {
        thread["claim"]: "contested"
    }


def test_as_of_ignores_everything_said_later(database: Database, thread: dict[str, int]) -> None:
    early = read(database, lambda s: positions(s, thread["claim"], as_of="2021-01-11"))
    assert [(row["actor"], row["position"]) for row in early] == [
        ("Actor A", "supports"),
        ("Actor H", "questions"),
        ("Actor B", "opposes"),
        ("Actor D", "supports"),
    ]
    assert read(database, lambda s: positions(s, thread["claim"], as_of="2020")) == []
    assert read(database, lambda s: statuses(s, [thread["claim"]], as_of="2021-01-04")) == {
        thread["claim"]: "disputed"
    }
    with pytest.raises(InvalidInput, match=r"^as_of: '2021-13' is not a real date$"):
        read(database, lambda s: positions(s, thread["claim"], as_of="2021-13"))


def test_retracted_and_admitted_claims(database: Database, thread: dict[str, int]) -> None:
    def work(session: Session) -> dict[int, str]:
        retracted = add_claim(session, "S mined the strait", "Actor A", date="2021-03-01").id
        add_response(session, "denial", retracted, "Actor B", date="2021-03-02")
        add_response(session, "retraction", retracted, "Actor A", date="2021-03-03")
        admitted = add_claim(
            session, "S fired first", "Actor A", date="2021-03-01", about=["Actor S"]
        ).id
        add_response(session, "denial", admitted, "Actor B", date="2021-03-02")
        add_response(session, "admission", admitted, "Actor S", date="2021-03-04")
        return statuses(session, [retracted, admitted])

    assert sorted(write(database, work).values()) == ["admitted", "retracted"]
    assert [row["status"] for row in read(database, lambda s: list_claims(s))] == [
        "contested",
        "retracted",
        "admitted",
    ]


def test_deleted_answers_do_not_count(database: Database, thread: dict[str, int]) -> None:
    write(database, lambda s: delete_statement(s, thread["denial"], cascade=True))
    write(database, lambda s: delete_statement(s, thread["dispute"]))
    assert read(database, lambda s: statuses(s, [thread["claim"]])) == {
        thread["claim"]: "unanswered"
    }
    assert read(database, lambda s: who_denied(s, by="Actor B")) == []
    write(database, lambda s: delete_statement(s, thread["claim"]))
    assert read(database, lambda s: list_claims(s)) == []
    deleted = read(database, lambda s: list_claims(s, include_deleted=True))
    # as restored: the answers were deleted on their own, so restoring the claim leaves it
    # unanswered
    assert [(row["id"], row["deleted"], row["status"]) for row in deleted] == [
        (thread["claim"], True, "unanswered")
    ]
    with pytest.raises(NotFound, match=r"^ID: there is no statement #1$"):
        read(database, lambda s: positions(s, thread["claim"]))


def test_claim_list_filters(database: Database, example: dict[str, int]) -> None:
    def refs(**options: Any) -> list[str]:
        return [row["ref"] for row in read(database, lambda s: list_claims(s, **options))]

    assert refs(denied_by="Pakistan") == ["nk-special-forces"]
    assert refs(denied_by="Pakistan", direct=True) == []
    assert refs(endorsed_by="Pakistan") == ["nk-pakistan-self-defence"]
    assert refs(unanswered=True) == ["nk-moscow-ceasefire", "nk-ganja-strike"]
    assert refs(by="Armenia", status="denied") == [
        "nk-special-forces",
        "nk-ceasefire-broken-by-azerbaijan",
    ]
    assert refs(about="Pakistan", since="2020-10", until="2020-10") == ["nk-special-forces"]
    assert refs(since="2020-10-18") == ["nk-casualties"]
    assert refs(limit=1) == ["nk-special-forces"]
    with pytest.raises(InvalidInput, match=r"^status: 'refuted' is not one of unanswered, "):
        read(database, lambda s: list_claims(s, status="refuted"))
    with pytest.raises(InvalidInput, match=r"^unanswered: cannot be combined with status denied$"):
        read(database, lambda s: list_claims(s, status="denied", unanswered=True))


def test_query_errors_name_the_field_and_the_cli_its_flag(
    database: Database, example: dict[str, int]
) -> None:
    """The scope's errors name its fields (``by``, ``since``); the commands show the flag
    (``flagged``); the other errors still name the flag or argument themselves."""
    cases: list[tuple[Callable[[Session], Any], type[Exception], str]] = [
        (
            lambda s: who_denied(s, by="Pakistn"),
            UnknownActor,
            "--by: no actor is called 'Pakistn'; did you mean Pakistan?",
        ),
        (
            lambda s: who_denied(s, of="Nobody At All"),
            UnknownActor,
            "--of: no actor is called 'Nobody At All'; add it first with `factdb actor add`",
        ),
        (
            lambda s: who_denied(s, topic="Crimea"),
            NotFound,
            "--topic: there is no topic called 'Crimea'",
        ),
        (
            lambda s: who_denied(s, since="2020-10-32"),
            InvalidInput,
            "--since: '2020-10-32' is not a real date",
        ),
        (
            lambda s: who_denied(s, since="2021", until="2020"),
            InvalidInput,
            "--until: 2020 is before --since 2021",
        ),
        (lambda s: who_denied(s, 999), NotFound, "ID: there is no statement #999"),
        (
            lambda s: who_denied(s, "abc"),
            InvalidInput,
            "ID: 'abc' is not a statement id (use 12 or #12)",
        ),
        (
            lambda s: response_query(s, "claim"),
            InvalidInput,
            "--kind: 'claim' is not one of denial, dispute, endorsement, admission, "
            "retraction, fact_check",
        ),
        (
            lambda s: who_denied(s, search="*"),
            InvalidInput,
            "--search: give at least one word (letters or digits) to search for",
        ),
        (
            lambda s: timeline(s, actor="Atlantis"),
            UnknownActor,
            "--actor: no actor is called 'Atlantis'; add it first with `factdb actor add`",
        ),
        (lambda s: alignment(s, " "), InvalidInput, "--topic: give the topic to compare actors on"),
        (
            lambda s: search(s, "truce", kind="rumour"),
            InvalidInput,
            "--kind: 'rumour' is not one of claim, denial, dispute, endorsement, admission, "
            "retraction, fact_check",
        ),
    ]
    fields = {
        "--by:": "by:",
        "--of:": "of:",
        "--topic:": "topic:",
        "--since:": "since:",
        "--until: 2020 is before --since": "until: 2020 is before since",
        "--actor:": "actor:",
        "--search:": "search:",
        "--kind:": "kind:",
    }
    for work, error, message in cases:
        with pytest.raises(error) as raised:
            read(database, work)
        assert flagged(raised.value) == message
        flag = next((flag for flag in fields if message.startswith(flag)), None)
        library = message if flag is None else fields[flag] + message[len(flag) :]
        assert str(raised.value) == library


# ----------------------------------------------------------------------------- search


def test_search_ranks_marks_and_ignores_diacritics(
    database: Database, example: dict[str, int]
) -> None:
    rows = read(database, lambda s: search(s, "HUMANITARIAN truce"))
    assert [(row["id"], row["rank"]) for row in rows] == [
        (example["nk-humanitarian-truce"], 1),
        (example["nk-humanitarian-truce-azerbaijan"], 2),
    ] or [(row["id"], row["rank"]) for row in rows] == [
        (example["nk-humanitarian-truce-azerbaijan"], 1),
        (example["nk-humanitarian-truce"], 2),
    ]
    first = next(row for row in rows if row["id"] == example["nk-humanitarian-truce"])
    assert first == {
        "id": example["nk-humanitarian-truce"],
        "kind": "claim",
        "actor": "Ministry of Foreign Affairs of Armenia",
        "date": "2020-10-17",
        "text": "Armenia and Azerbaijan will observe a humanitarian truce from midnight",
        "quote": "humanitarian truce",
        "snippet": "Armenia and Azerbaijan will observe a «humanitarian» «truce» from midnight",
        "rank": first["rank"],
    }
    write(
        database,
        lambda s: add_claim(s, "Vučić met Əliyev in Bakı", "Armenia", date="2021-05-01"),
    )
    for query, snippet in (
        ("vucic", "«Vučić» met Əliyev in Bakı"),
        ("VUČIĆ", "«Vučić» met Əliyev in Bakı"),
        ("Vuč", "«Vučić» met Əliyev in Bakı"),
        ("bakı", "Vučić met Əliyev in «Bakı»"),
    ):
        found = read(database, lambda s, q=query: search(s, q))
        assert [row["snippet"] for row in found] == [snippet], query
    by_pakistan = read(database, lambda s: search(s, "Azerbaijan", by="Pakistan"))
    assert sorted(row["id"] for row in by_pakistan) == [
        example["nk-pakistan-self-defence"],
        example["nk-imran-khan-stands-with-azerbaijan"],
    ]
    only_claims = read(database, lambda s: search(s, "Azerbaijan", by="Pakistan", kind="claim"))
    assert [row["id"] for row in only_claims] == [example["nk-pakistan-self-defence"]]
    assert len(read(database, lambda s: search(s, "Azerbaijan", limit=2))) == 2


HOSTILE = [
    ('"humanitarian truce"', ["nk-humanitarian-truce", "nk-humanitarian-truce-azerbaijan"]),
    ("truce*", ["nk-humanitarian-truce", "nk-humanitarian-truce-azerbaijan"]),
    ("-truce", ["nk-humanitarian-truce", "nk-humanitarian-truce-azerbaijan"]),
    ("truce NEAR midnight", []),
    ("truce OR ganja", []),
    ("ganja AND", ["nk-ganja-strike"]),
    ("(ganja", ["nk-ganja-strike"]),
    ("ganja)", ["nk-ganja-strike"]),
    ("ganja' OR 1=1 --", []),
    ("NOT ganja", []),
    ("gan:ganja ^ganja {ganja}", ["nk-ganja-strike"]),
    ("'ganja':* & !x", []),
]


@pytest.mark.parametrize(("query", "expected"), HOSTILE)
def test_search_input_is_data(
    database: Database, example: dict[str, int], query: str, expected: list[str]
) -> None:
    rows = read(database, lambda s: search(s, query))
    ids = {example[ref] for ref in expected}
    assert {row["id"] for row in rows} == ids


@pytest.mark.parametrize("query", ["", "   ", '"', "*", "-", "()", "((", '"*"', "&|!:", "__"])
def test_search_without_words_says_so(
    database: Database, example: dict[str, int], query: str
) -> None:
    with pytest.raises(InvalidInput) as raised:
        read(database, lambda s: search(s, query))
    assert str(raised.value) == "TEXT: give at least one word (letters or digits) to search for"


def test_search_follows_edits_and_deletes(database: Database, example: dict[str, int]) -> None:
    from factdb.record.statements import edit_statement

    ganja = example["nk-ganja-strike"]
    write(database, lambda s: edit_statement(s, ganja, text="A missile hit Mingecevir"))
    assert read(database, lambda s: search(s, "ganja")) == []
    assert [r["id"] for r in read(database, lambda s: search(s, "mingecevir"))] == [ganja]
    write(database, lambda s: delete_statement(s, ganja))
    assert read(database, lambda s: search(s, "mingecevir")) == []


def test_the_example_answers_the_same_imported_or_typed_in(database: Database) -> None:
    """Import (bulk writes) and the logging library (ORM writes) feed the queries alike."""

    def answers(session: Session) -> Any:
        ids = refs(session)
        ref_of = {number: ref for ref, number in ids.items()}
        return (
            [
                (ref_of[r["denial_id"]], r["on_behalf_of"])
                for r in who_denied(session, by="Pakistan")
            ],
            [(r["ref"], r["status"]) for r in list_claims(session)],
            [(ref_of[r["id"]], r["snippet"]) for r in search(session, "truce")],
            [(r["actor"], r["position"]) for r in positions(session, ids["nk-special-forces"])],
        )

    write(database, load_example)
    imported = read(database, answers)
    write(database, _wipe)
    write(database, log_example)
    assert read(database, answers) == imported


def _wipe(session: Session) -> None:
    from sqlalchemy import delete

    from factdb.store.models import Base

    for table in reversed(Base.metadata.sorted_tables):
        session.execute(delete(table))


def test_search_skips_any_number_of_deleted_best_matches(database: Database) -> None:
    def work(session: Session) -> list[int]:
        add_actor(session, "Ruritania", "state")
        ids = [add_claim(session, "The ferry sank", "Ruritania").id for _ in range(40)]
        for number in ids[:38]:
            delete_statement(session, number)
        return ids

    ids = write(database, work)
    found = read(database, lambda s: search(s, "ferry", limit=1))
    assert [row["id"] for row in found] == [ids[38]]
    assert [row["id"] for row in read(database, lambda s: search(s, "ferry"))] == ids[38:]


def test_search_puts_whole_words_before_longer_words(
    database: Database, example: dict[str, int]
) -> None:
    rows = read(database, lambda s: search(s, "pakistan"))
    assert {row["id"] for row in rows[:2]} == {
        example["nk-pakistan-self-defence"],
        example["nk-imran-khan-stands-with-azerbaijan"],
    }
    assert [(row["id"], row["rank"], row["snippet"]) for row in rows[2:]] == [
        (
            example["nk-special-forces"],
            3,
            "«Pakistani» special forces are fighting alongside the Azerbaijani army",
        )
    ]
    limited = read(database, lambda s: search(s, "pakistan", by="Pakistan", limit=1))
    assert len(limited) == 1 and limited[0]["id"] in {
        example["nk-pakistan-self-defence"],
        example["nk-imran-khan-stands-with-azerbaijan"],
    }


# ----------------------------------------------------------------------------- retractions


@pytest.fixture
def retracted(database: Database) -> dict[str, int]:
    """The prime minister's claim, endorsed by the ministry, whose endorsement the state
    retracts for it."""

    def work(session: Session) -> dict[str, int]:
        add_actor(session, "Armenia", "state")
        add_actor(session, "Nikol Pashinyan", "person", member_of="Armenia")
        add_actor(session, "Armenian MoD", "ministry", member_of="Armenia")
        claim = add_claim(session, "X", "Nikol Pashinyan", date="2020-10-01").id
        endorsement = add_response(
            session, "endorsement", claim, "Armenian MoD", date="2020-10-02"
        ).id
        retraction = add_response(
            session, "retraction", endorsement, "Armenia", date="2020-10-03"
        ).id
        return {"claim": claim, "endorsement": endorsement, "retraction": retraction}

    return dict(write(database, work))


def _positions(database: Database, claim: int, **options: Any) -> list[tuple[str, str, list[int]]]:
    rows = read(database, lambda s: positions(s, claim, **options))
    return [(row["actor"], row["position"], row["via"]) for row in rows]


def test_a_retracted_endorsement_no_longer_counts(
    database: Database, retracted: dict[str, int]
) -> None:
    claim, endorsement, retraction = (
        retracted["claim"],
        retracted["endorsement"],
        retracted["retraction"],
    )
    assert _positions(database, claim) == [
        ("Nikol Pashinyan", "supports", [claim]),
        ("Armenian MoD", "withdrawn", [retraction]),
        ("Armenia", "withdrawn", [retraction]),
    ]
    assert read(database, lambda s: statuses(s, [claim])) == {claim: "unanswered"}
    assert [row["status"] for row in read(database, lambda s: list_claims(s))] == ["unanswered"]
    assert (
        read(database, lambda s: list_claims(s, endorsed_by="Armenian MoD", status="endorsed"))
        == []
    )
    # before the retraction the endorsement stood
    assert _positions(database, claim, as_of="2020-10-02") == [
        ("Nikol Pashinyan", "supports", [claim]),
        ("Armenian MoD", "supports", [endorsement]),
    ]
    assert read(database, lambda s: statuses(s, [claim], as_of="2020-10-02")) == {claim: "endorsed"}


def test_roll_up_keeps_a_members_live_stance_past_anothers_withdrawal(
    database: Database, retracted: dict[str, int]
) -> None:
    assert _positions(database, retracted["claim"], roll_up=True) == [
        ("Armenia", "supports", [retracted["claim"]]),
    ]
    assert _positions(database, retracted["claim"], roll_up=True, as_of="2020-10-02") == [
        ("Armenia", "supports", [retracted["claim"], retracted["endorsement"]]),
    ]


def test_a_retracted_claim_withdraws_only_its_author(
    database: Database, retracted: dict[str, int]
) -> None:
    def work(session: Session) -> dict[str, int]:
        add_actor(session, "Azerbaijan", "state")
        ids = {"claim": add_claim(session, "Y", "Nikol Pashinyan", date="2020-11-01").id}
        ids["denial"] = add_response(
            session, "denial", ids["claim"], "Azerbaijan", date="2020-11-02"
        ).id
        ids["withdrawal"] = add_response(
            session, "retraction", ids["claim"], "Nikol Pashinyan", date="2020-11-03"
        ).id
        return ids

    ids = write(database, work)
    assert _positions(database, ids["claim"]) == [
        ("Nikol Pashinyan", "withdrawn", [ids["withdrawal"]]),
        ("Azerbaijan", "opposes", [ids["denial"]]),
    ]
    assert _positions(database, ids["claim"], roll_up=True) == [
        ("Armenia", "withdrawn", [ids["withdrawal"]]),
        ("Azerbaijan", "opposes", [ids["denial"]]),
    ]
    assert read(database, lambda s: statuses(s, [ids["claim"]])) == {ids["claim"]: "retracted"}
    assert read(database, lambda s: statuses(s, [ids["claim"]], as_of="2020-11-02")) == {
        ids["claim"]: "denied"
    }
    assert _positions(database, ids["claim"], as_of="2020-11-02") == [
        ("Nikol Pashinyan", "supports", [ids["claim"]]),
        ("Azerbaijan", "opposes", [ids["denial"]]),
    ]


def test_another_live_stance_outlasts_a_withdrawal(
    database: Database, retracted: dict[str, int]
) -> None:
    def work(session: Session) -> dict[str, int]:
        add_actor(session, "Azerbaijan", "state")
        claim = retracted["claim"]
        denial = add_response(session, "denial", claim, "Azerbaijan", date="2020-10-04").id
        dispute = add_response(session, "dispute", claim, "Azerbaijan", date="2020-10-05").id
        withdrawal = add_response(
            session, "retraction", dispute, "Azerbaijan", date="2020-10-06"
        ).id
        again = add_response(session, "endorsement", claim, "Armenian MoD", date="2020-10-07").id
        return {"denial": denial, "withdrawal": withdrawal, "again": again}

    ids = write(database, work)
    assert _positions(database, retracted["claim"]) == [
        ("Nikol Pashinyan", "supports", [retracted["claim"]]),
        ("Armenian MoD", "supports", [ids["again"]]),
        ("Armenia", "withdrawn", [retracted["retraction"]]),
        ("Azerbaijan", "opposes", [ids["denial"]]),
    ]
    assert read(database, lambda s: statuses(s, [retracted["claim"]])) == {
        retracted["claim"]: "contested"
    }


def test_retracting_a_retraction_restores_what_it_withdrew(
    database: Database, retracted: dict[str, int]
) -> None:
    undo = write(
        database,
        lambda s: (
            add_response(s, "retraction", retracted["retraction"], "Armenia", date="2020-10-04").id
        ),
    )
    assert _positions(database, retracted["claim"]) == [
        ("Nikol Pashinyan", "supports", [retracted["claim"]]),
        ("Armenian MoD", "supports", [retracted["endorsement"]]),
    ]
    assert read(database, lambda s: statuses(s, [retracted["claim"]])) == {
        retracted["claim"]: "endorsed"
    }
    assert _positions(database, retracted["claim"], as_of="2020-10-03") == [
        ("Nikol Pashinyan", "supports", [retracted["claim"]]),
        ("Armenian MoD", "withdrawn", [retracted["retraction"]]),
        ("Armenia", "withdrawn", [retracted["retraction"]]),
    ]
    assert undo > retracted["retraction"]


def test_deleted_claims_show_the_status_they_would_have_if_restored(
    database: Database, thread: dict[str, int]
) -> None:
    write(database, lambda s: delete_statement(s, thread["claim"], cascade=True))
    assert read(database, lambda s: list_claims(s)) == []
    listed = read(database, lambda s: list_claims(s, include_deleted=True))
    assert [(row["id"], row["deleted"], row["status"]) for row in listed] == [
        (thread["claim"], True, "contested")
    ]
    contested = read(database, lambda s: list_claims(s, include_deleted=True, status="contested"))
    assert [row["id"] for row in contested] == [thread["claim"]]
    assert read(database, lambda s: statuses(s, [thread["claim"]])) == {}


def test_timeline_by_and_its_old_name_actor(database: Database, example: dict[str, int]) -> None:
    by = read(database, lambda s: timeline(s, by="Pakistan", until="2020-10-17"))
    assert [row["ref"] for row in by] == [
        "nk-special-forces-rejected",
        "nk-pakistan-self-defence",
    ]
    assert read(database, lambda s: timeline(s, actor="Pakistan", until="2020-10-17")) == by
    with pytest.raises(UnknownActor, match=r"^by: no actor is called 'Atlantis'"):
        read(database, lambda s: timeline(s, by="Atlantis"))
    with pytest.raises(InvalidInput, match=r"^actor: is the old name of by; give one of them$"):
        read(database, lambda s: timeline(s, by="Pakistan", actor="Armenia"))

"""The report model: plain data for the claim, topic and actor reports of the worked example,
on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from factdb.cli.common import flagged
from factdb.errors import InvalidInput, NotFound, UnknownActor
from factdb.record.statements import add_claim, add_response, delete_statement
from factdb.reports.model import actor_report, claim_report, topic_report
from factdb.store.db import Database
from factdb.store.models import Statement
from tests.reports_example import load_example

TOPIC = "Nagorno-Karabakh 2020"
ARTICLE = "https://example.org/news/2020/10/18/pakistan-rejects-armenian-claim"


@pytest.fixture
def example(database: Database) -> Database:
    database.run(load_example, write=True)
    return database


def ref_id(database: Database, ref: str) -> int:
    found = database.run(lambda s: s.scalar(select(Statement.id).where(Statement.ref == ref)))
    assert isinstance(found, int)
    return found


def test_claim_report_of_the_special_forces_claim(example: Database) -> None:
    claim_id = ref_id(example, "nk-special-forces")
    denial_id = ref_id(example, "nk-special-forces-rejected")
    report = example.run(lambda s: claim_report(s, claim_id))
    assert json.loads(json.dumps(report)) == report  # JSON types only
    assert report["report"] == "claim"
    assert report["as_of"] is None and report["roll_up"] is False
    assert report["status"] == "denied"
    claim = report["claim"]
    assert claim["id"] == claim_id
    assert claim["actor"] == "Nikol Pashinyan"
    assert [org["name"] for org in claim["on_behalf_of"]] == ["Armenia"]
    assert claim["date"] == "2020-10"
    assert claim["text"] == "Pakistani special forces are fighting alongside the Azerbaijani army"
    assert claim["about"] == ["Pakistan", "Azerbaijan"]
    assert claim["topics"] == [TOPIC]
    assert claim["sources"] == [
        {
            "url": ARTICLE,
            "outlet": "Example News (worked example)",
            "title": (
                "Pakistan rejects Armenian claim; PM felicitates Azerbaijan on Independence Day"
            ),
            "published": "2020-10-18",
            "locator": "paragraph 4",
        }
    ]
    [denial] = report["thread"]
    assert denial["id"] == denial_id
    assert denial["kind"] == "denial"
    assert denial["actor"] == "Ministry of Foreign Affairs of Pakistan"
    assert [org["name"] for org in denial["on_behalf_of"]] == ["Pakistan"]
    assert denial["quote"] == "baseless and unwarranted"
    assert denial["date"] == "2020-10-17"
    assert denial["depth"] == 1 and denial["responses"] == []
    assert [(p["actor"], p["position"], p["via"]) for p in report["positions"]] == [
        ("Nikol Pashinyan", "supports", [claim_id]),
        ("Ministry of Foreign Affairs of Pakistan", "opposes", [denial_id]),
    ]
    assert report["summary"] == {
        "supports": ["Nikol Pashinyan"],
        "opposes": ["Ministry of Foreign Affairs of Pakistan"],
        "questions": [],
        "concedes": [],
        "withdrawn": [],
        "verdicts": [],
    }


def test_roll_up_reports_states(example: Database) -> None:
    claim_id = ref_id(example, "nk-special-forces")
    report = example.run(lambda s: claim_report(s, claim_id, roll_up=True))
    assert report["roll_up"] is True
    assert [(p["actor"], p["position"]) for p in report["positions"]] == [
        ("Armenia", "supports"),
        ("Pakistan", "opposes"),
    ]


def test_as_of_leaves_out_later_answers(example: Database) -> None:
    claim_id = ref_id(example, "nk-special-forces")
    before = example.run(lambda s: claim_report(s, claim_id, as_of="2020-10-16"))
    assert before["as_of"] == "2020-10-16"
    assert before["thread"] == []
    assert before["status"] == "unanswered"
    on_the_day = example.run(lambda s: claim_report(s, f"#{claim_id}", as_of="2020-10-17"))
    assert [n["quote"] for n in on_the_day["thread"]] == ["baseless and unwarranted"]
    assert on_the_day["status"] == "denied"


def test_nested_threads_and_deleted_answers(example: Database) -> None:
    claim_id = ref_id(example, "nk-special-forces")
    denial_id = ref_id(example, "nk-special-forces-rejected")

    def answer(session: Session) -> None:
        add_response(
            session,
            "denial",
            denial_id,
            by="Armenia",
            text="The denial is false",
            date="2020-10-19",
        )

    example.run(answer, write=True)
    report = example.run(lambda s: claim_report(s, claim_id))
    [denial] = report["thread"]
    [counter] = denial["responses"]
    assert (counter["kind"], counter["actor"], counter["depth"]) == ("denial", "Armenia", 2)
    assert counter["responds_to"] == denial_id
    positions = {p["actor"]: p["position"] for p in report["positions"]}
    assert positions["Armenia"] == "supports"  # denying a denial supports the claim


def test_topic_report(example: Database) -> None:
    report = example.run(lambda s: topic_report(s, "nagorno-karabakh 2020"))
    assert json.loads(json.dumps(report)) == report
    assert report["topic"] == TOPIC
    assert report["summary"] == {
        "claims": 9,
        "denials": 3,
        "disputes": 0,
        "endorsements": 3,
        "admissions": 1,
        "retractions": 0,
        "fact_checks": 1,
        "unanswered": 2,
    }
    by_ref = {block["claim"]["ref"]: block for block in report["claims"]}
    assert len(by_ref) == 9
    assert by_ref["nk-special-forces"]["status"] == "denied"
    assert by_ref["nk-azerbaijani-gains"]["status"] == "admitted"
    assert by_ref["nk-pakistan-self-defence"]["status"] == "endorsed"
    assert by_ref["nk-ceasefire-broken-by-azerbaijan"]["status"] == "denied"
    assert by_ref["nk-ceasefire-broken-by-armenia"]["status"] == "denied"
    assert by_ref["nk-ganja-strike"]["status"] == "unanswered"
    verdicts = by_ref["nk-casualties"]["summary"]["verdicts"]
    assert [(v["actor"], v["verdict"]) for v in verdicts] == [("Example Fact Check", "mostly_true")]
    dates = [block["claim"]["date"] for block in report["claims"]]
    assert dates == sorted(dates)  # date order (all known here)
    ministries = {
        (row["actor_a"], row["actor_b"]): (row["same"], row["opposite"])
        for row in report["alignment"]
    }
    assert ministries[
        ("Ministry of Foreign Affairs of Armenia", "Ministry of Foreign Affairs of Azerbaijan")
    ] == (1, 2)


def test_topic_as_of_leaves_out_later_claims(example: Database) -> None:
    report = example.run(lambda s: topic_report(s, TOPIC, as_of="2020-10-11"))
    refs = [block["claim"]["ref"] for block in report["claims"]]
    # "2020-10" counts from the first of the month (the agreed --as-of rule)
    assert refs == [
        "nk-special-forces",
        "nk-azerbaijani-gains",
        "nk-moscow-ceasefire",
        "nk-ceasefire-broken-by-azerbaijan",
        "nk-ceasefire-broken-by-armenia",
    ]
    assert report["summary"] == {
        "claims": 5,
        "denials": 2,
        "disputes": 0,
        "endorsements": 0,
        "admissions": 1,
        "retractions": 0,
        "fact_checks": 0,
        "unanswered": 2,
    }
    special = report["claims"][0]
    assert special["thread"] == [] and special["status"] == "unanswered"


def test_actor_report_rolls_up_members(example: Database) -> None:
    report = example.run(lambda s: actor_report(s, "pakistan"))
    assert json.loads(json.dumps(report)) == report
    assert report["actor"]["name"] == "Pakistan"
    assert report["counted"] == ["Imran Khan", "Ministry of Foreign Affairs of Pakistan"]
    assert [e["ref"] for e in report["claimed"]] == ["nk-pakistan-self-defence"]
    assert report["claimed"][0]["status"] == "endorsed"
    [denial] = report["denied"]
    assert denial["quote"] == "baseless and unwarranted"
    assert denial["answers"]["actor"] == "Nikol Pashinyan"
    assert [e["actor"] for e in report["endorsed"]] == ["Imran Khan"]
    assert report["admitted"] == [] and report["disputed"] == []
    assert [b["claim"]["ref"] for b in report["about"]] == ["nk-special-forces"]
    direct = example.run(lambda s: actor_report(s, "Pakistan", direct=True))
    assert direct["counted"] == [] and direct["denied"] == [] and direct["claimed"] == []
    assert [b["claim"]["ref"] for b in direct["about"]] == ["nk-special-forces"]


def test_actor_report_of_armenia_shows_its_admission(example: Database) -> None:
    report = example.run(lambda s: actor_report(s, "Armenia"))
    [admission] = report["admitted"]
    assert admission["answers"]["text"] == (
        "Azerbaijani forces have made important gains along the front"
    )
    refs = {e["ref"] for e in report["claimed"]}
    assert refs == {
        "nk-special-forces",
        "nk-ceasefire-broken-by-azerbaijan",
        "nk-humanitarian-truce",
    }


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda s: claim_report(s, 999), NotFound, "ID: there is no statement #999"),
        (
            lambda s: claim_report(s, 1, as_of="2020-13"),
            InvalidInput,
            "as_of: '2020-13' is not a real date",
        ),
        (
            lambda s: topic_report(s, "Karabakh"),
            NotFound,
            "NAME: there is no topic called 'Karabakh'; did you mean Nagorno-Karabakh 2020?",
        ),
        (
            lambda s: actor_report(s, "Pakistn"),
            UnknownActor,
            "ACTOR: no actor is called 'Pakistn'; did you mean Pakistan?",
        ),
    ],
)
def test_report_errors(example: Database, call: Any, error: type[Exception], message: str) -> None:
    with pytest.raises(error) as caught:
        example.run(call)
    assert str(caught.value) == message


def test_deleted_answers_leave_the_report(example: Database) -> None:
    claim_id = ref_id(example, "nk-special-forces")
    denial_id = ref_id(example, "nk-special-forces-rejected")
    example.run(lambda s: delete_statement(s, denial_id), write=True)
    report = example.run(lambda s: claim_report(s, claim_id))
    assert report["thread"] == []
    assert report["status"] == "unanswered"
    topic = example.run(lambda s: topic_report(s, TOPIC))
    assert topic["summary"]["denials"] == 2
    pakistan = example.run(lambda s: actor_report(s, "Pakistan"))
    assert pakistan["denied"] == []


def test_a_claim_joins_a_topic_through_a_tagged_answer(example: Database) -> None:
    def log(session: Session) -> None:
        claim = add_claim(session, "Drones were supplied", by="Armenia", date="2020-10-20")
        add_response(
            session, "denial", claim.id, by="Azerbaijan", date="2020-10-21", topics=["Drones"]
        )

    example.run(log, write=True)
    report = example.run(lambda s: topic_report(s, "Drones"))
    [block] = report["claims"]
    assert block["claim"]["text"] == "Drones were supplied"
    assert block["claim"]["topics"] == []
    assert [n["actor"] for n in block["thread"]] == ["Azerbaijan"]
    assert report["summary"]["claims"] == 1 and report["summary"]["denials"] == 1


def test_as_of_before_a_claim_was_made(example: Database) -> None:
    claim_id = ref_id(example, "nk-special-forces")
    with pytest.raises(InvalidInput) as caught:
        example.run(lambda s: claim_report(s, claim_id, as_of="2019"))
    # the library names the field (as_of); the commands show the flag (--as-of)
    assert str(caught.value) == f"as_of: claim #{claim_id} was not made until 2020-10"
    assert flagged(caught.value) == f"--as-of: claim #{claim_id} was not made until 2020-10"
    denial_id = ref_id(example, "nk-special-forces-rejected")
    with pytest.raises(InvalidInput) as caught:
        example.run(lambda s: claim_report(s, denial_id, as_of="2020-10-16"))
    assert str(caught.value) == f"as_of: denial #{denial_id} was not made until 2020-10-17"
    undated = example.run(lambda s: add_claim(s, "Undated", "Pakistan").id, write=True)
    with pytest.raises(InvalidInput) as caught:
        example.run(lambda s: claim_report(s, undated, as_of="2021"))
    assert str(caught.value) == (
        f"as_of: claim #{undated} has no known date (as_of leaves undated statements out)"
    )
    assert flagged(caught.value) == (
        f"--as-of: claim #{undated} has no known date (--as-of leaves undated statements out)"
    )
    made = example.run(lambda s: claim_report(s, claim_id, as_of="2020-10-01"))
    assert (made["claim"]["id"], made["status"]) == (claim_id, "unanswered")
    # topic and actor reports leave out what was not yet said
    assert example.run(lambda s: topic_report(s, TOPIC, as_of="2019"))["claims"] == []
    armenia = example.run(lambda s: actor_report(s, "Armenia", as_of="2019"))
    assert (armenia["claimed"], armenia["about"], armenia["admitted"]) == ([], [], [])
    pakistan = example.run(lambda s: actor_report(s, "Pakistan", as_of="2020-10-16"))
    assert [b["claim"]["ref"] for b in pakistan["about"]] == ["nk-special-forces"]
    assert pakistan["claimed"] == [] and pakistan["denied"] == []

"""The statements library: claims, answers, fact-checks, edits, soft delete, restore, threads."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy.orm import Session

from factdb.errors import AmbiguousActor, Conflict, InvalidInput, NotFound, UnknownActor
from factdb.queries.records import statement_record
from factdb.record.actors import add_actor
from factdb.record.answer_dates import early_answers
from factdb.record.statements import (
    add_claim,
    add_fact_check,
    add_response,
    delete_statement,
    edit_statement,
    restore_statement,
    statement_thread,
    thread_records,
)
from factdb.store.db import Database

Snapshot = Callable[[], dict[str, list[tuple[Any, ...]]]]
CLAIM_TEXT = "Pakistani special forces are fighting alongside the Azerbaijani army"
SOURCE = "https://www.example.com/nagorno-karabakh-2020"


def write(database: Database, work: Callable[[Session], Any]) -> Any:
    return database.run(work, write=True)


def record_of(database: Database, work: Callable[[Session], Any]) -> dict[str, Any]:
    return dict(write(database, lambda s: statement_record(work(s))))


@pytest.fixture
def world(database: Database) -> Database:
    """The actors of the worked example."""

    def work(session: Session) -> None:
        add_actor(session, "Pakistan", "state", country="PK")
        add_actor(
            session,
            "Ministry of Foreign Affairs of Pakistan",
            "ministry",
            aliases=["Pakistan Foreign Office"],
            member_of="Pakistan",
        )
        add_actor(
            session,
            "Zahid Hafeez Chaudhri",
            "person",
            member_of="Ministry of Foreign Affairs of Pakistan",
            role="spokesman",
            start="2020-01",
            end="2020-12",
        )
        add_actor(session, "Armenia", "state", country="AM")
        add_actor(session, "Nikol Pashinyan", "person", member_of="Armenia", start="2018-05")
        add_actor(session, "Azerbaijan", "state", country="AZ")
        add_actor(session, "AFP Fact Check", "media")

    write(database, work)
    return database


def claim(database: Database, **options: Any) -> dict[str, Any]:
    options.setdefault("date", "2020-10")
    return record_of(database, lambda s: add_claim(s, CLAIM_TEXT, "Nikol Pashinyan", **options))


def refused(
    database: Database,
    snapshot: Snapshot,
    error: type[Exception],
    message: str,
    work: Callable[[Session], Any],
) -> None:
    """``work`` raises exactly ``error(message)`` and leaves every table as it was."""
    before = snapshot()
    with pytest.raises(error) as caught:
        write(database, work)
    assert str(caught.value) == message
    assert snapshot() == before


def test_a_claim_is_logged_with_everything_it_was_given(world: Database) -> None:
    record = claim(
        world,
        quote="Pakistani special forces are fighting",
        lang="en",
        about=["Pakistan", "pakistan", "Azerbaijan"],
        topics=["Nagorno-Karabakh 2020", "nagorno-karabakh  2020"],
        sources=[SOURCE, ("https://example.org/b", "para. 4")],
        note="reported by Anadolu",
        ref="nk2020-claim-1",
    )
    assert record == {
        "id": 1,
        "kind": "claim",
        "actor": "Nikol Pashinyan",
        "actor_id": 5,
        "responds_to": None,
        "text": CLAIM_TEXT,
        "quote": "Pakistani special forces are fighting",
        "lang": "en",
        "date": "2020-10",
        "about": ["Pakistan", "Azerbaijan"],
        "topics": ["Nagorno-Karabakh 2020"],
        "sources": [
            {"url": SOURCE, "outlet": None, "locator": None},
            {"url": "https://example.org/b", "outlet": None, "locator": "para. 4"},
        ],
        "verdict": None,
        "rating": None,
        "note": "reported by Anadolu",
        "ref": "nk2020-claim-1",
        "deleted": False,
    }


def test_a_denial_through_an_alias_answers_the_claim(world: Database) -> None:
    claim(world)
    record = record_of(
        world,
        lambda s: add_response(
            s,
            "denial",
            "#1",
            "pakistan foreign office",
            date="2020-10-10",
            quote="baseless and unwarranted",
            text="Pakistan has no forces in Nagorno-Karabakh",
            about=["Armenia"],
        ),
    )
    assert record == {
        "id": 2,
        "kind": "denial",
        "actor": "Ministry of Foreign Affairs of Pakistan",
        "actor_id": 2,
        "responds_to": 1,
        "text": "Pakistan has no forces in Nagorno-Karabakh",
        "quote": "baseless and unwarranted",
        "lang": None,
        "date": "2020-10-10",
        "about": ["Armenia"],
        "topics": [],
        "sources": [],
        "verdict": None,
        "rating": None,
        "note": None,
        "ref": None,
        "deleted": False,
    }


@pytest.mark.parametrize("kind", ["dispute", "endorsement", "admission"])
def test_every_kind_of_answer_can_be_logged(world: Database, kind: str) -> None:
    claim(world)
    record = record_of(world, lambda s: add_response(s, kind, 1, "Armenia"))
    assert (record["kind"], record["responds_to"], record["actor"]) == (kind, 1, "Armenia")


def test_a_fact_check_carries_a_verdict_and_the_checkers_words(world: Database) -> None:
    claim(world)
    record = record_of(
        world,
        lambda s: add_fact_check(
            s, 1, "AFP Fact Check", "Mostly-False", rating="No evidence offered", sources=[SOURCE]
        ),
    )
    assert {key: record[key] for key in ("kind", "verdict", "rating", "responds_to")} == {
        "kind": "fact_check",
        "verdict": "mostly_false",
        "rating": "No evidence offered",
        "responds_to": 1,
    }


def test_the_author_can_retract(world: Database) -> None:
    claim(world)
    record = record_of(world, lambda s: add_response(s, "retraction", 1, "Nikol Pashinyan"))
    assert (record["kind"], record["actor"]) == ("retraction", "Nikol Pashinyan")


def test_an_organization_the_author_belongs_to_can_retract(world: Database) -> None:
    claim(world)
    record = record_of(world, lambda s: add_response(s, "retraction", 1, "Armenia"))
    assert record["actor"] == "Armenia"


def test_an_affiliate_of_the_author_at_the_time_can_retract(world: Database) -> None:
    write(world, lambda s: add_claim(s, "Claim", "Pakistan", date="2020-10-01"))
    record = record_of(
        world,
        lambda s: add_response(s, "retraction", 1, "Zahid Hafeez Chaudhri", date="2020-10-02"),
    )
    assert record["actor"] == "Zahid Hafeez Chaudhri"


def test_a_former_affiliate_cannot_retract(world: Database, snapshot: Snapshot) -> None:
    write(world, lambda s: add_claim(s, "Claim", "Pakistan", date="2020-10-01"))
    refused(
        world,
        snapshot,
        InvalidInput,
        "by: only the author of #1 (Pakistan) or an actor affiliated with it can retract it; "
        "Zahid Hafeez Chaudhri is neither",
        lambda s: add_response(s, "retraction", 1, "Zahid Hafeez Chaudhri", date="2021-03"),
    )


def test_another_actor_cannot_retract(world: Database, snapshot: Snapshot) -> None:
    claim(world)
    refused(
        world,
        snapshot,
        InvalidInput,
        "by: only the author of #1 (Nikol Pashinyan) or an actor affiliated with it can "
        "retract it; Pakistan is neither",
        lambda s: add_response(s, "retraction", 1, "Pakistan"),
    )


BAD_INPUTS: list[tuple[str, type[Exception], str, Callable[[Session], Any]]] = [
    (
        "empty claim text",
        InvalidInput,
        "TEXT: must not be empty",
        lambda s: add_claim(s, "  ", "Pakistan"),
    ),
    (
        "malformed date",
        InvalidInput,
        "date: '10/10/2020' is not a date; use YYYY, YYYY-MM or YYYY-MM-DD",
        lambda s: add_claim(s, "x", "Pakistan", date="10/10/2020"),
    ),
    (
        "impossible date",
        InvalidInput,
        "date: '2020-02-30' is not a real date",
        lambda s: add_claim(s, "x", "Pakistan", date="2020-02-30"),
    ),
    (
        "unknown actor",
        UnknownActor,
        "by: no actor is called 'Pakistn'; did you mean Pakistan?",
        lambda s: add_claim(s, "x", "Pakistn"),
    ),
    (
        "unknown subject",
        UnknownActor,
        "about: no actor is called 'Narnia'; did you mean Armenia?",
        lambda s: add_claim(s, "x", "Pakistan", about=["Narnia"]),
    ),
    (
        "answering nothing",
        NotFound,
        "ID: there is no statement #99",
        lambda s: add_response(s, "denial", "#99", "Pakistan"),
    ),
    (
        "bad statement id",
        InvalidInput,
        "ID: 'one' is not a statement id (use 12 or #12)",
        lambda s: add_response(s, "denial", "one", "Pakistan"),
    ),
    (
        "verdict not known",
        InvalidInput,
        "verdict: 'maybe' is not a verdict; use one of true, mostly_true, mixed, "
        "mostly_false, false, unproven",
        lambda s: add_fact_check(s, 1, "AFP Fact Check", "maybe"),
    ),
    (
        "not an http URL",
        InvalidInput,
        "sources: 'ftp://example.com/file' is not an http(s) URL",
        lambda s: add_claim(s, "x", "Pakistan", sources=["ftp://example.com/file"]),
    ),
    (
        "duplicate ref",
        Conflict,
        "ref: 'nk-1' is already the ref of statement #1",
        lambda s: add_claim(s, "x", "Pakistan", ref="nk-1"),
    ),
    (
        "ref with a space",
        InvalidInput,
        "ref: 'nk 2' contains whitespace; use a key like nk2020-claim-1",
        lambda s: add_claim(s, "x", "Pakistan", ref="nk 2"),
    ),
    (
        "empty ref",
        InvalidInput,
        "ref: must not be empty",
        lambda s: add_claim(s, "x", "Pakistan", ref=" "),
    ),
    (
        "bad language tag",
        InvalidInput,
        "lang: 'English please' is not a language tag (use e.g. en, ur, hy, az)",
        lambda s: add_claim(s, "x", "Pakistan", lang="English please"),
    ),
    (
        "fact-check through add_response",
        InvalidInput,
        "kind: 'fact_check' is not one of denial, dispute, endorsement, admission, "
        "retraction; use add_fact_check for fact-checks",
        lambda s: add_response(s, "fact_check", 1, "Pakistan"),
    ),
    (
        "control character",
        InvalidInput,
        "quote: contains a control character (0x07)",
        lambda s: add_claim(s, "x", "Pakistan", quote="bell\a"),
    ),
]


@pytest.mark.parametrize(
    ("error", "message", "work"),
    [case[1:] for case in BAD_INPUTS],
    ids=[case[0] for case in BAD_INPUTS],
)
def test_bad_input_is_refused_and_nothing_is_written(
    world: Database,
    snapshot: Snapshot,
    error: type[Exception],
    message: str,
    work: Callable[[Session], Any],
) -> None:
    claim(world, ref="nk-1")
    refused(world, snapshot, error, message, work)


def test_an_ambiguous_actor_is_refused(world: Database, snapshot: Snapshot) -> None:
    write(world, lambda s: add_actor(s, "Foreign Office of Armenia", "ministry", aliases=["FO"]))
    write(world, lambda s: add_actor(s, "Foreign Office of Azerbaijan", "ministry", aliases=["FO"]))
    refused(
        world,
        snapshot,
        AmbiguousActor,
        "by: 'FO' could be any of: Foreign Office of Armenia (#8), "
        "Foreign Office of Azerbaijan (#9); give the full name",
        lambda s: add_claim(s, "x", "FO"),
    )


def test_a_deleted_statement_cannot_be_answered(world: Database, snapshot: Snapshot) -> None:
    claim(world)
    write(world, lambda s: delete_statement(s, 1))
    refused(
        world,
        snapshot,
        InvalidInput,
        "ID: statement #1 is deleted; restore it first with `factdb restore 1`",
        lambda s: add_response(s, "denial", 1, "Pakistan"),
    )


def test_an_answer_dated_before_what_it_answers_is_kept_and_named(world: Database) -> None:
    claim(world)  # 2020-10
    denial = record_of(world, lambda s: add_response(s, "denial", 1, "Pakistan", date="2020-09-30"))
    assert denial["date"] == "2020-09-30"
    named = "#2 (2020-09-30) is dated before #1 (2020-10), which it answers"
    assert write(world, lambda s: early_answers(s, 2)) == [named]
    assert write(world, lambda s: early_answers(s)) == [named]
    # re-dating the claim into September: nothing is left before it
    write(world, lambda s: edit_statement(s, 1, date="2020-09"))
    assert write(world, lambda s: early_answers(s, 1)) == []
    # re-dating it after its answer is kept as well, and named from either side
    edited = record_of(world, lambda s: edit_statement(s, 1, date="2020-11"))
    assert edited["date"] == "2020-11"
    later = "#2 (2020-09-30) is dated before #1 (2020-11), which it answers"
    assert write(world, lambda s: early_answers(s, 1)) == [later]
    assert write(world, lambda s: early_answers(s, 2)) == [later]
    write(world, lambda s: delete_statement(s, 2))
    assert write(world, lambda s: early_answers(s)) == []


# ----------------------------------------------------------------------------- editing


def test_edit_changes_fields_and_links(world: Database) -> None:
    claim(world, about=["Pakistan"], topics=["Karabakh"], sources=[SOURCE], note="old")
    record = record_of(
        world,
        lambda s: edit_statement(
            s,
            "#1",
            text="Pakistani special forces fight in Karabakh",
            quote="special forces",
            lang="en",
            date="2020-10-09",
            note="",
            ref="nk-1",
            add_about=["Azerbaijan"],
            remove_about=["Pakistan"],
            add_topics=["Ganja"],
            remove_topics=["karabakh"],
            add_sources=[("https://example.org/b", "p. 2")],
            remove_sources=[SOURCE],
        ),
    )
    assert {key: record[key] for key in record if key not in ("actor", "actor_id")} == {
        "id": 1,
        "kind": "claim",
        "responds_to": None,
        "text": "Pakistani special forces fight in Karabakh",
        "quote": "special forces",
        "lang": "en",
        "date": "2020-10-09",
        "about": ["Azerbaijan"],
        "topics": ["Ganja"],
        "sources": [{"url": "https://example.org/b", "outlet": None, "locator": "p. 2"}],
        "verdict": None,
        "rating": None,
        "note": None,
        "ref": "nk-1",
        "deleted": False,
    }


def test_edit_changes_a_fact_checks_verdict(world: Database) -> None:
    claim(world)
    write(world, lambda s: add_fact_check(s, 1, "AFP Fact Check", "false", rating="Fake"))
    record = record_of(world, lambda s: edit_statement(s, 2, verdict="unproven", rating=""))
    assert (record["verdict"], record["rating"]) == ("unproven", None)


def test_edit_can_make_a_date_unknown(world: Database) -> None:
    claim(world)
    assert record_of(world, lambda s: edit_statement(s, 1, date=""))["date"] is None


BAD_EDITS: list[tuple[str, type[Exception], str, Callable[[Session], Any]]] = [
    (
        "verdict on a claim",
        InvalidInput,
        "verdict: only fact-checks have a verdict; #1 is a claim",
        lambda s: edit_statement(s, 1, verdict="false"),
    ),
    (
        "rating on a denial",
        InvalidInput,
        "rating: only fact-checks have a verdict; #2 is a denial",
        lambda s: edit_statement(s, 2, rating="Fake"),
    ),
    (
        "unknown verdict",
        InvalidInput,
        "verdict: 'sort of' is not a verdict; use one of true, mostly_true, mixed, "
        "mostly_false, false, unproven",
        lambda s: edit_statement(s, 3, verdict="sort of"),
    ),
    (
        "empty claim text",
        InvalidInput,
        "text: must not be empty",
        lambda s: edit_statement(s, 1, text=""),
    ),
    (
        "nothing",
        InvalidInput,
        "nothing to change: give at least one option, such as text",
        lambda s: edit_statement(s, 1),
    ),
    (
        "remove a subject it lacks",
        InvalidInput,
        "remove_about: #1 is not about Azerbaijan",
        lambda s: edit_statement(s, 1, remove_about=["Azerbaijan"], text="changed"),
    ),
    (
        "remove a topic it lacks",
        InvalidInput,
        "remove_topics: #1 has no topic 'Ganja'",
        lambda s: edit_statement(s, 1, remove_topics=["Ganja"]),
    ),
    (
        "remove a source it lacks",
        InvalidInput,
        "remove_sources: #1 does not cite https://example.org/none",
        lambda s: edit_statement(s, 1, remove_sources=["https://example.org/none"]),
    ),
    (
        "a ref another statement has",
        Conflict,
        "ref: 'nk-1' is already the ref of statement #1",
        lambda s: edit_statement(s, 2, ref="nk-1"),
    ),
    (
        "no statement",
        NotFound,
        "ID: there is no statement #42",
        lambda s: edit_statement(s, 42, text="x"),
    ),
]


@pytest.mark.parametrize(
    ("error", "message", "work"),
    [case[1:] for case in BAD_EDITS],
    ids=[case[0] for case in BAD_EDITS],
)
def test_bad_edits_are_refused_and_nothing_is_written(
    world: Database,
    snapshot: Snapshot,
    error: type[Exception],
    message: str,
    work: Callable[[Session], Any],
) -> None:
    claim(world, ref="nk-1")
    write(world, lambda s: add_response(s, "denial", 1, "Pakistan", date="2020-10-10"))
    write(world, lambda s: add_fact_check(s, 1, "AFP Fact Check", "false"))
    refused(world, snapshot, error, message, work)


# ----------------------------------------------------------------------------- delete, restore


def thread_of(database: Database) -> Callable[..., Any]:
    def add(kind: str, to: int, by: str = "Pakistan", date: str | None = None) -> int:
        statement = write(database, lambda s: add_response(s, kind, to, by, date=date))
        return int(statement.id)

    return add


def test_delete_refuses_a_statement_that_is_answered(world: Database, snapshot: Snapshot) -> None:
    claim(world)
    answer = thread_of(world)
    answer("denial", 1)
    answer("dispute", 1)
    refused(
        world,
        snapshot,
        Conflict,
        "ID: #1 is answered by #2, #3; delete those first or use cascade to delete the "
        "whole thread below it",
        lambda s: delete_statement(s, 1),
    )


def test_delete_cascade_restore_round_trip(world: Database) -> None:
    claim(world)
    answer = thread_of(world)
    answer("denial", 1)  # 2
    answer("denial", 2, "Nikol Pashinyan")  # 3
    answer("endorsement", 3, "Armenia")  # 4
    answer("dispute", 1, "Azerbaijan")  # 5
    assert write(world, lambda s: delete_statement(s, 5)) == [5]
    assert write(world, lambda s: delete_statement(s, "#2", cascade=True)) == [2, 3, 4]
    assert write(world, lambda s: statement_thread(s, 1))["statement"]["responses"] == []
    # Restoring #2 brings back what the cascade took with it, not #5 deleted on its own.
    assert write(world, lambda s: restore_statement(s, 2)) == [2, 3, 4]
    thread = write(world, lambda s: statement_thread(s, 1))
    assert [record["id"] for record in thread_records(thread)] == [1, 2, 3, 4]
    assert write(world, lambda s: delete_statement(s, 1, cascade=True)) == [1, 2, 3, 4]
    assert write(world, lambda s: restore_statement(s, 1)) == [1, 2, 3, 4]


def test_restore_refuses_below_a_deleted_statement(world: Database, snapshot: Snapshot) -> None:
    claim(world)
    thread_of(world)("denial", 1)
    write(world, lambda s: delete_statement(s, 2))
    write(world, lambda s: delete_statement(s, 1))
    refused(
        world,
        snapshot,
        InvalidInput,
        "ID: #2 answers #1, which is deleted; restore #1 first",
        lambda s: restore_statement(s, 2),
    )
    refused(
        world,
        snapshot,
        InvalidInput,
        "ID: statement #1 is already deleted",
        lambda s: delete_statement(s, 1),
    )
    write(world, lambda s: restore_statement(s, 1))
    refused(
        world,
        snapshot,
        InvalidInput,
        "ID: statement #1 is not deleted",
        lambda s: restore_statement(s, 1),
    )


# ----------------------------------------------------------------------------- threads


def shape(node: dict[str, Any]) -> list[Any]:
    return [node["id"], [shape(answer) for answer in node["responses"]]]


def test_the_thread_nests_answers_in_date_order_and_lists_the_chain(world: Database) -> None:
    claim(world)
    answer = thread_of(world)
    answer("denial", 1, date="2020-10-12")  # 2
    answer("dispute", 1, "Azerbaijan")  # 3: undated, so last
    answer("endorsement", 1, "Armenia", date="2020-10-11")  # 4
    answer("denial", 2, "Nikol Pashinyan", date="2020-10-13")  # 5
    answer("endorsement", 5, "Armenia", date="2020-10-14")  # 6
    answer("dispute", 2, "Azerbaijan")  # 7, deleted below
    write(world, lambda s: delete_statement(s, 7))

    whole = write(world, lambda s: statement_thread(s, 1))
    assert whole["chain"] == []
    assert shape(whole["statement"]) == [1, [[4, []], [2, [[5, [[6, []]]]]], [3, []]]]

    middle = write(world, lambda s: statement_thread(s, "#5"))
    assert [record["id"] for record in middle["chain"]] == [1, 2]
    assert middle["chain"][0] == claim_record(world)
    assert shape(middle["statement"]) == [5, [[6, []]]]
    assert set(middle["statement"]) == {*claim_record(world), "responses"}

    everything = write(world, lambda s: statement_thread(s, 2, include_deleted=True))
    assert shape(everything["statement"]) == [2, [[5, [[6, []]]], [7, []]]]


def claim_record(database: Database) -> dict[str, Any]:
    from factdb.store.models import Statement

    return dict(database.run(lambda s: statement_record(s.get_one(Statement, 1))))


def test_a_deleted_statement_is_shown_only_when_asked(world: Database) -> None:
    claim(world)
    write(world, lambda s: delete_statement(s, 1))
    with pytest.raises(NotFound) as caught:
        world.run(lambda s: statement_thread(s, 1))
    assert str(caught.value) == ("ID: statement #1 is deleted; `factdb restore 1` brings it back")
    shown = world.run(lambda s: statement_thread(s, 1, include_deleted=True))
    assert shown["statement"]["deleted"] is True

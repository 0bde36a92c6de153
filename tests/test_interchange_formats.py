"""CSV, ClaimReview and PLOVER exports."""

from __future__ import annotations

import io
import json
from importlib import resources
from typing import Any

import pytest

from factdb.interchange import (
    EXPORTERS,
    MAPPING_VERSION,
    PLOVER_MAPPING,
    claim_reviews,
    export_csv,
    import_jsonl,
)
from factdb.store.db import Database
from factdb.vocabulary import STATEMENT_KINDS

EXAMPLE = resources.files("factdb") / "data" / "nagorno-karabakh-2020.jsonl"


def load(database: Database, lines: list[str]) -> None:
    database.run(lambda s: import_jsonl(s, lines), write=True)


def load_example(database: Database) -> None:
    load(database, EXAMPLE.read_text(encoding="utf-8").splitlines())


def run_export(database: Database, fmt: str, **filters: Any) -> tuple[str, list[str]]:
    out = io.StringIO()
    warnings: list[str] = []
    database.run(lambda s: EXPORTERS[fmt](s, out, warnings, **filters))
    return out.getvalue(), warnings


def test_claimreview_of_the_worked_example(database: Database) -> None:
    load_example(database)
    reviews, skipped = database.run(lambda s: claim_reviews(s))
    assert skipped == []
    assert len(reviews) == 1
    review = reviews[0]
    assert review["@context"] == "https://schema.org"
    assert review["@type"] == "ClaimReview"
    assert review["url"] == (
        "https://factcheck.example.org/2020/10/nagorno-karabakh-casualty-figures"
    )
    assert review["claimReviewed"] == (
        "The fighting since 27 September has killed more than 700 people, "
        "including nearly 80 civilians"
    )
    assert review["datePublished"] == "2020-10-19"
    assert review["author"] == {"@type": "Organization", "name": "Example Fact Check"}
    article = "https://example.org/news/2020/10/18/pakistan-rejects-armenian-claim"
    assert review["itemReviewed"] == {
        "@type": "Claim",
        "author": {"@type": "Organization", "name": "Example News Desk"},
        "datePublished": "2020-10-18",
        "appearance": [{"@type": "CreativeWork", "url": article}],
        "firstAppearance": {"@type": "CreativeWork", "url": article},
    }
    assert review["reviewRating"] == {
        "@type": "Rating",
        "ratingValue": 4,
        "bestRating": 5,
        "worstRating": 1,
        "alternateName": "Broadly accurate, likely an undercount",
    }
    assert set(review) == {
        "@context",
        "@type",
        "url",
        "claimReviewed",
        "itemReviewed",
        "reviewRating",
        "author",
        "datePublished",
    }
    text, warnings = run_export(database, "claimreview")
    assert json.loads(text) == reviews and warnings == []


def test_claimreview_leaves_out_fact_checks_without_a_source(database: Database) -> None:
    load(
        database,
        [
            '{"factdb": 1}',
            '{"type": "actor", "name": "Vučić", "kind": "person", "country": "RS"}',
            '{"type": "actor", "name": "Checker", "kind": "organization"}',
            '{"type": "statement", "ref": "c", "kind": "claim", "by": "Vucic", "text": "T"}',
            '{"type": "statement", "ref": "f1", "kind": "fact_check", "by": "Checker", '
            '"responds_to": "c", "verdict": "unproven"}',
            '{"type": "statement", "ref": "f2", "kind": "fact_check", "by": "Checker", '
            '"responds_to": "c", "verdict": "unproven", "sources": ["https://fc.example/2"]}',
        ],
    )
    reviews, skipped = database.run(lambda s: claim_reviews(s))
    assert skipped == ["fact-check #2 (f1) has no source URL; left out of ClaimReview"]
    assert [review["url"] for review in reviews] == ["https://fc.example/2"]
    # unproven has no place on the 1-5 scale; a person is a Person
    assert reviews[0]["reviewRating"] == {"@type": "Rating", "alternateName": "unproven"}
    assert reviews[0]["itemReviewed"] == {
        "@type": "Claim",
        "author": {"@type": "Person", "name": "Vučić"},
    }
    assert "datePublished" not in reviews[0]


EVERY_KIND = [
    '{"factdb": 1}',
    '{"type": "actor", "name": "Armenia", "kind": "state", "country": "AM"}',
    '{"type": "actor", "name": "Pakistan", "kind": "state", "country": "PK"}',
    '{"type": "actor", "name": "Checker", "kind": "organization"}',
    '{"type": "statement", "ref": "claim", "kind": "claim", "by": "Armenia", "text": "C", '
    '"about": ["Pakistan"], "date": "2020-10", "sources": ["https://example.org/c"]}',
    '{"type": "statement", "ref": "denial", "kind": "denial", "by": "Pakistan", '
    '"responds_to": "claim", "quote": "baseless"}',
    '{"type": "statement", "ref": "dispute", "kind": "dispute", "by": "Pakistan", '
    '"responds_to": "claim"}',
    '{"type": "statement", "ref": "endorsement", "kind": "endorsement", "by": "Armenia", '
    '"responds_to": "denial"}',
    '{"type": "statement", "ref": "admission", "kind": "admission", "by": "Pakistan", '
    '"responds_to": "claim"}',
    '{"type": "statement", "ref": "retraction", "kind": "retraction", "by": "Armenia", '
    '"responds_to": "claim"}',
    '{"type": "statement", "ref": "fact_check", "kind": "fact_check", "by": "Checker", '
    '"responds_to": "claim", "verdict": "false"}',
]

EXPECTED_EVENTS = {
    "claim": ("ACCUSE", "allege", "112", "Armenia", "AM", "Pakistan", "PK"),
    "denial": ("REJECT", None, "120", "Pakistan", "PK", "Armenia", "AM"),
    "dispute": ("ACCUSE", "disapprove", "111", "Pakistan", "PK", "Armenia", "AM"),
    "endorsement": ("SUPPORT", None, "051", "Armenia", "AM", "Pakistan", "PK"),
    "admission": ("CONCEDE", None, "015", "Pakistan", "PK", "Armenia", "AM"),
    "retraction": ("CONCEDE", "retract", "080", "Armenia", "AM", "Armenia", "AM"),
}


def test_plover_mapping_covers_every_kind() -> None:
    assert set(PLOVER_MAPPING) == set(STATEMENT_KINDS)
    assert MAPPING_VERSION == "factdb-plover-1"
    for kind, (event_type, mode, cameo, *_rest) in EXPECTED_EVENTS.items():
        event = PLOVER_MAPPING[kind]
        assert event is not None
        assert (event.event_type, event.mode, event.cameo) == (event_type, mode, cameo)
    assert PLOVER_MAPPING["fact_check"] is None


def test_plover_export_of_every_kind(database: Database) -> None:
    load(database, EVERY_KIND)
    text, warnings = run_export(database, "plover")
    events = [json.loads(line) for line in text.splitlines()]
    assert warnings == ["1 fact-check left out: PLOVER has no event type for an assessment"]
    found = {
        event["factdb_kind"]: (
            event["event_type"],
            event["mode"],
            event["cameo"],
            event["actor"],
            event["actor_country"],
            event["recipient"],
            event["recipient_country"],
        )
        for event in events
    }
    assert found == EXPECTED_EVENTS
    assert events[0] == {
        "id": "factdb:claim",
        "date": "2020-10",
        "event_type": "ACCUSE",
        "mode": "allege",
        "actor": "Armenia",
        "actor_country": "AM",
        "recipient": "Pakistan",
        "recipient_country": "PK",
        "text": "C",
        "source": "https://example.org/c",
        "cameo": "112",
        "factdb_kind": "claim",
        "mapping": "factdb-plover-1",
    }
    assert events[1]["text"] == "baseless"


def test_csv_has_one_row_per_statement(database: Database) -> None:
    load(database, EVERY_KIND[:6])
    out = io.StringIO()
    assert database.run(lambda s: export_csv(s, out)) == 2
    assert out.getvalue() == (
        "id,ref,kind,author,responds_to,date,text,quote,lang,about,topics,sources,verdict,"
        "rating,note\n"
        "1,claim,claim,Armenia,,2020-10,C,,,Pakistan,,https://example.org/c,,,\n"
        "2,denial,denial,Pakistan,claim,,,baseless,,,,,,,\n"
    )


@pytest.mark.parametrize(
    ("filters", "refs"),
    [
        ({"by": "Pakistan"}, ["denial", "dispute", "admission"]),
        ({"since": "2020-10", "until": "2020-10"}, ["claim"]),
        ({"until": "2019"}, []),
    ],
)
def test_csv_filters(database: Database, filters: dict[str, str], refs: list[str]) -> None:
    load(database, EVERY_KIND)
    text, _ = run_export(database, "csv", **filters)
    assert [row.split(",")[1] for row in text.splitlines()[1:]] == refs

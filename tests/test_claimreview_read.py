"""Reading published fact-checks: every shape, the fields as publishers write them, and the
rating table (no database)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from factdb.errors import InvalidInput
from factdb.interchange.claimreview_fields import Review
from factdb.interchange.claimreview_ratings import (
    WORDINGS,
    Scale,
    verdict_of_wording,
    verdict_on_scale,
    wording_key,
)
from factdb.interchange.claimreview_read import Found, read_reviews

FIXTURES = Path(__file__).parent / "fixtures" / "claimreview"


def node(**fields: Any) -> dict[str, Any]:
    review: dict[str, Any] = {
        "@type": "ClaimReview",
        "url": "https://check.example.org/a",
        "claimReviewed": "Ruritania closed its borders",
        "itemReviewed": {"@type": "Claim", "author": "Ruritania"},
        "author": {"@type": "Organization", "name": "Truth Meter"},
        "reviewRating": {"@type": "Rating", "alternateName": "False"},
    }
    review.update(fields)
    return review


def reviews(data: Any) -> list[Review]:
    text = data if isinstance(data, str) else json.dumps(data)
    found = read_reviews(text)
    assert [item.problem for item in found] == [None] * len(found)
    return [item.review for item in found if item.review is not None]


def one(**fields: Any) -> Review:
    (review,) = reviews(node(**fields))
    return review


def problems(data: Any) -> list[tuple[str, str | None]]:
    text = data if isinstance(data, str) else json.dumps(data)
    return [(item.label, item.problem) for item in read_reviews(text)]


@pytest.mark.parametrize(
    ("wording", "verdict"),
    [
        ("False", "false"),
        ("Pants on Fire!", "false"),
        ("Mostly False", "mostly_false"),
        ("Half True", "mixed"),
        ("Misleading", "mostly_false"),
        ("Unproven", "unproven"),
        ("Too soon to say", "unproven"),
        ("Falso", "false"),
        ("Engañoso", "mostly_false"),
        ("Verdad a medias", "mixed"),
        ("Faux", "false"),
        ("Plutôt vrai", "mostly_true"),
        ("Trompeur", "mostly_false"),
        ("Falsch", "false"),
        ("Größtenteils falsch", "mostly_false"),
        ("Unbelegt", "unproven"),
        ("Verdadeiro", "true"),
        ("Ainda é cedo para dizer", "unproven"),
        ("Pimenta na língua", "false"),
        ("Panzana pazzesca", "false"),
        ("Onwaar", "false"),
        ("FALSE. The photo dates from 2015.", "false"),
        ("Falso: el video es de 2019", "false"),
        ("Misleading - the figures are from 2019", "mostly_false"),
        ("Satire", None),
        ("True, but misleading", None),
        ("", None),
    ],
)
def test_wording_table(wording: str, verdict: str | None) -> None:
    assert verdict_of_wording(wording) == verdict


def test_wording_table_has_no_entry_under_two_verdicts() -> None:
    seen: dict[str, str] = {}
    clashes = []
    for verdict, languages in WORDINGS.items():
        for wordings in languages.values():
            for wording in wordings:
                earlier = seen.setdefault(wording_key(wording), verdict)
                if earlier != verdict:
                    clashes.append((wording, earlier, verdict))
    assert clashes == []
    assert set(WORDINGS) == {"true", "mostly_true", "mixed", "mostly_false", "false", "unproven"}
    assert {"en", "es", "fr", "de", "pt"} <= set(WORDINGS["false"])


@pytest.mark.parametrize(
    ("scale", "verdict"),
    [
        (Scale(5, 5, 1), "true"),
        (Scale(4, 5, 1), "mostly_true"),
        (Scale(3, 5, 1), "mixed"),
        (Scale(2, 5, 1), "mostly_false"),
        (Scale(1, 5, 1), "false"),
        (Scale(1, 7, 1), "false"),
        (Scale(3, 7, 1), "mostly_false"),
        (Scale(7, 7, 1), "true"),
        (Scale(10, 10, 0), "true"),
        (Scale(1, 1, 5), "true"),  # a scale written the other way round
        (Scale(-1, 5, 1), None),  # "no rating"
        (Scale(3, 3, 3), None),
    ],
)
def test_scale(scale: Scale, verdict: str | None) -> None:
    assert verdict_on_scale(scale) == verdict


def test_a_number_on_its_scale_wins_over_the_wording() -> None:
    review = one(
        reviewRating={"ratingValue": "2", "bestRating": "5", "worstRating": "1", "name": "Bogus"}
    )
    assert (review.verdict, review.rating, review.mapped) == ("mostly_false", "Bogus", True)
    outside = one(reviewRating={"ratingValue": -1, "bestRating": 5, "worstRating": 1})
    assert (outside.verdict, outside.rating, outside.mapped) == ("unproven", None, False)


def test_a_wording_that_is_the_verdict_is_not_kept_as_the_rating() -> None:
    review = one(reviewRating={"alternateName": "mostly_true"})
    assert (review.verdict, review.rating) == ("mostly_true", None)


def test_fields_as_publishers_write_them() -> None:
    review = one(
        claimReviewed=["  Ruritania  closed its borders "],
        itemReviewed={
            "@type": "Claim",
            "author": [
                {"@type": "Person", "name": {"@value": "Marta Kovačić"}},
                {"@type": "Organization", "name": "Ruritanian Ministry of Interior"},
            ],
            "datePublished": "2021-03-02T23:30:00-05:00",
            "firstAppearance": {"@type": "CreativeWork", "url": "HTTPS://News.Example.com/a#top"},
            "appearance": ["https://news.example.com/a", {"url": "https://video.example.com/b"}],
        },
        author={
            "@type": "Organization",
            "url": "https://www.truthmeter.example.org",
            "sameAs": ["https://twitter.com/x", {"@id": "http://www.wikidata.org/entity/Q42"}],
        },
        datePublished="2021-03",
    )
    assert review.claim_text == "Ruritania  closed its borders"
    assert (review.claimant.name, review.claimant.person) == (
        "Ruritanian Ministry of Interior",
        False,
    )
    assert review.claim_date == "2021-03-02"
    assert review.appearances == ["https://news.example.com/a", "https://video.example.com/b"]
    assert (review.checker.name, review.checker.wikidata) == ("truthmeter.example.org", "Q42")
    assert review.date == "2021-03"


def test_person_and_publisher() -> None:
    review = one(
        itemReviewed={"author": {"@type": "schema:Person", "name": "Marta"}},
        author={"@type": "Person", "name": "A. Reporter"},
        publisher={"@type": "Organization", "name": "Truth Meter"},
    )
    assert (review.claimant.name, review.claimant.person) == ("Marta", True)
    assert (review.checker.name, review.checker.person) == ("Truth Meter", False)


def test_graph_references_and_labels() -> None:
    graph = {
        "@graph": [
            {"@type": "Organization", "@id": "#org", "name": "StopFake"},
            node(author={"@id": "#org"}),
            {"@type": "WebPage", "mainEntity": node(url="https://check.example.org/b")},
        ]
    }
    found = read_reviews(json.dumps(graph))
    assert [item.label for item in found] == ["item 1", "item 2"]
    assert [item.review.checker.name for item in found if item.review] == [
        "StopFake",
        "Truth Meter",
    ]


def test_datafeed_with_null_items() -> None:
    feed = {
        "@type": "DataFeed",
        "dataFeedElement": [
            None,
            {"@type": "DataFeedItem", "item": None},
            {"@type": "DataFeedItem", "item": [node()]},
            {"@type": "DataFeedItem", "item": node(url="https://check.example.org/b")},
        ],
    }
    assert [r.url for r in reviews(feed)] == [
        "https://check.example.org/a",
        "https://check.example.org/b",
    ]


def test_fact_check_tools_pages_one_after_another_are_named_by_line() -> None:
    page = (FIXTURES / "factcheck-api-page2.json").read_text(encoding="utf-8")
    compact = json.dumps(json.loads(page))
    found = read_reviews(compact + "\n" + compact + "\n")
    assert [item.label for item in found][:3] == [
        "line 1, item 1",
        "line 1, item 2",
        "line 1, item 3",
    ]
    assert found[-1].label == "line 2, item 7"
    single = read_reviews(page)
    assert [item.label for item in single] == [f"item {n}" for n in range(1, 8)]
    wheat = [item.review for item in single if item.review and "wheat" in item.review.claim_text]
    assert [(r.checker.name, r.verdict, r.rating, r.date) for r in wheat] == [
        ("Truth Meter", "mostly_true", "Mostly True", "2021-10-09"),
        ("Vrai ou Faux Hebdo", "mostly_true", "Plutôt vrai", "2021-10-11"),
    ]


def test_json_lines_name_lines() -> None:
    text = json.dumps(node()) + "\n\n" + json.dumps([node(), node(url="https://x.example/2")])
    assert [item.label for item in read_reviews(text)] == [
        "line 1",
        "line 3, item 1",
        "line 3, item 2",
    ]


def test_microdata_json() -> None:
    found = read_reviews((FIXTURES / "microdata.json").read_text(encoding="utf-8"))
    first = found[0].review
    assert first is not None
    assert (first.claimant.name, first.claimant.person, first.checker.name) == (
        "Kurt Bordmann",
        True,
        "Correctiv Beispiel",
    )
    assert (first.verdict, first.rating, first.date) == (
        "mostly_false",
        "Größtenteils falsch",
        "2022-07-02",
    )


def test_html_page_blocks_canonical_url_and_cdata() -> None:
    found = read_reviews((FIXTURES / "article-two-reviews.html").read_text(encoding="utf-8"))
    assert [(f.label, f.review.url if f.review else None) for f in found] == [
        ("item 1", "https://vraioufaux.example.fr/2022/08/espace-aerien-latverie"),
        ("item 2", "https://vraioufaux.example.fr/2022/08/espace-aerien-latverie"),
    ]


def test_problems_name_their_item() -> None:
    assert problems([node(), node(itemReviewed={"author": None}), node(datePublished="May 5")]) == [
        ("item 1", None),
        ("item 2", "itemReviewed.author: is missing (who made the claim)"),
        ("item 3", "datePublished: 'May 5' is not a date (YYYY-MM-DD, as in ISO 8601)"),
    ]
    api = {"claims": [{"text": "T", "claimReview": [{"url": "https://a.example/x"}]}]}
    assert problems(api) == [("item 1", "claimant: is missing (who made the claim)")]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ("", "the file is empty; expected"),
        ("  \n", "the file is empty; expected"),
        ("hello", "not valid JSON: Expecting value (line 1, column 1)"),
        ('{"a": 1}', "no fact-check found; expected"),
        ("[1, 2]", "no fact-check found; expected"),
        ('{"factdb": 1}\n', "no fact-check found (this is a factdb JSON Lines file"),
        ("<html><p>hi</p></html>", "no fact-check found: the HTML page has no"),
        (b"[\xff]", "line 1: not valid UTF-8 (byte 0xff at byte 2)"),
    ],
)
def test_files_that_cannot_be_read(data: str | bytes, message: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        read_reviews(data)
    assert str(caught.value).startswith(message)
    assert "\n" not in str(caught.value)


def test_every_fixture_is_read_and_the_broken_ones_name_each_problem() -> None:
    counts: dict[str, int] = {}
    for path in sorted(FIXTURES.glob("*.*")):
        if path.suffix == ".py":
            continue
        found: list[Found] = read_reviews(path.read_bytes())
        assert [f.problem for f in found] == [None] * len(found), path.name
        counts[path.name] = len(found)
    assert counts == {
        "array.json": 8,
        "article-lupa.html": 1,
        "article-two-reviews.html": 2,
        "article-webpage-graph.html": 1,
        "datacommons-feed.json": 10,
        "factcheck-api-page1.json": 9,
        "factcheck-api-page2.json": 7,
        "factdb-export.json": 1,
        "graph.jsonld": 5,
        "microdata.json": 3,
        "publishers.json": 15,
        "reviews.jsonl": 6,
    }
    assert sum(counts.values()) == 68


def test_the_readme_shows_the_wording_table_as_shipped() -> None:
    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    table = readme.split("<!-- claimreview-wordings -->\n")[1].split("\n<!--")[0]
    languages = ["en", "es", "fr", "de", "pt", "it", "nl"]
    shown: dict[str, dict[str, tuple[str, ...]]] = {}
    for row in table.splitlines()[2:]:
        cells = [cell.strip() for cell in row.strip("|").split("|")]
        shown[cells[0].strip("`")] = {
            language: tuple(cell.split(", "))
            for language, cell in zip(languages, cells[1:], strict=True)
            if cell
        }
    assert shown == WORDINGS


def test_a_publisher_without_a_name_is_named_by_its_site() -> None:
    api = {
        "claims": [
            {
                "text": "T",
                "claimant": "C",
                "claimReview": [
                    {"publisher": {"site": "www.truthmeter.example.org"}, "url": "https://a.x/1"}
                ],
            }
        ]
    }
    (review,) = reviews(api)
    assert review.checker.name == "truthmeter.example.org"
    assert one(author={"url": "https://www.check.example.org/about"}).checker.name == (
        "check.example.org"
    )
    assert problems(node(author=5)) == [
        ("item 1", "author: must be a name or an object, not a number")
    ]


def test_a_reference_that_is_not_a_string_is_no_reference() -> None:
    graph = {"@graph": [node(author={"@id": {"not": "a string"}})]}
    assert problems(graph) == [("item 1", "author: is missing (who published the review)")]


def test_json_lines_go_on_after_a_broken_line_but_not_after_a_broken_document() -> None:
    good = json.dumps(node())
    text = "\n".join([good, "{broken", good, '{"@type": "ClaimReview",', good]) + "\n"
    assert [(label, problem is None) for label, problem in problems(text)] == [
        ("line 1", True),
        ("line 2", False),
        ("line 3", True),
        ("line 4", False),
        ("line 5", True),
    ]
    assert problems(text)[1] == (
        "line 2",
        "not valid JSON: Expecting property name enclosed in double quotes (column 2)",
    )
    pretty = json.dumps(node(), indent=2)
    cut = pretty + "\n" + pretty[:-2] + "\n"  # the second document lacks its last brace
    assert problems(cut + pretty) == [
        ("line 1", None),
        ("line 34", "not valid JSON: Expecting ',' delimiter (column 1)"),
    ]

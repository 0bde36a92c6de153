"""``factdb import --format claimreview`` on both databases: factdb's own export round trip,
the fixtures (every item imported or refused by name, ratings mapped, nothing duplicated on
re-import), dry run, bad input, and imported fact-checks in the reports like typed ones."""

from __future__ import annotations

import json
from collections.abc import Callable
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
from conftest import Cli, table_rows

from factdb.interchange import claimreview_match
from factdb.interchange.claimreview_import import import_claimreview
from factdb.store.db import Database
from factdb.store.engine import dispose_engines

FIXTURES = Path(__file__).parent / "fixtures" / "claimreview"
DEMO = resources.files("factdb") / "data" / "nagorno-karabakh-2020.jsonl"
# in the order a user might gather them; the Data Commons feed repeats one review of page 1
GOOD = [
    "array.json",
    "datacommons-feed.json",
    "factcheck-api-page1.json",
    "factcheck-api-page2.json",
    "factdb-export.json",
    "graph.jsonld",
    "microdata.json",
    "publishers.json",
    "reviews.jsonl",
    "article-lupa.html",
    "article-two-reviews.html",
    "article-webpage-graph.html",
]

Snapshot = Callable[[], dict[str, list[tuple[Any, ...]]]]


def claimreview(cli: Cli, path: Path | str, *args: str, input: str | None = None) -> Any:
    result = cli("import", str(path), "-f", "claimreview", "-f", "json", *args, input=input)
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def export_of(db: str) -> str:
    result = Cli(db).ok("export", "--format", "claimreview")
    return result.stdout


def counts(summary: dict[str, Any]) -> dict[str, tuple[int, int]]:
    return {
        kind: (summary[kind]["created"], summary[kind]["unchanged"])
        for kind in ("actor", "source", "topic", "statement")
    }


# ----------------------------------------------------------------------------- round trip

RICHER = "\n".join(
    json.dumps(record)
    for record in [
        {"factdb": 1},
        {"type": "actor", "name": "Ruritania", "kind": "state"},
        {"type": "actor", "name": "Marta Kovačić", "kind": "person"},
        {"type": "actor", "name": "Truth Meter", "kind": "media"},
        {"type": "actor", "name": "Verifica Ya", "kind": "organization"},
        {
            "type": "statement",
            "ref": "c1",
            "kind": "claim",
            "by": "Marta Kovačić",
            "date": "2021-03",
            "text": "Ruritania closed its borders",
            "sources": ["https://news.example.com/a", "https://news.example.com/b"],
        },
        {"type": "statement", "ref": "c2", "kind": "claim", "by": "Ruritania", "text": "Undated"},
        {
            "type": "statement",
            "ref": "d1",
            "kind": "denial",
            "by": "Ruritania",
            "responds_to": "c1",
            "date": "2021-03-05",
            "quote": "nothing of the sort",
            "sources": ["https://news.example.com/c"],
        },
        {
            "type": "statement",
            "ref": "f1",
            "kind": "fact_check",
            "by": "Truth Meter",
            "responds_to": "c1",
            "date": "2021-03-06",
            "verdict": "false",
            "sources": ["https://truthmeter.example.org/1"],
        },
        {
            "type": "statement",
            "ref": "f2",
            "kind": "fact_check",
            "by": "Verifica Ya",
            "responds_to": "c1",
            "date": "2021-03-07",
            "verdict": "mostly_false",
            "rating": "Engañoso",
            "sources": ["https://verificaya.example.com/1"],
        },
        {
            "type": "statement",
            "ref": "f3",
            "kind": "fact_check",
            "by": "Truth Meter",
            "responds_to": "c2",
            "verdict": "unproven",
            "rating": "No evidence either way",
            "sources": ["https://truthmeter.example.org/2"],
        },
        {
            "type": "statement",
            "ref": "f4",
            "kind": "fact_check",
            "by": "Truth Meter",
            "responds_to": "d1",
            "date": "2021-03-08",
            "verdict": "unproven",
            "sources": ["https://truthmeter.example.org/3"],
        },
    ]
)


@pytest.mark.parametrize("data", ["demo", "richer"])
def test_own_export_imports_into_an_empty_database_and_exports_the_same_bytes(
    cli: Cli, db_url: str, tmp_path: Path, data: str
) -> None:
    source = tmp_path / "source.sqlite3"
    records = tmp_path / "records.jsonl"
    records.write_text(DEMO.read_text(encoding="utf-8") if data == "demo" else RICHER + "\n")
    Cli(str(source)).ok("import", str(records))
    exported = export_of(str(source))
    dispose_engines()
    path = tmp_path / "claimreview.json"
    path.write_text(exported, encoding="utf-8")
    first = claimreview(cli, path)
    assert first["reviews"] == (1 if data == "demo" else 4)
    # an unproven verdict has no number in ClaimReview: its wording is looked up
    assert first["unmapped"] == (
        [] if data == "demo" else [{"item": "item 3", "rating": "No evidence either way"}]
    )
    assert export_of(db_url) == exported
    if data == "demo":
        assert exported == (FIXTURES / "factdb-export.json").read_text(encoding="utf-8")
    # and into the database it came from: nothing new
    again = claimreview(Cli(str(source)), path)
    assert again["statement"]["created"] == 0 and again["actor"]["created"] == 0


# ----------------------------------------------------------------------------- fixtures


def test_fixtures_import_each_item_and_a_second_import_changes_nothing(
    cli: Cli, database: Database, snapshot: Snapshot, db_url: str, tmp_path: Path
) -> None:
    reviews = 0
    unmapped: list[tuple[str, dict[str, Any]]] = []
    for name in GOOD:
        result = cli("import", str(FIXTURES / name), "-f", "claimreview", "-f", "json")
        assert result.exit_code == 0, (name, result.stderr)
        summary = json.loads(result.stdout)
        reviews += summary["reviews"]
        unmapped += [(name, item) for item in summary["unmapped"]]
        for line in result.stderr.splitlines():
            assert line.startswith("warning: "), (name, line)
    assert reviews == 68
    assert unmapped == [
        ("array.json", {"item": "item 8", "rating": "Legend"}),
        ("datacommons-feed.json", {"item": "item 10", "rating": "Satire"}),
        (
            "publishers.json",
            {"item": "item 4", "rating": "Correct, but the recruitment took five years."},
        ),
    ]
    assert (reviews - len(unmapped)) / reviews >= 0.95  # 65 of 68 mapped
    rows = table_rows(database)["statements"]
    kinds = [row[1] for row in rows]
    # one review is in two files; three claims have two reviews each
    assert (kinds.count("fact_check"), kinds.count("claim")) == (67, 64)
    before = snapshot()
    for name in GOOD:
        again = claimreview(cli, FIXTURES / name)
        assert all(created == 0 for created, _ in counts(again).values()), name
        assert again["statement"]["unchanged"] > 0
    assert snapshot() == before
    # and what they became goes out and in again (to SQLite) unchanged
    exported = export_of(db_url)
    path = tmp_path / "all.json"
    path.write_text(exported, encoding="utf-8")
    other = str(tmp_path / "other.sqlite3")
    assert claimreview(Cli(other), path)["statement"] == {"created": 131, "unchanged": 0}
    assert export_of(other) == exported
    dispose_engines()


def test_counts_of_one_file_and_of_its_second_import(cli: Cli) -> None:
    first = claimreview(cli, FIXTURES / "factcheck-api-page1.json")
    assert (first["reviews"], first["lines"]) == (9, 160)
    assert counts(first) == {
        "actor": (13, 0),
        "source": (9, 0),
        "topic": (0, 0),
        "statement": (17, 0),
    }
    again = claimreview(cli, FIXTURES / "factcheck-api-page1.json")
    assert counts(again) == {
        "actor": (0, 13),
        "source": (0, 9),
        "topic": (0, 0),
        "statement": (0, 17),
    }


def test_pages_one_after_another_from_stdin(cli: Cli) -> None:
    pages = "".join(
        json.dumps(json.loads((FIXTURES / name).read_text(encoding="utf-8"))) + "\n"
        for name in ("factcheck-api-page1.json", "factcheck-api-page2.json")
    )
    summary = claimreview(cli, "-", input=pages)
    assert (summary["reviews"], summary["statement"]) == (16, {"created": 30, "unchanged": 0})


def test_dry_run_writes_nothing(cli: Cli, snapshot: Snapshot) -> None:
    before = snapshot()
    dry = claimreview(cli, FIXTURES / "array.json", "--dry-run")
    assert dry["dry_run"] is True
    assert snapshot() == before
    real = claimreview(cli, FIXTURES / "array.json")
    assert (
        counts(real)
        == counts(dry)
        == {
            "actor": (7, 0),
            "source": (11, 0),
            "topic": (0, 0),
            "statement": (15, 0),
        }
    )


def test_broken_files_name_every_problem_and_change_nothing(cli: Cli, snapshot: Snapshot) -> None:
    claimreview(cli, FIXTURES / "array.json")
    before = snapshot()
    items = cli("import", str(FIXTURES / "broken" / "items.json"), "-f", "claimreview")
    assert items.exit_code == 1
    assert items.stdout == ""
    assert items.stderr == (
        "error: item 1: itemReviewed.author: is missing (who made the claim)\n"
        "error: item 2: url: is missing (where the review is published)\n"
        "error: item 3: datePublished: 'March 3rd, 2021' is not a date (YYYY-MM-DD, as in "
        "ISO 8601)\n"
        "error: item 4: url: 'ftp://truthmeter.example.org/broken/4' is not an http(s) URL\n"
        "error: item 5: author: is missing (who published the review)\n"
    )
    page = cli("import", str(FIXTURES / "broken" / "page.html"), "-f", "claimreview")
    assert (page.exit_code, page.stderr) == (
        1,
        "error: line 31: not valid JSON in an ld+json block: Expecting ',' delimiter (column 1)\n",
    )
    assert snapshot() == before


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "error: the file is empty; expected a ClaimReview"),
        (b"not json at all", "error: not valid JSON: Expecting value (line 1, column 1)"),
        (b'{"kind": "claim"}', "error: no fact-check found; expected a ClaimReview"),
        (b'[{"@type": "NewsArticle"}]', "error: no fact-check found; expected a ClaimReview"),
        (b"\xff\xfe{}", "error: line 1: not valid UTF-8 (byte 0xff at byte 1)"),
    ],
)
def test_bad_input_is_one_error_line_and_changes_nothing(
    cli: Cli, snapshot: Snapshot, tmp_path: Path, content: bytes, message: str
) -> None:
    claimreview(cli, FIXTURES / "microdata.json")
    before = snapshot()
    path = tmp_path / "bad.json"
    path.write_bytes(content)
    result = cli("import", str(path), "-f", "claimreview")
    assert result.exit_code == 1
    assert result.stderr.startswith(message)
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert snapshot() == before


def test_problems_the_record_finds_name_the_item(cli: Cli, snapshot: Snapshot) -> None:
    cli.ok(
        "actor", "add", "Ruritanian Ministry of Interior", "--kind", "ministry", "--alias", "RMI"
    )
    cli.ok("actor", "add", "Royal Music Institute", "--kind", "organization", "--alias", "RMI")
    before = snapshot()
    review = {
        "@type": "ClaimReview",
        "url": "https://truthmeter.example.org/rmi",
        "claimReviewed": "Ruritania closed its borders",
        "itemReviewed": {"@type": "Claim", "author": "RMI"},
        "author": {"@type": "Organization", "name": "Truth Meter"},
        "reviewRating": {"@type": "Rating", "alternateName": "False"},
    }
    result = cli("import", "-", "-f", "claimreview", input=json.dumps([review, review]))
    assert (result.exit_code, result.stderr) == (
        1,
        "error: item 1: by: 'RMI' could be any of: Royal Music Institute (#2), Ruritanian "
        "Ministry of Interior (#1); give the full name\n",
    )
    assert snapshot() == before


def test_new_actors_kinds(cli: Cli) -> None:
    claimreview(cli, FIXTURES / "array.json", "--kind-for-new", "state")
    kinds = {actor["name"]: actor["kind"] for actor in cli.json("actor", "list")}
    assert kinds == {
        "Freedonian state media": "state",
        "Ruritania Verified": "organization",
        "Ruritanian Finance Ministry": "state",
        "Marta Kovačić": "person",
        "Verifica Ya": "organization",
        "Ivo Andrić-Stein": "person",
        "Chain message on messaging apps": "state",
    }
    wikidata = {actor["name"]: actor["wikidata"] for actor in cli.json("actor", "list")}
    assert wikidata["Ivo Andrić-Stein"] == "Q4115193"


def test_kind_and_format_options(cli: Cli) -> None:
    bad_kind = cli(
        "import", str(FIXTURES / "array.json"), "-f", "claimreview", "--kind-for-new", "x"
    )
    assert bad_kind.exit_code == 1
    assert bad_kind.stderr.startswith("error: --kind-for-new: 'x' is not")
    jsonl = cli("import", str(FIXTURES / "array.json"), "--kind-for-new", "state")
    assert (jsonl.exit_code, jsonl.stderr) == (
        2,
        "error: --kind-for-new: only goes with --format claimreview\n",
    )
    both = cli("import", str(FIXTURES / "array.json"), "-f", "claimreview", "-f", "jsonl")
    assert both.exit_code == 2
    assert both.stderr == (
        "error: --format: give one input format (jsonl, claimreview) and one output format\n"
    )


def test_unmapped_ratings_are_one_warning_line(cli: Cli) -> None:
    result = cli.ok("import", str(FIXTURES / "datacommons-feed.json"), "-f", "claimreview")
    assert result.stderr == (
        "warning: 1 of 10 ratings have no verdict in the wording table and were imported as "
        "unproven, their wording kept: item 10 ('Satire')\n"
    )
    (row,) = cli.json("responses", "--search", "abdicated")
    shown = cli.json("show", str(row["response_id"]))["statement"]
    assert (shown["kind"], shown["verdict"], shown["rating"]) == (
        "fact_check",
        "unproven",
        "Satire",
    )


# ----------------------------------------------------------------------------- the record

REVIEW = {
    "@context": "https://schema.org",
    "@type": "ClaimReview",
    "url": "https://truthmeter.example.org/2021/10/freedonia-wheat",
    "claimReviewed": "Freedonia sells more wheat abroad than its two neighbours",
    "itemReviewed": {
        "@type": "Claim",
        "author": {"@type": "Person", "name": "rufus t. firefly"},
        "appearance": ["https://news.example.com/freedonia/wheat"],
    },
    "author": {"@type": "Organization", "name": "Truth Meter"},
    "reviewRating": {
        "@type": "Rating",
        "ratingValue": 4,
        "bestRating": 5,
        "worstRating": 1,
        "alternateName": "Mostly True",
    },
    "datePublished": "2021-10-09",
    "headline": "Freedonia's wheat exports",
}


def typed_claim(cli: Cli) -> None:
    cli.ok("actor", "add", "Rufus T. Firefly", "--kind", "person")
    cli.ok("actor", "add", "Truth Meter", "--kind", "organization")
    cli.ok(
        "claim",
        "add",
        "Freedonia exports more wheat than Ruritania and Elbonia combined",
        "--by",
        "Rufus T. Firefly",
        "--on",
        "2021-10-05",
        "--source",
        "https://news.example.com/freedonia/wheat",
    )


def test_a_review_attaches_to_the_claim_it_cites_and_reports_show_it_as_a_typed_one(
    cli: Cli, tmp_path: Path
) -> None:
    typed_claim(cli)
    summary = claimreview(cli, "-", input=json.dumps(REVIEW))
    assert counts(summary) == {
        "actor": (0, 2),
        "source": (1, 1),
        "topic": (0, 0),
        "statement": (1, 1),
    }
    assert claimreview(cli, "-", input=json.dumps(REVIEW))["statement"] == {
        "created": 0,
        "unchanged": 2,
    }
    # the same fact-check typed by hand, in another database
    typed = Cli(str(tmp_path / "typed.sqlite3"))
    typed_claim(typed)
    typed.ok(
        "source",
        "add",
        "https://truthmeter.example.org/2021/10/freedonia-wheat",
        "--outlet",
        "Truth Meter",
        "--title",
        "Freedonia's wheat exports",
        "--published",
        "2021-10-09",
    )
    typed.ok(
        "fact-check",
        "1",
        "--by",
        "Truth Meter",
        "--verdict",
        "mostly_true",
        "--rating",
        "Mostly True",
        "--on",
        "2021-10-09",
        "--source",
        "https://truthmeter.example.org/2021/10/freedonia-wheat",
    )
    for command in (("report", "claim", "1"), ("responses",), ("show", "2"), ("positions", "1")):
        assert cli.ok(*command).stdout == typed.ok(*command).stdout, command
    report = cli.ok("report", "claim", "1", "--format", "md").stdout.splitlines()
    assert "- **Fact-check #2** by Truth Meter, 2021-10-09\\" in report
    assert "- **Verdict** by Truth Meter: mostly true (Mostly True), #2" in report
    dispose_engines()


def test_progress_counts_two_steps_per_input_line(database: Database) -> None:
    data = (FIXTURES / "array.json").read_bytes()
    steps: list[int] = []
    result = database.run(
        lambda session: import_claimreview(session, data, progress=steps.append), write=True
    )
    assert sum(steps) == 2 * (data.count(b"\n") + 1)
    assert result.result.statements.created == 15


@pytest.mark.parametrize("scored_here", [claimreview_match.SCORED_HERE, 0])
def test_claim_matching_attaches_a_paraphrase_by_the_same_author(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, scored_here: int
) -> None:
    """Both ways: the author's claims scored at once, or each looked up through the index."""
    monkeypatch.setattr(claimreview_match, "SCORED_HERE", scored_here)
    demo = tmp_path / "demo.jsonl"
    demo.write_text(DEMO.read_text(encoding="utf-8"), encoding="utf-8")
    cli.ok("import", str(demo))
    claim = cli.json("show", "1")["statement"]
    assert claim["text"] == "Pakistani special forces are fighting alongside the Azerbaijani army"

    def review(said: str, url: str) -> str:
        return json.dumps(
            {
                "@type": "ClaimReview",
                "url": url,
                "claimReviewed": said,
                "itemReviewed": {"@type": "Claim", "author": "Nikol Pashinyan"},
                "author": {"@type": "Organization", "name": "Truth Meter"},
                "reviewRating": {"@type": "Rating", "alternateName": "Unproven"},
                "datePublished": "2020-10-30",
            }
        )

    same = review(
        "Special forces from Pakistan are fighting alongside the Azerbaijani army",
        "https://truthmeter.example.org/pk-forces",
    )
    summary = claimreview(cli, "-", input=same)
    assert summary["statement"] == {"created": 1, "unchanged": 1}
    (check,) = cli.json("responses", "--kind", "fact_check", str(claim["id"]))
    assert check["responder"] == "Truth Meter"
    other = review(
        "Turkish special forces are fighting alongside the Azerbaijani army",
        "https://truthmeter.example.org/tr-forces",
    )
    assert claimreview(cli, "-", input=other)["statement"] == {"created": 2, "unchanged": 0}


def test_at_most_twenty_problems_are_listed(cli: Cli, snapshot: Snapshot) -> None:
    before = snapshot()
    broken = [{"@type": "ClaimReview", "claimReviewed": f"claim {n}"} for n in range(25)]
    result = cli("import", "-", "-f", "claimreview", input=json.dumps(broken))
    lines = result.stderr.splitlines()
    assert result.exit_code == 1
    assert lines[0] == "error: item 1: itemReviewed.author: is missing (who made the claim)"
    assert lines[19] == "error: item 20: itemReviewed.author: is missing (who made the claim)"
    assert lines[20:] == ["error: ... 5 more problems not shown"]
    assert snapshot() == before


def test_an_author_named_by_a_merged_actor_or_an_alias_finds_the_claim(cli: Cli) -> None:
    typed_claim(cli)
    cli.ok("actor", "add", "R. T. Firefly", "--kind", "other")
    cli.ok("actor", "merge", "R. T. Firefly", "Rufus T. Firefly")
    cli.ok("actor", "alias", "Truth Meter", "TM")
    review = {
        **REVIEW,
        "itemReviewed": {**REVIEW["itemReviewed"], "author": "r. t. firefly"},
        "author": "TM",
    }
    summary = claimreview(cli, "-", input=json.dumps(review))
    assert counts(summary) == {
        "actor": (0, 2),
        "source": (1, 1),
        "topic": (0, 0),
        "statement": (1, 1),
    }
    (check,) = cli.json("responses", "1")
    assert check["responder"] == "Truth Meter"


def test_a_review_dated_before_its_claim_is_kept_with_a_warning_naming_it(cli: Cli) -> None:
    early = {**REVIEW, "datePublished": "2021-10-01"}
    early["itemReviewed"] = {**REVIEW["itemReviewed"], "datePublished": "2021-10-05"}
    later = {**REVIEW, "url": "https://truthmeter.example.org/other", "claimReviewed": "Other"}
    result = cli("import", "-", "-f", "claimreview", "-f", "json", input=json.dumps([later, early]))
    assert result.exit_code == 0
    assert result.stderr == (
        "warning: 1 answer is dated before the statement it answers (item 2)\n"
    )
    summary = json.loads(result.stdout)
    assert summary["statement"] == {"created": 4, "unchanged": 0}
    assert summary["warnings"] == ["1 answer is dated before the statement it answers (item 2)"]


def test_skip_unreadable_imports_the_rest_and_names_what_it_left_out(
    cli: Cli, snapshot: Snapshot
) -> None:
    items = str(FIXTURES / "broken" / "items.json")
    result = cli("import", items, "-f", "claimreview", "-f", "json", "--skip-unreadable")
    assert result.exit_code == 0
    assert result.stderr == (
        "warning: 5 of 6 items could not be read and were left out: item 1: "
        "itemReviewed.author: is missing (who made the claim); item 2: url: is missing (where "
        "the review is published); item 3: datePublished: 'March 3rd, 2021' is not a date "
        "(YYYY-MM-DD, as in ISO 8601); item 4: url: 'ftp://truthmeter.example.org/broken/4' "
        "is not an http(s) URL; item 5: author: is missing (who published the review)\n"
    )
    summary = json.loads(result.stdout)
    assert (summary["reviews"], summary["statement"]) == (1, {"created": 2, "unchanged": 0})
    page = str(FIXTURES / "broken" / "page.html")
    kept = cli.ok("import", page, "-f", "claimreview", "--skip-unreadable")
    assert kept.stderr.startswith("warning: 1 of 2 items could not be read and were left out: ")
    before = snapshot()
    nothing = [{"@type": "ClaimReview", "claimReviewed": "no author, no url"}]
    refused = cli(
        "import", "-", "-f", "claimreview", "--skip-unreadable", input=json.dumps(nothing)
    )
    assert (refused.exit_code, refused.stderr) == (
        1,
        "error: no fact-check could be read; the first problem: item 1: itemReviewed.author: "
        "is missing (who made the claim)\n",
    )
    jsonl = cli("import", items, "--skip-unreadable")
    assert (jsonl.exit_code, jsonl.stderr) == (
        2,
        "error: --skip-unreadable: only goes with --format claimreview\n",
    )
    assert snapshot() == before


def test_a_review_of_a_claim_merged_into_another_answers_the_one_kept(cli: Cli) -> None:
    claimreview(cli, FIXTURES / "factcheck-api-page2.json")
    (wheat,) = [
        row
        for row in cli.json("responses")
        if row["statement"].startswith("Freedonia exports more wheat")
        and row["kind"] == "fact_check"
    ][:1]
    typed = cli.json(
        "claim", "add", "Freedonia sells more wheat than its neighbours", "--by", "Rufus T. Firefly"
    )
    cli.ok("statement", "merge", str(wheat["statement_id"]), str(typed["id"]))
    again = claimreview(cli, FIXTURES / "factcheck-api-page2.json")
    assert again["statement"]["created"] == 0
    later = {
        **REVIEW,
        "url": "https://othercheck.example.org/wheat",
        "claimReviewed": "Freedonia exports more wheat than Ruritania and Elbonia combined",
        "itemReviewed": {"@type": "Claim", "author": "Rufus T. Firefly"},
    }
    assert claimreview(cli, "-", input=json.dumps(later))["statement"] == {
        "created": 1,
        "unchanged": 1,
    }
    answers = cli.json("responses", str(typed["id"]))
    assert sorted(row["responder"] for row in answers) == [
        "Truth Meter",
        "Truth Meter",
        "Vrai ou Faux Hebdo",
    ]

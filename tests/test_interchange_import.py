"""factdb JSON Lines import: validation with line numbers, all-or-nothing, idempotency."""

from __future__ import annotations

import json
from collections.abc import Callable
from importlib import resources
from typing import Any

import pytest
from sqlalchemy import func, select

from factdb.errors import InvalidInput
from factdb.interchange import ImportResult, import_jsonl
from factdb.record.audit import snapshot
from factdb.record.history import STATEMENT_LINK_TABLES
from factdb.record.statements import add_claim
from factdb.store.db import Database
from factdb.store.models import AuditEntry, Statement, StatementSource

HEADER = '{"factdb": 1}'
EXAMPLE = resources.files("factdb") / "data" / "nagorno-karabakh-2020.jsonl"

Snapshot = Callable[[], dict[str, list[tuple[Any, ...]]]]


def line(**record: Any) -> str:
    return json.dumps(record, ensure_ascii=False)


ACTORS = [
    line(type="actor", name="Armenia", kind="state", country="AM"),
    line(type="actor", name="Pakistan", kind="state", country="PK"),
    line(
        type="actor",
        name="Ministry of Foreign Affairs of Pakistan",
        kind="ministry",
        aliases=["Pakistan Foreign Office"],
        affiliations=[{"organization": "Pakistan"}],
    ),
]
CLAIM = line(
    type="statement",
    ref="c1",
    kind="claim",
    by="Armenia",
    date="2020-10",
    text="Pakistani special forces fight in Karabakh",
    about=["Pakistan"],
    topics=["Nagorno-Karabakh 2020"],
    sources=["https://example.org/a"],
)
DENIAL = line(
    type="statement",
    ref="d1",
    kind="denial",
    by="pakistan foreign office",
    responds_to="c1",
    date="2020-10-17",
    quote="baseless and unwarranted",
    sources=[{"url": "https://example.org/a", "locator": "para 4"}],
)


def load(database: Database, lines: list[str] | list[bytes], **options: Any) -> ImportResult:
    return database.run(lambda s: import_jsonl(s, lines, **options), write=True)


def problems(database: Database, lines: list[str] | list[bytes]) -> list[str]:
    with pytest.raises(InvalidInput) as caught:
        load(database, lines)
    return str(caught.value).splitlines()


def counts(result: ImportResult) -> dict[str, tuple[int, int]]:
    return {row["type"]: (row["created"], row["unchanged"]) for row in result.rows()}


def test_imports_the_worked_example(database: Database) -> None:
    lines = EXAMPLE.read_text(encoding="utf-8").splitlines()
    result = load(database, lines)
    assert counts(result) == {
        "actor": (16, 0),
        "source": (2, 0),
        "topic": (1, 0),
        "statement": (17, 0),
    }
    assert result.lines == 36 and result.dry_run is False
    with database.session() as session:
        denial = session.scalar(
            select(Statement).where(Statement.ref == "nk-special-forces-rejected")
        )
        assert denial is not None and denial.responds_to is not None
        assert denial.responds_to.ref == "nk-special-forces"
        assert denial.actor.name == "Ministry of Foreign Affairs of Pakistan"
        assert [link.locator for link in denial.source_links] == ["paragraphs 4-5"]


def test_second_import_changes_nothing(database: Database, snapshot: Snapshot) -> None:
    lines = [HEADER, *ACTORS, CLAIM, DENIAL]
    load(database, lines)
    before = snapshot()
    result = load(database, lines)
    assert counts(result) == {
        "actor": (0, 3),
        "source": (0, 1),
        "topic": (0, 1),
        "statement": (0, 2),
    }
    assert snapshot() == before


def test_writes_one_audit_row_per_record(database: Database) -> None:
    """As the ORM hook would, except that a statement's links ride in its own row."""
    load(database, [HEADER, *ACTORS, CLAIM, DENIAL])
    with database.session() as session:
        rows = session.execute(
            select(AuditEntry.table_name, func.count())
            .where(AuditEntry.action == "insert")
            .group_by(AuditEntry.table_name)
            .order_by(AuditEntry.table_name)
        ).all()
        denial = session.scalar(select(Statement).where(Statement.ref == "d1"))
        assert denial is not None
        expected = snapshot(denial)
        claim = session.scalar(select(Statement).where(Statement.ref == "c1"))
        assert claim is not None
        claim_links = {
            "statement_sources": [snapshot(link) for link in claim.source_links],
            "statement_subjects": [snapshot(link) for link in claim.subject_links],
            "statement_topics": [snapshot(link) for link in claim.topic_links],
        }
        claim_after = session.scalar(
            select(AuditEntry.after).where(
                AuditEntry.table_name == "statements", AuditEntry.row_id == claim.id
            )
        )
        after = session.scalar(
            select(AuditEntry.after).where(
                AuditEntry.table_name == "statements", AuditEntry.row_id == denial.id
            )
        )
    assert [tuple(row) for row in rows] == [
        ("actor_aliases", 1),
        ("actors", 3),
        ("affiliations", 1),
        ("sources", 1),
        ("statements", 2),
        ("topics", 1),
    ]
    assert after is not None
    recorded = json.loads(after)
    assert list(recorded) == sorted(recorded)
    assert recorded["statement_sources"] == [
        {"locator": "para 4", "position": 0, "source_id": 1, "statement_id": denial.id}
    ]
    assert recorded["statement_subjects"] == recorded["statement_topics"] == []
    assert {key: recorded[key] for key in expected} == expected
    assert set(recorded) == {*expected, *STATEMENT_LINK_TABLES}
    assert recorded["ref"] == "d1" and recorded["kind"] == "denial"
    assert recorded["date"] == "2020-10-17" and recorded["date_precision"] == "day"
    assert claim_after is not None
    assert {key: json.loads(claim_after)[key] for key in STATEMENT_LINK_TABLES} == claim_links
    assert after == json.dumps(recorded, ensure_ascii=False, sort_keys=True)


def test_responses_may_come_before_what_they_answer(database: Database) -> None:
    later = line(type="statement", ref="e1", kind="endorsement", by="Armenia", responds_to="d1")
    result = load(database, [HEADER, later, DENIAL, *ACTORS, CLAIM])
    assert counts(result)["statement"] == (3, 0)
    with database.session() as session:
        rows = {
            row.ref: row
            for row in session.execute(
                select(Statement.id, Statement.ref, Statement.responds_to_id)
            )
        }
    assert rows["d1"].responds_to_id == rows["c1"].id
    assert rows["e1"].responds_to_id == rows["d1"].id
    # ids follow the file's order, whatever order the rows had to be written in
    assert rows["e1"].id < rows["d1"].id < rows["c1"].id


def test_responds_to_a_statement_in_the_database(database: Database) -> None:
    load(database, [HEADER, *ACTORS])
    claim_id = database.run(
        lambda s: add_claim(s, "Something happened", by="Armenia", ref="old").id, write=True
    )
    denial = line(type="statement", ref="x", kind="denial", by="Pakistan", responds_to="old")
    by_id = line(
        type="statement", ref="y", kind="dispute", by="Pakistan", responds_to=f"#{claim_id}"
    )
    load(database, [HEADER, denial, by_id])
    with database.session() as session:
        parents = session.execute(
            select(Statement.ref, Statement.responds_to_id).where(Statement.ref.in_(["x", "y"]))
        ).all()
    assert sorted(tuple(row) for row in parents) == [("x", claim_id), ("y", claim_id)]


def test_dry_run_writes_nothing(database: Database, snapshot: Snapshot) -> None:
    before = snapshot()
    result = load(database, [HEADER, *ACTORS, CLAIM, DENIAL], dry_run=True)
    assert result.dry_run is True
    assert counts(result)["statement"] == (2, 0)
    assert snapshot() == before


def test_last_line_invalid_writes_nothing(database: Database, snapshot: Snapshot) -> None:
    load(database, [HEADER, ACTORS[0]])
    before = snapshot()
    bad = line(type="statement", ref="z", kind="claim", by="Armenia", text="x", date="2020-13")
    lines = [HEADER, *ACTORS, CLAIM, DENIAL, bad]
    assert problems(database, lines) == ["line 7: date: '2020-13' is not a real date"]
    assert snapshot() == before


def test_progress_counts_every_line_twice(database: Database) -> None:
    seen: list[int] = []
    load(database, [HEADER, *ACTORS, CLAIM, DENIAL], progress=seen.append)
    assert sum(seen) == 2 * 6


def test_conflicting_existing_statement_is_an_error(database: Database, snapshot: Snapshot) -> None:
    load(database, [HEADER, *ACTORS, CLAIM])
    before = snapshot()
    changed = json.loads(CLAIM)
    changed["text"] = "Something else"
    assert problems(database, [HEADER, json.dumps(changed)]) == [
        "line 2: text: the statement 'c1' (#1) already exists with a different text; "
        "give this one another ref, or edit #1"
    ]
    assert snapshot() == before


def test_conflicting_existing_actor_is_an_error(database: Database) -> None:
    load(database, [HEADER, *ACTORS])
    again = line(type="actor", name="pakistan", kind="organization")
    assert problems(database, [HEADER, again]) == [
        "line 2: kind: the actor 'Pakistan' (#2) already exists with kind 'state'"
    ]


def test_left_out_keys_are_not_compared(database: Database) -> None:
    load(database, [HEADER, *ACTORS, CLAIM])
    short = line(
        type="statement",
        ref="c1",
        kind="claim",
        by="Armenia",
        text="Pakistani special forces fight in Karabakh",
    )
    actor = line(type="actor", name="Armenia", kind="state")
    result = load(database, [HEADER, actor, short])
    assert counts(result)["statement"] == (0, 1)
    assert counts(result)["actor"] == (0, 1)


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        pytest.param(
            [], ['line 1: the file is empty; its first line must be {"factdb": 1}'], id="empty"
        ),
        pytest.param([ACTORS[0]], ['line 1: the first line must be {"factdb": 1}'], id="no-header"),
        pytest.param(
            ['{"factdb": 2}'],
            ["line 1: factdb: format version 2 is not supported (this factdb reads version 1)"],
            id="version",
        ),
        pytest.param(
            [HEADER, '{"type": "actor", "name": "A", "kind": "state"'],
            ["line 2: not valid JSON: Expecting ',' delimiter (column 47)"],
            id="bad-json",
        ),
        pytest.param(
            [HEADER, '{"type": "actor", "name": "A", "kind": "state"}  {}'],
            ["line 2: not valid JSON: Extra data (column 50)"],
            id="more-after-the-object",
        ),
        pytest.param(
            [HEADER, "[1, 2]"], ["line 2: a record must be a JSON object, not a list"], id="list"
        ),
        pytest.param(
            [HEADER, '{"type": "actor", "name": "A", "kind": "state", "name": "B"}'],
            ["line 2: name: the key appears twice in the record"],
            id="duplicate-key",
        ),
        pytest.param(
            [HEADER, '{"type": "actor", "name": "A\\ud800", "kind": "state"}'],
            ["line 2: name: contains a lone surrogate (\\ud800)"],
            id="lone-surrogate",
        ),
        pytest.param(
            [HEADER, '{"type": "actor", "name": "A\\u0000", "kind": "state"}'],
            ["line 2: name: contains a control character (0x00)"],
            id="control-character",
        ),
        pytest.param(
            [HEADER, line(type="event")],
            ["line 2: type: 'event' is not a record type; use one of actor, source, statement"],
            id="type",
        ),
        pytest.param(
            [HEADER, line(type="actor", name="A", kind="state", colour="red")],
            [
                "line 2: colour: unknown key for an actor (known keys: type, name, kind, "
                "country, wikidata, description, aliases, affiliations)"
            ],
            id="unknown-key",
        ),
        pytest.param(
            [HEADER, line(type="actor", name=12, kind="state")],
            ["line 2: name: must be a string or null, not a number"],
            id="wrong-type",
        ),
        pytest.param(
            [HEADER, line(type="actor", name="A", kind="state", aliases="B")],
            ["line 2: aliases: must be a list of strings, not a string"],
            id="wrong-list",
        ),
        pytest.param(
            [HEADER, line(type="actor", name="A", kind="planet")],
            [
                "line 2: kind: 'planet' is not an actor kind; use one of state, person, "
                "ministry, organization, armed_group, international_org, media, other"
            ],
            id="actor-kind",
        ),
        pytest.param(
            [HEADER, ACTORS[0], line(type="statement", ref="a", kind="rumour", by="Armenia")],
            [
                "line 3: kind: 'rumour' is not a statement kind; use one of claim, denial, "
                "dispute, endorsement, admission, retraction, fact_check"
            ],
            id="statement-kind",
        ),
        pytest.param(
            [
                HEADER,
                *ACTORS,
                CLAIM,
                line(
                    type="statement",
                    ref="f",
                    kind="fact_check",
                    by="Pakistan",
                    responds_to="c1",
                    verdict="fake",
                ),
            ],
            [
                "line 6: verdict: 'fake' is not a verdict; use one of true, mostly_true, "
                "mixed, mostly_false, false, unproven"
            ],
            id="verdict",
        ),
        pytest.param(
            [HEADER, *ACTORS, CLAIM, CLAIM],
            ["line 6: ref: 'c1' is already used on line 5"],
            id="duplicate-ref",
        ),
        pytest.param(
            [
                HEADER,
                *ACTORS,
                line(type="statement", ref="s", kind="denial", by="Armenia", responds_to="s"),
            ],
            ["line 5: responds_to: a statement cannot respond to itself"],
            id="self-reference",
        ),
        pytest.param(
            [
                HEADER,
                *ACTORS,
                line(type="statement", ref="a", kind="denial", by="Armenia", responds_to="b"),
                line(type="statement", ref="b", kind="dispute", by="Armenia", responds_to="c"),
                line(type="statement", ref="c", kind="denial", by="Armenia", responds_to="a"),
            ],
            ["line 5: responds_to: the responses go in a circle ('a' → 'b' → 'c' → 'a')"],
            id="cycle",
        ),
        pytest.param(
            [
                HEADER,
                *ACTORS,
                line(type="statement", ref="a", kind="denial", by="Armenia", responds_to="nope"),
            ],
            [
                "line 5: responds_to: no statement has the ref 'nope' (neither in this file "
                "nor in the database)"
            ],
            id="unknown-ref",
        ),
        pytest.param(
            [
                HEADER,
                *ACTORS,
                line(type="statement", ref="a", kind="claim", by="Pakistn", text="x"),
            ],
            ["line 5: by: no actor is called 'Pakistn'; did you mean Pakistan?"],
            id="unknown-actor",
        ),
        pytest.param(
            [HEADER, *ACTORS, line(type="statement", ref="a", kind="claim", by="Armenia")],
            ["line 5: text: is required for a claim"],
            id="claim-text",
        ),
        pytest.param(
            [HEADER, *ACTORS, line(type="statement", ref="a", kind="denial", by="Armenia")],
            ["line 5: responds_to: is required for a denial"],
            id="response-target",
        ),
        pytest.param(
            [HEADER, line(type="source", url="ftp://example.org/x")],
            ["line 2: url: 'ftp://example.org/x' is not an http(s) URL"],
            id="url",
        ),
        pytest.param(
            [
                HEADER,
                *ACTORS,
                line(
                    type="statement",
                    ref="a",
                    kind="claim",
                    by="Armenia",
                    text="x",
                    about=["Pakistan Foreign Office", "Ministry of Foreign Affairs of Pakistan"],
                ),
            ],
            [
                "line 5: about[1]: 'Ministry of Foreign Affairs of Pakistan' is "
                "'Pakistan Foreign Office' again (the same actor)"
            ],
            id="same-subject-twice",
        ),
        pytest.param(
            [
                HEADER,
                line(
                    type="actor",
                    name="A",
                    kind="state",
                    aliases=["Aa"],
                    affiliations=[{"organization": "aa"}],
                ),
            ],
            ["line 2: affiliations[0].organization: A cannot be a member of itself"],
            id="member-of-itself",
        ),
        pytest.param(
            [
                HEADER,
                line(type="actor", name="A", kind="state", affiliations=[{"organization": "B"}]),
                line(type="actor", name="B", kind="state", affiliations=[{"organization": "A"}]),
            ],
            ["line 2: affiliations: affiliations cannot go in a circle (A → B → A)"],
            id="affiliation-cycle",
        ),
    ],
)
def test_bad_input_is_reported_with_its_line(
    database: Database, snapshot: Snapshot, lines: list[str], expected: list[str]
) -> None:
    before = snapshot()
    assert problems(database, lines) == expected
    assert snapshot() == before


def test_retraction_by_the_author_or_an_affiliate(database: Database) -> None:
    lines = [
        HEADER,
        *ACTORS,
        line(type="statement", ref="p", kind="claim", by="Pakistan", text="x", date="2020-10"),
        line(type="statement", ref="r1", kind="retraction", by="Pakistan", responds_to="p"),
        # the ministry speaks for Pakistan (an open-ended affiliation)
        line(
            type="statement",
            ref="r2",
            kind="retraction",
            by="Pakistan Foreign Office",
            responds_to="p",
            date="2020-11",
        ),
    ]
    assert counts(load(database, lines))["statement"] == (3, 0)
    other = line(type="statement", ref="r3", kind="retraction", by="Armenia", responds_to="p")
    assert problems(database, [HEADER, other]) == [
        "line 2: by: only the author of #1 (Pakistan) or an actor affiliated with it can "
        "retract it; Armenia is neither"
    ]
    in_file = [
        HEADER,
        line(type="statement", ref="q", kind="claim", by="Armenia", text="y"),
        line(type="statement", ref="r4", kind="retraction", by="Pakistan", responds_to="q"),
    ]
    assert problems(database, in_file) == [
        "line 3: by: only the author of the statement on line 2 (Armenia) or an actor "
        "affiliated with it can retract it; Pakistan is neither"
    ]


def test_invalid_utf8_is_reported_with_its_line(database: Database) -> None:
    lines = [HEADER.encode(), ACTORS[0].encode(), b'{"type": "actor", "name": "Caf\xe9"}']
    assert problems(database, lines) == ["line 3: not valid UTF-8 (byte 0xe9 at byte 31)"]


def test_every_problem_is_listed_up_to_a_limit(database: Database) -> None:
    lines = [HEADER, *["[]"] * 25]
    found = problems(database, lines)
    assert found[0] == "line 2: a record must be a JSON object, not a list"
    assert found[19] == "line 21: a record must be a JSON object, not a list"
    assert found[20:] == ["... 5 more problems not shown"]


def test_blank_lines_and_a_byte_order_mark_are_accepted(database: Database) -> None:
    result = load(database, ["\ufeff" + HEADER, "", *ACTORS, "   "])
    assert counts(result)["actor"] == (3, 0)


def test_a_source_cited_twice_in_one_statement_is_refused(database: Database) -> None:
    twice = line(
        type="statement",
        ref="a",
        kind="claim",
        by="Armenia",
        text="x",
        sources=["https://example.org/a", "https://EXAMPLE.org/a#frag"],
    )
    assert problems(database, [HEADER, ACTORS[0], twice]) == [
        "line 3: sources[1]: https://example.org/a is listed twice"
    ]


def test_statement_links_keep_their_order(database: Database) -> None:
    claim = line(
        type="statement",
        ref="a",
        kind="claim",
        by="Armenia",
        text="x",
        sources=["https://example.org/2", "https://example.org/1"],
    )
    load(database, [HEADER, ACTORS[0], claim])
    with database.session() as session:
        positions = session.execute(
            select(StatementSource.source_id, StatementSource.position).order_by(
                StatementSource.position
            )
        ).all()
    assert [tuple(row) for row in positions] == [(1, 0), (2, 1)]

"""Roll-up at scale: a few hundred answers by the members of a two-level dated chain (people
→ ministries → states, with year, month and day bounds, a ministry that changes state, a
member of two ministries and one that is also a member of the state itself), each with
zero, one or two sources. Every query is checked row for row against a straightforward
computation of the agreed date rule written out here, independently of ``factdb.queries.rollup``."""

from __future__ import annotations

import calendar
import datetime as dt
import json
import random
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy import event
from sqlalchemy.orm import Session

from factdb.interchange import import_jsonl
from factdb.queries.responses import response_query, who_denied, who_endorsed
from factdb.queries.rollup import Affiliations
from factdb.record.actors import add_actor, affiliate
from factdb.record.sources import add_source
from factdb.record.statements import add_claim, add_response, delete_statement
from factdb.store.db import Database

STATE, OTHER_STATE = "Ruritania", "Freedonia"
FOREIGN, DEFENCE = "Ruritanian Foreign Ministry", "Ruritanian Defence Ministry"
OUTSIDER = "Otto Outsider"
# (member, organization, from, to) in the order they are recorded; None is open.
LINKS: list[tuple[str, str, str | None, str | None]] = [
    (FOREIGN, STATE, "2018-03", None),
    (DEFENCE, STATE, None, "2020-06"),
    (DEFENCE, OTHER_STATE, "2020-07", None),
    ("Ana Spokes", FOREIGN, "2019-01-15", "2020-06"),
    ("Ana Spokes", FOREIGN, "2021-03", None),  # back after a break
    ("Ben Herald", FOREIGN, "2017", "2020"),
    ("Ben Herald", DEFENCE, "2021-02", None),
    ("Cara Voice", DEFENCE, None, "2019-12-31"),
    ("Dan Envoy", DEFENCE, "2020-01-01", None),
    ("Dan Envoy", STATE, "2020-03", "2020-09"),
    ("Eve Press", FOREIGN, None, None),
]
PEOPLE = ["Ana Spokes", "Ben Herald", "Cara Voice", "Dan Envoy", "Eve Press"]
SPEAKERS = [*PEOPLE, FOREIGN, DEFENCE, STATE, OTHER_STATE, OUTSIDER]
URLS = [f"https://news.example.org/r/{number}" for number in range(6)]
OUTLETS = {URLS[0]: "Example Wire", URLS[3]: "Example Post"}
KINDS = ["denial"] * 5 + ["endorsement"] * 3 + ["dispute"] * 2


def first_day(text: str) -> dt.date:
    """The first day of ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``."""
    return dt.date.fromisoformat(text + {4: "-01-01", 7: "-01", 10: ""}[len(text)])


def last_day(text: str) -> dt.date:
    start = first_day(text)
    if len(text) == 4:
        return start.replace(month=12, day=31)
    if len(text) == 7:
        return start.replace(day=calendar.monthrange(start.year, start.month)[1])
    return start


def counts_at(start: str | None, end: str | None, when: dt.date | None) -> bool:
    """The agreed rule: started on or before the statement's first day and not ended before
    it; an undated statement counts only through affiliations that never ended."""
    if when is None:
        return end is None
    return (start is None or first_day(start) <= when) and (end is None or when <= last_day(end))


def organizations_at(actor: str, when: dt.date | None) -> list[str]:
    """Whom ``actor`` spoke for at ``when``: nearest first, level by level, each level in
    the order the affiliations were recorded."""
    found: list[str] = []
    level = [actor]
    while level:
        following = []
        for member in level:
            for link_member, organization, start, end in LINKS:
                fresh = organization != actor and organization not in found
                if link_member == member and fresh and counts_at(start, end, when):
                    found.append(organization)
                    following.append(organization)
        level = following
    return found


@dataclass
class Said:
    """An answer as the test recorded it."""

    id: int
    kind: str
    by: str
    date: str | None
    quote: str
    target: int
    sources: list[tuple[str, str | None]]
    deleted: bool = False

    @property
    def when(self) -> dt.date | None:
        return None if self.date is None else first_day(self.date)


@dataclass
class Record:
    claims: dict[int, tuple[str, str, str | None]]  # id: (text, author, date)
    answers: list[Said]


LAST_DAY = dt.date(2023, 12, 31)


def random_date(rng: random.Random, earliest: dt.date) -> str | None:
    """A date on or after ``earliest`` at a random precision (sometimes unknown)."""
    roll = rng.random()
    if roll < 0.08:
        return None
    day = earliest + dt.timedelta(days=rng.randrange((LAST_DAY - earliest).days + 1))
    if roll < 0.25:
        return f"{day.year:04d}"
    if roll < 0.45:
        return f"{day.year:04d}-{day.month:02d}"
    return day.isoformat()


def record_actors(session: Session) -> dict[str, int]:
    """The actors and their affiliations; returns actor ids by name."""
    ids = {
        name: add_actor(session, name, kind).id
        for name, kind in (
            (STATE, "state"),
            (OTHER_STATE, "state"),
            (FOREIGN, "ministry"),
            (DEFENCE, "ministry"),
            (OUTSIDER, "person"),
            *((person, "person") for person in PEOPLE),
        )
    }
    for member, organization, start, end in LINKS:
        affiliate(session, member, organization, start=start, end=end)
    return ids


def record_everything(session: Session) -> Record:
    rng = random.Random(20201010)
    record_actors(session)
    for url, outlet in OUTLETS.items():
        add_source(session, url, outlet=outlet)
    claims: dict[int, tuple[str, str, str | None]] = {}
    for number in range(24):
        author = rng.choice(SPEAKERS)
        date = random_date(rng, dt.date(2016, 1, 1)) if number % 6 else None
        text = f"Claim {number} by {author}"
        claims[add_claim(session, text, author, date=date).id] = (text, author, date)
    answers: list[Said] = []
    for number in range(260):
        target = rng.choice(list(claims))
        claim_date = claims[target][2]
        earliest = dt.date(2016, 1, 1) if claim_date is None else last_day(claim_date)
        kind, by = rng.choice(KINDS), rng.choice(SPEAKERS)
        cited = [(url, rng.choice([None, f"p. {number}"])) for url in rng.sample(URLS, k=2)]
        cited = cited[: rng.choice([0, 1, 2, 2])]
        said = Said(0, kind, by, random_date(rng, earliest), f"quote {number}", target, cited)
        said.id = add_response(
            session, kind, target, by, date=said.date, quote=said.quote, sources=cited
        ).id
        answers.append(said)
    for said in rng.sample(answers, k=12):
        delete_statement(session, said.id)
        said.deleted = True
    # Dan Envoy belongs to the state twice over (directly, and through the Defence Ministry,
    # which moves to the other state in 2020-07): answers inside and around that period.
    first = next(iter(claims))
    for number, date in enumerate(("2020-02-29", "2020-04", "2020-08-15", "2020-10", None)):
        said = Said(0, "denial", "Dan Envoy", date, f"Dan {number}", first, [(URLS[3], None)])
        said.id = add_response(
            session, "denial", first, said.by, date=date, quote=said.quote, sources=[URLS[3]]
        ).id
        answers.append(said)
    # Ana Spokes on both sides of each bound of her two terms at the Foreign Ministry
    around_bounds = ["2019-01-14", "2019-01-15", "2020-06-30", "2020-07-01", "2020-06"]
    around_bounds += ["2021-02-28", "2021-03", "2021", None]
    for number, date in enumerate(around_bounds):
        said = Said(0, "denial", "Ana Spokes", date, f"Ana {number}", first, [])
        said.id = add_response(session, "denial", first, said.by, date=date, quote=said.quote).id
        answers.append(said)
    return Record(claims, answers)


@pytest.fixture
def record(database: Database) -> Record:
    recorded: Record = database.run(record_everything, write=True)
    return recorded


def expected(
    record: Record,
    kinds: tuple[str, ...],
    *,
    by: str | None = None,
    of: str | None = None,
    direct: bool = False,
    since: str | None = None,
    until: str | None = None,
    keys: tuple[str, str | None, str] = ("response_id", "kind", "responder"),
) -> list[dict[str, Any]]:
    """The rows the query should give, worked out from what was recorded."""

    def speaks_for(actor: str, organization: str, when: dt.date | None) -> bool:
        if direct:
            return actor == organization
        return actor == organization or organization in organizations_at(actor, when)

    rows = []
    for said in record.answers:
        text, author, claim_date = record.claims[said.target]
        claim_when = None if claim_date is None else first_day(claim_date)
        if said.deleted or said.kind not in kinds:
            continue
        if by is not None and not speaks_for(said.by, by, said.when):
            continue
        if of is not None and not speaks_for(author, of, claim_when):
            continue
        if since is not None and (said.when is None or said.when < first_day(since)):
            continue
        if until is not None and (said.when is None or said.when > last_day(until)):
            continue
        row: dict[str, Any] = {keys[0]: said.id}
        if keys[1] is not None:
            row[keys[1]] = said.kind
        row[keys[2]] = said.by
        row["on_behalf_of"] = organizations_at(said.by, said.when)
        row["date"] = said.date
        row["quote"] = said.quote
        row["statement_id"] = said.target
        row["statement"] = text
        row["author"] = author
        row["sources"] = [
            {"url": url, "outlet": OUTLETS.get(url), "locator": locator}
            for url, locator in said.sources
        ]
        rows.append((said.when is None, said.when or dt.date.min, said.id, row))
    return [row for *_order, row in sorted(rows, key=lambda item: item[:3])]


DENIALS = ("denial",)
DENIAL_KEYS = ("denial_id", None, "denier")
ALL_KINDS = ("denial", "endorsement", "dispute")


def test_the_record_is_varied_enough_to_mean_something(record: Record) -> None:
    live = [said for said in record.answers if not said.deleted]
    assert {len(said.sources) for said in live} == {0, 1, 2}
    assert {said.date is None for said in live} == {True, False}
    chains = {tuple(organizations_at(said.by, said.when)) for said in live}
    assert (DEFENCE, STATE, OTHER_STATE) in chains and (DEFENCE, OTHER_STATE) in chains
    assert (DEFENCE, STATE) in chains and (FOREIGN, STATE) in chains and (STATE,) in chains
    assert 40 < len(expected(record, DENIALS, by=STATE, keys=DENIAL_KEYS)) < 100


def test_who_denied_by_a_state_rolls_up_through_the_dated_chain(
    database: Database, record: Record
) -> None:
    rows = database.run(lambda s: who_denied(s, by=STATE))
    assert rows == expected(record, DENIALS, by=STATE, keys=DENIAL_KEYS)
    columns = "denial_id denier on_behalf_of date quote statement_id statement author sources"
    assert [list(row) for row in rows] == [columns.split()] * len(rows)
    bounded = database.run(lambda s: who_denied(s, by=STATE, since="2019-06", until="2021"))
    assert bounded == expected(
        record, DENIALS, by=STATE, since="2019-06", until="2021", keys=DENIAL_KEYS
    )
    assert 0 < len(bounded) < len(rows)


def test_direct_and_every_denial(database: Database, record: Record) -> None:
    direct = database.run(lambda s: who_denied(s, by=STATE, direct=True))
    assert direct == expected(record, DENIALS, by=STATE, direct=True, keys=DENIAL_KEYS)
    assert database.run(lambda s: who_denied(s)) == expected(record, DENIALS, keys=DENIAL_KEYS)


def test_who_endorsed_by_a_ministry_that_changed_states(database: Database, record: Record) -> None:
    rows = database.run(lambda s: who_endorsed(s, by=DEFENCE))
    keys = ("endorsement_id", None, "endorser")
    assert rows == expected(record, ("endorsement",), by=DEFENCE, keys=keys)


def test_every_kind_of_answer_for_the_other_state_and_of_the_state(
    database: Database, record: Record
) -> None:
    rows = database.run(lambda s: response_query(s, by=OTHER_STATE))
    assert rows == expected(record, ALL_KINDS, by=OTHER_STATE)
    assert any(row["on_behalf_of"] == [DEFENCE, OTHER_STATE] for row in rows)
    of_state = database.run(
        lambda s: response_query(s, of=STATE, by=FOREIGN, since="2019-06", until="2021")
    )
    assert of_state == expected(
        record, ALL_KINDS, of=STATE, by=FOREIGN, since="2019-06", until="2021"
    )


def test_chains_by_date_agree_with_the_rule_on_every_day(database: Database) -> None:
    def work(session: Session) -> None:
        ids = record_actors(session)
        names = {number: name for name, number in ids.items()}
        affiliations = Affiliations.load(session)
        days = [dt.date(2015, 12, 25) + dt.timedelta(days=n) for n in range(2200)]
        for name, number in ids.items():
            for day in [*days, None]:
                got = [names[org] for org in affiliations.organizations(number, day)]
                assert got == organizations_at(name, day), (name, day)

    database.run(work, write=True)


def test_the_rows_come_from_the_same_few_queries_whatever_their_number(
    database: Database, record: Record
) -> None:
    def selects(work: Callable[[Session], Any]) -> tuple[int, list[str]]:
        seen: list[str] = []

        def count(_conn: Any, _cursor: Any, sql: str, *_args: Any) -> None:
            if sql.lstrip().upper().startswith("SELECT"):
                seen.append(sql)

        event.listen(database.engine, "before_cursor_execute", count)
        try:
            rows = database.run(work)
        finally:
            event.remove(database.engine, "before_cursor_execute", count)
        return len(rows), seen

    many, many_selects = selects(lambda s: response_query(s, by=STATE))
    few, few_selects = selects(lambda s: who_denied(s, by=FOREIGN, until="2019"))
    assert many > 100 > few > 0
    assert len(many_selects) == len(few_selects)
    # statements are read twice: the answers that count, from the (actor, kind, date) index,
    # then those answers with what they answer and their sources
    assert len([sql for sql in many_selects if "statements" in sql]) == 2, many_selects


def test_a_state_with_over_a_thousand_dated_members(database: Database) -> None:
    # more OR terms than SQLite takes in one query (it nests them, at most 1,000 deep)
    members = 1100
    actors: list[dict[str, Any]] = [
        {"type": "actor", "name": "Bigland", "kind": "state"},
        {"type": "actor", "name": "Critic", "kind": "person"},
    ]
    said: list[dict[str, Any]] = [
        {"type": "statement", "ref": "c", "kind": "claim", "by": "Critic", "text": "It did"}
    ]
    for number in range(members):
        year = 2000 + number % 20
        term = {"organization": "Bigland", "from": f"{year}-01", "to": f"{year + 1}-06"}
        name = f"Envoy {number}"
        actors.append({"type": "actor", "name": name, "kind": "person", "affiliations": [term]})
        for when in (f"{year}-03", f"{year + 2}-03"):  # in office, then after leaving
            said.append(
                {
                    "type": "statement",
                    "ref": f"envoy-{number}-{when}",
                    "kind": "denial",
                    "by": name,
                    "responds_to": "c",
                    "date": when,
                }
            )
    lines = ['{"factdb": 1}', *(json.dumps(record) for record in (*actors, *said))]
    database.run(lambda s: import_jsonl(s, lines), write=True)

    rows = database.run(lambda s: who_denied(s, by="Bigland"))
    assert {row["denier"]: row["date"] for row in rows} == {
        f"Envoy {number}": f"{2000 + number % 20}-03" for number in range(members)
    }
    assert len(rows) == members
    assert all(row["on_behalf_of"] == ["Bigland"] for row in rows)
    assert [row["date"] for row in rows] == sorted(row["date"] for row in rows)

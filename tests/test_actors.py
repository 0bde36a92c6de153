"""The actors library: adding, aliases, affiliations, listing, editing and merging."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from factdb.countries import COUNTRIES
from factdb.errors import AmbiguousActor, Conflict, FactDBError, InvalidInput, UnknownActor
from factdb.queries.records import actor_record
from factdb.queries.resolve import resolve_actor
from factdb.record.actors import (
    actor_details,
    add_actor,
    add_aliases,
    affiliate,
    edit_actor,
    list_actors,
    merge_actors,
)
from factdb.store.db import Database
from factdb.store.models import (
    Actor,
    ActorAlias,
    Affiliation,
    AuditEntry,
    Claim,
    Denial,
    StatementSubject,
)

Snapshot = Callable[[], dict[str, list[tuple[Any, ...]]]]


def write(database: Database, work: Callable[[Session], Any]) -> Any:
    return database.run(work, write=True)


def add(database: Database, name: str, kind: str = "state", **options: Any) -> dict[str, Any]:
    return dict(write(database, lambda s: actor_record(add_actor(s, name, kind, **options))))


def refused(
    database: Database,
    snapshot: Snapshot,
    error: type[Exception],
    message: str,
    work: Callable[[Session], Any],
) -> None:
    """``work`` raises ``error`` with exactly ``message`` and leaves every table as it was."""
    before = snapshot()
    with pytest.raises(error) as caught:
        write(database, work)
    assert str(caught.value) == message
    assert snapshot() == before


def pakistan_chain(database: Database) -> None:
    add(database, "Pakistan", country="pk", aliases=["Islamic Republic of Pakistan"])
    add(
        database,
        "Ministry of Foreign Affairs of Pakistan",
        "ministry",
        country="PK",
        member_of="Pakistan",
        aliases=["Pakistan Foreign Office"],
        start="1947-08-14",
    )
    add(
        database,
        "Zahid Hafeez Chaudhri",
        "person",
        member_of="pakistan foreign office",
        role="spokesperson",
        start="2020-01",
        end="2022-12",
    )


def test_add_actor_normalizes_and_returns_the_record(database: Database) -> None:
    record = add(
        database,
        "  Pakistan ",
        "state",
        country=" pk",
        aliases=["Islamic Republic of Pakistan", "islamic republic of PAKISTAN"],
        wikidata="q843",
        description="Islamic Republic of Pakistan",
    )
    assert record == {
        "id": 1,
        "name": "Pakistan",
        "kind": "state",
        "country": "PK",
        "wikidata": "Q843",
        "description": "Islamic Republic of Pakistan",
        "aliases": ["Islamic Republic of Pakistan"],
        "affiliations": [],
        "merged_into": None,
    }
    with database.session() as session:
        actor = session.scalars(select(Actor)).one()
        assert actor.name_key == "pakistan"


def test_spokesman_ministry_state_chain_with_dated_affiliations(database: Database) -> None:
    pakistan_chain(database)
    spokesman = database.run(lambda s: actor_details(s, "zahid hafeez chaudhri"))
    assert spokesman["affiliations"] == [
        {
            "organization": "Ministry of Foreign Affairs of Pakistan",
            "organization_id": 2,
            "role": "spokesperson",
            "from": "2020-01",
            "to": "2022-12",
        }
    ]
    ministry = database.run(lambda s: actor_details(s, "Pakistan Foreign Office"))
    assert ministry["affiliations"] == [
        {
            "organization": "Pakistan",
            "organization_id": 1,
            "role": None,
            "from": "1947-08-14",
            "to": None,
        }
    ]
    assert ministry["members"] == [
        {
            "member": "Zahid Hafeez Chaudhri",
            "member_id": 3,
            "role": "spokesperson",
            "from": "2020-01",
            "to": "2022-12",
        }
    ]
    pakistan = database.run(lambda s: actor_details(s, "PAKISTAN"))
    assert [m["member"] for m in pakistan["members"]] == ["Ministry of Foreign Affairs of Pakistan"]
    with database.session() as session:
        stored = session.scalars(select(Affiliation).order_by(Affiliation.id)).all()
        assert [
            (a.start_date.isoformat() if a.start_date else None, a.start_precision) for a in stored
        ] == [
            ("1947-08-14", "day"),
            ("2020-01-01", "month"),
        ]
        assert stored[1].end_date is not None and stored[1].end_date.isoformat() == "2022-12-01"


def test_affiliate_adds_a_later_role(database: Database) -> None:
    pakistan_chain(database)
    write(
        database,
        lambda s: affiliate(s, "Zahid Hafeez Chaudhri", "Pakistan", "ambassador", "2023", None),
    )
    record = database.run(lambda s: actor_details(s, "Zahid Hafeez Chaudhri"))
    assert [(a["organization"], a["role"], a["from"], a["to"]) for a in record["affiliations"]] == [
        ("Ministry of Foreign Affairs of Pakistan", "spokesperson", "2020-01", "2022-12"),
        ("Pakistan", "ambassador", "2023", None),
    ]


def test_aliases_with_diacritics_and_other_scripts_resolve(database: Database) -> None:
    add(database, "Aleksandar Vučić", "person", country="RS", aliases=["Vucic"])
    add(database, "Nikol Pashinyan", "person", country="AM", aliases=["Նիկոլ Փաշինյան"])
    write(database, lambda s: add_aliases(s, "vucic", ["Александар Вучић"]))
    with database.session() as session:
        for typed in ("Aleksandar Vucic", "ALEKSANDAR VUČIĆ", "vučić", "александар вучић"):
            assert resolve_actor(session, typed).name == "Aleksandar Vučić"
        for typed in ("նիկոլ փաշինյան", "ՆԻԿՈԼ  ՓԱՇԻՆՅԱՆ", "#2"):
            assert resolve_actor(session, typed).name == "Nikol Pashinyan"
    record = database.run(lambda s: actor_details(s, "Vučić"))
    assert record["aliases"] == ["Vucic", "Александар Вучић"]


def test_unknown_and_ambiguous_names(database: Database) -> None:
    add(database, "Pakistan")
    add(database, "Ministry of Foreign Affairs of Pakistan", "ministry", aliases=["MFA"])
    add(database, "Ministry of Foreign Affairs of Armenia", "ministry", aliases=["mfa"])
    with database.session() as session:
        with pytest.raises(UnknownActor) as unknown:
            actor_details(session, "Pakistn")
        assert str(unknown.value) == "ACTOR: no actor is called 'Pakistn'; did you mean Pakistan?"
        with pytest.raises(AmbiguousActor) as ambiguous:
            actor_details(session, "MFA")
        assert str(ambiguous.value) == (
            "ACTOR: 'MFA' could be any of: Ministry of Foreign Affairs of Pakistan (#2), "
            "Ministry of Foreign Affairs of Armenia (#3); give the full name"
        )


def test_duplicate_actors_and_clashing_aliases_are_conflicts(
    database: Database, snapshot: Snapshot
) -> None:
    pakistan_chain(database)
    refused(
        database,
        snapshot,
        Conflict,
        "NAME: there is already an actor called 'Pakistan' (#1)",
        lambda s: add_actor(s, " PAKISTAN ", "state"),
    )
    refused(
        database,
        snapshot,
        Conflict,
        "NAME: 'Pakistan Foreign Office' is already an alias of "
        "Ministry of Foreign Affairs of Pakistan (#2)",
        lambda s: add_actor(s, "pakistan foreign office", "ministry"),
    )
    refused(
        database,
        snapshot,
        Conflict,
        "aliases: 'Pakistan' is the name of another actor, Pakistan (#1)",
        lambda s: add_actor(s, "Islamabad", "other", aliases=["Pakistan"]),
    )
    refused(
        database,
        snapshot,
        Conflict,
        "ALIAS: 'Zahid Hafeez Chaudhri' is the name of another actor, Zahid Hafeez Chaudhri (#3)",
        lambda s: add_aliases(s, "Pakistan", ["Good name", "Zahid Hafeez Chaudhri"]),
    )


def test_an_existing_alias_is_not_added_twice(database: Database) -> None:
    add(database, "Pakistan", aliases=["Islamic Republic of Pakistan"])
    write(database, lambda s: add_aliases(s, "Pakistan", ["islamic republic of pakistan", "PAK"]))
    record = database.run(lambda s: actor_details(s, "Pakistan"))
    assert record["aliases"] == ["Islamic Republic of Pakistan", "PAK"]


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"country": "ZZ"}, "country: 'ZZ' is not an ISO 3166-1 alpha-2 country code"),
        ({"country": "PAK"}, "country: 'PAK' is not an ISO 3166-1 alpha-2 country code"),
        ({"wikidata": "843"}, "wikidata: '843' is not a Wikidata item id (like Q843)"),
        (
            {"kind": "country"},
            "kind: 'country' is not an actor kind; use one of "
            "state, person, ministry, organization, armed_group, international_org, media, other",
        ),
        ({"name": "   "}, "NAME: must not be empty"),
        ({"name": "\u0301"}, "NAME: must not be empty"),
        ({"name": "#12"}, "NAME: '#12' reads as an actor id; choose another name"),
        ({"aliases": ["Fine", "#7"]}, "aliases: '#7' reads as an actor id; choose another name"),
        (
            {"member_of": "Pakistn"},
            "member_of: no actor is called 'Pakistn'; did you mean Pakistan?",
        ),
        ({"role": "envoy"}, "member_of: role, start and end need member_of"),
        ({"member_of": "Pakistan", "start": "2020-13"}, "start: '2020-13' is not a real date"),
        (
            {"member_of": "Pakistan", "end": "soon"},
            "end: 'soon' is not a date; use YYYY, YYYY-MM or YYYY-MM-DD",
        ),
        (
            {"member_of": "Pakistan", "start": "2021", "end": "2020-06"},
            "start: 2021 is after end 2020-06",
        ),
    ],
)
def test_bad_actor_input_is_refused(
    database: Database, snapshot: Snapshot, options: dict[str, Any], message: str
) -> None:
    add(database, "Pakistan")
    arguments = {"name": "Someone", "kind": "person", **options}
    # InvalidInput, or UnknownActor for the misspelt organization: the message tells them apart
    refused(database, snapshot, FactDBError, message, lambda s: add_actor(s, **arguments))


def test_an_end_less_precise_than_the_start_is_refused(
    database: Database, snapshot: Snapshot
) -> None:
    add(database, "Pakistan")
    refused(
        database,
        snapshot,
        InvalidInput,
        "end: 2020-10 is less precise than start 2020-10-11; give the end as a full date",
        lambda s: add_actor(
            s, "Envoy", "person", member_of="Pakistan", start="2020-10-11", end="2020-10"
        ),
    )
    record = add(database, "Envoy", "person", member_of="Pakistan", start="2020-10", end="2020-10")
    assert (record["affiliations"][0]["from"], record["affiliations"][0]["to"]) == (
        "2020-10",
        "2020-10",
    )


def test_affiliation_cycles_self_and_repeats_are_refused(
    database: Database, snapshot: Snapshot
) -> None:
    pakistan_chain(database)
    refused(
        database,
        snapshot,
        InvalidInput,
        "ORG: affiliations cannot go in a circle (Pakistan → Zahid Hafeez Chaudhri → "
        "Ministry of Foreign Affairs of Pakistan → Pakistan)",
        lambda s: affiliate(s, "Pakistan", "Zahid Hafeez Chaudhri", None, None, None),
    )
    refused(
        database,
        snapshot,
        InvalidInput,
        "ORG: Pakistan cannot be a member of itself",
        lambda s: affiliate(s, "Pakistan", "Islamic Republic of Pakistan", None, None, None),
    )
    refused(
        database,
        snapshot,
        Conflict,
        "ORG: Zahid Hafeez Chaudhri is already a member of Ministry of Foreign Affairs of "
        "Pakistan (as spokesperson from 2020-01 to 2022-12)",
        lambda s: affiliate(s, "Zahid Hafeez Chaudhri", "#2", "Spokesperson", "2020-01", "2022-12"),
    )
    refused(
        database,
        snapshot,
        UnknownActor,
        "MEMBER: no actor is called 'Nobody'; add it first with `factdb actor add`",
        lambda s: affiliate(s, "Nobody", "Pakistan", None, None, None),
    )


def test_list_actors_by_name_and_kind(database: Database) -> None:
    pakistan_chain(database)
    add(database, "Armenia", country="AM")
    names = [r["name"] for r in database.run(lambda s: list_actors(s))]
    assert names == [
        "Armenia",
        "Ministry of Foreign Affairs of Pakistan",
        "Pakistan",
        "Zahid Hafeez Chaudhri",
    ]
    states = database.run(lambda s: list_actors(s, kind="state"))
    assert [r["name"] for r in states] == ["Armenia", "Pakistan"]
    assert database.run(lambda s: list_actors(s, kind="media")) == []


def test_edit_actor_renames_and_keeps_the_key_in_step(
    database: Database, snapshot: Snapshot
) -> None:
    pakistan_chain(database)
    record = write(
        database,
        lambda s: actor_record(
            edit_actor(
                s,
                "Pakistan Foreign Office",
                name="Foreign Office of Pakistan",
                country="",
                wikidata="Q3315876",
                description="Foreign ministry",
            )
        ),
    )
    assert record["name"] == "Foreign Office of Pakistan"
    assert record["country"] is None
    assert record["wikidata"] == "Q3315876"
    assert record["description"] == "Foreign ministry"
    with database.session() as session:
        assert resolve_actor(session, "foreign office of pakistan").id == 2
        actor = session.get(Actor, 2)
        assert actor is not None and actor.name_key == "foreign office of pakistan"
    write(database, lambda s: edit_actor(s, "#2", name="Pakistan Foreign Office", kind="other"))
    renamed = database.run(lambda s: actor_details(s, "#2"))
    assert (renamed["name"], renamed["kind"], renamed["aliases"]) == (
        "Pakistan Foreign Office",
        "other",
        [],
    )
    refused(
        database,
        snapshot,
        Conflict,
        "name: there is already an actor called 'Pakistan' (#1)",
        lambda s: edit_actor(s, "#2", name="pakistan"),
    )
    refused(
        database,
        snapshot,
        InvalidInput,
        "nothing to change: give name, kind, country, wikidata or description",
        lambda s: edit_actor(s, "#2"),
    )
    refused(
        database,
        snapshot,
        InvalidInput,
        "country: 'xx' is not an ISO 3166-1 alpha-2 country code",
        lambda s: edit_actor(s, "#2", description="changed", country="xx"),
    )


def test_merge_moves_every_reference(database: Database, snapshot: Snapshot) -> None:
    pakistan_chain(database)
    add(database, "Armenia", country="AM")
    add(database, "MoFA Pakistan", "ministry", aliases=["Pak MFA", "Pakistan Foreign Office"])
    add(database, "Spokes", "person", member_of="MoFA Pakistan", role="deputy")
    write(database, lambda s: affiliate(s, "MoFA Pakistan", "Pakistan", None, "1947-08-14", None))

    def statements(session: Session) -> tuple[int, int]:
        armenia = resolve_actor(session, "Armenia")
        duplicate = resolve_actor(session, "MoFA Pakistan")
        ministry = resolve_actor(session, "#2")
        claim = Claim(actor=armenia, text="Pakistani forces are in Karabakh")
        session.add(claim)
        session.flush()
        session.add(StatementSubject(statement_id=claim.id, actor_id=duplicate.id, position=0))
        session.add(StatementSubject(statement_id=claim.id, actor_id=ministry.id, position=1))
        denial = Denial(actor=duplicate, responds_to=claim, quote="baseless and unwarranted")
        session.add(denial)
        session.flush()
        session.add(StatementSubject(statement_id=denial.id, actor_id=duplicate.id, position=0))
        return claim.id, denial.id

    claim_id, denial_id = write(database, statements)
    audit_before = database.run(lambda s: len(s.scalars(select(AuditEntry)).all()))

    target = write(database, lambda s: actor_record(merge_actors(s, "MoFA Pakistan", "#2")))
    assert target == {
        "id": 2,
        "name": "Ministry of Foreign Affairs of Pakistan",
        "kind": "ministry",
        "country": "PK",
        "wikidata": None,
        "description": None,
        "aliases": ["Pakistan Foreign Office", "Pak MFA", "MoFA Pakistan"],
        "affiliations": [
            {
                "organization": "Pakistan",
                "organization_id": 1,
                "role": None,
                "from": "1947-08-14",
                "to": None,
            }
        ],
        "merged_into": None,
    }
    with database.session() as session:
        denial = session.get(Denial, denial_id)
        assert denial is not None and denial.actor_id == 2
        subjects = session.execute(
            select(StatementSubject.statement_id, StatementSubject.actor_id).order_by(
                StatementSubject.statement_id, StatementSubject.actor_id
            )
        ).all()
        assert [tuple(row) for row in subjects] == [(claim_id, 2), (denial_id, 2)]
        duplicate = session.scalars(select(Actor).where(Actor.name == "MoFA Pakistan")).one()
        assert duplicate.merged_into_id == 2
        assert (
            session.scalars(select(ActorAlias).where(ActorAlias.actor_id == duplicate.id)).all()
            == []
        )
        assert resolve_actor(session, "mofa pakistan").id == 2
        assert resolve_actor(session, "Pak MFA").id == 2
        affiliations = session.execute(
            select(Affiliation.member_id, Affiliation.organization_id, Affiliation.role).order_by(
                Affiliation.id
            )
        ).all()
        assert [tuple(row) for row in affiliations] == [
            (2, 1, None),
            (3, 2, "spokesperson"),
            (6, 2, "deputy"),
        ]
        entries = session.scalars(select(AuditEntry).order_by(AuditEntry.id)).all()
        merges = [e for e in entries[audit_before:] if e.action == "merge"]
        assert len(merges) == 1
        assert (merges[0].table_name, merges[0].row_id) == ("actors", duplicate.id)
        assert json.loads(merges[0].after or "{}") == {
            "into": "Ministry of Foreign Affairs of Pakistan",
            "merged_into": 2,
            "moved": {"affiliations": 2, "aliases": 2, "statements": 1, "subjects": 2},
        }
        assert json.loads(merges[0].before or "{}")["name"] == "MoFA Pakistan"

    details = database.run(lambda s: actor_details(s, "#2"))
    assert (details["statements_by"], details["statements_about"]) == (1, 2)
    listed = [r["name"] for r in database.run(lambda s: list_actors(s))]
    assert "MoFA Pakistan" not in listed
    everything = database.run(lambda s: list_actors(s, include_merged=True))
    assert [r["merged_into"] for r in everything if r["name"] == "MoFA Pakistan"] == [2]

    refused(
        database,
        snapshot,
        Conflict,
        "DUPLICATE: MoFA Pakistan (#5) is already merged into "
        "Ministry of Foreign Affairs of Pakistan (#2)",
        lambda s: merge_actors(s, "MoFA Pakistan", "Pakistan"),
    )
    refused(
        database,
        snapshot,
        InvalidInput,
        "INTO: 'Pak MFA' and '#2' are the same actor, Ministry of Foreign Affairs of Pakistan (#2)",
        lambda s: merge_actors(s, "Pak MFA", "#2"),
    )
    refused(
        database,
        snapshot,
        Conflict,
        "NAME: 'MoFA Pakistan' is already the name of MoFA Pakistan (#5), merged into "
        "Ministry of Foreign Affairs of Pakistan (#2)",
        lambda s: add_actor(s, "MoFA Pakistan", "ministry"),
    )


def test_merging_an_organization_into_its_member_drops_the_self_affiliation(
    database: Database, snapshot: Snapshot
) -> None:
    add(database, "Armenia", country="AM")
    add(database, "Republic of Armenia", member_of="Armenia")
    add(database, "Government of Armenia", "organization", member_of="Armenia")
    add(database, "Armenian MFA", "ministry", member_of="Government of Armenia")
    write(database, lambda s: merge_actors(s, "Armenia", "Republic of Armenia"))
    with database.session() as session:
        rows = session.execute(
            select(Affiliation.member_id, Affiliation.organization_id).order_by(Affiliation.id)
        ).all()
        assert [tuple(row) for row in rows] == [(3, 2), (4, 3)]
    refused(
        database,
        snapshot,
        InvalidInput,
        "INTO: affiliations cannot go in a circle (Armenian MFA → Government of Armenia → "
        "Armenian MFA)",
        lambda s: merge_actors(s, "Republic of Armenia", "Armenian MFA"),
    )


def test_country_list_is_iso_3166_alpha_2() -> None:
    assert len(COUNTRIES) == 250  # the 249 assigned codes plus XK (Kosovo)
    assert all(len(code) == 2 and code.isupper() for code in COUNTRIES)
    assert {"PK", "AM", "AZ", "RS", "TR", "RU", "US", "GB", "XK"} <= set(COUNTRIES)
    assert "UK" not in COUNTRIES

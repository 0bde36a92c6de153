"""``factdb actor ...`` through the command line: exact output, exact errors, nothing written
on failure."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable
from typing import Any

import pytest
from conftest import Cli
from sqlalchemy import select

from factdb.queries.resolve import resolve_actor
from factdb.store.db import Database
from factdb.store.models import AuditEntry, Claim, StatementSubject

Snapshot = Callable[[], dict[str, list[tuple[Any, ...]]]]


def fails(cli: Cli, snapshot: Snapshot, code: int, line: str, *args: str) -> None:
    """The command exits with ``code``, prints exactly ``line`` on stderr and writes nothing."""
    before = snapshot()
    result = cli(*args)
    assert (result.exit_code, result.stderr) == (code, line + "\n"), result.stdout
    assert result.stdout == ""
    assert snapshot() == before


def chain(cli: Cli) -> None:
    cli.ok("actor", "add", "Pakistan", "--kind", "state", "--country", "PK")
    cli.ok(
        "actor",
        "add",
        "Ministry of Foreign Affairs of Pakistan",
        "--kind",
        "ministry",
        "--member-of",
        "Pakistan",
        "--alias",
        "Pakistan Foreign Office",
        "--alias",
        "MOFA",
    )
    cli.ok(
        "actor",
        "add",
        "Zahid Hafeez Chaudhri",
        "--kind",
        "person",
        "--member-of",
        "pakistan foreign office",
        "--role",
        "spokesperson",
        "--from",
        "2020-01",
        "--to",
        "2022-12",
    )


def test_actor_add_says_what_it_added(cli: Cli) -> None:
    result = cli.ok("actor", "add", "Pakistan", "--kind", "state", "--country", "pk")
    assert result.stdout == "Added actor #1 Pakistan (state, PK).\n"
    result = cli.ok("actor", "add", "Nikol Pashinyan", "--kind", "person")
    assert result.stdout == "Added actor #2 Nikol Pashinyan (person).\n"


def test_actor_add_json_prints_the_new_record(cli: Cli) -> None:
    cli.ok("actor", "add", "Pakistan", "-k", "state", "--country", "PK")
    record = cli.json(
        "actor",
        "add",
        "Ministry of Foreign Affairs of Pakistan",
        "--kind",
        "MINISTRY",
        "--member-of",
        "Pakistan",
        "--role",
        "foreign ministry",
        "--from",
        "1947-08-14",
        "--alias",
        "Pakistan Foreign Office",
        "--wikidata",
        "Q3315876",
        "--description",
        "Pakistan's foreign ministry",
    )
    assert record == {
        "id": 2,
        "name": "Ministry of Foreign Affairs of Pakistan",
        "kind": "ministry",
        "country": None,
        "wikidata": "Q3315876",
        "description": "Pakistan's foreign ministry",
        "aliases": ["Pakistan Foreign Office"],
        "affiliations": [
            {
                "organization": "Pakistan",
                "organization_id": 1,
                "role": "foreign ministry",
                "from": "1947-08-14",
                "to": None,
            }
        ],
        "merged_into": None,
    }


def test_actor_show_json_with_members_and_counts(cli: Cli) -> None:
    chain(cli)
    assert cli.json("actor", "show", "mofa") == {
        "id": 2,
        "name": "Ministry of Foreign Affairs of Pakistan",
        "kind": "ministry",
        "country": None,
        "wikidata": None,
        "description": None,
        "aliases": ["Pakistan Foreign Office", "MOFA"],
        "affiliations": [
            {
                "organization": "Pakistan",
                "organization_id": 1,
                "role": None,
                "from": None,
                "to": None,
            }
        ],
        "merged_into": None,
        "members": [
            {
                "member": "Zahid Hafeez Chaudhri",
                "member_id": 3,
                "role": "spokesperson",
                "from": "2020-01",
                "to": "2022-12",
            }
        ],
        "statements_by": 0,
        "statements_about": 0,
    }


def test_actor_show_table(cli: Cli) -> None:
    chain(cli)
    # rich wraps to the terminal's width, so compare the words
    words = " ".join(cli.ok("actor", "show", "#3").stdout.split())
    assert words == (
        "id 3 name Zahid Hafeez Chaudhri kind person affiliations Ministry of Foreign Affairs "
        "of Pakistan (#2) (spokesperson, from 2020-01, to 2022-12) statements_by 0 "
        "statements_about 0"
    )


def test_actor_show_csv(cli: Cli) -> None:
    chain(cli)
    assert cli.ok("actor", "show", "Pakistan Foreign Office", "-f", "csv").stdout == (
        "id,name,kind,country,wikidata,description,aliases,affiliations,merged_into,members,"
        "statements_by,statements_about\n"
        "2,Ministry of Foreign Affairs of Pakistan,ministry,,,,Pakistan Foreign Office; MOFA,"
        'Pakistan (#1),,"Zahid Hafeez Chaudhri (#3) (spokesperson, from 2020-01, to 2022-12)",'
        "0,0\n"
    )


def test_actor_list_json_csv_and_kind_filter(cli: Cli) -> None:
    chain(cli)
    listed = cli.json("actor", "list")
    assert [(r["id"], r["name"]) for r in listed] == [
        (2, "Ministry of Foreign Affairs of Pakistan"),
        (1, "Pakistan"),
        (3, "Zahid Hafeez Chaudhri"),
    ]
    assert listed[1] == {
        "id": 1,
        "name": "Pakistan",
        "kind": "state",
        "country": "PK",
        "wikidata": None,
        "description": None,
        "aliases": [],
        "affiliations": [],
        "merged_into": None,
    }
    assert cli.ok("actor", "list", "--kind", "person", "--format", "csv").stdout == (
        "id,name,kind,country,aliases,affiliations\n"
        "3,Zahid Hafeez Chaudhri,person,,,Ministry of Foreign Affairs of Pakistan\n"
    )
    assert cli.json("actor", "list", "--kind", "media") == []
    empty = cli.ok("actor", "list", "--kind", "media")
    assert (empty.stdout, empty.stderr) == ("", "No actors yet; add one with `factdb actor add`.\n")


def test_aliases_with_diacritics_and_armenian_script(cli: Cli) -> None:
    cli.ok("actor", "add", "Aleksandar Vučić", "--kind", "person", "--country", "RS")
    result = cli.ok("actor", "alias", "aleksandar vucic", "Vučić", "Александар Вучић")
    assert result.stdout == ("Actor #1 Aleksandar Vučić is also called: Vučić; Александар Вучић.\n")
    cli.ok("actor", "add", "Nikol Pashinyan", "--kind", "person", "--alias", "Նիկոլ Փաշինյան")
    assert cli.json("actor", "show", "VUCIC")["name"] == "Aleksandar Vučić"
    assert cli.json("actor", "show", "ՆԻԿՈԼ ՓԱՇԻՆՅԱՆ")["aliases"] == ["Նիկոլ Փաշինյան"]
    assert cli.json("actor", "alias", "#2", "Pashinyan")["aliases"] == [
        "Նիկոլ Փաշինյան",
        "Pashinyan",
    ]


def test_unknown_actor_suggests_the_nearest(cli: Cli, snapshot: Snapshot) -> None:
    chain(cli)
    fails(
        cli,
        snapshot,
        1,
        "error: ACTOR: no actor is called 'Pakistn'; did you mean Pakistan?",
        "actor",
        "show",
        "Pakistn",
    )
    fails(
        cli,
        snapshot,
        1,
        "error: --member-of: no actor is called 'Pakistan Foriegn Office'; "
        "did you mean Ministry of Foreign Affairs of Pakistan?",
        "actor",
        "add",
        "Asim Iftikhar Ahmad",
        "--kind",
        "person",
        "--member-of",
        "Pakistan Foriegn Office",
    )


def test_ambiguous_alias_lists_the_candidates(cli: Cli, snapshot: Snapshot) -> None:
    chain(cli)
    cli.ok(
        "actor",
        "add",
        "Ministry of Foreign Affairs of Armenia",
        "-k",
        "ministry",
        "--alias",
        "MoFA",
    )
    fails(
        cli,
        snapshot,
        1,
        "error: MEMBER: 'mofa' could be any of: Ministry of Foreign Affairs of Pakistan (#2), "
        "Ministry of Foreign Affairs of Armenia (#4); give the full name",
        "actor",
        "affiliate",
        "mofa",
        "Pakistan",
    )


@pytest.mark.parametrize(
    ("args", "line"),
    [
        (
            ("actor", "add", "pakistan", "--kind", "state"),
            "error: NAME: there is already an actor called 'Pakistan' (#1)",
        ),
        (
            ("actor", "add", "MOFA", "--kind", "ministry"),
            "error: NAME: 'MOFA' is already an alias of Ministry of Foreign Affairs of "
            "Pakistan (#2)",
        ),
        (
            ("actor", "alias", "Pakistan", "Zahid Hafeez Chaudhri"),
            "error: ALIAS: 'Zahid Hafeez Chaudhri' is the name of another actor, "
            "Zahid Hafeez Chaudhri (#3)",
        ),
        (
            ("actor", "add", "Azerbaijan", "--kind", "state", "--country", "AJ"),
            "error: --country: 'AJ' is not an ISO 3166-1 alpha-2 country code",
        ),
        (
            ("actor", "add", "Azerbaijan", "--kind", "state", "--wikidata", "Azerbaijan"),
            "error: --wikidata: 'Azerbaijan' is not a Wikidata item id (like Q843)",
        ),
        (
            ("actor", "add", " ", "--kind", "state"),
            "error: NAME: must not be empty",
        ),
        (
            (
                "actor",
                "add",
                "X",
                "--kind",
                "person",
                "--member-of",
                "Pakistan",
                "--from",
                "2020-02-30",
            ),
            "error: --from: '2020-02-30' is not a real date",
        ),
        (
            ("actor", "affiliate", "#3", "Pakistan", "--from", "2021", "--to", "2020"),
            "error: --from: 2021 is after --to 2020",
        ),
        (
            ("actor", "affiliate", "Pakistan", "Zahid Hafeez Chaudhri"),
            "error: ORG: affiliations cannot go in a circle (Pakistan → Zahid Hafeez Chaudhri "
            "→ Ministry of Foreign Affairs of Pakistan → Pakistan)",
        ),
        (
            ("actor", "add", "X", "--kind", "person", "--role", "envoy"),
            "error: --member-of: --role, --from and --to need --member-of",
        ),
        (
            ("actor", "edit", "Pakistan"),
            "error: nothing to change: give --name, --kind, --country, --wikidata or --description",
        ),
        (
            ("actor", "edit", "Pakistan", "--name", "MOFA"),
            "error: --name: 'MOFA' is already an alias of Ministry of Foreign Affairs of "
            "Pakistan (#2)",
        ),
        (
            ("actor", "merge", "Pakistan", "pakistan"),
            "error: INTO: 'Pakistan' and 'pakistan' are the same actor, Pakistan (#1)",
        ),
        (
            ("actor", "merge", "#9", "pakistan"),
            "error: DUPLICATE: there is no actor #9",
        ),
    ],
)
def test_bad_input_is_one_line_exit_1_and_writes_nothing(
    cli: Cli, snapshot: Snapshot, args: tuple[str, ...], line: str
) -> None:
    chain(cli)
    fails(cli, snapshot, 1, line, *args)


@pytest.mark.parametrize(
    ("args", "line"),
    [
        (
            ("actor", "add", "Azerbaijan", "--kind", "country"),
            "error: Invalid value for '--kind' / '-k': 'country' is not one of state, person, "
            "ministry, organization, armed_group, international_org, media, other "
            "(see `factdb actor add --help`)",
        ),
        (
            ("actor", "add", "Azerbaijan"),
            "error: Missing option '--kind' / '-k'. (see `factdb actor add --help`)",
        ),
        (
            ("actor", "list", "--kind", "nation"),
            "error: Invalid value for '--kind' / '-k': 'nation' is not one of state, person, "
            "ministry, organization, armed_group, international_org, media, other "
            "(see `factdb actor list --help`)",
        ),
    ],
)
def test_usage_errors_exit_2(
    cli: Cli, snapshot: Snapshot, args: tuple[str, ...], line: str
) -> None:
    chain(cli)
    fails(cli, snapshot, 2, line, *args)


def test_affiliate_and_edit(cli: Cli) -> None:
    chain(cli)
    result = cli.ok(
        "actor",
        "affiliate",
        "Zahid Hafeez Chaudhri",
        "Pakistan",
        "--role",
        "ambassador",
        "--from",
        "2023",
    )
    assert result.stdout == (
        "Actor #3 Zahid Hafeez Chaudhri is a member of #1 Pakistan (ambassador, from 2023).\n"
    )
    record = cli.json("actor", "edit", "Pakistan", "--wikidata", "q843", "--country", "")
    assert (record["wikidata"], record["country"]) == ("Q843", None)
    result = cli.ok(
        "actor", "edit", "Pakistan", "--name", "Islamic Republic of Pakistan", "--country", "pk"
    )
    assert result.stdout == "Updated actor #1 Islamic Republic of Pakistan (state, PK).\n"
    assert cli.json("actor", "show", "islamic republic of pakistan")["id"] == 1


def test_merge_moves_statements_and_leaves_an_alias_and_an_audit_row(
    cli: Cli, database: Database
) -> None:
    chain(cli)
    cli.ok("actor", "add", "Pakistani Foreign Office", "--kind", "ministry", "--alias", "FO")
    cli.ok("actor", "add", "Armenia", "--kind", "state", "--country", "AM")

    def log(session: Any) -> int:
        duplicate = resolve_actor(session, "Pakistani Foreign Office")
        claim = Claim(actor=duplicate, text="Armenia's claims are baseless")
        session.add(claim)
        session.flush()
        session.add(
            StatementSubject(statement_id=claim.id, actor_id=resolve_actor(session, "Armenia").id)
        )
        return claim.id

    claim_id = database.run(log, write=True)
    result = cli.ok("actor", "merge", "Pakistani Foreign Office", "Pakistan Foreign Office")
    assert result.stdout == (
        "Merged actor #4 Pakistani Foreign Office into #2 Ministry of Foreign Affairs of "
        "Pakistan.\n"
    )
    shown = cli.json("actor", "show", "pakistani foreign office")
    assert (shown["id"], shown["aliases"], shown["statements_by"]) == (
        2,
        ["Pakistan Foreign Office", "MOFA", "FO", "Pakistani Foreign Office"],
        1,
    )
    with database.session() as session:
        claim = session.get(Claim, claim_id)
        assert claim is not None and claim.actor_id == 2
        merge = session.scalars(select(AuditEntry).where(AuditEntry.action == "merge")).one()
        assert (merge.table_name, merge.row_id) == ("actors", 4)
        assert json.loads(merge.after or "{}")["merged_into"] == 2
    assert [r["name"] for r in cli.json("actor", "list")] == [
        "Armenia",
        "Ministry of Foreign Affairs of Pakistan",
        "Pakistan",
        "Zahid Hafeez Chaudhri",
    ]
    everything = cli.json("actor", "list", "--include-deleted")
    assert [(r["name"], r["merged_into"]) for r in everything][3] == (
        "Pakistani Foreign Office",
        2,
    )


def test_every_actor_command_has_an_example(cli: Cli) -> None:
    for command in ("add", "alias", "affiliate", "list", "show", "edit", "merge"):
        result = cli.ok("actor", command, "--help")
        assert "Example: factdb actor " + command in " ".join(result.stdout.split())


def test_installed_entry_point(run_factdb: Callable[..., subprocess.CompletedProcess[str]]) -> None:
    added = run_factdb("actor", "add", "Armenia", "--kind", "state", "--country", "am")
    assert (added.returncode, added.stdout, added.stderr) == (
        0,
        "Added actor #1 Armenia (state, AM).\n",
        "",
    )
    shown = run_factdb("actor", "show", "armenia", "--format", "json")
    assert shown.returncode == 0
    assert json.loads(shown.stdout)["country"] == "AM"
    bad = run_factdb("actor", "add", "Armenia", "--kind", "state")
    assert (bad.returncode, bad.stdout, bad.stderr) == (
        1,
        "",
        "error: NAME: there is already an actor called 'Armenia' (#1)\n",
    )


@pytest.mark.parametrize("group", ["actor", "source"])
def test_a_group_alone_prints_its_help(cli: Cli, group: str) -> None:
    result = cli(group)
    assert (result.exit_code, result.stderr) == (0, "")
    assert f"Usage: factdb {group} [OPTIONS] COMMAND [ARGS]..." in result.stdout

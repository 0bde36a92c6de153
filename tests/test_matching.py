"""Claim matching as a library call (``factdb.matching.similar``) on SQLite and PostgreSQL,
and the proposition score it ranks by (``factdb.proposition``)."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import _truncate_all
from sqlalchemy import insert
from sqlalchemy.orm import Session

from factdb.errors import InvalidInput, UnknownActor
from factdb.matching import CERTAIN_THRESHOLD, SUGGEST_THRESHOLD, Match, similar
from factdb.proposition import proposition, score
from factdb.record.actors import add_actor
from factdb.record.statements import add_claim, add_response, delete_statement, restore_statement
from factdb.store.db import Database
from factdb.store.tables import actors, statements

FORCES = "Pakistani special forces are fighting alongside the Azerbaijani army"
FORCES_DENIED = (
    "Pakistan denies that its special forces are fighting alongside the Azerbaijani army"
)
STEPANAKERT = "Azerbaijani forces shelled Stepanakert on 4 October 2020"
GANJA = "Armenian forces shelled Ganja on 4 October 2020"
GAINS = "Azerbaijani forces have made important gains along the front"
COMMANDOS = "Pakistani commandos fight for Azerbaijan in Karabakh"
GAINS_ADMITTED = "Azerbaijani forces made important gains near Fuzuli"


def run(database: Database, work: Callable[[Session], Any], *, write: bool = False) -> Any:
    return database.run(work, write=write)


def seed(session: Session) -> dict[str, int]:
    """Six statements; ids by name."""
    add_actor(session, "Armenia", kind="state", country="AM")
    add_actor(session, "Nikol Pashinyan", kind="person", member_of="Armenia", start="2018-05")
    add_actor(session, "Azerbaijan", kind="state", country="AZ")
    add_actor(session, "Pakistan", kind="state", country="PK")
    add_actor(
        session,
        "Ministry of Foreign Affairs of Pakistan",
        kind="ministry",
        member_of="Pakistan",
        aliases=["Pakistan Foreign Office"],
    )
    ids = {
        "forces": add_claim(session, FORCES, "Nikol Pashinyan", date="2020-10").id,
    }
    ids["denied"] = add_response(
        session, "denial", ids["forces"], "Pakistan Foreign Office", text=FORCES_DENIED
    ).id
    ids["stepanakert"] = add_claim(session, STEPANAKERT, "Armenia", date="2020-10-04").id
    ids["ganja"] = add_claim(session, GANJA, "Azerbaijan", date="2020-10-04").id
    ids["gains"] = add_claim(session, GAINS, "Azerbaijan", date="2020-10").id
    ids["commandos"] = add_claim(session, COMMANDOS, "Armenia", date="2020-10").id
    ids["admitted"] = add_response(
        session, "admission", ids["gains"], "Armenia", text=GAINS_ADMITTED
    ).id
    return ids


@pytest.fixture
def seeded(database: Database) -> dict[str, int]:
    return dict(run(database, seed, write=True))


def ids_of(matches: list[Match]) -> list[int]:
    return [match.statement_id for match in matches]


def test_a_paraphrase_finds_the_claim_first_then_the_denial_below_certain(
    database: Database, seeded: dict[str, int]
) -> None:
    matches = run(
        database,
        lambda s: similar(s, "Pakistan's special forces fight alongside Azerbaijan's army"),
    )
    assert ids_of(matches)[:3] == [seeded["forces"], seeded["denied"], seeded["commandos"]]
    first, denial, commandos = matches[:3]
    assert first == Match(seeded["forces"], first.score, FORCES)
    assert first.score >= CERTAIN_THRESHOLD
    assert SUGGEST_THRESHOLD <= denial.score < CERTAIN_THRESHOLD
    assert denial.text == FORCES_DENIED
    assert commandos.score < SUGGEST_THRESHOLD
    assert all(0 < match.score <= 1 for match in matches)
    assert [match.score for match in matches] == sorted(
        (match.score for match in matches), reverse=True
    )


def test_the_same_words_score_one(database: Database, seeded: dict[str, int]) -> None:
    matches = run(database, lambda s: similar(s, STEPANAKERT, limit=1))
    assert matches == [Match(seeded["stepanakert"], 1.0, STEPANAKERT)]


def test_another_place_is_a_near_miss_below_suggest(
    database: Database, seeded: dict[str, int]
) -> None:
    """Shelling Ganja is not shelling Stepanakert, though every other word is the same."""
    query = "Stepanakert was shelled by Azerbaijani forces on 4 October 2020"
    matches = run(database, lambda s: similar(s, query))
    assert ids_of(matches)[0] == seeded["stepanakert"]
    assert matches[0].score >= CERTAIN_THRESHOLD
    ganja = [match for match in matches if match.statement_id == seeded["ganja"]]
    assert len(ganja) == 1
    assert ganja[0].score < SUGGEST_THRESHOLD


def test_a_denial_and_an_admission_of_one_proposition_stay_below_certain(
    database: Database, seeded: dict[str, int]
) -> None:
    admitted = "Pakistan admits that its special forces are fighting alongside the Azerbaijani army"
    matches = run(database, lambda s: similar(s, admitted, kind="denial"))
    assert ids_of(matches) == [seeded["denied"]]
    assert SUGGEST_THRESHOLD <= matches[0].score < CERTAIN_THRESHOLD
    negated = "Pakistani special forces are not fighting alongside the Azerbaijani army"
    found = run(database, lambda s: similar(s, negated, limit=2))
    assert ids_of(found) == [seeded["denied"], seeded["forces"]]
    assert found[0].score >= CERTAIN_THRESHOLD  # both say it is not so
    assert found[1].score < CERTAIN_THRESHOLD


def test_deleted_statements_never_match(database: Database, seeded: dict[str, int]) -> None:
    run(database, lambda s: delete_statement(s, seeded["gains"], True), write=True)
    matches = run(database, lambda s: similar(s, GAINS))
    assert seeded["gains"] not in ids_of(matches)
    assert seeded["admitted"] not in ids_of(matches)  # deleted with the claim it answers
    run(database, lambda s: restore_statement(s, seeded["gains"]), write=True)
    restored = run(database, lambda s: similar(s, GAINS, limit=2))
    assert ids_of(restored) == [seeded["gains"], seeded["admitted"]]


def test_kind_and_by_filters(database: Database, seeded: dict[str, int]) -> None:
    query = "Azerbaijani forces made important gains"
    assert ids_of(run(database, lambda s: similar(s, query, kind="admission"))) == [
        seeded["admitted"]
    ]
    claims = run(database, lambda s: similar(s, query, kind="claim", limit=1))
    assert ids_of(claims) == [seeded["gains"]]
    # The Foreign Office speaks for Pakistan (roll-up), unless --direct.
    assert ids_of(run(database, lambda s: similar(s, FORCES, by="Pakistan"))) == [seeded["denied"]]
    assert run(database, lambda s: similar(s, FORCES, by="Pakistan", direct=True)) == []
    by_armenia = run(database, lambda s: similar(s, FORCES, by="Armenia", limit=2))
    assert ids_of(by_armenia) == [seeded["forces"], seeded["commandos"]]


def test_exclude_leaves_out_ids(database: Database, seeded: dict[str, int]) -> None:
    matches = run(database, lambda s: similar(s, FORCES, limit=1, exclude=[seeded["forces"]]))
    assert ids_of(matches) == [seeded["denied"]]


def test_nothing_in_common_is_no_match(database: Database, seeded: dict[str, int]) -> None:
    assert run(database, lambda s: similar(s, "Le ciel est bleu au-dessus de Paris")) == []


@pytest.mark.parametrize(
    ("text", "kind", "limit", "message"),
    [
        ("", None, 5, "TEXT: must not be empty"),
        ("  ... !!! ", None, 5, "TEXT: give at least one word (letters or digits) to match"),
        (FORCES, "rumour", 5, "kind: 'rumour' is not one of claim, denial"),
        (FORCES, None, 0, "limit: must be at least 1, got 0"),
    ],
)
def test_bad_input_is_refused(
    database: Database,
    seeded: dict[str, int],
    text: str,
    kind: str | None,
    limit: int,
    message: str,
) -> None:
    with pytest.raises(InvalidInput, match=re.escape(message)):
        run(database, lambda s: similar(s, text, kind=kind, limit=limit))


def test_an_unknown_actor_is_refused(database: Database, seeded: dict[str, int]) -> None:
    with pytest.raises(UnknownActor, match=r"^by: no actor is called 'Pakistn'"):
        run(database, lambda s: similar(s, FORCES, by="Pakistn"))


# ----------------------------------------------------------------------------- the score


def test_polarity_is_kept_apart_from_the_words() -> None:
    admitted = proposition("Iran admitted supplying drones to Russia")
    denied = proposition("Iran denied supplying drones to Russia")
    assert admitted.stems == denied.stems == ("iran", "supply", "dron", "russi")
    assert (admitted.negated, denied.negated) == (False, True)
    assert proposition("Iran did not deny it").negated is False  # two flips cancel
    assert proposition("Iran isn't supplying drones").negated is True
    assert (
        score("Iran admitted supplying drones to Russia", "Iran denied supplying drones to Russia")
        < CERTAIN_THRESHOLD
    )


def test_names_dates_and_roles_matter() -> None:
    same = score(
        "Azerbaijani forces shelled Stepanakert on 4 October",
        "Stepanakert was shelled by Azerbaijani forces on October 4",
    )
    assert same == 1.0
    other_day = score(
        "Azerbaijani forces shelled Stepanakert on 4 October",
        "Azerbaijani forces shelled Stepanakert on 5 October",
    )
    assert other_day < SUGGEST_THRESHOLD
    swapped = score("Armenia shelled Azerbaijan", "Azerbaijan shelled Armenia")
    assert swapped < SUGGEST_THRESHOLD
    passive = score("Armenia shelled Azerbaijan", "Azerbaijan was shelled by Armenia")
    assert passive == 1.0
    # "Ukrainian" and "Ukraine" are one stem said twice: one of them is left for "Russian".
    other_actor = score(
        "Russian troops shot down flight MH17 over eastern Ukraine",
        "Ukrainian troops shot down flight MH17 over eastern Ukraine",
    )
    assert other_actor < CERTAIN_THRESHOLD
    assert score("Pakistani troops", "Pakistan's troops") == 1.0


def test_help_and_import_do_not_load_rapidfuzz() -> None:
    """``factdb --help`` and importing the library leave rapidfuzz out; scoring loads it (so
    the probe can see it)."""
    probe = (
        "import sys\n"
        "import factdb.cli, factdb.matching\n"
        "sys.argv = ['factdb', '--help']\n"
        "try:\n"
        "    factdb.cli.main()\n"
        "except SystemExit:\n"
        "    pass\n"
        "sys.stderr.write(str('rapidfuzz' in sys.modules))\n"
        "factdb.proposition.score('Iran supplied drones', 'Iran sent drones')\n"
        "sys.stderr.write(' ' + str('rapidfuzz' in sys.modules))\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60)
    assert done.stderr == "False True"


# ----------------------------------------------------------------------------- both databases

LABELLED = Path(__file__).resolve().parent.parent / "bench" / "matching_pairs.jsonl"


def labelled_set() -> tuple[list[str], list[str]]:
    """The queries and the statements of the hand-labelled set (bench/matching_pairs.jsonl)."""
    groups = [json.loads(line) for line in LABELLED.read_text(encoding="utf-8").splitlines()]
    texts = [
        text for group in groups for key, value in group.items() if key != "query" for text in value
    ]
    return [group["query"] for group in groups], list(dict.fromkeys(texts))


def top_matches(url: str, texts: list[str], queries: list[str]) -> list[Match | None]:
    """Load ``texts`` as claims into the database at ``url``; each query's best match."""
    database = Database.open(url)
    now = dt.datetime(2026, 1, 1)
    with database.engine.begin() as connection:
        connection.execute(
            insert(actors),
            [{"id": 1, "name": "Someone", "name_key": "someone", "kind": "other",
              "created_at": now, "updated_at": now}],
        )  # fmt: skip
        connection.execute(
            insert(statements),
            [
                {"id": number, "kind": "claim", "actor_id": 1, "text": text,
                 "created_at": now, "updated_at": now}
                for number, text in enumerate(texts, start=1)
            ],
        )  # fmt: skip

    def best(session: Session) -> list[Match | None]:
        return [next(iter(similar(session, query, limit=1)), None) for query in queries]

    return list(database.run(best))


def test_both_databases_give_the_same_top_match_on_the_labelled_set(
    tmp_path: Path, sqlite_template: Path, pg_database_url: str
) -> None:
    queries, texts = labelled_set()
    assert len(queries) >= 50
    assert len(texts) >= 250
    path = tmp_path / "labelled.sqlite3"
    shutil.copyfile(sqlite_template, path)
    _truncate_all(pg_database_url)
    on_sqlite = top_matches(str(path), texts, queries)
    on_postgresql = top_matches(pg_database_url, texts, queries)
    assert on_sqlite == on_postgresql
    assert all(match is not None for match in on_sqlite)

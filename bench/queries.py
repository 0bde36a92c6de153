"""Benchmark of the query path (issue 3): a synthetic record, then in-process query medians
and whole-process CLI start-up, each printed beside its target.

    python bench/queries.py                      # 1,000 actors, 1,000,000 statements
    python bench/queries.py --statements 100000  # a quicker run
    python bench/queries.py --db /tmp/b.sqlite3 --keep   # keep (and reuse) the database

The record is written with SQLAlchemy Core bulk inserts straight into an SQLite database at
the head schema (the FTS triggers run as for any write); two thirds of the statements are
responses (denials, endorsements, disputes, admissions, retractions, fact-checks) to earlier
statements, dated after what they answer. Targets (SQLite, 1M statements):
``who-denied --by X`` and ``search`` under 20 ms median in-process; ``who-denied --by STATE``
with every row as JSON text within 1.5x one raw ``sqlite3`` query returning the same rows
from the same file (in-process, warm); a CLI query's whole run, the default who-denied table
of a state (30 rows and the total) included, within 1.2x
``python -c "import sqlalchemy.orm, typer, rich.table"``; ``factdb --help`` within 1.2x
``python -c "import typer, rich"``.
"""

from __future__ import annotations

import argparse
import compileall
import datetime as dt
import gc
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from factdb.vocabulary import VERDICTS

BATCH = 20_000
KIND_SHARES = (
    ("denial", 0.35),
    ("endorsement", 0.25),
    ("dispute", 0.12),
    ("fact_check", 0.13),
    ("admission", 0.08),
    ("retraction", 0.07),
)
STATES = [
    "Armenia", "Azerbaijan", "Pakistan", "Russia", "Turkey", "Iran", "Georgia", "India",
    "China", "France", "Germany", "Ukraine", "Belarus", "Poland", "Serbia", "Kosovo", "Israel",
    "Egypt", "Ethiopia", "Eritrea", "Sudan", "Libya", "Syria", "Iraq", "Qatar", "Oman", "Japan",
    "Korea", "Vietnam", "Brazil", "Chile", "Peru", "Mexico", "Cuba", "Canada", "Norway",
    "Sweden", "Finland", "Estonia", "Latvia", "Lithuania", "Moldova", "Romania", "Hungary",
    "Greece", "Cyprus", "Lebanon", "Jordan", "Yemen", "Somalia", "Kenya", "Nigeria", "Mali",
    "Niger", "Chad", "Algeria", "Morocco", "Tunisia", "Spain", "Italy",
]  # fmt: skip
FIRST = ["Nikol", "Ilham", "Imran", "Sergey", "Mevlüt", "Javad", "Zahid", "Maria", "Anna",
         "Dmytro", "Aleksandar", "Hikmet", "Ararat", "Jean", "Olaf", "Ewa", "Ayşe", "Tomás",
         "Li", "Kenji", "Amina", "Yusuf", "Nadia", "Pedro", "Ingrid", "Kaja",
         "Gitanas"]  # fmt: skip
LAST = ["Pashinyan", "Aliyev", "Khan", "Lavrov", "Çavuşoğlu", "Zarif", "Chaudhri", "Zakharova",
        "Kuleba", "Vučić", "Hajiyev", "Mirzoyan", "Le Drian", "Scholz", "Kowalska", "Yılmaz",
        "García", "Wei", "Tanaka", "Diallo", "Öztürk", "Silva", "Hansen",
        "Kallas", "Nausėda"]  # fmt: skip
SUBJECTS = ["special forces", "mercenaries", "drones", "artillery units", "cluster munitions",
            "foreign fighters", "peacekeepers", "border guards", "missile batteries", "militias",
            "military advisers", "naval vessels", "supply convoys", "refugee columns",
            "humanitarian workers", "election observers", "journalists", "cyber units"]  # fmt: skip
VERBS = ["are fighting alongside", "shelled", "violated the ceasefire near", "attacked",
         "withdrew from", "reinforced", "blockaded", "evacuated", "occupied", "crossed into",
         "struck civilian areas of", "mined the roads to", "negotiated the release of",
         "supplied weapons to", "shot down an aircraft over"]  # fmt: skip
PLACES = ["Stepanakert", "Ganja", "Shusha", "Lachin", "Mingecevir", "Tartar", "Fuzuli",
          "Jabrayil", "Hadrut", "Martuni", "Kalbajar", "Aghdam", "Goris", "Kapan", "Nakhchivan",
          "Donetsk", "Mariupol", "Kherson", "Idlib", "Aleppo", "Tigray", "Mekelle", "Darfur",
          "Tripoli", "Benghazi", "Gaza", "Sinai", "Kashmir", "Ladakh", "Balochistan"]  # fmt: skip
QUALIFIERS = ["last week", "overnight", "on Sunday", "despite the truce", "in violation of UN "
              "Security Council resolutions", "according to officials", "with heavy losses",
              "under cover of darkness", "for the third time this month",
              "near the front line"]  # fmt: skip
DENIALS = ["baseless and unwarranted", "fabricated", "a blatant lie", "irresponsible propaganda",
           "completely untrue", "disinformation", "groundless allegations", "a provocation",
           "fake news", "absurd and unfounded"]  # fmt: skip
SUPPORT = ["we fully support", "this is correct", "we stand with", "confirmed by our sources",
           "we share this assessment", "a fair account"]  # fmt: skip
DOUBT = ["remains to be verified", "we question these figures", "no evidence was offered",
         "the account is disputed", "an exaggeration"]  # fmt: skip


def claim_text(rng: random.Random, actors: list[str]) -> str:
    who = rng.choice(STATES)
    return (
        f"{who}'s {rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(PLACES)} "
        f"{rng.choice(QUALIFIERS)}, said {rng.choice(actors)}"
    )


def response_text(rng: random.Random, kind: str) -> tuple[str | None, str | None]:
    """(text, quote) for a response of ``kind``."""
    place = rng.choice(PLACES)
    if kind == "denial":
        return f"The report about {place} is false", rng.choice(DENIALS)
    if kind == "endorsement":
        return f"The events in {place} happened as described", rng.choice(SUPPORT)
    if kind == "dispute":
        return f"The account of {place} {rng.choice(DOUBT)}", None
    if kind == "admission":
        return f"Our forces were present near {place}", "we do not deny it"
    if kind == "retraction":
        return f"The earlier statement on {place} was mistaken", None
    return f"Checked against satellite imagery of {place}", None


def random_date(rng: random.Random, start: dt.date, span: int) -> tuple[dt.date | None, str | None]:
    roll = rng.random()
    if roll < 0.02:
        return None, None
    day = start + dt.timedelta(days=rng.randrange(span))
    if roll < 0.07:
        return day.replace(month=1, day=1), "year"
    if roll < 0.20:
        return day.replace(day=1), "month"
    return day, "day"


def batches(rows: Iterator[dict[str, Any]], size: int = BATCH) -> Iterator[list[dict[str, Any]]]:
    batch: list[dict[str, Any]] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def generate(path: Path, statements: int, actors: int, seed: int) -> dict[str, Any]:
    """Write the synthetic record; returns what the timings need (names, ids)."""
    from sqlalchemy import insert

    from factdb.store.db import Database
    from factdb.store.models import (
        Actor,
        Affiliation,
        Source,
        Statement,
        StatementSource,
        StatementSubject,
        StatementTopic,
        Topic,
    )
    from factdb.text import name_key

    rng = random.Random(seed)
    database = Database.open(str(path))
    database.ensure_ready()
    now = dt.datetime(2026, 1, 1)

    names: list[tuple[str, str]] = [(state, "state") for state in STATES]
    for state in STATES:
        names.append((f"Ministry of Foreign Affairs of {state}", "ministry"))
        names.append((f"Ministry of Defence of {state}", "ministry"))
    media = 0
    while len(names) < actors:
        if len(names) % 25 == 0:
            media += 1
            names.append((f"Fact Check Desk {media}", "media"))
            continue
        person = f"{rng.choice(FIRST)} {rng.choice(LAST)} {len(names)}"
        names.append((person, "person"))
    names = names[:actors]
    actor_rows = [
        {
            "id": number,
            "name": name,
            "name_key": name_key(name),
            "kind": kind,
            "created_at": now,
            "updated_at": now,
        }
        for number, (name, kind) in enumerate(names, start=1)
    ]
    state_ids = list(range(1, len(STATES) + 1))
    ministry_ids = [n for n, (_name, kind) in enumerate(names, start=1) if kind == "ministry"]
    people = [n for n, (_name, kind) in enumerate(names, start=1) if kind == "person"]
    affiliations: list[dict[str, Any]] = []
    for index, ministry in enumerate(ministry_ids):
        # every row carries every key: an executemany takes its columns from the first row
        affiliations.append(
            {
                "member_id": ministry,
                "organization_id": state_ids[index // 2],
                "role": None,
                "start_date": None,
                "start_precision": None,
                "end_date": None,
                "end_precision": None,
            }
        )
    for person in people:
        ministry = rng.choice(ministry_ids)
        start = dt.date(rng.randrange(2008, 2020), 1, 1)
        ended = rng.random() < 0.3
        end = dt.date(rng.randrange(start.year, 2024), 12, 1) if ended else None
        affiliations.append(
            {
                "member_id": person,
                "organization_id": ministry,
                "role": "spokesperson",
                "start_date": start,
                "start_precision": "year",
                "end_date": end,
                "end_precision": "month" if end else None,
            }
        )
    topic_rows = [
        {"id": n, "name": f"{place} conflict", "name_key": name_key(f"{place} conflict")}
        for n, place in enumerate(PLACES, start=1)
    ]
    source_count = max(100, statements // 50)
    source_rows = [
        {
            "id": n,
            "url": f"https://news{n % 97}.example.org/{2015 + n % 10}/story-{n}",
            "outlet": f"Example News {n % 97}",
            "created_at": now,
            "updated_at": now,
        }
        for n in range(1, source_count + 1)
    ]
    actor_names = [name for name, _kind in names]
    claims = statements // 3
    kinds = [kind for kind, _share in KIND_SHARES]
    weights = [share for _kind, share in KIND_SHARES]
    dates: list[dt.date | None] = []
    authors: list[int] = []

    def statement_rows() -> Iterator[dict[str, Any]]:
        base = dt.date(2015, 1, 1)
        for number in range(1, statements + 1):
            row: dict[str, Any] = {
                "id": number,
                "created_at": now,
                "updated_at": now,
                "verdict": None,
                "rating": None,
                "lang": "en",
                "note": None,
            }
            if number <= claims:
                date, precision = random_date(rng, base, 3650)
                author = rng.randrange(1, actors + 1)
                row.update(
                    kind="claim",
                    actor_id=author,
                    responds_to_id=None,
                    text=claim_text(rng, actor_names),
                    quote=None,
                )
            else:
                kind = rng.choices(kinds, weights)[0]
                target = (
                    rng.randrange(1, claims + 1)
                    if rng.random() < 0.75 or number == claims + 1
                    else rng.randrange(claims + 1, number)
                )
                target_date = dates[target - 1]
                start = target_date or base
                date, precision = random_date(rng, start, 60)
                author = (
                    authors[target - 1] if kind == "retraction" else rng.randrange(1, actors + 1)
                )
                text, quote = response_text(rng, kind)
                row.update(
                    kind=kind,
                    actor_id=author,
                    responds_to_id=target,
                    text=text,
                    quote=quote,
                )
                if kind == "fact_check":
                    row.update(verdict=rng.choice(VERDICTS), rating="see the full check")
            row.update(date=date, date_precision=precision)
            dates.append(date)
            authors.append(author)
            yield row

    started = time.perf_counter()
    engine = database.engine.execution_options(factdb_write=True)
    with engine.begin() as connection:
        connection.execute(insert(Actor.__table__), actor_rows)
        connection.execute(insert(Affiliation.__table__), affiliations)
        connection.execute(insert(Topic.__table__), topic_rows)
        connection.execute(insert(Source.__table__), source_rows)
    # One transaction per batch keeps the write-ahead log small (it is checkpointed on commit).
    for batch in batches(statement_rows()):
        with engine.begin() as connection:
            connection.execute(insert(Statement.__table__), batch)
            links = [
                {
                    "statement_id": row["id"],
                    "source_id": 1 + row["id"] % source_count,
                    "position": 0,
                    "locator": None,
                }
                for row in batch
            ]
            connection.execute(insert(StatementSource.__table__), links)
            claim_rows = [row for row in batch if row["kind"] == "claim"]
            if claim_rows:
                connection.execute(
                    insert(StatementSubject.__table__),
                    [
                        {
                            "statement_id": row["id"],
                            "actor_id": rng.choice(state_ids),
                            "position": 0,
                        }
                        for row in claim_rows
                    ],
                )
                connection.execute(
                    insert(StatementTopic.__table__),
                    [
                        {
                            "statement_id": row["id"],
                            "topic_id": rng.randrange(1, len(topic_rows) + 1),
                            "position": 0,
                        }
                        for row in claim_rows
                    ],
                )
    elapsed = time.perf_counter() - started
    return {"elapsed": elapsed}


def raw_who_denied(database: Any, name: str) -> tuple[str, list[Any]]:
    """The floor of ``who-denied --by NAME``: one plain SQL query that returns the same rows
    (each denial with what it denies and its sources, in order), with the actors whose
    denials count and the dates when they do written in as constants. Worked out with
    factdb's roll-up here, outside the timing: the floor is the database's share alone."""
    from factdb.queries.filters import actor_filter
    from factdb.queries.rollup import Affiliations

    def periods(session: Any) -> list[tuple[int, Any]]:
        affiliations = Affiliations.load(session)
        wanted = actor_filter(session, name, "--by", affiliations)
        assert wanted is not None
        return [(actor, wanted.periods(affiliations, actor)) for actor in wanted.candidates]

    terms: list[str] = []
    params: list[Any] = []
    for actor, when in sorted(periods_ for periods_ in database.run(periods)):
        for start, stop in when.ranges:
            terms.append(
                "(r.actor_id = ? AND r.kind = 'denial'"
                + ("" if start is None else " AND r.date >= ?")
                + ("" if stop is None else " AND r.date < ?")
                + ")"
            )
            params.extend([actor, *(str(d) for d in (start, stop) if d is not None)])
        if when.undated:
            terms.append("(r.actor_id = ? AND r.kind = 'denial' AND r.date IS NULL)")
            params.append(actor)
    # the terms are fixed text; every value is a parameter
    sql = (
        "SELECT r.id, r.kind, r.actor_id, r.date, r.date_precision, r.quote, t.id, "  # noqa: S608
        "coalesce(t.text, t.quote), t.actor_id, t.date, s.url, s.outlet, l.locator "
        "FROM statements r JOIN statements t ON t.id = r.responds_to_id "
        "LEFT JOIN statement_sources l ON l.statement_id = r.id "
        "LEFT JOIN sources s ON s.id = l.source_id "
        "WHERE r.deleted_at IS NULL AND t.deleted_at IS NULL "
        f"AND ({' OR '.join(terms)}) "
        "ORDER BY r.date IS NULL, r.date, r.id, l.position, l.source_id"
    )
    return sql, params


def median_ms(work: Callable[[], Any], runs: int) -> tuple[float, Any]:
    result = work()  # warm caches
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        result = work()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), result


def interleaved_medians(
    works: dict[str, Callable[[], Any]], runs: int
) -> dict[str, tuple[float, Any]]:
    """Median ms and last result of each piece of work, run in interleaved rounds (so a
    change in the machine's load affects all of them alike), after one warm-up round."""
    times: dict[str, list[float]] = {name: [] for name in works}
    results: dict[str, Any] = {}
    for round_number in range(runs + 1):
        for name, work in works.items():
            started = time.perf_counter()
            results[name] = work()
            if round_number:
                times[name].append((time.perf_counter() - started) * 1000)
    return {name: (statistics.median(times[name]), results[name]) for name in works}


def process_medians(commands: dict[str, list[str]], runs: int) -> dict[str, float]:
    """Median wall time (ms) of each command, run in interleaved rounds (so a change in the
    machine's load affects all of them alike), after one warm-up round."""
    times: dict[str, list[float]] = {name: [] for name in commands}
    for round_number in range(runs + 1):
        for name, command in commands.items():
            started = time.perf_counter()
            subprocess.run(
                command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
            )
            if round_number:
                times[name].append((time.perf_counter() - started) * 1000)
    return {name: statistics.median(values) for name, values in times.items()}


def line(label: str, value: str, target: str, ok: bool | None) -> None:
    verdict = "" if ok is None else ("PASS" if ok else "FAIL")
    print(f"  {label:<52} {value:>12}   target {target:<22} {verdict}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--statements", type=int, default=1_000_000)
    parser.add_argument("--actors", type=int, default=1000)
    parser.add_argument("--db", type=Path, default=None, help="SQLite file (default: a temp dir)")
    parser.add_argument("--keep", action="store_true", help="keep the database; reuse it if there")
    parser.add_argument("--runs", type=int, default=21, help="in-process repetitions")
    parser.add_argument("--cli-runs", type=int, default=7, help="process repetitions")
    parser.add_argument("--seed", type=int, default=2020)
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="factdb-bench-"))
    path = args.db or workdir / "bench.sqlite3"
    print(f"factdb query benchmark: {args.actors} actors, {args.statements:,} statements")
    print(f"  database: {path}")
    if path.exists() and args.keep:
        print("  reusing the existing database")
    else:
        if path.exists():
            path.unlink()
        made = generate(path, args.statements, args.actors, args.seed)
        rate = args.statements / made["elapsed"]
        print(f"  generated in {made['elapsed']:.1f} s ({rate:,.0f} statements/s, FTS included)")
    size = path.stat().st_size / 1e6
    print(f"  file size: {size:,.0f} MB")

    from factdb.queries.positions import positions
    from factdb.queries.responses import who_denied
    from factdb.queries.search import search
    from factdb.queries.status import statuses
    from factdb.store.db import Database
    from factdb.store.engine import dispose_engines

    database = Database.open(str(path))
    gc.freeze()  # as each command does before its work (factdb.cli.common.run)
    state, ministry = "Pakistan", "Ministry of Foreign Affairs of Pakistan"
    person = f"#{args.actors // 2}"  # a typical actor: a person, no members
    claim_id = 12_345 if args.statements > 12_345 else 1
    print(f"\nin-process (median of {args.runs} runs, warm; actor {person} is a person):")
    figures: list[tuple[str, float, int, float | None]] = []
    for label, work, target in (
        (f"who-denied --by {person}", lambda s: who_denied(s, by=person), 20.0),
        (f"who-denied --by {ministry}", lambda s: who_denied(s, by=ministry), 20.0),
        (f"who-denied --by {state}", lambda s: who_denied(s, by=state), 20.0),
        (f"who-denied --by {state} --direct", lambda s: who_denied(s, by=state, direct=True), 20.0),
        (
            'search "special forces Stepanakert"',
            lambda s: search(s, "special forces Stepanakert"),
            20.0,
        ),
        ('search "mercenaries"', lambda s: search(s, "mercenaries"), 20.0),
        ('search "Vucic" (diacritics)', lambda s: search(s, "Vucic"), 20.0),
        (f"who-denied --of {person}", lambda s: who_denied(s, of=person), None),
        (f"who-denied {claim_id}", lambda s: who_denied(s, claim_id), None),
        (f"positions {claim_id} --roll-up", lambda s: positions(s, claim_id, roll_up=True), None),
        (f"status of claim {claim_id}", lambda s: statuses(s, [claim_id]), None),
    ):
        ms, rows = median_ms(lambda work=work: database.run(work), args.runs)
        figures.append((label, ms, len(rows), target))
    for label, ms, count, target in figures:
        line(
            f"{label} ({count} rows)",
            f"{ms:.1f} ms",
            f"< {target:.0f} ms" if target else "-",
            ms < target if target else None,
        )

    # who-denied --by a state, every row (what --format json prints) against the floor
    import json
    import sqlite3

    from factdb.cli.common import dump_json, json_bytes

    sql, params = raw_who_denied(database, state)
    raw = sqlite3.connect(str(path))
    timings = interleaved_medians(
        {
            "floor": lambda: raw.execute(sql, params).fetchall(),
            "library": lambda: database.run(lambda s: who_denied(s, by=state)),
            "json": lambda: json_bytes(database.run(lambda s: who_denied(s, by=state))),
        },
        args.runs,
    )
    raw.close()
    (floor_ms, raw_rows), (mine_ms, rows), (json_ms, text) = timings.values()
    assert list(dict.fromkeys(row[0] for row in raw_rows)) == [r["denial_id"] for r in rows]
    assert json.loads(text) == json.loads(dump_json(rows))
    print(
        f"\nwho-denied --by {state}, every row ({len(rows)} denials, {len(raw_rows)} rows "
        "with their sources; in-process, median of interleaved runs, warm):"
    )
    line("raw sqlite3: one query, same rows (floor)", f"{floor_ms:.1f} ms", "(reference)", None)
    line("factdb who_denied (library)", f"{mine_ms:.1f} ms = {mine_ms / floor_ms:.2f}x", "-", None)
    ratio = json_ms / floor_ms
    line(
        "factdb who_denied + JSON text (--format json)",
        f"{json_ms:.1f} ms = {ratio:.2f}x",
        "<= 1.50x",
        ratio <= 1.5,
    )
    dispose_engines()

    # Timed as installed: with the package's bytecode compiled (pip compiles it on install;
    # an editable checkout run with PYTHONDONTWRITEBYTECODE=1 would recompile on every run).
    import factdb

    compileall.compile_dir(str(Path(factdb.__file__).parent), quiet=1)
    exe = str(Path(sys.executable).parent / "factdb")
    commands = {
        "query floor": [sys.executable, "-c", "import sqlalchemy.orm, typer, rich.table"],
        # what building factdb's ORM classes adds on top of the reference
        "+ factdb.store.models": [
            sys.executable,
            "-c",
            "import sqlalchemy.orm, typer, rich.table, factdb.store.models",
        ],
        "positions": [exe, "--db", str(path), "positions", str(claim_id)],
        "who-denied": [exe, "--db", str(path), "who-denied", "--by", person, "--format", "json"],
        # the default table: the first 30 rows and the total
        "who-denied state": [exe, "--db", str(path), "who-denied", "--by", state],
        "help floor": [sys.executable, "-c", "import typer, rich"],
        "help": [exe, "--help"],
    }
    timings = process_medians(commands, args.cli_runs)
    print(f"\nwhole process (median of {args.cli_runs} interleaved runs after one warm-up):")
    floor_query, floor_help = timings["query floor"], timings["help floor"]
    line(
        'python -c "import sqlalchemy.orm, typer, rich.table"',
        f"{floor_query:.0f} ms",
        "(reference)",
        None,
    )
    ratio = timings["+ factdb.store.models"] / floor_query
    line(
        "  + factdb.store.models (attribution)",
        f"{timings['+ factdb.store.models']:.0f} ms = {ratio:.2f}x",
        "-",
        None,
    )
    for label, value in (
        (f"factdb positions {claim_id} (table)", timings["positions"]),
        (f"factdb who-denied --by {person} --format json", timings["who-denied"]),
        (f"factdb who-denied --by {state} (table, 30 rows)", timings["who-denied state"]),
    ):
        ratio = value / floor_query
        line(label, f"{value:.0f} ms = {ratio:.2f}x", "<= 1.20x", ratio <= 1.2)
    line('python -c "import typer, rich"', f"{floor_help:.0f} ms", "(reference)", None)
    ratio = timings["help"] / floor_help
    line("factdb --help", f"{timings['help']:.0f} ms = {ratio:.2f}x", "<= 1.20x", ratio <= 1.2)

    if not args.keep and args.db is None:
        path.unlink()
        for extra in workdir.iterdir():
            extra.unlink()
        workdir.rmdir()


if __name__ == "__main__":
    main()

"""Benchmark: ``factdb import`` of N statements against a floor and a peer, in one run.

    python bench/import_bench.py                 # 100,000 statements, SQLite and PostgreSQL
    python bench/import_bench.py -n 1000000 --no-pg --no-peer    # memory at a million

The generated file has 1,000 actors, a third of the statements claims and the rest answers
(denials, disputes, endorsements, admissions, retractions, fact-checks) to earlier ones,
1-2 sources each. Every timed step runs in its own process and is timed from outside
(wall clock, start-up included):

- factdb: ``factdb --db fresh.sqlite3 import FILE`` (fresh database at head, FTS triggers
  and audit rows included); its peak memory is the process's max RSS (``wait4``).
- floor: plain ``sqlite3`` in a minimal script: parse the same file, ``executemany`` the
  same rows into a copy of the same fresh database (same tables, indexes, full-text index
  and triggers), one transaction, no validation, no audit rows; the full-text index filled
  and the statements' indexes built once the rows are in, as a bulk load into a fresh
  database would do it.
- rows alone: factdb's own finished rows (read back from its imported database, audit rows
  included) written by plain ``sqlite3`` as the floor writes its rows, into a copy of the same
  fresh database; timed inside that process around the writing only. What is left between this
  and factdb's import is factdb's own work (parsing, checks, building rows); what is between
  the floor and this is the data factdb keeps that the floor does not (the audit rows).
- peer: ``sqlite-utils insert db statements flat.jsonl --nl`` of the statements flattened
  (one row each, lists joined), into an empty file without indexes; then, as its own step,
  the same followed by the statements' indexes (``create-index``) and full-text index
  (``enable-fts``, FTS5 with triggers) that factdb keeps.
- export: ``factdb export -o FILE`` of the imported database.
- PostgreSQL: ``factdb --db postgresql://… import FILE`` into a fresh database.

Targets (issue 13): import ≤ 1.5× the floor in CPU time and no slower than sqlite-utils
with the same indexes and full-text index; PostgreSQL import ≤ 1.2× the SQLite import's
wall time; peak memory under 250 MiB at 1,000,000 statements; export at least as fast as
import.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from factdb.vocabulary import VERDICTS

BIN = Path(sys.executable).parent
ACTORS = 1000
KINDS = ("state", "person", "ministry", "organization", "armed_group", "media")
COUNTRIES = ("AM", "AZ", "PK", "RU", "TR", "IR", "US", "FR", "DE", "GB", "CN", "IN", "UA", "GE")
RESPONSES = (
    ("denial", 30),
    ("dispute", 15),
    ("endorsement", 25),
    ("admission", 10),
    ("retraction", 5),
    ("fact_check", 15),
)
WORDS = [
    "forces",
    "ceasefire",
    "border",
    "minister",
    "ministry",
    "troops",
    "shelling",
    "village",
    "capital",
    "talks",
    "statement",
    "claims",
    "denies",
    "evidence",
    "report",
    "civilians",
    "attack",
    "drone",
    "missile",
    "agreement",
    "sanctions",
    "envoy",
    "embassy",
    "negotiations",
    "humanitarian",
    "corridor",
    "violation",
    "territory",
]
TOPICS = [f"Topic {n:02d}" for n in range(20)]
OUTLETS = [f"https://wire{n:03d}.example.com/feed" for n in range(1000)]


# ----------------------------------------------------------------------------- data


def generate(path: Path, flat: Path, count: int, seed: int = 5) -> None:
    """The factdb JSON Lines file and the flattened statements for sqlite-utils."""
    rng = random.Random(seed)
    names = [f"Actor {n:04d} {rng.choice(WORDS).title()}" for n in range(ACTORS)]
    authors: list[int] = []
    days: list[int] = []
    base = 737425  # 2020-01-01
    weights = [weight for _, weight in RESPONSES]
    kinds = [kind for kind, _ in RESPONSES]
    with path.open("w", encoding="utf-8") as out, flat.open("w", encoding="utf-8") as peer:
        out.write('{"factdb": 1}\n')
        for n, name in enumerate(names):
            actor: dict[str, object] = {
                "type": "actor",
                "name": name,
                "kind": rng.choice(KINDS),
                "country": rng.choice(COUNTRIES),
            }
            if n % 3 == 0:
                actor["aliases"] = [f"A{n:04d}"]
            if n >= 50 and n % 10 == 0:
                actor["affiliations"] = [{"organization": names[rng.randrange(50)], "role": "x"}]
            out.write(json.dumps(actor) + "\n")
        for i in range(count):
            by = rng.randrange(ACTORS)
            record: dict[str, object] = {"type": "statement", "ref": f"r{i}"}
            day = base + rng.randrange(365)
            if i % 3 == 0 or i < 3:
                record["kind"] = "claim"
                record["about"] = [names[rng.randrange(ACTORS)]]
            else:
                parent = rng.randrange(max(0, i - 5000), i)
                kind = rng.choices(kinds, weights)[0]
                if kind == "retraction":
                    by = authors[parent]
                record["kind"] = kind
                record["responds_to"] = f"r{parent}"
                day = days[parent] + rng.randrange(30)
                if kind == "fact_check":
                    record["verdict"] = rng.choice(VERDICTS)
                    record["rating"] = "checked"
            authors.append(by)
            days.append(day)
            record["by"] = names[by]
            record["date"] = _iso(day)
            record["text"] = " ".join(rng.choices(WORDS, k=12))
            if i % 4 == 0:
                record["quote"] = " ".join(rng.choices(WORDS, k=4))
                record["lang"] = "en"
            record["topics"] = [rng.choice(TOPICS)]
            sources: list[object] = [
                {"url": f"https://news.example.org/{i // 3}", "locator": f"para {i % 3 + 1}"}
            ]
            if rng.random() < 0.5:
                sources.append(rng.choice(OUTLETS))
            record["sources"] = sources
            out.write(json.dumps(record) + "\n")
            peer.write(json.dumps(_flatten(record)) + "\n")


def _iso(ordinal: int) -> str:
    import datetime as dt

    return dt.date.fromordinal(ordinal).isoformat()


def _flatten(record: dict[str, object]) -> dict[str, object]:
    urls = [s if isinstance(s, str) else s["url"] for s in record["sources"]]  # type: ignore[attr-defined, index]
    return {
        "ref": record["ref"],
        "kind": record["kind"],
        "by": record["by"],
        "responds_to": record.get("responds_to"),
        "date": record["date"],
        "text": record["text"],
        "quote": record.get("quote"),
        "lang": record.get("lang"),
        "about": "; ".join(record.get("about", [])),  # type: ignore[arg-type]
        "topics": "; ".join(record["topics"]),  # type: ignore[arg-type]
        "sources": "; ".join(urls),
        "verdict": record.get("verdict"),
        "rating": record.get("rating"),
    }


# ----------------------------------------------------------------------------- floor


def floor_load(path: Path, db: Path) -> None:
    """The floor: the same rows into the same tables with plain sqlite3, nothing else.

    It loads as anyone loading a fresh database in bulk with plain sqlite3 would: the
    full-text index filled in one statement after the rows (not by its per-row trigger),
    the statements' secondary indexes built once the rows are in, a 16 MiB page cache; all
    in the one transaction, the trigger and indexes put back as they were."""
    with bulk_load(db, ("statements",)) as con:
        _floor_rows(con, path)


def _floor_rows(con: sqlite3.Connection, path: Path) -> None:
    now = "2026-01-01 00:00:00.000000"
    actors: dict[str, int] = {}
    topics: dict[str, int] = {}
    sources: dict[str, int] = {}
    refs: dict[str, int] = {}
    affiliations: list[tuple[int, str, str]] = []
    batch: dict[str, list[tuple[object, ...]]] = {
        "statements": [],
        "subjects": [],
        "topics": [],
        "sources": [],
        "new_sources": [],
    }

    def flush() -> None:
        con.executemany(
            "INSERT INTO sources (id, url, created_at, updated_at) VALUES (?, ?, ?, ?)",
            batch["new_sources"],
        )
        con.executemany(
            "INSERT INTO statements (id, kind, actor_id, responds_to_id, text, quote, lang, date, "
            "date_precision, verdict, rating, note, ref, created_at, updated_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            batch["statements"],
        )
        con.executemany(
            "INSERT INTO statement_subjects (statement_id, actor_id, position) VALUES (?, ?, ?)",
            batch["subjects"],
        )
        con.executemany(
            "INSERT INTO statement_topics (statement_id, topic_id, position) VALUES (?, ?, ?)",
            batch["topics"],
        )
        con.executemany(
            "INSERT INTO statement_sources (statement_id, source_id, position, locator) "
            "VALUES (?, ?, ?, ?)",
            batch["sources"],
        )
        for rows in batch.values():
            rows.clear()

    with path.open(encoding="utf-8") as lines:
        next(lines)
        for line in lines:
            record = json.loads(line)
            if record["type"] == "actor":
                actor_id = len(actors) + 1
                actors[record["name"]] = actor_id
                con.execute(
                    "INSERT INTO actors (id, name, name_key, kind, country, created_at, "
                    "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    (
                        actor_id,
                        record["name"],
                        record["name"].lower(),
                        record["kind"],
                        record.get("country"),
                        now,
                        now,
                    ),
                )
                for alias in record.get("aliases", []):
                    con.execute(
                        "INSERT INTO actor_aliases (actor_id, alias, alias_key) VALUES (?, ?, ?)",
                        (actor_id, alias, alias.lower()),
                    )
                for affiliation in record.get("affiliations", []):
                    affiliations.append(
                        (actor_id, affiliation["organization"], affiliation.get("role"))
                    )
                continue
            if affiliations:
                con.executemany(
                    "INSERT INTO affiliations (member_id, organization_id, role) VALUES (?, ?, ?)",
                    [(member, actors[org], role) for member, org, role in affiliations],
                )
                affiliations.clear()
            statement_id = len(refs) + 1
            refs[record["ref"]] = statement_id
            parent = record.get("responds_to")
            batch["statements"].append(
                (
                    statement_id,
                    record["kind"],
                    actors[record["by"]],
                    refs[parent] if parent else None,
                    record.get("text"),
                    record.get("quote"),
                    record.get("lang"),
                    record.get("date"),
                    "day",
                    record.get("verdict"),
                    record.get("rating"),
                    record.get("note"),
                    record["ref"],
                    now,
                    now,
                )
            )
            for position, name in enumerate(record.get("about", [])):
                batch["subjects"].append((statement_id, actors[name], position))
            for position, name in enumerate(record.get("topics", [])):
                topic_id = topics.get(name)
                if topic_id is None:
                    topic_id = topics[name] = len(topics) + 1
                    con.execute(
                        "INSERT INTO topics (id, name, name_key) VALUES (?, ?, ?)",
                        (topic_id, name, name.lower()),
                    )
                batch["topics"].append((statement_id, topic_id, position))
            for position, source in enumerate(record.get("sources", [])):
                url = source if isinstance(source, str) else source["url"]
                locator = None if isinstance(source, str) else source.get("locator")
                source_id = sources.get(url)
                if source_id is None:
                    source_id = sources[url] = len(sources) + 1
                    batch["new_sources"].append((source_id, url, now, now))
                batch["sources"].append((statement_id, source_id, position, locator))
            if len(batch["statements"]) >= 1000:
                flush()
    flush()


@contextmanager
def bulk_load(db: Path, tables: tuple[str, ...]) -> Iterator[sqlite3.Connection]:
    """A plain sqlite3 connection to ``db`` in one transaction with a 16 MiB page cache, the
    secondary indexes of ``tables`` and the full-text index's per-row trigger dropped; once
    the rows are in, the full-text index filled in one statement, the indexes and trigger
    put back as they were, and the transaction committed."""
    con = sqlite3.connect(db, isolation_level=None)
    con.execute("PRAGMA foreign_keys = ON")
    con.execute("PRAGMA journal_mode = WAL")
    con.execute("PRAGMA synchronous = NORMAL")
    con.execute("BEGIN IMMEDIATE")
    con.execute("PRAGMA cache_size = -16384")
    marks = ", ".join("?" * len(tables))
    deferred = con.execute(
        "SELECT name, sql FROM sqlite_master WHERE sql IS NOT NULL "  # noqa: S608 - marks only
        f"AND tbl_name IN ({marks}) AND (type = 'index' OR name = 'statements_fts_insert')",
        tables,
    ).fetchall()
    for name, sql in deferred:
        kind = "TRIGGER" if sql.startswith("CREATE TRIGGER") else "INDEX"
        con.execute(f'DROP {kind} "{name}"')
    yield con
    con.execute(
        "INSERT INTO statements_fts(rowid, text, quote, note) "
        "SELECT id, text, quote, note FROM statements"
    )
    for _name, sql in deferred:
        con.execute(sql)
    con.execute("COMMIT")
    con.close()


# The tables whose secondary indexes factdb's import builds after a large load.
FACTDB_DEFERRED = (
    "statements",
    "statement_subjects",
    "statement_topics",
    "statement_sources",
    "audit_log",
)


def rows_alone(source: Path, db: Path) -> None:
    """Write every row of ``source`` (an imported factdb database) into ``db`` (a copy of the
    fresh database) by ``bulk_load``, deferring the indexes factdb's import defers on a
    large load. Prints the wall and CPU seconds of
    the writing alone (reading the rows back is left out)."""
    from factdb.store.tables import metadata

    rows: dict[str, list[tuple[object, ...]]] = {}
    with sqlite3.connect(source) as origin:
        for table in metadata.sorted_tables:
            query = f'SELECT * FROM "{table.name}"'  # noqa: S608 - factdb's table names
            rows[table.name] = origin.execute(query).fetchall()
    started, usage = time.perf_counter(), os.times()
    with bulk_load(db, FACTDB_DEFERRED) as con:
        for name, table_rows in rows.items():
            if not table_rows:
                continue
            marks = ", ".join("?" * len(table_rows[0]))
            for start in range(0, len(table_rows), 1000):
                con.executemany(
                    f'INSERT INTO "{name}" VALUES ({marks})',  # noqa: S608 - factdb's tables
                    table_rows[start : start + 1000],
                )
    ended = os.times()
    cpu = ended.user + ended.system - usage.user - usage.system
    print(f"{time.perf_counter() - started} {cpu}")


# ----------------------------------------------------------------------------- running


def timed(command: list[str]) -> tuple[float, float, int]:
    """Wall-clock seconds, CPU seconds (user + system) and peak RSS (KiB) of one process."""
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        error = process.stderr.read().decode() if process.stderr else ""
        raise SystemExit(f"failed: {' '.join(command)}\n{error}")
    if process.stderr:
        process.stderr.close()
    return elapsed, usage.ru_utime + usage.ru_stime, usage.ru_maxrss


def peer_indexes(db: Path) -> list[list[str]]:
    """What brings the peer's table level with factdb's statements: the same indexes (the
    author's name standing for ``actor_id``, the answered ref for ``responds_to_id``) and
    the same full-text index (FTS5, diacritics removed, kept in step by triggers)."""
    tool = str(BIN / "sqlite-utils")
    table = [str(db), "statements"]
    return [
        [tool, "create-index", *table, "ref", "--unique"],
        [tool, "create-index", *table, "by"],
        [tool, "create-index", *table, "responds_to"],
        [tool, "create-index", *table, "date"],
        [tool, "create-index", *table, "kind", "date"],
        [tool, "create-index", *table, "by", "kind", "date"],
        [tool, "enable-fts", *table, "text", "quote", "--fts5", "--create-triggers",
         "--tokenize", "unicode61 remove_diacritics 2"],
    ]  # fmt: skip


def fresh_sqlite(path: Path) -> None:
    from factdb.store.db import Database
    from factdb.store.engine import dispose_engines

    Database.open(str(path)).ensure_ready()
    dispose_engines()


def mib(kib: int) -> str:
    return f"{kib / 1024:.0f} MiB"


def verdict(ok: bool) -> str:
    return "ok" if ok else "MISSED"


class Report:
    def __init__(self, statements: int) -> None:
        self.n = statements

    def step(self, label: str, wall: float, cpu: float, rss: int | None = None) -> None:
        memory = "" if rss is None else f"  peak {mib(rss):>8}"
        print(
            f"  {label:<28}{wall:8.2f} s wall {cpu:8.2f} s cpu "
            f"{self.n / wall:10,.0f} statements/s{memory}"
        )

    def ratio(
        self,
        label: str,
        mine: tuple[float, float],
        theirs: tuple[float, float],
        target: float | None,
    ) -> None:
        wall, cpu = mine[0] / theirs[0], mine[1] / theirs[1]
        verdicts = (
            ""
            if target is None
            else f"target <= {target:.2f} x   wall {verdict(wall <= target)}, "
            f"cpu {verdict(cpu <= target)}"
        )
        print(f"  {label:<28}{wall:8.2f} x wall {cpu:6.2f} x cpu   {verdicts}")


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("-n", "--statements", type=int, default=100_000)
    parser.add_argument(
        "--pg",
        default="postgresql+psycopg://postgres@127.0.0.1:5432/postgres",
        help="PostgreSQL admin URL (a scratch database is created and dropped)",
    )
    parser.add_argument("--no-pg", action="store_true", help="Skip PostgreSQL.")
    parser.add_argument("--no-peer", action="store_true", help="Skip the floor and sqlite-utils.")
    parser.add_argument("--keep", action="store_true", help="Keep the work folder.")
    parser.add_argument("--floor-load", nargs=2, metavar=("FILE", "DB"), help=argparse.SUPPRESS)
    parser.add_argument("--rows-alone", nargs=2, metavar=("SOURCE", "DB"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.floor_load:
        floor_load(Path(args.floor_load[0]), Path(args.floor_load[1]))
        return
    if args.rows_alone:
        rows_alone(Path(args.rows_alone[0]), Path(args.rows_alone[1]))
        return

    work = Path(tempfile.mkdtemp(prefix="factdb-bench-"))
    n = args.statements
    report = Report(n)
    data, flat = work / "data.jsonl", work / "flat.jsonl"
    factdb = str(BIN / "factdb")
    os.environ["FACTDB_USER"] = "bench"
    try:
        started = time.perf_counter()
        generate(data, flat, n)
        print(
            f"factdb import benchmark: {n:,} statements, {ACTORS:,} actors, "
            f"{data.stat().st_size / 2**20:.0f} MiB of JSON Lines (generated in "
            f"{time.perf_counter() - started:.1f} s); {os.cpu_count()} CPUs, load average "
            f"{os.getloadavg()[0]:.1f}"
        )
        template = work / "template.sqlite3"
        fresh_sqlite(template)

        target = work / "factdb.sqlite3"
        shutil.copyfile(template, target)
        wall, cpu, rss = timed([factdb, "--db", str(target), "import", str(data)])
        mine = (wall, cpu)
        report.step("factdb import (SQLite)", wall, cpu, rss)
        import_rss = rss

        if not args.no_peer:
            floor_db = work / "floor.sqlite3"
            shutil.copyfile(template, floor_db)
            f_wall, f_cpu, f_rss = timed(
                [sys.executable, __file__, "--floor-load", str(data), str(floor_db)]
            )
            report.step("floor (plain sqlite3)", f_wall, f_cpu, f_rss)
            rows_db = work / "rows.sqlite3"
            shutil.copyfile(template, rows_db)
            measured = subprocess.run(
                [sys.executable, __file__, "--rows-alone", str(target), str(rows_db)],
                check=True,
                capture_output=True,
                text=True,
            ).stdout.split()
            r_wall, r_cpu = float(measured[0]), float(measured[1])
            report.step("rows alone (plain sqlite3)", r_wall, r_cpu)
            peer_db = work / "peer.sqlite3"
            p_wall, p_cpu, p_rss = timed(
                [str(BIN / "sqlite-utils"), "insert", str(peer_db), "statements", str(flat), "--nl"]
            )
            report.step("peer (sqlite-utils insert)", p_wall, p_cpu, p_rss)
            i_wall, i_cpu, i_rss = p_wall, p_cpu, p_rss
            for command in peer_indexes(peer_db):
                wall, cpu, rss = timed(command)
                i_wall, i_cpu, i_rss = i_wall + wall, i_cpu + cpu, max(i_rss, rss)
            report.step("peer + indexes and FTS", i_wall, i_cpu, i_rss)
            report.ratio("import / floor", mine, (f_wall, f_cpu), 1.5)
            report.ratio("rows alone / floor", (r_wall, r_cpu), (f_wall, f_cpu), None)
            report.ratio("import / rows alone", mine, (r_wall, r_cpu), None)
            report.ratio("import / sqlite-utils insert", mine, (p_wall, p_cpu), None)
            report.ratio("import / peer + indexes, FTS", mine, (i_wall, i_cpu), 1.0)

        exported = work / "export.jsonl"
        e_wall, e_cpu, e_rss = timed([factdb, "--db", str(target), "export", "-o", str(exported)])
        report.step("factdb export (SQLite)", e_wall, e_cpu, e_rss)
        report.ratio("export / import", (e_wall, e_cpu), mine, 1.0)
        note = "" if n >= 1_000_000 else f" (measured at {n:,}; run -n 1000000 for the target)"
        print(
            f"  import peak memory          {mib(import_rss):>8}   target < 250 MiB at "
            f"1,000,000{note}   {verdict(import_rss < 250 * 1024)}"
        )

        if not args.no_pg:
            from sqlalchemy import create_engine, text
            from sqlalchemy.engine import make_url

            admin = create_engine(args.pg, isolation_level="AUTOCOMMIT")
            name = f"factdb_bench_{uuid.uuid4().hex[:8]}"
            with admin.connect() as connection:
                connection.execute(text(f'CREATE DATABASE "{name}"'))
            url = make_url(args.pg).set(database=name).render_as_string(hide_password=False)
            try:
                from factdb.store.db import Database
                from factdb.store.engine import dispose_engines

                Database.open(url).ensure_ready()
                dispose_engines()
                wall, cpu, rss = timed([factdb, "--db", url, "import", str(data)])
                report.step("factdb import (PostgreSQL)", wall, cpu, rss)
                print(
                    f"  PostgreSQL / SQLite import  {wall / mine[0]:8.2f} x wall   target "
                    f"<= 1.20 x   {verdict(wall / mine[0] <= 1.2)}"
                )
                pg_out = work / "pg.jsonl"
                wall, cpu, rss = timed([factdb, "--db", url, "export", "-o", str(pg_out)])
                report.step("factdb export (PostgreSQL)", wall, cpu, rss)
                same = pg_out.read_bytes() == exported.read_bytes()
                print(f"  PostgreSQL export has the same bytes as SQLite's: {same}")
            finally:
                with admin.connect() as connection:
                    connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
                admin.dispose()
    finally:
        if args.keep:
            print(f"  (work folder kept: {work})")
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()

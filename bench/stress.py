"""Evidence that factdb loses nothing: concurrent writers, SIGKILL during import and upgrade,
and hostile input. Prints the figures; exits 1 if any figure is wrong.

    python bench/stress.py            # the full run: 4 x 250 commands, 50,000 statements
                                      # killed 20 times, 10 upgrade kills, every hostile input
    python bench/stress.py --quick    # the same checks, smaller (what the test suite runs)

Everything runs through the installed ``factdb`` entry point in subprocesses against SQLite
files in a temporary folder (``--keep DIR`` keeps them). The hostile inputs run in-process in
quick mode (same code path, faster start).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

Arg = str | bytes


def factdb_executable() -> str:
    candidate = Path(sys.executable).parent / "factdb"
    found = str(candidate) if candidate.exists() else shutil.which("factdb")
    if not found:
        raise SystemExit("stress: the factdb command is not installed")
    return found


def run_factdb(
    db: Path, *args: Arg, user: str = "stress", timeout: float = 600
) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "FACTDB_USER": user}
    env.pop("FACTDB_DB", None)
    return subprocess.run(
        [factdb_executable(), "--db", str(db), *args],
        capture_output=True,
        env=env,
        timeout=timeout,
    )


def must(result: subprocess.CompletedProcess[bytes]) -> bytes:
    if result.returncode != 0:
        raise SystemExit(f"stress: set-up command failed: {result.stderr.decode(errors='replace')}")
    return result.stdout


def scalar(db: Path, sql: str) -> Any:
    with sqlite3.connect(db) as connection:
        return connection.execute(sql).fetchone()[0]


def integrity(db: Path) -> tuple[bool, bool]:
    """(integrity_check is ok, foreign_key_check is empty)."""
    with sqlite3.connect(db) as connection:
        ok = connection.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        keys = connection.execute("PRAGMA foreign_key_check").fetchall() == []
    return ok, keys


def digest(db: Path) -> str:
    """A hash of every row of every table (to tell whether anything changed)."""
    hasher = hashlib.sha256()
    with sqlite3.connect(db) as connection:
        tables = [
            row[0]
            for row in connection.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
            )
        ]
        for table in tables:
            rows = connection.execute(f'SELECT * FROM "{table}"').fetchall()  # noqa: S608
            hasher.update(table.encode())
            for row in sorted(map(repr, rows)):
                hasher.update(row.encode())
    return hasher.hexdigest()


def copy_db(source: Path, target: Path) -> None:
    """Copy an SQLite database consistently (through the backup API), replacing target."""
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)


# ----------------------------------------------------------------------------- writers


@dataclass
class WriterFigures:
    processes: int = 0
    commands: int = 0
    failed: int = 0
    locked: int = 0
    statements_added: int = 0
    statement_audit_inserts: int = 0
    seconds: float = 0.0
    failures: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return (
            self.failed == 0
            and self.locked == 0
            and self.statements_added == self.commands
            and self.statement_audit_inserts == self.commands
        )


def concurrent_writers(work: Path, processes: int, each: int) -> WriterFigures:
    """``processes`` workers, each running ``each`` mixed ``claim add`` / ``deny`` commands
    one after the other, all at once against one SQLite file."""
    db = work / "writers.sqlite3"
    for worker in range(processes):
        must(run_factdb(db, "actor", "add", f"Writer {worker}", "--kind", "person"))
    seed = json.loads(
        must(run_factdb(db, "claim", "add", "The seed claim", "--by", "Writer 0", "-f", "json"))
    )
    figures = WriterFigures(processes=processes, commands=processes * each)

    def worker(number: int) -> list[tuple[int, str]]:
        outcomes: list[tuple[int, str]] = []
        last_claim = seed["id"]
        for i in range(each):
            if i % 2 == 0:
                args: list[Arg] = [
                    "claim",
                    "add",
                    f"Worker {number} claim {i}",
                    "--by",
                    f"Writer {number}",
                    "--topic",
                    "Stress",
                    "--source",
                    f"https://example.org/stress/{i % 7}",
                    "-f",
                    "json",
                ]
            else:
                target = last_claim if i % 4 == 1 else seed["id"]
                args = ["deny", str(target), "--by", f"Writer {(number + 1) % processes}"]
                args += ["--quote", f"baseless ({number}/{i})", "-f", "json"]
            result = run_factdb(db, *args, user=f"worker{number}")
            stderr = result.stderr.decode(errors="replace")
            outcomes.append((result.returncode, stderr))
            if result.returncode == 0 and i % 2 == 0:
                last_claim = json.loads(result.stdout)["id"]
        return outcomes

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=processes) as pool:
        results = [outcome for batch in pool.map(worker, range(processes)) for outcome in batch]
    figures.seconds = time.perf_counter() - started
    for code, stderr in results:
        if code != 0:
            figures.failed += 1
            figures.failures.append(stderr.strip())
        if "locked" in stderr or "busy" in stderr:
            figures.locked += 1
    figures.statements_added = scalar(db, "SELECT count(*) FROM statements") - 1
    figures.statement_audit_inserts = (
        scalar(
            db,
            "SELECT count(*) FROM audit_log WHERE table_name = 'statements' AND action = 'insert'",
        )
        - 1
    )
    return figures


# ----------------------------------------------------------------------------- crashes


def write_import_file(path: Path, statements: int, seed: int) -> None:
    """A factdb JSON Lines file: 20 actors and ``statements`` claims and answers."""
    rnd = random.Random(seed)
    actors = [f"Actor {i}" for i in range(20)]
    with path.open("w", encoding="utf-8") as out:
        out.write('{"factdb": 1}\n')
        for name in actors:
            out.write(json.dumps({"type": "actor", "name": name, "kind": "state"}) + "\n")
        for i in range(statements):
            record: dict[str, Any] = {"type": "statement", "ref": f"s{i}", "by": rnd.choice(actors)}
            if i % 4 == 0:
                record |= {
                    "kind": "claim",
                    "text": f"Claim {i}: Пакистан · باكستان · पाकिस्तान",
                    "date": "2020-10",
                    "topics": [f"Topic {i % 50}"],
                    "sources": [{"url": f"https://example.org/{i % 500}", "locator": "p. 1"}],
                }
            else:
                record |= {
                    "kind": rnd.choice(["denial", "endorsement", "dispute", "admission"]),
                    "responds_to": f"s{rnd.randrange(0, i) // 4 * 4}",
                    "text": f"Answer {i}",
                    "about": [rnd.choice(actors)],
                }
            out.write(json.dumps(record, ensure_ascii=False) + "\n")


def holds_write_lock(db: Path) -> bool:
    """Whether another process holds the database's write lock right now."""
    connection = sqlite3.connect(db, timeout=0, isolation_level=None)
    try:
        connection.execute("BEGIN IMMEDIATE")
        connection.execute("ROLLBACK")
        return False
    except sqlite3.OperationalError:
        return True
    finally:
        connection.close()


@dataclass
class CrashFigures:
    what: str
    size: int = 0
    kills: int = 0
    killed_while_writing: int = 0
    finished_before_kill: int = 0
    consistent: int = 0
    final_ok: bool = False
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.consistent == self.kills and self.final_ok


def _start(db: Path, args: Sequence[Arg]) -> subprocess.Popen[bytes]:
    env = {**os.environ, "FACTDB_USER": "crash"}
    env.pop("FACTDB_DB", None)
    return subprocess.Popen(
        [factdb_executable(), "--db", str(db), *args],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=env,
    )


def calibrate(db: Path, args: Sequence[Arg]) -> tuple[float, float]:
    """Run ``factdb ARGS`` to the end once: (seconds in all, seconds before it took the write
    lock), so kill moments can be spread over the whole run and over its writing part."""
    started = time.monotonic()
    process = _start(db, args)
    locked_at: float | None = None
    while process.poll() is None:
        if locked_at is None and holds_write_lock(db):
            locked_at = time.monotonic() - started
        time.sleep(0.01)
    if process.returncode != 0:
        raise SystemExit(f"stress: factdb {' '.join(map(str, args))} failed while calibrating")
    span = time.monotonic() - started
    return span, span * 0.9 if locked_at is None else locked_at


def kill_at_random(
    db: Path,
    args: Sequence[Arg],
    span: float,
    locked_at: float,
    rnd: random.Random,
    *,
    while_writing: bool,
) -> tuple[bool, bool]:
    """Start ``factdb ARGS`` and SIGKILL it at a random moment: anywhere in its run, or (with
    ``while_writing``) once it holds the write lock. Returns (it was killed rather than
    finished, it held the write lock when killed)."""
    process = _start(db, args)
    started = time.monotonic()
    if while_writing:
        while process.poll() is None and not holds_write_lock(db):
            if time.monotonic() - started > span * 5:
                break
            time.sleep(0.005)
        deadline = time.monotonic() + rnd.uniform(0.0, 0.9) * max(span - locked_at, 0.01)
    else:
        deadline = started + rnd.uniform(0.02, 1.0) * span
    while time.monotonic() < deadline and process.poll() is None:
        time.sleep(0.005)
    writing = process.poll() is None and holds_write_lock(db)
    killed = process.poll() is None
    if killed:
        os.kill(process.pid, signal.SIGKILL)
    process.wait()
    return killed, writing


def import_crashes(work: Path, statements: int, kills: int, rnd: random.Random) -> CrashFigures:
    """Kill ``factdb import`` of ``statements`` statements at ``kills`` random moments: after
    each, the file passes integrity and foreign-key checks and holds all of the import or none
    of it; then an import runs to the end."""
    figures = CrashFigures("import", size=statements)
    data = work / "import.jsonl"
    write_import_file(data, statements, rnd.randrange(1 << 30))
    empty = work / "import-empty.sqlite3"
    must(run_factdb(empty, "actor", "list"))  # created at head on first use
    db = work / "import.sqlite3"
    copy_db(empty, db)
    before = digest(db)
    span, locked_at = calibrate(db, ["import", str(data)])
    copy_db(empty, db)
    for attempt in range(kills):
        killed, writing = kill_at_random(
            db, ["import", str(data)], span, locked_at, rnd, while_writing=attempt % 2 == 1
        )
        figures.kills += 1
        figures.killed_while_writing += writing
        figures.finished_before_kill += not killed
        ok, keys = integrity(db)
        count = scalar(db, "SELECT count(*) FROM statements")
        audited = scalar(db, "SELECT count(*) FROM audit_log WHERE table_name = 'statements'")
        nothing = count == 0 and digest(db) == before
        everything = count == statements and audited == statements
        if ok and keys and (nothing or everything):
            figures.consistent += 1
        else:
            figures.problems.append(
                f"kill {attempt + 1}: integrity {ok}, foreign keys {keys}, "
                f"{count} statements, {audited} audited"
            )
        if everything:
            copy_db(empty, db)  # start the next attempt from the empty database again
    # a killed import leaves nothing behind: importing again completes
    kill_at_random(db, ["import", str(data)], span, locked_at, rnd, while_writing=True)
    result = run_factdb(db, "import", str(data))
    ok, keys = integrity(db)
    figures.final_ok = (
        result.returncode == 0
        and ok
        and keys
        and scalar(db, "SELECT count(*) FROM statements") == statements
    )
    return figures


def upgrade_crashes(work: Path, statements: int, kills: int, rnd: random.Random) -> CrashFigures:
    """Kill ``factdb db upgrade`` (a database one schema behind, full of statements) at random
    moments: after each the schema is wholly old or wholly new and the checks pass; then an
    upgrade runs to the end."""
    from factdb.store.db import Database
    from factdb.store.engine import dispose_engines
    from factdb.store.migrate import downgrade
    from factdb.store.schema import HEAD_REVISION

    figures = CrashFigures("db upgrade", size=statements)
    data = work / "upgrade.jsonl"
    write_import_file(data, statements, rnd.randrange(1 << 30))
    old = work / "upgrade-old.sqlite3"
    must(run_factdb(old, "import", str(data)))
    previous = f"{int(HEAD_REVISION) - 1:04d}"
    downgrade(Database.open(str(old)), previous)
    dispose_engines()
    rows_before = scalar(old, "SELECT count(*) FROM statements")
    db = work / "upgrade.sqlite3"
    copy_db(old, db)
    span, locked_at = calibrate(db, ["db", "upgrade"])
    copy_db(old, db)
    old_tables = digest_schema(old)
    for attempt in range(kills):
        killed, writing = kill_at_random(
            db, ["db", "upgrade"], span, locked_at, rnd, while_writing=attempt % 2 == 1
        )
        figures.kills += 1
        figures.killed_while_writing += writing
        figures.finished_before_kill += not killed
        ok, keys = integrity(db)
        revision = scalar(db, "SELECT version_num FROM alembic_version")
        rows = scalar(db, "SELECT count(*) FROM statements")
        whole_old = revision == previous and digest_schema(db) == old_tables
        whole_new = revision == HEAD_REVISION
        if ok and keys and rows == rows_before and (whole_old or whole_new):
            figures.consistent += 1
        else:
            figures.problems.append(
                f"kill {attempt + 1}: integrity {ok}, foreign keys {keys}, revision {revision}, "
                f"{rows} statements, schema {'as before' if whole_old else 'changed'}"
            )
        if whole_new:
            copy_db(old, db)
        for backup in work.glob("upgrade.sqlite3.*.bak"):
            backup.unlink()
    result = run_factdb(db, "db", "upgrade")
    check = run_factdb(db, "db", "check")
    figures.final_ok = result.returncode == 0 and check.returncode == 0
    return figures


def digest_schema(db: Path) -> list[tuple[str, str]]:
    with sqlite3.connect(db) as connection:
        return connection.execute(
            "SELECT name, coalesce(sql, '') FROM sqlite_master ORDER BY name"
        ).fetchall()


# ----------------------------------------------------------------------------- hostile input

EMPTY: list[Arg] = ["", "   ", "\t\n "]
BROKEN: list[Arg] = [
    "a\x01b",
    "\x1b[2Jscreen",
    "bell\x07",
    "del\x7f",
    "carriage\rreturn",
    "form\x0cfeed",
    b"bytes \xff\xfe",
    b"half \xc3",
]
DATES: list[Arg] = [
    "2021-02-29",
    "2020-13",
    "2020-00",
    "0000",
    "99999",
    "2020-1-1",
    "yesterday",
    "-2020",
    "2020-10-32",
    "10/11/2020",
    "２０２０",
]
ACTORS: list[Arg] = [
    "Nobody",
    "#0",
    "#99999999999999999999",
    "'; DROP TABLE actors; --",
    "<script>alert(1)</script>",
    "Pakistn",
    "\x01",
    b"\xff",
]
URLS: list[Arg] = [
    "javascript:alert(1)",
    "file:///etc/passwd",
    "ftp://example.com/",
    "http://",
    "https://exa mple.com/",
    "http://user:pw@example.com/",
    "data:text/html,<script>alert(1)</script>",
    "//example.com/",
    "https://example.com:99999/",
    "http://[::1",
]
IDS: list[Arg] = ["0", "#0", "abc", "99999999999999999999", "1.5", "#", "999", "1; DROP TABLE x"]


def cli_cases(out: Path) -> list[tuple[str, list[Arg]]]:
    """Hostile command lines, each of which must be refused."""
    cases: list[tuple[str, list[Arg]]] = []

    def add(label: str, *args: Arg) -> None:
        cases.append((label, list(args)))

    claim = ["claim", "add", "A valid claim", "--by", "Pakistan"]
    for value in EMPTY + BROKEN:
        add("claim TEXT", "claim", "add", value, "--by", "Pakistan")
        add("actor NAME", "actor", "add", value, "--kind", "state")
        add("--topic", *claim, "--topic", value)
    for value in BROKEN:
        add("--note", *claim, "--note", value)
        add("--quote", *claim, "--quote", value)
        add("deny --text", "deny", "1", "--by", "Pakistan", "--text", value)
    for value in DATES:
        add("claim --on", *claim, "--on", value)
        add("deny --on", "deny", "1", "--by", "Pakistan", "--on", value)
        add("history --since", "history", "--since", value)
    for value in ["", *ACTORS]:
        add("claim --by", "claim", "add", "ok", "--by", value)
        add("deny --by", "deny", "1", "--by", value)
    for value in ACTORS:
        add("--about", *claim, "--about", value)
    for value in URLS:
        add("--source", *claim, "--source", value)
        add("source add URL", "source", "add", value)
    for value in ["<script>", "x" * 50, "e n", "1234"]:
        add("--lang", *claim, "--quote", "q", "--lang", value)
    for value in ["has space", "", "tab\there", "nk-1"]:
        add("--ref", *claim, "--ref", value)  # nk-1 is taken by the seed claim
    for verb in ("deny", "dispute", "endorse", "admit"):
        for value in IDS:
            add(f"{verb} ID", verb, value, "--by", "Pakistan")
    for value in ["bogus", "TRUE!", "", "<b>"]:
        add("--verdict", "fact-check", "1", "--by", "Pakistan", "--verdict", value)
    for value in ["planet", "", "STATE; DROP"]:
        add("--kind", "actor", "add", "New", "--kind", value)
    for value in ["ZZ", "pakistan", "P", "12"]:
        add("--country", "actor", "add", "New", "--kind", "state", "--country", value)
    for value in ["Q-1", "843", "Q", "P31"]:
        add("--wikidata", "actor", "add", "New", "--kind", "state", "--wikidata", value)
    for value in ["Pakistan", "PAKISTAN", " pakistan ", "Pakistán"]:
        add("duplicate NAME", "actor", "add", value, "--kind", "state")
    add("--alias taken", "actor", "add", "New", "--kind", "state", "--alias", "Armenia")
    add("--member-of", "actor", "add", "New", "--kind", "person", "--member-of", "Nobody")
    add("affiliate self", "actor", "affiliate", "Pakistan", "Pakistan")
    add("affiliate cycle", "actor", "affiliate", "Armenia", "Nikol Pashinyan")
    add("merge self", "actor", "merge", "Pakistan", "pakistan")
    add("edit --name empty", "actor", "edit", "Pakistan", "--name", "")
    add("edit --name taken", "actor", "edit", "Pakistan", "--name", "Armenia")
    add("edit --country", "actor", "edit", "Pakistan", "--country", "ZZ")
    add("retract by another", "retract", "1", "--by", "Pakistan")
    for command in ("actor list", "claim list", "history"):
        add("--format", *command.split(), "--format", "xml")
    existing, folder, pipe = out / "exists.txt", out / "folder", out / "pipe"
    for writer in (["report", "claim", "1"], ["export"], ["db", "backup"]):
        flag: list[Arg] = [] if writer[0] == "db" else ["-o"]
        add("-o existing", *writer, *flag, str(existing))
        add("-o folder", *writer, *flag, str(folder))
        add("-o folder --force", *writer, *flag, str(folder), "--force")
        add("-o missing folder", *writer, *flag, str(out / "no" / "such" / "file"))
        add("-o pipe --force", *writer, *flag, str(pipe), "--force")
    return cases


HEADER = b'{"factdb": 1}\n'


def _statement(**values: Any) -> bytes:
    record = {"type": "statement", "ref": "h1", "kind": "claim", "by": "Pakistan", "text": "ok"}
    record.update(values)
    return json.dumps(record).encode() + b"\n"


def _actor(name: str, **values: Any) -> bytes:
    record = {"type": "actor", "name": name, "kind": "state", **values}
    return json.dumps(record).encode() + b"\n"


def import_cases() -> list[tuple[str, bytes]]:
    """Hostile import files (factdb JSON Lines), each of which must be refused whole."""
    good = _statement(ref="fine", text="A fine claim that must not be written either")
    cases: list[tuple[str, bytes]] = []

    def add(label: str, *lines: bytes, header: bytes = HEADER) -> None:
        cases.append((label, header + good + b"".join(lines)))

    for label, value in [
        ("text control", "a\x01b"),
        ("text escape", "\x1b[31m"),
        ("text NUL", "nul\x00"),
        ("text surrogate", "\ud800"),
        ("text number", 5),
        ("text list", ["a"]),
        ("text object", {"a": 1}),
        ("text true", True),
        ("huge text with control", "x" * 1_048_576 + "\x02"),
    ]:
        add(label, _statement(text=value))
    for key, value in [
        ("about", "Pakistan"),
        ("about", [1]),
        ("about", ["Nobody"]),
        ("topics", {}),
        ("topics", [""]),
        ("sources", "https://example.org/"),
        ("sources", [{"url": 5}]),
        ("sources", [{"url": "javascript:alert(1)"}]),
        ("sources", [{"url": "https://example.org/", "extra": 1}]),
        ("date", 2020),
        ("date", "2020-13"),
        ("date", "2021-02-29"),
        ("kind", "rumour"),
        ("kind", 5),
        ("by", "Nobody"),
        ("by", ""),
        ("by", None),
        ("ref", "has space"),
        ("ref", 5),
        ("lang", "<script>"),
        ("deleted", "yes"),
        ("unknown_key", "x"),
        ("type", "planet"),
    ]:
        add(f"{key} {value!r}"[:40], _statement(**{key: value}))
    add("fact_check verdict", _statement(kind="fact_check", responds_to="fine", verdict="bogus"))
    add("fact_check no verdict", _statement(kind="fact_check", responds_to="fine"))
    add("denial without target", _statement(kind="denial"))
    add("claim with target", _statement(responds_to="fine"))
    add("responds to itself", _statement(kind="denial", responds_to="h1"))
    add("responds to unknown", _statement(kind="denial", responds_to="nowhere"))
    add(
        "responds in a circle",
        _statement(ref="c1", kind="denial", responds_to="c2"),
        _statement(ref="c2", kind="denial", responds_to="c1"),
    )
    add("duplicate ref", _statement(ref="fine"))
    add("invalid UTF-8", b'{"type": "statement", "ref": "u", "text": "\xff\xfe"}\n')
    add("not JSON", b"{this is not json}\n")
    add("truncated JSON", b'{"type": "statement", "ref": "t", "text": "cut\n')
    add("JSON array", b"[1, 2, 3]\n")
    add("JSON string", b'"a string"\n')
    add("JSON null", b"null\n")
    add("JSON NaN", b'{"type": "statement", "ref": "n", "text": NaN}\n')
    add("deep nesting", b"[" * 100_000 + b"]" * 100_000 + b"\n")
    add("actor bad kind", _actor("X", kind="planet"))
    add("actor bad country", _actor("X", country="ZZ"))
    add(
        "actor in a circle",
        _actor("A", affiliations=[{"organization": "B"}]),
        _actor("B", affiliations=[{"organization": "A"}]),
    )
    add("actor member of itself", _actor("A", affiliations=[{"organization": "A"}]))
    add("header missing", header=b"")
    add("header version", header=b'{"factdb": 99}\n')
    add("header wrong type", header=b'{"factdb": "1"}\n')
    cases.append(("empty file", b""))
    return cases


@dataclass
class HostileFigures:
    cases: int = 0
    cli_cases: int = 0
    import_cases: int = 0
    tracebacks: int = 0
    accepted: int = 0
    not_one_clean_line: int = 0
    changed_databases: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return (
            self.tracebacks == 0
            and self.accepted == 0
            and self.not_one_clean_line == 0
            and self.changed_databases == 0
        )


Runner = Callable[[Path, Sequence[Arg]], tuple[int, str, bool]]


def run_in_subprocess(db: Path, args: Sequence[Arg]) -> tuple[int, str, bool]:
    result = run_factdb(db, *args)
    stderr = result.stderr.decode(errors="replace")
    return result.returncode, stderr, "Traceback" in stderr


def run_in_process(db: Path, args: Sequence[Arg]) -> tuple[int, str, bool]:
    from typer.testing import CliRunner

    from factdb.cli import app
    from factdb.store.engine import dispose_engines

    texts = [os.fsdecode(arg) if isinstance(arg, bytes) else arg for arg in args]
    result = CliRunner().invoke(app, ["--db", str(db), *texts])
    dispose_engines()
    crashed = result.exception is not None and not isinstance(result.exception, SystemExit)
    return result.exit_code, result.stderr, crashed or "Traceback" in result.stderr


def seed_hostile(db: Path) -> None:
    must(run_factdb(db, "actor", "add", "Pakistan", "--kind", "state", "--country", "PK"))
    must(run_factdb(db, "actor", "add", "Armenia", "--kind", "state", "--country", "AM"))
    must(
        run_factdb(
            db, "actor", "add", "Nikol Pashinyan", "--kind", "person", "--member-of", "Armenia"
        )
    )
    must(
        run_factdb(
            db,
            "claim",
            "add",
            "Pakistani special forces are fighting alongside the Azerbaijani army",
            "--by",
            "Nikol Pashinyan",
            "--on",
            "2020-10",
            "--topic",
            "Nagorno-Karabakh 2020",
            "--ref",
            "nk-1",
        )
    )


def hostile_inputs(work: Path, runner: Runner, *, every: int = 1) -> HostileFigures:
    """Run the hostile cases (every ``every``-th one) against a seeded database: each must
    fail with clean error lines, no traceback, and leave the database and files as they were."""
    figures = HostileFigures()
    base = work / "hostile-base.sqlite3"
    seed_hostile(base)
    db = work / "hostile.sqlite3"
    copy_db(base, db)
    expected = digest(db)
    out = work / "out"
    out.mkdir()
    (out / "exists.txt").write_text("keep me")
    (out / "folder").mkdir()
    os.mkfifo(out / "pipe")
    files_before = sorted(str(p) for p in out.rglob("*"))
    inputs = work / "inputs"
    inputs.mkdir()
    cases: list[tuple[str, list[Arg], bool]] = [
        (label, args, False) for label, args in cli_cases(out)
    ]
    for number, (label, content) in enumerate(import_cases()):
        path = inputs / f"case-{number}.jsonl"
        path.write_bytes(content)
        cases.append((f"import: {label}", ["import", str(path)], True))
    for label, args, is_import in cases[::every]:
        figures.cases += 1
        figures.import_cases += is_import
        figures.cli_cases += not is_import
        code, stderr, crashed = runner(db, args)
        lines = stderr.splitlines()
        given = " ".join(repr(arg)[:60] for arg in args)
        shown = f"{label} [{given}]: exit {code}: {stderr.strip()[:200]!r}"
        if crashed:
            figures.tracebacks += 1
            figures.problems.append("traceback: " + shown)
        if code == 0:
            figures.accepted += 1
            figures.problems.append("accepted: " + shown)
        clean = len(lines) == 1 and lines[0].startswith("error: ")
        if is_import:
            clean = bool(lines) and all(line.startswith("error: ") for line in lines)
        if not clean:
            figures.not_one_clean_line += 1
            figures.problems.append("not one clean line: " + shown)
        if digest(db) != expected:
            figures.changed_databases += 1
            figures.problems.append("changed the database: " + shown)
            copy_db(base, db)
        if sorted(str(p) for p in out.rglob("*")) != files_before or (
            (out / "exists.txt").read_text() != "keep me"
        ):
            figures.changed_databases += 1
            figures.problems.append("changed the output folder: " + shown)
    return figures


# ----------------------------------------------------------------------------- main


@dataclass
class Figures:
    writers: WriterFigures
    imports: CrashFigures
    upgrades: CrashFigures
    hostile: HostileFigures

    @property
    def ok(self) -> bool:
        return self.writers.ok and self.imports.ok and self.upgrades.ok and self.hostile.ok


def run(work: Path, *, quick: bool, seed: int) -> Figures:
    rnd = random.Random(seed)
    if quick:
        writers = concurrent_writers(work, processes=4, each=4)
        imports = import_crashes(work, statements=1_000, kills=3, rnd=rnd)
        upgrades = upgrade_crashes(work, statements=500, kills=2, rnd=rnd)
        hostile = hostile_inputs(work, run_in_process, every=4)
    else:
        writers = concurrent_writers(work, processes=4, each=250)
        imports = import_crashes(work, statements=50_000, kills=20, rnd=rnd)
        upgrades = upgrade_crashes(work, statements=20_000, kills=10, rnd=rnd)
        hostile = hostile_inputs(work, run_in_subprocess)
    return Figures(writers, imports, upgrades, hostile)


def report(figures: Figures) -> str:
    w, i, u, h = figures.writers, figures.imports, figures.upgrades, figures.hostile
    lines = [
        f"concurrent writers: {w.processes} processes x {w.commands // max(w.processes, 1)} "
        f"commands (claim add / deny) on one SQLite file in {w.seconds:.1f} s",
        f"  statements written {w.statements_added}/{w.commands}, "
        f"statement audit inserts {w.statement_audit_inserts}/{w.commands}, "
        f"failed commands {w.failed}, 'database is locked' failures {w.locked}",
    ]
    for crash in (i, u):
        lines += [
            f"SIGKILL during {crash.what} ({crash.size:,} statements): "
            f"{crash.consistent}/{crash.kills} kill points consistent "
            f"(integrity ok, foreign keys ok, all or nothing); "
            f"{crash.killed_while_writing} killed while holding the write lock, "
            f"{crash.finished_before_kill} finished before the kill",
            f"  final {crash.what} after the kills: {'completed' if crash.final_ok else 'FAILED'}",
        ]
    lines += [
        f"hostile inputs: {h.cases} ({h.cli_cases} command lines, {h.import_cases} import "
        f"files): tracebacks {h.tracebacks}, accepted {h.accepted}, not one clean error line "
        f"{h.not_one_clean_line}, changed databases {h.changed_databases}",
    ]
    for problem in [*w.failures[:5], *i.problems, *u.problems, *h.problems]:
        lines.append(f"  problem: {problem}")
    lines.append("result: " + ("ok" if figures.ok else "FAILED"))
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--quick", action="store_true", help="smaller counts (about a minute)")
    parser.add_argument("--seed", type=int, default=6, help="random seed for kill moments")
    parser.add_argument("--keep", type=Path, help="work in this folder and keep the files")
    options = parser.parse_args(argv)
    if options.keep:
        options.keep.mkdir(parents=True, exist_ok=False)
        figures = run(options.keep, quick=options.quick, seed=options.seed)
    else:
        with tempfile.TemporaryDirectory(prefix="factdb-stress-") as folder:
            figures = run(Path(folder), quick=options.quick, seed=options.seed)
    print(report(figures))
    return 0 if figures.ok else 1


if __name__ == "__main__":
    sys.exit(main())

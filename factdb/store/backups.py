"""Consistent copies of SQLite database files, made with SQLite's backup API while others
may be using the database: before an upgrade, and for ``factdb db backup``."""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
from contextlib import closing
from pathlib import Path

from factdb.errors import DatabaseError
from factdb.store.engine import BUSY_TIMEOUT_MS


def backup_path_for(source: Path) -> Path:
    """A new file beside ``source`` named for the time: ``factdb.sqlite3.20201011T120000.bak``."""
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S")
    target = source.with_name(f"{source.name}.{stamp}.bak")
    counter = 1
    while target.exists():
        target = source.with_name(f"{source.name}.{stamp}-{counter}.bak")
        counter += 1
    return target


def sqlite_copy(source: Path, copy: Path) -> None:
    """Copy an SQLite database into the (new or empty) file ``copy`` with SQLite's backup API,
    as one self-contained file (no WAL), and check the copy."""
    try:
        with (
            closing(sqlite3.connect(source, timeout=BUSY_TIMEOUT_MS / 1000)) as src,
            closing(sqlite3.connect(copy)) as dst,
        ):
            src.backup(dst)
            dst.execute("PRAGMA journal_mode = DELETE")
            verdict = dst.execute("PRAGMA quick_check").fetchone()
    except sqlite3.Error as exc:
        raise DatabaseError(f"cannot back up {source}: {exc}") from None
    if verdict is None or verdict[0] != "ok":
        raise DatabaseError(f"the copy of {source} failed its check: {verdict}")


def sqlite_backup(source: Path, target: Path) -> int:
    """Copy an SQLite database consistently while others may be using it (SQLite's backup
    API), as one self-contained file (no WAL). Written to a temporary file and renamed, so
    ``target`` is never left half-written. Returns the size in bytes."""
    partial = target.with_name(f".{target.name}.{os.getpid()}.partial")
    try:
        sqlite_copy(source, partial)
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
    return target.stat().st_size

"""Alembic, imported only here: upgrade, current, path, check and backups before upgrade."""

from __future__ import annotations

import shutil
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from alembic import command
from factdb.db import Database, is_sqlite
from factdb.errors import DatabaseError
from factdb.models import utcnow

_PACKAGE = Path(__file__).resolve().parent


def _locate(installed: str, source: str) -> Path:
    """The folder inside an installed wheel, else the one beside the package in a checkout."""
    inside = _PACKAGE / installed
    return inside if inside.is_dir() else _PACKAGE.parent / source


def alembic_config(database: Database) -> Config:
    config = Config()
    config.set_main_option("script_location", str(_locate("_alembic", "alembic")))
    config.set_main_option("version_locations", str(_locate("_migrations", "migrations")))
    config.set_main_option("path_separator", "os")
    config.attributes["factdb_database"] = database
    return config


def head_revision(database: Database) -> str:
    head = ScriptDirectory.from_config(alembic_config(database)).get_current_head()
    assert head is not None
    return head


def current(database: Database) -> str | None:
    with database.engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def path(database: Database) -> list[tuple[str, str | None, str]]:
    """Every revision, oldest first: (revision, down_revision, message)."""
    script = ScriptDirectory.from_config(alembic_config(database))
    revisions = list(script.walk_revisions())
    revisions.reverse()
    return [
        (
            rev.revision,
            rev.down_revision if isinstance(rev.down_revision, str) else None,
            rev.doc or "",
        )
        for rev in revisions
    ]


@dataclass(frozen=True)
class UpgradeResult:
    before: str | None
    after: str
    backup: Path | None


def backup_sqlite(database: Database) -> Path | None:
    """Copy an SQLite file (consistently, through the backup API) beside itself."""
    if not is_sqlite(database.url):
        return None
    source = Path(str(database.url.database))
    if not source.exists():
        return None
    stamp = utcnow().strftime("%Y%m%dT%H%M%S")
    target = source.with_name(f"{source.name}.{stamp}.bak")
    counter = 1
    while target.exists():
        target = source.with_name(f"{source.name}.{stamp}-{counter}.bak")
        counter += 1
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)
    return target


def upgrade(database: Database, *, backup: bool = True, revision: str = "head") -> UpgradeResult:
    before = current(database)
    saved = backup_sqlite(database) if backup and before is not None else None
    try:
        command.upgrade(alembic_config(database), revision)
    except Exception as exc:
        where = f"; the backup is at {saved}" if saved else ""
        raise DatabaseError(f"upgrade failed: {exc}{where}") from None
    after = current(database)
    assert after is not None
    return UpgradeResult(before, after, saved)


def downgrade(database: Database, revision: str) -> None:
    command.downgrade(alembic_config(database), revision)


def restore_file(backup: Path, target: Path) -> None:
    shutil.copyfile(backup, target)

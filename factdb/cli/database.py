"""Commands: ``factdb db upgrade | current | path | check | backup``.

These open the database without the schema check every other command makes first: they are
how a database that is behind head is found and fixed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer

from factdb.cli.common import (
    FormatOption,
    OutputFormat,
    database,
    emit_record,
    fail,
    warn,
    write_json,
)

if TYPE_CHECKING:
    from factdb.store.db import Database

T = TypeVar("T")

db_app = typer.Typer(
    name="db",
    help="Example: factdb db check",
    no_args_is_help=True,
    rich_markup_mode=None,
)


def _call(ctx: typer.Context, work: Callable[[Database], T]) -> T:
    """Run maintenance work on the database as it is (no schema check); errors → one line."""
    from factdb.errors import FactDBError

    try:
        return work(database(ctx))
    except FactDBError as exc:
        fail(str(exc))


# The schema revision as the db commands show it, by its state (``maintenance.status``).
_REVISION_TEXTS = {
    "current": "{revision} (head)",
    "behind": "{revision} (behind head {head}: run `factdb db upgrade`)",
    "unknown": "{revision} (unknown to this factdb, whose head is {head})",
    "damaged": "unreadable (the file is damaged)",
    "foreign": "none (not a factdb database)",
}
_NO_REVISION_YET = "none (created at head {head} on first use)"


def _revision_text(info: dict[str, Any]) -> str:
    template = _REVISION_TEXTS.get(info["state"], _NO_REVISION_YET)
    return template.format(revision=info["revision"], head=info["head"])


@db_app.command("upgrade")
def upgrade_command(ctx: typer.Context, fmt: FormatOption = OutputFormat.table) -> None:
    """Upgrade the database's schema to this factdb's head, backing up an SQLite file first.

    The upgrade runs in one transaction: if it fails, the database is left as it was.

    Example: factdb db upgrade
    """
    from factdb.store.migrate import upgrade

    result = _call(ctx, upgrade)
    record = {
        "database": result.database,
        "before": result.before,
        "after": result.after,
        "changed": result.changed,
        "backup": None if result.backup is None else str(result.backup),
    }
    if fmt is OutputFormat.json:
        write_json(record)
        return
    if fmt is OutputFormat.csv:
        emit_record(record, fmt)
        return
    if result.backup is not None:
        typer.echo(f"backed up {result.database} to {result.backup}")
    if not result.changed:
        typer.echo(f"{result.database} is already at head {result.after}; nothing to do")
    elif result.before is None:
        typer.echo(f"created {result.database} at schema {result.after}")
    else:
        typer.echo(f"upgraded {result.database} from schema {result.before} to {result.after}")


@db_app.command("current")
def current_command(ctx: typer.Context, fmt: FormatOption = OutputFormat.table) -> None:
    """Show the database's schema revision and whether it is at head.

    Example: factdb db current
    """
    from factdb.store.maintenance import status

    info = _call(ctx, status)
    record = {key: info[key] for key in ("revision", "head", "state")}
    if fmt is OutputFormat.table:
        typer.echo(_revision_text(info))
    else:
        emit_record(record, fmt)


@db_app.command("path")
def path_command(ctx: typer.Context, fmt: FormatOption = OutputFormat.table) -> None:
    """Show where the database is (file path, or URL without its password) and its schema.

    Example: factdb --db team.sqlite3 db path --format json
    """
    from factdb.store.maintenance import status

    info = _call(ctx, status)
    if fmt is OutputFormat.table:
        emit_record(
            {
                "database": info["database"],
                "backend": info["backend"],
                "revision": _revision_text(info),
            },
            fmt,
        )
    else:
        emit_record(info, fmt)


@db_app.command("check")
def check_command(ctx: typer.Context, fmt: FormatOption = OutputFormat.table) -> None:
    """Check the database's schema revision, integrity and foreign keys; exit 1 on problems.

    Reports the schema revision against head, whether the schema matches the models, and on
    SQLite the results of PRAGMA integrity_check and foreign_key_check.

    Answers dated before what they answer are listed as warnings (kept on purpose: sources
    disagree on dates); they do not make the check fail.

    Example: factdb db check
    """
    from factdb.store.maintenance import check

    report = _call(ctx, check)
    if fmt is OutputFormat.table:
        integrity = report["integrity"]
        foreign_keys = report["foreign_keys"]
        agree = report["models_agree"]
        early = report["warnings"]
        emit_record(
            {
                "database": report["database"],
                "backend": report["backend"],
                "revision": _revision_text(report),
                "integrity": None if integrity is None else "; ".join(integrity),
                "foreign keys": None
                if foreign_keys is None
                else ("ok" if not foreign_keys else f"{len(foreign_keys)} broken references"),
                "models": None
                if agree is None
                else ("agree with the schema" if agree else "differ from the schema"),
                "answer dates": None
                if early is None
                else (f"{len(early)} answer(s) dated before what they answer" if early else "ok"),
                "result": "ok" if report["ok"] else f"{len(report['problems'])} problem(s)",
            },
            fmt,
        )
    elif fmt is OutputFormat.json:
        write_json(report)
    else:
        emit_record({k: v for k, v in report.items() if k != "foreign_keys"}, fmt)
    warn(report["warnings"] or [])
    if not report["ok"]:
        fail("db check: " + "; ".join(report["problems"]))


@db_app.command("backup")
def backup_command(
    ctx: typer.Context,
    file: Annotated[
        str, typer.Argument(metavar="FILE", help="Where to write the copy.", show_default=False)
    ],
    force: Annotated[bool, typer.Option("--force", help="Replace FILE if it exists.")] = False,
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """Write a consistent copy of the SQLite database to FILE, even while others use it.

    PostgreSQL databases are backed up with pg_dump.

    Example: factdb db backup ~/factdb-2020-10-11.sqlite3
    """
    from factdb.store.maintenance import backup

    result = _call(ctx, lambda db: backup(db, file, force=force))
    if fmt is OutputFormat.table:
        typer.echo(
            f"backed up {result['database']} to {result['backup']} ({result['bytes']} bytes)"
        )
    else:
        emit_record(result, fmt)


def register(app: typer.Typer) -> None:
    """Add the ``db`` command group to the root app."""
    app.add_typer(db_app, name="db")

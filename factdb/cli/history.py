"""Command: ``factdb history [ID] [--actor A] [--since D] [--until D]`` — the audit trail."""

from __future__ import annotations

import json
from typing import Annotated, Any

import typer

from factdb.cli.common import FormatOption, OutputFormat, emit_rows, run, write_json

TABLE_COLUMNS = ("id", "at", "user", "action", "table", "row_id", "change")
CSV_COLUMNS = ("id", "at", "user", "action", "table", "row_id", "before", "after")
# Stamps change with every edit; the table view leaves them out of the change summary.
_QUIET = {"updated_at", "created_at"}
_NAMING = ("text", "name", "alias", "url", "quote", "verdict")


def _short(value: Any, limit: int = 40) -> str:
    text = json.dumps(value, ensure_ascii=False) if not isinstance(value, str) else value
    return text if len(text) <= limit else text[: limit - 1] + "…"


def change_summary(record: dict[str, Any]) -> str:
    """A few words on what an audit row changed, for the table view."""
    before, after = record["before"] or {}, record["after"] or {}
    if record["action"] == "insert":
        named = next((key for key in _NAMING if after.get(key)), None)
        return f"{named}: {_short(after[named])}" if named else ""
    if record["action"] in ("delete", "restore") and record["table"] == "statements":
        return ""
    if record["action"] == "merge" and record["table"] == "statements":
        moved = ", ".join(f"{key} {count}" for key, count in after["moved"].items() if count)
        return f"into #{after['merged_into']}" + (f"; moved {moved}" if moved else "")
    if not after:
        return ", ".join(f"{key}={_short(value)}" for key, value in before.items())
    changed = [
        key for key in sorted(after) if key not in _QUIET and before.get(key) != after.get(key)
    ]
    return "; ".join(
        f"{key}: {_short(before.get(key))} → {_short(after.get(key))}" for key in changed
    )


def history(
    ctx: typer.Context,
    statement_id: Annotated[
        str | None,
        typer.Argument(metavar="[ID]", help="Only this statement (12 or #12).", show_default=False),
    ] = None,
    actor: Annotated[
        str | None,
        typer.Option(
            "--actor", metavar="ACTOR", help="Only this actor and the statements it made."
        ),
    ] = None,
    since: Annotated[
        str | None,
        typer.Option("--since", metavar="DATE", help="Only changes from this date on (UTC)."),
    ] = None,
    until: Annotated[
        str | None,
        typer.Option(
            "--until", metavar="DATE", help="Only changes up to this date's last day (UTC)."
        ),
    ] = None,
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """Example: factdb history 1 --since 2020-10"""
    from factdb.record.history import history as read_history

    records = run(ctx, lambda session: read_history(session, statement_id, actor, since, until))
    if fmt is OutputFormat.json:
        write_json(records)
    elif fmt is OutputFormat.csv:
        flat = [
            {
                **record,
                "before": _json(record["before"]),
                "after": _json(record["after"]),
            }
            for record in records
        ]
        emit_rows(flat, fmt, CSV_COLUMNS)
    else:
        shown = [{**record, "change": change_summary(record)} for record in records]
        emit_rows(shown, fmt, TABLE_COLUMNS, title="History", empty="No changes recorded.")


def _json(value: Any) -> str | None:
    return None if value is None else json.dumps(value, ensure_ascii=False, sort_keys=True)


def register(app: typer.Typer) -> None:
    """Add this module's commands to the root app."""
    app.command("history")(history)

"""Commands that match claims: ``factdb similar`` and ``factdb duplicates``; and the note the
logging commands print when what they log looks like a statement already recorded.

The thresholds are ``factdb.matching.SUGGEST_THRESHOLD`` and ``CERTAIN_THRESHOLD`` unless the
environment sets ``FACTDB_SUGGEST_THRESHOLD`` or ``FACTDB_CERTAIN_THRESHOLD`` (a number from
0 to 1).
"""

from __future__ import annotations

import os
import re
import sys
from typing import Annotated, Any

import typer

from factdb.cli.common import FormatOption, OutputFormat, emit_rows, fail, run
from factdb.cli.options import DirectOption, SaidByOption, StatementKindOption

SUGGEST_ENV = "FACTDB_SUGGEST_THRESHOLD"
CERTAIN_ENV = "FACTDB_CERTAIN_THRESHOLD"
# The library's defaults, repeated so that --help needs no import (a test keeps them equal).
SUGGEST_DEFAULT = 0.7
CERTAIN_DEFAULT = 0.9
NOTE_WIDTH = 60
SIMILAR_COLUMNS = ("id", "score", "match", "polarity", "kind", "actor", "date", "text")
DUPLICATE_COLUMNS = (
    "score",
    "match",
    "polarity",
    "first_id",
    "first_actor",
    "first_text",
    "second_id",
    "second_actor",
    "second_text",
)
_BARE = re.compile(r"[\w#@.,:+/-]+")


def _threshold(name: str, default: float) -> float:
    raw = os.environ.get(name)
    if raw is None or not raw.strip():
        return default
    try:
        value = float(raw)
    except ValueError:
        value = -1.0
    if not 0 <= value <= 1:
        fail(f"{name}: {raw!r} is not a number from 0 to 1")
    return value


def thresholds() -> tuple[float, float]:
    """(suggest, certain), from the environment or the defaults."""
    suggest = _threshold(SUGGEST_ENV, SUGGEST_DEFAULT)
    certain = _threshold(CERTAIN_ENV, CERTAIN_DEFAULT)
    if certain < suggest:
        fail(f"{CERTAIN_ENV}: {certain} is below {SUGGEST_ENV} {suggest}")
    return suggest, certain


def shell_word(value: str) -> str:
    """``value`` as one shell word: bare when safe, else in double quotes."""
    if _BARE.fullmatch(value):
        return value
    escaped = re.sub(r'(["\\$`])', r"\\\1", value)
    return f'"{escaped}"'


def short(text: str, width: int = NOTE_WIDTH) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1].rstrip() + "…"


def entry_notes(found: list[dict[str, Any]], by: str) -> None:
    """One ``note:`` line on stderr per similar statement, with the command that would link
    the new statement to it instead (deny when the polarity is opposite)."""
    for row in found:
        verb = "deny" if row["polarity"] == "opposite" else "endorse"
        sys.stderr.write(
            f'note: similar to #{row["id"]} "{short(row["text"])}" ({row["score"]:.2f}); '
            f"to link it instead: factdb {verb} {row['id']} --by {shell_word(by)}\n"
        )


MinScoreOption = Annotated[
    float | None,
    typer.Option(
        "--min-score",
        metavar="S",
        min=0.0,
        max=1.0,
        help=f"Only scores from S (0 to 1). Default: {SUGGEST_ENV} or {SUGGEST_DEFAULT}.",
        show_default=False,
    ),
]


def similar(
    ctx: typer.Context,
    target: Annotated[
        str,
        typer.Argument(
            metavar="TEXT|#ID", help="A claim's words, or #12 for statement 12's own text."
        ),
    ],
    limit: Annotated[
        int, typer.Option("--limit", "-n", min=1, help="At most this many statements.")
    ] = 5,
    kind: StatementKindOption = None,
    by: SaidByOption = None,
    direct: DirectOption = False,
    min_score: Annotated[
        float,
        typer.Option("--min-score", metavar="S", min=0.0, max=1.0, help="Only scores from S."),
    ] = 0.0,
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """Scores run from 0 to 1: `match` says `certain` from the certain threshold (0.9, or
    FACTDB_CERTAIN_THRESHOLD), `suggested` from the suggest threshold (0.7, or
    FACTDB_SUGGEST_THRESHOLD), else `weak`; `polarity` is `opposite` for a denial of what the
    text asserts (or its admission, when the text denies).

    Example: factdb similar "Pakistani commandos fight for Azerbaijan" --limit 3
    """
    from factdb.matching import similar_records

    suggest, certain = thresholds()
    rows = run(
        ctx,
        lambda session: similar_records(
            session,
            target,
            kind=kind,
            by=by,
            direct=direct,
            limit=limit,
            min_score=min_score,
            suggest=suggest,
            certain=certain,
        ),
    )
    emit_rows(rows, fmt, SIMILAR_COLUMNS, empty="No similar statements.")


def duplicates(
    ctx: typer.Context,
    topic: Annotated[
        str | None, typer.Option("--topic", metavar="T", help="Only statements on this topic.")
    ] = None,
    min_score: MinScoreOption = None,
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """Pairs of live statements scoring at least --min-score, best first; statements of one
    thread (an answer and what it answers) are not paired.

    Example: factdb duplicates --topic "Nagorno-Karabakh 2020" --min-score 0.9
    """
    from factdb.duplicates import duplicate_pairs

    suggest, certain = thresholds()
    floor = suggest if min_score is None else min_score
    rows = run(
        ctx,
        lambda session: duplicate_pairs(
            session, topic=topic, min_score=floor, suggest=suggest, certain=certain
        ),
    )
    emit_rows(rows, fmt, DUPLICATE_COLUMNS, empty="No likely duplicates.")


def register(app: typer.Typer) -> None:
    """Add this module's commands to the root app."""
    app.command("similar")(similar)
    app.command("duplicates")(duplicates)

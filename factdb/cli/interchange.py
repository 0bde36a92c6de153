"""Commands: import and export (factdb JSON Lines, CSV, ClaimReview, PLOVER)."""

from __future__ import annotations

import io
import os
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from enum import StrEnum
from typing import IO, TYPE_CHECKING, Annotated, Any, TextIO, TypeVar

import typer

from factdb.cli.common import (
    OutputFormat,
    database,
    emit_rows,
    error_line,
    fail,
    flagged,
    run,
    scope_of,
    warn,
    write_json,
)
from factdb.cli.options import ForceOption

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from factdb.interchange import ImportResult
    from factdb.interchange.claimreview_import import ClaimReviewImport
    from factdb.interchange.jsonl import Progress

T = TypeVar("T")


def _count_lines(source: IO[bytes]) -> int:
    count = 0
    source.seek(0)
    while block := source.read(1 << 20):
        count += block.count(b"\n")
    source.seek(0)
    return count + 1


@contextmanager
def _progress_bar(source: IO[bytes]) -> Iterator[Callable[[int], None] | None]:
    """A rich progress bar on stderr when it is a terminal (total: two steps per line)."""
    if not sys.stderr.isatty():
        yield None
        return
    from rich.console import Console
    from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn

    total = 2 * _count_lines(source)
    with Progress(
        TextColumn("importing"),
        BarColumn(),
        TextColumn("{task.percentage:>3.0f}%"),
        TimeRemainingColumn(),
        console=Console(stderr=True),
        transient=True,
    ) as bar:
        task = bar.add_task("import", total=total)
        yield lambda done: bar.advance(task, done)


@contextmanager
def _input(file: str) -> Iterator[IO[bytes]]:
    """The file to import, opened in binary; standard input (or a pipe) copied to a
    temporary file."""
    if file == "-":
        handle: IO[bytes] = sys.stdin.buffer
    else:
        try:
            handle = open(file, "rb")  # noqa: SIM115 - closed below
        except OSError as exc:
            fail(f"FILE: cannot read {file!r}: {exc.strerror or exc}", 2)
    try:
        if file != "-" and handle.seekable():
            yield handle
            return
        with tempfile.TemporaryFile("w+b") as copy:
            shutil.copyfileobj(handle, copy, 1 << 20)
            yield copy
    finally:
        if file != "-":
            handle.close()


@contextmanager
def _utf8_stdout() -> Iterator[TextIO]:
    """Standard output as UTF-8 whatever the locale (the formats are UTF-8)."""
    buffer = getattr(sys.stdout, "buffer", None)
    if buffer is None:
        yield sys.stdout
        return
    sys.stdout.flush()
    out = io.TextIOWrapper(buffer, encoding="utf-8", newline="")
    try:
        yield out
    finally:
        out.flush()
        out.detach()


class ImportFormat(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"
    jsonl = "jsonl"
    claimreview = "claimreview"


class ExportFormat(StrEnum):
    jsonl = "jsonl"
    csv = "csv"
    claimreview = "claimreview"
    plover = "plover"


def _import_formats(formats: list[ImportFormat]) -> tuple[str, OutputFormat]:
    """The input format and the output format, from --format given up to twice."""
    reading = [f.value for f in formats if f.value in ("jsonl", "claimreview")]
    output = [OutputFormat(f.value) for f in formats if f.value not in ("jsonl", "claimreview")]
    if len(reading) > 1 or len(output) > 1:
        fail("--format: give one input format (jsonl, claimreview) and one output format", 2)
    return (reading or ["jsonl"])[0], (output or [OutputFormat.table])[0]


def _print_counts(
    result: ImportResult, fmt: OutputFormat, extra: dict[str, Any] | None = None
) -> None:
    warn(result.warnings)
    if fmt is OutputFormat.json:
        summary: dict[str, Any] = {"dry_run": result.dry_run, "lines": result.lines}
        summary.update(extra or {})
        for row in result.rows():
            summary[row["type"]] = {"created": row["created"], "unchanged": row["unchanged"]}
        summary["warnings"] = result.warnings
        write_json(summary)
        return
    title = "Dry run: nothing written" if result.dry_run else "Imported"
    emit_rows(result.rows(), fmt, ["type", "created", "unchanged"], title=title)


def _run_import(
    ctx: typer.Context,
    source: IO[bytes],
    work: Callable[[Session, Progress | None], T],
    *,
    write: bool,
) -> T:
    """Run an import in the command's transaction, with a progress bar on a terminal; its
    problems are one ``error:`` line each."""
    from factdb.errors import FactDBError

    try:
        with _progress_bar(source) as progress:
            return database(ctx).run(lambda session: work(session, progress), write=write)
    except FactDBError as exc:
        for line in flagged(exc).splitlines() or [""]:
            sys.stderr.write(error_line(line) + "\n")
        raise typer.Exit(1) from None


def _import_claimreview(
    ctx: typer.Context,
    source: IO[bytes],
    dry_run: bool,
    fmt: OutputFormat,
    options: dict[str, Any],
) -> None:
    from factdb.interchange.claimreview_import import import_claimreview

    def work(session: Session, progress: Progress | None) -> ClaimReviewImport:
        source.seek(0)
        data = source.read()
        return import_claimreview(session, data, dry_run=dry_run, progress=progress, **options)

    done = _run_import(ctx, source, work, write=not dry_run)
    unmapped = [{"item": label, "rating": rating} for label, rating in done.unmapped]
    _print_counts(done.result, fmt, {"reviews": done.reviews, "unmapped": unmapped})


def register(app: typer.Typer) -> None:
    """Add this module's commands to the root app."""

    @app.command("import")
    def import_command(
        ctx: typer.Context,
        file: Annotated[
            str,
            typer.Argument(
                metavar="FILE|-",
                help="A factdb JSON Lines file (or fact-checks, with -f claimreview); - for stdin.",
            ),
        ],
        dry_run: Annotated[
            bool, typer.Option("--dry-run", help="Check everything, count, write nothing.")
        ] = False,
        formats: Annotated[
            list[ImportFormat] | None,
            typer.Option(
                "--format",
                "-f",
                help="Input format jsonl (the default) or claimreview, and output format "
                "table, json or csv; give both as -f claimreview -f json.",
                case_sensitive=False,
            ),
        ] = None,
        kind_for_new: Annotated[
            str | None,
            typer.Option(
                "--kind-for-new",
                metavar="KIND",
                help="ClaimReview: the kind of new claim authors (default other).",
            ),
        ] = None,
        skip_unreadable: Annotated[
            bool,
            typer.Option(
                "--skip-unreadable",
                help="ClaimReview: leave out reviews that cannot be read, with a warning.",
            ),
        ] = False,
    ) -> None:
        """Each problem is reported as `line N: field: problem` on stderr (the first 20).

        Importing the same file twice changes nothing. With `--format claimreview` it imports
        published fact-checks (ClaimReview JSON-LD, a Fact Check Tools response, a DataFeed, an
        HTML page); problems are `item N: field: problem`.

        Example: factdb import nagorno-karabakh-2020.jsonl --dry-run
        """
        from factdb.interchange import import_jsonl

        reading, fmt = _import_formats(formats or [])
        for flag, given in (
            ("--kind-for-new", kind_for_new),
            ("--skip-unreadable", skip_unreadable),
        ):
            if given and reading != "claimreview":
                fail(f"{flag}: only goes with --format claimreview", 2)
        path = None if file == "-" else file
        if path is not None and os.path.isdir(path):
            fail(f"FILE: {file!r} is a folder, not a file", 2)
        # Standard input is copied to a temporary file first, so that a transaction the
        # database asks to rerun reads the same bytes again.
        with _input(file) as source:
            if reading == "claimreview":
                options = {
                    "kind_for_new": kind_for_new or "other",
                    "skip_unreadable": skip_unreadable,
                }
                _import_claimreview(ctx, source, dry_run, fmt, options)
                return

            def work(session: Session, progress: Progress | None) -> ImportResult:
                source.seek(0)
                return import_jsonl(session, source, dry_run=dry_run, progress=progress)

            result = _run_import(ctx, source, work, write=not dry_run)
        _print_counts(result, fmt)

    @app.command("export")
    def export_command(
        ctx: typer.Context,
        fmt: Annotated[
            ExportFormat,
            typer.Option(
                "--format",
                "-f",
                help="jsonl (factdb JSON Lines), csv, claimreview (JSON-LD) or plover.",
                case_sensitive=False,
            ),
        ] = ExportFormat.jsonl,
        output: Annotated[
            str | None,
            typer.Option("--output", "-o", metavar="FILE", help="Write to FILE instead of stdout."),
        ] = None,
        force: ForceOption = False,
        topic: Annotated[
            str | None, typer.Option("--topic", metavar="T", help="Only topic T.")
        ] = None,
        by: Annotated[
            str | None,
            typer.Option(
                "--by", metavar="ACTOR", help="Only statements by ACTOR or its affiliates then."
            ),
        ] = None,
        since: Annotated[
            str | None,
            typer.Option("--since", metavar="D", help="Only statements dated on or after D."),
        ] = None,
        until: Annotated[
            str | None,
            typer.Option("--until", metavar="D", help="Only statements dated on or before D."),
        ] = None,
        direct: Annotated[
            bool, typer.Option("--direct", help="--by: only ACTOR itself, not its affiliates.")
        ] = False,
    ) -> None:
        """Example: factdb export --topic "Nagorno-Karabakh 2020" -o nk.jsonl"""
        from factdb.errors import FactDBError
        from factdb.interchange.exporters import EXPORTERS
        from factdb.outfiles import check_target, open_output

        scope = scope_of(ctx)
        try:
            if output is not None:
                check_target(output, force=force, field="-o")
        except FactDBError as exc:
            fail(str(exc))
        exporter = EXPORTERS[fmt.value]
        warnings: list[str] = []
        if output is None:
            with _utf8_stdout() as out:
                run(ctx, lambda session: exporter(session, out, warnings, scope=scope))
        else:
            try:
                with open_output(output, force=force, field="-o") as file_out:

                    def work(session: Session) -> int:
                        # a rerun transaction starts the file again
                        file_out.seek(0)
                        file_out.truncate()
                        warnings.clear()
                        return int(exporter(session, file_out, warnings, scope=scope))

                    count = run(ctx, work)
            except FactDBError as exc:
                fail(str(exc))
            noun = "statement" if count == 1 else "statements"
            sys.stderr.write(f"Wrote {count} {noun} to {output}.\n")
        warn(warnings)

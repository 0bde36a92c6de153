"""What every command shares: the database from ``--db``, one transaction per command,
errors as one line on stderr, and rendering records as a table, JSON or CSV.

Kept light: nothing here imports SQLAlchemy or rich at module level, so ``--help`` stays fast.
"""

from __future__ import annotations

import csv
import gc
import io
import json
import os
import re
import sys
from collections.abc import Callable, Mapping, Sequence
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated, Any, NoReturn, TypeVar

import typer
from typer.core import TyperGroup

from factdb.cli.vendored_click import Command as ClickCommand
from factdb.cli.vendored_click import Context as ClickContext
from factdb.cli.vendored_click import HelpFormatter
from factdb.cli.vendored_click import exceptions as click_exceptions

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from factdb.queries.scope import Scope
    from factdb.store.db import Database

T = TypeVar("T")


class OutputFormat(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


_FORMATS = [fmt.value for fmt in OutputFormat]
FormatOption = Annotated[
    OutputFormat,
    typer.Option(
        "--format",
        "-f",
        help=f"Output format: {', '.join(_FORMATS[:-1])} or {_FORMATS[-1]}.",
        case_sensitive=False,
    ),
]


# A listing printed as a table shows this many rows unless --limit says otherwise; as JSON or
# CSV it prints every row (as ``gh`` does for its lists).
TABLE_LIMIT = 30

LimitOption = Annotated[
    int | None,
    typer.Option(
        "--limit",
        "-n",
        min=1,
        metavar="N",
        help=f"At most N rows (default: {TABLE_LIMIT} in a table, every row as json or csv).",
        show_default=False,
    ),
]


def page_limit(limit: int | None, fmt: OutputFormat) -> int | None:
    """The number of rows a listing asks for: ``--limit``, else ``TABLE_LIMIT`` for a table
    (whether or not stdout is a terminal) and every row for the other formats."""
    if limit is not None or fmt is not OutputFormat.table:
        return limit
    return TABLE_LIMIT


def showing(shown: int, total: int) -> str:
    """The line under a table cut short by ``--limit``."""
    return f"Showing {shown:,} of {total:,}; use --limit to see more"


class CliState:
    """What the root command passes to every command: the ``--db`` value, opened on use."""

    def __init__(self, db: str | None) -> None:
        self.db = db
        self._database: Database | None = None

    @property
    def database(self) -> Database:
        if self._database is None:
            from factdb.store.db import Database

            self._database = Database.open(self.db)
        return self._database


# The library names the field at fault (``as_of: 'soon' is not a date``), the parameter's
# name; the commands show the flag that sets it. The one table from library fields to flags:
FLAGS = {
    "by": "--by",
    "of": "--of",
    "about": "--about",
    "topic": "--topic",
    "since": "--since",
    "until": "--until",
    "as_of": "--as-of",
    "direct": "--direct",
    "roll_up": "--roll-up",
    "actor": "--actor",
    "search": "--search",
    "status": "--status",
    "unanswered": "--unanswered",
    "limit": "--limit",
    "db": "--db",
    "kind": "--kind",
    "kind_for_new": "--kind-for-new",
    "min_score": "--min-score",
    "url": "--url",
    # statements: claim add, the answers, claim edit
    "date": "--on",
    "quote": "--quote",
    "lang": "--lang",
    "text": "--text",
    "note": "--note",
    "ref": "--ref",
    "verdict": "--verdict",
    "rating": "--rating",
    "topics": "--topic",
    "sources": "--source",
    "locator": "--locator",
    "add_about": "--about",
    "add_topics": "--topic",
    "add_sources": "--source",
    "remove_about": "--remove-about",
    "remove_topics": "--remove-topic",
    "remove_sources": "--remove-source",
    "cascade": "--cascade",
    # actors
    "name": "--name",
    "aliases": "--alias",
    "country": "--country",
    "wikidata": "--wikidata",
    "description": "--description",
    "member_of": "--member-of",
    "role": "--role",
    "start": "--from",
    "end": "--to",
    # sources and articles
    "outlet": "--outlet",
    "title": "--title",
    "published": "--published",
    "retrieved": "--retrieved",
    "archive_url": "--archive",
}


def flagged(error: Exception) -> str:
    """The message of a library error as a command shows it: fields named as flags."""
    from factdb.errors import FactDBError

    return error.naming(FLAGS) if isinstance(error, FactDBError) else str(error)


def error_line(message: str) -> str:
    first = " ".join(str(message).split()) or "unknown error"
    return f"error: {first}"


def warn(messages: Sequence[str]) -> None:
    """One ``warning:`` line on stderr for each message."""
    for message in messages:
        sys.stderr.write(f"warning: {message}\n")


def fail(message: str, code: int = 1) -> NoReturn:
    """One line on stderr and a non-zero exit."""
    sys.stderr.write(error_line(message) + "\n")
    raise typer.Exit(code)


def state(ctx: typer.Context) -> CliState:
    root = ctx.find_root()
    if not isinstance(root.obj, CliState):
        root.obj = CliState(None)
    return root.obj


def database(ctx: typer.Context) -> Database:
    from factdb.errors import FactDBError

    try:
        return state(ctx).database
    except FactDBError as exc:
        fail(flagged(exc))


def run(ctx: typer.Context, work: Callable[[Session], T], *, write: bool = False) -> T:
    """Run library work in the command's one session and transaction; library errors become
    one line on stderr, and the transaction is rolled back so nothing is written."""
    from factdb.errors import FactDBError

    _freeze_start_up()
    try:
        return database(ctx).run(work, write=write)
    except FactDBError as exc:
        fail(flagged(exc))


def _freeze_start_up() -> None:
    """Take what is alive before the first command's work (the imported modules, the
    tables' metadata: it lives as long as the process) out of the garbage collector's
    reach, once a process. Each full collection would otherwise walk it again while the
    work builds thousands of records; a listing of a state's denials spent a tenth of its
    time there."""
    if not gc.get_freeze_count():
        gc.freeze()


class FactDBGroup(TyperGroup):
    """Root command group: commands are built only when run (``catalog``), and usage errors
    and anything unexpected become one line on stderr."""

    def list_commands(self, ctx: ClickContext) -> list[str]:
        from factdb.cli.catalog import COMMANDS

        return list(COMMANDS)

    def get_command(self, ctx: ClickContext, cmd_name: str) -> ClickCommand | None:
        from factdb.cli.catalog import load

        return load(cmd_name)

    def resolve_command(
        self, ctx: ClickContext, args: list[str]
    ) -> tuple[str | None, ClickCommand | None, list[str]]:
        try:
            return super().resolve_command(ctx, args)
        except click_exceptions.UsageError as error:
            # Typer suggests from the commands already built, and the root builds none
            import difflib

            from factdb.cli.catalog import COMMANDS

            matches = difflib.get_close_matches(args[0], list(COMMANDS)) if args else []
            if matches and "Did you mean" not in error.message:
                suggestions = ", ".join(repr(match) for match in matches)
                error.message = f"{error.message.rstrip('.')}. Did you mean {suggestions}?"
            raise

    def format_commands(self, ctx: ClickContext, formatter: HelpFormatter) -> None:
        import textwrap

        from factdb.cli.catalog import SECTIONS

        names = max(len(name) for entries in SECTIONS.values() for name in entries)
        for title, entries in SECTIONS.items():
            with formatter.section(f"{title} commands"):
                indent = " " * formatter.current_indent
                hanging = indent + " " * (names + 2)
                for name, entry in entries.items():
                    # one column for every section, and "who-denied" never split at its hyphen
                    lines = textwrap.wrap(
                        entry.summary,
                        max(formatter.width - len(hanging), 20),
                        break_on_hyphens=False,
                    )
                    formatter.write(f"{indent}{name.ljust(names)}  {lines[0]}\n")
                    formatter.write("".join(f"{hanging}{line}\n" for line in lines[1:]))

    def main(self, *args: Any, **kwargs: Any) -> Any:
        kwargs["standalone_mode"] = False
        given = kwargs.get("args", args[0] if args else None)
        arguments = [str(a) for a in (sys.argv[1:] if given is None else given)]
        broken = undecodable_argument(arguments)
        if broken is not None:
            sys.stderr.write(error_line(f"{broken}: is not valid UTF-8 text") + "\n")
            sys.exit(2)
        try:
            result = super().main(*args, **kwargs)
            sys.stdout.flush()
        except click_exceptions.NoArgsIsHelpError as exc:
            # Before UsageError, its base class. With rich the help is already printed and
            # the message is empty.
            message = exc.format_message()
            if message.strip():
                sys.stdout.write(message + "\n")
            sys.exit(0)
        except click_exceptions.UsageError as exc:
            hint = ""
            failed_in = exc.ctx if exc.ctx is not None else _parsing_context(exc)
            if failed_in is not None:
                hint = f" (see `{failed_in.command_path} --help`)"
            sys.stderr.write(error_line(plain_choice_error(exc.format_message())) + hint + "\n")
            sys.exit(exc.exit_code)
        except click_exceptions.ClickException as exc:
            sys.stderr.write(error_line(exc.format_message()) + "\n")
            sys.exit(exc.exit_code)
        except typer.Abort:
            sys.stderr.write("error: aborted\n")
            sys.exit(1)
        except (KeyboardInterrupt, EOFError):
            sys.stderr.write("error: interrupted\n")
            sys.exit(130)
        except BrokenPipeError:
            # the reader went away (`factdb … | head`): stop quietly, without a second
            # complaint when Python flushes stdout on exit
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            sys.exit(1)
        except Exception as exc:
            if os.environ.get("FACTDB_DEBUG"):
                raise
            from factdb.errors import FactDBError

            if isinstance(exc, FactDBError):
                message = flagged(exc)
            elif isinstance(exc, OSError) and exc.strerror:
                where = f" {exc.filename}" if exc.filename else ""
                message = f"cannot write the output{where}: {exc.strerror}"
            else:
                message = f"unexpected {type(exc).__name__}: {exc} (set FACTDB_DEBUG=1 for details)"
            sys.stderr.write(error_line(mask_passwords(message, arguments)) + "\n")
            _discard_stdout()
            sys.exit(1)
        if isinstance(result, int) and result != 0:
            sys.exit(result)
        sys.exit(0)


def _parsing_context(exc: BaseException) -> ClickContext | None:
    """The context of the command whose arguments were being parsed when ``exc`` was raised.

    Click's parser raises some usage errors (``Option '--by' requires an argument.``) without
    their context; the innermost frame of the traceback that has a ``ctx`` (the command's
    ``parse_args(self, ctx, args)``) holds it.
    """
    found: ClickContext | None = None
    trace = exc.__traceback__
    while trace is not None:
        candidate = trace.tb_frame.f_locals.get("ctx")
        if isinstance(candidate, ClickContext):
            found = candidate
        trace = trace.tb_next
    return found


_CHOICE_ERROR = re.compile(
    r"""(?:Value error, )?('(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*") is not one of (.*?)\.?$"""
)


def plain_choice_error(message: str) -> str:
    """Typer words a bad choice as ``[Value error, ]'x' is not one of 'a', 'b'.``; say it as
    the rest of factdb does: ``'x' is not one of a, b``."""
    match = _CHOICE_ERROR.search(message)
    if match is None:
        return message
    choices = ", ".join(choice.strip("'") for choice in match.group(2).split(", "))
    return f"{message[: match.start()]}{match.group(1)} is not one of {choices}"


def undecodable_argument(arguments: Sequence[str]) -> str | None:
    """The option (or ``argument N``) whose value held bytes that are not UTF-8: Python keeps
    them as lone surrogates, which no database can store."""
    for index, argument in enumerate(arguments):
        if not any(0xD800 <= ord(ch) <= 0xDFFF for ch in argument):
            continue
        option, equals, _ = argument.partition("=")
        if equals and option.startswith("--"):
            return option
        previous = arguments[index - 1] if index else ""
        if previous.startswith("-") and previous != "-":
            return previous
        shown = argument.encode("utf-8", "surrogateescape")
        return f"argument {index + 1} ({shown!r})"
    return None


def mask_passwords(message: str, arguments: Sequence[str]) -> str:
    """The message with any password from a database URL (arguments or ``FACTDB_DB``)
    replaced by ``***``: a last guard, since library messages already mask it."""
    from urllib.parse import unquote, urlsplit

    for candidate in [*arguments, os.environ.get("FACTDB_DB", "")]:
        if "://" not in candidate or "@" not in candidate:
            continue
        url = candidate.partition("=")[2] if candidate.startswith("-") else candidate
        try:
            password = urlsplit(url).password
        except ValueError:
            continue
        for secret in {password, unquote(password)} if password else set():
            if secret:
                message = message.replace(secret, "***")
    return message


def _discard_stdout() -> None:
    """After a failed write to stdout, drop what is still buffered so exit stays quiet."""
    try:
        sys.stdout.flush()
    except OSError:
        try:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
        except (OSError, ValueError):
            pass


# ----------------------------------------------------------------------------- rendering


def cell(value: Any) -> str:
    """One value as plain text for a table or CSV cell."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return "; ".join(cell(item) for item in value)
    if isinstance(value, dict):
        for key in ("url", "name", "actor", "organization"):
            if key in value:
                return str(value[key])
        return json.dumps(value, ensure_ascii=False)
    return str(value)


# Where orjson (3.11.7 on) writes a float differently from ``json``: a one-digit negative
# exponent (``2.5e-7`` for ``2.5e-07``) and, between 1e-5 and 1e-4, a plain decimal
# (``0.000015`` for ``1.5e-05``). Both patterns start with a literal that is rare in text
# (``e-``, ``0.0000``), which the regex engine looks for quickly: a quarter of the time of a
# pattern led by ``e`` alone (2 MB of denials: 1.7 ms against 4.7 ms).
_SHORT_EXPONENT = re.compile(rb"e-[1-9](?![0-9])")
_SMALL_DECIMAL = re.compile(rb"0\.0000[1-9]")


def json_bytes(data: Any) -> bytes:
    """``json.dumps(data, ensure_ascii=False, indent=2)`` as UTF-8, the same text, written by
    orjson (the standard encoder is pure Python when indenting: ~30 µs a record, 120 ms for
    3,700 denials). Anything orjson writes differently or refuses goes to ``json``: floats
    with a one-digit negative exponent or between 1e-5 and 1e-4 (any text that looks like
    one, to be safe), integers over 64 bits and keys that are not strings. (NaN and
    infinities, which no record holds, would come out as null rather than json's NaN.)"""
    import orjson

    try:
        encoded = orjson.dumps(data, option=orjson.OPT_INDENT_2)
        if not (_SHORT_EXPONENT.search(encoded) or _SMALL_DECIMAL.search(encoded)):
            return encoded
    except TypeError:  # orjson.JSONEncodeError
        pass
    return json.dumps(data, ensure_ascii=False, indent=2).encode()


def dump_json(data: Any) -> str:
    return json_bytes(data).decode()


def write_json(data: Any) -> None:
    """The JSON text and a newline on stdout; as bytes when stdout takes UTF-8 (no decoding
    and encoding again of what may be megabytes)."""
    encoded = json_bytes(data)
    stream = sys.stdout
    buffer = getattr(stream, "buffer", None)
    if buffer is not None and str(getattr(stream, "encoding", "")).lower() in ("utf-8", "utf8"):
        stream.flush()
        buffer.write(encoded + b"\n")
    else:
        stream.write(encoded.decode() + "\n")


def write_csv(rows: Sequence[dict[str, Any]], columns: Sequence[str]) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([cell(row.get(column)) for column in columns])
    sys.stdout.write(buffer.getvalue())


def write_table(
    rows: Sequence[dict[str, Any]], columns: Sequence[str], *, title: str | None = None
) -> None:
    from factdb.cli.plain_table import render_table, styled_output, terminal_width

    cells = [[cell(row.get(column)) for column in columns] for row in rows]
    text = render_table(columns, cells, terminal_width(), title=title, styled=styled_output())
    sys.stdout.write(text)


def emit_rows(
    rows: Sequence[dict[str, Any]],
    fmt: OutputFormat,
    columns: Sequence[str],
    *,
    title: str | None = None,
    empty: str = "Nothing found.",
    total: int | None = None,
) -> None:
    """Print a listing: JSON is every key of every row; table and CSV show ``columns``.
    Under a table of fewer rows than ``total`` (the rows matching), ``showing`` goes to
    stderr, like the ``empty`` note: what is on stdout stays the records alone."""
    if fmt is OutputFormat.json:
        write_json(list(rows))
    elif fmt is OutputFormat.csv:
        write_csv(rows, columns)
    elif not rows:
        sys.stderr.write(empty + "\n")
    else:
        write_table(rows, columns, title=title)
        if total is not None and total > len(rows):
            sys.stdout.flush()
            sys.stderr.write(showing(len(rows), total) + "\n")


def emit_record(record: dict[str, Any], fmt: OutputFormat, *, title: str | None = None) -> None:
    """Print one record: JSON as is, CSV as one row, table as field/value lines."""
    if fmt is OutputFormat.json:
        write_json(record)
    elif fmt is OutputFormat.csv:
        write_csv([record], list(record))
    else:
        from rich.console import Console
        from rich.table import Table
        from rich.text import Text

        table = Table(title=title, show_header=False, box=None, pad_edge=False)
        table.add_column("field", style="bold")
        table.add_column("value", overflow="fold")
        for key, value in record.items():
            if value in (None, [], ""):
                continue
            table.add_row(key, Text(cell(value)))
        Console().print(table)


def given(ctx: typer.Context, names: Mapping[str, str]) -> dict[str, Any]:
    """The flags given to the command among ``names`` (its parameter → the library's keyword
    for it), under the library's keywords: how a command hands a group of flags to the
    library without naming each twice. Flags not given (None, or no value of a repeatable
    one), or not declared by the command, are left out, so the library's defaults apply.
    The values are click's, before typer converts them: keep enum flags out of ``names``."""
    values = ctx.params
    return {
        keyword: values[name]
        for name, keyword in names.items()
        if values.get(name) not in (None, ())
    }


def scope_of(ctx: typer.Context) -> Scope:
    """The ``Scope`` of the filter flags the command declares (its parameters named as the
    scope's fields: ``by``, ``of``, ``about``, ``topic``, ``since``, ``until``, ``as_of``,
    ``direct``, ``roll_up``), built once (dates parsed here); a bad value is one error line
    naming its flag."""
    from factdb.errors import FactDBError
    from factdb.queries.scope import Scope

    try:
        return Scope(**given(ctx, {name: name for name in Scope.__slots__}))
    except FactDBError as exc:
        fail(flagged(exc))

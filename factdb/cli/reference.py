"""The README's command reference, built from what the command line prints for ``--help``.

    python -m factdb.cli.reference            # print the reference (Markdown)
    python -m factdb.cli.reference --write    # put it into README.md between the markers
    python -m factdb.cli.reference --check    # exit 1 if README.md's copy is stale

The commands come from ``factdb.cli.catalog`` (and each group's own subcommands), so a new
command or flag shows up without touching this file. Each help is printed through the real
command line at a fixed width with no colour, so the result does not depend on the terminal
that runs it. Only this tool and its test import this module: the CLI never does.
"""

from __future__ import annotations

import argparse
import re
import sys
import textwrap
from collections.abc import Iterator, Sequence
from pathlib import Path

from typer.testing import CliRunner

import factdb
from factdb.cli import app
from factdb.cli.catalog import SECTIONS, load
from factdb.cli.vendored_click import Command

START = "<!-- reference: start -->"
END = "<!-- reference: end -->"
WIDTH = 80  # the help as an 82-column terminal shows it; long enough, and fits a code view
PROSE = 96  # the README's own line length
REGENERATE = "python -m factdb.cli.reference --write"
README = Path(factdb.__file__).resolve().parent.parent / "README.md"

CommandPath = tuple[str, ...]


def command_paths() -> Iterator[CommandPath]:
    """The root, then every catalog command in catalog order, each followed by its
    subcommands (depth first, in the order the group lists them)."""
    yield ()
    for entries in SECTIONS.values():
        for name in entries:
            command = load(name)
            assert command is not None  # the name comes from the catalog itself
            yield from _walk(command, (name,))


def _walk(command: Command, path: CommandPath) -> Iterator[CommandPath]:
    yield path
    for name, sub in getattr(command, "commands", {}).items():
        if not sub.hidden:
            yield from _walk(sub, (*path, name))


def help_text(path: CommandPath) -> str:
    """``factdb PATH --help`` as the command line prints it, at ``WIDTH`` columns."""
    result = CliRunner().invoke(
        app,
        [*path, "--help"],
        env={"FACTDB_DB": None, "NO_COLOR": "1"},
        terminal_width=WIDTH,
        color=False,
    )
    if result.exit_code != 0:
        raise RuntimeError(f"`factdb {' '.join(path)} --help` failed: {result.output}")
    return "\n".join(line.rstrip() for line in result.stdout.strip("\n").splitlines())


def anchor(path: CommandPath) -> str:
    """The id GitHub gives the heading of ``path`` (`factdb claim add` → factdb-claim-add)."""
    return "-".join(("factdb", *path))


def fenced(text: str) -> str:
    """``text`` in a code block whose fence no run of backticks inside it can close."""
    longest = run = 0
    for char in text:
        run = run + 1 if char == "`" else 0
        longest = max(longest, run)
    fence = "`" * max(3, longest + 1)
    return f"{fence}text\n{text}\n{fence}"


def index(paths: Sequence[CommandPath]) -> list[str]:
    """One line per catalog section linking to each of its commands and their subcommands."""
    lines = []
    for title, entries in SECTIONS.items():
        links = []
        for name in entries:
            subs = [p for p in paths if len(p) > 1 and p[0] == name]
            link = f"[`{name}`](#{anchor((name,))})"
            if subs:
                inner = ", ".join(f"[`{' '.join(p[1:])}`](#{anchor(p)})" for p in subs)
                link += f" ({inner})"
            links.append(link)
        lines.append(wrap(f"- {title}: " + ", ".join(links), indent="  "))
    return lines


def wrap(text: str, indent: str = "") -> str:
    """Markdown prose wrapped at the README's width, never inside a link or a name."""
    return textwrap.fill(
        text, PROSE, subsequent_indent=indent, break_long_words=False, break_on_hyphens=False
    )


def render() -> str:
    """The reference: a note, an index, then each command's heading and help."""
    paths = list(command_paths())
    parts = [
        wrap(
            f"Generated from each command's `--help` by `{REGENERATE}`; do not edit it by "
            "hand (`factdb COMMAND --help` prints the same, wrapped to your terminal)."
        ),
        "\n".join(index(paths)),
    ]
    for path in paths:
        parts.append(f"### `{' '.join(('factdb', *path))}`")
        parts.append(fenced(help_text(path)))
    return "\n\n".join(parts)


def _bounds(readme: str) -> tuple[int, int]:
    """Where the reference lies: between the marker lines (a marker quoted in prose is not one)."""
    starts = [m.end() for m in re.finditer(f"^{re.escape(START)}$", readme, re.MULTILINE)]
    ends = [m.start() for m in re.finditer(f"^{re.escape(END)}$", readme, re.MULTILINE)]
    if len(starts) != 1 or len(ends) != 1 or ends[0] < starts[0]:
        raise ValueError(f"the file needs one {START} line followed by one {END} line")
    return starts[0], ends[0]


def current(readme: str) -> str:
    """The reference as the README holds it now (between the markers, blank lines trimmed)."""
    start, end = _bounds(readme)
    return readme[start:end].strip("\n")


def splice(readme: str, reference: str) -> str:
    """``readme`` with ``reference`` between the markers; everything else kept as it was."""
    start, end = _bounds(readme)
    return f"{readme[:start]}\n{reference}\n{readme[end:]}"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m factdb.cli.reference", description=(__doc__ or "").split("\n\n")[0]
    )
    action = parser.add_mutually_exclusive_group()
    action.add_argument("--write", action="store_true", help="rewrite the README's reference")
    action.add_argument("--check", action="store_true", help="exit 1 if it is stale")
    parser.add_argument("--readme", type=Path, default=README, help="default: %(default)s")
    options = parser.parse_args(argv)
    reference = render()
    if not (options.write or options.check):
        sys.stdout.write(reference + "\n")
        return 0
    try:
        readme = options.readme.read_text(encoding="utf-8")
        stale = current(readme) != reference
    except (OSError, ValueError) as error:
        sys.stderr.write(f"error: {options.readme}: {error}\n")
        return 1
    if options.check:
        if stale:
            sys.stderr.write(
                f"error: {options.readme}: the command reference is stale; run `{REGENERATE}`\n"
            )
            return 1
        return 0
    if stale:
        options.readme.write_text(splice(readme, reference), encoding="utf-8")
        sys.stderr.write(f"Updated the command reference in {options.readme}.\n")
    else:
        sys.stderr.write(f"The command reference in {options.readme} is up to date.\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""The root's list of commands, and building one of them only when it is run.

``factdb --help`` prints this list without importing any command module, and ``factdb X``
imports and builds only X's module and X itself: building all of the commands' click
objects would cost more start-up than the command's own work.

Each command's one-line summary is written here only: a command module's help (its
docstring or ``help=``) starts after it, and ``load`` puts the summary in front.
"""

from __future__ import annotations

import functools
import importlib
from typing import NamedTuple

import typer

from factdb.cli.vendored_click import Command


class Entry(NamedTuple):
    module: str
    summary: str


SECTIONS: dict[str, dict[str, Entry]] = {
    "Record": {
        "actor": Entry(
            "actors",
            "Actors: states, ministries, officials, organizations, and who belongs to whom.",
        ),
        "source": Entry(
            "sources", "Sources: where statements were reported (URL, outlet, title, dates)."
        ),
        "claim": Entry("statements", "Claims: what an actor asserts."),
        "deny": Entry("statements", "Log a denial: ACTOR rejects statement ID as false."),
        "dispute": Entry(
            "statements",
            "Log a dispute: ACTOR questions or contests statement ID without a flat denial.",
        ),
        "endorse": Entry(
            "statements",
            "Log an endorsement: ACTOR affirms or supports statement ID (its author: a "
            "reiteration).",
        ),
        "admit": Entry(
            "statements",
            "Log an admission: ACTOR concedes statement ID, usually the party it accuses.",
        ),
        "retract": Entry(
            "statements",
            "Log a retraction: the author of statement ID (or an affiliate) withdraws it.",
        ),
        "fact-check": Entry(
            "statements",
            "Log a fact-check of statement ID with a verdict and the checker's own rating.",
        ),
        "show": Entry(
            "threads",
            "Show a statement as a thread: what it answers, up to the claim, and every answer "
            "to it.",
        ),
        "delete": Entry(
            "statements",
            "Delete a statement (softly: `factdb restore` brings it back; history keeps it).",
        ),
        "restore": Entry(
            "statements",
            "Bring back a deleted statement, with the answers deleted together with it.",
        ),
        "statement": Entry(
            "merging", "Statements of any kind: merge a duplicate into the one to keep."
        ),
    },
    "Ask": {
        "who-denied": Entry(
            "queries",
            "Who denied what: one row per denial, with whom the denier spoke for at the time.",
        ),
        "who-endorsed": Entry(
            "queries", "Who endorsed what: one row per endorsement, the twin of who-denied."
        ),
        "responses": Entry(
            "queries",
            "Every answer (denials, disputes, endorsements, admissions, retractions, fact-checks).",
        ),
        "positions": Entry(
            "queries",
            "Where every actor stands on a statement, followed through its whole thread.",
        ),
        "search": Entry(
            "queries",
            "Full-text search over statements' text, quotes and notes, best match first.",
        ),
        "similar": Entry(
            "matching",
            "The statements nearest to a text or to statement #ID, with scores, best first.",
        ),
        "duplicates": Entry(
            "matching",
            "Likely duplicate statements across the record: pairs that assert the same thing.",
        ),
        "timeline": Entry(
            "queries",
            "Every statement in date order (a month before the days in it; undated last).",
        ),
        "alignment": Entry(
            "queries",
            "For each pair of actors, how often they took the same and the opposite side.",
        ),
        "history": Entry(
            "history",
            "Show the audit trail: who changed what and when, with before and after.",
        ),
    },
    "Report and exchange": {
        "report": Entry(
            "reports", "Claim-rebuttal reports for the terminal, Markdown, HTML or JSON."
        ),
        "demo": Entry(
            "reports",
            "Load the worked example (Nagorno-Karabakh 2020) into its own database and show it.",
        ),
        "extract": Entry(
            "extract",
            "Propose the statements a news article reports, as a draft to review and import.",
        ),
        "import": Entry(
            "interchange",
            "Import factdb JSON Lines or ClaimReview: check everything, then write all or nothing.",
        ),
        "export": Entry(
            "interchange",
            "Export statements as factdb JSON Lines, CSV, ClaimReview JSON-LD or PLOVER events.",
        ),
    },
    "Look after": {
        "db": Entry(
            "database",
            "Look after the database: upgrade its schema, show where it is, check it, back it up.",
        ),
    },
}

COMMANDS: dict[str, Entry] = {
    name: entry for section in SECTIONS.values() for name, entry in section.items()
}


@functools.cache
def load(name: str) -> Command | None:
    """The click command ``name``, built from its module's registration alone."""
    entry = COMMANDS.get(name)
    if entry is None:
        return None
    module = importlib.import_module(f"factdb.cli.{entry.module}")
    app = typer.Typer(rich_markup_mode=None)
    module.register(app)
    app.registered_commands = [info for info in app.registered_commands if info.name == name]
    app.registered_groups = [info for info in app.registered_groups if info.name == name]
    command = typer.main.get_group(app).commands[name]
    rest = (command.help or "").rstrip()  # a docstring ending in a quote ends in a space
    command.help = f"{entry.summary}\n\n{rest}" if rest else entry.summary
    keep_examples_verbatim(command)
    return command


def keep_examples_verbatim(command: Command) -> None:
    """Mark each help paragraph that starts with ``Example`` so click prints it as written
    instead of re-wrapping it (a wrapped command line cannot be copied), in subcommands too."""
    if command.help:
        command.help = verbatim_examples(command.help)
    for sub in getattr(command, "commands", {}).values():
        keep_examples_verbatim(sub)


def verbatim_examples(text: str) -> str:
    paragraphs = text.split("\n\n")
    return "\n\n".join(
        "\b\n" + paragraph if paragraph.lstrip().startswith("Example") else paragraph
        for paragraph in paragraphs
    )

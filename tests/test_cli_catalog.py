"""The root's command list (``factdb.cli.catalog``) says what the command modules register,
``--help`` prints it without building any command, and a run builds only its own command."""

from __future__ import annotations

import importlib
import inspect
import json
import subprocess
import sys

import typer
from conftest import every_command
from typer.testing import CliRunner

from factdb.cli import app
from factdb.cli.catalog import COMMANDS, SECTIONS, verbatim_examples

COMMAND_MODULES = sorted({entry.module for entry in COMMANDS.values()})


def first_paragraph(command_help: str) -> str:
    return " ".join(command_help.replace("\b", "").split("\n\n")[0].split())


def test_each_module_registers_exactly_its_catalog_commands() -> None:
    for module_name in COMMAND_MODULES:
        module = importlib.import_module(f"factdb.cli.{module_name}")
        scratch = typer.Typer()
        module.register(scratch)
        registered = [info.name for info in scratch.registered_commands] + [
            info.name for info in scratch.registered_groups
        ]
        listed = [name for name, entry in COMMANDS.items() if entry.module == module_name]
        assert sorted(registered) == sorted(listed), module_name  # type: ignore[type-var]


def test_each_summary_is_the_first_paragraph_of_the_commands_help() -> None:
    built = {path.split()[1]: command for path, command in every_command() if path.count(" ") == 1}
    assert sorted(built) == sorted(COMMANDS)
    assert {name: first_paragraph(command.help) for name, command in built.items()} == {
        name: entry.summary for name, entry in COMMANDS.items()
    }


def test_each_summary_is_written_once_in_the_catalog() -> None:
    """The command modules leave the summary out of their help; the catalog supplies it."""
    for name, entry in COMMANDS.items():
        source = " ".join(
            inspect.getsource(importlib.import_module(f"factdb.cli.{entry.module}")).split()
        )
        assert entry.summary.rstrip(".") not in source, name


def test_help_lists_every_command_by_section_with_its_summary() -> None:
    result = CliRunner().invoke(app, ["--help"])
    assert result.exit_code == 0
    sections: dict[str, dict[str, str]] = {}
    columns: set[int] = set()
    for block in result.stdout.split("\n\n"):
        title, _, body = block.partition(" commands:\n")
        if not body:
            continue
        entries = sections.setdefault(title, {})
        name = ""
        for line in body.splitlines():
            if line.startswith("   "):  # a wrapped summary goes on
                entries[name] += " " + line.strip()
                continue
            name, summary = line.split(maxsplit=1)
            entries[name] = summary
            columns.add(line.index(summary))
    assert sections == {
        title: {name: entry.summary for name, entry in entries.items()}
        for title, entries in SECTIONS.items()
    }
    assert len(columns) == 1  # the summaries of every section start in one column


def test_help_builds_no_command_and_a_run_builds_only_its_own() -> None:
    probe = (
        "import json, sys\n"
        "import factdb.cli\n"
        "def run(*argv):\n"
        "    sys.argv = ['factdb', *argv]\n"
        "    try:\n"
        "        factdb.cli.main()\n"
        "    except SystemExit:\n"
        "        pass\n"
        "    return sorted(m for m in sys.modules if m.startswith('factdb.cli.') and\n"
        "                  m.split('.')[2] in MODULES)\n"
        "seen = {'help': run('--help'), 'who-denied': run('who-denied', '--help')}\n"
        "sys.stderr.write(json.dumps(seen))\n"
    ).replace("MODULES", repr(COMMAND_MODULES))
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60)
    assert json.loads(done.stderr.splitlines()[-1]) == {
        "help": [],
        "who-denied": ["factdb.cli.queries"],
    }


def test_an_example_is_printed_as_written_however_narrow_the_terminal() -> None:
    result = CliRunner().invoke(app, ["claim", "add", "--help"], env={"COLUMNS": "50"})
    assert result.exit_code == 0
    assert (
        '  Example: factdb claim add "Pakistani special forces are fighting alongside the '
        "Azerbaijani\n"
        '  army" --by "Nikol Pashinyan" --on 2020-10 --about Pakistan --topic '
        '"Nagorno-Karabakh 2020"\n'
    ) in result.stdout


def test_verbatim_examples_marks_only_example_paragraphs() -> None:
    text = "Summary line.\n\nMore words.\n\nExample: factdb x --y"
    assert verbatim_examples(text) == "Summary line.\n\nMore words.\n\n\b\nExample: factdb x --y"


def test_a_mistyped_command_gets_a_suggestion() -> None:
    result = CliRunner().invoke(app, ["who-deny", "--by", "Pakistan"])
    assert (result.exit_code, result.stdout, result.stderr) == (
        2,
        "",
        "error: No such command 'who-deny'. Did you mean 'who-denied', 'deny', 'who-endorsed'? "
        "(see `factdb --help`)\n",
    )

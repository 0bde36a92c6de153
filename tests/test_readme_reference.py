"""The README's command reference is what the command line prints for ``--help``
(``factdb.cli.reference``), whatever terminal builds it, and stale copies are caught."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import every_command

from factdb.cli import reference

README = Path(__file__).resolve().parents[1] / "README.md"
STALE = (
    "README.md's command reference is not what the command line prints; "
    "run `.venv/bin/python -m factdb.cli.reference --write` and commit README.md"
)


@pytest.fixture(scope="module")
def rendered() -> str:
    return reference.render()


def headings(text: str) -> list[str]:
    return re.findall(r"^### `(factdb[^`]*)`$", text, flags=re.MULTILINE)


def block(text: str, path: str) -> str:
    """The help under the heading of ``path``."""
    return text.split(f"### `{path}`\n\n```text\n")[1].split("\n```")[0]


def test_the_readme_reference_is_what_the_cli_prints(rendered: str) -> None:
    assert reference.current(README.read_text(encoding="utf-8")) == rendered, STALE


def test_the_reference_has_every_command_and_subcommand_once(rendered: str) -> None:
    assert headings(rendered) == [path for path, _ in every_command()]
    assert len(set(headings(rendered))) == len(headings(rendered))


def test_the_index_links_to_every_heading(rendered: str) -> None:
    def github_id(heading: str) -> str:  # how GitHub names a heading's anchor
        return re.sub(r"[^\w\- ]", "", heading.lower()).replace(" ", "-")

    links = re.findall(r"\]\(#([^)]+)\)", rendered)
    assert links == [github_id(heading) for heading in headings(rendered)[1:]]


def test_a_command_is_its_help_at_80_columns(rendered: str) -> None:
    assert block(rendered, "factdb db current") == (
        "Usage: factdb db current [OPTIONS]\n"
        "\n"
        "  Show the database's schema revision and whether it is at head.\n"
        "\n"
        "  Example: factdb db current\n"
        "\n"
        "Options:\n"
        "  -f, --format <table|json|csv>  Output format: table, json or csv.  [default:\n"
        "                                 table]\n"
        "  -h, --help                     Show this message and exit."
    )
    assert "\n  -f, --format <table|json|csv>  Output format: table, json or csv.  [default:\n" in (
        block(rendered, "factdb claim add")
    )


def test_the_terminal_and_environment_do_not_change_it(
    rendered: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("FACTDB_DB", str(tmp_path / "elsewhere.sqlite3"))
    monkeypatch.setenv("FORCE_COLOR", "1")
    for columns in ("40", "250"):
        monkeypatch.setenv("COLUMNS", columns)
        assert reference.render() == rendered
    assert "\x1b" not in rendered


def test_check_fails_on_a_stale_readme_and_write_fixes_only_the_reference(
    rendered: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    readme = tmp_path / "README.md"
    # markers quoted in prose are not the markers
    before = f"# Title\n\nIt goes between `{reference.START}` and `{reference.END}`.\n\n"
    after = "\n\n## After\n\nMore.\n"
    stale = f"{before}{reference.START}\nold text\n{reference.END}{after}"
    readme.write_text(stale, encoding="utf-8")

    assert reference.main(["--check", "--readme", str(readme)]) == 1
    assert capsys.readouterr().err == (
        f"error: {readme}: the command reference is stale; "
        "run `python -m factdb.cli.reference --write`\n"
    )
    assert readme.read_text(encoding="utf-8") == stale

    assert reference.main(["--write", "--readme", str(readme)]) == 0
    assert capsys.readouterr().err == f"Updated the command reference in {readme}.\n"
    written = readme.read_text(encoding="utf-8")
    assert written == f"{before}{reference.START}\n{rendered}\n{reference.END}{after}"

    assert reference.main(["--check", "--readme", str(readme)]) == 0
    assert reference.main(["--write", "--readme", str(readme)]) == 0
    assert capsys.readouterr().err == f"The command reference in {readme} is up to date.\n"
    assert readme.read_text(encoding="utf-8") == written


@pytest.mark.parametrize(
    "text",
    [
        "# No markers\n",
        f"{reference.END}\n{reference.START}\n",
        f"{reference.START}\n{reference.START}\n{reference.END}\n",
    ],
    ids=["missing", "reversed", "twice"],
)
def test_write_refuses_a_readme_without_one_pair_of_markers(
    text: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    readme = tmp_path / "README.md"
    readme.write_text(text, encoding="utf-8")
    assert reference.main(["--write", "--readme", str(readme)]) == 1
    assert capsys.readouterr().err == (
        f"error: {readme}: the file needs one {reference.START} line followed by one "
        f"{reference.END} line\n"
    )
    assert readme.read_text(encoding="utf-8") == text


def test_without_an_action_it_prints_the_reference(
    rendered: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert reference.main([]) == 0
    assert capsys.readouterr().out == rendered + "\n"


def test_the_command_line_never_imports_the_generator() -> None:
    probe = (
        "import json, sys\n"
        "import factdb.cli\n"
        "for argv in (['--help'], ['claim', 'add', '--help'], ['db', '--help']):\n"
        "    sys.argv = ['factdb', *argv]\n"
        "    try:\n"
        "        factdb.cli.main()\n"
        "    except SystemExit:\n"
        "        pass\n"
        "sys.stderr.write(json.dumps(sorted(m for m in sys.modules\n"
        "                 if m in ('factdb.cli.reference', 'typer.testing', 'argparse'))))\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60)
    assert json.loads(done.stderr.splitlines()[-1]) == []

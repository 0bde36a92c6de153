"""``factdb import`` and ``factdb export`` on the command line."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable
from importlib import resources
from pathlib import Path
from typing import Any

from conftest import Cli

EXAMPLE = resources.files("factdb") / "data" / "nagorno-karabakh-2020.jsonl"
SMALL = (
    '{"factdb": 1}\n'
    '{"type": "actor", "name": "Armenia", "kind": "state", "country": "AM"}\n'
    '{"type": "statement", "ref": "c", "kind": "claim", "by": "Armenia", "text": "T"}\n'
)

Snapshot = Callable[[], dict[str, list[tuple[Any, ...]]]]


def example_file(tmp_path: Path) -> Path:
    path = tmp_path / "example.jsonl"
    path.write_bytes(EXAMPLE.read_bytes())
    return path


def test_import_prints_counts(cli: Cli, tmp_path: Path) -> None:
    path = example_file(tmp_path)
    assert cli.json("import", str(path)) == {
        "dry_run": False,
        "lines": 36,
        "actor": {"created": 16, "unchanged": 0},
        "source": {"created": 2, "unchanged": 0},
        "topic": {"created": 1, "unchanged": 0},
        "statement": {"created": 17, "unchanged": 0},
        "warnings": [],
    }
    again = cli.ok("import", str(path), "--format", "csv")
    assert again.stdout == (
        "type,created,unchanged\nactor,0,16\nsource,0,2\ntopic,0,1\nstatement,0,17\n"
    )


def test_import_from_stdin_and_dry_run(cli: Cli, snapshot: Snapshot) -> None:
    before = snapshot()
    result = cli.json("import", "-", "--dry-run", input=SMALL)
    assert result["dry_run"] is True and result["statement"] == {"created": 1, "unchanged": 0}
    assert snapshot() == before
    assert cli.json("import", "-", input=SMALL)["statement"] == {"created": 1, "unchanged": 0}
    assert snapshot() != before


def test_import_lists_each_problem_on_its_own_line(
    cli: Cli, tmp_path: Path, snapshot: Snapshot
) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text(
        SMALL
        + '{"type": "statement", "ref": "c", "kind": "claim", "by": "Armenia", "text": "T"}\n'
        + '{"type": "statement", "ref": "d", "kind": "denial", "by": "Armenai", '
        '"responds_to": "c"}\n',
        encoding="utf-8",
    )
    before = snapshot()
    result = cli("import", str(path))
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == (
        "error: line 4: ref: 'c' is already used on line 3\n"
        "error: line 5: by: no actor is called 'Armenai'; did you mean Armenia?\n"
    )
    assert snapshot() == before


def test_import_of_a_missing_file_is_a_usage_error(cli: Cli, tmp_path: Path) -> None:
    result = cli("import", str(tmp_path / "nope.jsonl"))
    assert result.exit_code == 2
    assert result.stderr == (
        f"error: FILE: cannot read '{tmp_path / 'nope.jsonl'}': No such file or directory\n"
    )


def test_export_to_a_file_refuses_to_overwrite(cli: Cli, tmp_path: Path) -> None:
    cli.ok("import", str(example_file(tmp_path)))
    (tmp_path / "out").mkdir()
    target = tmp_path / "out" / "out.jsonl"
    written = cli.ok("export", "-o", str(target))
    assert (written.stdout, written.stderr) == ("", f"Wrote 17 statements to {target}.\n")
    assert target.read_bytes() == cli.ok("export").stdout.encode()
    target.write_text("keep me", encoding="utf-8")
    refused = cli("export", "-o", str(target))
    assert refused.exit_code == 1
    assert refused.stderr == (f"error: -o: '{target}' already exists; add --force to replace it\n")
    assert target.read_text(encoding="utf-8") == "keep me"
    cli.ok("export", "-o", str(target), "--force", "--format", "csv")
    assert target.read_text(encoding="utf-8").startswith("id,ref,kind,author,")
    assert [path.name for path in target.parent.iterdir()] == ["out.jsonl"]


def test_export_formats_and_filters(cli: Cli, tmp_path: Path) -> None:
    cli.ok("import", str(example_file(tmp_path)))
    reviews = json.loads(cli.ok("export", "--format", "claimreview").stdout)
    assert [review["url"] for review in reviews] == [
        "https://factcheck.example.org/2020/10/nagorno-karabakh-casualty-figures"
    ]
    plover = cli.ok("export", "-f", "plover", "--by", "Imran Khan")
    assert [json.loads(line)["event_type"] for line in plover.stdout.splitlines()] == ["SUPPORT"]
    assert plover.stderr == ""
    everything = cli.ok("export", "-f", "plover")
    assert everything.stderr == (
        "warning: 1 fact-check left out: PLOVER has no event type for an assessment\n"
    )
    bad_date = cli("export", "--since", "2020-13")
    assert (bad_date.exit_code, bad_date.stderr) == (
        1,
        "error: --since: '2020-13' is not a real date\n",
    )
    unknown = cli("export", "--by", "Nobody At All")
    assert unknown.exit_code == 1
    assert unknown.stderr.startswith("error: --by: no actor is called 'Nobody At All'")
    bad_format = cli("export", "--format", "xml")
    assert bad_format.exit_code == 2


def test_export_by_rolls_up_and_direct_keeps_the_author(cli: Cli, tmp_path: Path) -> None:
    """``export --by`` counts statements like every other ``--by`` (the ministry speaks for
    its state, Imran Khan for Pakistan while Prime Minister); ``--direct`` only the author."""
    cli.ok("import", str(example_file(tmp_path)))

    def authors(*args: str) -> list[tuple[str, str]]:
        rows = cli.ok("export", "-f", "csv", *args).stdout.splitlines()[1:]
        return [(row.split(",")[1], row.split(",")[3]) for row in rows]

    ministry = "Ministry of Foreign Affairs of Pakistan"
    assert authors("--by", "Pakistan") == [
        ("nk-special-forces-rejected", ministry),
        ("nk-pakistan-self-defence", ministry),
        ("nk-imran-khan-stands-with-azerbaijan", "Imran Khan"),
    ]
    assert authors("--by", "Pakistan", "--direct") == []
    assert authors("--by", ministry, "--direct") == [
        ("nk-special-forces-rejected", ministry),
        ("nk-pakistan-self-defence", ministry),
    ]
    assert authors("--by", "Pakistan", "--until", "2020-10-17") == authors("--by", ministry)
    # JSON Lines carries what the statements answer, with its author, to import on its own
    lines = [json.loads(line) for line in cli.ok("export", "--by", "Pakistan").stdout.splitlines()]
    statements = [(line["ref"], line["by"]) for line in lines if line.get("type") == "statement"]
    assert statements == [
        ("nk-special-forces", "Nikol Pashinyan"),
        ("nk-special-forces-rejected", ministry),
        ("nk-pakistan-self-defence", ministry),
        ("nk-imran-khan-stands-with-azerbaijan", "Imran Khan"),
    ]
    reversed_dates = cli("export", "--by", "Pakistan", "--since", "2021", "--until", "2020")
    assert (reversed_dates.exit_code, reversed_dates.stdout, reversed_dates.stderr) == (
        1,
        "",
        "error: --until: 2020 is before --since 2021\n",
    )


def test_the_readme_example_imports(cli: Cli) -> None:
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Import and export")[1]
    example = section.split("```\n")[1]
    assert example.startswith('{"factdb": 1}\n')
    result = cli.json("import", "-", input=example)
    assert result["statement"] == {"created": 3, "unchanged": 0}
    assert result["source"] == {"created": 2, "unchanged": 0}


def test_installed_command_round_trips(
    run_factdb: Callable[..., subprocess.CompletedProcess[str]], tmp_path: Path
) -> None:
    path = example_file(tmp_path)
    imported = run_factdb("import", str(path), "--format", "json")
    assert imported.returncode == 0, imported.stderr
    assert json.loads(imported.stdout)["statement"] == {"created": 17, "unchanged": 0}
    exported = run_factdb("export")
    assert exported.returncode == 0, exported.stderr
    assert exported.stdout.splitlines()[0] == '{"factdb": 1}'
    again = run_factdb("import", "-", "--format", "json", input=exported.stdout)
    assert json.loads(again.stdout)["statement"] == {"created": 0, "unchanged": 17}

"""``factdb extract`` on the command line, against a record on SQLite and PostgreSQL: the
demo article → draft → import → who-denied, re-extraction proposing nothing new, answers
linked to claims already recorded, --review, and bad input that writes nothing."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from importlib import resources
from pathlib import Path
from typing import Any

from conftest import Cli
from typer.testing import CliRunner

from factdb.cli import app
from factdb.extract.article import MAX_BYTES

GOLD = Path(__file__).resolve().parent.parent / "bench" / "extract_gold"
URL = "https://example.org/news/2020/10/18/pakistan-rejects-armenian-claim"
EXAMPLE = resources.files("factdb") / "data" / "nagorno-karabakh-2020.jsonl"
Snapshot = Callable[[], dict[str, list[tuple[Any, ...]]]]

SECOND_ARTICLE = (
    "ISLAMABAD – Pakistan’s Foreign Office on Saturday rejected a claim by Armenian Prime "
    "Minister Nikol Pashinyan that Pakistani special forces are fighting alongside the "
    "Azerbaijani army as “baseless”.\n"
)


def article(tmp_path: Path, text: str | None = None) -> str:
    path = tmp_path / "article.txt"
    if text is None:
        path.write_bytes((GOLD / "nagorno-karabakh-2020.txt").read_bytes())
    else:
        path.write_text(text, encoding="utf-8")
    return str(path)


def test_article_to_draft_to_import_to_who_denied(cli: Cli, tmp_path: Path) -> None:
    draft = tmp_path / "draft.jsonl"
    result = cli.ok(
        "extract", article(tmp_path), "--published", "2020-10-18", "--url", URL,
        "-o", str(draft), "--topic", "Nagorno-Karabakh 2020",
    )  # fmt: skip
    assert result.stderr == f"Wrote 13 proposed statements to {draft}.\n"
    assert "Ministry of Foreign Affairs of Pakistan" in result.stdout  # the table
    imported = cli.json("import", str(draft))
    assert imported["statement"] == {"created": 13, "unchanged": 0}
    assert imported["actor"] == {"created": 12, "unchanged": 0}
    (row,) = cli.json("who-denied", "--about", "Pakistan")
    assert row == {
        "denial_id": 3,
        "denier": "Ministry of Foreign Affairs of Pakistan",
        "on_behalf_of": ["Pakistan"],
        "date": "2020-10-17",
        "quote": "baseless and unwarranted",
        "statement_id": 2,
        "statement": "Pakistani special forces were reportedly fighting alongside the "
        "Azerbaijani army",
        "author": "Nikol Pashinyan",
        "sources": [{"url": URL, "outlet": None, "locator": "paragraph 4"}],
    }
    # extracting the same article again proposes nothing new
    again = cli.json("extract", article(tmp_path), "--published", "2020-10-18", "--url", URL)
    assert again["statements"] == [] and again["actors"] == []
    assert sorted(item["statement_id"] for item in again["already_recorded"]) == list(range(1, 14))
    table = cli.ok("extract", article(tmp_path), "--published", "2020-10-18", "--url", URL)
    assert table.stdout == ""
    assert table.stderr.endswith(
        "already recorded as #13; not proposed again.\nNothing new to propose.\n"
    )
    assert (
        cli("extract", article(tmp_path), "--url", URL, "-f", "jsonl").stdout == '{"factdb": 1}\n'
    )


def test_an_answer_to_a_recorded_claim_links_to_it(cli: Cli, tmp_path: Path) -> None:
    """A second article on the same story: the record (the demo) holds Pashinyan's claim, so
    the denial answers #1 instead of proposing the claim again, and says so."""
    cli.ok("import", str(EXAMPLE))
    draft = cli.json(
        "extract", article(tmp_path, SECOND_ARTICLE), "--published", "2020-10-18",
        "--url", "https://example.org/second",
    )  # fmt: skip
    assert draft["actors"] == []  # every actor is known, by name or alias
    (denial,) = draft["statements"]
    assert (denial["kind"], denial["by"], denial["responds_to"], denial["quote"]) == (
        "denial",
        "Ministry of Foreign Affairs of Pakistan",
        "#1",
        "baseless",
    )
    assert denial["linked"].startswith("#1 is this claim, recorded (by Nikol Pashinyan, similarity")
    assert denial["date"] == "2020-10-17"
    assert draft["links"] == [
        {"ref": denial["ref"], "responds_to": "#1", "existing": True, "reason": denial["linked"]}
    ]
    path = tmp_path / "second.jsonl"
    cli.ok("extract", article(tmp_path, SECOND_ARTICLE), "--url", "https://example.org/second",
           "-o", str(path))  # fmt: skip
    assert cli.json("import", str(path))["statement"] == {"created": 1, "unchanged": 0}
    quotes = [row["quote"] for row in cli.json("responses", "1", "--kind", "denial")]
    assert quotes == ["baseless and unwarranted", "baseless"]


def test_review_imports_the_accepted_proposals_in_one_go(
    cli: Cli, tmp_path: Path, snapshot: Snapshot
) -> None:
    text = (
        "China claimed that Indian troops had crossed the line.\n\n"
        "India rejected the claim as “baseless”.\n\n"
        "Pakistan endorsed China’s claim.\n"
    )
    path = article(tmp_path, text)
    before = snapshot()
    # accept the claim, edit the denial's author then accept it, skip the endorsement, and
    # decline to import: nothing is written
    answers = "a\nb\nIndia Foreign Office\nb\nIndia\na\ns\nn\n"
    declined = cli("extract", path, "--review", input=answers)
    assert declined.exit_code == 0, declined.stderr
    assert "error: author: must not be empty" not in declined.stdout
    assert declined.stdout.endswith("Import 2 statements now? [y/N]: n\nNothing written.\n")
    assert snapshot() == before
    done = cli.ok("extract", path, "--review", input="a\nk\ndispute\na\ns\ny\n")
    assert done.stdout.endswith("Imported: 2 actors, 0 sources, 0 topics, 2 statements created.\n")
    rows = cli.json("responses")
    assert [(r["kind"], r["responder"], r["author"]) for r in rows] == [
        ("dispute", "India", "China")
    ]


def test_review_leaves_out_an_answer_to_a_skipped_claim(cli: Cli, tmp_path: Path) -> None:
    text = "China claimed that Indian troops had crossed the line.\n\nIndia rejected the claim.\n"
    result = cli.ok("extract", article(tmp_path, text), "--review", input="s\na\n")
    assert "Left out x-" in result.stdout and "what it answers was not accepted" in result.stdout
    assert result.stdout.endswith("Nothing accepted; nothing written.\n")
    assert cli.json("claim", "list") == []


def test_review_refuses_an_unknown_author_and_asks_again(
    cli: Cli, tmp_path: Path, snapshot: Snapshot
) -> None:
    cli.ok("actor", "add", "People's Republic of China", "--kind", "state", "--alias", "PRC")
    text = "China claimed that Indian troops had crossed the line.\n"
    result = cli.ok(
        "extract", article(tmp_path, text), "--review", input="b\nBeijing Gov\nb\nprc\na\ny\n"
    )
    assert "  error: author: no actor is called 'Beijing Gov'" in result.stdout
    assert "[1/1] claim by People's Republic of China" in result.stdout
    (claim,) = cli.json("claim", "list")
    assert (claim["actor"], claim["text"]) == (
        "People's Republic of China",
        "Indian troops had crossed the line",
    )


def _bad(
    cli: Cli, snapshot: Snapshot, tmp_path: Path, args: list[str], line: str, **kw: Any
) -> None:
    before = snapshot()
    out = tmp_path / "draft.jsonl"
    result = CliRunner().invoke(app, ["--db", cli.db_url, "extract", *args, "-o", str(out)], **kw)
    assert (result.exit_code, result.stdout, result.stderr) == (1, "", f"error: {line}\n")
    assert not out.exists()
    assert snapshot() == before


def test_empty_input_writes_nothing(cli: Cli, tmp_path: Path, snapshot: Snapshot) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    _bad(cli, snapshot, tmp_path, [str(empty)], "FILE: is empty; give the text of an article")
    _bad(
        cli, snapshot, tmp_path, ["-"], "FILE: is empty; give the text of an article", input="\n \n"
    )


def test_binary_input_writes_nothing(cli: Cli, tmp_path: Path, snapshot: Snapshot) -> None:
    binary = tmp_path / "photo.jpg"
    binary.write_bytes(b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01")
    _bad(
        cli, snapshot, tmp_path, [str(binary)], "FILE: is binary, not text (it contains NUL bytes)"
    )
    _bad(cli, snapshot, tmp_path, ["-"], "FILE: is not UTF-8 text (byte 0 cannot be decoded)",
         input=b"\xff\xfe garbage")  # fmt: skip


def test_a_50_mb_file_is_refused_by_its_size(cli: Cli, tmp_path: Path, snapshot: Snapshot) -> None:
    big = tmp_path / "big.txt"
    with big.open("wb") as handle:  # sparse: 50 MB that were never written
        handle.truncate(50 * 1024 * 1024)
    line = (
        f"FILE: '{big}' is 52,428,800 bytes, too big for an article (at most {MAX_BYTES:,} bytes)"
    )
    _bad(cli, snapshot, tmp_path, [str(big)], line)
    piped = f"FILE: {MAX_BYTES + 1:,} bytes is too big for an article (at most {MAX_BYTES:,} bytes)"
    _bad(cli, snapshot, tmp_path, ["-"], piped, input=b"Armenia said so. " * (MAX_BYTES // 10))


def test_other_bad_arguments(cli: Cli, tmp_path: Path, snapshot: Snapshot) -> None:
    path = article(tmp_path, "Armenia said that the truce held.\n")
    _bad(cli, snapshot, tmp_path, [path, "--published", "2020-13-01"],
         "--published: '2020-13-01' is not a day; use YYYY-MM-DD (the article's date)")  # fmt: skip
    _bad(cli, snapshot, tmp_path, [path, "--url", "ftp://example.org/a"],
         "--url: 'ftp://example.org/a' is not an http(s) URL")  # fmt: skip
    _bad(cli, snapshot, tmp_path, [str(tmp_path / "missing.txt")],
         f"FILE: cannot read '{tmp_path / 'missing.txt'}': No such file or directory")  # fmt: skip
    _bad(cli, snapshot, tmp_path, [str(tmp_path)], f"FILE: '{tmp_path}' is a folder, not a file")


def test_the_extractor_loads_only_when_extract_runs() -> None:
    probe = (
        "import sys, factdb.cli\n"
        "sys.argv = ['factdb', *sys.argv[1:]]\n"
        "try:\n    factdb.cli.main()\nexcept SystemExit:\n    pass\n"
        "sys.stderr.write(repr(sorted(m for m in sys.modules if m.startswith('factdb.extract'))))\n"
    )

    def loaded(*argv: str) -> str:
        done = subprocess.run(
            [sys.executable, "-c", probe, *argv], capture_output=True, text=True, timeout=60
        )
        return done.stderr.splitlines()[-1]

    assert loaded("--help") == "[]"
    assert loaded("extract", "--help") == "[]"
    assert loaded("import", "--help") == "[]"
    assert "'factdb.extract.core'" in loaded("extract", "/nonexistent/article.txt")


def test_json_lists_evidence_and_confidence(cli: Cli, tmp_path: Path) -> None:
    text = "MOSCOW – Russia said on Sunday that the truce held.\n"
    draft = cli.json("extract", article(tmp_path, text), "--published", "2020-10-18")
    (statement,) = draft["statements"]
    assert {key: statement[key] for key in ("kind", "by", "text", "date", "paragraph")} == {
        "kind": "claim",
        "by": "Russia",
        "text": "the truce held",
        "date": "2020-10-18",
        "paragraph": 1,
    }
    assert statement["sentence"] == text.strip()
    assert text[slice(*statement["span"])] == "Russia said on Sunday that the truce held"
    assert 0 < statement["confidence"] <= 1
    assert draft["actors"] == [
        {
            "type": "actor",
            "name": "Russia",
            "kind": "state",
            "country": "RU",
            "aliases": ["Russian Federation"],
            "paragraph": 1,
            "sentence": text.strip(),
        }
    ]


def test_the_draft_goes_to_stdout_as_json_lines(cli: Cli, tmp_path: Path) -> None:
    text = "Armenia said that the truce held.\n"
    out = cli.ok("extract", article(tmp_path, text), "-f", "jsonl").stdout
    lines = [json.loads(line) for line in out.splitlines()]
    assert [line.get("type") for line in lines] == [None, "actor", "statement"]
    assert cli.json("import", "-", input=out)["statement"] == {"created": 1, "unchanged": 0}


def test_a_second_article_on_the_story_links_its_answers_to_the_recorded_claims(
    cli: Cli, tmp_path: Path
) -> None:
    """The demo record holds the story; the same text under another URL proposes no claim
    it holds: Pakistan's denial answers #1, Armenia's admission #5 (the Azerbaijani defence
    ministry's claim, found through Azerbaijan's affiliates)."""
    cli.ok("import", str(EXAMPLE))
    draft = cli.json(
        "extract", article(tmp_path), "--published", "2020-10-18", "--url",
        "https://example.org/another-outlet",
    )  # fmt: skip
    linked = {
        (s["kind"], s["by"], s["responds_to"])
        for s in draft["statements"]
        if s.get("responds_to", "").startswith("#")
    }
    assert linked == {
        ("denial", "Ministry of Foreign Affairs of Pakistan", "#1"),
        ("admission", "Armenia", "#5"),
    }
    claims = [(s["by"], s["text"]) for s in draft["statements"] if s["kind"] == "claim"]
    assert ("Nikol Pashinyan", "Pakistani special forces were reportedly fighting alongside "
            "the Azerbaijani army") not in claims  # fmt: skip
    assert sorted(item["statement_id"] for item in draft["already_recorded"]) == [1, 5]

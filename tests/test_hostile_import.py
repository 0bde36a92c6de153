"""Hostile and broken import files: one line per problem naming the line and the field, exit 1,
no traceback, nothing written; valid but unusual text (1 MB, mixed scripts) round-trips
through import and export."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import Cli

Snapshot = Callable[[], dict[str, list[tuple[Any, ...]]]]
HEADER = b'{"factdb": 1}\n'
ACTOR = b'{"type": "actor", "name": "Pakistan", "kind": "state", "country": "PK"}\n'


def statement(**values: Any) -> bytes:
    record = {"type": "statement", "ref": "s1", "kind": "claim", "by": "Pakistan", "text": "ok"}
    record.update(values)
    return json.dumps(record).encode() + b"\n"


CASES = [
    (
        "control character",
        statement(text="a\x1bb"),
        "line 3: text: contains a control character (0x1b)",
    ),
    ("NUL", statement(text="nul\x00"), "line 3: text: contains a control character (0x00)"),
    (
        "lone surrogate",
        statement(text="\ud800"),
        "line 3: text: contains a lone surrogate (\\ud800)",
    ),
    (
        "invalid UTF-8",
        b'{"type": "statement", "ref": "s1", "text": "\xff"}\n',
        "line 3: not valid UTF-8 (byte 0xff at byte 45)",
    ),
    ("wrong type", statement(text=5), "line 3: text: must be a string or null, not a number"),
    (
        "impossible date",
        statement(date="2021-02-29"),
        "line 3: date: '2021-02-29' is not a real date",
    ),
    (
        "unknown kind",
        statement(kind="rumour"),
        "line 3: kind: 'rumour' is not a statement kind; use one of claim, denial, dispute, "
        "endorsement, admission, retraction, fact_check",
    ),
    (
        "self-reference",
        statement(kind="denial", responds_to="s1"),
        "line 3: responds_to: a statement cannot respond to itself",
    ),
    (
        "cycle",
        statement(ref="a", kind="denial", responds_to="b")
        + statement(ref="b", kind="denial", responds_to="a"),
        "line 3: responds_to: the responses go in a circle ('a' → 'b' → 'a')",
    ),
    (
        "duplicate ref",
        statement(ref="s1") + statement(ref="s1", text="again"),
        "line 4: ref: 's1' is already used on line 3",
    ),
    (
        "duplicate key",
        b'{"type": "statement", "ref": "a", "ref": "b"}\n',
        "line 3: ref: the key appears twice in the record",
    ),
    (
        "javascript URL",
        statement(sources=[{"url": "javascript:alert(1)"}]),
        "line 3: sources[0]: 'javascript:alert(1)' is not an http(s) URL",
    ),
    (
        "not an object",
        b'"<script>alert(1)</script>"\n',
        "line 3: a record must be a JSON object, not a string",
    ),
]


@pytest.mark.parametrize(("label", "lines", "problem"), CASES, ids=[c[0] for c in CASES])
def test_broken_import_files_are_refused_whole(
    cli: Cli, snapshot: Snapshot, tmp_path: Path, label: str, lines: bytes, problem: str
) -> None:
    path = tmp_path / "broken.jsonl"
    path.write_bytes(HEADER + ACTOR + lines)
    before = snapshot()
    result = cli("import", str(path))
    assert (result.exit_code, result.stdout, result.stderr) == (1, "", f"error: {problem}\n")
    assert snapshot() == before


MIXED = "Армения утверждает · पाकिस्तान ने खंडन किया · باكستان تنفي"


def test_mixed_scripts_and_a_megabyte_round_trip(cli: Cli, tmp_path: Path) -> None:
    huge = (MIXED + "\n") * (1_048_576 // (len(MIXED) + 1)) + "<script>alert('x')</script>"
    path = tmp_path / "valid.jsonl"
    path.write_bytes(
        HEADER
        + ACTOR
        + statement(text=huge, quote=MIXED, lang="ur", topics=[MIXED], note="'; DROP TABLE x; --")
    )
    cli.ok("import", str(path))
    exported = cli.ok("export").stdout.splitlines()
    record = json.loads(exported[-1])
    assert (record["text"], record["quote"], record["topics"], record["note"]) == (
        huge,
        MIXED,
        [MIXED],
        "'; DROP TABLE x; --",
    )

"""Read-only commands never build the ORM classes (``factdb.store.models``): they read the Core
tables, which keeps every query's start-up close to the bare imports (bench/queries.py)."""

from __future__ import annotations

import json
import subprocess
import sys
from importlib import resources
from pathlib import Path

import pytest

from factdb.interchange import import_jsonl
from factdb.store.db import Database
from factdb.store.engine import dispose_engines

# Runs factdb with the arguments given as JSON; ``code`` is its exit code.
RUN = """
import gc, json, sys
import factdb.cli
sys.argv = ["factdb", *json.loads(sys.argv[1])]
try:
    factdb.cli.main()
except SystemExit as exit:
    code = exit.code
"""

PROBE = (
    RUN
    + """
sys.stderr.write("\\n" + json.dumps({
    "code": code, "orm": "factdb.store.models" in sys.modules, "frozen": gc.get_freeze_count() > 0
}))
"""
)

# What an import leaves behind: whether the export side was imported, and which ORM classes
# had their mappers configured (the ORM module itself is imported, by the audit module).
IMPORT_PROBE = (
    RUN
    + """
models = sys.modules.get("factdb.store.models")
mappers = models.Base.registry.mappers if models else []
sys.stderr.write("\\n" + json.dumps({
    "code": code,
    "export": "factdb.interchange.export" in sys.modules,
    "configured": sorted(mapper.class_.__name__ for mapper in mappers if mapper.configured),
}))
"""
)

READ_ONLY = [
    ["who-denied", "--by", "Pakistan", "--format", "json"],
    ["who-endorsed", "--of", "Pakistan"],
    ["responses", "--kind", "admission"],
    ["positions", "1", "--roll-up"],
    ["search", "special forces"],
    ["timeline", "--topic", "Nagorno-Karabakh 2020"],
    ["alignment", "--topic", "Nagorno-Karabakh 2020"],
    ["claim", "list", "--status", "denied"],
]


@pytest.fixture(scope="module")
def example_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("startup") / "example.sqlite3"
    data = resources.files("factdb") / "data" / "nagorno-karabakh-2020.jsonl"
    Database.open(str(path)).run(
        lambda session: import_jsonl(session, data.read_text(encoding="utf-8").splitlines()),
        write=True,
    )
    dispose_engines()
    return path


def probe(database: Path, argv: list[str], script: str = PROBE) -> tuple[dict[str, object], str]:
    """Run ``factdb --db DATABASE ARGV`` in a fresh interpreter: (exit code, whether the ORM
    classes were imported and whether the start-up objects were frozen out of the garbage
    collector's reach, stdout)."""
    done = subprocess.run(
        [sys.executable, "-c", script, json.dumps(["--db", str(database), *argv])],
        capture_output=True,
        text=True,
        timeout=120,
    )
    return json.loads(done.stderr.splitlines()[-1]), done.stdout


@pytest.mark.parametrize("argv", READ_ONLY, ids=lambda argv: " ".join(argv[:2]))
def test_a_read_only_command_does_not_build_the_orm(example_db: Path, argv: list[str]) -> None:
    seen, stdout = probe(example_db, argv)
    assert seen == {"code": 0, "orm": False, "frozen": True}
    assert stdout.strip()


def test_a_write_command_does_build_the_orm(example_db: Path, tmp_path: Path) -> None:
    """The probe sees the ORM when it is there (so the test above can fail)."""
    argv = ["actor", "add", "Probe State", "--kind", "state"]
    copy = tmp_path / "copy.sqlite3"
    copy.write_bytes(example_db.read_bytes())
    assert probe(copy, argv)[0] == {"code": 0, "orm": True, "frozen": True}


def test_help_does_not_freeze(example_db: Path) -> None:
    """Only a command's work freezes what start-up built (so the probe can tell)."""
    seen, stdout = probe(example_db, ["who-denied", "--help"])
    assert seen == {"code": 0, "orm": False, "frozen": False}
    assert "Example" in stdout


@pytest.mark.parametrize("existing", [False, True], ids=["empty", "all there"])
def test_an_import_neither_loads_the_export_side_nor_configures_the_orm(
    example_db: Path, tmp_path: Path, existing: bool
) -> None:
    """Into an empty database, and into one that has every record already (so each is
    compared: the actors' aliases and affiliations, the sources, the statements)."""
    data = resources.files("factdb") / "data" / "nagorno-karabakh-2020.jsonl"
    copy = tmp_path / "copy.sqlite3"
    if existing:
        copy.write_bytes(example_db.read_bytes())
    seen, stdout = probe(copy, ["import", str(data), "-f", "json"], IMPORT_PROBE)
    assert seen == {"code": 0, "export": False, "configured": []}
    assert json.loads(stdout)["statement"] == (
        {"created": 0, "unchanged": 17} if existing else {"created": 17, "unchanged": 0}
    )

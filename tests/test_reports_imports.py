"""Reports read the record with Core queries: running one never imports the ORM classes
(``factdb.store.models``), which read-only commands should not pay for at start-up.

Each report runs in a fresh interpreter, through ``factdb.cli.main()`` as the console script
does, against an SQLite file holding the worked example; the probe then lists the factdb
modules that were imported.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from factdb.reports.model import actor_report, claim_report, topic_report
from factdb.store.db import Database
from tests.reports_example import load_example

TOPIC = "Nagorno-Karabakh 2020"

PROBE = """
import json, sys
import factdb.cli
record, *argv = sys.argv[1:]
sys.argv = ["factdb", *argv]
try:
    factdb.cli.main()
    code = 0
except SystemExit as exc:
    code = exc.code
loaded = sorted(name for name in sys.modules if name.split(".")[0] == "factdb")
with open(record, "w", encoding="utf-8") as out:
    json.dump({"code": code, "loaded": loaded}, out)
"""


def run_probe(tmp_path: Path, *argv: str) -> tuple[dict[str, Any], str]:
    """``factdb ARGV`` in a fresh interpreter: what it recorded, and what it printed."""
    record = tmp_path / "probe.json"
    env = {k: v for k, v in os.environ.items() if not k.startswith("FACTDB_")}
    done = subprocess.run(
        [sys.executable, "-c", PROBE, str(record), *argv],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    return json.loads(record.read_text(encoding="utf-8")), done.stdout


@pytest.mark.parametrize("backend", ["sqlite"])
@pytest.mark.parametrize(
    ("argv", "build"),
    [
        (("claim", "1"), lambda s: claim_report(s, 1)),
        (("topic", TOPIC), lambda s: topic_report(s, TOPIC)),
        (("actor", "Pakistan"), lambda s: actor_report(s, "Pakistan")),
    ],
    ids=["claim", "topic", "actor"],
)
def test_a_report_does_not_import_the_orm(
    db_url: str, database: Database, tmp_path: Path, argv: tuple[str, ...], build: Any
) -> None:
    database.run(load_example, write=True)
    probe, stdout = run_probe(tmp_path, "--db", db_url, "report", *argv, "--format", "json")
    assert probe["code"] == 0
    assert json.loads(stdout) == database.run(build)  # the report itself, in full
    assert "factdb.reports.model" in probe["loaded"]  # the probe saw the report being built
    assert "factdb.store.models" not in probe["loaded"], probe["loaded"]

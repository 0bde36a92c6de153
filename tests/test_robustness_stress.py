"""The evidence script's quick form: concurrent writers, SIGKILL during import and upgrade,
and hostile input, all on SQLite through the installed entry point (bench/stress.py)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

from factdb.store.engine import dispose_engines

SCRIPT = Path(__file__).resolve().parent.parent / "bench" / "stress.py"


def load_stress() -> ModuleType:
    spec = importlib.util.spec_from_file_location("factdb_stress", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def test_the_quick_stress_run_loses_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    stress = load_stress()
    try:
        figures = stress.run(tmp_path, quick=True, seed=6)
    finally:
        dispose_engines()
    text = stress.report(figures)
    w, i, u, h = figures.writers, figures.imports, figures.upgrades, figures.hostile
    assert (w.failed, w.locked) == (0, 0), text
    assert w.statements_added == w.statement_audit_inserts == w.commands == 16, text
    assert (i.consistent, i.kills, i.final_ok) == (3, 3, True), text
    assert (u.consistent, u.kills, u.final_ok) == (2, 2, True), text
    assert h.cases >= 60, text
    assert (h.tracebacks, h.accepted, h.not_one_clean_line, h.changed_databases) == (0, 0, 0, 0), (
        text
    )
    assert text.endswith("result: ok")

"""The bundled worked example (Nagorno-Karabakh 2020) and the demo database it goes into.

The example is a factdb JSON Lines file inside the package; loading it is an ordinary
idempotent import, so running the demo twice adds nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from factdb.errors import NotFound
from factdb.store.models import Statement

EXAMPLE_FILE = "nagorno-karabakh-2020.jsonl"
TOPIC = "Nagorno-Karabakh 2020"
HEADLINE_REF = "nk-special-forces"  # Pashinyan's special-forces claim, denied by Pakistan


@dataclass(frozen=True)
class DemoLoad:
    """What loading the example did: how many records it added (0 on a second run) and the
    id of the headline claim."""

    added: int
    claim_id: int
    topic: str


def example_lines() -> list[str]:
    """The bundled example, one JSON Lines record per item."""
    data = resources.files("factdb") / "data" / EXAMPLE_FILE
    return data.read_text(encoding="utf-8").splitlines()


def demo_path() -> Path:
    """The demo's own SQLite file, next to the default database but never the same file."""
    from factdb.store.engine import default_path

    return default_path().with_name("demo.sqlite3")


def load_demo(session: Session) -> DemoLoad:
    """Import the worked example (idempotent) and find its headline claim."""
    from factdb.interchange import import_jsonl

    result = import_jsonl(session, example_lines())
    claim_id = session.scalar(select(Statement.id).where(Statement.ref == HEADLINE_REF))
    if claim_id is None:
        raise NotFound(f"the demo claim {HEADLINE_REF!r} is missing from the database")
    added = sum(row["created"] for row in result.rows())
    return DemoLoad(added=added, claim_id=claim_id, topic=TOPIC)

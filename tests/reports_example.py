"""The worked example loaded into a test database, for the report tests."""

from __future__ import annotations

from sqlalchemy.orm import Session

from factdb.demo import example_lines
from factdb.interchange import import_jsonl


def load_example(session: Session) -> None:
    """The bundled Nagorno-Karabakh example, through the ordinary import."""
    import_jsonl(session, example_lines())

"""The export formats by name, for ``factdb export``: factdb JSON Lines, CSV, ClaimReview and
PLOVER."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TextIO

from sqlalchemy.orm import Session

from factdb.interchange.claimreview import claim_reviews, export_claimreview
from factdb.interchange.export import export_csv, export_jsonl
from factdb.interchange.plover import MAPPING_VERSION, PLOVER_MAPPING, export_plover

Exporter = Callable[..., int]


def _jsonl(session: Session, out: TextIO, warnings: list[str], **filters: Any) -> int:
    return export_jsonl(session, out, **filters)


def _csv(session: Session, out: TextIO, warnings: list[str], **filters: Any) -> int:
    return export_csv(session, out, **filters)


# format name -> exporter(session, out, warnings, **filters) -> number of records written
EXPORTERS: dict[str, Exporter] = {
    "jsonl": _jsonl,
    "csv": _csv,
    "claimreview": export_claimreview,
    "plover": export_plover,
}

__all__ = [
    "EXPORTERS",
    "MAPPING_VERSION",
    "PLOVER_MAPPING",
    "Exporter",
    "claim_reviews",
    "export_claimreview",
    "export_csv",
    "export_jsonl",
    "export_plover",
]

"""Interchange: factdb JSON Lines import and export, CSV, ClaimReview and PLOVER export.

The export side (``factdb.interchange.exporters``) is imported when one of its names is
first asked for: an import does not use it, and it costs ``factdb import`` a third of its
start-up."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from factdb.interchange.jsonl import Counts, ImportResult, import_jsonl

if TYPE_CHECKING:
    from factdb.interchange.exporters import (
        EXPORTERS,
        MAPPING_VERSION,
        PLOVER_MAPPING,
        claim_reviews,
        export_claimreview,
        export_csv,
        export_jsonl,
        export_plover,
    )

__all__ = [
    "EXPORTERS",
    "MAPPING_VERSION",
    "PLOVER_MAPPING",
    "Counts",
    "ImportResult",
    "claim_reviews",
    "export_claimreview",
    "export_csv",
    "export_jsonl",
    "export_plover",
    "import_jsonl",
]


def __getattr__(name: str) -> Any:
    # only names not bound above get here: those of the export side
    if name not in __all__:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from factdb.interchange import exporters

    return getattr(exporters, name)

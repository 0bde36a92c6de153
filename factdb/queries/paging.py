"""A page of a listing: the rows shown and how many rows match in all.

The listings (``response_query``, ``list_claims``, ``timeline``, ``search``) take ``limit``
and return a ``Page``: a list of at most ``limit`` rows (all of them when None) whose
``total`` says how many rows match. ``Page`` is a ``list``, so code that wants only the rows
uses it as one.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from factdb.errors import InvalidInput

Record = dict[str, Any]


class Page(list[Record]):
    """The rows of one page (a list) and ``total``, the number of rows matching."""

    total: int

    def __init__(self, rows: Iterable[Record] = (), total: int | None = None) -> None:
        super().__init__(rows)
        self.total = len(self) if total is None else total


def check_limit(limit: int | None) -> int | None:
    """``limit`` when None (every row) or at least 1; InvalidInput otherwise."""
    if limit is not None and limit < 1:
        raise InvalidInput.at("limit", f"must be at least 1, got {limit}")
    return limit

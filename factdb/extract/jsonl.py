"""A draft as factdb JSON Lines: what ``factdb import`` reads, unchanged."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any, TextIO

from factdb.extract.model import Draft


def draft_lines(draft: Draft) -> Iterator[str]:
    """The header, the article as a source, new actors (organizations before their
    members), then the statements (a claim before its answers)."""
    yield _line({"factdb": 1})
    if draft.url is not None and not draft.source_recorded:
        source: dict[str, Any] = {"type": "source", "url": draft.url}
        if draft.published is not None:
            source["published"] = draft.published
        yield _line(source)
    for actor in draft.actors:
        yield _line(actor.as_json())
    for statement in draft.statements:
        yield _line(statement.as_json(url=draft.url, topics=draft.topics))


def write_draft(draft: Draft, out: TextIO) -> int:
    """Write the draft; returns the number of statements written."""
    for line in draft_lines(draft):
        out.write(line)
    return len(draft.statements)


def _line(data: dict[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False) + "\n"

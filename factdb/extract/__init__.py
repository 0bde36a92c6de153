"""``factdb extract``: propose the statements a news article reports (who claimed what, who
denied, disputed, endorsed, admitted or retracted it), with verbatim quotes, dates, actors
and links, as a draft in factdb JSON Lines. Rule-based and offline; nothing is written.

Only ``factdb extract`` imports this package (start-up of every other command is unchanged).
"""

from __future__ import annotations

from factdb.extract.core import extract
from factdb.extract.jsonl import draft_lines, write_draft
from factdb.extract.model import Draft, Evidence, Link, ProposedActor, ProposedStatement

__all__ = [
    "Draft",
    "Evidence",
    "Link",
    "ProposedActor",
    "ProposedStatement",
    "draft_lines",
    "extract",
    "write_draft",
]

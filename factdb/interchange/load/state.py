"""What the stages of an import share: the result, the problems found so far, and what the
file holds (its actors, one small entry per ref and per URL, the statements' parents,
dates and authors as arrays) and what the database already has."""

from __future__ import annotations

import datetime as dt
from array import array
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from typing import Any

from sqlalchemy import Row
from sqlalchemy.orm import Session

from factdb.dates import PartialDate
from factdb.errors import InvalidInput
from factdb.interchange.format import ActorLine, cached_date
from factdb.interchange.load.spool import Spool
from factdb.interchange.refindex import RefIndex

MAX_PROBLEMS = 20  # listed in the error
STOP_AFTER = 1000  # problems after which reading stops
LOOKUP_CHUNK = 500

CLAIM = -1  # parent of a claim
IN_DATABASE = -2  # parent is a statement already in the database
PENDING = -3  # parent not seen yet

Progress = Callable[[int], None]


@dataclass
class Counts:
    created: int = 0
    unchanged: int = 0


@dataclass
class ImportResult:
    """What an import did (or, with ``dry_run``, would do), per record type."""

    actors: Counts = field(default_factory=Counts)
    sources: Counts = field(default_factory=Counts)
    topics: Counts = field(default_factory=Counts)
    statements: Counts = field(default_factory=Counts)
    lines: int = 0
    dry_run: bool = False
    warnings: list[str] = field(default_factory=list)

    def rows(self) -> list[dict[str, Any]]:
        return [
            {"type": name, "created": counts.created, "unchanged": counts.unchanged}
            for name, counts in (
                ("actor", self.actors),
                ("source", self.sources),
                ("topic", self.topics),
                ("statement", self.statements),
            )
        ]


@dataclass
class DbParent:
    """A statement of the database that a statement of the file responds to."""

    id: int
    actor_id: int
    start: dt.date | None
    label: str


class Job:
    """One import: the state every stage reads and adds to."""

    def __init__(self, session: Session, spool: Spool, progress: Progress | None) -> None:
        self.session = session
        self.spool = spool
        self.progress = progress
        self.result = ImportResult()
        self.problems: list[tuple[int, str]] = []
        self.problem_count = 0
        self.stopped = False
        # actors declared in the file, by name key, and the names used by other records
        self.actors: dict[str, ActorLine] = {}
        self.alias_owners: dict[str, list[str]] = {}
        self.names: dict[str, tuple[int, str, str]] = {}  # key -> (line, field, as written)
        self.resolved: dict[str, int | ActorLine] = {}
        # the database's actors the names could mean (rows of ``actors``), by name key and by
        # id, and by alias key their live ids
        self.db_named: dict[str, Row[Any]] = {}
        self.db_actors: dict[int, Row[Any]] = {}
        self.db_aliases: dict[str, set[int]] = {}
        # sources: every URL mentioned, and the line declaring it (0 if only cited)
        self.urls: dict[str, int] = {}
        self.source_records = 0
        self.topics: dict[str, str] = {}
        self.topic_ids: dict[str, int] = {}  # of the topics already in the database
        # statements, by position in the file
        self.refs = RefIndex()
        self.lines: array[int] = array("i")
        self.parents: array[int] = array("i")
        self.starts: array[int] = array("i")  # date ordinals, 0 when unknown
        self.ends: array[int] = array("i")
        self.pending: list[tuple[int, str]] = []
        self.authors: array[int] = array("i")  # each statement's author, as a code
        self.author_codes: dict[str, int] = {}  # by name as written
        self.author_key_codes: dict[str, int] = {}  # by name key
        self.author_keys: list[str] = []
        self.seen_names: set[str] = set()  # names as written, already passed to _use_name
        self.seen_topics: set[str] = set()
        self.days: dict[str | None, tuple[int, int]] = {}
        self.retractions: list[int] = []
        self.early: list[int] = []  # lines of answers dated before what they answer
        self.db_parents: dict[int, DbParent] = {}
        self.existing: dict[str, int] = {}  # ref -> id of statements already in the database
        # ref -> the statement kept, for those of ``existing`` merged into another one
        self.kept: dict[str, int] = {}
        self.tentative: set[str] = set()  # s<N> refs that may stand for ref-less #N
        self.existing_sources: dict[str, int] = {}
        self.new_sources = 0
        self.line_count = 0

    def problem(self, line: int, message: str) -> None:
        self.problem_count += 1
        if len(self.problems) < STOP_AFTER:
            self.problems.append((line, message))
        if self.problem_count >= STOP_AFTER:
            self.stopped = True

    def raise_problems(self) -> None:
        if not self.problems:
            return
        ordered = sorted(self.problems, key=lambda item: item[0])
        shown = [f"line {line}: {message}" for line, message in ordered[:MAX_PROBLEMS]]
        hidden = self.problem_count - len(shown)
        if hidden > 0:
            more = "more" if not self.stopped else "or more"
            shown.append(f"... {hidden} {more} problem{'s' if hidden != 1 else ''} not shown")
        raise InvalidInput("\n".join(shown))

    def tick(self, count: int) -> None:
        if self.progress is not None and count:
            self.progress(count)


def chunks(items: Iterable[Any], size: int = LOOKUP_CHUNK) -> Iterator[list[Any]]:
    """``items`` in lists of ``size``, for ``IN (…)`` look-ups."""
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


def period(value: str | None) -> PartialDate | None:
    return None if value is None else cached_date(value)

"""Import of factdb JSON Lines (version 1): check everything, then write all or nothing.

The stream is read once. The first pass checks each line on its own, remembers what later
lines may refer to (actor names, refs, URLs, topics), and spools the cleaned statements and
sources to a temporary file. Then references are resolved against the file and the database
(names, ``responds_to``, cycles, records that already exist). Only when no problem was found
does the second pass write, in batches of tuples through the driver (``bulk.BulkWriter``),
with the audit rows: one per actor, source … as the ORM hook would write it, and one per
statement holding its links. Memory holds the actors, one small entry per ref and per URL,
and one batch of rows; never the whole file.
"""

from __future__ import annotations

import datetime as dt
import difflib
import json
import marshal
import re
import struct
import tempfile
from array import array
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import partial
from typing import IO, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from factdb import rules
from factdb.dates import PartialDate, format_date, parse_date
from factdb.errors import InvalidInput
from factdb.interchange.bulk import BulkWriter, storage_time
from factdb.interchange.format import (
    FORMAT_VERSION,
    HEADER_KEY,
    RECORD_TYPES,
    S_ABOUT,
    S_BY,
    S_DATE,
    S_DELETED,
    S_GIVEN,
    S_KIND,
    S_LANG,
    S_LINE,
    S_NOTE,
    S_PARENT,
    S_QUOTE,
    S_RATING,
    S_REF,
    S_SOURCES,
    S_TEXT,
    S_TOPICS,
    S_VERDICT,
    STATEMENT_KEYS,
    ActorLine,
    DuplicateKey,
    SourceLine,
    cached_date,
    json_type,
    name_key,
    parse_actor,
    parse_source,
    parse_statement,
    unique_object,
)
from factdb.interchange.refindex import RefIndex
from factdb.record.answer_dates import import_summary
from factdb.record.audit import current_user
from factdb.store import tables
from factdb.store.models import (
    Actor,
    ActorAlias,
    Source,
    Statement,
    StatementSource,
    StatementSubject,
    StatementTopic,
    Topic,
    utcnow,
)

MAX_PROBLEMS = 20  # listed in the error
STOP_AFTER = 1000  # problems after which reading stops
BATCH = 1000
LOOKUP_CHUNK = 500
PROGRESS_EVERY = 1000
DAYS_REMEMBERED = 8192
_LENGTH = struct.Struct("<I")
_EXPORTED_REF = re.compile(r"^s([0-9]{1,18})(?:\.[0-9]+)?$")
_DECODER = json.JSONDecoder(object_pairs_hook=unique_object)

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


def import_jsonl(
    session: Session,
    lines: Iterable[str] | Iterable[bytes],
    *,
    dry_run: bool = False,
    progress: Progress | None = None,
) -> ImportResult:
    """Import factdb JSON Lines into the session's transaction.

    ``lines`` may be text or bytes (bytes are decoded per line, so bad UTF-8 is reported with
    its line number). Raises ``InvalidInput`` listing up to ``MAX_PROBLEMS`` problems, one per
    line of the message, each as ``line N: field: problem``; nothing is written then.
    ``progress`` is called with increments of work done: every input line counts once when
    checked and once when written, so the total is twice the number of lines.
    """
    # Begin the transaction (on SQLite: take the write lock) before reading anything, so a
    # lock that cannot be had fails before the stream is consumed.
    session.connection()
    with tempfile.TemporaryFile("w+b") as spool:
        job = _Import(session, spool, progress)
        job.read(lines)
        job.resolve()
        job.raise_problems()
        result = job.result
        result.dry_run = dry_run
        if not dry_run:
            job.write()
        return result


# ----------------------------------------------------------------------------- helpers


@dataclass
class _DbParent:
    id: int
    actor_id: int
    start: dt.date | None
    label: str


# What the statements' round writes: the statements and their links.
_STATEMENT_TABLES = ("statements", "statement_subjects", "statement_topics", "statement_sources")


def _chunks(items: Iterable[Any], size: int = LOOKUP_CHUNK) -> Iterator[list[Any]]:
    chunk: list[Any] = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _spool(item: tuple[str, tuple[Any, ...], int], spool: IO[bytes]) -> None:
    data = marshal.dumps(item)
    spool.write(_LENGTH.pack(len(data)) + data)


def _read_spool(spool: IO[bytes]) -> Iterator[tuple[str, tuple[Any, ...], int]]:
    spool.seek(0)
    read = spool.read
    while header := read(_LENGTH.size):
        (size,) = _LENGTH.unpack(header)
        yield marshal.loads(read(size))


def _period(value: str | None) -> PartialDate | None:
    return None if value is None else cached_date(value)


def _iso(value: dt.date | dt.datetime | None) -> str | None:
    return None if value is None else value.isoformat()


class _Import:
    def __init__(self, session: Session, spool: IO[bytes], progress: Progress | None) -> None:
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
        # sources: every URL mentioned, and the line declaring it (0 if only cited)
        self.urls: dict[str, int] = {}
        self.source_records = 0
        self.topics: dict[str, str] = {}
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
        self.db_parents: dict[int, _DbParent] = {}
        self.existing: dict[str, int] = {}  # ref -> id of statements already in the database
        # ref -> the statement kept, for those of ``existing`` merged into another one
        self.kept: dict[str, int] = {}
        self.tentative: set[str] = set()  # s<N> refs that may stand for ref-less #N
        self.existing_sources: dict[str, int] = {}
        self.new_sources = 0
        self.line_count = 0

    # ------------------------------------------------------------------------- problems

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

    # ------------------------------------------------------------------------- first pass

    def read(self, lines: Iterable[str] | Iterable[bytes]) -> None:
        header_seen = False
        number = 0
        unreported = 0
        stream: Iterable[str | bytes] = lines
        for number, raw in enumerate(stream, 1):
            unreported += 1
            if unreported >= PROGRESS_EVERY:
                self.tick(unreported)
                unreported = 0
            if self.stopped:
                continue
            if isinstance(raw, bytes):
                try:
                    line = raw.decode("utf-8")
                except UnicodeDecodeError as exc:
                    self.problem(
                        number,
                        f"not valid UTF-8 (byte {raw[exc.start]:#04x} at byte {exc.start + 1})",
                    )
                    continue
            else:
                line = raw
            if number == 1:
                line = line.removeprefix("\ufeff")
            stripped = line.strip()
            if not header_seen:
                header_seen = True
                if self._header(stripped, number):
                    continue
            if not stripped:
                continue
            try:
                record = _DECODER.decode(stripped)
            except DuplicateKey as exc:
                self.problem(number, f"{exc.args[0]}: the key appears twice in the record")
                continue
            except json.JSONDecodeError as exc:
                self.problem(number, f"not valid JSON: {exc.msg} (column {exc.colno})")
                continue
            except RecursionError:
                self.problem(number, "not valid JSON: nested too deeply")
                continue
            if not isinstance(record, dict):
                self.problem(number, f"a record must be a JSON object, not {json_type(record)}")
                continue
            try:
                self._record(record, number)
            except InvalidInput as exc:
                self.problem(number, str(exc))
        self.tick(unreported)
        self.line_count = number
        self.result.lines = number
        if number == 0:
            self.problem(1, 'the file is empty; its first line must be {"factdb": 1}')

    def _header(self, stripped: str, number: int) -> bool:
        """Check the header line; True when the line was a header (good or bad)."""
        expected = f'the first line must be {{"{HEADER_KEY}": {FORMAT_VERSION}}}'
        try:
            header = json.loads(stripped) if stripped else None
        except (json.JSONDecodeError, RecursionError):
            header = None
        if not isinstance(header, dict) or HEADER_KEY not in header:
            self.problem(number, expected)
            return False
        version = header[HEADER_KEY]
        extra = [key for key in header if key != HEADER_KEY]
        if extra:
            self.problem(number, f"{extra[0]}: unknown key in the header; {expected}")
        elif not isinstance(version, int) or isinstance(version, bool):
            self.problem(number, f"{HEADER_KEY}: the format version must be a number; {expected}")
        elif version != FORMAT_VERSION:
            self.problem(
                number,
                f"{HEADER_KEY}: format version {version} is not supported "
                f"(this factdb reads version {FORMAT_VERSION})",
            )
        return True

    def _record(self, record: dict[str, Any], number: int) -> None:
        kind = record.get("type")
        if kind is None:
            raise InvalidInput(f"type: is required ({', '.join(RECORD_TYPES)})")
        if not isinstance(kind, str):
            raise InvalidInput(f"type: must be a string, not {json_type(kind)}")
        if kind == "statement":
            self._statement(parse_statement(record, number))
        elif kind == "actor":
            self._actor(parse_actor(record, number))
        elif kind == "source":
            self._source(parse_source(record, number))
        else:
            raise InvalidInput(
                f"type: {kind!r} is not a record type; use one of {', '.join(RECORD_TYPES)}"
            )

    def _use_name(self, name: str, number: int, field_name: str) -> None:
        key = name_key(name)
        if key not in self.names:
            self.names[key] = (number, field_name, name)

    def _actor(self, actor: ActorLine) -> None:
        earlier = self.actors.get(actor.key)
        if earlier is not None:
            raise InvalidInput(f"name: the actor {actor.name!r} is already on line {earlier.line}")
        self.actors[actor.key] = actor
        for alias in actor.aliases:
            self.alias_owners.setdefault(name_key(alias), []).append(actor.key)
        for position, affiliation in enumerate(actor.affiliations):
            self._use_name(
                affiliation.organization, actor.line, f"affiliations[{position}].organization"
            )

    def _source(self, source: SourceLine) -> None:
        declared = self.urls.get(source.url, 0)
        if declared > 0:
            raise InvalidInput(f"url: the source {source.url} is already on line {declared}")
        self.urls[source.url] = source.line
        self.source_records += 1
        _spool(
            (
                "o",
                (
                    source.line,
                    source.url,
                    source.outlet,
                    source.title,
                    None if source.published is None else str(source.published),
                    None if source.retrieved is None else str(source.retrieved),
                    source.archive_url,
                    sorted(source.given),
                ),
                0,
            ),
            self.spool,
        )

    def _statement(self, statement: tuple[Any, ...]) -> None:
        number: int = statement[S_LINE]
        ref: str = statement[S_REF]
        index, new = self.refs.add(ref)
        if not new:
            raise InvalidInput(f"ref: {ref!r} is already used on line {self.lines[index]}")
        self.lines.append(number)
        parent: str | None = statement[S_PARENT]
        if parent is None:
            self.parents.append(CLAIM)
        else:
            parent_index = self.refs.get(parent)
            if parent_index is not None:
                self.parents.append(parent_index)
            else:
                self.parents.append(PENDING)
                self.pending.append((index, parent))
        days = self.days.get(statement[S_DATE]) or self._days(statement[S_DATE])
        self.starts.append(days[0])
        self.ends.append(days[1])
        by: str = statement[S_BY]
        code = self.author_codes.get(by)
        if code is None:
            code = self._author_code(by, number)
        self.authors.append(code)
        if statement[S_KIND] == "retraction":
            self.retractions.append(index)
        seen = self.seen_names
        for position, name in enumerate(statement[S_ABOUT]):
            if name not in seen:
                seen.add(name)
                self._use_name(name, number, f"about[{position}]")
        for topic in statement[S_TOPICS]:
            if topic not in self.seen_topics:
                self.seen_topics.add(topic)
                self.topics.setdefault(name_key(topic), topic)
        urls = self.urls
        for url, _locator in statement[S_SOURCES]:
            if url not in urls:
                urls[url] = 0
        _spool(("s", statement, index), self.spool)

    def _days(self, date: str | None) -> tuple[int, int]:
        """The first and last day of a statement's date as ordinals (0, 0 when undated)."""
        when = _period(date)
        days = (when.start.toordinal(), when.end.toordinal()) if when else (0, 0)
        if len(self.days) >= DAYS_REMEMBERED:
            self.days.clear()
        self.days[date] = days
        return days

    def _author_code(self, by: str, number: int) -> int:
        """A small number for the author's name key, remembered for the name as written."""
        self._use_name(by, number, "by")
        self.seen_names.add(by)
        author = name_key(by)
        code = self.author_key_codes.get(author)
        if code is None:
            code = self.author_key_codes[author] = len(self.author_keys)
            self.author_keys.append(author)
        self.author_codes[by] = code
        return code

    # ------------------------------------------------------------------------- resolution

    def resolve(self) -> None:
        if self.stopped:
            return
        self._load_actors()
        self._check_actors()
        self._resolve_names()
        self._resolve_parents()
        self._check_cycles()
        self._check_dates()
        self._check_retractions()
        self._check_subjects()
        self._find_existing()
        self._compare_spooled()
        self._warn_early_answers()
        self._count()

    def _load_actors(self) -> None:
        """The database's actors that the file's names could mean (names and aliases)."""
        keys = set(self.names) | set(self.actors) | set(self.alias_owners)
        keys.discard("")
        self.db_named: dict[str, Actor] = {}
        self.db_aliases: dict[str, set[int]] = {}
        for chunk in _chunks(sorted(keys)):
            for actor in self.session.scalars(select(Actor).where(Actor.name_key.in_(chunk))):
                self.db_named[actor.name_key] = actor
            for alias_key, actor_id in self.session.execute(
                select(ActorAlias.alias_key, ActorAlias.actor_id).where(
                    ActorAlias.alias_key.in_(chunk)
                )
            ):
                self.db_aliases.setdefault(alias_key, set()).add(self._live_id(actor_id))

    def _live_id(self, actor_id: int) -> int:
        seen: set[int] = set()
        current = self.session.get(Actor, actor_id)
        while current is not None and current.merged_into_id is not None:
            if current.id in seen:
                break
            seen.add(current.id)
            current = self.session.get(Actor, current.merged_into_id)
        return actor_id if current is None else current.id

    def _target(self, key: str) -> int | ActorLine | None:
        """What a name means: a database actor's id, a new actor of the file, or None."""
        if key in self.resolved:
            return self.resolved[key]
        found: int | ActorLine | None = None
        if key.startswith("#") and key[1:].isdigit():
            actor = self.session.get(Actor, int(key[1:]))
            found = None if actor is None else self._live_id(actor.id)
        elif key in self.actors:
            existing = self.db_named.get(key)
            found = self.actors[key] if existing is None else self._live_id(existing.id)
        elif key in self.db_named:
            found = self._live_id(self.db_named[key].id)
        else:
            candidates: dict[str, int | ActorLine] = {}
            for owner in self.alias_owners.get(key, []):
                target = self._target(owner)
                if target is not None:
                    candidates[self._label(target)] = target
            for actor_id in self.db_aliases.get(key, set()):
                candidates[self._label(actor_id)] = actor_id
            if len(candidates) > 1:
                raise InvalidInput(
                    f"could be any of: {', '.join(sorted(candidates))}; give the full name"
                )
            found = next(iter(candidates.values()), None)
        if found is not None:
            self.resolved[key] = found
        return found

    def _label(self, target: int | ActorLine) -> str:
        if isinstance(target, ActorLine):
            return f"{target.name} (line {target.line})"
        actor = self.session.get(Actor, target)
        return f"{actor.name if actor else '?'} (#{target})"

    def _suggest(self, key: str) -> str:
        names: dict[str, str] = {actor.key: actor.name for actor in self.actors.values()}
        for actor_key, actor_name in self.session.execute(
            select(Actor.name_key, Actor.name).where(Actor.merged_into_id.is_(None))
        ):
            names.setdefault(actor_key, actor_name)
        close = difflib.get_close_matches(key, list(names), n=3, cutoff=0.6)
        if close:
            return f"; did you mean {', '.join(names[match] for match in close)}?"
        return "; declare it with an actor line or add it with `factdb actor add`"

    def _resolve_names(self) -> None:
        for key, (number, field_name, name) in self.names.items():
            try:
                target = self._target(key)
            except InvalidInput as exc:
                self.problem(number, f"{field_name}: {name!r} {exc}")
                continue
            if target is None:
                self.problem(
                    number, f"{field_name}: no actor is called {name!r}{self._suggest(key)}"
                )

    def _check_actors(self) -> None:
        """New actors must not take another actor's name or alias; existing ones must agree
        with the database."""
        for actor in self.actors.values():
            existing = self.db_named.get(actor.key)
            if existing is not None:
                self._compare_actor(actor, existing)
                continue
            holders = self.db_aliases.get(actor.key)
            if holders:
                self.problem(
                    actor.line,
                    f"name: {actor.name!r} is already an alias of {self._label(min(holders))}",
                )
            for owner in self.alias_owners.get(actor.key, []):
                other = self.actors[owner]
                self.problem(
                    other.line,
                    f"aliases: {actor.name!r} is the name of another actor (line {actor.line})",
                )
            for position, alias in enumerate(actor.aliases):
                named = self.db_named.get(name_key(alias))
                if named is not None:
                    self.problem(
                        actor.line,
                        f"aliases[{position}]: {alias!r} is the name of another actor, "
                        f"{self._label(named.id)}",
                    )
        self._check_affiliation_cycles()

    def _compare_actor(self, actor: ActorLine, existing: Actor) -> None:
        label = f"the actor {existing.name!r} (#{existing.id}) already exists with"
        for key in ("kind", "country", "wikidata", "description"):
            if key in actor.given and getattr(actor, key) != getattr(existing, key):
                shown = getattr(existing, key)
                self.problem(actor.line, f"{key}: {label} {key} {shown!r}")
                return
        if "aliases" in actor.given:
            have = sorted(alias.alias_key for alias in existing.aliases)
            if sorted(name_key(alias) for alias in actor.aliases) != have:
                listed = ", ".join(alias.alias for alias in existing.aliases) or "none"
                self.problem(actor.line, f"aliases: {label} other aliases ({listed})")
                return
        if "affiliations" in actor.given:
            try:
                wanted = sorted(self._affiliation_terms(actor), key=repr)
            except InvalidInput:
                wanted = None
            have_terms = sorted(
                (
                    self._live_id(row.organization_id),
                    name_key(row.role or ""),
                    format_date(row.start_date, row.start_precision),
                    format_date(row.end_date, row.end_precision),
                )
                for row in existing.memberships
            )
            if wanted != sorted(have_terms, key=repr):
                self.problem(actor.line, f"affiliations: {label} other affiliations")

    def _affiliation_terms(self, actor: ActorLine) -> list[tuple[Any, ...]]:
        terms: list[tuple[Any, ...]] = []
        for affiliation in actor.affiliations:
            target = self._target(name_key(affiliation.organization))
            if not isinstance(target, int):
                raise InvalidInput("new organization")
            terms.append(
                (
                    target,
                    name_key(affiliation.role or ""),
                    None if affiliation.start is None else str(affiliation.start),
                    None if affiliation.end is None else str(affiliation.end),
                )
            )
        return terms

    def _check_affiliation_cycles(self) -> None:
        graph: dict[str, list[str]] = {}
        for actor in self.actors.values():
            if actor.key in self.db_named:
                continue
            seen_terms: set[tuple[Any, ...]] = set()
            for position, affiliation in enumerate(actor.affiliations):
                try:
                    target = self._target(name_key(affiliation.organization))
                except InvalidInput:
                    continue  # reported with the names
                if target is None:
                    continue
                if target is actor:
                    self.problem(
                        actor.line,
                        f"affiliations[{position}].organization: "
                        f"{rules.member_of_itself(actor.name)}",
                    )
                    continue
                organization = target.key if isinstance(target, ActorLine) else target
                terms = (
                    organization,
                    name_key(affiliation.role or ""),
                    str(affiliation.start),
                    str(affiliation.end),
                )
                if terms in seen_terms:
                    self.problem(
                        actor.line,
                        f"affiliations[{position}]: the same affiliation is listed twice",
                    )
                seen_terms.add(terms)
                if isinstance(target, ActorLine):
                    graph.setdefault(actor.key, []).append(target.key)
        state: dict[str, int] = {}
        for start in graph:
            if state.get(start):
                continue
            stack = [(start, iter(graph.get(start, [])))]
            state[start] = 1
            while stack:
                node, children = stack[-1]
                child = next(children, None)
                if child is None:
                    state[node] = 2
                    stack.pop()
                elif state.get(child) == 1:
                    path = [item for item, _ in stack]
                    cycle = [*path[path.index(child) :], child]
                    first = self.actors[child]
                    names = [self.actors[key].name for key in cycle]
                    self.problem(first.line, f"affiliations: {rules.affiliation_circle(names)}")
                    state[node] = 2
                    stack.pop()
                elif not state.get(child):
                    state[child] = 1
                    stack.append((child, iter(graph.get(child, []))))

    def _resolve_parents(self) -> None:
        unresolved: list[tuple[int, str]] = []
        for index, parent in self.pending:
            position = self.refs.get(parent)
            if position is not None:
                self.parents[index] = position
            else:
                unresolved.append((index, parent))
        self.pending = []
        if not unresolved:
            return
        wanted = sorted({parent for _, parent in unresolved})
        found: dict[str, _DbParent] = {}
        deleted: dict[str, int] = {}
        by_ref = [ref for ref in wanted if not (ref.startswith("#") and ref[1:].isdigit())]
        by_id = {int(ref[1:]): ref for ref in wanted if ref.startswith("#") and ref[1:].isdigit()}
        columns = (
            Statement.id,
            Statement.ref,
            Statement.actor_id,
            Statement.date,
            Statement.date_precision,
            Statement.deleted_at,
            Statement.merged_into_id,
        )
        rows: list[Any] = []
        for chunk in _chunks(by_ref):
            rows.extend(self.session.execute(select(*columns).where(Statement.ref.in_(chunk))))
        for chunk in _chunks(sorted(by_id)):
            rows.extend(self.session.execute(select(*columns).where(Statement.id.in_(chunk))))
        # A merged statement's ref (or id) stands for the statement it was merged into.
        merged: dict[int, list[str]] = {}
        named: list[tuple[Any, list[str]]] = []
        for row in rows:
            keys = [row.ref] if row.ref in wanted else []
            if row.id in by_id:
                keys.append(by_id[row.id])
            if row.merged_into_id is not None:
                merged.setdefault(row.merged_into_id, []).extend(keys)
            else:
                named.append((row, keys))
        for chunk in _chunks(sorted(merged)):
            for row in self.session.execute(select(*columns).where(Statement.id.in_(chunk))):
                named.append((row, merged[row.id]))
        for row, keys in named:
            for key in keys:
                if row.deleted_at is not None:
                    deleted[key] = row.id
                    continue
                when = None if row.date is None else PartialDate(row.date, row.date_precision)
                found[key] = _DbParent(
                    row.id,
                    row.actor_id,
                    when.start if when else None,
                    f"#{row.id}",
                )
        for index, parent in unresolved:
            line = self.lines[index]
            if parent in found:
                self.parents[index] = IN_DATABASE
                self.db_parents[index] = found[parent]
            elif parent in deleted:
                self.problem(
                    line,
                    f"responds_to: {parent!r} is statement #{deleted[parent]}, which is deleted",
                )
            else:
                self.problem(
                    line,
                    f"responds_to: no statement has the ref {parent!r} "
                    "(neither in this file nor in the database)",
                )

    def _check_cycles(self) -> None:
        state = bytearray(len(self.parents))  # 0 new, 1 on the current path, 2 done
        for start in range(len(self.parents)):
            if state[start]:
                continue
            path: list[int] = []
            node = start
            while node >= 0 and state[node] == 0:
                state[node] = 1
                path.append(node)
                node = self.parents[node]
            if node >= 0 and state[node] == 1:
                cycle = path[path.index(node) :]
                refs = self._refs_of(cycle)
                names = " → ".join(repr(refs[i]) for i in [*cycle, cycle[0]])
                first = min(cycle, key=lambda i: self.lines[i])
                self.problem(
                    self.lines[first], f"responds_to: the responses go in a circle ({names})"
                )
            for item in path:
                state[item] = 2

    def _refs_of(self, indexes: list[int]) -> dict[int, str]:
        wanted = set(indexes)
        return {index: ref for ref, index in self.refs.items() if index in wanted}

    def _check_retractions(self) -> None:
        """As on the command line: only the author of a statement, or an actor affiliated
        with it at the time (a spokesman for its ministry, a ministry for its state), can
        retract it."""
        if not self.retractions or self.problems:
            return
        graph = self._affiliation_graph()
        for index in self.retractions:
            parent = self.parents[index]
            retractor = self._node(self.author_keys[self.authors[index]])
            if parent >= 0:
                author = self._node(self.author_keys[self.authors[parent]])
                spoke = self.starts[parent]
                label = f"the statement on line {self.lines[parent]}"
            elif parent == IN_DATABASE:
                db_parent = self.db_parents[index]
                author = db_parent.actor_id
                spoke = db_parent.start.toordinal() if db_parent.start else 0
                label = db_parent.label
            else:
                continue
            when = self.starts[index]
            if not rules.may_retract(
                retractor,
                author,
                partial(_organizations, graph, retractor, when),
                partial(_organizations, graph, author, spoke),
            ):
                refused = rules.retraction_refused(
                    f"{label} ({self._node_name(author)})", self._node_name(retractor)
                )
                self.problem(self.lines[index], f"by: {refused}")

    def _node_name(self, node: int | str) -> str:
        if isinstance(node, str):
            return self.actors[node].name
        actor = self.session.get(Actor, node)
        return actor.name if actor else "?"

    def _node(self, key: str) -> int | str:
        target = self._target(key)
        return target.key if isinstance(target, ActorLine) else int(target or 0)

    def _affiliation_graph(self) -> dict[int | str, list[tuple[int | str, int, int]]]:
        """member -> (organization, first day, last day) for every affiliation in the
        database and in the file; days as ordinals, 0 when open."""
        graph: dict[int | str, list[tuple[int | str, int, int]]] = {}
        for row in self.session.execute(select(tables.affiliations)):
            end = 0
            if row.end_date is not None:
                end = PartialDate(row.end_date, row.end_precision or "day").end.toordinal()
            start = row.start_date.toordinal() if row.start_date else 0
            graph.setdefault(row.member_id, []).append((row.organization_id, start, end))
        for actor in self.actors.values():
            if actor.key in self.db_named:
                continue
            for affiliation in actor.affiliations:
                organization = self._node(name_key(affiliation.organization))
                graph.setdefault(actor.key, []).append(
                    (
                        organization,
                        affiliation.start.start.toordinal() if affiliation.start else 0,
                        affiliation.end.end.toordinal() if affiliation.end else 0,
                    )
                )
        return graph

    def _check_dates(self) -> None:
        """Answers dated before what they answer are kept: one warning names their lines
        (``_warn_early_answers``, once merged statements are known)."""
        early = self.early
        for index in range(len(self.parents)):
            end = self.ends[index]
            if not end:
                continue
            parent = self.parents[index]
            if parent >= 0:
                first_day = self.starts[parent]
            elif parent == IN_DATABASE:
                start = self.db_parents[index].start
                first_day = start.toordinal() if start else 0
            else:
                continue
            if rules.days_before(end, first_day):
                early.append(self.lines[index])

    def _check_subjects(self) -> None:
        """Two names in one ``about`` list must not be the same actor (an alias and its
        name): read the spool again only when some actor is named two ways."""
        if self.problems:
            return
        seen: dict[int | str, str] = {}
        named_twice = False
        for key in self.names:
            target = self.resolved.get(key)
            if target is None:
                continue
            node = target.key if isinstance(target, ActorLine) else target
            if seen.setdefault(node, key) != key:
                named_twice = True
                break
        if not named_twice:
            return
        for tag, record, _index in _read_spool(self.spool):
            if tag != "s" or len(record[S_ABOUT]) < 2:
                continue
            nodes: dict[int | str, str] = {}
            for position, name in enumerate(record[S_ABOUT]):
                target = self.resolved[name_key(name)]
                node = target.key if isinstance(target, ActorLine) else target
                if node in nodes:
                    self.problem(
                        record[S_LINE],
                        f"about[{position}]: {name!r} is {nodes[node]!r} again (the same actor)",
                    )
                    break
                nodes[node] = name

    def _find_existing(self) -> None:
        has_refs = self.session.scalar(
            select(Statement.id).where(Statement.ref.is_not(None)).limit(1)
        )
        if has_refs is not None:
            for chunk in _chunks(self.refs):
                for statement_id, ref, kept in self.session.execute(
                    select(Statement.id, Statement.ref, Statement.merged_into_id).where(
                        Statement.ref.in_(chunk)
                    )
                ):
                    self.existing[str(ref)] = statement_id
                    if kept is not None:
                        self.kept[str(ref)] = kept
        self._find_exported()

    def _find_exported(self) -> None:
        """Export names a statement without a ref ``s<id>`` (or ``s<id>.2`` …). Reading
        such a file back into the same database must not duplicate those statements:
        ``s<N>`` (when no statement has it as its ref) stands for statement #N if #N has no
        ref and is the same in every key; otherwise it is an ordinary new ref."""
        refless = self.session.scalar(select(Statement.id).where(Statement.ref.is_(None)).limit(1))
        if refless is None:
            return
        wanted: dict[int, str] = {}
        for ref in self.refs:
            match = _EXPORTED_REF.match(ref)
            if match and ref not in self.existing:
                wanted[int(match.group(1))] = ref
        for chunk in _chunks(sorted(wanted)):
            for statement_id, kept in self.session.execute(
                select(Statement.id, Statement.merged_into_id).where(
                    Statement.id.in_(chunk), Statement.ref.is_(None)
                )
            ):
                self.existing[wanted[statement_id]] = statement_id
                self.tentative.add(wanted[statement_id])
                if kept is not None:
                    self.kept[wanted[statement_id]] = kept

    def _id_of(self, ref: str) -> int | None:
        """The id a ref of the database stands for: the statement kept, for a merged one."""
        return self.kept.get(ref) or self.existing.get(ref)

    def _warn_early_answers(self) -> None:
        """One warning for the answers dated before what they answer; an answer to a line
        that stands for a merged statement answers the statement kept, so its date counts."""
        early = self.early
        if self.kept and not self.problems:
            kept_at = {self.refs[ref]: kept for ref, kept in self.kept.items()}
            starts: dict[int, int] = {}
            for chunk in _chunks(sorted(set(kept_at.values()))):
                for row in self.session.execute(
                    select(Statement.id, Statement.date).where(Statement.id.in_(chunk))
                ):
                    if row.date is not None:
                        starts[row.id] = row.date.toordinal()
            for index, parent in enumerate(self.parents):
                kept = kept_at.get(parent)
                if kept is not None and rules.days_before(self.ends[index], starts.get(kept, 0)):
                    early.append(self.lines[index])
        if early:
            self.result.warnings.append(import_summary(sorted(set(early))))

    def _compare_spooled(self) -> None:
        """Compare records that already exist (by ref, by URL) with the database."""
        if self.problems:
            return
        self._find_sources()
        if not self.existing and not (self.existing_sources and self.source_records):
            return
        statements: list[tuple[Any, ...]] = []
        for tag, record, _index in _read_spool(self.spool):
            if tag == "o":
                if record[1] in self.existing_sources:
                    self._compare_source(record)
            elif record[S_REF] in self.existing:
                statements.append(record)
                if len(statements) >= LOOKUP_CHUNK:
                    self._compare_statements(statements)
                    statements = []
        if statements:
            self._compare_statements(statements)
        self.spool.seek(0, 2)

    def _find_sources(self) -> None:
        has_sources = self.session.scalar(select(Source.id).limit(1))
        if has_sources is None:
            self.new_sources = len(self.urls)
            return
        for chunk in _chunks(self.urls):
            for source_id, url in self.session.execute(
                select(Source.id, Source.url).where(Source.url.in_(chunk))
            ):
                self.existing_sources[url] = source_id
        self.new_sources = len(self.urls) - len(self.existing_sources)

    def _compare_source(self, record: tuple[Any, ...]) -> None:
        line, url, outlet, title, published, retrieved, archive, given = record
        source = self.session.get(Source, self.existing_sources[url])
        assert source is not None
        values = {
            "outlet": (outlet, source.outlet),
            "title": (title, source.title),
            "published": (
                published,
                format_date(source.published_date, source.published_precision),
            ),
            "retrieved": (retrieved, _iso(source.retrieved_date)),
            "archive_url": (archive, source.archive_url),
        }
        for key, (mine, theirs) in values.items():
            if key in given and mine != theirs:
                self.problem(
                    line,
                    f"{key}: the source {url} (#{source.id}) already exists with {key} {theirs!r}",
                )
                return

    def _compare_statements(self, records: list[tuple[Any, ...]]) -> None:
        ids = [self.existing[record[S_REF]] for record in records]
        rows = {
            row.id: row
            for row in self.session.execute(select(tables.statements).where(Statement.id.in_(ids)))
        }
        about: dict[int, list[int]] = {}
        for statement_id, actor_id in self.session.execute(
            select(StatementSubject.statement_id, StatementSubject.actor_id)
            .where(StatementSubject.statement_id.in_(ids))
            .order_by(StatementSubject.statement_id, StatementSubject.position)
        ):
            about.setdefault(statement_id, []).append(actor_id)
        topics: dict[int, list[str]] = {}
        for statement_id, key in self.session.execute(
            select(StatementTopic.statement_id, Topic.name_key)
            .join(Topic, Topic.id == StatementTopic.topic_id)
            .where(StatementTopic.statement_id.in_(ids))
            .order_by(StatementTopic.statement_id, StatementTopic.position)
        ):
            topics.setdefault(statement_id, []).append(key)
        sources: dict[int, list[list[str | None]]] = {}
        for statement_id, url, locator in self.session.execute(
            select(StatementSource.statement_id, Source.url, StatementSource.locator)
            .join(Source, Source.id == StatementSource.source_id)
            .where(StatementSource.statement_id.in_(ids))
            .order_by(StatementSource.statement_id, StatementSource.position)
        ):
            sources.setdefault(statement_id, []).append([url, locator])
        gained = set(
            self.session.scalars(
                select(Statement.merged_into_id).where(Statement.merged_into_id.in_(ids))
            )
        )
        for record in records:
            statement_id = self.existing[record[S_REF]]
            row = rows[statement_id]
            tentative = record[S_REF] in self.tentative
            differs = self._difference(
                record, row, about, topics, sources, strict=tentative, gained=row.id in gained
            )
            if differs is not None and tentative:
                del self.existing[record[S_REF]]  # not that statement: a new one
                self.kept.pop(record[S_REF], None)
            elif differs is not None:
                self.problem(
                    record[S_LINE],
                    f"{differs}: the statement {record[S_REF]!r} (#{statement_id}) already "
                    f"exists with a different {differs}; give this one another ref, or edit "
                    f"#{statement_id}",
                )

    def _difference(
        self,
        record: tuple[Any, ...],
        row: Any,
        about: dict[int, list[int]],
        topics: dict[int, list[str]],
        sources: dict[int, list[list[str | None]]],
        *,
        strict: bool = False,
        gained: bool = False,
    ) -> str | None:
        """The first key in which the record differs from the row; only keys the record
        gives are compared, unless ``strict`` (then a left-out key means empty). ``gained``:
        duplicates were merged into the row, so its subjects, topics and sources may include
        more than the record lists (see ``_links_agree``)."""
        given = set(STATEMENT_KEYS) if strict else set(record[S_GIVEN])
        if record[S_KIND] != row.kind:
            return "kind"
        if self._target(name_key(record[S_BY])) != row.actor_id:
            return "by"
        if record[S_PARENT] is not None:
            index = self.refs[record[S_REF]]
            parent = self.parents[index]
            if parent == IN_DATABASE:
                parent_id: int | None = self.db_parents[index].id
            else:
                parent_id = self._id_of(record[S_PARENT])
            if parent_id != row.responds_to_id:
                return "responds_to"
        simple = {
            "date": (record[S_DATE], format_date(row.date, row.date_precision)),
            "text": (record[S_TEXT], row.text),
            "quote": (record[S_QUOTE], row.quote),
            "lang": (record[S_LANG], row.lang),
            "verdict": (record[S_VERDICT], row.verdict),
            "rating": (record[S_RATING], row.rating),
            "note": (record[S_NOTE], row.note),
            # a merged statement was live when merged: it reads as it was then
            "deleted": (record[S_DELETED], row.deleted_at is not None and not row.merged_into_id),
        }
        for key, (mine, theirs) in simple.items():
            if key in given and mine != theirs:
                return key
        if "about" in given:
            wanted = [self._target(name_key(name)) for name in record[S_ABOUT]]
            if not _links_agree(wanted, about.get(row.id, []), gained):
                return "about"
        if "topics" in given and not _links_agree(
            [name_key(t) for t in record[S_TOPICS]], topics.get(row.id, []), gained
        ):
            return "topics"
        if "sources" in given and not _links_agree(
            record[S_SOURCES], sources.get(row.id, []), gained
        ):
            return "sources"
        return None

    def _count(self) -> None:
        result = self.result
        for actor in self.actors.values():
            if actor.key in self.db_named:
                result.actors.unchanged += 1
            else:
                result.actors.created += 1
        result.sources.created = self.new_sources
        result.sources.unchanged = len(self.urls) - self.new_sources
        self.topic_ids: dict[str, int] = {}
        for chunk in _chunks(self.topics):
            for topic_id, key in self.session.execute(
                select(Topic.id, Topic.name_key).where(Topic.name_key.in_(chunk))
            ):
                self.topic_ids[key] = topic_id
        result.topics.unchanged = len(self.topic_ids)
        result.topics.created = len(self.topics) - len(self.topic_ids)
        result.statements.unchanged = len(self.existing)
        result.statements.created = len(self.refs) - len(self.existing)

    # ------------------------------------------------------------------------- writing

    def write(self) -> None:
        self.now = utcnow()
        self.stamp = storage_time(self.now)
        self.bulk = BulkWriter(self.session)
        self.tick(self.line_count - len(self.refs))
        new = len(self.refs) - len(self.existing)
        # one audit row per new statement (and per actor, source …)
        with self.bulk.cache(), self.bulk.deferred_indexes("audit_log", new):
            self._write_topics()
            self._write_actors()
            self._write_sources()
            for table in ("topics", "actors", "actor_aliases", "affiliations", "sources"):
                self.bulk.audit(table, self.now)
            with (
                self.bulk.deferred_search_index(),
                self.bulk.deferred_indexes("statements", new),
                self.bulk.deferred_foreign_keys(_STATEMENT_TABLES, new),
            ):
                self._write_statements()
        self.session.expire_all()

    def _write_topics(self) -> None:
        new = [key for key in self.topics if key not in self.topic_ids]
        rows = []
        for key, topic_id in zip(new, self.bulk.ids("topics").take(len(new)), strict=True):
            rows.append((topic_id, self.topics[key], key))
            self.topic_ids[key] = topic_id
        self.bulk.insert("topics", ("id", "name", "name_key"), rows)

    def _write_actors(self) -> None:
        new = [actor for actor in self.actors.values() if actor.key not in self.db_named]
        rows: list[tuple[Any, ...]] = []
        for actor, actor_id in zip(new, self.bulk.ids("actors").take(len(new)), strict=True):
            rows.append(
                (
                    actor_id,
                    actor.name,
                    actor.key,
                    actor.kind,
                    actor.country,
                    actor.wikidata,
                    actor.description,
                    None,
                    self.stamp,
                    self.stamp,
                )
            )
            self.resolved[actor.key] = actor_id
        self.bulk.insert("actors", _ACTOR_COLUMNS, rows)
        for key, target in list(self.resolved.items()):
            if isinstance(target, ActorLine):
                self.resolved[key] = self.resolved[target.key]
        aliases: list[tuple[Any, ...]] = []
        affiliations: list[tuple[Any, ...]] = []
        for actor in new:
            actor_id = self._actor_id(actor.key)
            for alias in actor.aliases:
                aliases.append((actor_id, alias, name_key(alias)))
            for affiliation in actor.affiliations:
                start, end = affiliation.start, affiliation.end
                affiliations.append(
                    (
                        actor_id,
                        self._actor_id(name_key(affiliation.organization)),
                        affiliation.role,
                        start.start.isoformat() if start else None,
                        start.precision if start else None,
                        end.start.isoformat() if end else None,
                        end.precision if end else None,
                    )
                )
        for table, columns, table_rows in (
            ("actor_aliases", _ALIAS_COLUMNS, aliases),
            ("affiliations", _AFFILIATION_COLUMNS, affiliations),
        ):
            ids = self.bulk.ids(table).take(len(table_rows))
            numbered = [(row_id, *row) for row_id, row in zip(ids, table_rows, strict=True)]
            self.bulk.insert(table, columns, numbered)

    def _actor_id(self, key: str) -> int:
        target = self.resolved.get(key)
        if target is None:
            target = self._target(key)
        if isinstance(target, ActorLine):
            target = self.resolved[target.key]
        assert isinstance(target, int)
        return target

    def _write_sources(self) -> None:
        # from here on ``urls`` maps each URL to its source's id (0: not written yet)
        self.source_ids = self.urls
        for url in self.source_ids:
            self.source_ids[url] = self.existing_sources.get(url, 0)
        if not self.new_sources:
            return
        ids = iter(self.bulk.ids("sources").take(self.new_sources))
        rows: list[tuple[Any, ...]] = []
        if self.source_records:
            for tag, record, _index in _read_spool(self.spool):
                if tag != "o" or record[1] in self.existing_sources:
                    continue
                _line, url, outlet, title, published, retrieved, archive, _given = record
                when = _period(published)
                source_id = next(ids)
                rows.append(
                    (
                        source_id,
                        url,
                        outlet,
                        title,
                        when.start.isoformat() if when else None,
                        when.precision if when else None,
                        None if retrieved is None else parse_date(retrieved).start.isoformat(),
                        archive,
                        self.stamp,
                        self.stamp,
                    )
                )
                self.source_ids[url] = source_id
                rows = self._insert_batch("sources", _SOURCE_COLUMNS, rows)
        stamp = self.stamp
        for url, known in self.source_ids.items():
            if not known:
                source_id = self.source_ids[url] = next(ids)
                rows.append((source_id, url, None, None, None, None, None, None, stamp, stamp))
                rows = self._insert_batch("sources", _SOURCE_COLUMNS, rows)
        self.bulk.insert("sources", _SOURCE_COLUMNS, rows)

    def _insert_batch(
        self, table: str, columns: tuple[str, ...], rows: list[tuple[Any, ...]]
    ) -> list[tuple[Any, ...]]:
        """Insert ``rows`` once there are ``BATCH`` of them; the list to go on with."""
        if len(rows) < BATCH:
            return rows
        self.bulk.insert(table, columns, rows)
        return []

    def _write_statements(self) -> None:
        count = len(self.refs)
        self.ids: array[int] = array("q", [0]) * count
        fresh = iter(self.bulk.ids("statements").take(count - len(self.existing)))
        self.written = bytearray(count)
        # ids in file order; statements that already exist keep theirs
        for ref, statement_id in self.existing.items():
            index = self.refs[ref]
            self.ids[index] = self.kept.get(ref, statement_id)
            self.written[index] = 1
        for index in range(count):
            if not self.written[index]:
                self.ids[index] = next(fresh)
        self.refs.clear()  # no longer needed; frees memory before the write
        self.author_ids: dict[str, int] = {}
        self.date_values: dict[str | None, tuple[str | None, str | None]] = {None: (None, None)}
        self.audit_head = (self.stamp, current_user(), "insert", "statements")
        self.audit_stamp = _json_string(self.now.isoformat())
        source = self.spool
        while True:
            deferred = tempfile.TemporaryFile("w+b")  # noqa: SIM115 - closed below
            postponed = self._write_round(source, deferred)
            if source is not self.spool:
                source.close()
            if not postponed:
                deferred.close()
                break
            source = deferred

    def _write_round(self, source: IO[bytes], deferred: IO[bytes]) -> int:
        """Write every statement whose parent is written; spool the others for another
        round (only responses that come before the statement they answer)."""
        batch = _Batch()
        postponed = 0
        unreported = 0
        written, parents = self.written, self.parents
        for tag, record, index in _read_spool(source):
            if tag != "s" or written[index]:
                continue
            parent = parents[index]
            if parent >= 0 and not written[parent]:
                _spool((tag, record, index), deferred)
                postponed += 1
                continue
            self._add_statement(batch, index, record)
            written[index] = 1
            unreported += 1
            if len(batch.statements) >= BATCH:
                self._flush(batch)
                self.tick(unreported)
                unreported = 0
        self._flush(batch)
        self.tick(unreported)
        return postponed

    def _add_statement(self, batch: _Batch, index: int, record: tuple[Any, ...]) -> None:
        statement_id = self.ids[index]
        parent = self.parents[index]
        if parent == CLAIM:
            parent_id: int | None = None
        elif parent == IN_DATABASE:
            parent_id = self.db_parents[index].id
        else:
            parent_id = self.ids[parent]
        date = self.date_values.get(record[S_DATE]) or self._date_value(record[S_DATE])
        stamp = self.stamp
        row = (
            statement_id,
            record[S_KIND],
            self.author_ids.get(record[S_BY]) or self._author_id(record[S_BY]),
            parent_id,
            record[S_TEXT],
            record[S_QUOTE],
            record[S_LANG],
            date[0],
            date[1],
            record[S_VERDICT],
            record[S_RATING],
            record[S_NOTE],
            record[S_REF],
            stamp if record[S_DELETED] else None,
            stamp,
            stamp,
        )
        batch.statements.append(row)
        subjects = [
            (statement_id, self.author_ids.get(name) or self._author_id(name), position)
            for position, name in enumerate(record[S_ABOUT])
        ]
        topic_ids = self.topic_ids
        topics = [
            (statement_id, topic_ids[name_key(topic)], position)
            for position, topic in enumerate(record[S_TOPICS])
        ]
        source_ids = self.source_ids
        sources = [
            (statement_id, source_ids[url], position, locator)
            for position, (url, locator) in enumerate(record[S_SOURCES])
        ]
        batch.subjects += subjects
        batch.topics += topics
        batch.sources += sources
        after = _statement_json(row, self.audit_stamp, sources, subjects, topics)
        batch.audits.append((*self.audit_head, statement_id, None, after))

    def _author_id(self, name: str) -> int:
        """The id of the actor ``name`` (as written in the file) stands for, remembered."""
        actor_id = self.author_ids[name] = self._actor_id(name_key(name))
        return actor_id

    def _date_value(self, text: str) -> tuple[str | None, str | None]:
        """A statement's date as stored (its first day) and its precision, remembered."""
        when = cached_date(text)
        value = self.date_values[text] = (when.start.isoformat(), when.precision)
        return value

    def _flush(self, batch: _Batch) -> None:
        write = self.bulk.insert
        write("statements", _STATEMENT_COLUMNS, batch.statements)
        write("statement_subjects", ("statement_id", "actor_id", "position"), batch.subjects)
        write("statement_topics", ("statement_id", "topic_id", "position"), batch.topics)
        write("statement_sources", _LINK_SOURCE_COLUMNS, batch.sources)
        write("audit_log", _AUDIT_COLUMNS, batch.audits)
        batch.clear()


@dataclass
class _Batch:
    statements: list[tuple[Any, ...]] = field(default_factory=list)
    subjects: list[tuple[Any, ...]] = field(default_factory=list)
    topics: list[tuple[Any, ...]] = field(default_factory=list)
    sources: list[tuple[Any, ...]] = field(default_factory=list)
    audits: list[tuple[Any, ...]] = field(default_factory=list)

    def clear(self) -> None:
        for rows in (self.statements, self.subjects, self.topics, self.sources, self.audits):
            rows.clear()


# the columns of the rows written, in each table's order
_ACTOR_COLUMNS = (
    "id",
    "name",
    "name_key",
    "kind",
    "country",
    "wikidata",
    "description",
    "merged_into_id",
    "created_at",
    "updated_at",
)
_ALIAS_COLUMNS = ("id", "actor_id", "alias", "alias_key")
_AFFILIATION_COLUMNS = (
    "id",
    "member_id",
    "organization_id",
    "role",
    "start_date",
    "start_precision",
    "end_date",
    "end_precision",
)
_SOURCE_COLUMNS = (
    "id",
    "url",
    "outlet",
    "title",
    "published_date",
    "published_precision",
    "retrieved_date",
    "archive_url",
    "created_at",
    "updated_at",
)
_STATEMENT_COLUMNS = (
    "id",
    "kind",
    "actor_id",
    "responds_to_id",
    "text",
    "quote",
    "lang",
    "date",
    "date_precision",
    "verdict",
    "rating",
    "note",
    "ref",
    "deleted_at",
    "created_at",
    "updated_at",
)
_LINK_SOURCE_COLUMNS = ("statement_id", "source_id", "position", "locator")
_AUDIT_COLUMNS = ("at", "user", "action", "table_name", "row_id", "before", "after")

# An imported statement's audit row: what ``factdb.record.audit.snapshot`` gives for the row (keys
# sorted, as ``json.dumps(..., ensure_ascii=False, sort_keys=True)`` writes them) with its
# links under their tables' names, each link as its own audit row would show it. Written
# out here because it runs once per statement; a test compares it with ``snapshot``.
_STATEMENT_AFTER = (
    '{"actor_id": %d, "created_at": %s, "date": %s, "date_precision": %s, "deleted_at": %s, '
    '"id": %d, "kind": %s, "lang": %s, "merged_into_id": null, "note": %s, "quote": %s, '
    '"rating": %s, "ref": %s, '
    '"responds_to_id": %s, "statement_sources": [%s], "statement_subjects": [%s], '
    '"statement_topics": [%s], "text": %s, "updated_at": %s, "verdict": %s}'
)
_SOURCE_AFTER = '{"locator": %s, "position": %d, "source_id": %d, "statement_id": %d}'
_SUBJECT_AFTER = '{"actor_id": %d, "position": %d, "statement_id": %d}'
_TOPIC_AFTER = '{"position": %d, "statement_id": %d, "topic_id": %d}'
_json_string = json.encoder.encode_basestring  # a str as JSON, as json.dumps writes it


def _statement_json(
    row: tuple[Any, ...],
    stamp: str,
    sources: list[tuple[Any, ...]],
    subjects: list[tuple[Any, ...]],
    topics: list[tuple[Any, ...]],
) -> str:
    """The ``after`` of a new statement's audit row; ``row`` in ``_STATEMENT_COLUMNS``
    order, ``stamp`` its creation time as a JSON string."""
    (statement_id, kind, actor_id, parent_id, text, quote, lang, date, precision) = row[:9]
    verdict, rating, note, ref, deleted = row[9:14]
    quoted = _json_string  # conditionals written out: this runs once per statement
    return _STATEMENT_AFTER % (
        actor_id,
        stamp,
        "null" if date is None else quoted(date),
        "null" if precision is None else quoted(precision),
        "null" if deleted is None else stamp,
        statement_id,
        quoted(kind),
        "null" if lang is None else quoted(lang),
        "null" if note is None else quoted(note),
        "null" if quote is None else quoted(quote),
        "null" if rating is None else quoted(rating),
        "null" if ref is None else quoted(ref),
        "null" if parent_id is None else parent_id,
        ", ".join(
            [_SOURCE_AFTER % (_json_text(link[3]), link[2], link[1], link[0]) for link in sources]
        ),
        ", ".join([_SUBJECT_AFTER % (link[1], link[2], link[0]) for link in subjects]),
        ", ".join([_TOPIC_AFTER % (link[2], link[0], link[1]) for link in topics]),
        "null" if text is None else quoted(text),
        stamp,
        "null" if verdict is None else quoted(verdict),
    )


def _links_agree(mine: list[Any], theirs: list[Any], gained: bool) -> bool:
    """A record's links against a statement's: the same, in the same order; but when
    duplicates were merged into the statement, a file written before the merge lacks the
    links the merge brought, so then each link the record gives must merely be there."""
    if not gained:
        return mine == theirs
    return all(link in theirs for link in mine)


def _json_text(value: str | None) -> str:
    return "null" if value is None else _json_string(value)


def _organizations(
    graph: dict[int | str, list[tuple[int | str, int, int]]], member: int | str, start: int
) -> set[int | str]:
    """The organizations ``member`` belonged to on the day ``start`` (an ordinal, 0 when
    undated), directly or through others, by ``factdb.rules.organizations_at``; the graph
    holds days as ordinals, 0 when open."""
    return rules.organizations_at(
        member,
        start or None,
        lambda node: [
            (organization, begins or None, ends or None)
            for organization, begins, ends in graph.get(node, [])
        ],
    )

"""The first stage: read the stream once, check each line on its own, remember what later
lines may refer to (actor names, refs, URLs, topics) and spool the cleaned sources and
statements."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from factdb.errors import InvalidInput
from factdb.interchange.format import (
    FORMAT_VERSION,
    HEADER_KEY,
    RECORD_TYPES,
    S_ABOUT,
    S_BY,
    S_DATE,
    S_KIND,
    S_LINE,
    S_PARENT,
    S_REF,
    S_SOURCES,
    S_TOPICS,
    ActorLine,
    DuplicateKey,
    SourceLine,
    json_type,
    name_key,
    parse_actor,
    parse_source,
    parse_statement,
    unique_object,
)
from factdb.interchange.load.state import CLAIM, PENDING, Job, period

PROGRESS_EVERY = 1000
DAYS_REMEMBERED = 8192
_DECODER = json.JSONDecoder(object_pairs_hook=unique_object)


def read(job: Job, lines: Iterable[str] | Iterable[bytes]) -> None:
    """Check every line; its problems go to ``job.problems``, with its line number."""
    header_seen = False
    number = 0
    unreported = 0
    stream: Iterable[str | bytes] = lines
    for number, raw in enumerate(stream, 1):
        unreported += 1
        if unreported >= PROGRESS_EVERY:
            job.tick(unreported)
            unreported = 0
        if job.stopped:
            continue
        if isinstance(raw, bytes):
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                job.problem(
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
            if _header(job, stripped, number):
                continue
        if not stripped:
            continue
        try:
            record = _decode(stripped)
        except DuplicateKey as exc:
            job.problem(number, f"{exc.args[0]}: the key appears twice in the record")
            continue
        except json.JSONDecodeError as exc:
            job.problem(number, f"not valid JSON: {exc.msg} (column {exc.colno})")
            continue
        except RecursionError:
            job.problem(number, "not valid JSON: nested too deeply")
            continue
        if not isinstance(record, dict):
            job.problem(number, f"a record must be a JSON object, not {json_type(record)}")
            continue
        try:
            _record(job, record, number)
        except InvalidInput as exc:
            job.problem(number, str(exc))
    job.tick(unreported)
    job.line_count = number
    job.result.lines = number
    if number == 0:
        job.problem(1, 'the file is empty; its first line must be {"factdb": 1}')


def _decode(text: str) -> Any:
    """``_DECODER.decode(text)`` for a stripped line, without its search for whitespace
    around the value; through ``decode`` for the error when more follows the value."""
    value, end = _DECODER.raw_decode(text)
    return value if end == len(text) else _DECODER.decode(text)


def _header(job: Job, stripped: str, number: int) -> bool:
    """Check the header line; True when the line was a header (good or bad)."""
    expected = f'the first line must be {{"{HEADER_KEY}": {FORMAT_VERSION}}}'
    try:
        header = json.loads(stripped) if stripped else None
    except (json.JSONDecodeError, RecursionError):
        header = None
    if not isinstance(header, dict) or HEADER_KEY not in header:
        job.problem(number, expected)
        return False
    version = header[HEADER_KEY]
    extra = [key for key in header if key != HEADER_KEY]
    if extra:
        job.problem(number, f"{extra[0]}: unknown key in the header; {expected}")
    elif not isinstance(version, int) or isinstance(version, bool):
        job.problem(number, f"{HEADER_KEY}: the format version must be a number; {expected}")
    elif version != FORMAT_VERSION:
        job.problem(
            number,
            f"{HEADER_KEY}: format version {version} is not supported "
            f"(this factdb reads version {FORMAT_VERSION})",
        )
    return True


def _record(job: Job, record: dict[str, Any], number: int) -> None:
    kind = record.get("type")
    if kind is None:
        raise InvalidInput(f"type: is required ({', '.join(RECORD_TYPES)})")
    if not isinstance(kind, str):
        raise InvalidInput(f"type: must be a string, not {json_type(kind)}")
    if kind == "statement":
        _statement(job, parse_statement(record, number))
    elif kind == "actor":
        _actor(job, parse_actor(record, number))
    elif kind == "source":
        _source(job, parse_source(record, number))
    else:
        raise InvalidInput(
            f"type: {kind!r} is not a record type; use one of {', '.join(RECORD_TYPES)}"
        )


def _use_name(job: Job, name: str, number: int, field_name: str) -> None:
    key = name_key(name)
    if key not in job.names:
        job.names[key] = (number, field_name, name)


def _actor(job: Job, actor: ActorLine) -> None:
    earlier = job.actors.get(actor.key)
    if earlier is not None:
        raise InvalidInput(f"name: the actor {actor.name!r} is already on line {earlier.line}")
    job.actors[actor.key] = actor
    for alias in actor.aliases:
        job.alias_owners.setdefault(name_key(alias), []).append(actor.key)
    for position, affiliation in enumerate(actor.affiliations):
        _use_name(
            job, affiliation.organization, actor.line, f"affiliations[{position}].organization"
        )


def _source(job: Job, source: SourceLine) -> None:
    declared = job.urls.get(source.url, 0)
    if declared > 0:
        raise InvalidInput(f"url: the source {source.url} is already on line {declared}")
    job.urls[source.url] = source.line
    job.source_records += 1
    job.spool.add(
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
        )
    )


def _statement(job: Job, statement: tuple[Any, ...]) -> None:
    number: int = statement[S_LINE]
    ref: str = statement[S_REF]
    index, new = job.refs.add(ref)
    if not new:
        raise InvalidInput(f"ref: {ref!r} is already used on line {job.lines[index]}")
    job.lines.append(number)
    parent: str | None = statement[S_PARENT]
    if parent is None:
        job.parents.append(CLAIM)
    else:
        parent_index = job.refs.get(parent)
        if parent_index is not None:
            job.parents.append(parent_index)
        else:
            job.parents.append(PENDING)
            job.pending.append((index, parent))
    days = job.days.get(statement[S_DATE]) or _days(job, statement[S_DATE])
    job.starts.append(days[0])
    job.ends.append(days[1])
    by: str = statement[S_BY]
    code = job.author_codes.get(by)
    if code is None:
        code = _author_code(job, by, number)
    job.authors.append(code)
    if statement[S_KIND] == "retraction":
        job.retractions.append(index)
    seen = job.seen_names
    for position, name in enumerate(statement[S_ABOUT]):
        if name not in seen:
            seen.add(name)
            _use_name(job, name, number, f"about[{position}]")
    for topic in statement[S_TOPICS]:
        if topic not in job.seen_topics:
            job.seen_topics.add(topic)
            job.topics.setdefault(name_key(topic), topic)
    urls = job.urls
    for url, _locator in statement[S_SOURCES]:
        if url not in urls:
            urls[url] = 0
    job.spool.add(("s", statement, index))


def _days(job: Job, date: str | None) -> tuple[int, int]:
    """The first and last day of a statement's date as ordinals (0, 0 when undated)."""
    when = period(date)
    days = (when.start.toordinal(), when.end.toordinal()) if when else (0, 0)
    if len(job.days) >= DAYS_REMEMBERED:
        job.days.clear()
    job.days[date] = days
    return days


def _author_code(job: Job, by: str, number: int) -> int:
    """A small number for the author's name key, remembered for the name as written."""
    _use_name(job, by, number, "by")
    job.seen_names.add(by)
    author = name_key(by)
    code = job.author_key_codes.get(author)
    if code is None:
        code = job.author_key_codes[author] = len(job.author_keys)
        job.author_keys.append(author)
    job.author_codes[by] = code
    return code


# ------------------------------------------------------------------------- resolution

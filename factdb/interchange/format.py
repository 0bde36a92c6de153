"""factdb JSON Lines, version 1: the keys of each record type and the checks of one line.

Each ``parse_*`` function takes one decoded JSON object and returns its values cleaned and
normalized (or raises ``InvalidInput`` naming the key), without touching the database.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from factdb.dates import PartialDate, parse_date
from factdb.errors import InvalidInput
from factdb.rules import (
    check_country,
    check_kind,
    check_lang,
    check_period,
    check_retrieved,
    check_wikidata,
    member_of_itself,
)
from factdb.rules import check_ref as rules_check_ref
from factdb.text import clean_text, normalize_url
from factdb.text import name_key as _name_key
from factdb.vocabulary import STATEMENT_KINDS, VERDICTS

FORMAT_VERSION = 1
HEADER_KEY = "factdb"

ACTOR_KEYS = (
    "type",
    "name",
    "kind",
    "country",
    "wikidata",
    "description",
    "aliases",
    "affiliations",
)
AFFILIATION_KEYS = ("organization", "role", "from", "to")
SOURCE_KEYS = ("type", "url", "outlet", "title", "published", "retrieved", "archive_url")
# What a statement says, in the order every export format writes it (JSON Lines, CSV).
STATEMENT_CONTENT = (
    "date",
    "text",
    "quote",
    "lang",
    "about",
    "topics",
    "sources",
    "verdict",
    "rating",
    "note",
)
STATEMENT_KEYS = ("type", "ref", "kind", "by", "responds_to", *STATEMENT_CONTENT, "deleted")
STATEMENT_SOURCE_KEYS = ("url", "locator")
RECORD_TYPES = ("actor", "source", "statement")

# An http(s) URL already in the form ``normalize_url`` gives (lower-case host, no port, no
# fragment, a path, printable ASCII only): most URLs in a large file, checked in one step.
_NORMAL_URL = re.compile(r"^https?://[a-z0-9][a-z0-9.-]*/[!-\"$-~]*$")


@lru_cache(maxsize=65536)
def name_key(name: str) -> str:
    """``factdb.text.name_key``, remembered: a file repeats the same few names."""
    return _name_key(name)


def clean(value: str, field_name: str) -> str | None:
    """``factdb.text.clean_text`` with a fast path for plain printable ASCII; text that is
    not valid Unicode (a lone surrogate such as ``"\\ud800"``) is refused too."""
    if value.isascii() and value.isprintable():
        return value.strip() or None
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        code = ord(value[exc.start])
        raise InvalidInput(f"{field_name}: contains a lone surrogate (\\u{code:04x})") from None
    return clean_text(value, field_name)


class DuplicateKey(ValueError):
    """A JSON object names the same key twice."""


def unique_object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """``object_pairs_hook`` for ``json.loads``: refuse an object with a repeated key."""
    record = dict(pairs)
    if len(record) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise DuplicateKey(key)
            seen.add(key)
    return record


def url_of(value: str, field_name: str) -> str:
    """``factdb.text.normalize_url`` with a fast path for URLs already normalized."""
    if _NORMAL_URL.match(value) and not value.endswith("?"):
        return value
    return _normalize_url(value, field_name)


@lru_cache(maxsize=4096)
def _normalize_url(value: str, field_name: str) -> str:
    return normalize_url(value, field_name)


def json_type(value: Any) -> str:
    """How a JSON value's type reads in a message."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "a list"
    return "an object"


def check_keys(
    record: dict[str, Any], allowed: tuple[str, ...], what: str, prefix: str = ""
) -> None:
    if record.keys() <= _KEY_SETS.setdefault(allowed, frozenset(allowed)):
        return
    for key in record:
        if key not in allowed:
            raise InvalidInput(
                f"{prefix}{key}: unknown key for {what} (known keys: {', '.join(allowed)})"
            )


_KEY_SETS: dict[tuple[str, ...], frozenset[str]] = {}


def opt_text(record: dict[str, Any], key: str, label: str | None = None) -> str | None:
    """An optional string value, cleaned; null, absent and blank all mean none."""
    value = record.get(key)
    name = label or key
    if value is None:
        return None
    if not isinstance(value, str):
        raise InvalidInput(f"{name}: must be a string or null, not {json_type(value)}")
    return clean(value, name)


def req_text(record: dict[str, Any], key: str, label: str | None = None) -> str:
    name = label or key
    if key not in record or record[key] is None:
        raise InvalidInput(f"{name}: is required")
    value = opt_text(record, key, name)
    if value is None:
        raise InvalidInput(f"{name}: must not be empty")
    return value


def opt_date(record: dict[str, Any], key: str, label: str | None = None) -> PartialDate | None:
    text = opt_text(record, key, label)
    return None if text is None else cached_date(text, label or key)


@lru_cache(maxsize=8192)
def cached_date(text: str, field_name: str = "date") -> PartialDate:
    """``factdb.dates.parse_date``, remembered: a file repeats the same days."""
    return parse_date(text, field_name)


def text_list(record: dict[str, Any], key: str) -> list[str]:
    value = record.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        raise InvalidInput(f"{key}: must be a list of strings, not {json_type(value)}")
    items: list[str] = []
    for position, item in enumerate(value):
        label = f"{key}[{position}]"
        if not isinstance(item, str):
            raise InvalidInput(f"{label}: must be a string, not {json_type(item)}")
        cleaned = clean(item, label)
        if cleaned is None:
            raise InvalidInput(f"{label}: must not be empty")
        items.append(cleaned)
    return items


def unique_by_key(items: list[str], field_name: str, what: str) -> None:
    seen: set[str] = set()
    for position, item in enumerate(items):
        key = name_key(item)
        if key in seen:
            raise InvalidInput(f"{field_name}[{position}]: {item!r} is {what} twice")
        seen.add(key)


# ----------------------------------------------------------------------------- actors


@dataclass
class AffiliationLine:
    organization: str
    role: str | None
    start: PartialDate | None
    end: PartialDate | None


@dataclass
class ActorLine:
    line: int
    name: str
    key: str
    kind: str
    country: str | None
    wikidata: str | None
    description: str | None
    aliases: list[str]
    affiliations: list[AffiliationLine]
    given: frozenset[str] = field(default_factory=frozenset)


def parse_actor(record: dict[str, Any], line: int) -> ActorLine:
    check_keys(record, ACTOR_KEYS, "an actor")
    name = req_text(record, "name")
    key = name_key(name)
    kind_value = record.get("kind")
    if kind_value is None:
        raise InvalidInput("kind: is required")
    if not isinstance(kind_value, str):
        raise InvalidInput(f"kind: must be a string, not {json_type(kind_value)}")
    kind = check_kind(kind_value, "kind")
    country = check_country(opt_text(record, "country"), "country")
    wikidata = check_wikidata(opt_text(record, "wikidata"), "wikidata")
    description = opt_text(record, "description")
    aliases = text_list(record, "aliases")
    unique_by_key(aliases, "aliases", "listed")
    for position, alias in enumerate(aliases):
        if name_key(alias) == key:
            raise InvalidInput(f"aliases[{position}]: {alias!r} is the actor's own name")
    affiliations: list[AffiliationLine] = []
    raw = record.get("affiliations")
    if raw is not None and not isinstance(raw, list):
        raise InvalidInput(f"affiliations: must be a list of objects, not {json_type(raw)}")
    for position, item in enumerate(raw or []):
        prefix = f"affiliations[{position}]."
        if not isinstance(item, dict):
            raise InvalidInput(
                f"affiliations[{position}]: must be an object, not {json_type(item)}"
            )
        check_keys(item, AFFILIATION_KEYS, "an affiliation", prefix)
        organization = req_text(item, "organization", prefix + "organization")
        if name_key(organization) == key:
            raise InvalidInput(f"{prefix}organization: {member_of_itself(name)}")
        start = opt_date(item, "from", prefix + "from")
        end = opt_date(item, "to", prefix + "to")
        check_period(start, end, prefix + "from", prefix + "to")
        affiliations.append(
            AffiliationLine(organization, opt_text(item, "role", prefix + "role"), start, end)
        )
    return ActorLine(
        line,
        name,
        key,
        kind,
        country,
        wikidata,
        description,
        aliases,
        affiliations,
        frozenset(record),
    )


# ----------------------------------------------------------------------------- sources


@dataclass
class SourceLine:
    line: int
    url: str
    outlet: str | None
    title: str | None
    published: PartialDate | None
    retrieved: PartialDate | None
    archive_url: str | None
    given: frozenset[str]


def parse_source(record: dict[str, Any], line: int) -> SourceLine:
    check_keys(record, SOURCE_KEYS, "a source")
    url = url_of(req_text(record, "url"), "url")
    published = opt_date(record, "published")
    retrieved = opt_date(record, "retrieved")
    check_retrieved(retrieved, published, "retrieved")
    archive = opt_text(record, "archive_url")
    return SourceLine(
        line,
        url,
        opt_text(record, "outlet"),
        opt_text(record, "title"),
        published,
        retrieved,
        url_of(archive, "archive_url") if archive is not None else None,
        frozenset(record),
    )


# ----------------------------------------------------------------------------- statements

# A statement line as stored between the passes (a tuple of plain values, cheap to spool):
S_LINE, S_REF, S_KIND, S_BY, S_PARENT, S_DATE, S_TEXT, S_QUOTE, S_LANG = range(9)
S_ABOUT, S_TOPICS, S_SOURCES, S_VERDICT, S_RATING, S_NOTE, S_DELETED, S_GIVEN = range(9, 17)


def check_ref(value: Any, key: str) -> str:
    if type(value) is str and value.isascii() and value.isprintable():
        cleaned = value.strip()  # printable ASCII: a space is the only whitespace
        if cleaned and " " not in cleaned:
            return cleaned
    if not isinstance(value, str):
        raise InvalidInput(f"{key}: must be a string, not {json_type(value)}")
    return rules_check_ref(clean(value, key), value, key)


_STATEMENT_KEY_SET = frozenset(STATEMENT_KEYS)
_KIND_NAMES = {kind: kind for kind in STATEMENT_KINDS}
# Values met before, as they come out of the checks: a file repeats the same few.
_DATES: dict[str, str] = {}
_LANGS: dict[str, str] = {}
_GIVEN: dict[tuple[str, ...], list[str]] = {}
_MEMO_LIMIT = 8192


def _plain(value: Any) -> str | None:
    """None, or a printable ASCII string stripped (None when blank); for anything else,
    raise ``_NotPlain`` so that the caller takes the checked path."""
    if value is None:
        return None
    if type(value) is str and value.isascii() and value.isprintable():
        return value.strip() or None
    raise _NotPlain


class _NotPlain(Exception):
    pass


def _remember(memo: dict[Any, Any], key: Any, value: Any) -> Any:
    if len(memo) >= _MEMO_LIMIT:
        memo.clear()
    memo[key] = value
    return value


def parse_statement(record: dict[str, Any], line: int) -> tuple[Any, ...]:
    """The statement as a tuple indexed by the ``S_*`` constants; dates as text, sources as
    ``[normalized url, locator]`` pairs, ``given`` as the sorted keys present.

    Each value takes a short path when it is the common case (printable ASCII, a one-item
    list, a value seen before) and the checked path otherwise, with the same result."""
    if not record.keys() <= _STATEMENT_KEY_SET:
        check_keys(record, STATEMENT_KEYS, "a statement")
    get = record.get
    if get("ref") is None:
        raise InvalidInput("ref: is required (a stable key such as nk2020-claim-1)")
    ref = check_ref(record["ref"], "ref")
    kind = _statement_kind(get("kind"))
    try:
        by = _plain(get("by"))
    except _NotPlain:
        by = None
    if by is None:
        by = req_text(record, "by")
    parent: str | None = None
    if kind == "claim":
        if get("responds_to") is not None:
            raise InvalidInput("responds_to: a claim responds to nothing; use another kind")
    else:
        if get("responds_to") is None:
            raise InvalidInput(f"responds_to: is required for a {kind}")
        parent = check_ref(record["responds_to"], "responds_to")
        if parent == ref:
            raise InvalidInput("responds_to: a statement cannot respond to itself")
    date = _statement_date(record)
    text = _text(record, "text")
    if kind == "claim" and text is None:
        raise InvalidInput("text: is required for a claim")
    lang = _statement_lang(record)
    about = _names(record, "about")
    topics = _names(record, "topics")
    sources = _statement_sources(get("sources"))
    verdict: str | None = None
    rating = _text(record, "rating")
    raw_verdict = get("verdict")
    if kind == "fact_check":
        if raw_verdict is None:
            raise InvalidInput(f"verdict: is required for a fact_check ({', '.join(VERDICTS)})")
        if not isinstance(raw_verdict, str):
            raise InvalidInput(f"verdict: must be a string, not {json_type(raw_verdict)}")
        verdict = raw_verdict.strip().lower().replace("-", "_")
        if verdict not in VERDICTS:
            raise InvalidInput(
                f"verdict: {raw_verdict!r} is not a verdict; use one of {', '.join(VERDICTS)}"
            )
    else:
        if raw_verdict is not None:
            raise InvalidInput(f"verdict: only fact_checks have a verdict, not a {kind}")
        if rating is not None:
            raise InvalidInput(f"rating: only fact_checks have a rating, not a {kind}")
    deleted = get("deleted", False)
    if deleted is None:
        deleted = False
    if not isinstance(deleted, bool):
        raise InvalidInput(f"deleted: must be true or false, not {json_type(deleted)}")
    keys = tuple(record)
    given = _GIVEN.get(keys) or _remember(_GIVEN, keys, sorted(keys))
    return (
        line,
        ref,
        kind,
        by,
        parent,
        date,
        text,
        _text(record, "quote"),
        lang,
        about,
        topics,
        sources,
        verdict,
        rating,
        _text(record, "note"),
        deleted,
        given,
    )


def _text(record: dict[str, Any], key: str) -> str | None:
    """``opt_text``, shorter for plain values."""
    try:
        return _plain(record.get(key))
    except _NotPlain:
        return opt_text(record, key)


def _statement_kind(value: Any) -> str:
    kind = _KIND_NAMES.get(value) if type(value) is str else None
    if kind is not None:
        return kind
    if value is None:
        raise InvalidInput("kind: is required")
    if not isinstance(value, str):
        raise InvalidInput(f"kind: must be a string, not {json_type(value)}")
    kind = value.strip().lower().replace("-", "_")
    if kind not in STATEMENT_KINDS:
        raise InvalidInput(
            f"kind: {value!r} is not a statement kind; use one of {', '.join(STATEMENT_KINDS)}"
        )
    return kind


def _statement_date(record: dict[str, Any]) -> str | None:
    """The date as text in its normal form (``2020-10-01``, ``2020-10``, ``2020``)."""
    value = record.get("date")
    if value is None:
        return None
    known = _DATES.get(value) if type(value) is str else None
    if known is not None:
        return known
    date = opt_date(record, "date")
    if date is None:
        return None
    return str(_remember(_DATES, value, str(date)))


def _statement_lang(record: dict[str, Any]) -> str | None:
    value = record.get("lang")
    if value is None:
        return None
    known = _LANGS.get(value) if type(value) is str else None
    if known is not None:
        return known
    lang = opt_text(record, "lang")
    if lang is None:
        return None
    return str(_remember(_LANGS, value, check_lang(lang, "lang")))


def _names(record: dict[str, Any], key: str) -> list[str]:
    """``text_list`` without repeats (by name key)."""
    value = record.get(key)
    if value is None:
        return []
    if type(value) is list and len(value) == 1:
        try:
            only = _plain(value[0])
        except _NotPlain:
            only = None
        if only is not None:
            return [only]
    items = text_list(record, key)
    unique_by_key(items, key, "listed")
    return items


def _statement_sources(value: Any) -> list[list[str | None]]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise InvalidInput(f"sources: must be a list, not {json_type(value)}")
    found = [
        _plain_source(item) or _statement_source(item, f"sources[{position}]")
        for position, item in enumerate(value)
    ]
    if len(found) > 1:
        seen: set[str | None] = set()
        for position, (url, _locator) in enumerate(found):
            if url in seen:
                raise InvalidInput(f"sources[{position}]: {url} is listed twice")
            seen.add(url)
    return found


def _plain_source(item: Any) -> list[str | None] | None:
    """A source given as a normalized URL, or as ``{"url", "locator"}`` with a normalized
    URL and a printable ASCII locator, as ``[url, locator]``; None for anything else."""
    url: Any = item
    locator: str | None = None
    if type(item) is dict and item.keys() <= _SOURCE_KEY_SET:
        url = item.get("url")
        try:
            locator = _plain(item.get("locator"))
        except _NotPlain:
            return None
    if type(url) is str and _NORMAL_URL.match(url) and not url.endswith("?"):
        return [url, locator]
    return None


_SOURCE_KEY_SET = frozenset(STATEMENT_SOURCE_KEYS)


def _statement_source(item: Any, label: str) -> list[str | None]:
    locator: str | None = None
    if isinstance(item, str):
        raw = item
    elif isinstance(item, dict):
        check_keys(item, STATEMENT_SOURCE_KEYS, "a statement's source", label + ".")
        if item.get("url") is None:
            raise InvalidInput(f"{label}.url: is required")
        if not isinstance(item["url"], str):
            raise InvalidInput(f"{label}.url: must be a string, not {json_type(item['url'])}")
        raw = item["url"]
        locator = opt_text(item, "locator", label + ".locator")
    else:
        raise InvalidInput(
            f"{label}: must be a URL or an object with url and locator, not {json_type(item)}"
        )
    return [url_of(raw, label), locator]

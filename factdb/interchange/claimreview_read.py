"""Find the fact-checks in a file, whatever its shape, and read each into a ``Review``.

Shapes: JSON-LD (one ``ClaimReview``, an array of them, an ``@graph``, a ``DataFeed`` whose
``dataFeedElement`` items hold them, ClaimReviews nested in other nodes, microdata turned
into JSON with ``type``/``properties``), a Fact Check Tools ``claims:search`` response (one
page, an array of pages or pages one after another), JSON Lines of any of these, and an
HTML page with ``<script type="application/ld+json">`` blocks.

Items are named ``item N`` (counted through the file) in one JSON document or HTML page, and
``line N`` (``line N, item M`` when the line holds several) in JSON Lines.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Any

from factdb.errors import InvalidInput
from factdb.interchange.claimreview_fields import (
    Ids,
    Node,
    Review,
    from_claimreview,
    from_factcheck_api,
    types,
    url,
)

MAX_DEPTH = 64  # how deep nodes are searched for ClaimReviews
SHAPES = (
    "a ClaimReview (or an array or @graph of them), a DataFeed of them, a Fact Check Tools "
    "claims:search response, or an HTML page with application/ld+json blocks"
)
_WRAPPERS = re.compile(
    r"^\s*(?://|/\*)?\s*(?:<!--|<!\[CDATA\[)\s*(?:\*/)?|(?://|/\*)?\s*(?:-->|\]\]>)\s*(?:\*/)?\s*$"
)


@dataclass
class Found:
    """One fact-check of the file: read, or refused with its problem."""

    label: str
    review: Review | None
    problem: str | None = None


@dataclass
class _Candidate:
    node: Node
    ids: Ids
    review: Any = None  # a Fact Check Tools review of ``node`` (a claim)
    field: str = ""
    page_url: str | None = None


def read_reviews(data: bytes | str) -> list[Found]:
    """Every fact-check in ``data``, in the file's order. Raises ``InvalidInput`` (one line)
    when the file as a whole cannot be read: not UTF-8, empty, not JSON or HTML, or holding
    no fact-check."""
    content = _decode(data)
    if not content.strip():
        raise InvalidInput(f"the file is empty; expected {SHAPES}")
    if content.lstrip().startswith("<"):
        groups = _html_groups(content)
        several = False
    else:
        groups = _json_groups(content)
        several = len(groups) > 1
    found: list[Found] = []
    count = 0
    for line, candidates, problem in groups:
        if problem is not None:
            found.append(Found(f"line {line}", None, problem))
            continue
        for position, candidate in enumerate(candidates, 1):
            count += 1
            if not several:
                label = f"item {count}"
            elif len(candidates) == 1:
                label = f"line {line}"
            else:
                label = f"line {line}, item {position}"
            found.append(_read(candidate, label))
    if not found:
        hint = ""
        if re.match(r'^\s*\{\s*"factdb"\s*:', content):
            hint = " (this is a factdb JSON Lines file: import it without --format claimreview)"
        raise InvalidInput(f"no fact-check found{hint}; expected {SHAPES}")
    return found


def _read(candidate: _Candidate, label: str) -> Found:
    try:
        if candidate.review is not None:
            review = from_factcheck_api(candidate.node, candidate.review, candidate.field)
        else:
            review = from_claimreview(candidate.node, candidate.ids, candidate.page_url)
    except InvalidInput as exc:
        return Found(label, None, str(exc))
    except RecursionError:
        return Found(label, None, "nested too deeply")
    return Found(label, review)


def _decode(data: bytes | str) -> str:
    if isinstance(data, str):
        return data.removeprefix("\ufeff")
    try:
        return data.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise InvalidInput(
            f"line {line}: not valid UTF-8 (byte {data[exc.start]:#04x} at byte {exc.start + 1})"
        ) from None


Group = tuple[int, list[_Candidate], str | None]  # first line, fact-checks, or a problem


def _json_groups(content: str) -> list[Group]:
    """The JSON values of the file, one after another (one document, JSON Lines, or pages
    written one after the other). In JSON Lines a broken line is reported and the next one
    read; in values over several lines, reading stops where one breaks."""
    decoder = json.JSONDecoder()
    groups: list[Group] = []
    position = counted = 0
    line = 1
    json_lines = True  # every value so far on a line of its own
    while True:
        while position < len(content) and content[position] in " \t\r\n":
            position += 1
        if position >= len(content):
            return groups
        line += content.count("\n", counted, position)
        counted = position
        start = position
        try:
            value, position = decoder.raw_decode(content, position)
        except json.JSONDecodeError as exc:
            if not groups:
                where = f"line {exc.lineno}, column {exc.colno}"
                raise InvalidInput(f"not valid JSON: {exc.msg} ({where})") from None
            if not json_lines:  # a document over several lines: where it breaks, and stop
                groups.append((exc.lineno, [], f"not valid JSON: {exc.msg} (column {exc.colno})"))
                return groups
            column = exc.colno if exc.lineno == line else None
            shown = f" (column {column})" if column else " (the line ends first)"
            groups.append((line, [], f"not valid JSON: {exc.msg}{shown}"))
            end = content.find("\n", start)
            if end < 0:
                return groups
            position = end + 1
            continue
        except RecursionError:
            raise InvalidInput(f"line {line}: not valid JSON: nested too deeply") from None
        json_lines = json_lines and "\n" not in content[start:position]
        if '"properties"' in content[start:position]:
            value = _from_microdata(value)
        groups.append((line, _candidates(value), None))


def _html_groups(content: str) -> list[Group]:
    page = _Page()
    page.feed(content)
    page.close()
    if not page.blocks:
        raise InvalidInput(
            'no fact-check found: the HTML page has no <script type="application/ld+json">'
        )
    values: list[Any] = []
    groups: list[Group] = []
    for line, block in page.blocks:
        try:
            value = json.loads(_WRAPPERS.sub("", block))
            values.append(_from_microdata(value) if '"properties"' in block else value)
        except json.JSONDecodeError as exc:
            where = line + exc.lineno - 1
            message = f"not valid JSON in an ld+json block: {exc.msg} (column {exc.colno})"
            groups.append((where, [], message))
        except RecursionError:
            groups.append((line, [], "not valid JSON in the ld+json block: nested too deeply"))
    # the blocks of one page share their @ids
    candidates = _candidates(values)
    page_url = None
    if page.canonical:
        try:
            page_url = url(page.canonical, "canonical")
        except InvalidInput:
            page_url = None
    for candidate in candidates:
        candidate.page_url = page_url
    groups.insert(0, (1, candidates, None))
    return groups


class _Page(HTMLParser):
    """The ld+json blocks of an HTML page (with the line each starts on) and its canonical
    URL."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[tuple[int, str]] = []
        self.canonical: str | None = None
        self._block: list[str] | None = None
        self._line = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: (value or "").strip() for name, value in attrs}
        if tag == "script":
            kind = values.get("type", "").split(";")[0].strip().lower()
            if kind == "application/ld+json":
                self._block, self._line = [], self.getpos()[0]
        elif tag == "link" and "canonical" in values.get("rel", "").lower().split():
            self.canonical = self.canonical or values.get("href") or None
        elif tag == "meta" and values.get("property") == "og:url" and self.canonical is None:
            self.canonical = values.get("content") or None

    def handle_data(self, data: str) -> None:
        if self._block is not None:
            self._block.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._block is not None:
            self.blocks.append((self._line, "".join(self._block)))
            self._block = None


def _from_microdata(value: Any, depth: int = 0) -> Any:
    """Microdata as JSON (``{"items": [{"type": […], "properties": {…}}]}``) in JSON-LD's
    terms: each item becomes a node with ``@type`` and its properties."""
    if depth > MAX_DEPTH:
        return value
    if isinstance(value, list):
        return [_from_microdata(item, depth + 1) for item in value]
    if not isinstance(value, dict):
        return value
    if isinstance(value.get("properties"), dict) and "type" in value:
        node: Node = {"@type": value["type"]}
        if isinstance(value.get("id"), str):
            node["@id"] = value["id"]
        for key, item in value["properties"].items():
            node[key] = _from_microdata(item, depth + 1)
        return node
    return {key: _from_microdata(item, depth + 1) for key, item in value.items()}


def _candidates(value: Any) -> list[_Candidate]:
    """The fact-checks in one decoded value, with the ``@id`` index they share."""
    ids: Ids = {}
    nodes: list[Node] = []
    _walk(value, ids, nodes, 0)
    found: list[_Candidate] = []
    for node in nodes:
        if "ClaimReview" in types(node):
            found.append(_Candidate(node, ids))
            continue
        for position, review in enumerate(_as_list(node.get("claimReview"))):
            found.append(_Candidate(node, ids, review, f"claimReview[{position}]"))
    return found


def _walk(value: Any, ids: Ids, nodes: list[Node], depth: int) -> None:
    """Collect ClaimReview nodes and Fact Check Tools claims (in order) and every node with
    an ``@id``; a ClaimReview's own insides are not searched further."""
    if depth > MAX_DEPTH:
        return
    if isinstance(value, list):
        for item in value:
            _walk(item, ids, nodes, depth + 1)
        return
    if not isinstance(value, dict):
        return
    identifier = value.get("@id")
    if isinstance(identifier, str) and len(value) > 1:
        ids.setdefault(identifier, value)
    if "ClaimReview" in types(value):
        nodes.append(value)
        _index_ids(value, ids, depth + 1)
        return
    claims = value.get("claims")
    if isinstance(claims, list) and not types(value):
        nodes.extend(claim for claim in claims if isinstance(claim, dict))
        return
    for item in value.values():
        _walk(item, ids, nodes, depth + 1)


def _index_ids(value: Any, ids: Ids, depth: int) -> None:
    if depth > MAX_DEPTH:
        return
    if isinstance(value, list):
        for item in value:
            _index_ids(item, ids, depth + 1)
    elif isinstance(value, dict):
        identifier = value.get("@id")
        if isinstance(identifier, str) and len(value) > 1:
            ids.setdefault(identifier, value)
        for item in value.values():
            _index_ids(item, ids, depth + 1)


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]

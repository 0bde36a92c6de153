"""One published fact-check read into a ``Review``: from a schema.org ``ClaimReview`` node
(JSON-LD, with lists, ``@value`` and ``@id`` references as publishers write them) or from a
claim and one of its reviews in a Fact Check Tools ``claims:search`` response.

Each function raises ``InvalidInput`` as ``field: problem``, the field named as the input
names it (``itemReviewed.author``, ``claimant``); the caller adds which item it was.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit

from factdb.dates import parse_date
from factdb.errors import InvalidInput
from factdb.interchange.claimreview_ratings import (
    Scale,
    number,
    verdict_of_wording,
    verdict_on_scale,
)
from factdb.interchange.format import clean, json_type, url_of

Node = dict[str, Any]
Ids = dict[str, Node]

_DATE = re.compile(
    r"^([0-9]{4}(?:-[0-9]{2}(?:-[0-9]{2})?)?)"
    r"(?:[T ][0-9]{2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]+)?)?(?:Z|[+-][0-9]{2}:?[0-9]{2})?)?$"
)
_WIKIDATA = re.compile(
    r"^(?:https?://(?:www\.|m\.)?wikidata\.org/(?:wiki|entity)/|wikidata:)(Q[0-9]+)$"
)


@dataclass
class Party:
    """Who made a claim or published a review, as the input names it."""

    name: str
    person: bool  # typed as a schema.org Person
    wikidata: str | None
    field: str


@dataclass
class Review:
    claim_text: str
    claimant: Party
    claim_date: str | None
    appearances: list[str]
    checker: Party
    url: str
    date: str | None
    verdict: str
    rating: str | None  # the checker's wording, when it says more than the verdict
    mapped: bool  # the verdict came from the scale or the wording table
    headline: str | None


def types(node: Node) -> set[str]:
    """A node's types without their vocabulary (``schema:Person``, ``http://schema.org/Person``
    and ``Person`` alike)."""
    value = node.get("@type", node.get("type"))
    if isinstance(value, str):
        return {_type_name(value)}
    return {_type_name(name) for name in value if isinstance(name, str)} if value else set()


@lru_cache(maxsize=256)
def _type_name(written: str) -> str:
    return re.split(r"[/:#]", written)[-1]


def first(value: Any, ids: Ids | None = None) -> Any:
    """The value a property means: the first of a list, the ``@value`` of a literal, the node
    an ``{"@id": …}`` reference points to (when the document has it)."""
    while True:
        if isinstance(value, list):
            value = next((item for item in value if item is not None), None)
        elif isinstance(value, dict) and "@value" in value:
            value = value["@value"]
        elif isinstance(value, dict) and ids and set(value) == {"@id"} and _known(value, ids):
            value = ids[value["@id"]]
        else:
            return value


def _known(reference: Node, ids: Ids) -> bool:
    identifier = reference["@id"]
    return isinstance(identifier, str) and identifier in ids


def text(value: Any, field: str) -> str | None:
    value = first(value)
    if value is None:
        return None
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    if not isinstance(value, str):
        raise InvalidInput(f"{field}: must be text, not {json_type(value)}")
    return clean(value, field)


def date(value: Any, field: str) -> str | None:
    """A date as factdb keeps it (``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``); the time of day
    of an ISO 8601 date-time is dropped."""
    written = text(value, field)
    if written is None:
        return None
    match = _DATE.match(written)
    if match is None:
        raise InvalidInput(f"{field}: {written!r} is not a date (YYYY-MM-DD, as in ISO 8601)")
    return str(parse_date(match.group(1), field))


def url(value: Any, field: str, ids: Ids | None = None) -> str | None:
    """An http(s) URL, normalized; a ``CreativeWork`` counts by its ``url`` (or ``@id``)."""
    value = first(value, ids)
    if isinstance(value, dict):
        value = first(value.get("url")) or first(value.get("@id"))
    written = text(value, field)
    return None if written is None else url_of(written, field)


def urls(value: Any, field: str, ids: Ids) -> list[str]:
    items = value if isinstance(value, list) else [value]
    found: list[str] = []
    for position, item in enumerate(items):
        label = f"{field}[{position}]" if isinstance(value, list) else field
        address = url(item, label, ids)
        if address is not None and address not in found:
            found.append(address)
    return found


def party(value: Any, field: str, ids: Ids) -> Party | None:
    """An author, claimant or publisher: a name, or a node with ``name`` (else
    ``alternateName``, ``site`` or the host of its ``url``) and optional ``sameAs``."""
    node = first(value, ids)
    if isinstance(value, list):  # an organization rather than a byline, when there is one
        nodes = [first(item, ids) for item in value]
        node = next((n for n in nodes if isinstance(n, dict) and "Person" not in types(n)), node)
    if node is None or isinstance(node, str):
        name = text(node, field)
        return None if name is None else Party(name, False, None, field)
    if not isinstance(node, dict):
        raise InvalidInput(f"{field}: must be a name or an object, not {json_type(node)}")
    name = text(node.get("name"), f"{field}.name") or text(
        node.get("alternateName"), f"{field}.alternateName"
    )
    if name is None:  # a Fact Check Tools publisher's ``site`` is a bare host name
        host = text(node.get("site"), f"{field}.site")
        if host is None:
            home = url(node.get("url"), f"{field}.url")
            host = urlsplit(home).hostname if home else None
        name = host.removeprefix("www.") if host else None
    if name is None:
        return None
    return Party(name, "Person" in types(node), _wikidata(node.get("sameAs")), field)


def _wikidata(value: Any) -> str | None:
    for item in value if isinstance(value, list) else [value]:
        item = first(item)
        if isinstance(item, dict):
            item = first(item.get("@id") or item.get("url"))
        if isinstance(item, str) and (match := _WIKIDATA.match(item.strip())):
            return match.group(1)
    return None


def rating(value: Any, field: str, ids: Ids) -> tuple[str, str | None, bool]:
    """The verdict, the wording kept and whether the verdict was mapped, from a ``Rating``
    (its number on its scale, else its wording) or from a wording alone."""
    node = first(value, ids)
    verdict: str | None = None
    wording: str | None = None
    if isinstance(node, dict):
        wording = text(node.get("alternateName"), f"{field}.alternateName") or text(
            node.get("name"), f"{field}.name"
        )
        value, best, worst = (
            number(first(node.get(key))) for key in ("ratingValue", "bestRating", "worstRating")
        )
        if value is not None and best is not None and worst is not None:
            verdict = verdict_on_scale(Scale(value, best, worst))
    elif node is not None:
        wording = text(node, field)
    if verdict is None and wording is not None:
        verdict = verdict_of_wording(wording)
    mapped = verdict is not None
    verdict = verdict or "unproven"
    return verdict, None if wording == verdict else wording, mapped


def from_claimreview(node: Node, ids: Ids, page_url: str | None = None) -> Review:
    """A ``ClaimReview`` node; ``page_url`` (an HTML page's canonical URL) stands in for a
    missing ``url``."""
    claim = first(node.get("itemReviewed"), ids)
    if claim is None:
        claim = {}
    if not isinstance(claim, dict):
        raise InvalidInput(f"itemReviewed: must be an object, not {json_type(claim)}")
    claim_text = text(node.get("claimReviewed"), "claimReviewed") or text(
        claim.get("text") or claim.get("name"), "itemReviewed.name"
    )
    if claim_text is None:
        raise InvalidInput("claimReviewed: is missing (the text of the claim reviewed)")
    claimant = party(claim.get("author"), "itemReviewed.author", ids)
    if claimant is None:
        raise InvalidInput("itemReviewed.author: is missing (who made the claim)")
    checker = party(node.get("publisher"), "publisher", ids) or party(
        node.get("author"), "author", ids
    )
    if checker is None:
        raise InvalidInput("author: is missing (who published the review)")
    address = url(node.get("url"), "url") or url(
        first(node.get("mainEntityOfPage")), "mainEntityOfPage", ids
    )
    address = address or page_url
    if address is None:
        raise InvalidInput("url: is missing (where the review is published)")
    appearances = urls(claim.get("firstAppearance"), "itemReviewed.firstAppearance", ids)
    for found in urls(claim.get("appearance"), "itemReviewed.appearance", ids):
        if found not in appearances:
            appearances.append(found)
    verdict, wording, mapped = rating(node.get("reviewRating"), "reviewRating", ids)
    return Review(
        claim_text=claim_text,
        claimant=claimant,
        claim_date=date(claim.get("datePublished"), "itemReviewed.datePublished"),
        appearances=appearances,
        checker=checker,
        url=address,
        date=date(node.get("datePublished") or node.get("dateCreated"), "datePublished"),
        verdict=verdict,
        rating=wording,
        mapped=mapped,
        headline=text(node.get("headline") or node.get("name"), "headline"),
    )


def from_factcheck_api(claim: Node, review: Any, field: str) -> Review:
    """One review (``field``: where it sits, e.g. ``claimReview[0]``) of a claim of a Fact
    Check Tools ``claims:search`` response."""
    if not isinstance(review, dict):
        raise InvalidInput(f"{field}: must be an object, not {json_type(review)}")
    claim_text = text(claim.get("text"), "text")
    if claim_text is None:
        raise InvalidInput("text: is missing (the text of the claim reviewed)")
    claimant = party(claim.get("claimant"), "claimant", {})
    if claimant is None:
        raise InvalidInput("claimant: is missing (who made the claim)")
    checker = party(review.get("publisher"), f"{field}.publisher", {})
    if checker is None:
        raise InvalidInput(f"{field}.publisher: is missing (who published the review)")
    address = url(review.get("url"), f"{field}.url")
    if address is None:
        raise InvalidInput(f"{field}.url: is missing (where the review is published)")
    verdict, wording, mapped = rating(review.get("textualRating"), f"{field}.textualRating", {})
    return Review(
        claim_text=claim_text,
        claimant=claimant,
        claim_date=date(claim.get("claimDate"), "claimDate"),
        appearances=[],
        checker=checker,
        url=address,
        date=date(review.get("reviewDate"), f"{field}.reviewDate"),
        verdict=verdict,
        rating=wording,
        mapped=mapped,
        headline=text(review.get("title"), f"{field}.title"),
    )

"""What a sentence's analysis hands on: a statement found (before it gets its ref, date and
record names), what an answer answers, and a reporting verb; with the helpers that pick
actors and quotes out of a span."""

from __future__ import annotations

from dataclasses import dataclass, field

from factdb.extract.mentions import Mention
from factdb.extract.model import ProposedActor
from factdb.extract.quotes import Quote


@dataclass
class Target:
    """What an answer answers. ``how``: ``nested`` (a claim made in the same sentence,
    ``claim``), ``latest`` (the latest statement of ``kind`` by ``by``, or by anyone but the
    speaker), ``overlap`` (the claim whose words ``text`` shares most), ``implied`` (a claim
    by ``by`` with ``text`` that the article implies)."""

    how: str
    claim: Found | None = None
    kind: str | None = None
    by: tuple[ProposedActor, ...] = ()
    text: str | None = None


@dataclass
class Found:
    """A statement read from a sentence (before it is given refs, dates and record names)."""

    kind: str
    authors: tuple[ProposedActor, ...]
    text: str | None
    quote: Quote | None
    start: int
    end: int
    confidence: float
    about: list[ProposedActor] = field(default_factory=list)
    target: Target | None = None
    implied: bool = False
    form: str = ""
    content: tuple[int, int] | None = None


@dataclass
class Verb:
    start: int
    end: int
    form: str
    kind: str


def actors_in(mentions: list[Mention], start: int, end: int) -> list[ProposedActor]:
    actors: list[ProposedActor] = []
    for mention in mentions:
        if (
            start <= mention.start
            and mention.end <= end
            and mention.form
            not in (
                "pronoun",
                "metonym",
            )
        ):
            actors.extend(mention.actors)
    return actors


def quote_in(quotes: list[Quote], start: int, end: int) -> Quote | None:
    inside = [quote for quote in quotes if start <= quote.start and quote.end <= end]
    return inside[0] if inside else None

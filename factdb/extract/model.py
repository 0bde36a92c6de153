"""What an extraction proposes: actors, statements and the links between them.

Everything is plain data. A proposal keeps where it came from in the article (paragraph,
sentence, character span) and a confidence between 0 and 1, so a reviewer can judge it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class Evidence:
    """Where a proposal was read: paragraph (1-based), the sentence, and its character span
    in the whole article."""

    paragraph: int
    sentence: str
    start: int
    end: int


@dataclass
class ProposedActor:
    """An actor the article names that the record does not hold yet (or, without a record,
    every actor the article names). ``organization`` is the name of what it belongs to."""

    name: str
    kind: str
    country: str | None = None
    aliases: list[str] = field(default_factory=list)
    organization: str | None = None
    role: str | None = None
    evidence: Evidence | None = field(default=None, compare=False)

    def as_json(self) -> dict[str, Any]:
        line: dict[str, Any] = {"type": "actor", "name": self.name, "kind": self.kind}
        if self.country:
            line["country"] = self.country
        if self.aliases:
            line["aliases"] = list(self.aliases)
        if self.organization:
            affiliation: dict[str, Any] = {"organization": self.organization}
            if self.role:
                affiliation["role"] = self.role
            line["affiliations"] = [affiliation]
        return line


@dataclass
class ProposedStatement:
    """A statement the article reports. ``responds_to`` is the ``ref`` of another proposal,
    or ``#ID`` of a statement already recorded (then ``linked`` says why)."""

    ref: str
    kind: str
    by: str
    evidence: Evidence
    confidence: float
    text: str | None = None
    quote: str | None = None
    lang: str | None = None
    date: str | None = None
    about: list[str] = field(default_factory=list)
    responds_to: str | None = None
    implied: bool = False
    linked: str | None = None
    note: str | None = None

    def as_json(self, *, url: str | None = None, topics: list[str] | None = None) -> dict[str, Any]:
        """The statement as a line of factdb JSON Lines."""
        line: dict[str, Any] = {"type": "statement", "ref": self.ref, "kind": self.kind}
        line["by"] = self.by
        if self.responds_to is not None:
            line["responds_to"] = self.responds_to
        line["date"] = self.date
        for key in ("text", "quote", "lang"):
            value = getattr(self, key)
            if value is not None:
                line[key] = value
        if self.about:
            line["about"] = list(self.about)
        if topics:
            line["topics"] = list(topics)
        if url is not None:
            line["sources"] = [{"url": url, "locator": f"paragraph {self.evidence.paragraph}"}]
        if self.note is not None:
            line["note"] = self.note
        return line


@dataclass
class Link:
    """An answer and what it answers: another proposal or a recorded statement."""

    ref: str
    responds_to: str
    existing: bool
    reason: str | None


@dataclass
class Draft:
    """The proposals for one article, in the order the article makes them."""

    actors: list[ProposedActor] = field(default_factory=list)
    statements: list[ProposedStatement] = field(default_factory=list)
    url: str | None = None
    published: str | None = None
    topics: list[str] = field(default_factory=list)
    source_recorded: bool = False
    already_recorded: list[tuple[str, int]] = field(default_factory=list)

    @property
    def links(self) -> list[Link]:
        return [
            Link(s.ref, s.responds_to, s.responds_to.startswith("#"), s.linked)
            for s in self.statements
            if s.responds_to is not None
        ]

    def as_json(self) -> dict[str, Any]:
        """The whole draft as plain data (what ``--format json`` prints)."""
        return {
            "url": self.url,
            "published": self.published,
            "actors": [
                {
                    **actor.as_json(),
                    "paragraph": actor.evidence.paragraph if actor.evidence else None,
                    "sentence": actor.evidence.sentence if actor.evidence else None,
                }
                for actor in self.actors
            ],
            "statements": [
                {
                    **statement.as_json(url=self.url, topics=self.topics),
                    "paragraph": statement.evidence.paragraph,
                    "sentence": statement.evidence.sentence,
                    "span": [statement.evidence.start, statement.evidence.end],
                    "confidence": statement.confidence,
                    "implied": statement.implied,
                    "linked": statement.linked,
                }
                for statement in self.statements
            ],
            "links": [link.__dict__ for link in self.links],
            "already_recorded": [
                {"ref": ref, "statement_id": number} for ref, number in self.already_recorded
            ],
        }

"""The pipeline: sentences → mentions, quotes, dates → statements (``rules``) → targets,
dates and authors settled across sentences → linked to the record → a ``Draft``."""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from factdb.dates import parse_date
from factdb.errors import InvalidInput
from factdb.extract import dates as date_rules
from factdb.extract.article import Sentence, check_article, sentences
from factdb.extract.found import Found, Target
from factdb.extract.mentions import (
    Context,
    Mention,
    country_of,
    dateline_country,
    find_mentions,
    organization_spec,
)
from factdb.extract.model import Draft, Evidence, ProposedActor, ProposedStatement
from factdb.extract.quotes import find_quotes, quote_language
from factdb.extract.rules import analyse
from factdb.text import name_key, normalize_url

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

IMPLIED_CONFIDENCE = 0.6
TARGET_WINDOW = 50
"""How many statements back an answer's target is looked for."""
_WORD = re.compile(r"[^\W_]+")
_STOP = frozenset(
    [
        "the",
        "a",
        "an",
        "of",
        "to",
        "in",
        "on",
        "at",
        "and",
        "or",
        "that",
        "this",
        "these",
        "those",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "has",
        "have",
        "had",
        "its",
        "their",
        "his",
        "her",
        "it",
        "they",
        "for",
        "with",
        "by",
        "from",
        "as",
        "will",
        "would",
    ]
)


@dataclass
class _Item:
    """A statement on its way into the draft."""

    found: Found
    sentence: Sentence
    date: str | None
    ref: str = ""
    responds_to: _Item | str | None = None
    linked: str | None = None


def extract(
    text: str,
    *,
    published: str | dt.date | None = None,
    url: str | None = None,
    record: Session | None = None,
    topics: Iterable[str] = (),
) -> Draft:
    """Propose the statements an article reports, with their actors and links.

    ``published`` (a day) anchors relative dates ("on Sunday"); without it a date written
    in the article's first lines is used. ``url`` is the article, cited by every proposal
    with its paragraph. With ``record`` (a session), actors are named as the record names
    them, statements already recorded are not proposed again, and an answer to a claim the
    record holds answers that claim (``#ID``). Nothing is written."""
    text = check_article(text, "text")
    day = _published_day(published) if published is not None else date_rules.article_date(text)
    source = normalize_url(url, "url") if url is not None else None
    items = _read(text, day)
    _settle_targets(items, day)
    _answers_after_targets(items)
    draft = Draft(
        url=source,
        published=None if day is None else day.isoformat(),
        topics=list(dict.fromkeys(topic.strip() for topic in topics if topic.strip())),
    )
    _number(items, source or text)
    actors = _actors(items)
    names = {actor.name: actor.name for actor in actors}
    if record is not None:
        from factdb.extract.record import link_to_record

        names, actors = link_to_record(record, draft, items, actors)
    draft.actors = actors
    draft.statements = [_proposal(item, names) for item in items]
    return draft


def _published_day(value: str | dt.date) -> dt.date:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise InvalidInput.at(
            "published", f"{value!r} is not a day; use YYYY-MM-DD (the article's date)"
        ) from None


def _read(text: str, day: dt.date | None) -> list[_Item]:
    context = Context(dateline=dateline_country(text))
    items: list[_Item] = []
    reference = day
    last_dated: tuple[dt.date, int, tuple[ProposedActor, ...]] | None = None
    previous: list[_Item] = []
    for sentence in sentences(text):
        quotes = find_quotes(sentence.text)
        mentions = find_mentions(sentence.text, context)
        found = [one for f in analyse(sentence.text, mentions, quotes) for one in _each_author(f)]
        mentioned = date_rules.find_dates(sentence.text, day, reference)
        here = [_Item(f, sentence, None) for f in found]
        _refine_authors(previous, here)
        for item in here:
            when = _date_of(item.found, sentence.text, mentioned)
            if (
                when is None
                and last_dated is not None
                and not item.found.implied
                and (item.found.form not in ("nested",))
            ):
                same_paragraph = last_dated[1] == sentence.paragraph
                if same_paragraph or _same_side(item.found.authors, last_dated[2]):
                    when = last_dated[0]
            item.date = _as_date(when, day)
        days = [m.day for m in mentioned if m.day is not None]
        if days:
            reference = days[-1]
            speakers = tuple(a for item in here for a in item.found.authors) or tuple(
                a for m in mentions[:1] for a in m.actors
            )
            last_dated = (reference, sentence.paragraph, speakers)
        _remember(context, mentions, here)
        items.extend(here)
        previous = here
    return items


def _each_author(found: Found) -> list[Found]:
    """ "The foreign ministries of both countries said …": one statement per speaker."""
    if len(found.authors) < 2:
        return [found]
    return [replace(found, authors=(author,)) for author in found.authors]


def _date_of(
    found: Found, sentence: str, mentioned: list[date_rules.DateMention]
) -> dt.date | None:
    if found.form == "nested":
        return None
    clause_start = 0
    for boundary in re.finditer(r",\s+but\s+|;\s+|\s+[—–]\s+", sentence[: found.start]):
        clause_start = boundary.end()
    content = found.content or (0, 0)
    inside = [
        m
        for m in mentioned
        if clause_start <= m.start < max(found.end, found.start + 1)
        and not (content[0] <= m.start < content[1])
    ]
    days = [m.day for m in inside if m.day is not None]
    return days[0] if days else None


def _as_date(when: dt.date | None, day: dt.date | None) -> str | None:
    """A day, never after publication; else the article's month; else unknown."""
    if when is not None and (day is None or when <= day):
        return when.isoformat()
    return None if day is None else date_rules.month_of(day)


def _same_side(authors: tuple[ProposedActor, ...], others: tuple[ProposedActor, ...]) -> bool:
    return any(
        a.name == b.name
        or (a.country is not None and a.country == b.country and a.kind != "person")
        for a in authors
        for b in others
    )


def _refine_authors(previous: list[_Item], here: list[_Item]) -> None:
    """ "Pakistan rejected … In a statement, the Foreign Office …": a state's statement is
    its institution's when the next sentence names the institution of that state speaking."""
    speakers = [a for item in here for a in item.found.authors if a.kind == "ministry"]
    for item in previous:
        authors = item.found.authors
        if len(authors) != 1 or authors[0].kind != "state" or item.found.form == "nested":
            continue
        for speaker in speakers:
            if speaker.organization == authors[0].name:
                item.found.authors = (speaker,)
                item.found.confidence = round(item.found.confidence - 0.05, 2)
                break


def _remember(context: Context, mentions: list[Mention], here: list[_Item]) -> None:
    for mention in mentions:
        for actor in mention.actors:
            country = country_of(actor)
            if mention.form in ("state", "demonym", "institution") and country is not None:
                context.countries.append(country)
            if actor.kind == "person":
                # each person once, latest mention last ("he" is the last one named)
                context.people = [p for p in context.people if p.name != actor.name]
                context.people.append(actor)
    pairs = [m for m in mentions if len(m.actors) == 2]
    if pairs:
        context.plural = pairs[-1].actors
    for first, second in itertools.pairwise(mentions):
        if first.form in ("state", "institution") and second.form == first.form:
            context.plural = (first.actors[0], second.actors[0])
    for item in here:
        context.speakers.extend(item.found.authors)


# ----------------------------------------------------------------------------- targets


def words(text: str | None) -> set[str]:
    return {w for w in _WORD.findall(name_key(text or "")) if w not in _STOP}


def shared(a: str | None, b: str | None) -> int:
    return len(words(a) & words(b))


def overlap(a: str | None, b: str | None) -> float:
    first, second = words(a), words(b)
    if not first or not second:
        return 0.0
    return len(first & second) / min(len(first), len(second))


def _by_any(item: _Item, actors: tuple[ProposedActor, ...]) -> bool:
    return _same_side(item.found.authors, actors) if actors else False


def _settle_targets(items: list[_Item], day: dt.date | None) -> None:
    """Give every answer what it answers: a claim of the same sentence, the latest fitting
    statement before it, or a claim the article implies; an answer with nothing to answer
    becomes a claim of its own."""
    index = 0
    while index < len(items):
        item = items[index]
        target = item.found.target
        if target is None or item.found.kind == "claim":
            index += 1
            continue
        earlier = items[:index]
        chosen = _choose(item, target, earlier)
        if (chosen is None and target.how == "implied") or (
            chosen is None and target.how == "overlap" and target.by
        ):
            implied = _implied_claim(item, target, day)
            items.insert(index, implied)
            index += 1
            chosen = implied
        if chosen is None:
            item.found.kind = "claim"
            item.found.target = None
            item.found.confidence = round(item.found.confidence - 0.2, 2)
            if item.found.text is None:
                item.found.text = (
                    item.found.quote.text
                    if item.found.quote is not None
                    else item.sentence.text[item.found.start : item.found.end]
                )
        item.responds_to = chosen
        index += 1


def _choose(item: _Item, target: Target, earlier: list[_Item]) -> _Item | None:
    if target.how == "nested":
        return next((e for e in earlier if e.found is target.claim), None)
    # an answer answers something said not long before it (and a long article stays linear)
    recent = earlier[-TARGET_WINDOW:]
    candidates = [e for e in reversed(recent) if e.responds_to is not item]
    speaker = item.found.authors
    if target.how == "latest":
        for candidate in candidates:
            kind_fits = target.kind is None or candidate.found.kind == target.kind
            by_fits = (
                _by_any(candidate, target.by)
                if target.by
                else not _same_side(candidate.found.authors, speaker)
            )
            if kind_fits and by_fits:
                return candidate
        return None
    scored = [
        (
            overlap(candidate.found.text, target.text),
            candidate,
            shared(candidate.found.text, target.text),
        )
        for candidate in candidates
        if candidate.found.kind == "claim"
        and (not target.by or _by_any(candidate, target.by))
        and not _same_side(candidate.found.authors, speaker)
    ]
    scored = [pair for pair in scored if pair[0] >= 0.5 and pair[2] >= 2]
    if scored:
        return max(scored, key=lambda pair: pair[0])[1]
    if item.found.kind in ("denial", "dispute") and not target.by:
        # "denied any involvement": news answers the latest accusation
        for candidate in candidates:
            if candidate.found.kind == "claim" and not _same_side(candidate.found.authors, speaker):
                item.found.confidence = round(item.found.confidence - 0.15, 2)
                return candidate
    return None


def _implied_claim(item: _Item, target: Target, day: dt.date | None) -> _Item:
    text = target.text or item.found.text or ""
    found = Found(
        "claim",
        target.by,
        text,
        None,
        item.found.start,
        item.found.end,
        IMPLIED_CONFIDENCE,
        [],
        implied=True,
        form="implied",
    )
    return _Item(found, item.sentence, None if day is None else date_rules.month_of(day))


def _answers_after_targets(items: list[_Item]) -> None:
    """An answer is never dated before what it answers (the import refuses that): a claim
    dated by a guess (the article's month) that comes out later than its answer takes the
    answer's date, since it was made by then."""
    for item in items:
        target = item.responds_to
        if not isinstance(target, _Item) or item.date is None or target.date is None:
            continue
        answered, answering = parse_date(target.date), parse_date(item.date)
        if answering.end < answered.start:
            target.date = item.date


# ----------------------------------------------------------------------------- output


def _number(items: list[_Item], seed: str) -> None:
    """Stable refs: the same article (by URL, else by text) gives the same refs, so a draft
    imported twice changes nothing."""
    base = hashlib.sha1(seed.encode("utf-8")).hexdigest()[:8]
    seen: dict[str, int] = {}
    for item in items:
        key = "|".join(
            [
                item.found.kind,
                *(a.name for a in item.found.authors),
                item.found.text or "",
                item.found.quote.text if item.found.quote else "",
                str(item.sentence.paragraph),
            ]
        )
        digest = hashlib.sha1(key.encode("utf-8")).hexdigest()[:8]
        ref = f"x-{base}-{digest}"
        seen[ref] = seen.get(ref, 0) + 1
        item.ref = ref if seen[ref] == 1 else f"{ref}.{seen[ref]}"


def _actors(items: list[_Item]) -> list[ProposedActor]:
    """Every actor the proposals name, with the organizations they belong to first."""
    found: dict[str, ProposedActor] = {}

    def add(actor: ProposedActor, where: Evidence) -> None:
        key = name_key(actor.name)
        if key in found:
            return
        if actor.organization:
            parent = organization_spec(actor.organization)
            if parent is not None:
                add(parent, where)
        found[key] = replace(actor, evidence=where)

    for item in items:
        for actor in (*item.found.authors, *_about(item.found)):
            add(actor, _evidence(item))
    return list(found.values())


def _evidence(item: _Item) -> Evidence:
    start = item.sentence.start
    return Evidence(
        item.sentence.paragraph,
        item.sentence.text,
        start + item.found.start,
        start + item.found.end,
    )


def _about(found: Found) -> list[ProposedActor]:
    own = {a.name for a in found.authors} | {
        a.organization for a in found.authors if a.organization
    }
    own_countries = {a.country for a in found.authors}
    about: dict[str, ProposedActor] = {}
    for actor in found.about:
        subject = actor
        if actor.kind == "ministry" and actor.organization:
            subject = organization_spec(actor.organization) or actor
        if subject.name in own or (subject.kind == "state" and subject.country in own_countries):
            continue
        about.setdefault(subject.name, subject)
    return list(about.values())


def _proposal(item: _Item, names: dict[str, str]) -> ProposedStatement:
    found = item.found
    quote = found.quote.text if found.quote is not None else None
    target = item.responds_to
    responds_to = target.ref if isinstance(target, _Item) else target
    note = None
    if found.implied:
        note = "Implied by the article: answered there, not reported in its own words."
    statement = ProposedStatement(
        ref=item.ref,
        kind=found.kind,
        by=names.get(found.authors[0].name, found.authors[0].name),
        evidence=_evidence(item),
        confidence=round(found.confidence, 2),
        text=found.text if (found.text or found.kind == "claim") else None,
        quote=quote,
        lang=quote_language(quote) if quote is not None else None,
        date=item.date,
        about=[names.get(a.name, a.name) for a in _about(found)],
        responds_to=responds_to if found.kind != "claim" else None,
        implied=found.implied,
        linked=item.linked,
        note=note,
    )
    if statement.kind == "claim" and not statement.text:
        statement.text = quote
    return statement

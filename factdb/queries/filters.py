"""What the query commands share: reading their filter options (actors with roll-up, topics,
date bounds) and ordering their rows."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any, NamedTuple

from sqlalchemy import ColumnElement, and_, or_, select, true
from sqlalchemy.orm import InstrumentedAttribute, Session

from factdb.errors import InvalidInput, NotFound
from factdb.queries.resolve import resolve_actor_ref, suggest_topics
from factdb.queries.rollup import Affiliations
from factdb.queries.scope import Scope
from factdb.store.tables import statement_subjects, statement_topics, topics
from factdb.text import name_key

# SQLite nests an OR of n terms n levels deep and refuses more than 1,000 levels.
TERMS_PER_QUERY = 200


# Plain classes rather than dataclasses: each dataclass costs every command run ~1 ms to build.
class ActorFilter:
    """An actor named in a filter: ``candidates`` are the actor ids whose statements may
    count for it (itself and everyone ever affiliated below it, or itself alone with
    ``direct``); ``matches`` then checks the date rule."""

    __slots__ = ("actor_id", "candidates", "direct", "name")

    def __init__(self, actor_id: int, name: str, candidates: frozenset[int], direct: bool) -> None:
        self.actor_id = actor_id
        self.name = name
        self.candidates = candidates
        self.direct = direct

    def matches(self, affiliations: Affiliations, actor_id: int, when: dt.date | None) -> bool:
        if self.direct:
            return actor_id == self.actor_id
        return affiliations.counts_for(actor_id, self.actor_id, when)

    def matches_any(
        self, affiliations: Affiliations, actor_ids: Sequence[int], when: dt.date | None
    ) -> bool:
        return any(self.matches(affiliations, actor, when) for actor in actor_ids)

    def counts(self, actor_id: int, chain: Sequence[int]) -> bool:
        """``matches`` for a statement by ``actor_id`` whose chain at its date is ``chain``
        (``Affiliations.spans``), for callers that already have it."""
        if self.direct:
            return actor_id == self.actor_id
        return actor_id == self.actor_id or self.actor_id in chain

    def periods(self, affiliations: Affiliations, actor_id: int) -> Periods:
        """When statements by ``actor_id`` count for the filter's actor: the date ranges
        ``[start, stop)`` (None: open) and whether undated statements do."""
        spans = affiliations.spans(actor_id)
        bounds = (None, *spans.starts, None)
        ranges: list[tuple[dt.date | None, dt.date | None]] = []
        for number, chain in enumerate(spans.chains):
            if not self.counts(actor_id, chain):
                continue
            start, stop = bounds[number], bounds[number + 1]
            if ranges and ranges[-1][1] == start:  # continues the range before it
                start = ranges.pop()[0]
            ranges.append((start, stop))
        return Periods(ranges, self.counts(actor_id, spans.undated))


def counting_terms(
    wanted: ActorFilter,
    affiliations: Affiliations,
    actor: Any,
    date: Any,
    common: Sequence[ColumnElement[bool]] = (),
) -> list[ColumnElement[bool]]:
    """Conditions on the columns ``actor`` and ``date`` whose OR keeps the statements that
    count for ``wanted`` (``periods`` of each candidate written into the query). Each term
    carries ``common`` so that each can be one index search."""
    always: list[int] = []
    terms: list[ColumnElement[bool]] = []
    for actor_id in sorted(wanted.candidates):
        periods = wanted.periods(affiliations, actor_id)
        if periods.always:
            always.append(actor_id)
            continue
        when = [
            and_(
                true() if start is None else date >= start,
                true() if stop is None else date < stop,
            )
            for start, stop in periods.ranges
        ]
        if periods.undated:
            when.append(date.is_(None))
        if when:
            terms.append(and_(actor == actor_id, *common, or_(*when)))
    if always:
        terms.insert(0, and_(actor.in_(always), *common))
    return terms


def any_of(terms: Sequence[ColumnElement[bool]]) -> ColumnElement[bool]:
    """The OR of ``terms``, nested by ``TERMS_PER_QUERY`` so that SQLite takes any number."""
    if len(terms) <= TERMS_PER_QUERY:
        return or_(*terms)
    step = TERMS_PER_QUERY
    return any_of([or_(*terms[start : start + step]) for start in range(0, len(terms), step)])


class Periods(NamedTuple):
    """See ``ActorFilter.periods``."""

    ranges: list[tuple[dt.date | None, dt.date | None]]
    undated: bool

    @property
    def always(self) -> bool:
        return self.undated and self.ranges == [(None, None)]


def actor_filter(
    session: Session,
    name: str | None,
    field: str,
    affiliations: Affiliations,
    *,
    direct: bool = False,
) -> ActorFilter | None:
    """The filter for the actor ``name`` given as ``field`` (``by``, ``of``, ``about``; None
    when not given)."""
    if name is None:
        return None
    actor = resolve_actor_ref(session, name, field)
    candidates = {actor.id} if direct else affiliations.ever_members(actor.id)
    return ActorFilter(actor.id, actor.name, frozenset(candidates), direct)


def topic_id(session: Session, name: str | None, field: str = "topic") -> int | None:
    """The id of an existing topic (case-, space- and diacritics-insensitive)."""
    if name is None:
        return None
    key = name_key(name)
    if not key:
        raise InvalidInput.at(field, "a topic name must not be empty")
    found = session.scalar(select(topics.c.id).where(topics.c.name_key == key))
    if found is None:
        raise NotFound.at(field, f"there is no topic called {name!r}{suggest_topics(session, key)}")
    return int(found)


class DateRange:
    """``since``/``until``: statements dated from the first day of ``since`` to the
    last day of ``until``; with either bound, undated statements are left out."""

    __slots__ = ("since", "until")

    def __init__(self, since: dt.date | None = None, until: dt.date | None = None) -> None:
        self.since = since
        self.until = until

    @classmethod
    def of(cls, scope: Scope) -> DateRange:
        """The range of ``scope``'s ``since``/``until`` (already parsed and checked)."""
        return cls(scope.first_day, scope.last_day)

    @property
    def given(self) -> bool:
        return self.since is not None or self.until is not None

    def conditions(self, date: Any) -> list[ColumnElement[bool]]:
        """The bounds given, as conditions on the date column ``date``."""
        bounds: list[ColumnElement[bool]] = []
        if self.since is not None:
            bounds.append(date >= self.since)
        if self.until is not None:
            bounds.append(date <= self.until)
        return bounds


def on_topic(statement_id: Any, topic_number: int) -> ColumnElement[bool]:
    """The statement whose id is ``statement_id`` is tagged with the topic."""
    return statement_id.in_(  # type: ignore[no-any-return]
        select(statement_topics.c.statement_id).where(statement_topics.c.topic_id == topic_number)
    )


def about_any(statement_id: Any, actor_ids: frozenset[int]) -> ColumnElement[bool]:
    """The statement whose id is ``statement_id`` is about one of ``actor_ids``."""
    return statement_id.in_(  # type: ignore[no-any-return]
        select(statement_subjects.c.statement_id).where(
            statement_subjects.c.actor_id.in_(sorted(actor_ids))
        )
    )


def date_key(date: dt.date | None, item_id: int) -> tuple[bool, dt.date, int]:
    """Date order with undated rows last, then by id."""
    return (date is None, date or dt.date.min, item_id)


def kind_is(
    column: ColumnElement[str] | InstrumentedAttribute[str],
    kinds: Sequence[str],
    *,
    use_index: bool,
) -> Any:
    """``column`` is one of ``kinds``. With ``use_index=False`` the test is written so that no
    index on ``kind`` can serve it: without table statistics SQLite would otherwise read every
    statement of the kind instead of starting from a more selective filter."""
    target = column if use_index else column.concat("")
    return target == kinds[0] if len(kinds) == 1 else target.in_(kinds)

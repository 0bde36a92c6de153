"""Who denied what (and who endorsed, disputed, admitted, retracted or fact-checked it).

One row per response, in date order (undated last):
``response_id, kind, responder, on_behalf_of, date, quote, statement_id, statement, author,
sources``; ``who_denied`` and ``who_endorsed`` name the first columns for their kind
(``denial_id, denier`` / ``endorsement_id, endorser``) and drop ``kind``.

Filters roll up through dated affiliations (see ``factdb.queries.rollup``): ``by`` is the responder,
``of`` the author of what was answered, ``about`` one of its subjects; each keeps rows whose
actor counts for the named one at that statement's date. ``direct`` turns roll-up off.
``topic`` and ``about`` look at what was answered; ``search`` matches the response or what
it answers; ``since``/``until`` bound the response's date.

One query reads the rows, with what they answer and their sources, already in order
(``_base``). When ``by`` is the only narrowing filter, the answers that count are first
picked from the index on (actor_id, kind, date), with the dates when each member counts
written into the query (``_spoken_for``), so rows that roll-up would drop are never read.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

from sqlalchemy import (
    Select,
    String,
    func,
    or_,
    select,
    type_coerce,
    union,
)
from sqlalchemy.orm import Session

from factdb.dates import format_stored_date
from factdb.errors import InvalidInput
from factdb.queries.filters import (
    TERMS_PER_QUERY,
    ActorFilter,
    DateRange,
    about_any,
    actor_filter,
    counting_terms,
    kind_is,
    on_topic,
    topic_id,
)
from factdb.queries.paging import Page, check_limit
from factdb.queries.positions import actor_names, id_in, subjects_of
from factdb.queries.resolve import statement_id_of
from factdb.queries.rollup import Affiliations
from factdb.queries.scope import Scope, ScopeArgs
from factdb.queries.search import matching_ids, search_terms
from factdb.store.tables import (
    sources,
    statement_sources,
    statements,
)
from factdb.vocabulary import RESPONSE_KINDS

if TYPE_CHECKING:
    from typing_extensions import Unpack

Record = dict[str, Any]

response = statements.alias("response")
target = statements.alias("target")
link = statement_sources.alias("link")
source = sources.alias("source")


class Keys(NamedTuple):
    """The first columns of a row: its id, its kind (None: no kind column), who answered."""

    id: str
    kind: str | None
    actor: str


RESPONSE_KEYS = Keys("response_id", "kind", "responder")
DENIAL_KEYS = Keys("denial_id", None, "denier")
ENDORSEMENT_KEYS = Keys("endorsement_id", None, "endorser")


# Where ``_base`` puts the columns that are read by position (quicker than by name).
ACTOR, DATE, TARGET, AUTHOR, TARGET_DATE = 2, 3, 6, 8, 9


def _base(kind: str | None, *, use_kind_index: bool, with_sources: bool = True) -> Select[Any]:
    """Every column a row shows, in one query: the response, what it answers, and the
    response's sources (one result row per source, so a response may span several rows;
    they come together, in the rows' order, sources in their recorded order). Without
    ``with_sources``, one row per response and no source columns."""
    kinds = RESPONSE_KINDS if kind is None else (kind,)
    query = (
        select(
            response.c.id,
            response.c.kind,
            response.c.actor_id,
            type_coerce(response.c.date, _DAY).label("date"),
            response.c.date_precision,
            response.c.quote,
            target.c.id.label("target_id"),
            func.coalesce(target.c.text, target.c.quote).label("statement"),
            target.c.actor_id.label("author_id"),
            type_coerce(target.c.date, _DAY).label("target_date"),
        )
        .select_from(response)
        .join(target, target.c.id == response.c.responds_to_id)
        .where(response.c.deleted_at.is_(None), target.c.deleted_at.is_(None))
        .where(kind_is(response.c.kind, kinds, use_index=use_kind_index))
        .order_by(response.c.date.is_(None), response.c.date, response.c.id)
    )
    if not with_sources:
        return query
    return (
        query.add_columns(source.c.url, source.c.outlet, link.c.locator)
        .outerjoin(link, link.c.statement_id == response.c.id)
        .outerjoin(source, source.c.id == link.c.source_id)
        .order_by(link.c.position, link.c.source_id)
    )


def response_query(
    session: Session,
    kind: str | None = None,
    scope: Scope | None = None,
    *,
    statement: int | str | None = None,
    search: str | None = None,
    keys: Keys = RESPONSE_KEYS,
    limit: int | None = None,
    **args: Unpack[ScopeArgs],
) -> Page:
    """Responses of ``kind`` (any response kind when None) matching every filter given, as
    rows ``{response_id, kind, responder, on_behalf_of, date, quote, statement_id,
    statement, author, sources}`` in date order (undated last), then by id: the first
    ``limit`` of them (all when None), with ``total`` the number matching.

    The filters are ``scope`` (its ``by``, ``of``, ``about``, ``topic``, ``since``,
    ``until``, ``direct``) or the same as keywords (``by="Pakistan"``), plus ``search``.
    ``on_behalf_of`` lists the organizations the responder belonged to at the response's
    date, nearest first, up the chain. ``statement``: only answers to that statement id.
    ``keys`` names the first columns (``who_denied`` and ``who_endorsed`` use their own).
    Raises InvalidInput / NotFound / UnknownActor naming the field at fault."""
    if kind is not None and kind not in RESPONSE_KINDS:
        raise InvalidInput.at("kind", f"{kind!r} is not one of {', '.join(RESPONSE_KINDS)}")
    check_limit(limit)
    scope = Scope.of_args(scope, args)
    affiliations = Affiliations.load(session)
    by_filter = actor_filter(session, scope.by, "by", affiliations, direct=scope.direct)
    of_filter = actor_filter(session, scope.of, "of", affiliations, direct=scope.direct)
    about_filter = actor_filter(session, scope.about, "about", affiliations, direct=scope.direct)
    topic_number = topic_id(session, scope.topic)
    dates = DateRange.of(scope)
    selective = statement is not None or any(
        item is not None for item in (of_filter, about_filter, topic_number, search)
    )
    # With --by alone, the answers that count are picked from the (actor, kind, date) index
    # first, so only those are read in full (in id order, near one another on disk).
    picked = None
    if by_filter is not None and not selective:
        picked = _spoken_for(session, by_filter, affiliations, kind, dates)
        if not picked:
            return Page()
        by_filter = None  # applied: the rows read below are the ones picked
    query = _base(
        kind,
        use_kind_index=picked is None and (by_filter is not None or not selective),
        with_sources=limit is None,
    )
    if picked is not None:
        query = query.where(id_in(session, response.c.id, picked))
    if statement is not None:
        answered = statement_id_of(session, statement, field="ID")
        query = query.where(response.c.responds_to_id == answered)
    if by_filter is not None:
        query = query.where(response.c.actor_id.in_(sorted(by_filter.candidates)))
    if of_filter is not None:
        query = query.where(target.c.actor_id.in_(sorted(of_filter.candidates)))
    if about_filter is not None:
        query = query.where(about_any(target.c.id, about_filter.candidates))
    if topic_number is not None:
        query = query.where(on_topic(target.c.id, topic_number))
    if search is not None:
        matches = matching_ids(session, search_terms(search, "search"))
        answering = select(statements.c.id).where(statements.c.responds_to_id.in_(matches))
        query = query.where(response.c.id.in_(union(matches, answering)))
    query = query.where(*dates.conditions(response.c.date))
    unfiltered = by_filter is None and of_filter is None and about_filter is None
    if limit is not None and unfiltered:
        return _cut(session, query, kind, affiliations, keys, limit, whole=picked is not None)

    rows = session.execute(query).all()
    if not rows:
        return Page()
    days = _Days()
    subjects: dict[int, list[int]] = {}
    if about_filter is not None:
        subjects = subjects_of(session, sorted({row[TARGET] for row in rows}))

    def wanted(row: Any, chain: tuple[int, ...]) -> bool:
        if by_filter is not None and not by_filter.counts(row[ACTOR], chain):
            return False
        if of_filter is not None and not of_filter.matches(
            affiliations, row[AUTHOR], days[row[TARGET_DATE]]
        ):
            return False
        return about_filter is None or about_filter.matches_any(
            affiliations, subjects.get(row[TARGET], []), days[row[TARGET_DATE]]
        )

    if limit is None:
        return Page(_records(session, rows, affiliations, keys, None if unfiltered else wanted))
    # The rows read are one per response, without sources: keep those that count, then
    # read the page's rows in full.
    kept = [
        row[0] for row in rows if wanted(row, affiliations.spans(row[ACTOR]).at(days[row[DATE]]))
    ]
    return Page(_read(session, kind, kept[:limit], affiliations, keys), len(kept))


def _cut(
    session: Session,
    query: Select[Any],
    kind: str | None,
    affiliations: Affiliations,
    keys: Keys,
    limit: int,
    *,
    whole: bool,
) -> Page:
    """The first ``limit`` rows of ``query`` (every row of which is wanted) and their number,
    counted by the database. ``whole``: the rows are few (picked by id), so their ids are
    read in one pass rather than counted and then cut."""
    ids_query = query.with_only_columns(response.c.id)
    if whole:
        ids = session.scalars(ids_query).all()
        return Page(_read(session, kind, ids[:limit], affiliations, keys), len(ids))
    total = session.scalar(select(func.count()).select_from(ids_query.order_by(None).subquery()))
    shown = session.scalars(ids_query.limit(limit)).all()
    return Page(_read(session, kind, shown, affiliations, keys), total or 0)


def _read(
    session: Session,
    kind: str | None,
    ids: Sequence[int],
    affiliations: Affiliations,
    keys: Keys,
) -> list[Record]:
    """The records of the responses ``ids`` (each known to be wanted), in date order."""
    if not ids:
        return []
    query = _base(kind, use_kind_index=False).where(id_in(session, response.c.id, ids))
    return _records(session, session.execute(query).all(), affiliations, keys, None)


def _spoken_for(
    session: Session,
    by_filter: ActorFilter,
    affiliations: Affiliations,
    kind: str | None,
    dates: DateRange,
) -> list[int]:
    """Ids of the answers of ``kind`` by ``by_filter``'s candidates that count for it at
    their date (and fall within ``dates``), from the index on (actor_id, kind, date): the
    dates when each candidate counts are written into the query, so only ids come back."""
    # Every condition goes into each OR term, so that each term is one index search.
    common = [
        kind_is(statements.c.kind, RESPONSE_KINDS if kind is None else (kind,), use_index=True),
        *dates.conditions(statements.c.date),
    ]
    terms = counting_terms(
        by_filter, affiliations, statements.c.actor_id, statements.c.date, common
    )
    picked: list[int] = []
    for start in range(0, len(terms), TERMS_PER_QUERY):
        chunk = terms[start : start + TERMS_PER_QUERY]
        picked.extend(session.scalars(select(statements.c.id).where(or_(*chunk))).all())
    return picked


# The rows' dates are read as the driver gives them (on SQLite 'YYYY-MM-DD' text, which
# SQLAlchemy would otherwise parse once per row and column) and turned into dates once per
# distinct value by ``_Days``.
_DAY = String()


class _Days(dict[Any, dt.date | None]):
    """Dates from the driver's values (text on SQLite, dates on PostgreSQL, or None)."""

    def __missing__(self, key: Any) -> dt.date | None:
        day = self[key] = dt.date.fromisoformat(key) if isinstance(key, str) else key
        return day


class _DateTexts(dict[tuple[Any, Any], str | None]):
    """``format_stored_date`` of (driver's value, precision) pairs, each worked out once."""

    def __missing__(self, key: tuple[Any, Any]) -> str | None:
        text = self[key] = format_stored_date(*key)
        return text


def _records(
    session: Session,
    rows: Sequence[Any],
    affiliations: Affiliations,
    keys: Keys,
    wanted: Callable[[Any, tuple[int, ...]], bool] | None,
) -> list[Record]:
    """The records of the result rows (a response spans one row per source) that are
    ``wanted`` (given its first row and the responder's chain at the response's date).
    Names, chains and date texts are worked out once per actor, chain and date, not per row."""
    responders = {row[ACTOR] for row in rows}
    spans = {actor_id: affiliations.spans(actor_id) for actor_id in responders}
    organizations = {
        organization
        for actor_spans in spans.values()
        for chain in (*actor_spans.chains, actor_spans.undated)
        for organization in chain
    }
    names = actor_names(session, responders | {row[AUTHOR] for row in rows} | organizations)
    behalf_of: dict[tuple[int, ...], list[str]] = {}
    date_texts = _DateTexts()
    days = _Days()
    id_key, kind_key, actor_key = keys.id, keys.kind, keys.actor
    records: list[Record] = []
    last_id = None
    sources: list[dict[str, Any]] | None = None  # of the last record kept
    for row in rows:
        (rid, kind, actor_id, date, precision, quote, target_id, statement, author_id, _target_date,
         url, outlet, locator) = row  # fmt: skip
        if rid == last_id:  # another source of the response just seen
            if sources is not None:
                sources.append({"url": url, "outlet": outlet, "locator": locator})
            continue
        last_id, sources = rid, None
        chain = spans[actor_id].at(days[date])
        if wanted is not None and not wanted(row, chain):
            continue
        sources = [] if url is None else [{"url": url, "outlet": outlet, "locator": locator}]
        behalf = behalf_of.get(chain)
        if behalf is None:
            behalf = behalf_of[chain] = [names[org] for org in chain]
        record: Record = {id_key: rid}
        if kind_key is not None:
            record[kind_key] = kind
        record[actor_key] = names[actor_id]
        record["on_behalf_of"] = list(behalf)
        record["date"] = date_texts[date, precision]
        record["quote"] = quote
        record["statement_id"] = target_id
        record["statement"] = statement
        record["author"] = names[author_id]
        record["sources"] = sources
        records.append(record)
    return records


class _AnswersOfKind:
    """``response_query`` for one kind of answer, its rows with their own first columns
    (``who_denied``, ``who_endorsed``)."""

    def __init__(self, kind: str, keys: Keys, doc: str) -> None:
        self.kind, self.keys, self.__doc__ = kind, keys, doc

    def __call__(
        self,
        session: Session,
        statement: int | str | None = None,
        scope: Scope | None = None,
        *,
        search: str | None = None,
        limit: int | None = None,
        **args: Unpack[ScopeArgs],
    ) -> Page:
        scope = Scope.of_args(scope, args)
        return response_query(
            session,
            self.kind,
            scope,
            statement=statement,
            search=search,
            keys=self.keys,
            limit=limit,
        )


who_denied = _AnswersOfKind(
    "denial",
    DENIAL_KEYS,
    """Denials as rows ``{denial_id, denier, on_behalf_of, date, quote, statement_id,
    statement, author, sources}``; filters and ``limit`` as in ``response_query``.""",
)
who_endorsed = _AnswersOfKind(
    "endorsement",
    ENDORSEMENT_KEYS,
    """Endorsements as rows ``{endorsement_id, endorser, on_behalf_of, date, quote,
    statement_id, statement, author, sources}``; filters and ``limit`` as in
    ``response_query``.""",
)

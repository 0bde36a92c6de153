"""Logging statements and reading them back: claims, the answers to them (denials, disputes,
endorsements, admissions, retractions, fact-checks), edits, soft delete and restore, and the
thread a statement sits in.

Error messages name the field the value came in, the parameter's name (``by``, ``date`` …);
the command line shows its flags instead (``factdb.errors``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from factdb import rules
from factdb.dates import PartialDate, parse_date
from factdb.errors import Conflict, InvalidInput, NotFound
from factdb.queries.records import Record, statement_loader_options, statement_record
from factdb.queries.resolve import parse_statement_id, resolve_actor
from factdb.record.sources import source_for_url
from factdb.record.topics import topic_for_name
from factdb.store.models import (
    STATEMENT_CLASSES,
    Actor,
    Affiliation,
    Source,
    Statement,
    StatementSource,
    StatementSubject,
    StatementTopic,
    Topic,
    utcnow,
)
from factdb.text import clean_text, name_key, normalize_url, required_text
from factdb.vocabulary import RESPONSE_KINDS, VERDICTS

# A source is a URL, or a (URL, locator) pair such as ("https://…", "para. 3").
SourceInput = str | tuple[str, str | None]


def kind_label(kind: str) -> str:
    """A kind as people write it: ``fact_check`` → ``fact-check``."""
    return kind.replace("_", "-")


# ----------------------------------------------------------------------------- validation


def _lang(value: str | None) -> str | None:
    return rules.check_lang(clean_text(value, "lang"), "lang")


def _ref(value: str | None) -> str | None:
    if value is None:
        return None
    return rules.check_ref(clean_text(value, "ref"), value, "ref")


def _check_ref_free(session: Session, ref: str, own_id: int | None = None) -> None:
    holder = session.scalar(select(Statement.id).where(Statement.ref == ref))
    if holder is not None and holder != own_id:
        raise Conflict.at("ref", f"{ref!r} is already the ref of statement #{holder}")


def _verdict(value: str) -> str:
    cleaned = (clean_text(value, "verdict") or "").lower().replace("-", "_")
    if cleaned not in VERDICTS:
        raise InvalidInput.at(
            "verdict", f"{value!r} is not a verdict; use one of {', '.join(VERDICTS)}"
        )
    return cleaned


def _date(value: str | None) -> PartialDate | None:
    if value is None:
        return None
    return parse_date(value, "date")


def _set_date(statement: Statement, date: PartialDate | None) -> None:
    statement.date = date.start if date else None
    statement.date_precision = date.precision if date else None


def _partial(statement: Statement) -> PartialDate | None:
    if statement.date is None or statement.date_precision is None:
        return None
    return PartialDate(statement.date, statement.date_precision)  # type: ignore[arg-type]


def _refuse_merged(statement: Statement) -> None:
    """A duplicate merged into another statement is gone for good: point to the one kept."""
    kept = statement.merged_into_id
    if kept is not None:
        raise InvalidInput(f"ID: statement #{statement.id} was merged into #{kept}; use #{kept}")


def _answered(session: Session, responds_to: int | str) -> Statement:
    number = parse_statement_id(responds_to) if isinstance(responds_to, str) else int(responds_to)
    target = session.get(Statement, number)
    if target is None:
        raise NotFound(f"ID: there is no statement #{number}")
    _refuse_merged(target)
    if target.deleted_at is not None:
        raise InvalidInput(
            f"ID: statement #{number} is deleted; restore it first with `factdb restore {number}`"
        )
    return target


def _existing(session: Session, statement_id: int | str) -> Statement:
    """A statement by id, deleted or not."""
    number = (
        parse_statement_id(statement_id) if isinstance(statement_id, str) else int(statement_id)
    )
    statement = session.get(Statement, number)
    if statement is None:
        raise NotFound(f"ID: there is no statement #{number}")
    return statement


def _live(session: Session, statement_id: int | str) -> Statement:
    statement = _existing(session, statement_id)
    _refuse_merged(statement)
    if statement.deleted_at is not None:
        raise InvalidInput(
            f"ID: statement #{statement.id} is deleted; restore it first with "
            f"`factdb restore {statement.id}`"
        )
    return statement


# ----------------------------------------------------------------------------- affiliations


def organizations_of(session: Session, actor_id: int, when: PartialDate | None) -> set[int]:
    """Every organization ``actor_id`` belonged to at ``when``, directly or through others
    (a spokesman → a ministry → a state), by the rule of ``factdb.rules``."""

    def links(member: int) -> list[tuple[int, dt.date | None, dt.date | None]]:
        rows = session.execute(
            select(
                Affiliation.organization_id,
                Affiliation.start_date,
                Affiliation.end_date,
                Affiliation.end_precision,
            ).where(Affiliation.member_id == member)
        )
        return [
            (organization, start, None if end is None else rules.period_end(end, precision))
            for organization, start, end, precision in rows
        ]

    return rules.organizations_at(actor_id, None if when is None else when.start, links)


def may_retract(
    session: Session, retractor: Actor, target: Statement, when: PartialDate | None
) -> bool:
    """Whether ``retractor``, speaking at ``when``, can withdraw ``target``: it is the
    author, or an affiliate of the author (``factdb.rules.may_retract``)."""
    return rules.may_retract(
        retractor.id,
        target.actor.id,
        lambda: organizations_of(session, retractor.id, when),
        lambda: organizations_of(session, target.actor.id, _partial(target)),
    )


def retraction_target(statement: Statement) -> str:
    """A statement as the retraction rule names it: ``#1 (Pakistan)``."""
    return f"#{statement.id} ({statement.actor.name})"


def _check_retraction(
    session: Session,
    retractor: Actor,
    target: Statement,
    when: PartialDate | None,
    field: str = "by",
) -> None:
    if not may_retract(session, retractor, target, when):
        refused = rules.retraction_refused(retraction_target(target), retractor.name)
        raise InvalidInput.at(field, f"{refused}")


# ----------------------------------------------------------------------------- links


def _actors(session: Session, names: Iterable[str], field: str) -> list[Actor]:
    found: dict[int, Actor] = {}
    for name in names:
        actor = resolve_actor(session, name, field)
        found.setdefault(actor.id, actor)
    return list(found.values())


def _topics(session: Session, names: Iterable[str], field: str) -> list[Topic]:
    found: dict[int, Topic] = {}
    for name in names:
        topic = topic_for_name(session, name, field)
        found.setdefault(topic.id, topic)
    return list(found.values())


def _sources(
    session: Session, items: Iterable[SourceInput], field: str
) -> list[tuple[Source, str | None]]:
    found: dict[int, tuple[Source, str | None]] = {}
    for item in items:
        url, locator = (item, None) if isinstance(item, str) else item
        source = source_for_url(session, url, field)
        cleaned = clean_text(locator, "locator")
        if source.id not in found or cleaned is not None:
            found[source.id] = (source, cleaned)
    return list(found.values())


def _next_position(links: Sequence[StatementSubject | StatementTopic | StatementSource]) -> int:
    return max((link.position for link in links), default=-1) + 1


def _link_about(statement: Statement, actors: Iterable[Actor]) -> None:
    present = {link.actor_id for link in statement.subject_links}
    for actor in actors:
        if actor.id not in present:
            position = _next_position(statement.subject_links)
            statement.subject_links.append(StatementSubject(actor=actor, position=position))


def _link_topics(statement: Statement, topics: Iterable[Topic]) -> None:
    present = {link.topic_id for link in statement.topic_links}
    for topic in topics:
        if topic.id not in present:
            position = _next_position(statement.topic_links)
            statement.topic_links.append(StatementTopic(topic=topic, position=position))


def _link_sources(statement: Statement, sources: Iterable[tuple[Source, str | None]]) -> None:
    present = {link.source_id: link for link in statement.source_links}
    for source, locator in sources:
        if source.id in present:
            if locator is not None:
                present[source.id].locator = locator
            continue
        position = _next_position(statement.source_links)
        link = StatementSource(source=source, position=position, locator=locator)
        statement.source_links.append(link)


def _about_links(session: Session, statement: Statement, names: Iterable[str]) -> list[Any]:
    links = []
    for actor in _actors(session, names, "remove_about"):
        link = next((x for x in statement.subject_links if x.actor_id == actor.id), None)
        if link is None:
            raise InvalidInput.at("remove_about", f"#{statement.id} is not about {actor.name}")
        links.append(link)
    return links


def _topic_links(statement: Statement, names: Iterable[str]) -> list[Any]:
    links = []
    for name in names:
        key = name_key(name)
        link = next((x for x in statement.topic_links if x.topic.name_key == key), None)
        if link is None:
            raise InvalidInput.at("remove_topics", f"#{statement.id} has no topic {name!r}")
        links.append(link)
    return links


def _source_links(statement: Statement, urls: Iterable[str]) -> list[Any]:
    links = []
    for url in urls:
        normalized = normalize_url(url, "remove_sources")
        link = next((x for x in statement.source_links if x.source.url == normalized), None)
        if link is None:
            raise InvalidInput.at("remove_sources", f"#{statement.id} does not cite {url}")
        links.append(link)
    return links


# ----------------------------------------------------------------------------- adding


def _new_statement(
    session: Session,
    kind: str,
    *,
    by: str,
    target: Statement | None,
    text: str | None,
    date: str | None,
    quote: str | None,
    lang: str | None,
    about: Sequence[str],
    topics: Sequence[str],
    sources: Sequence[SourceInput],
    note: str | None,
    ref: str | None,
    verdict: str | None = None,
    rating: str | None = None,
) -> Statement:
    actor = resolve_actor(session, by, "by")
    when = _date(date)
    checked_ref = _ref(ref)
    if checked_ref is not None:
        _check_ref_free(session, checked_ref)
    if kind == "retraction" and target is not None:
        _check_retraction(session, actor, target, when)
    subjects = _actors(session, about, "about")
    named_topics = _topics(session, topics, "topics")
    cited = _sources(session, sources, "sources")
    statement = STATEMENT_CLASSES[kind](
        actor=actor,
        responds_to=target,
        text=text,
        quote=clean_text(quote, "quote"),
        lang=_lang(lang),
        verdict=verdict,
        rating=clean_text(rating, "rating"),
        note=clean_text(note, "note"),
        ref=checked_ref,
    )
    _set_date(statement, when)
    _link_about(statement, subjects)
    _link_topics(statement, named_topics)
    _link_sources(statement, cited)
    session.add(statement)
    try:
        session.flush()
    except IntegrityError:
        # Another writer took the ref between the check above and this insert.
        if checked_ref is None:
            raise
        raise Conflict.at(
            "ref", f"{checked_ref!r} is already the ref of another statement"
        ) from None
    return statement


def add_claim(
    session: Session,
    text: str,
    by: str,
    date: str | None = None,
    quote: str | None = None,
    lang: str | None = None,
    about: Sequence[str] = (),
    topics: Sequence[str] = (),
    sources: Sequence[SourceInput] = (),
    note: str | None = None,
    ref: str | None = None,
) -> Statement:
    """Log a claim: ``by`` asserts ``text``."""
    return _new_statement(
        session,
        "claim",
        by=by,
        target=None,
        text=required_text(text, "TEXT"),
        date=date,
        quote=quote,
        lang=lang,
        about=about,
        topics=topics,
        sources=sources,
        note=note,
        ref=ref,
    )


def add_response(
    session: Session,
    kind: str,
    responds_to: int | str,
    by: str,
    date: str | None = None,
    quote: str | None = None,
    lang: str | None = None,
    text: str | None = None,
    about: Sequence[str] = (),
    topics: Sequence[str] = (),
    sources: Sequence[SourceInput] = (),
    note: str | None = None,
    ref: str | None = None,
) -> Statement:
    """Log an answer of ``kind`` (denial, dispute, endorsement, admission, retraction) to the
    statement ``responds_to``. A retraction must come from the author or an affiliate. An
    answer dated before what it answers is kept as dated (``answer_dates.early_answers``
    names it)."""
    answerable = [k for k in RESPONSE_KINDS if k != "fact_check"]
    if kind not in answerable:
        hint = "; use add_fact_check for fact-checks" if kind == "fact_check" else ""
        raise InvalidInput(f"kind: {kind!r} is not one of {', '.join(answerable)}{hint}")
    target = _answered(session, responds_to)
    return _new_statement(
        session,
        kind,
        by=by,
        target=target,
        text=clean_text(text, "text"),
        date=date,
        quote=quote,
        lang=lang,
        about=about,
        topics=topics,
        sources=sources,
        note=note,
        ref=ref,
    )


def add_fact_check(
    session: Session,
    responds_to: int | str,
    by: str,
    verdict: str,
    rating: str | None = None,
    date: str | None = None,
    sources: Sequence[SourceInput] = (),
    note: str | None = None,
    text: str | None = None,
    quote: str | None = None,
    ref: str | None = None,
    lang: str | None = None,
    about: Sequence[str] = (),
    topics: Sequence[str] = (),
) -> Statement:
    """Log a fact-check of ``responds_to`` with a verdict from ``vocabulary.VERDICTS`` and the
    checker's own wording as ``rating``."""
    checked = _verdict(verdict)
    target = _answered(session, responds_to)
    return _new_statement(
        session,
        "fact_check",
        by=by,
        target=target,
        text=clean_text(text, "text"),
        date=date,
        quote=quote,
        lang=lang,
        about=about,
        topics=topics,
        sources=sources,
        note=note,
        ref=ref,
        verdict=checked,
        rating=rating,
    )


# ----------------------------------------------------------------------------- editing

EDITABLE = (
    "text",
    "quote",
    "lang",
    "date",
    "note",
    "ref",
    "verdict",
    "rating",
    "add_about",
    "remove_about",
    "add_topics",
    "remove_topics",
    "add_sources",
    "remove_sources",
)


def edit_statement(session: Session, statement_id: int | str, **changes: Any) -> Statement:
    """Change a live statement. Keys of ``changes`` are those in ``EDITABLE``; a value of None
    leaves the field alone, an empty string clears it (not a claim's text, nor a ref).
    ``add_*``/``remove_*`` take sequences (sources: URLs or (URL, locator) pairs)."""
    unknown = sorted(set(changes) - set(EDITABLE))
    if unknown:
        raise InvalidInput(f"{unknown[0]}: not something a statement edit can change")
    given = {key: value for key, value in changes.items() if value not in (None, (), [])}
    if not given:
        raise InvalidInput.naming_fields(
            "nothing to change: give at least one option, such as {}", "text"
        )
    statement = _live(session, statement_id)
    # Check and look up everything first, then change the row in one go: one audit row.
    values: dict[str, Any] = {}
    if "text" in given:
        required = statement.kind == "claim"
        values["text"] = clean_text(given["text"], "text", required=required)
    for key in ("quote", "note"):
        if key in given:
            values[key] = clean_text(given[key], key)
    if "lang" in given:
        values["lang"] = _lang(given["lang"])
    if "ref" in given:
        values["ref"] = _ref(given["ref"])
        _check_ref_free(session, values["ref"], statement.id)
    if ("verdict" in given or "rating" in given) and statement.kind != "fact_check":
        field = "verdict" if "verdict" in given else "rating"
        raise InvalidInput.at(
            field,
            f"only fact-checks have a verdict; #{statement.id} is a {kind_label(statement.kind)}",
        )
    if "verdict" in given:
        values["verdict"] = _verdict(given["verdict"])
    new_date: PartialDate | None = None
    if "date" in given:
        raw = str(given["date"])
        new_date = None if raw.strip() == "" else parse_date(raw, "date")
        target = statement.responds_to
        if statement.kind == "retraction" and target is not None:
            # Whether the retractor spoke for the author depends on the retraction's date.
            _check_retraction(session, statement.actor, target, new_date, "date")
    if "rating" in given:
        values["rating"] = clean_text(given["rating"], "rating")
    dropped = [
        *_about_links(session, statement, given.get("remove_about", ())),
        *_topic_links(statement, given.get("remove_topics", ())),
        *_source_links(statement, given.get("remove_sources", ())),
    ]
    subjects = _actors(session, given.get("add_about", ()), "add_about")
    named_topics = _topics(session, given.get("add_topics", ()), "add_topics")
    cited = _sources(session, given.get("add_sources", ()), "add_sources")

    with session.no_autoflush:
        for key, value in values.items():
            setattr(statement, key, value)
        if "date" in given:
            _set_date(statement, new_date)
        links_before = _link_keys(statement)
        for link in dropped:
            for links in (statement.subject_links, statement.topic_links, statement.source_links):
                if link in links:
                    links.remove(link)
            session.delete(link)
        _link_about(statement, subjects)
        _link_topics(statement, named_topics)
        _link_sources(statement, cited)
        if _link_keys(statement) != links_before:
            # The row itself may be unchanged; its stamp still says when it was edited.
            statement.updated_at = utcnow()
    session.flush()
    return statement


def _link_keys(statement: Statement) -> tuple[Any, ...]:
    return (
        [link.actor_id for link in statement.subject_links],
        [link.topic_id for link in statement.topic_links],
        [(link.source_id, link.locator) for link in statement.source_links],
    )


# ----------------------------------------------------------------------------- delete, restore


def _live_answers(session: Session, ids: Iterable[int]) -> list[Statement]:
    return list(
        session.scalars(
            select(Statement)
            .where(Statement.responds_to_id.in_(sorted(ids)), Statement.deleted_at.is_(None))
            .order_by(Statement.id)
        ).all()
    )


def delete_statement(session: Session, statement_id: int | str, cascade: bool = False) -> list[int]:
    """Soft-delete a statement; with ``cascade`` also every live answer below it. Returns the
    ids deleted, the statement's first. A statement with live answers needs ``cascade``."""
    statement = _existing(session, statement_id)
    _refuse_merged(statement)
    if statement.deleted_at is not None:
        raise InvalidInput(f"ID: statement #{statement.id} is already deleted")
    answers = _live_answers(session, [statement.id])
    if answers and not cascade:
        listed = ", ".join(f"#{answer.id}" for answer in answers)
        raise Conflict.naming_fields(
            f"ID: #{statement.id} is answered by {listed}; delete those first or use {{}} "
            "to delete the whole thread below it",
            "cascade",
        )
    thread = [statement]
    frontier = answers
    while frontier:
        thread.extend(frontier)
        frontier = _live_answers(session, [answer.id for answer in frontier])
    now = utcnow()
    for item in thread:
        item.deleted_at = now
    session.flush()
    return [statement.id, *sorted(item.id for item in thread[1:])]


def restore_statement(session: Session, statement_id: int | str) -> list[int]:
    """Bring back a deleted statement, and the answers deleted together with it by
    ``--cascade``. Returns the ids restored, the statement's first."""
    statement = _existing(session, statement_id)
    if statement.merged_into_id is not None:
        raise InvalidInput(
            f"ID: statement #{statement.id} was merged into #{statement.merged_into_id} and "
            "cannot be restored; its answers and links are on that statement now"
        )
    if statement.deleted_at is None:
        raise InvalidInput(f"ID: statement #{statement.id} is not deleted")
    parent = statement.responds_to
    if parent is not None and parent.deleted_at is not None:
        raise InvalidInput(
            f"ID: #{statement.id} answers #{parent.id}, which is deleted; restore #{parent.id} "
            "first"
        )
    stamp = statement.deleted_at
    thread = [statement]
    frontier = [statement.id]
    while frontier:
        together = session.scalars(
            select(Statement).where(
                Statement.responds_to_id.in_(frontier), Statement.deleted_at == stamp
            )
        ).all()
        thread.extend(together)
        frontier = [item.id for item in together]
    for item in thread:
        item.deleted_at = None
    session.flush()
    return [statement.id, *sorted(item.id for item in thread[1:])]


# ----------------------------------------------------------------------------- reading


def _date_order(statement: Statement) -> tuple[bool, dt.date, int]:
    """Date order with undated statements last, then by id."""
    return (statement.date is None, statement.date or dt.date.min, statement.id)


def statement_thread(
    session: Session, statement_id: int | str, *, include_deleted: bool = False
) -> Record:
    """The thread around a statement as plain data:
    ``{"statement": node, "chain": [root, …, parent]}`` where ``chain`` lists what the
    statement answers, from the root claim down to its direct target, and each node is a
    ``statement_record`` with ``responses``: its answers, nested, in date order."""
    statement = _existing(session, statement_id)
    _refuse_merged(statement)
    if statement.deleted_at is not None and not include_deleted:
        raise NotFound(
            f"ID: statement #{statement.id} is deleted; `factdb restore {statement.id}` "
            "brings it back"
        )
    chain_ids: list[int] = []
    cursor = statement.responds_to_id
    while cursor is not None and cursor not in chain_ids:
        chain_ids.append(cursor)
        cursor = session.scalar(select(Statement.responds_to_id).where(Statement.id == cursor))
    chain_ids.reverse()

    children: dict[int, list[Statement]] = {}
    loaded: dict[int, Statement] = {}
    frontier = [statement.id]
    while frontier:
        query = (
            select(Statement)
            .where(Statement.responds_to_id.in_(frontier))
            .options(*statement_loader_options())
        )
        if not include_deleted:
            query = query.where(Statement.deleted_at.is_(None))
        rows = [row for row in session.scalars(query).all() if row.id not in loaded]
        for row in rows:
            loaded[row.id] = row
            children.setdefault(row.responds_to_id or 0, []).append(row)
        frontier = [row.id for row in rows]

    def node(item: Statement) -> Record:
        answers = sorted(children.get(item.id, []), key=_date_order)
        return {**statement_record(item), "responses": [node(answer) for answer in answers]}

    chain = [statement_record(_existing(session, number)) for number in chain_ids]
    return {"statement": node(statement), "chain": chain}


def thread_records(thread: Record) -> list[Record]:
    """Every statement of a thread as flat records (no ``responses``): the chain, the
    statement, then its answers depth first."""
    flat: list[Record] = [dict(item) for item in thread["chain"]]

    def walk(node: Record) -> None:
        flat.append({key: value for key, value in node.items() if key != "responses"})
        for answer in node["responses"]:
            walk(answer)

    walk(thread["statement"])
    return flat

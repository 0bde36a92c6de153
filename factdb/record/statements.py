"""Logging statements and reading them back: claims, the answers to them (denials, disputes,
endorsements, admissions, retractions, fact-checks), edits, soft delete and restore, and the
thread a statement sits in. What a write checks first is in ``statement_checks``, the links
to actors, topics and sources in ``statement_links``, who may retract in ``retraction``.

Error messages name the field the value came in, the parameter's name (``by``, ``date`` …);
the command line shows its flags instead (``factdb.errors``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any, TypedDict

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from factdb.dates import PartialDate, parse_date
from factdb.errors import Conflict, InvalidInput, NotFound
from factdb.queries.records import Record, statement_loader_options, statement_record
from factdb.queries.resolve import resolve_actor
from factdb.record.retraction import check_retraction
from factdb.record.statement_checks import (
    answerable_statement,
    check_ref_free,
    clean_lang,
    clean_ref,
    clean_verdict,
    existing_statement,
    live_statement,
    parse_when,
    refuse_merged,
    set_date,
)
from factdb.record.statement_links import (
    SourceInput,
    dropped_about,
    dropped_sources,
    dropped_topics,
    link_about,
    link_keys,
    link_sources,
    link_topics,
    linked_actors,
    linked_sources,
    linked_topics,
)
from factdb.store.models import STATEMENT_CLASSES, Statement, utcnow
from factdb.text import clean_text, required_text
from factdb.vocabulary import RESPONSE_KINDS

if TYPE_CHECKING:
    from typing_extensions import Unpack


# ----------------------------------------------------------------------------- adding


def kind_label(kind: str) -> str:
    """A kind as people write it: ``fact_check`` → ``fact-check``."""
    return kind.replace("_", "-")


class StatementFields(TypedDict, total=False):
    """What any statement may carry besides its author and text, as keywords of
    ``add_claim``, ``add_response`` and ``add_fact_check``: its date (``YYYY[-MM[-DD]]``),
    the verbatim quote and its language, the actors it is about, its topics, its sources
    (URLs or (URL, locator) pairs), a note, and a ref (a stable key)."""

    date: str | None
    quote: str | None
    lang: str | None
    about: Sequence[str]
    topics: Sequence[str]
    sources: Sequence[SourceInput]
    note: str | None
    ref: str | None


def _new_statement(
    session: Session,
    kind: str,
    by: str,
    target: Statement | None,
    text: str | None,
    *,
    verdict: str | None = None,
    rating: str | None = None,
    **fields: Unpack[StatementFields],
) -> Statement:
    unknown = sorted(set(fields) - set(StatementFields.__annotations__))
    if unknown:
        raise TypeError(f"unexpected keyword argument {unknown[0]!r}")
    actor = resolve_actor(session, by, "by")
    when = parse_when(fields.get("date"))
    checked_ref = clean_ref(fields.get("ref"))
    if checked_ref is not None:
        check_ref_free(session, checked_ref)
    if kind == "retraction" and target is not None:
        check_retraction(session, actor, target, when)
    subjects = linked_actors(session, fields.get("about", ()), "about")
    named_topics = linked_topics(session, fields.get("topics", ()), "topics")
    cited = linked_sources(session, fields.get("sources", ()), "sources")
    statement = STATEMENT_CLASSES[kind](
        actor=actor,
        responds_to=target,
        text=text,
        quote=clean_text(fields.get("quote"), "quote"),
        lang=clean_lang(fields.get("lang")),
        verdict=verdict,
        rating=clean_text(rating, "rating"),
        note=clean_text(fields.get("note"), "note"),
        ref=checked_ref,
    )
    set_date(statement, when)
    link_about(statement, subjects)
    link_topics(statement, named_topics)
    link_sources(statement, cited)
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


def add_claim(session: Session, text: str, by: str, **fields: Unpack[StatementFields]) -> Statement:
    """Log a claim: ``by`` asserts ``text`` (``fields``: see ``StatementFields``)."""
    return _new_statement(session, "claim", by, None, required_text(text, "TEXT"), **fields)


def add_response(
    session: Session,
    kind: str,
    responds_to: int | str,
    by: str,
    text: str | None = None,
    **fields: Unpack[StatementFields],
) -> Statement:
    """Log an answer of ``kind`` (denial, dispute, endorsement, admission, retraction) to the
    statement ``responds_to``, with its own assertion ``text`` if any (``fields``: see
    ``StatementFields``). A retraction must come from the author or an affiliate. An answer
    dated before what it answers is kept as dated (``answer_dates.early_answers`` names
    it)."""
    answerable = [k for k in RESPONSE_KINDS if k != "fact_check"]
    if kind not in answerable:
        hint = "; use add_fact_check for fact-checks" if kind == "fact_check" else ""
        raise InvalidInput(f"kind: {kind!r} is not one of {', '.join(answerable)}{hint}")
    target = answerable_statement(session, responds_to)
    return _new_statement(session, kind, by, target, clean_text(text, "text"), **fields)


def add_fact_check(
    session: Session,
    responds_to: int | str,
    by: str,
    verdict: str,
    rating: str | None = None,
    text: str | None = None,
    **fields: Unpack[StatementFields],
) -> Statement:
    """Log a fact-check of ``responds_to`` with a verdict from ``vocabulary.VERDICTS`` and the
    checker's own wording as ``rating`` (``fields``: see ``StatementFields``)."""
    checked = clean_verdict(verdict)
    target = answerable_statement(session, responds_to)
    return _new_statement(
        session,
        "fact_check",
        by,
        target,
        clean_text(text, "text"),
        verdict=checked,
        rating=rating,
        **fields,
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
    statement = live_statement(session, statement_id)
    # Check and look up everything first, then change the row in one go: one audit row.
    values: dict[str, Any] = {}
    if "text" in given:
        required = statement.kind == "claim"
        values["text"] = clean_text(given["text"], "text", required=required)
    for key in ("quote", "note"):
        if key in given:
            values[key] = clean_text(given[key], key)
    if "lang" in given:
        values["lang"] = clean_lang(given["lang"])
    if "ref" in given:
        values["ref"] = clean_ref(given["ref"])
        check_ref_free(session, values["ref"], statement.id)
    if ("verdict" in given or "rating" in given) and statement.kind != "fact_check":
        field = "verdict" if "verdict" in given else "rating"
        raise InvalidInput.at(
            field,
            f"only fact-checks have a verdict; #{statement.id} is a {kind_label(statement.kind)}",
        )
    if "verdict" in given:
        values["verdict"] = clean_verdict(given["verdict"])
    new_date: PartialDate | None = None
    if "date" in given:
        raw = str(given["date"])
        new_date = None if raw.strip() == "" else parse_date(raw, "date")
        target = statement.responds_to
        if statement.kind == "retraction" and target is not None:
            # Whether the retractor spoke for the author depends on the retraction's date.
            check_retraction(session, statement.actor, target, new_date, "date")
    if "rating" in given:
        values["rating"] = clean_text(given["rating"], "rating")
    dropped = [
        *dropped_about(session, statement, given.get("remove_about", ())),
        *dropped_topics(statement, given.get("remove_topics", ())),
        *dropped_sources(statement, given.get("remove_sources", ())),
    ]
    subjects = linked_actors(session, given.get("add_about", ()), "add_about")
    named_topics = linked_topics(session, given.get("add_topics", ()), "add_topics")
    cited = linked_sources(session, given.get("add_sources", ()), "add_sources")

    with session.no_autoflush:
        for key, value in values.items():
            setattr(statement, key, value)
        if "date" in given:
            set_date(statement, new_date)
        links_before = link_keys(statement)
        for link in dropped:
            for links in (statement.subject_links, statement.topic_links, statement.source_links):
                if link in links:
                    links.remove(link)
            session.delete(link)
        link_about(statement, subjects)
        link_topics(statement, named_topics)
        link_sources(statement, cited)
        if link_keys(statement) != links_before:
            # The row itself may be unchanged; its stamp still says when it was edited.
            statement.updated_at = utcnow()
    session.flush()
    return statement


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
    statement = existing_statement(session, statement_id)
    refuse_merged(statement)
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
    statement = existing_statement(session, statement_id)
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
    statement = existing_statement(session, statement_id)
    refuse_merged(statement)
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

    chain = [statement_record(existing_statement(session, number)) for number in chain_ids]
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

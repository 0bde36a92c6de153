"""Reports as plain data: one function per report, returning dicts and lists of JSON types.

The renderers (terminal text, Markdown, HTML) only format this data, and ``--format json``
prints it as is. Keys:

Statement entry::

    id, kind, actor, actor_id, on_behalf_of: [{id, name}] (organizations the actor spoke
    for at the statement's date, nearest first), responds_to, date (text at its precision or
    null), text, quote, lang, about: [names], topics: [names],
    sources: [{url, outlet, title, published, locator}], verdict, rating, note, ref

In a claim block the claim and every thread item also carry ``withdrawn_by``: the ids of
the retractions that withdraw the statement (empty while it stands), by the rules of
``factdb.queries.positions`` (a retraction counts once said, as of ``as_of``; retracting a
retraction restores what it withdrew).

Thread item: a statement entry with ``withdrawn_by``, plus ``depth`` (1 for a direct
answer) and ``responses`` (its own answers, nested), each level in date order (unknown
dates last).

Claim block: ``{claim, status, thread, positions: [{actor, actor_id, position, via}],
summary: {supports, opposes, questions, concedes, withdrawn: [names],
verdicts: [{actor, verdict, rating, id}]}}``.

- ``claim_report``: ``{report: "claim", as_of, roll_up}`` plus a claim block.
- ``topic_report``: ``{report: "topic", topic, as_of, roll_up, summary: {claims, denials,
  disputes, endorsements, admissions, retractions, fact_checks, unanswered}, claims: [claim
  blocks in date order], alignment: [{actor_a, actor_a_id, actor_b, actor_b_id, same,
  opposite, agreement}]}``.
- ``actor_report``: ``{report: "actor", actor: {id, name, kind, country, description,
  aliases, affiliations}, direct, as_of, roll_up, counted: [names of the actors whose
  statements count], claimed: [statement entry + status], denied, disputed, endorsed,
  admitted, retracted, fact_checked: [statement entry + answers: {id, kind, actor, date,
  text}], about: [claim blocks of the claims about the actor]}``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from factdb.dates import PartialDate, format_date
from factdb.errors import InvalidInput
from factdb.queries.positions import chunks
from factdb.queries.records import cited_sources, statement_records
from factdb.queries.resolve import ActorRef, resolve_actor_ref, statement_id_of, topic_id_of
from factdb.queries.rollup import Affiliations
from factdb.queries.scope import DateText as AsOf
from factdb.queries.scope import parse_as_of
from factdb.reports import derived
from factdb.reports.labels import thread_entries
from factdb.store.tables import (
    actor_aliases,
    actors,
    affiliations,
    statement_subjects,
    statement_topics,
    statements,
    topics,
)
from factdb.vocabulary import STANCES

Data = dict[str, Any]

RESPONSE_GROUPS = {
    "denial": "denied",
    "dispute": "disputed",
    "endorsement": "endorsed",
    "admission": "admitted",
    "retraction": "retracted",
    "fact_check": "fact_checked",
}
SUMMARY_KINDS = {
    "claim": "claims",
    "denial": "denials",
    "dispute": "disputes",
    "endorsement": "endorsements",
    "admission": "admissions",
    "retraction": "retractions",
    "fact_check": "fact_checks",
}


# ----------------------------------------------------------------------------- public


def claim_report(
    session: Session, statement_id: int | str, as_of: AsOf = None, roll_up: bool = False
) -> Data:
    """The claim-rebuttal report of one statement (usually a claim; any statement works, its
    thread being the answers it drew). Under ``as_of`` the statement must have been made by
    then (``as_of: claim #1 was not made until 2020-10``; an undated one fails too)."""
    as_of = parse_as_of(as_of)  # a bad as_of fails before any query
    cutoff = _cutoff(as_of)
    root_id = statement_id_of(session, statement_id, field="ID")
    kind, date, precision = session.execute(
        select(statements.c.kind, statements.c.date, statements.c.date_precision).where(
            statements.c.id == root_id
        )
    ).one()
    if not _within(date, cutoff):
        what = f"{kind.replace('_', '-')} #{root_id}"
        if date is None:
            raise InvalidInput.naming_fields(
                f"{{}}: {what} has no known date ({{}} leaves undated statements out)",
                "as_of",
                "as_of",
            )
        raise InvalidInput.at("as_of", f"{what} was not made until {format_date(date, precision)}")
    context = _Context(session)
    [block] = _claim_blocks(session, context, [root_id], as_of, roll_up)
    return {
        "report": "claim",
        "as_of": _as_of_text(as_of),
        "roll_up": roll_up,
        **_public_block(block),
    }


def topic_report(session: Session, name: str, as_of: AsOf = None, roll_up: bool = False) -> Data:
    """Every claim of a topic with its thread, a summary of the answers, and the alignment of
    the actors. A claim belongs to the topic when it, or any answer in its thread, is tagged
    with it."""
    as_of = parse_as_of(as_of)
    cutoff = _cutoff(as_of)
    topic_id = topic_id_of(session, name, "NAME")
    topic = str(session.scalar(select(topics.c.name).where(topics.c.id == topic_id)))
    tagged = session.scalars(
        select(statements.c.id)
        .join(statement_topics, statement_topics.c.statement_id == statements.c.id)
        .where(statement_topics.c.topic_id == topic_id, statements.c.deleted_at.is_(None))
    ).all()
    context = _Context(session)
    blocks = _claim_blocks(session, context, _roots(session, tagged), as_of, roll_up)
    blocks = [b for b in blocks if _within(b["claim"]["_date"], cutoff)]
    summary = {label: 0 for label in SUMMARY_KINDS.values()}
    summary["unanswered"] = 0
    for block in blocks:
        for entry in [block["claim"], *thread_entries(block["thread"])]:
            summary[SUMMARY_KINDS[entry["kind"]]] += 1
        if block["status"] == "unanswered":
            summary["unanswered"] += 1
    aligned = derived.alignment(session, topic, as_of=as_of, roll_up=roll_up)
    return {
        "report": "topic",
        "topic": topic,
        "as_of": _as_of_text(as_of),
        "roll_up": roll_up,
        "summary": summary,
        "claims": [_public_block(b) for b in blocks],
        "alignment": aligned,
    }


def actor_report(
    session: Session,
    name: str,
    as_of: AsOf = None,
    roll_up: bool = False,
    direct: bool = False,
) -> Data:
    """What an actor (and, unless ``direct``, whoever spoke for it at the time) claimed,
    denied, endorsed and admitted, and the claims about it with how they were answered."""
    as_of = parse_as_of(as_of)
    cutoff = _cutoff(as_of)
    actor = resolve_actor_ref(session, name, "ACTOR")
    context = _Context(session)
    candidates = context.aliases_of(actor.id) | (set() if direct else context.members_of(actor.id))

    def counts(entry: Data) -> bool:
        if entry["actor_id"] in context.aliases_of(actor.id):
            return True
        return not direct and actor.id in {org["id"] for org in entry["on_behalf_of"]}

    said = session.scalars(
        select(statements.c.id).where(
            statements.c.actor_id.in_(candidates), statements.c.deleted_at.is_(None)
        )
    ).all()
    entries = [e for e in context.entries(said) if counts(e) and _within(e["_date"], cutoff)]
    entries.sort(key=_order)
    counted = sorted({e["actor"] for e in entries}, key=str.casefold)

    claim_ids = [e["id"] for e in entries if e["kind"] == "claim"]
    statuses = derived.statuses(session, claim_ids, as_of=as_of)
    claimed = [
        {**_public(e), "status": statuses.get(e["id"], "unanswered")}
        for e in entries
        if e["kind"] == "claim"
    ]
    answered_ids = [e["responds_to"] for e in entries if e["kind"] != "claim"]
    answered = {e["id"]: e for e in context.entries(answered_ids)}
    groups: dict[str, list[Data]] = {label: [] for label in RESPONSE_GROUPS.values()}
    for entry in entries:
        if entry["kind"] == "claim":
            continue
        target = answered[entry["responds_to"]]
        groups[RESPONSE_GROUPS[entry["kind"]]].append(
            {
                **_public(entry),
                "answers": {key: target[key] for key in ("id", "kind", "actor", "date", "text")},
            }
        )

    subjects = context.aliases_of(actor.id) | (set() if direct else context.members_of(actor.id))
    about_ids = session.scalars(
        select(statements.c.id)
        .join(statement_subjects, statement_subjects.c.statement_id == statements.c.id)
        .where(
            statement_subjects.c.actor_id.in_(subjects),
            statements.c.kind == "claim",
            statements.c.deleted_at.is_(None),
        )
    ).all()
    about = _claim_blocks(session, context, sorted(set(about_ids)), as_of, roll_up)
    about = [b for b in about if _within(b["claim"]["_date"], cutoff)]

    return {
        "report": "actor",
        "actor": _actor_details(session, actor),
        "direct": direct,
        "as_of": _as_of_text(as_of),
        "roll_up": roll_up,
        "counted": counted,
        "claimed": claimed,
        **groups,
        "about": [_public_block(b) for b in about],
    }


# ----------------------------------------------------------------------------- internals


def _actor_details(session: Session, actor: ActorRef) -> Data:
    """The actor's own facts, its aliases and its affiliations, in the order they were added."""
    kind, country, description = session.execute(
        select(actors.c.kind, actors.c.country, actors.c.description).where(actors.c.id == actor.id)
    ).one()
    aliases = session.scalars(
        select(actor_aliases.c.alias)
        .where(actor_aliases.c.actor_id == actor.id)
        .order_by(actor_aliases.c.id)
    ).all()
    organization = actors.alias("organization")
    memberships = session.execute(
        select(
            organization.c.name,
            affiliations.c.role,
            affiliations.c.start_date,
            affiliations.c.start_precision,
            affiliations.c.end_date,
            affiliations.c.end_precision,
        )
        .join(organization, organization.c.id == affiliations.c.organization_id)
        .where(affiliations.c.member_id == actor.id)
        .order_by(affiliations.c.id)
    ).all()
    return {
        "id": actor.id,
        "name": actor.name,
        "kind": kind,
        "country": country,
        "description": description,
        "aliases": list(aliases),
        "affiliations": [
            {
                "organization": row.name,
                "role": row.role,
                "from": format_date(row.start_date, row.start_precision),
                "to": format_date(row.end_date, row.end_precision),
            }
            for row in memberships
        ],
    }


def _cutoff(as_of: PartialDate | None) -> dt.date | None:
    """The last day ``as_of`` includes."""
    return None if as_of is None else as_of.end


def _as_of_text(as_of: PartialDate | None) -> str | None:
    return None if as_of is None else str(as_of)


def _within(date: dt.date | None, cutoff: dt.date | None) -> bool:
    return cutoff is None or (date is not None and date <= cutoff)


def _order(entry: Data) -> tuple[bool, dt.date, int]:
    date = entry["_date"]
    return (date is None, date or dt.date.min, int(entry["id"]))


def _public(entry: Data) -> Data:
    """An entry without the private ``_date`` key (recursively through ``responses``)."""
    out = {key: value for key, value in entry.items() if not key.startswith("_")}
    if "responses" in out:
        out["responses"] = [_public(child) for child in out["responses"]]
    return out


def _public_block(block: Data) -> Data:
    return {
        **block,
        "claim": _public(block["claim"]),
        "thread": [_public(node) for node in block["thread"]],
    }


def _answering(
    session: Session, column: Any, values: Sequence[int], *conditions: Any
) -> Iterator[tuple[int, int | None]]:
    """(id, the id it answers) of each statement whose ``column`` is one of ``values`` (and
    that meets ``conditions``), a query per chunk of values."""
    for part in chunks(values):
        yield from session.execute(
            select(statements.c.id, statements.c.responds_to_id).where(
                column.in_(part), *conditions
            )
        )


def _roots(session: Session, statement_ids: Sequence[int]) -> list[int]:
    """The thread roots (claims) above the given statements, one query per level."""
    roots: set[int] = set()
    seen: set[int] = set()
    level = list(statement_ids)
    while level:
        parents: list[int] = []
        for child, parent in _answering(session, statements.c.id, level):
            seen.add(child)
            if parent is None:
                roots.add(child)
            elif parent not in seen:
                parents.append(parent)
        level = parents
    return sorted(roots)


class _Context:
    """Affiliations held in memory for one report (``factdb.queries.rollup``), and statement entries
    built from the shared records loader."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.affiliations = Affiliations.load(session)
        self._names: dict[int, str] | None = None
        self._merged: dict[int, int] | None = None

    def name(self, actor_id: int) -> str:
        if self._names is None:
            rows = self.session.execute(select(actors.c.id, actors.c.name))
            self._names = {actor: actor_name for actor, actor_name in rows}
        return self._names[actor_id]

    def aliases_of(self, actor_id: int) -> set[int]:
        """The actor and every duplicate merged into it."""
        if self._merged is None:
            rows = self.session.execute(
                select(actors.c.id, actors.c.merged_into_id).where(
                    actors.c.merged_into_id.is_not(None)
                )
            )
            self._merged = {source: target for source, target in rows if target is not None}
        found = {actor_id}
        changed = True
        while changed:
            changed = False
            for source, target in self._merged.items():
                if target in found and source not in found:
                    found.add(source)
                    changed = True
        return found

    def members_of(self, organization_id: int) -> set[int]:
        """Everyone ever affiliated with the organization, directly or through others."""
        return self.affiliations.ever_members(organization_id) - {organization_id}

    def on_behalf_of(self, actor_id: int, date: dt.date | None) -> list[Data]:
        """The organizations the actor spoke for at ``date``, nearest first (the agreed
        roll-up rule, ``factdb.queries.rollup``)."""
        return [
            {"id": org, "name": self.name(org)}
            for org in self.affiliations.organizations(actor_id, date)
        ]

    def entries(self, ids: Sequence[int]) -> list[Data]:
        """Statement entries in the order of ``ids`` (each once; missing ids left out)."""
        loaded: dict[int, Data] = {}
        for part in chunks(ids):
            loaded.update(self._load(part))
        return [loaded[i] for i in dict.fromkeys(ids) if i in loaded]

    def _load(self, ids: list[int]) -> dict[int, Data]:
        """The shared statement records, with what reports add: the stored date (for order,
        ``--as-of`` and roll-up) and each source's title and publication date."""
        records = statement_records(self.session, ids)
        dates = {
            number: date
            for number, date in self.session.execute(
                select(statements.c.id, statements.c.date).where(statements.c.id.in_(ids))
            )
        }
        cited = cited_sources(self.session, ids)
        return {
            number: self.entry(record, dates[number], cited.get(number, []))
            for number, record in records.items()
        }

    def entry(self, record: Data, date: dt.date | None, cited: list[Data]) -> Data:
        return {
            "id": record["id"],
            "kind": record["kind"],
            "actor": record["actor"],
            "actor_id": record["actor_id"],
            "on_behalf_of": self.on_behalf_of(record["actor_id"], date),
            "responds_to": record["responds_to"],
            "date": record["date"],
            "text": record["text"],
            "quote": record["quote"],
            "lang": record["lang"],
            "about": record["about"],
            "topics": record["topics"],
            "sources": cited,
            "verdict": record["verdict"],
            "rating": record["rating"],
            "note": record["note"],
            "ref": record["ref"],
            "_date": date,
        }


def _children(session: Session, root_ids: Sequence[int]) -> dict[int, list[int]]:
    """The live answers below the roots, by parent id, one query per level of depth."""
    children: dict[int, list[int]] = {}
    seen = set(root_ids)
    level = list(root_ids)
    while level:
        found: list[int] = []
        live = statements.c.deleted_at.is_(None)
        for child, parent in _answering(session, statements.c.responds_to_id, level, live):
            if child in seen or parent is None:
                continue
            seen.add(child)
            children.setdefault(parent, []).append(child)
            found.append(child)
        level = found
    return children


def _claim_blocks(
    session: Session,
    context: _Context,
    root_ids: Sequence[int],
    as_of: PartialDate | None,
    roll_up: bool,
) -> list[Data]:
    """A claim block for each root, in date order; threads, positions and statuses are
    loaded for all of them at once."""
    cutoff = _cutoff(as_of)
    children = _children(session, root_ids)
    everything = [*root_ids, *(child for kids in children.values() for child in kids)]
    entries = {e["id"]: e for e in context.entries(everything)}
    positions = derived.positions_many(session, root_ids, as_of=as_of, roll_up=roll_up)
    statuses = derived.statuses(session, root_ids, as_of=as_of)
    withdrawn = derived.withdrawn_by(session, root_ids, as_of=as_of)

    def build(parent: int, depth: int, by: dict[int, list[int]]) -> list[Data]:
        nodes = [
            {
                **entries[child],
                "withdrawn_by": by.get(child, []),
                "depth": depth,
                "responses": build(child, depth + 1, by),
            }
            for child in children.get(parent, [])
            if child in entries and _within(entries[child]["_date"], cutoff)
        ]
        nodes.sort(key=_order)
        return nodes

    blocks = []
    for root in root_ids:
        if root not in entries:
            continue
        by = withdrawn.get(root, {})
        claim = {**entries[root], "withdrawn_by": by.get(root, [])}
        thread = build(root, 1, by)
        blocks.append(_claim_block(claim, thread, positions.get(root, []), statuses.get(root)))
    blocks.sort(key=lambda block: _order(block["claim"]))
    return blocks


def _claim_block(
    claim: Data, thread: list[Data], positions: list[Data], status: str | None
) -> Data:
    summary: Data = {group: [] for group in STANCES}
    summary["verdicts"] = []
    for row in positions:
        position = str(row["position"])
        if position in summary:
            summary[position].append(row["actor"])
    for node in thread_entries(thread):
        if node["kind"] == "fact_check":
            summary["verdicts"].append(
                {
                    "actor": node["actor"],
                    "verdict": node["verdict"],
                    "rating": node["rating"],
                    "id": node["id"],
                }
            )
    return {
        "claim": claim,
        "status": status or "unanswered",
        "thread": thread,
        "positions": positions,
        "summary": summary,
    }

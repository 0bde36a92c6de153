"""The worked example (factdb/data/nagorno-karabakh-2020.jsonl) loaded for the query tests:
through ``factdb.interchange`` import (``load_example``), or typed in through the logging
library, line by line (``log_example``)."""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from factdb.record.actors import add_actor
from factdb.record.sources import add_source
from factdb.record.statements import add_claim, add_fact_check, add_response
from factdb.store.models import Statement


def example_records() -> list[dict[str, Any]]:
    return [json.loads(line) for line in example_lines()[1:] if line.strip()]


def _sources(value: list[Any]) -> list[Any]:
    return [item if isinstance(item, str) else (item["url"], item.get("locator")) for item in value]


def example_lines() -> list[str]:
    path = resources.files("factdb") / "data" / "nagorno-karabakh-2020.jsonl"
    return path.read_text(encoding="utf-8").splitlines()


def load_example(session: Session) -> dict[str, int]:
    """Import the worked example file; returns statement ids by ref."""
    from factdb.interchange import import_jsonl

    import_jsonl(session, example_lines())
    return refs(session)


def log_example(session: Session) -> dict[str, int]:
    """Type the worked example in with the logging library; returns statement ids by ref."""
    records = example_records()
    for record in records:
        if record["type"] != "actor":
            continue
        affiliations = record.get("affiliations", [])
        first = affiliations[0] if affiliations else {}
        add_actor(
            session,
            record["name"],
            kind=record["kind"],
            country=record.get("country"),
            aliases=record.get("aliases", []),
            member_of=first.get("organization"),
            role=first.get("role"),
            start=first.get("from"),
            end=first.get("to"),
            wikidata=record.get("wikidata"),
            description=record.get("description"),
        )
        assert len(affiliations) <= 1
    for record in records:
        if record["type"] == "source":
            add_source(
                session,
                record["url"],
                outlet=record.get("outlet"),
                title=record.get("title"),
                published=record.get("published"),
                retrieved=record.get("retrieved"),
            )
    refs: dict[str, int] = {}
    for record in records:
        if record["type"] != "statement":
            continue
        common: dict[str, Any] = {
            "by": record["by"],
            "date": record.get("date"),
            "quote": record.get("quote"),
            "lang": record.get("lang"),
            "about": record.get("about", []),
            "topics": record.get("topics", []),
            "sources": _sources(record.get("sources", [])),
            "note": record.get("note"),
            "ref": record["ref"],
        }
        if record["kind"] == "claim":
            statement = add_claim(session, record["text"], **common)
        elif record["kind"] == "fact_check":
            statement = add_fact_check(
                session,
                refs[record["responds_to"]],
                verdict=record["verdict"],
                rating=record.get("rating"),
                text=record.get("text"),
                **common,
            )
        else:
            statement = add_response(
                session,
                record["kind"],
                refs[record["responds_to"]],
                text=record.get("text"),
                **common,
            )
        refs[record["ref"]] = statement.id
    return refs


def refs(session: Session) -> dict[str, int]:
    """Statement ids by ref in a database the example was loaded into."""
    rows = session.execute(select(Statement.ref, Statement.id).where(Statement.ref.is_not(None)))
    return {ref: number for ref, number in rows}

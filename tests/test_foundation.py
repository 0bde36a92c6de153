"""The foundation: dates, names, URLs, the database at head, and the audit hook."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from factdb.dates import PartialDate, parse_date
from factdb.errors import InvalidInput
from factdb.store.db import Database
from factdb.store.models import Actor, AuditEntry, Claim
from factdb.text import name_key, normalize_url


def test_partial_dates_keep_their_precision() -> None:
    assert parse_date("2020") == PartialDate(dt.date(2020, 1, 1), "year")
    assert str(parse_date("2020-10")) == "2020-10"
    assert parse_date("2020-02").end == dt.date(2020, 2, 29)
    assert str(parse_date(" 2020-10-11 ")) == "2020-10-11"


@pytest.mark.parametrize("bad", ["", "20", "2020-13", "2021-02-29", "2020/10/11", "yesterday"])
def test_bad_dates_are_refused_naming_the_field(bad: str) -> None:
    with pytest.raises(InvalidInput, match=r"^--on: "):
        parse_date(bad, "--on")


def test_name_keys_ignore_case_space_and_diacritics() -> None:
    assert name_key("  Aleksandar   Vučić ") == name_key("aleksandar vucic") == "aleksandar vucic"


def test_urls_are_normalized_and_only_http() -> None:
    assert normalize_url("HTTPS://Example.COM:443#frag") == "https://example.com/"
    assert normalize_url("http://example.com:8080/a?b=1") == "http://example.com:8080/a?b=1"
    for bad in ("javascript:alert(1)", "ftp://example.com/", "https://", "not a url"):
        with pytest.raises(InvalidInput):
            normalize_url(bad)


def test_every_orm_write_is_audited(database: Database) -> None:
    def work(session: object) -> int:
        from sqlalchemy.orm import Session

        assert isinstance(session, Session)
        actor = Actor(name="Pakistan", name_key="pakistan", kind="state")
        session.add(actor)
        session.flush()
        claim = Claim(actor=actor, text="first")
        session.add(claim)
        session.flush()
        claim.text = "second"
        session.flush()
        return claim.id

    claim_id = database.run(work, write=True)
    with database.session() as session:
        entries = session.scalars(select(AuditEntry).order_by(AuditEntry.id)).all()
        assert [(e.action, e.table_name, e.row_id) for e in entries] == [
            ("insert", "actors", 1),
            ("insert", "statements", claim_id),
            ("update", "statements", claim_id),
        ]
        assert '"text": "first"' in (entries[2].before or "")
        assert '"text": "second"' in (entries[2].after or "")

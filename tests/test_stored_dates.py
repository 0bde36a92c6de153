"""``format_stored_date``: a date as the driver gives it (a ``date``, or SQLite's text) back
as text at its precision, the same as ``format_date`` of the date."""

from __future__ import annotations

import datetime as dt

import pytest

from factdb.dates import format_date, format_stored_date


@pytest.mark.parametrize("day", [dt.date(2020, 9, 27), dt.date(1, 1, 1), dt.date(2021, 12, 1)])
@pytest.mark.parametrize("precision", ["year", "month", "day", None])
def test_sqlite_text_and_dates_give_format_date(day: dt.date, precision: str | None) -> None:
    expected = format_date(day, precision)
    assert format_stored_date(day.isoformat(), precision) == expected
    assert format_stored_date(day, precision) == expected


def test_an_unknown_date_has_no_text() -> None:
    assert format_stored_date(None, None) is None
    assert format_stored_date(None, "day") is None
    assert format_stored_date("2020-09-27", "month") == "2020-09"

"""Dates with a precision: a year, a month, a day, or unknown.

A partial date is stored as the first day of its period plus the precision, so it sorts
naturally and compares by the start of the period.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from typing import NamedTuple

from factdb.errors import InvalidInput
from factdb.vocabulary import Precision

_PATTERN = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$", re.ASCII)  # ASCII digits only


class PartialDate(NamedTuple):
    start: dt.date
    precision: Precision

    @property
    def end(self) -> dt.date:
        """The last day of the period."""
        return period_end(self.start, self.precision)

    def __str__(self) -> str:
        return _text(self.start, self.precision)


def period_end(start: dt.date, precision: str | None) -> dt.date:
    """The last day of the period that starts at ``start`` (``year``, ``month`` or ``day``)."""
    if precision == "year":
        return start.replace(month=12, day=31)
    if precision == "month":
        return start.replace(day=calendar.monthrange(start.year, start.month)[1])
    return start


def parse_date(text: str, field: str = "date") -> PartialDate:
    """Parse ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``; raise InvalidInput naming the field."""
    value = text.strip()
    match = _PATTERN.match(value)
    if not match:
        raise InvalidInput.at(field, f"{text!r} is not a date; use YYYY, YYYY-MM or YYYY-MM-DD")
    year, month, day = match.groups()
    try:
        if day is not None:
            return PartialDate(dt.date(int(year), int(month), int(day)), "day")
        if month is not None:
            return PartialDate(dt.date(int(year), int(month), 1), "month")
        return PartialDate(dt.date(int(year), 1, 1), "year")
    except ValueError:
        raise InvalidInput.at(field, f"{text!r} is not a real date") from None


def parse_optional_date(text: str | None, field: str = "date") -> PartialDate | None:
    if text is None or text.strip() == "":
        return None
    return parse_date(text, field)


def format_date(start: dt.date | None, precision: str | None) -> str | None:
    """The stored pair back as text at its precision, or None when unknown."""
    if start is None or precision is None:
        return None
    return _text(start, precision)


# How much of a stored date's 'YYYY-MM-DD' text each precision keeps (a day: all of it).
_TEXT_LENGTHS = {"year": 4, "month": 7}


def format_stored_date(value: dt.date | str | None, precision: str | None) -> str | None:
    """``format_date`` of a date as the database driver gives it: a ``date``, or on SQLite
    its 'YYYY-MM-DD' text, which is cut to the precision rather than parsed and written
    again (listings format thousands of dates)."""
    if isinstance(value, str):
        return None if precision is None else value[: _TEXT_LENGTHS.get(precision, len(value))]
    return format_date(value, precision)


def _text(start: dt.date, precision: str) -> str:
    """``start`` at ``precision`` (written without building a ``PartialDate``: listings
    format thousands of dates)."""
    if precision == "year":
        return f"{start.year:04d}"
    if precision == "month":
        return f"{start.year:04d}-{start.month:02d}"
    return start.isoformat()

"""What a query looks at, given once: the actors (``by``, ``of``, ``about``), the topic, the
date range (``since``/``until``), the cut-off ``as_of``, and whether actors are taken alone
(``direct``) or statements are reported for organizations (``roll_up``).

A ``Scope`` is built once (by the command line from its flags, or by Python code) with its
dates parsed, and handed to the query functions unchanged. Errors name the field at fault
(``as_of: 'soon' is not a date; …``); the command line shows its flag instead (see
``factdb.cli.common.FLAGS``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any, TypedDict

from factdb.dates import PartialDate, parse_date
from factdb.errors import InvalidInput

DateText = str | PartialDate | None


class ScopeArgs(TypedDict, total=False):
    """The keyword form of a ``Scope``, accepted by the query functions beside ``scope``."""

    by: str | None
    of: str | None
    about: str | None
    topic: str | None
    since: DateText
    until: DateText
    as_of: DateText
    direct: bool
    roll_up: bool


def _date(value: DateText, field: str) -> PartialDate | None:
    if value is None or isinstance(value, PartialDate):
        return value
    if value.strip() == "":
        return None
    return parse_date(value, field)


def parse_as_of(value: DateText) -> PartialDate | None:
    """``as_of`` as a date (``YYYY[-MM[-DD]]``; a PartialDate is taken as it is)."""
    if value is None or isinstance(value, PartialDate):
        return value
    return parse_date(value, "as_of")


# A plain class rather than a dataclass: see ``factdb.queries.filters`` (import and build cost).
class Scope:
    """The filters of a query (see the module doc). Immutable once built."""

    __slots__ = ("about", "as_of", "by", "direct", "of", "roll_up", "since", "topic", "until")
    by: str | None
    of: str | None
    about: str | None
    topic: str | None
    since: PartialDate | None
    until: PartialDate | None
    as_of: PartialDate | None
    direct: bool
    roll_up: bool

    def __init__(
        self,
        *,
        by: str | None = None,
        of: str | None = None,
        about: str | None = None,
        topic: str | None = None,
        since: DateText = None,
        until: DateText = None,
        as_of: DateText = None,
        direct: bool = False,
        roll_up: bool = False,
    ) -> None:
        start, end = _date(since, "since"), _date(until, "until")
        if start is not None and end is not None and end.end < start.start:
            raise InvalidInput.naming_fields(
                f"{{}}: {end} is before {{}} {start}", "until", "since"
            )
        values = {
            "by": by,
            "of": of,
            "about": about,
            "topic": topic,
            "since": start,
            "until": end,
            "as_of": parse_as_of(as_of),
            "direct": direct,
            "roll_up": roll_up,
        }
        for name, value in values.items():
            object.__setattr__(self, name, value)

    @classmethod
    def of_args(cls, scope: Scope | None, args: ScopeArgs) -> Scope:
        """``scope``, or one built from ``args`` (not both: a scope is given whole)."""
        if scope is None:
            return cls(**args)
        if any(value not in (None, False) for value in args.values()):
            raise InvalidInput(f"scope: give a Scope or {', '.join(args)}, not both")
        return scope

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"a Scope cannot be changed ({name})")

    def __repr__(self) -> str:
        given = (f"{name}={getattr(self, name)!r}" for name in self.__slots__ if self._set(name))
        return f"Scope({', '.join(given)})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Scope) and all(
            getattr(self, name) == getattr(other, name) for name in self.__slots__
        )

    def __hash__(self) -> int:
        return hash(tuple(getattr(self, name) for name in self.__slots__))

    def _set(self, name: str) -> bool:
        return getattr(self, name) not in (None, False)

    @property
    def first_day(self) -> dt.date | None:
        """The first day ``since`` lets in."""
        return None if self.since is None else self.since.start

    @property
    def last_day(self) -> dt.date | None:
        """The last day ``until`` lets in."""
        return None if self.until is None else self.until.end

    @property
    def cutoff(self) -> dt.date | None:
        """The last day ``as_of`` lets in (``2020-10`` → 2020-10-31)."""
        return None if self.as_of is None else self.as_of.end

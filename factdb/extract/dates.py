"""Dates an article gives, read against the day it was published: weekdays ("on Sunday",
"last Saturday"), "yesterday", "a day earlier", "later in the day", and written dates
("October 10", "10 October 2020"). Nothing is ever dated after publication."""

from __future__ import annotations

import datetime as dt
import re
from typing import NamedTuple

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
MONTHS = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
]
_MONTH = (
    r"(january|february|march|april|may|june|july|august|september|october|november|"
    r"december|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec)\.?"
)
_NUMBERS = {"a": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7}

_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (name, re.compile(pattern, re.IGNORECASE))
    for name, pattern in (
        ("written", rf"\b(?:on\s+)?{_MONTH}\s+(\d{{1,2}})(?:st|nd|rd|th)?(?:,?\s+(\d{{4}}))?\b"),
        ("written_dm", rf"\b(?:on\s+)?(\d{{1,2}})(?:st|nd|rd|th)?\s+{_MONTH}(?:\s+(\d{{4}}))?\b"),
        ("iso", r"\b(\d{4})-(\d{2})-(\d{2})\b"),
        ("last_weekday", r"\blast\s+(monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b"),
        (
            "weekday",
            r"\b(?:on\s+|this\s+|earlier\s+on\s+)?(monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b",
        ),
        ("yesterday", r"\byesterday\b"),
        ("today", r"\b(?:today|this morning|tonight|earlier today)\b"),
        ("days_earlier", r"\b(a|one|two|three|four|five|six|seven)\s+days?\s+(?:earlier|before)\b"),
        ("day_before", r"\b(?:the\s+)?(?:day|night)\s+before\b"),
        (
            "day_after",
            r"\b(?:a\s+day\s+(?:later|after)|the\s+(?:next|following)\s+day|"
            r"the\s+day\s+after)\b",
        ),
        ("same_day", r"\b(?:later|earlier)\s+(?:in|on)\s+the\s+day\b|\bthe same day\b"),
    )
)


class DateMention(NamedTuple):
    """A date expression in a sentence: where it is and what it says, relative to the
    reference day (``offset`` days back), or absolutely (``day``)."""

    start: int
    end: int
    rule: str
    day: dt.date | None


def month_of(day: dt.date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def _month_number(name: str) -> int:
    key = name.lower().rstrip(".")[:3]
    return [month[:3] for month in MONTHS].index(key) + 1


def find_dates(
    sentence: str, published: dt.date | None, reference: dt.date | None
) -> list[DateMention]:
    """The date expressions of the sentence, in order, each with the day it means.

    Weekdays and "yesterday" count back from publication: "on Saturday" is the latest
    Saturday on or before the day of publication, "last Saturday" the one a week before it.
    "A day earlier", "the day before" and "later in the day" count from ``reference`` (the
    day the article last spoke of). A written date without a year takes the publication's
    year, or the year before when that would fall after publication."""
    found: list[DateMention] = []
    taken: list[tuple[int, int]] = []
    for rule, pattern in _PATTERNS:
        for match in pattern.finditer(sentence):
            if any(a < match.end() and match.start() < b for a, b in taken):
                continue
            day = _resolve(rule, match, published, reference)
            if day is False:
                continue
            taken.append((match.start(), match.end()))
            found.append(
                DateMention(match.start(), match.end(), rule, day if day is not True else None)
            )
    return sorted(found)


def _resolve(
    rule: str, match: re.Match[str], published: dt.date | None, reference: dt.date | None
) -> dt.date | bool | None:
    """The day of a match (None when it cannot be known), or False when the match is not a
    date after all ("May" the verb, "March" the noun)."""
    groups = match.groups()
    if rule in ("written", "written_dm"):
        month_name, day_text, year_text = (
            (groups[0], groups[1], groups[2])
            if rule == "written"
            else (groups[1], groups[0], groups[2])
        )
        if month_name.lower().rstrip(".") in ("may", "march") and not day_text:
            return False
        try:
            if year_text:
                return dt.date(int(year_text), _month_number(month_name), int(day_text))
            if published is None:
                return None
            day = dt.date(published.year, _month_number(month_name), int(day_text))
        except ValueError:
            return False
        return day if day <= published else day.replace(year=day.year - 1)
    if rule == "iso":
        try:
            return dt.date(int(groups[0]), int(groups[1]), int(groups[2]))
        except ValueError:
            return False
    if rule in ("weekday", "last_weekday"):
        if published is None:
            return None
        back = (published.weekday() - WEEKDAYS.index(groups[0].lower())) % 7
        if rule == "last_weekday":
            back += 7
        return published - dt.timedelta(days=back)
    if rule == "yesterday":
        return None if published is None else published - dt.timedelta(days=1)
    if rule == "today":
        return published
    base = reference or published
    if base is None:
        return None
    if rule == "days_earlier":
        return base - dt.timedelta(days=_NUMBERS[groups[0].lower()])
    if rule == "day_before":
        return base - dt.timedelta(days=1)
    if rule == "day_after":
        return base + dt.timedelta(days=1)
    return base  # same_day


def article_date(text: str) -> dt.date | None:
    """A publication date written in the article's first lines (a dateline or byline), if
    any: the first full written date."""
    head = text[:400]
    for mention in find_dates(head, None, None):
        if mention.day is not None and mention.rule in ("written", "written_dm", "iso"):
            return mention.day
    return None

"""The domain rules and validators, each written once with its one message.

Every entry path calls these: the commands, ``factdb import`` and ``claim edit``. A check
raises ``InvalidInput`` as ``{field}: {sentence}`` (``InvalidInput.at``); the caller names
the field (``lang``: the command line shows it as ``--lang``, an import adds ``line N:``),
and the sentence after it is the same on every path. Rules that need more
than a value (who an actor belonged to at a date) take plain values or a function that
gives them, so this module reads no database.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Sequence
from typing import TypeVar

from factdb.dates import PartialDate
from factdb.errors import InvalidInput
from factdb.vocabulary import ACTOR_KINDS

# ----------------------------------------------------------------------------- validators

_LANG = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$")
_MAX_LANG = 35
_WIKIDATA = re.compile(r"^Q[1-9][0-9]*$")


def check_lang(value: str | None, field: str) -> str | None:
    """A BCP 47-like language tag (``en``, ``hy``, ``pt-BR``), given as cleaned text."""
    if value is None:
        return None
    if len(value) > _MAX_LANG or not _LANG.match(value):
        raise InvalidInput.at(field, f"{value!r} is not a language tag (use e.g. en, ur, hy, az)")
    return value


def check_country(code: str | None, field: str) -> str | None:
    """An ISO 3166-1 alpha-2 code, upper-cased; empty means none."""
    if code is None or not code.strip():
        return None
    # Here, not at the top: the roll-up imports this module for every query command.
    from factdb.countries import COUNTRIES

    value = code.strip().upper()
    if value not in COUNTRIES:
        raise InvalidInput.at(field, f"{code!r} is not an ISO 3166-1 alpha-2 country code")
    return value


def check_wikidata(qid: str | None, field: str) -> str | None:
    """A Wikidata item id such as ``Q843``; empty means none."""
    if qid is None or not qid.strip():
        return None
    value = qid.strip().upper()
    if not _WIKIDATA.match(value):
        raise InvalidInput.at(field, f"{qid!r} is not a Wikidata item id (like Q843)")
    return value


def check_kind(kind: str, field: str = "kind") -> str:
    """An actor kind, lower-cased."""
    value = kind.strip().lower()
    if value not in ACTOR_KINDS:
        kinds = ", ".join(ACTOR_KINDS)
        raise InvalidInput.at(field, f"{kind!r} is not an actor kind; use one of {kinds}")
    return value


def check_ref(cleaned: str | None, given: str, field: str) -> str:
    """A statement's ref, a key without whitespace (``nk2020-claim-1``): ``cleaned`` is the
    text ``given`` once cleaned (None when nothing was left)."""
    if cleaned is None:
        raise InvalidInput.at(field, "must not be empty")
    if any(ch.isspace() for ch in cleaned):
        raise InvalidInput.at(
            field, f"{given!r} contains whitespace; use a key like nk2020-claim-1"
        )
    return cleaned


def check_period(
    start: PartialDate | None, end: PartialDate | None, from_field: str, to_field: str
) -> None:
    """An affiliation's period: it cannot end before it starts, and its end cannot be less
    precise than its start (stored dates are the first day of their period, and must stay
    in order)."""
    if start is None or end is None:
        return
    if start.start > end.end:
        raise InvalidInput.naming_fields(f"{{}}: {start} is after {{}} {end}", from_field, to_field)
    if start.start > end.start:
        raise InvalidInput.naming_fields(
            f"{{}}: {end} is less precise than {{}} {start}; give the end as a full date",
            to_field,
            from_field,
        )


def check_retrieved(
    retrieved: PartialDate | None, published: PartialDate | None, field: str
) -> None:
    """A source's retrieval date: a full day, not before its publication date."""
    if retrieved is None:
        return
    if retrieved.precision != "day":
        raise InvalidInput.at(field, f"{retrieved} is not a day; use YYYY-MM-DD")
    if published is not None and retrieved.start < published.start:
        raise InvalidInput.at(field, f"{retrieved} is before the publication date {published}")


# ----------------------------------------------------------------------------- affiliations

# A day: a date, or (in the import's arrays) a date's ordinal.
Day = TypeVar("Day", dt.date, int)
# An actor as a rule sees it: a database id, or an import file's key for a new actor.
Node = TypeVar("Node", bound=int | str)


def affiliation_counts(start: Day | None, last_day: Day | None, when: Day | None) -> bool:
    """Whether a member's affiliation counts for its organization on a statement dated
    ``when`` (the first day of the statement's period; None when unknown). The agreed rule:
    it had started (``start <= when``) and had not ended (no end, or ``when`` on or before
    the last day of the end's period, ``last_day``); an undated statement counts only
    affiliations that have no end."""
    if when is None:
        return last_day is None
    if start is not None and start > when:
        return False
    return last_day is None or when <= last_day


def organizations_at(
    member: Node,
    when: Day | None,
    links: Callable[[Node], Iterable[tuple[Node, Day | None, Day | None]]],
) -> set[Node]:
    """Every organization ``member`` belonged to at ``when``, directly or through others (a
    spokesman → a ministry → a state). ``links(actor)`` gives the actor's affiliations as
    (organization, start, last day)."""
    found: set[Node] = set()
    frontier = [member]
    while frontier:
        current = frontier.pop()
        for organization, start, last_day in links(current):
            if (
                organization not in found
                and organization != member
                and affiliation_counts(start, last_day, when)
            ):
                found.add(organization)
                frontier.append(organization)
    return found


def member_of_itself(name: str) -> str:
    """The sentence refusing an actor as its own organization."""
    return f"{name} cannot be a member of itself"


def affiliation_circle(names: Sequence[str]) -> str:
    """The sentence refusing affiliations that go round: ``names`` from an actor back to
    itself (A → B → A)."""
    return f"affiliations cannot go in a circle ({' → '.join(names)})"


def path_up(start: Node, goal: Node, organizations: Callable[[Node], Iterable[Node]]) -> list[Node]:
    """The chain of organizations (at any date) from ``start`` up to ``goal``, both
    included; empty when ``goal`` is not above ``start``. Making ``goal`` a member of
    ``start`` would close that chain into a circle."""
    parents: dict[Node, Node | None] = {start: None}
    frontier = [start]
    while frontier:
        current = frontier.pop()
        if current == goal:
            path = [current]
            while (parent := parents[path[-1]]) is not None:
                path.append(parent)
            return path[::-1]
        for organization in organizations(current):
            if organization not in parents:
                parents[organization] = current
                frontier.append(organization)
    return []


# ----------------------------------------------------------------------------- retraction


def may_retract(
    retractor: Node,
    author: Node,
    retractor_organizations: Callable[[], Iterable[Node]],
    author_organizations: Callable[[], Iterable[Node]],
) -> bool:
    """Whether ``retractor`` can withdraw a statement by ``author``: it is the author, it
    spoke for the author at the retraction's date (a spokesman for the ministry), or the
    author spoke for it when the statement was made (a ministry for the state). The
    organizations are asked for only when needed."""
    if retractor == author:
        return True
    return author in retractor_organizations() or retractor in author_organizations()


def retraction_refused(target: str, retractor: str) -> str:
    """The sentence refusing a retraction: ``target`` names the statement and its author
    (``#1 (Pakistan)``), ``retractor`` the actor who tried."""
    return (
        f"only the author of {target} or an actor affiliated with it can retract it; "
        f"{retractor} is neither"
    )


# ----------------------------------------------------------------------------- answer dates


def days_before(answer_last_day: int, answered_first_day: int) -> bool:
    """The rule, on days as ordinals (0 when undated): the answer's period ends before the
    answered statement's period begins. A month and a day inside it are not before one
    another, and an undated statement is before nothing and nothing is before it."""
    return 0 < answer_last_day < answered_first_day


def dated_before(answer: PartialDate | None, answered: PartialDate | None) -> bool:
    """``days_before`` on two partial dates (None when unknown)."""
    if answer is None or answered is None:
        return False
    return days_before(answer.end.toordinal(), answered.start.toordinal())


def early_answer(answer_id: int, answer_date: str, answered_id: int, answered_date: str) -> str:
    """The one wording: ``#126 (2020-06-16) is dated before #125 (2020-06-17), which it
    answers``."""
    return (
        f"#{answer_id} ({answer_date}) is dated before #{answered_id} ({answered_date}), "
        "which it answers"
    )

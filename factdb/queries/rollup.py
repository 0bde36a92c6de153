"""Roll-up: whose statements count for an actor, and for whom a statement speaks.

A statement by a member counts for its organizations at the statement's date, up the chain
(a spokesman → a ministry → a state), by the date rule of ``factdb.rules.affiliation_counts``.

The affiliations table is small, so it is read once per query (``Affiliations.load``) and the
chain is followed in Python. Queries then filter statements with ``actor_id IN candidates``
(every actor that was ever a member, so an index is used) and keep the rows whose date makes
them count (``counts_for``).

An actor's chain only changes on the dates where one of the affiliations above it starts or
ends, so it is worked out once per actor and span between those dates (``Spans``), and a
statement's chain is then one binary search away, however many statements a query reads.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_right
from collections.abc import Callable, Iterable, Iterator

from sqlalchemy.orm import Session

from factdb.dates import period_end
from factdb.rules import affiliation_counts

# One affiliation: (member_id, organization_id, start, end), its end the last day of its period.
Link = tuple[int, int, dt.date | None, dt.date | None]


def active(link: Link, when: dt.date | None) -> bool:
    """Whether an affiliation counts for a statement dated ``when`` (None: unknown)."""
    return affiliation_counts(link[2], link[3], when)


# Plain classes rather than dataclasses: each dataclass costs every command run ~1 ms to build.
class Spans:
    """One actor's chains by date: ``chains[i]`` holds for the dates from ``starts[i - 1]``
    (from the beginning of time when ``i == 0``) up to the day before ``starts[i]``;
    ``undated`` holds for a statement with an unknown date."""

    __slots__ = ("chains", "starts", "undated")

    def __init__(
        self,
        starts: tuple[dt.date, ...],
        chains: tuple[tuple[int, ...], ...],
        undated: tuple[int, ...],
    ) -> None:
        self.starts = starts
        self.chains = chains
        self.undated = undated

    def at(self, when: dt.date | None) -> tuple[int, ...]:
        """The organizations the actor belonged to at ``when``, nearest first."""
        if when is None:
            return self.undated
        return self.chains[bisect_right(self.starts, when)]


class Affiliations:
    """Every affiliation, indexed both ways, for following chains in memory."""

    __slots__ = ("_spans", "by_member", "by_organization")

    def __init__(self) -> None:
        self.by_member: dict[int, list[Link]] = {}
        self.by_organization: dict[int, list[Link]] = {}
        self._spans: dict[int, Spans] = {}

    @classmethod
    def load(cls, session: Session) -> Affiliations:
        """Read the whole affiliations table (one query; it is small)."""
        loaded = cls()
        by_member, by_organization = loaded.by_member, loaded.by_organization
        # Plain SQL, no result types: SQLite hands back ISO text, PostgreSQL dates.
        rows = session.connection().exec_driver_sql(
            "SELECT member_id, organization_id, start_date, end_date, end_precision "
            "FROM affiliations ORDER BY id"
        )
        for member_id, organization_id, start, end, end_precision in rows.fetchall():
            if isinstance(start, str):
                start = dt.date.fromisoformat(start)
            if isinstance(end, str):
                end = dt.date.fromisoformat(end)
            link = (
                member_id,
                organization_id,
                start,
                None if end is None else period_end(end, end_precision),
            )
            by_member.setdefault(member_id, []).append(link)
            by_organization.setdefault(organization_id, []).append(link)
        return loaded

    def organizations(self, actor_id: int, when: dt.date | None) -> list[int]:
        """The organizations ``actor_id`` belonged to at ``when``, nearest first, up the
        chain (e.g. ``[ministry, state]``); never the actor itself."""
        return list(self.spans(actor_id).at(when))

    def spans(self, actor_id: int) -> Spans:
        """``actor_id``'s chains by date (worked out once per actor and kept)."""
        known = self._spans.get(actor_id)
        if known is None:
            known = self._spans[actor_id] = self._work_out_spans(actor_id)
        return known

    def _work_out_spans(self, actor_id: int) -> Spans:
        # Whether a link is active changes only on its start and on the day after its end.
        edges: set[dt.date] = set()
        for _member, _organization, start, end in self._links_above(actor_id):
            if start is not None:
                edges.add(start)
            if end is not None and end < dt.date.max:
                edges.add(end + dt.timedelta(days=1))
        starts = tuple(sorted(edges))
        chains = tuple(self._chain(actor_id, when) for when in (dt.date.min, *starts))
        return Spans(starts, chains, self._chain(actor_id, None))

    def _links_above(self, actor_id: int) -> list[Link]:
        """Every affiliation reachable upward from ``actor_id``, whatever its dates."""
        return [link for link, _new in self._up(actor_id, lambda link: True)]

    def _chain(self, actor_id: int, when: dt.date | None) -> tuple[int, ...]:
        found = self._up(actor_id, lambda link: active(link, when))
        return tuple(link[1] for link, new in found if new)

    def _up(self, actor_id: int, follows: Callable[[Link], bool]) -> Iterator[tuple[Link, bool]]:
        """Up from ``actor_id``, nearest first, through the affiliations ``follows`` takes:
        each affiliation met, and whether it reaches an organization first."""
        seen = {actor_id}
        frontier = [actor_id]
        while frontier:
            following: list[int] = []
            for member in frontier:
                for link in self.by_member.get(member, ()):
                    new = link[1] not in seen and follows(link)
                    if new:
                        seen.add(link[1])
                        following.append(link[1])
                    yield link, new
            frontier = following

    def top_organizations(self, actor_id: int, when: dt.date | None) -> list[int]:
        """The outermost organizations ``actor_id`` spoke for at ``when`` (those that were
        not themselves members of another at that date); ``[actor_id]`` when it had none."""
        chain = self.organizations(actor_id, when)
        if not chain:
            return [actor_id]
        return [
            org
            for org in chain
            if not any(active(link, when) for link in self.by_member.get(org, ()))
        ] or [chain[-1]]

    def ever_members(self, actor_id: int) -> set[int]:
        """``actor_id`` and every actor that was ever its member, directly or through others,
        at any date: the candidates whose statements may count for it."""
        found = {actor_id}
        frontier = [actor_id]
        while frontier:
            following: list[int] = []
            for organization in frontier:
                for link in self.by_organization.get(organization, ()):
                    if link[0] not in found:
                        found.add(link[0])
                        following.append(link[0])
            frontier = following
        return found

    def counts_for(self, actor_id: int, organization_id: int, when: dt.date | None) -> bool:
        """Whether a statement by ``actor_id`` dated ``when`` counts for ``organization_id``."""
        return actor_id == organization_id or organization_id in self.spans(actor_id).at(when)

    def counts_for_any(
        self, actor_ids: Iterable[int], organization_id: int, when: dt.date | None
    ) -> bool:
        return any(self.counts_for(actor, organization_id, when) for actor in actor_ids)

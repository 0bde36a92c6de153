"""ClaimReview import: published fact-checks become factdb records, written by the JSON
Lines import so that its guarantees hold (everything checked first, one transaction, dry
run, counts, audit rows).

Each review becomes a ``fact_check`` by its publisher, answering a ``claim`` by the claim's
author. What the record already holds is not written again: actors are found by Wikidata id,
name or alias; a claim by its ref, by a statement of the same author citing one of the
claim's appearances, by the same author and text, or by claim matching (same author, a
score from ``factdb.matching.CERTAIN_THRESHOLD``); a fact-check by its ref, or by a
fact-check of that claim by the same checker citing the review's URL. Refs are derived from
the review (``cr-`` and a hash of the claim's author and text; of the review's URL and its
claim), so importing the same file again finds everything and changes nothing.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from factdb.errors import InvalidInput
from factdb.interchange.claimreview_fields import Party, Review
from factdb.interchange.claimreview_match import (
    Wanted,
    chunks,
    claims_in_record,
    fact_checks_in_record,
    ids_of_refs,
    known_urls,
)
from factdb.interchange.claimreview_read import read_reviews
from factdb.interchange.format import FORMAT_VERSION, HEADER_KEY, name_key
from factdb.interchange.jsonl import MAX_PROBLEMS, ImportResult, Progress, import_jsonl
from factdb.rules import check_kind
from factdb.store.models import Actor, ActorAlias

REF_PREFIX = "cr-"
UNMAPPED_SHOWN = 5  # items named in the warnings
PROBLEMS_SHOWN = 5
_LINE = re.compile(r"^line ([0-9]+): ")
_WARNED_LINES = re.compile(r"\blines? ([0-9]+(?:, [0-9]+)*)")
_INNER_LINE = re.compile(r"(?<=\()line ([0-9]+)(?=\))|(?<=on )line ([0-9]+)")


@dataclass
class ClaimReviewImport:
    """What a ClaimReview import did (or would do): the counts per record type, the number
    of fact-checks read, and the ones whose rating no verdict was found for (label and
    wording; imported as ``unproven``)."""

    result: ImportResult
    reviews: int
    unmapped: list[tuple[str, str | None]] = field(default_factory=list)


def import_claimreview(
    session: Session,
    data: bytes | str,
    *,
    dry_run: bool = False,
    progress: Progress | None = None,
    kind_for_new: str = "other",
    skip_unreadable: bool = False,
) -> ClaimReviewImport:
    """Import the fact-checks in ``data`` (any shape ``claimreview_read`` knows) into the
    session's transaction. New claim authors get ``kind_for_new`` (a ``Person`` gets
    ``person``); new publishers ``organization``. Raises ``InvalidInput`` with one line per
    problem (``item N: field: problem``, or ``line N`` in JSON Lines); nothing is written
    then. With ``skip_unreadable``, reviews that cannot be read (a field missing or not
    valid) are left out and named in a warning instead; the file as a whole and what the
    record refuses still fail it. ``progress`` gets increments of work done, two per line
    of ``data`` in all."""
    session.connection()
    check_kind(kind_for_new, "kind_for_new")
    found = read_reviews(data)
    problems = [f"{item.label}: {item.problem}" for item in found if item.problem is not None]
    if problems and not skip_unreadable:
        raise InvalidInput(_listing(problems))
    reviews = [(item.label, item.review) for item in found if item.review is not None]
    if not reviews:
        raise InvalidInput(f"no fact-check could be read; the first problem: {problems[0]}")
    total = (data.count(b"\n") if isinstance(data, bytes) else data.count("\n")) + 1
    plan = _Plan(session, kind_for_new)
    plan.add(reviews)
    lines = plan.lines()
    if progress is not None:
        progress(total)
    try:
        result = import_jsonl(
            session, lines, dry_run=dry_run, progress=_scaled(progress, total, len(lines))
        )
    except InvalidInput as exc:
        raise InvalidInput(plan.relabel(str(exc))) from None
    plan.count(result)
    result.lines = total - (data[-1:] in ("\n", b"\n"))  # a last line ends the file
    result.warnings = [plan.relabel_lines(warning) for warning in result.warnings]
    if problems:
        left_out = "; ".join(problems[:PROBLEMS_SHOWN])
        more = (
            f"; … {len(problems) - PROBLEMS_SHOWN} more" if len(problems) > PROBLEMS_SHOWN else ""
        )
        result.warnings.append(
            f"{len(problems)} of {len(found)} items could not be read and were left out: "
            f"{left_out}{more}"
        )
    unmapped = [(label, review.rating) for label, review in reviews if not review.mapped]
    if unmapped:
        result.warnings.append(_unmapped_warning(unmapped, len(reviews)))
    return ClaimReviewImport(result, len(reviews), unmapped)


def _unmapped_warning(unmapped: list[tuple[str, str | None]], reviews: int) -> str:
    shown = ", ".join(
        f"{label} ({'no rating' if rating is None else repr(rating)})"
        for label, rating in unmapped[:UNMAPPED_SHOWN]
    )
    more = ", …" if len(unmapped) > UNMAPPED_SHOWN else ""
    return (
        f"{len(unmapped)} of {reviews} ratings have no verdict in the wording table and were "
        f"imported as unproven, their wording kept: {shown}{more}"
    )


def _listing(problems: list[str]) -> str:
    shown = problems[:MAX_PROBLEMS]
    hidden = len(problems) - len(shown)
    if hidden:
        shown.append(f"... {hidden} more problem{'s' if hidden != 1 else ''} not shown")
    return "\n".join(shown)


def _scaled(progress: Progress | None, total: int, lines: int) -> Progress | None:
    """The JSON Lines import's progress (two per line it reads) as the second half of this
    import's (one per line of the input)."""
    if progress is None:
        return None
    steps = max(2 * lines, 1)
    done = [0, 0]  # the import's steps, ours reported

    def advance(count: int) -> None:
        done[0] += count
        reached = min(total, done[0] * total // steps)
        if reached > done[1]:
            progress(reached - done[1])
            done[1] = reached

    return advance


def derived_ref(*parts: str) -> str:
    digest = hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()
    return REF_PREFIX + digest[:20]


@dataclass
class _Claim:
    """A claim reviewed in the file: new (written once, at its first review) or already in
    the record (``existing`` is its id)."""

    ref: str
    by: str
    review: Review
    label: str
    sources: list[str]
    date: str | None
    existing: int | None = None


@dataclass
class _Check:
    ref: str
    by: str
    claim: _Claim
    review: Review
    label: str
    existing: int | None = None


class _Plan:
    """The factdb JSON Lines records the reviews become, and what each stands for."""

    def __init__(self, session: Session, kind_for_new: str) -> None:
        self.session = session
        self.kind_for_new = kind_for_new
        self.new_actors: dict[str, dict[str, Any]] = {}  # by name key
        self.actor_labels: dict[str, str] = {}
        self.db_actors: dict[str, int | None] = {}  # name key -> id (None: ambiguous)
        self.by_wikidata: dict[str, str] = {}  # Q-id -> name to write
        self.claims: dict[str, _Claim] = {}
        self.checks: dict[str, _Check] = {}
        self.known_urls: set[str] = set()
        self.mentioned_urls: set[str] = set()
        self.labels: list[str] = []

    # ------------------------------------------------------------------------- planning

    def add(self, reviews: list[tuple[str, Review]]) -> None:
        self._load_actors([r for _, r in reviews])
        for label, review in reviews:
            claim_by = self._name(review.claimant, label, self.kind_for_new)
            ref = derived_ref(name_key(review.claimant.name), name_key(review.claim_text))
            claim = self.claims.get(ref)
            if claim is None:
                claim = self.claims[ref] = _Claim(ref, claim_by, review, label, [], None)
            claim.date = claim.date or review.claim_date
            for address in review.appearances:
                if address not in claim.sources:
                    claim.sources.append(address)
            check_ref = derived_ref(review.url, ref)
            if check_ref not in self.checks:
                checker = self._name(review.checker, label, "organization")
                self.checks[check_ref] = _Check(check_ref, checker, claim, review, label)
            self.mentioned_urls.update([*review.appearances, review.url])
        self.known_urls = known_urls(self.session, self.mentioned_urls)
        self._find_claims()
        self._find_checks()

    def _load_actors(self, reviews: list[Review]) -> None:
        parties = [party for review in reviews for party in (review.claimant, review.checker)]
        keys = sorted({name_key(party.name) for party in parties})
        found: dict[str, set[int]] = {}
        for chunk in chunks(keys):
            for key, actor_id in self.session.execute(
                select(Actor.name_key, Actor.id).where(Actor.name_key.in_(chunk))
            ):
                found.setdefault(key, set()).add(actor_id)
            aliases = select(ActorAlias.alias_key, ActorAlias.actor_id).where(
                ActorAlias.alias_key.in_(chunk)
            )
            for key, actor_id in self.session.execute(aliases):
                if key not in found or len(found[key]) != 1:
                    found.setdefault(key, set()).add(actor_id)
        for key, ids in found.items():
            live = {self._live(actor_id) for actor_id in ids}
            self.db_actors[key] = live.pop() if len(live) == 1 else None
        qids = sorted({party.wikidata for party in parties if party.wikidata})
        for chunk in chunks(qids):
            rows = self.session.execute(
                select(Actor.wikidata, Actor.name, Actor.id)
                .where(Actor.wikidata.in_(chunk), Actor.merged_into_id.is_(None))
                .order_by(Actor.id)
            )
            for qid, name, actor_id in rows:
                if qid is not None and qid not in self.by_wikidata:
                    self.by_wikidata[qid] = name
                    self.db_actors.setdefault(name_key(name), actor_id)

    def _live(self, actor_id: int) -> int:
        seen = {actor_id}
        while (after := self.session.get(Actor, actor_id)) and after.merged_into_id:
            actor_id = after.merged_into_id
            if actor_id in seen:
                break
            seen.add(actor_id)
        return actor_id

    def _name(self, party: Party, label: str, kind: str) -> str:
        """The name to write for ``party``: a known actor's, else a new actor's (declared
        once, by the first item that names it)."""
        if party.wikidata and party.wikidata in self.by_wikidata:
            return self.by_wikidata[party.wikidata]
        key = name_key(party.name)
        if key in self.db_actors or key in self.new_actors:
            return party.name
        record: dict[str, Any] = {
            "type": "actor",
            "name": party.name,
            "kind": "person" if party.person else kind,
        }
        if party.wikidata:
            record["wikidata"] = party.wikidata
            self.by_wikidata[party.wikidata] = party.name
        self.new_actors[key] = record
        self.actor_labels[key] = label
        return party.name

    def _actor_id(self, name: str) -> int | None:
        return self.db_actors.get(name_key(name))

    def _find_claims(self) -> None:
        """Claims already in the record: by ref, else (by an actor in the record) as
        ``claimreview_match`` finds them."""
        existing = ids_of_refs(self.session, self.claims)
        looked_for: list[_Claim] = []
        wanted: list[Wanted] = []
        for claim in self.claims.values():
            claim.existing = existing.get(claim.ref)
            author = self._actor_id(claim.by)
            if claim.existing is None and author is not None:
                looked_for.append(claim)
                wanted.append(Wanted(author, claim.review.claim_text, claim.sources))
        found = claims_in_record(self.session, wanted, self.known_urls)
        for claim, match in zip(looked_for, found, strict=True):
            claim.existing = match

    def _find_checks(self) -> None:
        """Fact-checks already in the record: by ref, or answering the same claim by the
        same checker and citing the review's URL."""
        existing = ids_of_refs(self.session, self.checks)
        looked_for: list[_Check] = []
        wanted: list[tuple[int, int, str]] = []
        for check in self.checks.values():
            check.existing = existing.get(check.ref)
            author = self._actor_id(check.by)
            if check.existing is None and check.claim.existing is not None and author:
                looked_for.append(check)
                wanted.append((check.claim.existing, author, check.review.url))
        found = fact_checks_in_record(self.session, wanted, self.known_urls)
        for check, match in zip(looked_for, found, strict=True):
            check.existing = match

    # ------------------------------------------------------------------------- records

    def lines(self) -> list[str]:
        """The JSON Lines file: header, new actors, the review pages as sources, then each
        new claim (before its first review) and each new fact-check."""
        records: list[tuple[dict[str, Any], str]] = []
        for key, actor in self.new_actors.items():
            records.append((actor, self.actor_labels[key]))
        declared: set[str] = set()
        for check in self.checks.values():
            review = check.review
            if check.existing is not None or review.url in self.known_urls:
                continue
            if review.url in declared:
                continue
            declared.add(review.url)
            source: dict[str, Any] = {"type": "source", "url": review.url, "outlet": check.by}
            if review.headline:
                source["title"] = review.headline
            if review.date:
                source["published"] = review.date
            records.append((source, check.label))
        written: set[str] = set()
        for check in self.checks.values():
            if check.existing is not None:
                continue
            claim = check.claim
            if claim.existing is None and claim.ref not in written:
                written.add(claim.ref)
                records.append((_claim_record(claim), claim.label))
            records.append((self._check_record(check), check.label))
        header = json.dumps({HEADER_KEY: FORMAT_VERSION})
        self.labels = ["", "the header", *(label for _, label in records)]
        return [header, *(json.dumps(record, ensure_ascii=False) for record, _ in records)]

    def _check_record(self, check: _Check) -> dict[str, Any]:
        review, claim = check.review, check.claim
        return {
            "type": "statement",
            "ref": check.ref,
            "kind": "fact_check",
            "by": check.by,
            "responds_to": claim.ref if claim.existing is None else f"#{claim.existing}",
            "date": review.date,
            "verdict": review.verdict,
            "rating": review.rating,
            "sources": [review.url],
        }

    def _label(self, number: int) -> str:
        """What generated line ``number`` stands for."""
        return self.labels[number] if 0 < number < len(self.labels) else f"line {number}"

    def relabel(self, message: str) -> str:
        """The JSON Lines import's problems with each generated line named by its item."""
        out = []
        for line in message.splitlines():
            line = _LINE.sub(lambda m: f"{self._label(int(m.group(1)))}: ", line, count=1)
            line = _INNER_LINE.sub(lambda m: self._label(int(m.group(1) or m.group(2))), line)
            out.append(line)
        return "\n".join(out)

    def relabel_lines(self, warning: str) -> str:
        """A warning of the JSON Lines import (``(line 5)``, ``(lines 5, 7 and 3 more)``)
        with its lines named by their items."""
        return _WARNED_LINES.sub(
            lambda m: ", ".join(self._label(int(n)) for n in m.group(1).split(", ")), warning
        )

    def count(self, result: ImportResult) -> None:
        """Add what was found in the record (and so not written again) to the counts."""
        named = {name_key(check.by) for check in self.checks.values()}
        named |= {name_key(claim.by) for claim in self.claims.values()}
        result.actors.unchanged = len(
            {self.db_actors[key] for key in named if self.db_actors.get(key)}
        )
        result.sources.unchanged = len(self.known_urls)
        claims = {claim.existing for claim in self.claims.values() if claim.existing is not None}
        checks = {check.existing for check in self.checks.values() if check.existing is not None}
        result.statements.unchanged += len(claims) + len(checks)


def _claim_record(claim: _Claim) -> dict[str, Any]:
    record: dict[str, Any] = {
        "type": "statement",
        "ref": claim.ref,
        "kind": "claim",
        "by": claim.by,
        "date": claim.date,
        "text": claim.review.claim_text,
    }
    if claim.sources:
        record["sources"] = claim.sources
    return record

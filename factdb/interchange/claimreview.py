"""ClaimReview export: one schema.org ``ClaimReview`` (JSON-LD) per fact-check.

``reviewRating.ratingValue`` is on a 1–5 scale (5 = true); an ``unproven`` verdict has no
place on it, so its rating carries only ``alternateName``.
"""

from __future__ import annotations

import json
from typing import Any, TextIO

from sqlalchemy import select
from sqlalchemy.orm import Session

from factdb.interchange.export import (
    ExportedStatement,
    actor_names,
    iter_statements,
    make_filters,
    selected_ids,
    statements_by_id,
)
from factdb.store.models import Actor, Statement

VERDICT_SCORES: dict[str, int] = {
    "true": 5,
    "mostly_true": 4,
    "mixed": 3,
    "mostly_false": 2,
    "false": 1,
}
BEST, WORST = 5, 1


def _work(url: str) -> dict[str, str]:
    return {"@type": "CreativeWork", "url": url}


def claim_review(
    check: ExportedStatement, reviewed: ExportedStatement, author_kind: str
) -> dict[str, Any]:
    """The ClaimReview of one fact-check (which must cite a source) of ``reviewed``."""
    claim: dict[str, Any] = {
        "@type": "Claim",
        "author": {
            "@type": "Person" if author_kind == "person" else "Organization",
            "name": reviewed.by,
        },
    }
    if reviewed.date is not None:
        claim["datePublished"] = reviewed.date
    if reviewed.sources:
        claim["appearance"] = [_work(url) for url, _ in reviewed.sources]
        claim["firstAppearance"] = _work(reviewed.sources[0][0])
    rating: dict[str, Any] = {"@type": "Rating"}
    verdict = check.verdict or "unproven"
    if verdict in VERDICT_SCORES:
        rating.update(ratingValue=VERDICT_SCORES[verdict], bestRating=BEST, worstRating=WORST)
    rating["alternateName"] = check.rating or verdict
    review: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": check.sources[0][0],
        "claimReviewed": reviewed.text or reviewed.quote or "",
        "itemReviewed": claim,
        "reviewRating": rating,
        "author": {"@type": "Organization", "name": check.by},
    }
    if check.date is not None:
        review["datePublished"] = check.date
    return review


def claim_reviews(session: Session, **filters: Any) -> tuple[list[dict[str, Any]], list[str]]:
    """The ClaimReviews of the selected fact-checks, and one message per fact-check left out
    (those without a source URL)."""
    chosen = make_filters(filters)
    names = actor_names(session)
    ids = selected_ids(session, chosen, [Statement.kind == "fact_check"], with_answered=False)
    checks = list(iter_statements(session, ids, names))
    targets = statements_by_id(
        session, sorted({c.responds_to_id for c in checks if c.responds_to_id}), names
    )
    kinds = dict(
        session.execute(
            select(Actor.id, Actor.kind).where(
                Actor.id.in_(sorted({t.actor_id for t in targets.values()}))
            )
        ).all()
    )
    reviews: list[dict[str, Any]] = []
    skipped: list[str] = []
    for check in checks:
        if not check.sources:
            skipped.append(
                f"fact-check #{check.id} ({check.ref}) has no source URL; left out of ClaimReview"
            )
            continue
        assert check.responds_to_id is not None
        reviewed = targets[check.responds_to_id]
        reviews.append(claim_review(check, reviewed, kinds.get(reviewed.actor_id, "")))
    return reviews, skipped


def export_claimreview(session: Session, out: TextIO, warnings: list[str], **filters: Any) -> int:
    """Write a JSON array of ClaimReviews; fact-checks left out are added to ``warnings``.
    Returns the number of reviews written."""
    reviews, skipped = claim_reviews(session, **filters)
    out.write(json.dumps(reviews, ensure_ascii=False, indent=2) + "\n")
    warnings.extend(skipped)
    return len(reviews)

"""Benchmark: ``factdb import --format claimreview`` against factdb's own JSON Lines import of
the records it becomes, in one run.

    python bench/claimreview_bench.py                # 10,000 reviews, then 2,000 more
    python bench/claimreview_bench.py -n 50000 -m 5000

The feed is a Data Commons ``DataFeed`` of N ClaimReviews (300 claim authors, 7 checkers,
ratings as numbers on a 1-5 scale or as wordings in five languages, one appearance each).
Every step runs in its own process, timed from outside (wall clock, start-up included):

- claimreview: ``factdb import FEED -f claimreview`` into a fresh SQLite database;
- floor: ``factdb import FILE`` (JSON Lines) into a fresh database, FILE being
  ``factdb export`` of the first: the same actors, sources and statements, without reading
  JSON-LD, mapping ratings or looking for what the record already has;
- again: the same feed a second time (everything found, nothing written);
- known authors: a second feed of M new reviews by the same authors, each claim looked for
  by cited URL, by text and by claim matching before it is written.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BIN = Path(sys.executable).parent
WORDINGS = ("False", "Falso", "Faux", "Falsch", "Mostly true", "Engañoso", "Plutôt vrai", "Satire")


def feed(count: int, offset: int) -> dict[str, object]:
    elements: list[object] = []
    for n in range(offset, offset + count):
        rating: dict[str, object] = {"@type": "Rating", "alternateName": WORDINGS[n % 8]}
        if n % 3 == 0:
            rating.update(ratingValue=n % 5 + 1, bestRating=5, worstRating=1)
        review = {
            "@context": "https://schema.org",
            "@type": "ClaimReview",
            "url": f"https://check{n % 7}.example.org/review/{n}",
            "claimReviewed": f"Claim {n}: the {n % 97}th convoy crossed bridge {n * 7 % 1013}",
            "itemReviewed": {
                "@type": "Claim",
                "author": {"@type": "Organization", "name": f"Author {n % 300}"},
                "datePublished": f"2021-{n % 12 + 1:02d}-01",
                "appearance": [{"@type": "CreativeWork", "url": f"https://news.example.com/{n}"}],
            },
            "author": {"@type": "Organization", "name": f"Checker {n % 7}"},
            "reviewRating": rating,
            "datePublished": f"2021-{n % 12 + 1:02d}-15",
        }
        elements.append({"@type": "DataFeedItem", "item": [review]})
        if n % 50 == 0:
            elements.append({"@type": "DataFeedItem", "item": None})
    return {"@context": "https://schema.org", "@type": "DataFeed", "dataFeedElement": elements}


def timed(*args: str) -> float:
    start = time.perf_counter()
    subprocess.run([str(BIN / "factdb"), *args], check=True, capture_output=True)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", type=int, default=10_000, help="reviews in the first feed")
    parser.add_argument("-m", type=int, default=2_000, help="new reviews in the second feed")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        first, second = work / "feed.json", work / "more.json"
        first.write_text(json.dumps(feed(options.n, 0)), encoding="utf-8")
        second.write_text(json.dumps(feed(options.m, options.n)), encoding="utf-8")
        db, floor_db, records = work / "cr.sqlite3", work / "floor.sqlite3", work / "r.jsonl"
        claimreview = timed("--db", str(db), "import", str(first), "-f", "claimreview")
        timed("--db", str(db), "export", "-o", str(records))
        floor = timed("--db", str(floor_db), "import", str(records))
        again = timed("--db", str(db), "import", str(first), "-f", "claimreview")
        known = timed("--db", str(db), "import", str(second), "-f", "claimreview")
    statements = 2 * options.n
    print(f"{options.n:,} reviews ({statements:,} statements), then {options.m:,} more")
    print(f"{'step':<28}{'seconds':>10}{'vs floor':>10}")
    for name, seconds in (
        ("floor (JSON Lines import)", floor),
        ("claimreview import", claimreview),
        ("same feed again", again),
        (f"{options.m:,} by known authors", known),
    ):
        print(f"{name:<28}{seconds:>10.2f}{seconds / floor:>9.2f}x")


if __name__ == "__main__":
    main()

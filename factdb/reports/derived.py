"""What reports derive from the thread: a claim's status, each actor's position on it, and
how actors line up across a topic.

SEAM: these are owned by the queries area (issue 3). Until their functions land, this module
holds a small provisional version with the same shapes; the report model calls only the three
functions below, so switching over touches nothing else.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from itertools import combinations
from typing import Any

from sqlalchemy.orm import Session

Position = dict[str, Any]  # {actor, actor_id, position, via}

SUPPORTING = ("supports", "concedes")
OPPOSING = ("opposes", "questions")


def positions(
    session: Session,
    claim_id: int,
    thread: Sequence[dict[str, Any]],
    claim: dict[str, Any],
    *,
    as_of: dt.date | None,
    roll_up: bool,
) -> list[Position]:
    """Every actor's position on the claim: ``[{actor, actor_id, position, via}]``."""
    return _provisional_positions(thread, claim, roll_up=roll_up)


def status(
    session: Session,
    claim_id: int,
    thread: Sequence[dict[str, Any]],
    claim: dict[str, Any],
    *,
    as_of: dt.date | None,
) -> str:
    """The claim's derived status (unanswered, denied, disputed, endorsed, contested,
    admitted, retracted)."""
    return _provisional_status(thread, claim)


def alignment(
    session: Session,
    topic: str,
    claim_positions: Sequence[Sequence[Position]],
    *,
    as_of: dt.date | None,
    roll_up: bool,
) -> list[dict[str, Any]]:
    """For each pair of actors: ``{actor_a, actor_b, same, opposite}`` over the topic."""
    counts: dict[tuple[str, str], list[int]] = {}
    for rows in claim_positions:
        sides: dict[str, int] = {}
        for row in rows:
            if row["position"] in SUPPORTING:
                sides[row["actor"]] = 1
            elif row["position"] in OPPOSING:
                sides[row["actor"]] = -1
        for a, b in combinations(sorted(sides), 2):
            pair = counts.setdefault((a, b), [0, 0])
            pair[0 if sides[a] == sides[b] else 1] += 1
    return [
        {"actor_a": a, "actor_b": b, "same": same, "opposite": opposite}
        for (a, b), (same, opposite) in sorted(counts.items())
    ]


# ------------------------------------------------------------------ provisional versions


def _walk(nodes: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for node in nodes:
        out.append(node)
        out.extend(_walk(node["responses"]))
    return out


def _provisional_positions(
    thread: Sequence[dict[str, Any]], claim: dict[str, Any], *, roll_up: bool
) -> list[Position]:
    sign: dict[int, int] = {claim["id"]: 1}
    found: dict[int, Position] = {}

    def who(entry: dict[str, Any]) -> tuple[str, int]:
        if roll_up and entry["on_behalf_of"]:
            top = entry["on_behalf_of"][-1]
            return str(top["name"]), int(top["id"])
        return str(entry["actor"]), int(entry["actor_id"])

    def put(entry: dict[str, Any], position: str) -> None:
        name, actor_id = who(entry)
        row = found.setdefault(
            actor_id, {"actor": name, "actor_id": actor_id, "position": position, "via": []}
        )
        row["position"] = position
        row["via"].append(entry["id"])

    put(claim, "supports")
    for node in _walk(thread):
        parent = sign.get(node["responds_to"], 1)
        kind = node["kind"]
        if kind in ("denial", "dispute"):
            sign[node["id"]] = -parent
            if parent > 0:
                put(node, "opposes" if kind == "denial" else "questions")
            else:
                put(node, "supports")
        elif kind in ("endorsement", "admission"):
            sign[node["id"]] = parent
            if parent > 0:
                put(node, "supports" if kind == "endorsement" else "concedes")
            else:
                put(node, "opposes")
        elif kind == "retraction":
            sign[node["id"]] = -parent
            put(node, "withdrawn")
        elif kind == "fact_check":
            sign[node["id"]] = 0
            put(node, f"assessed:{node['verdict']}")
    return sorted(found.values(), key=lambda row: str(row["actor"]).casefold())


def _provisional_status(thread: Sequence[dict[str, Any]], claim: dict[str, Any]) -> str:
    nodes = _walk(thread)
    author = claim["actor_id"]
    if any(n["kind"] == "retraction" and n["actor_id"] == author for n in nodes):
        return "retracted"
    subjects = set(claim["about"])
    if any(n["kind"] == "admission" and n["actor"] in subjects for n in nodes):
        return "admitted"
    direct = [n for n in thread if n["actor_id"] != author]
    kinds = {n["kind"] for n in direct}
    against = kinds & {"denial", "dispute"}
    support = kinds & {"endorsement", "admission"}
    if against and support:
        return "contested"
    if "denial" in kinds:
        return "denied"
    if "dispute" in kinds:
        return "disputed"
    if support:
        return "endorsed"
    return "unanswered"

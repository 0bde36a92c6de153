"""Statements whose words are rewritten: "A and B accused each other of violating the
deal" (two claims, "B violated the deal" and the reverse), "A accused B of Z" (a claim about
B) and "A asked B to Z" (a claim that B should Z)."""

from __future__ import annotations

import itertools
import re

from factdb.extract import lexicon
from factdb.extract.found import Found, Verb, actors_in, quote_in
from factdb.extract.mentions import Mention
from factdb.extract.model import ProposedActor
from factdb.extract.quotes import Quote

IRREGULAR_PAST = {
    "sending": "sent",
    "spreading": "spread",
    "breaking": "broke",
    "making": "made",
    "giving": "gave",
    "bringing": "brought",
    "building": "built",
    "running": "ran",
    "holding": "held",
    "keeping": "kept",
    "leaving": "left",
    "taking": "took",
    "seeking": "sought",
    "selling": "sold",
    "telling": "told",
    "paying": "paid",
    "fighting": "fought",
    "shooting": "shot",
    "hitting": "hit",
    "lying": "lied",
    "being": "was",
    "having": "had",
    "striking": "struck",
    "hiding": "hid",
    "feeding": "fed",
    "leading": "led",
    "planning": "planned",
    "stealing": "stole",
}


def accusation(
    sentence: str,
    verb: Verb,
    authors: tuple[ProposedActor, ...],
    span: tuple[int, int],
    certainty: float,
    stop: int,
    mentions: list[Mention],
    quotes: list[Quote],
) -> Found | None:
    """ "accused Y of Z-ing" → a claim "Y Z-ed" about Y; "asked Y to Z" → "Y should Z"."""
    text: str | None = None
    about: list[ProposedActor] = []
    if verb.form in lexicon.ACCUSE:
        accused = [m for m in mentions if m.start >= verb.end and m.end <= stop]
        of = re.search(r"\bof\s+(\w+ing)\b(.*)$", sentence[verb.end : stop])
        if accused and of is not None:
            party = accused[0].actors[0]
            text = f"{party.name} {past(of.group(1))}{of.group(2)}".strip()
            about = [party]
    elif verb.form in lexicon.DEMANDS:
        to = re.search(r"^\s*(.+?)\s+to\s+(.+)$", sentence[verb.end : stop])
        if to is not None:
            text = f"{to.group(1).strip()} should {to.group(2).strip()}"
            about = actors_in(mentions, verb.end, stop)
    if text is None:
        return None
    form = "accuse" if verb.form in lexicon.ACCUSE else "demand"
    return Found(
        "claim",
        authors,
        text,
        quote_in(quotes, verb.end, stop),
        *span,
        certainty,
        about,
        form=form,
        content=(verb.end, stop),
    )


def mutual(blank: str, mentions: list[Mention]) -> list[Found]:
    """ "A and B (both) accused each other of Z": a claim by each about the other."""
    match = re.search(
        r"\b(?:accused|accuse|accusing)\s+each\s+other\s+of\s+(\w+ing)\b([^,;.]*)", blank
    )
    if match is None:
        return []
    before = [m for m in mentions if m.end <= match.start()]
    pair: list[ProposedActor] = []
    for first, second in itertools.pairwise(before):
        if re.fullmatch(r"\s+and\s+", blank[first.end : second.start]) and (
            first.form != "pronoun" and second.form != "pronoun"
        ):
            pair = [first.actors[0], second.actors[0]]
            break
    if not pair:
        pronouns = [m for m in before if m.form == "pronoun" and len(m.actors) == 2]
        if pronouns:
            pair = list(pronouns[-1].actors)
    if len(pair) != 2:
        return []
    what = past(match.group(1)) + match.group(2).rstrip()
    return [
        Found(
            "claim",
            (a,),
            f"{b.name} {what}",
            None,
            match.start(),
            match.end(),
            0.85,
            [b],
            form="mutual",
        )
        for a, b in ((pair[0], pair[1]), (pair[1], pair[0]))
    ]


def past(gerund: str) -> str:
    """The simple past of a verb's -ing form, for rewording "accused X of violating"."""
    word = gerund.lower()
    if word in IRREGULAR_PAST:
        return IRREGULAR_PAST[word]
    stem = word[:-3]
    if stem.endswith("y") and len(stem) > 1 and stem[-2] not in "aeiou":
        return stem[:-1] + "ied"
    if stem.endswith("e"):
        return stem + "d"
    return stem + "ed"

"""Reporting verbs and the kinds they report, the words that make a statement a denial,
and the nouns that name a statement (a claim, a denial) or a proposal (which is never denied
as false, only turned down)."""

from __future__ import annotations

import re


def _forms(verbs: str) -> list[str]:
    return [verb.strip() for verb in verbs.split(",") if verb.strip()]


# Each entry: the verb's forms (a phrase may span words) → kind
VERBS: dict[str, list[str]] = {
    "denial": _forms(
        "rejected, rejects, reject, denied, denies, deny, dismissed, dismisses, dismiss,"
        " refuted, refutes, refute, rebuffed, rebuffs, repudiated, repudiates"
    ),
    "dispute": _forms(
        "questioned, questions, disputed, disputes, dispute, contested, contests,"
        " challenged, challenges, cast doubt on, casts doubt on, cast doubts on,"
        " raised doubts about, expressed doubt about"
    ),
    "endorsement": _forms(
        "reiterated support for, reiterated its support for, reiterated their support for,"
        " reaffirmed support for, reaffirmed its support for, voiced support for,"
        " expressed support for, backed, backs, supported, supports, endorsed, endorses,"
        " welcomed, welcomes, echoed, echoes, confirmed, confirms, agreed with, sided with"
    ),
    "admission": _forms(
        "admitted, admits, acknowledged, acknowledges, conceded, concedes, owned up to"
    ),
    "retraction": _forms(
        "retracted, retracts, walked back, walks back, took back, takes back, withdrew,"
        " withdraws, backtracked on, backtracks on, recanted, recants"
    ),
    "claim": _forms(
        "said, says, claimed, claims, alleged, alleges, accused, accuses, asserted, asserts,"
        " stated, told, insisted, maintained, argued, warned, announced, declared,"
        " highlighted, stressed, emphasised, emphasized, underlined, expressed, added,"
        " noted, wrote, tweeted, charged, blamed, blames, vowed, pledged, asked, urged,"
        " called on, demanded, reported, called"
    ),
}

VERB_KIND: dict[str, str] = {form: kind for kind, forms in VERBS.items() for form in forms}
_ALTERNATIVES = sorted(VERB_KIND, key=len, reverse=True)
VERB_PATTERN = re.compile(
    r"\b(" + "|".join(re.escape(form).replace(r"\ ", r"\s+") for form in _ALTERNATIVES) + r")\b"
)

# Verbs that may come before their subject: "…, said the minister"
INVERTIBLE = frozenset({"said", "says", "added", "noted", "wrote", "insisted", "claimed"})
# Verbs that take their addressee before the content: "asked X to Y", "urged X to Y"
DEMANDS = frozenset({"asked", "urged", "called on", "demanded"})
# Verbs that may be followed by an accused party: "accused X of Y"
ACCUSE = frozenset({"accused", "accuses", "charged", "blamed", "blames"})
# Retraction verbs that need a statement as their object ("withdrew its troops" is no
# retraction)
NEEDS_STATEMENT = frozenset({"withdrew", "withdraws", "took back", "takes back"})

DENIAL_WORDS = re.compile(
    r"\b(false|untrue|not true|baseless|groundless|unfounded|unwarranted|fabricat\w*|"
    r"propaganda|lies|lie|lying|fake|nonsense|absurd|disinformation|misinformation|"
    r"no truth|ложь|неправда|фейк|كاذب\w*|كذب|عار عن الصحة)\b",
    re.IGNORECASE,
)

# Chinese and Japanese words that call something false (no word boundaries in these scripts)
DENIAL_WORDS_CJK = re.compile(r"歪曲事实|谎言|虚假|不实|捏造|无稽之谈|造谣|事実無根|虚偽|捏造")

STATEMENT_NOUNS: dict[str, str | None] = {
    "claim": "claim",
    "claims": "claim",
    "allegation": "claim",
    "allegations": "claim",
    "accusation": "claim",
    "accusations": "claim",
    "assertion": "claim",
    "assertions": "claim",
    "charge": "claim",
    "charges": "claim",
    "report": "claim",
    "reports": "claim",
    "remarks": None,
    "comments": None,
    "statement": None,
    "statements": None,
    "position": None,
    "figures": "claim",
    "account": "claim",
    "version": "claim",
    "denial": "denial",
    "denials": "denial",
    "rejection": "denial",
    "endorsement": "endorsement",
    "retraction": "retraction",
    "retractions": "retraction",
    "admissions": "admission",
    "admission": "admission",
}
PROPOSAL_NOUNS = frozenset(
    [
        "proposal",
        "proposals",
        "request",
        "requests",
        "demand",
        "demands",
        "offer",
        "offers",
        "plan",
        "plans",
        "call",
        "calls",
        "invitation",
        "invitations",
        "appeal",
        "appeals",
        "bid",
        "bids",
        "initiative",
        "initiatives",
        "ultimatum",
        "resolution",
        "draft",
    ]
)

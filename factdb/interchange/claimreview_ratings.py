"""ClaimReview ratings to factdb verdicts: a number on the publisher's scale, else the
checker's wording looked up in ``WORDINGS``.

``WORDINGS`` is the table the README documents: edit it to teach factdb a publisher's
wording. Entries are compared after ``wording_key`` (case, accents, punctuation and spacing
ignored), so write them plainly, in lower case.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any, NamedTuple

# verdict -> wordings, by language (English, Spanish, French, German, Portuguese, Italian,
# Dutch). A wording that means no verdict (satire, a scam, an opinion) is left out on
# purpose: it is imported as ``unproven`` and counted in the import's warning.
WORDINGS: dict[str, dict[str, tuple[str, ...]]] = {
    "true": {
        "en": ("true", "correct", "accurate", "correct attribution", "verified"),
        "es": ("verdadero", "verdad", "cierto", "correcto"),
        "fr": ("vrai", "exact", "correct", "juste"),
        "de": ("wahr", "richtig", "stimmt", "korrekt"),
        "pt": ("verdadeiro", "verdade", "correto", "certo"),
        "it": ("vero", "corretto"),
        "nl": ("waar", "klopt", "juist"),
    },
    "mostly_true": {
        "en": ("mostly true", "mostly correct", "mostly accurate", "largely accurate"),
        "es": ("mayormente verdadero", "mayormente cierto", "verdadero pero", "casi cierto"),
        "fr": ("plutot vrai", "globalement vrai", "en grande partie vrai"),
        "de": ("grosstenteils richtig", "grosstenteils wahr", "weitgehend richtig"),
        "pt": ("verdadeiro mas", "praticamente verdadeiro", "quase verdadeiro"),
        "it": ("c eri quasi", "quasi vero"),
        "nl": ("grotendeels waar",),
    },
    "mixed": {
        "en": (
            "half true",
            "mixture",
            "mixed",
            "partly true",
            "partially true",
            "half truth",
            "missing context",
            "needs context",
            "lacks context",
            "cherry picks",
        ),
        "es": ("verdad a medias", "medio verdadero", "mixto", "discutible", "impreciso"),
        "fr": ("a moitie vrai", "en partie vrai", "manque de contexte", "imprecis", "nuance"),
        "de": ("halb wahr", "teilweise richtig", "teilweise wahr", "fehlender kontext"),
        "pt": ("meia verdade", "impreciso", "sem contexto", "contraditorio"),
        "it": ("ni", "vero a meta"),
        "nl": ("half waar", "deels waar", "ontbrekende context"),
    },
    "mostly_false": {
        "en": (
            "mostly false",
            "misleading",
            "partly false",
            "partially false",
            "exaggerated",
            "exaggeration",
            "out of context",
            "distorts the facts",
            "spins the facts",
            "inaccurate",
            "mostly inaccurate",
            "half flip",
        ),
        "es": (
            "mayormente falso",
            "enganoso",
            "exagerado",
            "parcialmente falso",
            "fuera de contexto",
            "sacado de contexto",
            "inexacto",
        ),
        "fr": (
            "plutot faux",
            "trompeur",
            "exagere",
            "partiellement faux",
            "en partie faux",
            "hors contexte",
            "sorti de son contexte",
            "inexact",
            "detourne",
        ),
        "de": (
            "grosstenteils falsch",
            "irrefuhrend",
            "teilweise falsch",
            "ubertrieben",
            "aus dem zusammenhang gerissen",
            "fehlerhaft",
        ),
        "pt": (
            "enganoso",
            "exagerado",
            "distorcido",
            "parcialmente falso",
            "fora de contexto",
            "subestimado",
            "descontextualizado",
        ),
        "it": ("fuorviante", "pinocchio andante", "esagerato"),
        "nl": ("grotendeels onwaar", "misleidend", "overdreven", "deels onwaar"),
    },
    "false": {
        "en": (
            "false",
            "pants on fire",
            "incorrect",
            "wrong",
            "fake",
            "hoax",
            "fabricated",
            "altered",
            "manipulated",
            "doctored",
            "miscaptioned",
            "misattributed",
            "four pinocchios",
            "full flop",
            "not true",
            "untrue",
        ),
        "es": ("falso", "bulo", "fake", "montaje", "manipulado", "mentira", "totalmente falso"),
        "fr": ("faux", "fausse information", "infox", "intox", "montage", "manipule", "archi faux"),
        "de": ("falsch", "frei erfunden", "manipuliert", "fake", "erfunden", "unwahr"),
        "pt": ("falso", "mentira", "pimenta na lingua", "montagem", "manipulado", "fake"),
        "it": ("falso", "panzana pazzesca", "bufala", "notizia falsa"),
        "nl": ("onwaar", "niet waar", "nep", "gemanipuleerd"),
    },
    "unproven": {
        "en": (
            "unproven",
            "unverified",
            "unsupported",
            "no evidence",
            "unsubstantiated",
            "too soon to say",
            "research in progress",
            "inconclusive",
            "not proven",
            "unclear",
        ),
        "es": ("sin evidencia", "sin pruebas", "no hay pruebas", "insostenible", "no verificable"),
        "fr": ("non prouve", "inverifiable", "infonde", "pas de preuve", "trop tot pour le dire"),
        "de": ("unbelegt", "nicht belegt", "unbewiesen", "noch offen"),
        "pt": ("insustentavel", "sem provas", "ainda e cedo para dizer", "nao comprovado"),
        "it": ("non provato", "non verificabile"),
        "nl": ("onbewezen", "niet te bewijzen", "onduidelijk"),
    },
}

# Where a long wording's verdict ends: "False. The photo is from 2015" is "False".
_BREAK = re.compile(r"\s*(?:[.:;!?(\[]|\s[-–—]\s)")
_NOT_WORD = re.compile(r"[^0-9a-z]+")


def wording_key(text: str) -> str:
    """A wording as the table compares it: lower case, no accents, words only."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(char for char in decomposed if not unicodedata.combining(char))
    return _NOT_WORD.sub(" ", plain).strip()


def _table() -> dict[str, str]:
    table: dict[str, str] = {}
    for verdict, languages in WORDINGS.items():
        for wordings in languages.values():
            for wording in wordings:
                table.setdefault(wording_key(wording), verdict)
    return table


_TABLE = _table()


def verdict_of_wording(text: str) -> str | None:
    """The verdict a checker's wording means, or None when the table does not know it. A
    long wording counts by its first sentence or clause when the whole does not match."""
    verdict = _TABLE.get(wording_key(text))
    if verdict is not None:
        return verdict
    head = _BREAK.split(text.strip(), maxsplit=1)[0]
    return _TABLE.get(wording_key(head)) if head else None


class Scale(NamedTuple):
    value: float
    best: float
    worst: float


def number(value: Any) -> float | None:
    """A rating's number (JSON number or numeric string), or None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value.strip().replace(",", "."))
        except ValueError:
            return None
    return None


def verdict_on_scale(scale: Scale) -> str | None:
    """The verdict of ``value`` on the scale from ``worst`` (false) to ``best`` (true), in
    five equal steps; None when the scale is empty or the value lies outside it (some
    publishers write -1 for "no rating")."""
    value, best, worst = scale
    if best == worst or not min(best, worst) <= value <= max(best, worst):
        return None
    place = (value - worst) / (best - worst)
    if place >= 0.875:
        return "true"
    if place >= 0.625:
        return "mostly_true"
    if place > 0.375:
        return "mixed"
    if place > 0.125:
        return "mostly_false"
    return "false"

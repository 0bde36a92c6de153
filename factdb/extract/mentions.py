"""Who a sentence names: titled people ("Armenian Prime Minister Nikol Pashinyan"),
institutions ("the Foreign Office", after Pakistan), states and their demonyms ("Azeri"),
spokespeople, organizations, and pronouns read from what came before."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import NamedTuple

from factdb.extract.gazetteer import (
    COUNTRIES,
    INSTITUTION_PLURALS,
    INSTITUTIONS,
    NAMED_INSTITUTIONS,
    ORGANIZATIONS,
    TITLES,
    Country,
    Institution,
)
from factdb.extract.model import ProposedActor


class Mention(NamedTuple):
    """Actors named at ``start:end`` of a sentence. ``form`` is how: person, state,
    institution, spokesperson, organization, demonym, metonym, pronoun or plural."""

    start: int
    end: int
    actors: tuple[ProposedActor, ...]
    form: str


@dataclass
class Context:
    """What earlier sentences said, for the words that point back: the country an unnamed
    institution belongs to, who "he" is, which two countries "both" are."""

    dateline: Country | None = None
    countries: list[Country] = field(default_factory=list)
    people: list[ProposedActor] = field(default_factory=list)
    speakers: list[ProposedActor] = field(default_factory=list)
    plural: tuple[ProposedActor, ...] = ()

    def last_speaker(self, prefix: str) -> ProposedActor | None:
        """The latest speaker whose record name starts with ``prefix`` (an institution)."""
        if not prefix:
            return None
        for actor in reversed(self.speakers):
            if actor.name.startswith(prefix):
                return actor
        return None

    def home(self) -> Country | None:
        """The country an unqualified institution belongs to: the latest speaker's, else the
        dateline's, else the latest named."""
        for actor in reversed(self.speakers):
            country = country_of(actor)
            if country is not None:
                return country
        if self.dateline is not None:
            return self.dateline
        return self.countries[-1] if self.countries else None


_BY_CODE = COUNTRIES
_COUNTRY_NAMES: dict[str, Country] = {}
for _country in COUNTRIES.values():
    for _name in (_country.name, *_country.aliases):
        _COUNTRY_NAMES[_name] = _country
_DEMONYMS = {demonym: country for country in COUNTRIES.values() for demonym in country.demonyms}
_CAPITALS = {country.capital: country for country in COUNTRIES.values() if country.capital}


def _alternation(words: list[str]) -> str:
    return "|".join(re.escape(word) for word in sorted(words, key=len, reverse=True))


_APOS = "(?:'s|’s|')"
_COUNTRY_RE = _alternation(list(_COUNTRY_NAMES))
_DEMONYM_RE = _alternation(list(_DEMONYMS))
_QUALIFIER = rf"(?:(?:the\s+)?(?P<cname>{_COUNTRY_RE}){_APOS}?|(?P<demonym>{_DEMONYM_RE}))"
_TITLE_RE = _alternation(list(TITLES))
_NAME_TOKEN = r"(?:(?:al|el|bin|ibn|de|van|von|der)[- ])?[A-ZÀ-ÖØ-ÞĀ-ſА-Я][\w'’.-]*"
_NAME = rf"{_NAME_TOKEN}(?:\s+{_NAME_TOKEN}){{0,3}}"

_ORG_QUALIFIER = "|".join(re.escape(name) for name in ORGANIZATIONS)
TITLED = re.compile(
    rf"(?<![\w-])(?:(?:{_QUALIFIER}|(?P<org>{_ORG_QUALIFIER}))\s+)?(?P<title>{_TITLE_RE})(?:\s+of\s+(?P<cof>{_COUNTRY_RE}))?"
    rf"(?:\s+\([A-Z]{{2,5}}\))?,?\s+(?P<name>{_NAME})"
)
_PHRASES = {phrase: inst for inst in INSTITUTIONS for phrase in inst.phrases}
INSTITUTION = re.compile(
    rf"(?<![\w-])(?:{_QUALIFIER}\s+)?(?P<inst>{_alternation(list(_PHRASES))})\b"
    rf"(?:\s+of\s+(?P<cof>{_COUNTRY_RE}))?"
)
ROLE = re.compile(
    rf"(?<![\w-])(?:{_QUALIFIER}\s+)(?P<title>(?i:{_TITLE_RE}))\b(?!\s+{_NAME_TOKEN})"
)
PLURAL_INSTITUTION = re.compile(
    rf"\b(?:the\s+)?(?P<inst>{_alternation(list(INSTITUTION_PLURALS))})\s+of\s+"
    rf"(?:both\s+countries|both\s+sides|the\s+two\s+countries|(?P<a>{_COUNTRY_RE})\s+and\s+"
    rf"(?P<b>{_COUNTRY_RE}))"
)
SPOKESPERSON = re.compile(
    rf"(?:\b(?:an?|the)\s+|\b(?=[A-Z]\w+\s+officials\b))"
    rf"(?:(?P<demonym>{_DEMONYM_RE})\s+)?"
    rf"(?:(?P<named>{'|'.join(NAMED_INSTITUTIONS)})\s+)?"
    r"(?:(?P<gov>government|ministry|senior|foreign\s+ministry|defen[cs]e"
    r"\s+ministry|military|army|navy)\s+)?(?:spokes(?:man|woman|person)|officials?(?!\s+(?:results?|figures?|"
    r"data|count|tally|statement|visit|website|account|channel|media|documents?|sources?|"
    r"language|position|line|toll)\b))"
    r"(?:\s+(?:for|of|at)\s+the\s+(?P<inst>[A-Z][\w ]+?(?:Ministry|Office)))?\b"
)
OPPOSITION = re.compile(rf"(?<![\w-])(?:[Tt]he\s+)?(?:{_QUALIFIER}\s+)?\bopposition\b")
NAMED_INSTITUTION = re.compile(
    r"\b(?:the\s+)?(" + _alternation(list(NAMED_INSTITUTIONS)) + r")\b(?!\s+spokes)"
)
BARE_MINISTRY = re.compile(rf"\b[Tt]he\s+(?:{_QUALIFIER}\s+)?ministry\b")
ORGANIZATION = re.compile(
    r"\b(?:the\s+)?("
    + _alternation(
        [name for name, spec in ORGANIZATIONS.items()]
        + [a for s in ORGANIZATIONS.values() for a in s[2]]
    )
    + r")\b"
)
COUNTRY = re.compile(rf"(?<![\w-])(?:the\s+)?(?P<cname>{_COUNTRY_RE})(?:{_APOS})?(?![\w-])")
DEMONYM = re.compile(rf"(?<![\w-])(?P<demonym>{_DEMONYM_RE})(?![\w-])")
CAPITAL = re.compile(rf"\b({_alternation(list(_CAPITALS))})\b")
PRONOUN = re.compile(
    r"\b(?P<word>[Hh]e|[Ss]he|[Tt]hey|[Bb]oth(?:\s+sides|\s+countries)?|[Tt]he\s+(?:premier|"
    r"prime\s+minister|president|minister|foreign\s+minister))\b"
)
UNQUALIFIED_NOBODY = frozenset({"army", "military", "armed forces", "navy", "air force"})
_ORG_NAMES = {alias: name for name, spec in ORGANIZATIONS.items() for alias in (name, *spec[2])}


def state_actor(country: Country) -> ProposedActor:
    aliases = [alias for alias in country.aliases if len(alias) > 3 and "." not in alias]
    return ProposedActor(country.name, "state", country.code, aliases)


def institution_actor(institution: Institution, country: Country) -> ProposedActor:
    if institution.key == "government":
        return state_actor(country)
    for phrase, (code, key, special) in NAMED_INSTITUTIONS.items():
        if code == country.code and key == institution.key:
            return ProposedActor(special, "ministry", code, [phrase], country.name)
    name = institution.template.format(country=country.name)
    demonym = country.demonyms[0] if country.demonyms else country.name
    aliases = {
        "foreign": [f"{country.name} Foreign Office", f"{demonym} Foreign Ministry"],
        "defence": [f"{demonym} Defence Ministry"],
    }[institution.key]
    return ProposedActor(name, institution.kind, country.code, aliases, country.name)


def country_of(actor: ProposedActor) -> Country | None:
    return _BY_CODE.get(actor.country or "")


def _qualifier(match: re.Match[str]) -> Country | None:
    groups = match.groupdict()
    for key in ("cname", "cof"):
        if groups.get(key):
            return _COUNTRY_NAMES[groups[key]]
    if groups.get("demonym"):
        return _DEMONYMS[groups["demonym"]]
    return None


def _person_name(raw: str) -> str:
    """The name as a record would hold it: trailing possessive and words that are no part
    of a name ("Nikol Pashinyan's", "Lavrov On") left out."""
    words = raw.split()
    kept: list[str] = []
    for word in words:
        bare = re.sub(r"(?:'s|’s|')$", "", word).rstrip(".,")
        if bare in _COUNTRY_NAMES or bare in _DEMONYMS or bare in ("On", "In", "The", "And"):
            break
        kept.append(bare)
        if bare != word.rstrip(".,"):
            break
    return " ".join(kept)


def find_mentions(
    sentence: str,
    context: Context,
    lookup: Callable[[str], ProposedActor | None] | None = None,
) -> list[Mention]:
    """The actors named in the sentence, longest mention first where two overlap."""
    found: list[Mention] = []

    def add(start: int, end: int, actors: tuple[ProposedActor, ...], form: str) -> None:
        if any(m.start < end and start < m.end for m in found):
            return
        found.append(Mention(start, end, actors, form))

    lowered = sentence.lower()
    titled = any(title.lower() in lowered for title in TITLES)
    for match in TITLED.finditer(sentence) if titled else ():
        title = match.group("title")
        role, key = TITLES[title]
        country = _qualifier(match) or context.home()
        name = _person_name(match.group("name"))
        if not name or name in TITLES:
            continue
        known = lookup(name) if lookup else None
        if known is None and match.group("org"):
            org = _ORG_NAMES[match.group("org")]
            code = ORGANIZATIONS[org][1] or None
            known = ProposedActor(name, "person", code, [], org, role)
        if known is None:
            institution = next(inst for inst in INSTITUTIONS if inst.key == key)
            organization = (
                institution_actor(institution, country).name if country is not None else None
            )
            known = ProposedActor(
                name, "person", country.code if country else None, [], organization, role
            )
        begin = match.start("name")
        end = begin + len(name) if sentence.startswith(name, begin) else match.end("name")
        add(match.start(), end, (known,), "person")
    for match in ROLE.finditer(sentence) if titled else ():
        # "Iran's foreign minister said": unnamed, the office speaks for its institution
        title = next(t for t in TITLES if t.lower() == match.group("title").lower())
        country = _qualifier(match)
        if country is not None:
            institution = next(i for i in INSTITUTIONS if i.key == TITLES[title][1])
            actor = institution_actor(institution, country)
            add(match.start(), match.end(), (actor,), "institution")
    plural = "ministries" in lowered or "governments" in lowered
    for match in PLURAL_INSTITUTION.finditer(sentence) if plural else ():
        institution = next(
            inst for inst in INSTITUTIONS if inst.key == INSTITUTION_PLURALS[match.group("inst")]
        )
        pair: tuple[Country, Country] | None
        if match.group("a"):
            pair = (_COUNTRY_NAMES[match.group("a")], _COUNTRY_NAMES[match.group("b")])
        else:
            pair = _last_two(context)
        if pair:
            actors = tuple(institution_actor(institution, country) for country in pair)
            add(match.start(), match.end(), actors, "plural")
    for match in SPOKESPERSON.finditer(sentence):
        spokesperson = _spokesperson(match, context)
        if spokesperson is not None:
            add(match.start(), match.end(), (spokesperson,), "spokesperson")
    named = any(phrase.lower() in lowered for phrase in _PHRASES)
    for match in INSTITUTION.finditer(sentence) if named else ():
        institution = _PHRASES[match.group("inst")]
        country = _qualifier(match)
        if country is None:
            after_the = sentence[: match.start()].rstrip().endswith(("the", "The"))
            if not after_the:
                continue
            # "the military", "the Foreign Office": the one that spoke last, else (for a
            # ministry) the ministry of the country the article is about
            spoke = context.last_speaker(institution.template.split("{country}")[0])
            if spoke is not None:
                add(match.start(), match.end(), (spoke,), "institution")
                continue
            country = context.home()
            if country is None or match.group("inst").lower() in UNQUALIFIED_NOBODY:
                continue
        add(match.start(), match.end(), (institution_actor(institution, country),), "institution")
    for match in OPPOSITION.finditer(sentence) if "opposition" in lowered else ():
        # "Georgia's opposition", later "the opposition": an actor of its own
        country = _qualifier(match) or context.home()
        if country is not None:
            demonym = country.demonyms[0] if country.demonyms else country.name
            actor = ProposedActor(f"{demonym} opposition", "organization", country.code)
            add(match.start(), match.end(), (actor,), "organization")
    for match in NAMED_INSTITUTION.finditer(sentence):
        add(match.start(), match.end(), (_named_institution(match.group(1)),), "institution")
    for match in BARE_MINISTRY.finditer(sentence) if "ministry" in lowered else ():
        # "the ministry", "the Turkish ministry": the ministry that spoke last (of that country)
        country = _qualifier(match)
        for actor in reversed(context.speakers):
            if actor.kind == "ministry" and (country is None or actor.country == country.code):
                add(match.start(), match.end(), (actor,), "institution")
                break
    for match in ORGANIZATION.finditer(sentence):
        name = _ORG_NAMES[match.group(1)]
        kind, code, aliases = ORGANIZATIONS[name]
        organization = "Russia" if code == "RU" else None
        actor = ProposedActor(
            name, kind, code or None, [a for a in aliases if len(a) > 3], organization
        )
        add(match.start(), match.end(), (actor,), "organization")
    for match in COUNTRY.finditer(sentence):
        add(
            match.start(),
            match.end(),
            (state_actor(_COUNTRY_NAMES[match.group("cname")]),),
            "state",
        )
    for match in DEMONYM.finditer(sentence):
        add(
            match.start(), match.end(), (state_actor(_DEMONYMS[match.group("demonym")]),), "demonym"
        )
    for match in CAPITAL.finditer(sentence):
        add(match.start(), match.end(), (state_actor(_CAPITALS[match.group(1)]),), "metonym")
    _surnames(sentence, context, add)
    for match in PRONOUN.finditer(sentence):
        # "Kurti withdrew his claim, though he insisted …": he is the person named
        # earlier in the same sentence, if any
        word = match.group("word").lower()
        here = [
            m.actors[0]
            for m in sorted(found)
            if m.end <= match.start() and m.form == "person" and word in ("he", "she")
        ]
        actors = (here[-1],) if here else _pronoun(word, context)
        if actors:
            add(match.start(), match.end(), actors, "pronoun")
    return sorted(found)


def _last_two(context: Context) -> tuple[Country, Country] | None:
    seen: list[Country] = []
    for country in reversed(context.countries):
        if country not in seen:
            seen.append(country)
        if len(seen) == 2:
            return (seen[1], seen[0])
    return None


def _spokesperson(match: re.Match[str], context: Context) -> ProposedActor | None:
    if match.group("named"):
        return _named_institution(match.group("named"))
    named = match.group("inst")
    if named:
        for inner in INSTITUTION.finditer(named):
            country = _qualifier(inner) or context.home()
            if country is not None:
                return institution_actor(_PHRASES[inner.group("inst")], country)
    government = (match.group("gov") or "").lower()
    demonym = match.group("demonym")
    country = _DEMONYMS[demonym] if demonym else context.home()
    if country is None:
        return None
    if demonym and not government:
        return state_actor(country)  # "an Israeli official"
    if government == "government":
        return state_actor(country)
    if "foreign" in government:
        return institution_actor(INSTITUTIONS[0], country)
    if "defen" in government or government in ("military", "army", "navy"):
        return institution_actor(INSTITUTIONS[1], country)
    # an unnamed spokesman speaks for whoever spoke last
    return context.speakers[-1] if context.speakers else state_actor(country)


def _named_institution(phrase: str) -> ProposedActor:
    code, key, _ = NAMED_INSTITUTIONS[phrase]
    institution = next(inst for inst in INSTITUTIONS if inst.key == key)
    return institution_actor(institution, COUNTRIES[code])


def _pronoun(word: str, context: Context) -> tuple[ProposedActor, ...]:
    word = " ".join(word.split())
    if word in ("he", "she"):
        return (context.people[-1],) if context.people else ()
    if word.startswith("both") or word == "they":
        return context.plural
    role = {"the premier": "Prime Minister", "the prime minister": "Prime Minister"}.get(
        word, word.removeprefix("the ").title()
    )
    for person in reversed(context.people):
        if person.role and (role in person.role or word == "the minister"):
            return (person,)
    return ()


def _surnames(
    sentence: str,
    context: Context,
    add: Callable[[int, int, tuple[ProposedActor, ...], str], None],
) -> None:
    """A person named before by full name, now by surname alone ("Lavrov said")."""
    for person in context.people:
        surname = person.name.split()[-1]
        if len(surname) < 3:
            continue
        for match in re.finditer(rf"\b{re.escape(surname)}\b(?:{_APOS})?", sentence):
            add(match.start(), match.end(), (person,), "person")


def organization_spec(name: str) -> ProposedActor | None:
    """The actor a proposed actor's organization stands for (a state or a state's
    institution), from its name."""
    country = _COUNTRY_NAMES.get(name)
    if country is not None:
        return state_actor(country)
    for institution in INSTITUTIONS:
        prefix = institution.template.split("{country}")[0]
        if prefix and name.startswith(prefix):
            country = _COUNTRY_NAMES.get(name[len(prefix) :])
            if country is not None:
                return institution_actor(institution, country)
    if name in ORGANIZATIONS:
        kind, code, aliases = ORGANIZATIONS[name]
        return ProposedActor(name, kind, code or None, [a for a in aliases if len(a) > 3])
    return None


def dateline_country(text: str) -> Country | None:
    """The country of a dateline such as ``ISLAMABAD–`` or ``MOSCOW, Oct 18 (Reuters) -``."""
    match = re.match(r"\s*([A-Z][A-Z .'-]{2,}?)\s*(?:,[^\n–—-]{0,40})?\s*[–—-]", text)
    if match is None:
        return None
    word = match.group(1).strip().title()
    return _CAPITALS.get(word) or _COUNTRY_NAMES.get(word)

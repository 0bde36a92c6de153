"""One sentence → the statements it reports: who (the subject of a reporting verb), what
kind (the verb, or the content: "completely false" is a denial), what (the ``that``
clause, the quotation, or the fronted words of "…, he said"), and what an answer answers.

Rules, in the order a reader applies them:

- a reporting verb's subject is the actor named just before it (past auxiliaries, adverbs
  and a relative clause), the subject of the verb it is coordinated with ("… and
  reiterated support"), or the actor named just after it ("said the minister");
- "X rejected a claim by Y that Z as 'Q'" is two statements: Y's claim Z and X's denial,
  quoting Q; "X denied Y's denial" answers Y's latest denial;
- rejecting a proposal, request or demand is not a denial of a claim and is left out;
- "A and B accused each other of Z" is two claims, each about the other; "accused Y of Z"
  is a claim about Y; "asked Y to Z" a claim that Y should Z (``rewording``);
- a claim whose words call something false ("These reports are completely false,") is a
  denial of the latest claim by someone else;
- an endorsement of "Y's right to Z" or an admission "that Z" with nothing to answer in the
  article answers a claim it implies (by Y; by the other party Z names).
"""

from __future__ import annotations

import re

from factdb.extract import lexicon, rewording
from factdb.extract.found import Found, Target, Verb, actors_in, quote_in
from factdb.extract.mentions import Mention
from factdb.extract.model import ProposedActor
from factdb.extract.quotes import Quote

# What may stand between a speaker and its verb ("Pakistan had firmly rejected", "Lavrov on
# Sunday said"). Checked word by word: one regular expression with these alternatives under
# a star backtracks exponentially on a long run that almost matches.
_GAP_PHRASES = re.compile(
    r"\b(?:in\s+a\s+statement|in\s+a\s+post\s+on\s+\w+|on\s+\w+|last\s+\w+day)\b",
    re.IGNORECASE,
)
_GAP_WORDS = frozenset(
    [
        "has",
        "have",
        "had",
        "also",
        "then",
        "later",
        "again",
        "both",
        "firmly",
        "flatly",
        "strongly",
        "categorically",
        "swiftly",
        "quickly",
        "promptly",
        "officially",
        "publicly",
        "repeatedly",
        "earlier",
        "previously",
        "once",
        "already",
        "immediately",
        "angrily",
        "sharply",
    ]
)


def is_gap(text: str) -> bool:
    """Whether ``text`` holds only auxiliaries, adverbs, time phrases, commas and blanked
    quotations."""
    rest = _GAP_PHRASES.sub(" ", text.replace("_", " "))
    return all(word.lower() in _GAP_WORDS for word in re.findall(r"[^\s,]+", rest))


_FRAME_WORDS = re.compile(
    r"^(?:to\s+)?(?:reporters|journalists|the\s+press|a\s+(?:news|press)\s+conference|"
    r"(?:state|local)\s+\w+|parliament|lawmakers|in|on|at|during|after|before|later|"
    r"earlier|today|yesterday|late|the\s+\w+\s+(?:agency|newspaper|channel|broadcaster))\b",
    re.IGNORECASE,
)
_PARTICIPLE = re.compile(r",\s+(?:calling|saying|adding|describing)\b")
_BOUNDARY = re.compile(
    r",\s+but\s+|;\s+|\s+[—–]\s+|\s+--\s+|,\s+(?:while|whereas|though|although)\s+"
)
_RELATIVE = re.compile(r",\s+(?:which|who|whose)\b[^,]*,")
_PARENTHESES = re.compile(r"\([^()]*\)")
_NOUN_BEFORE = frozenset(
    [
        "the",
        "a",
        "an",
        "his",
        "her",
        "its",
        "their",
        "these",
        "those",
        "such",
        "of",
        "this",
        "that",
        "our",
        "my",
        "your",
    ]
)
_OBJECT_LEAD = re.compile(
    r"^\s*(?:the|a|an|its|his|her|their|this|these|those|such|earlier|latest|recent|new|"
    r"repeated|renewed|\s)*"
)


def skeleton(sentence: str, quotes: list[Quote]) -> str:
    """The sentence with quoted words, relative clauses and parentheses blanked out (same
    length), so that no verb inside them counts and a subject may stand before them."""
    chars = list(sentence)
    for quote in quotes:
        for index in range(quote.start + 1, quote.end - 1):
            chars[index] = "_"
    blanked = "".join(chars)
    for pattern in (_RELATIVE, _PARENTHESES):
        blanked = pattern.sub(lambda m: " " * len(m.group(0)), blanked)
    return blanked


def find_verbs(blank: str) -> list[Verb]:
    verbs: list[Verb] = []
    for match in lexicon.VERB_PATTERN.finditer(blank):
        form = " ".join(match.group(1).split())
        before = blank[: match.start()]
        previous = before.split()[-1].lower() if before.split() else ""
        if before.endswith("-") or previous in _NOUN_BEFORE:
            continue  # "Russian-backed", "the claims"
        verbs.append(Verb(match.start(), match.end(), form, lexicon.VERB_KIND[form]))
    return verbs


def analyse(sentence: str, mentions: list[Mention], quotes: list[Quote]) -> list[Found]:
    """The statements one sentence reports."""
    blank = skeleton(sentence, quotes)
    found: list[Found] = list(rewording.mutual(blank, mentions))
    if found:
        return found
    verbs = find_verbs(blank)
    subjects: list[tuple[Mention, float] | None] = []
    for index, verb in enumerate(verbs):
        subject = find_subject(blank, verb, mentions)
        if subject is None and index and _coordinated(blank, verbs[index - 1], verb):
            subject = subjects[index - 1]
        elif subject is None and re.search(r"\band\s+(?:also\s+|then\s+)?$", blank[: verb.start]):
            subject = _clause_subject(mentions, verb)
        subjects.append(subject)
        if subject is None:
            continue
        mention, certainty = subject
        stop = _clause_end(blank, verb, verbs[index + 1 :])
        found.extend(_statements(sentence, blank, verb, mention, certainty, stop, mentions, quotes))
    return _attributions(found)


def _attributions(found: list[Found]) -> list[Found]:
    """ "The United States rejected the claim, a State Department spokesman said": the
    closing "said" attributes the statement before it; its speaker, when it speaks for that
    statement's author, becomes the author, and no second statement is made."""
    kept: list[Found] = []
    for statement in found:
        inner = [
            other
            for other in found
            if other is not statement
            and statement.content is not None
            and statement.content[0] == 0
            and other.start < statement.content[1]
        ]
        if statement.kind == "claim" and statement.form in lexicon.INVERTIBLE | {"told"} and inner:
            speaker = statement.authors[0]
            for other in inner:
                if len(other.authors) == 1 and speaker.organization == other.authors[0].name:
                    other.authors = (speaker,)
            continue
        kept.append(statement)
    return kept


def find_subject(blank: str, verb: Verb, mentions: list[Mention]) -> tuple[Mention, float] | None:
    before = [m for m in mentions if m.end <= verb.start]
    for position in range(len(before) - 1, -1, -1):
        mention = before[position]
        if is_gap(blank[mention.end : verb.start]):
            sure = 0.9 if mention.form not in ("pronoun", "spokesperson", "metonym") else 0.8
            first = before[position - 1] if position else None
            if (
                first is not None
                and first.form == mention.form
                and re.fullmatch(r",?\s+and\s+", blank[first.end : mention.start])
            ):
                # "Denmark and Sweden questioned …": both speak
                both = Mention(first.start, mention.end, first.actors + mention.actors, "plural")
                return both, sure
            return mention, sure
        break
    after = [m for m in mentions if m.start >= verb.end]
    if verb.form in lexicon.INVERTIBLE and after and not blank[verb.end : after[0].start].strip():
        rest = blank[after[0].end :].strip()
        if rest in ("", ".") or rest.startswith((",", ".")):
            return after[0], 0.85
    return None


def _clause_subject(mentions: list[Mention], verb: Verb) -> tuple[Mention, float] | None:
    """ "X held talks with A and B and highlighted …": the verb's subject is the first actor
    the sentence names as a speaker."""
    for mention in mentions:
        if mention.start >= verb.start:
            break
        if mention.form in ("person", "institution", "spokesperson", "organization"):
            return mention, 0.75
    return None


def _coordinated(blank: str, previous: Verb, verb: Verb) -> bool:
    return bool(re.search(r"\band\s+(?:also\s+|then\s+)?$", blank[previous.end : verb.start]))


def _clause_end(blank: str, verb: Verb, later: list[Verb]) -> int:
    stop = len(blank.rstrip().rstrip("."))
    boundary = _BOUNDARY.search(blank, verb.end)
    if boundary is not None:
        stop = min(stop, boundary.start())
    for other in later:
        if _coordinated(blank, verb, other):
            joint = re.search(r"\s+and\s+(?:also\s+|then\s+)?$", blank[: other.start])
            if joint is not None:
                stop = min(stop, joint.start())
            break
    return stop


def _statements(
    sentence: str,
    blank: str,
    verb: Verb,
    subject: Mention,
    certainty: float,
    stop: int,
    mentions: list[Mention],
    quotes: list[Quote],
) -> list[Found]:
    obj_start = verb.end
    if subject.start >= verb.end:  # "said the minister": the object is what came before
        obj_start = subject.end
    obj = blank[obj_start:stop]
    lead = len(_OBJECT_LEAD.match(obj).group(0))  # type: ignore[union-attr]
    first_words = obj[lead:].split()[:4]
    heads = [word.strip(",.").lower() for word in first_words]
    if verb.kind in ("denial", "endorsement", "dispute") and any(
        word in lexicon.PROPOSAL_NOUNS for word in heads[:3]
    ):
        return []  # turning down (or welcoming) a proposal is no answer to a claim
    if verb.form in lexicon.NEEDS_STATEMENT and not any(
        word in lexicon.STATEMENT_NOUNS for word in heads[:3]
    ):
        return []  # "withdrew its troops"
    authors = subject.actors
    span = (min(subject.start, verb.start), stop)
    nested = _nested(sentence, blank, verb, obj_start, stop, authors, mentions, quotes)
    if nested is not None:
        return nested
    before_subject = blank[: min(subject.start, verb.start)].split()
    if before_subject and before_subject[-1].strip(",").lower() in lexicon.PROPOSAL_NOUNS:
        return []  # "…, an offer Russia rejected"
    if verb.form == "called":
        return _called(sentence, blank, verb, authors, span, certainty, stop, quotes)
    reworded = rewording.accusation(
        sentence, verb, authors, span, certainty, stop, mentions, quotes
    )
    if reworded is not None:
        return [reworded]
    participle = _PARTICIPLE.search(blank, obj_start, stop)
    own_stop = participle.start() if participle is not None else stop
    content_start, content_end = _content(sentence, blank, obj_start, own_stop, subject, verb)
    saying = participle is not None and participle.group(0).endswith("saying")
    if (
        saying
        and participle is not None
        and verb.kind == "claim"
        and len(blank[obj_start : participle.start()].split()) <= 4
    ):
        # "Ukraine blamed Russia, saying the mine had been laid by Russian forces"
        content_start, content_end = participle.end() + 1, stop
    if content_end <= content_start:
        return []
    text = sentence[content_start:content_end].strip().strip(",").strip()
    quote = quote_in(quotes, content_start, content_end)
    if quote is None and verb.kind != "claim":
        quote = quote_in(quotes, obj_start, stop)  # "denied it, calling it 'absurd'"
    if quote is not None and text == sentence[quote.start : quote.end].strip():
        text = quote.text
    about = actors_in(mentions, content_start, content_end)
    kind = verb.kind
    confidence = certainty
    target: Target | None = None
    called = _called_false(sentence, participle, quotes)
    if kind == "claim" and (_calls_false(text, quote) or called is not None):
        kind, confidence = "denial", certainty - 0.1
        target = Target("latest", kind="claim", text=text)
        if quote is None:
            quote = called
    elif kind == "endorsement":
        target = _endorsed(sentence, content_start, content_end, mentions, text)
    elif kind == "admission":
        others = [a for a in about if a.country not in {x.country for x in authors}]
        target = Target("overlap", by=tuple(others[:1]), text=text)
    elif kind in ("denial", "dispute"):
        target = Target("overlap", text=text)
    elif kind == "retraction":
        target = Target("latest", kind="claim", by=authors, text=text)
    return [
        Found(
            kind,
            authors,
            text or None,
            quote,
            span[0],
            max(span[1], content_end),
            confidence,
            about,
            target,
            form=verb.form,
            content=(content_start, content_end),
        )
    ]


def _content(
    sentence: str, blank: str, obj_start: int, stop: int, subject: Mention, verb: Verb
) -> tuple[int, int]:
    """Where the reported words are: after "that", after the verb, or (for "…, he said")
    before the subject."""
    rest = blank[obj_start:stop]
    that = re.search(r"\bthat\s+", rest)
    if that is not None and len(rest[: that.start()].split()) <= 6:
        return obj_start + that.end(), stop  # "said on Sunday that …", "told reporters that …"
    lead = re.match(r"^\s*(?:[:,]\s*)?", rest)
    begin = obj_start + (lead.end() if lead else 0)
    trailing = rest.strip().strip(".").strip()
    front_end = min(subject.start, verb.start)
    front = sentence[:front_end].rstrip().rstrip(",").rstrip()
    # "told reporters", "said in a statement": a claim's few words after the verb are no
    # content when words came before the speaker ("'…,' she told reporters")
    short = (
        verb.kind == "claim"
        and len(trailing.split()) <= 4
        and "_" not in trailing
        and _FRAME_WORDS.match(trailing) is not None
    )
    if trailing and not is_gap(trailing) and not (short and front):
        return begin, stop
    return 0, len(front)


def _called(
    sentence: str,
    blank: str,
    verb: Verb,
    authors: tuple[ProposedActor, ...],
    span: tuple[int, int],
    certainty: float,
    stop: int,
    quotes: list[Quote],
) -> list[Found]:
    """ "Russia called them Western propaganda": a denial of the latest claim by someone
    else; "called" in any other sense reports nothing."""
    named = re.match(
        r"^\s*(?:it|them|this|these\s+\w+|those\s+\w+|the\s+\w+(?:\s+[a-z]\w*)?)\s+(.+)$",
        blank[verb.end : stop],
    )
    if named is None:
        return []
    start = verb.end + named.start(1)
    words = sentence[start:stop].strip()
    if not (lexicon.DENIAL_WORDS.search(words) or lexicon.DENIAL_WORDS_CJK.search(words)):
        return []
    return [
        Found(
            "denial",
            authors,
            words,
            quote_in(quotes, start, stop),
            *span,
            certainty - 0.1,
            target=Target("latest", kind="claim"),
            form="called",
            content=(start, stop),
        )
    ]


def _called_false(
    sentence: str, participle: re.Match[str] | None, quotes: list[Quote]
) -> Quote | None:
    """ "…, calling the Israeli statement 'pure lies'": the quote that calls it false."""
    if participle is None or not participle.group(0).endswith(("calling", "describing")):
        return None
    quote = quote_in(quotes, participle.end(), len(sentence))
    if quote is not None and lexicon.DENIAL_WORDS.search(quote.text):
        return quote
    return None


def _calls_false(text: str, quote: Quote | None) -> bool:
    words = quote.text if quote is not None else text
    frame = re.search(
        r"\b(?:is|are|was|were|as|be|been|called\s+(?:it|them|the\s+\w+))\s+(?:\w+\s+){0,2}?"
        + lexicon.DENIAL_WORDS.pattern,
        words,
        re.IGNORECASE,
    )
    short = (
        quote is not None
        and len(quote.text.split()) <= 8
        and lexicon.DENIAL_WORDS.search(quote.text)
    )
    cjk = quote is not None and lexicon.DENIAL_WORDS_CJK.search(quote.text)
    return bool(frame or short or cjk)


def _endorsed(sentence: str, start: int, end: int, mentions: list[Mention], text: str) -> Target:
    possessor = re.match(r"^\s*(?:the\s+)?(.+?)(?:'s|’s)\s+(\w+)", sentence[start:end])
    if possessor is not None:
        owners = [m for m in mentions if start <= m.start < start + possessor.end(1) + 2]
        noun = possessor.group(2).lower()
        if owners:
            owner = owners[0].actors
            if noun in lexicon.STATEMENT_NOUNS:
                return Target("latest", kind=lexicon.STATEMENT_NOUNS[noun], by=owner, text=text)
            return Target("implied", by=owner, text=text)
    return Target("overlap", text=text)


def _nested(
    sentence: str,
    blank: str,
    verb: Verb,
    obj_start: int,
    stop: int,
    authors: tuple[ProposedActor, ...],
    mentions: list[Mention],
    quotes: list[Quote],
) -> list[Found] | None:
    """An answer whose object is a statement: "a claim by Y that Z as 'Q'", "Y's denial",
    "the reports"."""
    if verb.kind == "claim" or obj_start != verb.end:
        return None
    obj = blank[obj_start:stop]
    lead = re.match(
        r"^\s*(?:(?:the|a|an|its|his|her|their|earlier|latest|recent|repeated|renewed|"
        r"new)\s+)*(?:(?P<poss>[^,]{2,60}?)(?:'s|’s)\s+|(?P<adj>(?:[A-Z][\w.]*\s+){1,2}))?"
        r"(?:(?:earlier|latest|recent|repeated|renewed|new)\s+)*(?P<noun>\w+)\b",
        obj,
    )
    if lead is None or lead.group("noun").lower() not in lexicon.STATEMENT_NOUNS:
        return None
    noun = lead.group("noun").lower()
    after = obj_start + lead.end()
    owner: tuple[ProposedActor, ...] = ()
    if lead.group("poss") or lead.group("adj"):
        owners = [m for m in mentions if obj_start <= m.start < obj_start + lead.start("noun")]
        owner = owners[-1].actors if owners else ()
    elif re.match(r"^\s*(?:its|his|her|their|own)\b", obj):
        owner = authors  # "retracted its claim", "walked back his remarks"
    by = re.match(r"^\s+(?:made\s+)?(?:by|from|of)\s+", blank[after:stop])
    if by is not None:
        owners = [m for m in mentions if m.start == after + by.end()]
        if owners:
            owner = owners[0].actors
            after = owners[0].end
    content: tuple[int, int] | None = None
    that = re.match(r"^\s*,?\s*that\s+", blank[after:stop])
    answer_quote: Quote | None = None
    as_match = re.search(r"\s*,?\s+(?:as|calling\s+(?:it|them))\s+_*[“\"«‘']", blank[after:stop])
    content_end = stop if as_match is None else after + as_match.start()
    if as_match is not None:
        answer_quote = quote_in(quotes, after + as_match.start(), stop)
    if that is not None:
        content = (after + that.end(), content_end)
    elif answer_quote is None:
        answer_quote = quote_in(quotes, after, stop)
    span = (verb.start, stop)
    kind_of_target = lexicon.STATEMENT_NOUNS[noun]
    found: list[Found] = []
    if content is not None and owner and kind_of_target in ("claim", None):
        text = sentence[content[0] : content[1]].strip().rstrip(",")
        about = actors_in(mentions, *content)
        claim = Found(
            "claim",
            owner,
            text,
            quote_in(quotes, *content),
            content[0],
            content[1],
            0.85,
            about,
            form="nested",
        )
        found.append(claim)
        target = Target("nested", claim=claim)
    elif content is not None:
        text = sentence[content[0] : content[1]].strip().rstrip(",")
        target = Target("overlap", by=owner, text=text)
    else:
        target = Target("latest", kind=kind_of_target, by=owner)
    answer = Found(
        verb.kind,
        authors,
        None,
        answer_quote,
        span[0],
        span[1],
        0.9,
        [],
        target,
        form="answer",
        content=content,
    )
    if content is not None and not owner:
        answer.text = sentence[content[0] : content[1]].strip().rstrip(",")
    found.append(answer)
    return found

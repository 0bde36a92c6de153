"""``factdb.extract`` on concrete text: kinds, authors, targets, quotes byte for byte, dates
against the day of publication, actors with titles, demonyms and institutions. No record:
the tests that use one are in test_extract_cli.py (on both databases)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from factdb.errors import InvalidInput
from factdb.extract import Draft, ProposedStatement, draft_lines, extract
from factdb.extract.article import MAX_BYTES, decode_article, sentences
from factdb.extract.quotes import find_quotes, quote_language
from factdb.extract.review import edit, keep

DEMO = (
    Path(__file__).resolve().parent.parent / "bench" / "extract_gold" / "nagorno-karabakh-2020.txt"
)
URL = "https://example.org/news/2020/10/18/pakistan-rejects-armenian-claim"


def demo_text() -> str:
    """The worked example (a copy of ``/work/shared/examples/…``), no-break spaces and all."""
    return DEMO.read_text(encoding="utf-8")


def rows(draft: Draft) -> list[tuple[str, str, str | None, str | None, str | None]]:
    """(kind, author, what it answers as 'kind by author', text, quote) of each proposal."""
    by_ref = {statement.ref: statement for statement in draft.statements}
    found = []
    for statement in draft.statements:
        target = by_ref.get(statement.responds_to or "")
        answers = None if target is None else f"{target.kind} by {target.by}"
        found.append((statement.kind, statement.by, answers, statement.text, statement.quote))
    return found


def one(draft: Draft, kind: str) -> ProposedStatement:
    matching = [statement for statement in draft.statements if statement.kind == kind]
    assert len(matching) == 1, rows(draft)
    return matching[0]


# ----------------------------------------------------------------------------- the demo


def test_the_demo_article_gives_the_statements_an_analyst_would_log() -> None:
    draft = extract(demo_text(), published="2020-10-18", url=URL)
    assert rows(draft) == [
        (
            "claim",
            "Imran Khan",
            None,
            "Pakistan stands with Azerbaijan in its quest to resolve Nagorno-Karabakh issue as "
            "per United Nations Security Council (UNSC) resolutions",
            None,
        ),
        (
            "claim",
            "Nikol Pashinyan",
            None,
            "Pakistani special forces were reportedly fighting alongside the Azerbaijani army",
            None,
        ),
        (
            "denial",
            "Ministry of Foreign Affairs of Pakistan",
            "claim by Nikol Pashinyan",
            None,
            "baseless and unwarranted",
        ),
        (
            "claim",
            "Ministry of Foreign Affairs of Pakistan",
            None,
            "the leadership of Armenia should halt its “irresponsible propaganda”",
            "irresponsible propaganda",
        ),
        ("claim", "Azerbaijan", None, "Azerbaijan’s right to self-defence", None),
        (
            "endorsement",
            "Ministry of Foreign Affairs of Pakistan",
            "claim by Azerbaijan",
            "Azerbaijan’s right to self-defence",
            None,
        ),
        (
            "claim",
            "Azerbaijan",
            None,
            "Azerbaijani forces have made important gains along the front in the past week",
            None,
        ),
        (
            "admission",
            "Armenia",
            "claim by Azerbaijan",
            "Azerbaijani forces have made important gains along the front in the past week",
            None,
        ),
        (
            "claim",
            "Ministry of Foreign Affairs of Azerbaijan",
            None,
            "they will\xa0declare a “humanitarian truce”\xa0from midnight",
            "humanitarian truce",
        ),
        (
            "claim",
            "Ministry of Foreign Affairs of Armenia",
            None,
            "they will\xa0declare a “humanitarian truce”\xa0from midnight",
            "humanitarian truce",
        ),
        (
            "claim",
            "Sergey Lavrov",
            None,
            "“the need to strictly follow” a ceasefire deal agreed in Moscow last Saturday",
            "the need to strictly follow",
        ),
        ("claim", "Armenia", None, "Azerbaijan violated the deal", None),
        ("claim", "Azerbaijan", None, "Armenia violated the deal", None),
    ]


def test_the_pakistani_rejection_in_detail() -> None:
    text = demo_text()
    draft = extract(text, published="2020-10-18", url=URL)
    denial = one(draft, "denial")
    claim = next(s for s in draft.statements if s.ref == denial.responds_to)
    assert (denial.quote, denial.lang, denial.date) == (
        "baseless and unwarranted",
        "en",
        "2020-10-17",
    )
    assert (claim.date, claim.about) == ("2020-10", ["Pakistan", "Azerbaijan"])
    assert denial.evidence.paragraph == claim.evidence.paragraph == 4
    assert text[denial.evidence.start : denial.evidence.end].startswith(
        "rejected a claim\xa0by Armenian Prime Minister"
    )
    assert denial.evidence.sentence.startswith("A day earlier, Pakistan had\xa0rejected")
    assert denial.as_json(url=URL)["sources"] == [{"url": URL, "locator": "paragraph 4"}]
    assert not claim.implied and claim.note is None


def test_actors_from_titles_demonyms_and_institutions() -> None:
    draft = extract(demo_text(), published="2020-10-18")
    actors = {actor.name: actor.as_json() for actor in draft.actors}
    assert actors["Nikol Pashinyan"] == {
        "type": "actor",
        "name": "Nikol Pashinyan",
        "kind": "person",
        "country": "AM",
        "affiliations": [{"organization": "Armenia", "role": "Prime Minister"}],
    }
    assert actors["Sergey Lavrov"]["affiliations"] == [
        {"organization": "Ministry of Foreign Affairs of Russia", "role": "Foreign Minister"}
    ]
    # "the Foreign Office", after Pakistan spoke: Pakistan's foreign ministry
    assert actors["Ministry of Foreign Affairs of Pakistan"] == {
        "type": "actor",
        "name": "Ministry of Foreign Affairs of Pakistan",
        "kind": "ministry",
        "country": "PK",
        "aliases": ["Pakistan Foreign Office", "Pakistani Foreign Ministry"],
        "affiliations": [{"organization": "Pakistan"}],
    }
    # an organization comes before its members
    names = list(actors)
    assert names.index("Pakistan") < names.index("Ministry of Foreign Affairs of Pakistan")
    assert names.index("Ministry of Foreign Affairs of Russia") < names.index("Sergey Lavrov")


def test_a_demonym_names_its_state() -> None:
    draft = extract("Iran said that Azeri drones had crossed the border.")
    assert draft.statements[0].about == ["Azerbaijan"]


# ----------------------------------------------------------------------------- kinds


@pytest.mark.parametrize(
    ("sentence", "kind"),
    [
        ("Turkey rejected Armenia’s claim that Turkish jets had been used.", "denial"),
        ("Turkey denied Armenia’s claim that Turkish jets had been used.", "denial"),
        ("Turkey dismissed Armenia’s claim that Turkish jets had been used.", "denial"),
        ("Turkey refuted Armenia’s claim that Turkish jets had been used.", "denial"),
        ("Turkey questioned Armenia’s claim that Turkish jets had been used.", "dispute"),
        ("Turkey disputed Armenia’s claim that Turkish jets had been used.", "dispute"),
        ("Turkey cast doubt on Armenia’s claim that Turkish jets had been used.", "dispute"),
        ("Russia backed Armenia’s claim that Turkish jets had been used.", "endorsement"),
        ("Russia endorsed Armenia’s claim that Turkish jets had been used.", "endorsement"),
        ("Russia welcomed Armenia’s claim that Turkish jets had been used.", "endorsement"),
        ("Armenia retracted its claim that Turkish jets had been used.", "retraction"),
        ("Armenia withdrew its claim that Turkish jets had been used.", "retraction"),
        ("Armenia walked back its claim that Turkish jets had been used.", "retraction"),
    ],
)
def test_reporting_verbs_give_kinds(sentence: str, kind: str) -> None:
    draft = extract(sentence)
    answer = draft.statements[-1]
    assert answer.kind == kind
    claim = draft.statements[0]
    assert (claim.kind, claim.by, claim.text) == (
        "claim",
        "Armenia",
        "Turkish jets had been used",
    )
    assert answer.responds_to == claim.ref


@pytest.mark.parametrize(
    ("verb", "kind"),
    [
        ("admitted", "admission"),
        ("acknowledged", "admission"),
        ("conceded", "admission"),
        ("said", "claim"),
        ("claimed", "claim"),
        ("alleged", "claim"),
        ("asserted", "claim"),
    ],
)
def test_that_clauses(verb: str, kind: str) -> None:
    draft = extract(f"Armenia {verb} that Azerbaijani forces had made gains.")
    statement = draft.statements[-1]
    assert (statement.kind, statement.by, statement.text) == (
        kind,
        "Armenia",
        "Azerbaijani forces had made gains",
    )
    if kind == "admission":  # what is admitted is the other side's (implied) claim
        target = draft.statements[0]
        assert (target.kind, target.by, target.implied) == ("claim", "Azerbaijan", True)
        assert statement.responds_to == target.ref


def test_the_words_make_a_denial() -> None:
    draft = extract(
        "Armenia claimed that Turkish F-16 jets had shot down an Armenian warplane.\n\n"
        '"These reports are completely false," a spokesman for the Turkish Defence Ministry said.'
    )
    assert rows(draft) == [
        ("claim", "Armenia", None, "Turkish F-16 jets had shot down an Armenian warplane", None),
        (
            "denial",
            "Ministry of Defence of Turkey",
            "claim by Armenia",
            "These reports are completely false",
            "These reports are completely false",
        ),
    ]


def test_rejecting_a_proposal_is_no_denial() -> None:
    for sentence in (
        "Russia rejected a Turkish proposal for new talks in Istanbul.",
        "Russia rejected the demand.",
        "Azerbaijan dismissed the offer of mediation.",
        "Russia withdrew its troops from the border.",
    ):
        assert extract(sentence).statements == [], sentence
    denial = extract("Russia rejected Ukraine’s claim that the talks had failed.").statements[1]
    assert denial.kind == "denial"


def test_a_nested_report_is_a_claim_and_its_denial() -> None:
    draft = extract(
        "Pakistan rejected a claim by Armenian Prime Minister Nikol Pashinyan that Pakistani "
        "special forces were fighting in Karabakh as “baseless and unwarranted”."
    )
    claim, denial = draft.statements
    assert (claim.kind, claim.by, claim.text, claim.about) == (
        "claim",
        "Nikol Pashinyan",
        "Pakistani special forces were fighting in Karabakh",
        ["Pakistan"],
    )
    assert (denial.kind, denial.by, denial.responds_to, denial.quote) == (
        "denial",
        "Pakistan",
        claim.ref,
        "baseless and unwarranted",
    )


def test_a_mutual_accusation_is_two_claims_each_about_the_other() -> None:
    draft = extract(
        "Armenia and Azerbaijan agreed to a ceasefire, but then both accused each other of "
        "violating the deal."
    )
    assert [(s.kind, s.by, s.text, s.about) for s in draft.statements] == [
        ("claim", "Armenia", "Azerbaijan violated the deal", ["Azerbaijan"]),
        ("claim", "Azerbaijan", "Armenia violated the deal", ["Armenia"]),
    ]


def test_accused_of() -> None:
    (claim,) = extract("Ukraine accused Russia of blocking grain shipments.").statements
    assert (claim.kind, claim.by, claim.text, claim.about) == (
        "claim",
        "Ukraine",
        "Russia blocked grain shipments",
        ["Russia"],
    )


def test_a_denial_of_a_denial() -> None:
    draft = extract(
        "China claimed that Indian troops had crossed the line.\n\n"
        "India rejected the claim as “baseless”.\n\n"
        "Chinese Foreign Ministry spokesperson Wang Wenbin dismissed India’s denial as "
        "“a distortion of facts”."
    )
    assert rows(draft) == [
        ("claim", "China", None, "Indian troops had crossed the line", None),
        ("denial", "India", "claim by China", None, "baseless"),
        ("denial", "Wang Wenbin", "denial by India", None, "a distortion of facts"),
    ]
    wang = next(actor for actor in draft.actors if actor.name == "Wang Wenbin")
    assert (wang.organization, wang.role) == (
        "Ministry of Foreign Affairs of China",
        "Spokesperson",
    )


def test_a_retraction_answers_the_authors_own_claim() -> None:
    draft = extract(
        "Belarusian President Alexander Lukashenko said on Tuesday that Ukraine was preparing "
        "an attack.\n\nUkraine’s Foreign Ministry dismissed the claim as “absurd”.\n\n"
        "On Thursday, Lukashenko walked back his remarks, saying he had been “misunderstood”.",
        published="2022-10-14",
    )
    assert [(s.kind, s.by, s.quote, s.date) for s in draft.statements] == [
        ("claim", "Alexander Lukashenko", None, "2022-10-11"),
        ("denial", "Ministry of Foreign Affairs of Ukraine", "absurd", "2022-10"),
        ("retraction", "Alexander Lukashenko", "misunderstood", "2022-10-13"),
    ]
    assert draft.statements[2].responds_to == draft.statements[0].ref


# ----------------------------------------------------------------------------- quotes


def test_quotes_are_kept_byte_for_byte_with_their_language() -> None:
    draft = extract(
        "«Это ложь от начала до конца», Foreign Ministry spokeswoman Maria Zakharova said.\n\n"
        "Egyptian President Abdel Fattah al-Sisi said: “لن نسمح بالمساس بحقوقنا المائية”.\n\n"
        'Armenian Prime Minister Nikol Pashinyan said: "We won\'t give up."'
    )
    assert [(s.by, s.quote, s.lang) for s in draft.statements] == [
        ("Maria Zakharova", "Это ложь от начала до конца", "ru"),
        ("Abdel Fattah al-Sisi", "لن نسمح بالمساس بحقوقنا المائية", "ar"),
        ("Nikol Pashinyan", "We won't give up", "en"),
    ]


def test_quote_marks_and_apostrophes() -> None:
    sentence = "Azerbaijan’s envoy called it ‘a provocation’ and „ein Fehler“ in 'plain' words."
    assert [quote.text for quote in find_quotes(sentence)] == [
        "a provocation",
        "ein Fehler",
        "plain",
    ]
    assert [
        quote_language(q)
        for q in ("Ні", "Да", "پاسخ", "ہے", "Əliyev dedi", "Merhaba, ğ", "本当", "ありがとう", "Hi")
    ] == ["uk", "ru", "fa", "ur", "az", "tr", "zh", "ja", "en"]


# ----------------------------------------------------------------------------- dates


def test_dates_count_from_publication_and_never_after_it() -> None:
    text = "\n\n".join(
        [
            "On Sunday, Pakistan said it stands with Azerbaijan.",  # published on a Sunday
            "On Saturday, Azerbaijan said it would fight on.",
            "A day earlier, Iran said it would mediate.",  # the day before Saturday
            "Last Saturday, Armenia said the truce held.",  # a week before
            "Yesterday, Turkey said it was ready.",
            "Russia said it was worried.",  # no date: the article's month
            "On October 25, Georgia said it was neutral.",  # after publication: the year before
            "On 2 October, Greece said it was neutral.",
        ]
    )
    draft = extract(text, published="2020-10-18")
    assert [(s.by, s.date) for s in draft.statements] == [
        ("Pakistan", "2020-10-18"),
        ("Azerbaijan", "2020-10-17"),
        ("Iran", "2020-10-16"),
        ("Armenia", "2020-10-10"),
        ("Turkey", "2020-10-17"),
        ("Russia", "2020-10"),
        ("Georgia", "2019-10-25"),
        ("Greece", "2020-10-02"),
    ]
    assert [s.date for s in extract(text).statements][-2:] == [None, None]


def test_a_date_in_the_text_stands_in_for_publication() -> None:
    draft = extract("October 18, 2020\n\nOn Saturday, Azerbaijan said it would fight on.")
    assert (draft.published, draft.statements[0].date) == ("2020-10-18", "2020-10-17")


def test_a_bad_published_date_is_refused() -> None:
    with pytest.raises(InvalidInput, match=r"^published: '18/10/2020' is not a day; use"):
        extract("Armenia said so.", published="18/10/2020")


# ----------------------------------------------------------------------------- input


def test_sentences_keep_their_spans_and_paragraphs() -> None:
    text = "ISLAMABAD– Mr. Khan said “It is false. All of it.” Then he left.\n\nNew paragraph."
    found = sentences(text)
    assert [(s.text, s.paragraph) for s in found] == [
        ("ISLAMABAD– Mr. Khan said “It is false. All of it.”", 1),
        ("Then he left.", 1),
        ("New paragraph.", 2),
    ]
    assert all(text[s.start : s.end] == s.text for s in found)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "FILE: is empty; give the text of an article"),
        (b" \n\t\n", "FILE: is empty; give the text of an article"),
        (b"PK\x03\x04\x00\x00", "FILE: is binary, not text (it contains NUL bytes)"),
        (b"caf\xe9 au lait", "FILE: is not UTF-8 text (byte 3 cannot be decoded)"),
        (
            b"Armenia\x1b[31m said",
            "FILE: is binary, not text (it contains the control character 0x1b)",
        ),
        (
            b"a" * (MAX_BYTES + 1),
            f"FILE: {MAX_BYTES + 1:,} bytes is too big for an article "
            f"(at most {MAX_BYTES:,} bytes)",
        ),
    ],
)
def test_bad_input_is_refused(data: bytes, message: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        decode_article(data)
    assert str(caught.value) == message


def test_empty_text_is_refused_by_the_library() -> None:
    with pytest.raises(InvalidInput, match=r"^text: is empty"):
        extract("   ")


# ----------------------------------------------------------------------------- output


def test_the_draft_is_factdb_json_lines() -> None:
    draft = extract(
        "Ukraine accused Russia of blocking grain shipments.\n\nRussia rejected the accusation "
        "as “a blatant lie”.",
        published="2023-07-20",
        url="HTTPS://Example.org/a#top",
        topics=["Black Sea grain deal"],
    )
    lines = [json.loads(line) for line in draft_lines(draft)]
    claim_ref, denial_ref = (s.ref for s in draft.statements)
    source = {"url": "https://example.org/a", "locator": "paragraph 1"}
    assert lines == [
        {"factdb": 1},
        {"type": "source", "url": "https://example.org/a", "published": "2023-07-20"},
        {"type": "actor", "name": "Ukraine", "kind": "state", "country": "UA"},
        {
            "type": "actor",
            "name": "Russia",
            "kind": "state",
            "country": "RU",
            "aliases": ["Russian Federation"],
        },
        {
            "type": "statement",
            "ref": claim_ref,
            "kind": "claim",
            "by": "Ukraine",
            "date": "2023-07",
            "text": "Russia blocked grain shipments",
            "about": ["Russia"],
            "topics": ["Black Sea grain deal"],
            "sources": [source],
        },
        {
            "type": "statement",
            "ref": denial_ref,
            "kind": "denial",
            "by": "Russia",
            "responds_to": claim_ref,
            "date": "2023-07",
            "quote": "a blatant lie",
            "lang": "en",
            "topics": ["Black Sea grain deal"],
            "sources": [{**source, "locator": "paragraph 2"}],
        },
    ]
    # the same article gives the same refs (so importing it twice changes nothing)
    again = extract(
        "Ukraine accused Russia of blocking grain shipments.\n\nRussia rejected the accusation "
        "as “a blatant lie”.",
        url="https://example.org/a",
    )
    assert [s.ref for s in again.statements] == [claim_ref, denial_ref]


# ----------------------------------------------------------------------------- review


def test_review_edits_and_keeps_what_was_accepted() -> None:
    draft = extract(
        "China claimed that Indian troops had crossed the line.\n\n"
        "India rejected the claim as “baseless”.\n\nPakistan endorsed China’s claim."
    )
    claim, denial, endorsement = draft.statements
    assert endorsement.responds_to == claim.ref
    edited = edit(draft, denial, by="Ministry of Foreign Affairs of India", kind="dispute")
    assert (edited.by, edited.kind, edited.responds_to) == (
        "Ministry of Foreign Affairs of India",
        "dispute",
        claim.ref,
    )
    as_claim = edit(draft, denial, kind="claim")
    assert (as_claim.responds_to, as_claim.text) == (None, "baseless")
    with pytest.raises(
        InvalidInput, match=r"^target: 'x-nope' is neither a proposal's ref nor \#ID"
    ):
        edit(draft, denial, responds_to="x-nope")
    with pytest.raises(InvalidInput, match=r"^kind: 'rumour' is not one of claim, denial"):
        edit(draft, denial, kind="rumour")
    kept, dropped = keep(draft, [denial, edit(draft, endorsement, responds_to="#7")])
    # the denial answered the claim, which was skipped; the endorsement now answers #7
    assert dropped == [denial.ref]
    assert [(s.kind, s.responds_to) for s in kept.statements] == [("endorsement", "#7")]
    assert [actor.name for actor in kept.actors] == ["Pakistan"]


def test_attribution_coordination_and_unnamed_officials() -> None:
    draft = extract(
        "Kremlin spokesman Dmitry Peskov said the United States had the most to gain.\n\n"
        "The United States rejected Peskov's claim as “preposterous”, a State Department "
        "spokesman said.\n\n"
        "Denmark and Sweden questioned the rejection, saying inquiries were continuing.\n\n"
        "An Israeli official said that the talks had failed.\n\n"
        "“We never walked out,” Hamas official Basem Naim told reporters, calling the Israeli "
        "statement “pure lies”.\n\n"
        "Russia’s Foreign Ministry denied any involvement, calling the accusations “absurd”.\n\n"
        "The Russian ministry later said that it would cooperate."
    )
    assert rows(draft) == [
        ("claim", "Dmitry Peskov", None, "the United States had the most to gain", None),
        # the closing "said" names who spoke for the United States; no second statement
        (
            "denial",
            "United States Department of State",
            "claim by Dmitry Peskov",
            None,
            "preposterous",
        ),
        ("dispute", "Denmark", "denial by United States Department of State", None, None),
        ("dispute", "Sweden", "denial by United States Department of State", None, None),
        ("claim", "Israel", None, "the talks had failed", None),
        (
            "denial",
            "Basem Naim",
            "claim by Israel",
            "We never walked out",
            "We never walked out",
        ),
        # nothing it shares words with: the latest claim by someone else
        (
            "denial",
            "Ministry of Foreign Affairs of Russia",
            "claim by Israel",
            "any involvement",
            "absurd",
        ),
        ("claim", "Ministry of Foreign Affairs of Russia", None, "it would cooperate", None),
    ]
    naim = next(actor for actor in draft.actors if actor.name == "Basem Naim")
    assert (naim.organization, naim.role) == ("Hamas", "Official")


def test_officials_blame_oppositions_and_offers() -> None:
    draft = extract(
        "Turkish officials said on Friday that a ship had been struck by a mine.\n\n"
        "Ukraine’s navy blamed Russia, saying the mine had been laid by Russian forces.\n\n"
        "Romania offered to help clear the lanes, an offer Russia rejected.\n\n"
        "Georgia’s opposition claimed that the election had been rigged.\n\n"
        "The official results were published on Monday.",
        published="2023-10-07",
    )
    assert [(s.kind, s.by, s.text, s.about, s.date) for s in draft.statements] == [
        ("claim", "Turkey", "a ship had been struck by a mine", [], "2023-10-06"),
        (
            "claim",
            "Ministry of Defence of Ukraine",
            "the mine had been laid by Russian forces",
            ["Russia"],
            "2023-10",
        ),
        ("claim", "Georgian opposition", "the election had been rigged", [], "2023-10"),
    ]
    opposition = next(a for a in draft.actors if a.name == "Georgian opposition")
    assert (opposition.kind, opposition.country, opposition.organization) == (
        "organization",
        "GE",
        None,
    )


def test_an_answer_is_never_dated_before_what_it_answers() -> None:
    # published on Friday 2 October: Wednesday is 30 September, before the article's month
    draft = extract(
        "On Wednesday, Turkey rejected Armenia’s claim that Turkish jets had been used.",
        published="2020-10-02",
    )
    assert [(s.kind, s.date) for s in draft.statements] == [
        ("claim", "2020-09-30"),
        ("denial", "2020-09-30"),
    ]


def test_coast_guards_demonym_owners_chinese_denials_and_called() -> None:
    draft = extract(
        "The Philippine coast guard said on Monday that Chinese vessels had rammed its boats.\n\n"
        "The United States and Japan backed the Philippine account.\n\n"
        "Chinese Foreign Ministry spokesman Lin Jian said: “菲方的说法完全是歪曲事实”.\n\n"
        "Russia called the report Western propaganda.\n\n"
        "Kurti withdrew his claim, though he insisted that the threat remained real.",
        published="2024-06-18",
    )
    assert rows(draft)[:5] == [
        ("claim", "Philippines", None, "Chinese vessels had rammed its boats", None),
        ("endorsement", "United States", "claim by Philippines", None, None),
        ("endorsement", "Japan", "claim by Philippines", None, None),
        (
            "denial",
            "Lin Jian",
            "claim by Philippines",
            "菲方的说法完全是歪曲事实",
            "菲方的说法完全是歪曲事实",
        ),
        ("denial", "Russia", "claim by Philippines", "Western propaganda", None),
    ]
    assert draft.statements[3].lang == "zh"
    assert extract("Critics called for an inquiry.").statements == []


def test_he_is_the_person_the_sentence_names() -> None:
    draft = extract(
        "Serbian President Aleksandar Vučić said that troops were on alert.\n\n"
        "Kosovo Prime Minister Albin Kurti said on Sunday that Serbia had massed troops, "
        "though he later insisted that the threat remained real."
    )
    assert [(s.by, s.text) for s in draft.statements] == [
        ("Aleksandar Vučić", "troops were on alert"),
        ("Albin Kurti", "Serbia had massed troops"),
        ("Albin Kurti", "the threat remained real"),
    ]


def test_what_may_stand_between_a_speaker_and_its_verb() -> None:
    from factdb.extract.rules import is_gap

    assert is_gap(" had firmly ")
    assert is_gap(", on Sunday, in a statement, ")
    assert is_gap(" ______ ")
    assert not is_gap(" and Azerbaijan ")
    # a long run that almost matches: one backtracking expression took minutes on it
    assert not is_gap(" " + "_ " * 5000 + "x")
    assert extract("Armenia " + "“_” " * 2000 + "x said that it was so.").statements == []

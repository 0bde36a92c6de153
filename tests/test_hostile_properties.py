"""Property-based checks of the command line: random valid claims are accepted and read back
as given (after the documented trimming and NFC normalization); random garbage in one field is
refused with one line naming that field, and nothing is written."""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Callable
from typing import Any

from conftest import Cli
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from factdb.dates import parse_date
from factdb.errors import InvalidInput
from factdb.text import name_key

Snapshot = Callable[[], dict[str, list[tuple[Any, ...]]]]
ACTORS = ("Pakistan", "Armenia", "Nikol Pashinyan")


def examples(backend: str) -> int:
    return 50 if backend == "sqlite" else 12


def _settings(backend: str) -> Callable[[Any], Any]:
    return settings(
        max_examples=examples(backend),
        deadline=None,
        derandomize=True,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )


# Any character a person could type: no control characters but newline and tab, no lone
# surrogates (which the operating system never passes as an argument).
TYPED = st.characters(
    exclude_categories=("Cs", "Cc"), include_characters="\n\t", codec="utf-8"
) | st.sampled_from("Пакистан पाकिस्तान باكستان Վ ǅ ﬁ é́ '\";<>&%_\\")


def normalized(value: str) -> str:
    return unicodedata.normalize("NFC", value).strip()


TEXT = st.text(TYPED, min_size=1, max_size=200).map(normalized).filter(bool)
DATES = st.one_of(
    st.integers(1000, 2999).map(lambda y: f"{y:04d}"),
    st.dates().filter(lambda d: d.year >= 1000).map(lambda d: d.isoformat()[:7]),
    st.dates().filter(lambda d: d.year >= 1000).map(lambda d: d.isoformat()),
)
HOSTS = st.from_regex(r"\A[a-z][a-z0-9-]{0,20}\.(org|com|am|pk|az)\Z")
PATHS = st.from_regex(r"\A(/[A-Za-z0-9._~-]{0,12}){1,3}\Z")
URLS = st.builds(lambda host, path: f"https://{host}{path}", HOSTS, PATHS)


@st.composite
def claims(draw: st.DrawFn) -> dict[str, Any]:
    topics = draw(st.lists(TEXT.filter(lambda t: len(t) <= 80), max_size=2))
    keys = [name_key(topic) for topic in topics]
    return {
        "text": draw(TEXT),
        "by": draw(st.sampled_from(ACTORS)),
        "date": draw(st.none() | DATES),
        "quote": draw(st.none() | TEXT),
        "lang": draw(st.none() | st.sampled_from(["en", "ur", "hy", "az", "ru", "hi", "ar"])),
        "note": draw(st.none() | TEXT),
        "about": draw(st.lists(st.sampled_from(ACTORS), unique=True, max_size=2)),
        "topics": [t for i, t in enumerate(topics) if keys.index(keys[i]) == i and keys[i]],
        "sources": draw(st.lists(URLS, unique=True, max_size=2)),
    }


def claim_args(claim: dict[str, Any]) -> list[str]:
    args = ["claim", "add", "--by", claim["by"], "--format", "json"]
    for flag in ("date", "quote", "lang", "note"):
        if claim[flag] is not None:
            args.append(f"--{'on' if flag == 'date' else flag}={claim[flag]}")
    for flag, key in (("--about", "about"), ("--topic", "topics"), ("--source", "sources")):
        for value in claim[key]:
            args.append(f"{flag}={value}")
    return [*args, "--", claim["text"]]  # after --, a text starting with "-" is still TEXT


def seed(cli: Cli) -> None:
    cli.ok("actor", "add", "Pakistan", "--kind", "state", "--country", "PK")
    cli.ok("actor", "add", "Armenia", "--kind", "state", "--country", "AM")
    cli.ok("actor", "add", "Nikol Pashinyan", "--kind", "person", "--member-of", "Armenia")


def test_random_valid_claims_are_accepted_and_read_back(cli: Cli, backend: str) -> None:
    seed(cli)
    topic_names: dict[str, str] = {}

    @_settings(backend)
    @given(claim=claims())
    def check(claim: dict[str, Any]) -> None:
        added = json.loads(cli.ok(*claim_args(claim)).stdout)
        shown = cli.json("show", str(added["id"]))["statement"]
        for record in (added, shown):
            assert record["text"] == claim["text"]
            assert record["actor"] == claim["by"]
            assert record["quote"] == claim["quote"]
            assert record["note"] == claim["note"]
            assert record["lang"] == claim["lang"]
            assert record["date"] == claim["date"]
            assert record["about"] == claim["about"]
            assert [s["url"] for s in record["sources"]] == claim["sources"]
            # a topic keeps the spelling it was first given
            for given_name, stored in zip(claim["topics"], record["topics"], strict=True):
                assert name_key(stored) == name_key(given_name)
                assert topic_names.setdefault(name_key(stored), stored) == stored

    check()


def _not_a_date(value: str) -> bool:
    try:
        parse_date(value, "--on")
    except InvalidInput:
        return True
    return False


CONTROL = st.characters(categories=("Cc",), exclude_characters="\n\t\x00")
WITH_CONTROL = st.builds(
    lambda before, ch, after: before + ch + after, TEXT, CONTROL, st.text(TYPED, max_size=20)
)
NOT_A_URL = st.text(TYPED, max_size=60).filter(
    lambda v: not v.strip().lower().startswith(("http://", "https://"))
)
GARBAGE = st.one_of(
    st.tuples(st.just("TEXT"), st.one_of(WITH_CONTROL, st.sampled_from(["", " ", "\n\t "]))),
    st.tuples(st.just("--note"), WITH_CONTROL),
    st.tuples(st.just("--quote"), WITH_CONTROL),
    st.tuples(st.just("--topic"), st.one_of(WITH_CONTROL, st.just(" "))),
    st.tuples(st.just("--on"), st.text(TYPED, max_size=12).filter(_not_a_date)),
    st.tuples(st.just("--by"), st.text(TYPED, max_size=30).filter(lambda n: n not in ACTORS)),
    st.tuples(st.just("--about"), TEXT.filter(lambda n: name_key(n) not in _KNOWN)),
    st.tuples(st.just("--source"), NOT_A_URL),
    st.tuples(
        st.just("--lang"),
        st.text(TYPED, min_size=1, max_size=12).filter(
            lambda v: not v.strip().replace("-", "").isascii() or not v.strip().isalpha()
        ),
    ),
)
_KNOWN = {name_key(actor) for actor in ACTORS} | {"#1", "#2", "#3"}


def test_random_garbage_is_refused_naming_the_field(
    cli: Cli, backend: str, snapshot: Snapshot
) -> None:
    seed(cli)
    before = snapshot()

    @_settings(backend)
    @given(garbage=GARBAGE)
    def check(garbage: tuple[str, str]) -> None:
        field, value = garbage
        args = ["claim", "add", "--by", "Pakistan", "--quote", "q"]
        if field == "--by":
            args = ["claim", "add", "--quote", "q"]
        text = "A claim"
        if field == "TEXT":
            text = value
        else:
            args.append(f"{field}={value}")
        result = cli(*args, "--", text)
        assert result.exit_code in (1, 2), (result.exit_code, result.stdout, result.stderr)
        assert result.stdout == ""
        assert result.exception is None or isinstance(result.exception, SystemExit)
        lines = result.stderr.splitlines()
        assert len(lines) == 1, result.stderr
        assert lines[0].startswith(f"error: {field}: "), lines[0]

    check()
    assert snapshot() == before

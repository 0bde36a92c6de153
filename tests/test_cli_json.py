"""``--format json`` text: written by orjson for speed, the same text as
``json.dumps(data, ensure_ascii=False, indent=2)`` for any JSON value a record can hold."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from factdb.cli.common import dump_json

LEAVES = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text()
)
VALUES = st.recursive(
    LEAVES,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(), children),
    max_leaves=30,
)


def standard(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2)


@settings(max_examples=400, deadline=None)
@given(VALUES)
def test_the_same_text_as_the_standard_encoder(data: Any) -> None:
    assert dump_json(data) == standard(data)


def test_the_cases_orjson_writes_differently_fall_back() -> None:
    for data in (
        [{"agreement": 2.5e-07}, {"agreement": 1e-05}],  # json: 1e-05, orjson: 1e-5
        [6.103515625e-05, -1.5e-05, 9.9e-05],  # json: 6.103515625e-05, orjson: 0.00006103515625
        [5e-06, -9.5e-09, 1e-10, 2.5e-300],  # json: 5e-06, orjson: 5e-6; from e-10 alike
        [1e16, -1.5e16, 1.2e30, 1e300, 1e15],  # json and orjson: 1e+16
        {"id": 2**64},  # past orjson's 64-bit integers
        {1: "a key that is not a string"},
        ['control \x00\x1f\x7f characters, quotes " \\ and line\nbreaks \u2028'],
        [{"text": "the 12e5 looks like a float", "note": "ceasefire 2e+3"}],
        [],
        {},
    ):
        assert dump_json(data) == standard(data)

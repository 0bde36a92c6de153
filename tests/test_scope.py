"""The query scope: built once with its dates parsed, immutable, errors naming its fields; the
command line's one table shows those fields as flags."""

from __future__ import annotations

import datetime as dt

import pytest

from factdb.cli.common import FLAGS, flagged
from factdb.dates import PartialDate
from factdb.errors import InvalidInput
from factdb.queries.scope import Scope


def test_scope_parses_its_dates_once() -> None:
    scope = Scope(by="Pakistan", since="2020-10", until="2020", as_of="2020-11-09", direct=True)
    assert scope.since == PartialDate(dt.date(2020, 10, 1), "month")
    assert (scope.first_day, scope.last_day) == (dt.date(2020, 10, 1), dt.date(2020, 12, 31))
    assert scope.cutoff == dt.date(2020, 11, 9)
    assert (scope.by, scope.of, scope.direct, scope.roll_up) == ("Pakistan", None, True, False)
    assert Scope(since=scope.since) == Scope(since="2020-10")
    assert repr(Scope(topic="NK", direct=True)) == "Scope(direct=True, topic='NK')"
    with pytest.raises(AttributeError, match=r"^a Scope cannot be changed \(by\)$"):
        scope.by = "Armenia"


@pytest.mark.parametrize(
    ("given", "field_message", "flag_message"),
    [
        (
            {"as_of": "soon"},
            "as_of: 'soon' is not a date; use YYYY, YYYY-MM or YYYY-MM-DD",
            "--as-of: 'soon' is not a date; use YYYY, YYYY-MM or YYYY-MM-DD",
        ),
        ({"since": "2020-13"}, "since: '2020-13' is not a real date", None),
        (
            {"since": "2021", "until": "2020-06"},
            "until: 2020-06 is before since 2021",
            "--until: 2020-06 is before --since 2021",
        ),
    ],
)
def test_scope_errors_name_the_field_and_flagged_the_flag(
    given: dict[str, str], field_message: str, flag_message: str | None
) -> None:
    with pytest.raises(InvalidInput) as raised:
        Scope(**given)  # type: ignore[arg-type]
    assert str(raised.value) == field_message
    assert flagged(raised.value) == (flag_message or "--" + field_message)


def test_a_scope_or_its_fields_not_both() -> None:
    scope = Scope(by="Pakistan")
    assert Scope.of_args(scope, {}) is scope
    assert Scope.of_args(None, {"about": "Armenia"}) == Scope(about="Armenia")
    with pytest.raises(InvalidInput, match=r"^scope: give a Scope or about, not both$"):
        Scope.of_args(scope, {"about": "Armenia"})


def test_flagged_leaves_other_messages_alone() -> None:
    assert flagged(InvalidInput("NAME: must not be empty")) == "NAME: must not be empty"
    assert flagged(InvalidInput("kind: is required")) == "kind: is required"
    assert FLAGS["as_of"] == "--as-of" and FLAGS["roll_up"] == "--roll-up"

"""Listings print as box-drawn tables laid out as rich's ``Table`` laid them out (the CLI
used rich's ``Table`` until it cost a 30-row listing more than its query): same box, column
widths, wrapping and folding, without rich's console."""

from __future__ import annotations

import io
import random

import pytest
from rich.console import Console
from rich.table import Table
from rich.text import Text

from factdb.cli.plain_table import render_table, terminal_width

DENIALS = """\
                Denials                 
┏━━━━┳━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━┓
┃ id ┃ denier         ┃ quote          ┃
┡━━━━╇━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━┩
│ 1  │ Ministry of    │ baseless and   │
│    │ Foreign        │ unwarranted    │
│    │ Affairs of     │                │
│    │ Pakistan       │                │
│ 12 │ Armenia        │ https://news.e │
│    │                │ xample.org/202 │
│    │                │ 0/very-long-pa │
│    │                │ th             │
└────┴────────────────┴────────────────┘
"""  # noqa: W291 (the title is centred with spaces on both sides)


def test_a_table_too_wide_narrows_its_widest_columns_wraps_words_and_folds_urls() -> None:
    rows = [
        ["1", "Ministry of Foreign Affairs of Pakistan", "baseless and unwarranted"],
        ["12", "Armenia", "https://news.example.org/2020/very-long-path"],
    ]
    assert render_table(["id", "denier", "quote"], rows, 40, title="Denials") == DENIALS


def test_a_table_that_fits_keeps_its_natural_widths() -> None:
    assert render_table(["id", "actor"], [["3", "Vučić"], ["14", ""]], 80) == (
        "┏━━━━┳━━━━━━━┓\n"
        "┃ id ┃ actor ┃\n"
        "┡━━━━╇━━━━━━━┩\n"
        "│ 3  │ Vučić │\n"
        "│ 14 │       │\n"
        "└────┴───────┘\n"
    )


def test_tabs_are_expanded_controls_dropped_and_a_terminal_sees_bold_and_italics() -> None:
    assert render_table(["id", "quote"], [["7", "tab\there\rx"]], 40, title="T", styled=True) == (
        "          \x1b[3mT\x1b[0m           \n"
        "┏━━━━┳━━━━━━━━━━━━━━━┓\n"
        "┃ \x1b[1mid\x1b[0m ┃ \x1b[1mquote\x1b[0m         ┃\n"
        "┡━━━━╇━━━━━━━━━━━━━━━┩\n"
        "│ 7  │ tab     herex │\n"
        "└────┴───────────────┘\n"
    )


def test_the_width_is_columns_when_set(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "123")
    assert terminal_width() == 123


TEXTS = [
    "a",
    "Pakistan",
    "Ministry of Foreign Affairs",
    "baseless and unwarranted",
    "https://news12.example.org/2020/story-1234",
    "Vučić",
    "e\u0301te\u0301",
    "日本語テキストテキスト",
    "🙂 ok",
    "x" * 25,
    "  lead",
    "tail  ",
    "multi\nline",
    "end\n",
    "a\rb",
    "",
]
HEADERS = ["id", "denier", "on_behalf_of", "date", "quote", "statement", "sources"]


def _rich(header: list[str], rows: list[list[str]], width: int, title: str | None) -> str:
    table = Table(title=title, show_lines=False)
    for column in header:
        table.add_column(column, overflow="fold")
    for row in rows:
        table.add_row(*(Text(text) for text in row))
    out = io.StringIO()
    Console(file=out, width=width).print(table)
    return out.getvalue()


@pytest.mark.parametrize("seed", range(4))
def test_the_layout_is_rich_tables(seed: int) -> None:
    """Random tables, wrapped or not, come out as rich's ``Table`` printed them (columns of
    at least two cells of text: narrower, rich drops what does not fit and this shows it)."""
    rng = random.Random(seed)
    for _ in range(150):
        columns = rng.randint(1, 8)
        width = rng.choice([40, 60, 80, 100, 200])
        if width - columns - 1 < 4 * columns:
            continue
        header = [rng.choice(HEADERS) for _ in range(columns)]
        rows = [
            [" ".join(rng.choices(TEXTS, k=rng.randint(0, 6))) for _ in range(columns)]
            for _ in range(rng.randint(0, 4))
        ]
        title = rng.choice([None, "History", "Proposals (new actors: 3)"])
        assert render_table(header, rows, width, title=title) == _rich(header, rows, width, title)

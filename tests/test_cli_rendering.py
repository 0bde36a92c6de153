"""Tables show recorded text as it is: square brackets are data, not rich markup."""

from __future__ import annotations

from tests.conftest import Cli


def test_bracketed_text_survives_table_output(cli: Cli) -> None:
    cli.ok("actor", "add", "[bold]Desk[/bold]", "--kind", "media")
    cli.ok("claim", "add", "[nearly] 80 civilians [red]died", "--by", "[bold]Desk[/bold]")

    listing = cli.ok("claim", "list").stdout
    assert "[nearly]" in listing
    assert "[red]died" in listing
    assert "[bold]Desk[/bold]" in cli.ok("actor", "list").stdout
    assert "[bold]Desk[/bold]" in cli.ok("actor", "show", "[bold]Desk[/bold]").stdout

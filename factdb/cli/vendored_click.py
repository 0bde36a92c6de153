"""The click names the commands use, imported from one place.

typer 0.28 vendors click as ``typer._click`` (its choice type as ``typer._types``) and builds
every command from those classes. The ``click`` package, installed here only as a test
tool's dependency, has classes of its own that typer does not recognise, so ``import click``
cannot replace this. typer 0.29 uses the real click again but imports pydantic on every run
(see pyproject.toml); when typer is upgraded, this module is the one place to change.
"""

from __future__ import annotations

from typer._click import Command, Context, HelpFormatter, exceptions
from typer._click.core import ParameterSource
from typer._types import TyperChoice

__all__ = ["Command", "Context", "HelpFormatter", "ParameterSource", "exceptions"]


def choice(values: tuple[str, ...]) -> TyperChoice[str]:
    """A case-insensitive choice among ``values`` (a list from ``factdb.vocabulary``): the
    parameter type typer builds for an enum, built here from a tuple instead."""
    return TyperChoice(values, case_sensitive=False)

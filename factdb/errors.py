"""The library's own errors. The command line turns each into one line on stderr.

An error about a value names the field it came in, the parameter's name, before a colon
(``min_score: must be between 0 and 1, got 2``). Such an error knows the fields it names
(``at``, ``naming_fields``), so a caller can show them by other names: the command line shows
its flags (``--min-score: …``) from one table, ``factdb.cli.common.FLAGS``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Self


class FactDBError(Exception):
    """Base of every error the library raises on purpose."""

    fields: tuple[str, ...] = ()
    template = ""

    @classmethod
    def naming_fields(cls, template: str, *fields: str) -> Self:
        """An error whose message names ``fields``: ``template`` holds ``{}`` for each, in
        order (``"{}: 2020-06 is before {} 2021"``); any other brace must be doubled."""
        error = cls(template.format(*fields))
        error.template, error.fields = template, fields
        return error

    @classmethod
    def at(cls, field: str, message: str) -> Self:
        """An error about the value given in ``field``: ``{field}: {message}``."""
        escaped = message.replace("{", "{{").replace("}", "}}")
        return cls.naming_fields("{}: " + escaped, field)

    def naming(self, names: Mapping[str, str]) -> str:
        """The message with each field it names shown as ``names`` calls it (a field not in
        ``names`` keeps its own name)."""
        if not self.fields:
            return str(self)
        return self.template.format(*(names.get(field, field) for field in self.fields))


class InvalidInput(FactDBError):
    """A value given by the user is malformed or not allowed."""


class NotFound(FactDBError):
    """A referenced record does not exist."""


class UnknownActor(NotFound):
    """No actor has this name or alias."""


class AmbiguousActor(FactDBError):
    """Several actors answer to this name."""


class Conflict(FactDBError):
    """The change would duplicate or contradict an existing record."""


class DatabaseError(FactDBError):
    """The database cannot be used as asked (unreachable, out of date, locked)."""


class SchemaOutOfDate(DatabaseError):
    """The database is behind the code's migrations."""

"""The library's own errors. The command line turns each into one line on stderr."""


class FactDBError(Exception):
    """Base of every error the library raises on purpose."""


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

"""The spool: the cleaned sources and statements of the file, kept on disk between the
stages so that memory never holds the whole file."""

from __future__ import annotations

import marshal
import struct
import tempfile
from collections.abc import Iterator
from types import TracebackType
from typing import Any

_LENGTH = struct.Struct("<I")
# Records marshalled and written together: one call each instead of one per record. More
# records per batch buy little, and reading a large batch back makes many objects at once,
# which costs garbage collection passes over everything the import already holds.
BATCH = 100

# One spooled record: its tag ("o" a source, "s" a statement), its values, its position.
Spooled = tuple[str, tuple[Any, ...], int]


class Spool:
    """Records on a temporary file, added in batches of ``BATCH`` and read back one at a
    time, in the order added. A read does not go on once records were added after it began."""

    def __init__(self) -> None:
        self._file = tempfile.TemporaryFile("w+b")  # noqa: SIM115 - closed by close()
        self._batch: list[Spooled] = []

    def add(self, item: Spooled) -> None:
        self._batch.append(item)
        if len(self._batch) >= BATCH:
            self._flush()

    def records(self) -> Iterator[Spooled]:
        self._flush()
        file = self._file
        file.seek(0)
        read = file.read
        while header := read(_LENGTH.size):
            (size,) = _LENGTH.unpack(header)
            yield from marshal.loads(read(size))

    def _flush(self) -> None:
        if not self._batch:
            return
        data = marshal.dumps(self._batch)
        self._file.seek(0, 2)  # after a read, append at the end
        self._file.write(_LENGTH.pack(len(data)) + data)
        self._batch = []

    def close(self) -> None:
        self._file.close()

    def __enter__(self) -> Spool:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

"""The spool: the cleaned sources and statements of the file, kept on disk between the
stages so that memory never holds the whole file."""

from __future__ import annotations

import marshal
import struct
from collections.abc import Iterator
from typing import IO, Any

_LENGTH = struct.Struct("<I")

# One spooled record: its tag ("o" a source, "s" a statement), its values, its position.
Spooled = tuple[str, tuple[Any, ...], int]


def spool(item: Spooled, out: IO[bytes]) -> None:
    data = marshal.dumps(item)
    out.write(_LENGTH.pack(len(data)) + data)


def read_spool(source: IO[bytes]) -> Iterator[Spooled]:
    source.seek(0)
    read = source.read
    while header := read(_LENGTH.size):
        (size,) = _LENGTH.unpack(header)
        yield marshal.loads(read(size))

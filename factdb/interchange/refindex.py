"""A compact map from statement refs to their position in the file.

A ``dict[str, int]`` costs about 130 bytes per ref (the string object, the int object, the
table entry): 130 MB for a million statements. Here the refs' UTF-8 bytes sit in one
buffer, and an open-addressing table of positions is keyed by each ref's hash, for about
30 bytes per ref.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterator

_EMPTY = -1
_MASK = (1 << 63) - 1


class RefIndex:
    """Refs in the order they were added, each mapped to its position (0, 1, 2 …)."""

    def __init__(self) -> None:
        self._blob = bytearray()
        self._offsets: array[int] = array("q", [0])
        self._hashes: array[int] = array("q")
        self._slots: array[int] = array("i", [_EMPTY]) * 1024

    def __len__(self) -> int:
        return len(self._hashes)

    def _ref(self, position: int) -> bytes:
        return bytes(self._blob[self._offsets[position] : self._offsets[position + 1]])

    def _probe(self, key: bytes, hashed: int) -> tuple[int, int]:
        """(slot, position) of ``key``; position -1 when absent (slot is then free)."""
        slots, mask = self._slots, len(self._slots) - 1
        slot = hashed & mask
        blob, offsets, hashes = self._blob, self._offsets, self._hashes
        while True:
            position = slots[slot]
            if position == _EMPTY:
                return slot, -1
            if (
                hashes[position] == hashed
                and blob[offsets[position] : offsets[position + 1]] == key
            ):
                return slot, position
            slot = (slot + 1) & mask

    def get(self, ref: str) -> int | None:
        key = ref.encode("utf-8")
        position = self._probe(key, hash(key) & _MASK)[1]
        return None if position < 0 else position

    def __contains__(self, ref: object) -> bool:
        return isinstance(ref, str) and self.get(ref) is not None

    def __getitem__(self, ref: str) -> int:
        position = self.get(ref)
        if position is None:
            raise KeyError(ref)
        return position

    def add(self, ref: str) -> tuple[int, bool]:
        """The ref's position, and whether it was new (then added at the end)."""
        key = ref.encode("utf-8")
        hashed = hash(key) & _MASK
        slot, found = self._probe(key, hashed)
        if found >= 0:
            return found, False
        position = len(self._hashes)
        self._slots[slot] = position
        self._hashes.append(hashed)
        self._blob += key
        self._offsets.append(len(self._blob))
        if 2 * len(self._hashes) > len(self._slots):
            self._grow()
        return position, True

    def _grow(self) -> None:
        size = 2 * len(self._slots)
        slots: array[int] = array("i", [_EMPTY]) * size
        mask = size - 1
        for position, hashed in enumerate(self._hashes):
            slot = hashed & mask
            while slots[slot] != _EMPTY:
                slot = (slot + 1) & mask
            slots[slot] = position
        self._slots = slots

    def __iter__(self) -> Iterator[str]:
        for position in range(len(self._hashes)):
            yield self._ref(position).decode("utf-8")

    def items(self) -> Iterator[tuple[str, int]]:
        for position in range(len(self._hashes)):
            yield self._ref(position).decode("utf-8"), position

    def clear(self) -> None:
        self.__init__()  # type: ignore[misc]

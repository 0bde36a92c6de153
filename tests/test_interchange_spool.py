"""The import's spool: records written in batches, read back one at a time, in order."""

from __future__ import annotations

from factdb.interchange.load.spool import BATCH, Spool, Spooled


def record(position: int) -> Spooled:
    return ("s", (position, f"r{position}", ["Actor"], [["https://a.example/", None]]), position)


def test_records_come_back_in_order_across_batches() -> None:
    added = [record(position) for position in range(2 * BATCH + 3)]
    with Spool() as spool:
        for item in added:
            spool.add(item)
        assert list(spool.records()) == added
        assert list(spool.records()) == added  # a second read gives the same


def test_records_added_after_a_read_follow_the_others() -> None:
    with Spool() as spool:
        spool.add(record(0))
        assert list(spool.records()) == [record(0)]
        for position in range(1, BATCH + 2):
            spool.add(record(position))
        reader = spool.records()
        assert next(reader) == record(0)  # a read left half-way ...
        spool.add(record(BATCH + 2))  # ... does not move where the next batch goes
        assert list(spool.records()) == [record(position) for position in range(BATCH + 3)]


def test_an_empty_spool_reads_nothing() -> None:
    with Spool() as spool:
        assert list(spool.records()) == []

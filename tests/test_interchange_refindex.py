"""The compact ref → position map behind the import."""

from __future__ import annotations

from factdb.interchange.refindex import RefIndex


def test_refs_map_to_their_positions_through_growth() -> None:
    index = RefIndex()
    refs = [f"r{n}" for n in range(5000)] + ["Əliyev-1", "中文", ""]
    for position, ref in enumerate(refs):
        assert index.add(ref) == (position, True)
    assert len(index) == len(refs)
    assert index.add("r42") == (42, False)
    assert [index.get(ref) for ref in refs] == list(range(len(refs)))
    assert index.get("r5000") is None and "r5000" not in index
    assert "中文" in index and index["Əliyev-1"] == 5000
    assert list(index) == refs
    assert list(index.items())[-2:] == [("中文", 5001), ("", 5002)]
    index.clear()
    assert len(index) == 0 and index.get("r1") is None

"""The gazetteer-name automaton is saved beside the gazetteer and read back on the next start,
so a one-article ingest (or a new cluster worker) does not rebuild it from 230,000 names."""

from __future__ import annotations

from geo.recognition.names import NameIndex

NAMES = ["Kyiv", "Lviv", "New York", "York"]


def _rank(name: str) -> tuple[int, bool]:
    return (0, False)


def _found(index: NameIndex, text: str) -> list[str]:
    return sorted(hit.name for hit in index.find(text))


def test_a_saved_index_is_read_back_instead_of_rebuilt(tmp_path):
    path = tmp_path / "names.pickle"
    built = NameIndex.cached(path, lambda: NAMES, _rank)
    assert path.is_file()

    def never() -> list[str]:
        raise AssertionError("rebuilt although saved")

    again = NameIndex.cached(path, never, _rank)
    text = "From Kyiv to New York via Lviv."
    assert _found(again, text) == _found(built, text) == ["Kyiv", "Lviv", "New York", "York"]
    assert len(again) == len(built) == 4


def test_a_damaged_file_is_rebuilt_and_replaced(tmp_path):
    path = tmp_path / "names.pickle"
    path.write_bytes(b"not a pickle")
    index = NameIndex.cached(path, lambda: NAMES, _rank)
    assert _found(index, "Lviv") == ["Lviv"]
    assert _found(NameIndex.cached(path, lambda: [], _rank), "Kyiv") == ["Kyiv"]  # the rebuilt file was saved


def test_an_unwritable_folder_still_gives_a_working_index(tmp_path):
    index = NameIndex.cached(tmp_path / "missing" / "names.pickle", lambda: NAMES, _rank)
    assert _found(index, "Kyiv") == ["Kyiv"]

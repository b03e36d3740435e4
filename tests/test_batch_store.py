"""The SQLite results store: one row per path, scans counted, lookups by content hash."""

from __future__ import annotations

import pytest

from forewarn.batch.store import Store, WorkRecord
from forewarn.errors import InputError


def _record(path: str, content_hash: str = "sha256:a", **extra) -> WorkRecord:
    return WorkRecord(path, content_hash, "fp1", "ok", words=10, findings=[("death", "mentioned")], report="{}", **extra)


def test_put_then_get_round_trips(tmp_path):
    with Store(tmp_path / "s.sqlite") as store:
        store.put(_record("a.txt", calibre_id=7, title="A"))
        got = store.get("a.txt")
    assert got is not None
    assert (got.status, got.words, got.findings, got.calibre_id, got.title) == ("ok", 10, [("death", "mentioned")], 7, "A")
    assert got.scanned_at


def test_second_put_replaces_and_counts_scans(tmp_path):
    with Store(tmp_path / "s.sqlite") as store:
        store.put(_record("a.txt"))
        store.put(_record("a.txt", content_hash="sha256:b"))
        rows = list(store.records())
    assert len(rows) == 1
    assert rows[0].content_hash == "sha256:b" and rows[0].scans == 2


def test_find_by_hash_needs_same_fingerprint(tmp_path):
    with Store(tmp_path / "s.sqlite") as store:
        store.put(_record("a.txt"))
        assert store.find_by_hash("sha256:a", "fp1").path == "a.txt"
        assert store.find_by_hash("sha256:a", "fp2") is None
        assert store.find_by_hash("sha256:z", "fp1") is None


def test_rows_survive_reopening_and_filter_by_path(tmp_path):
    with Store(tmp_path / "s.sqlite") as store:
        assert store.start_run("/lib", "fp1") == 1
        store.put(_record("b.txt"))
        store.put(_record("a.txt"))
    with Store(tmp_path / "s.sqlite") as store:
        assert store.start_run("/lib", "fp1") == 2
        assert [r.path for r in store.records()] == ["a.txt", "b.txt"]
        assert [r.path for r in store.records(["b.txt", "zzz"])] == ["b.txt"]


def test_failed_status_keeps_error(tmp_path):
    with Store(tmp_path / "s.sqlite") as store:
        store.put(WorkRecord("x.epub", "sha256:x", "fp1", "failed", error="not an EPUB"))
        assert store.get("x.epub").error == "not an EPUB"


def test_unwritable_store_is_one_line_input_error(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    with pytest.raises(InputError) as caught:
        Store(blocker / "s.sqlite")
    assert "\n" not in str(caught.value) and "--store" in str(caught.value)


def test_find_calibre_by_book_id(tmp_path):
    with Store(tmp_path / "s.sqlite") as store:
        store.put(_record("Author/Book (3)/Book.epub", calibre_id=3))
        assert store.find_calibre(3).path == "Author/Book (3)/Book.epub"
        assert store.find_calibre(4) is None

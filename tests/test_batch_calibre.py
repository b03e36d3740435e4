"""Reading a Calibre library's metadata.db (read-only) and scanning it in library mode."""

from __future__ import annotations

import sqlite3

import pytest

from forewarn.batch.calibre import library_items, read_library
from forewarn.batch.library import default_store, run_library
from forewarn.batch.scanner import ScanOptions
from forewarn.batch.store import Store
from forewarn.errors import InputError
from tests.batch_fakes import FAKE_FINGERPRINT, fake_scan, make_calibre_library


def test_reads_books_authors_tags_and_the_preferred_format(tmp_path):
    library = make_calibre_library(tmp_path / "Calibre Library")
    books = read_library(library)
    assert [b.id for b in books] == [1, 2, 3]
    first = books[0]
    assert (first.title, first.authors, first.tags) == ("Storm Night", ("Ann Author",), ("Fluff", "Hurt/Comfort"))
    assert first.file == library / "Ann Author/Storm Night (1)/Storm Night - Ann Author.txt"
    assert books[1].file.suffix == ".md"
    assert books[2].file is None


def test_library_items_set_aside_books_without_a_readable_format(tmp_path):
    library = make_calibre_library(tmp_path / "lib")
    items, unreadable = library_items(library, read_library(library))
    assert [(i.calibre_id, i.title, i.key) for i in items] == [
        (1, "Storm Night", "Ann Author/Storm Night (1)/Storm Night - Ann Author.txt"),
        (2, "Cliff Walk", "Ben Writer/Cliff Walk (2)/Cliff Walk - Ben Writer.md"),
    ]
    assert [b.id for b in unreadable] == [3]


def test_metadata_db_is_opened_read_only(tmp_path):
    library = make_calibre_library(tmp_path / "lib")
    before = (library / "metadata.db").read_bytes()
    read_library(library)
    assert (library / "metadata.db").read_bytes() == before
    assert not (library / "metadata.db-wal").exists()


def test_scanning_a_calibre_library_stores_book_ids(tmp_path):
    library = make_calibre_library(tmp_path / "lib")
    items, _ = library_items(library, read_library(library))
    with Store(default_store(library)) as store:
        run_library(items, store, root=str(library), fingerprint=FAKE_FINGERPRINT, options=ScanOptions(), scan=fake_scan)
        found = {r.calibre_id: (r.title, r.findings) for r in store.records()}
    assert found == {1: ("Storm Night", [("death", "mentioned")]), 2: ("Cliff Walk", [("self-harm", "graphic")])}


def test_folder_without_metadata_db_is_input_error(tmp_path):
    with pytest.raises(InputError, match="not a Calibre library"):
        read_library(tmp_path)


def test_database_that_is_not_calibre_is_input_error(tmp_path):
    sqlite3.connect(tmp_path / "metadata.db").execute("CREATE TABLE other (x)").connection.commit()
    with pytest.raises(InputError) as caught:
        read_library(tmp_path)
    assert "\n" not in str(caught.value)

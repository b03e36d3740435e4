"""Read a Calibre library directly: its ``metadata.db`` (read-only) and its book folders.

Calibre keeps one folder per book (``books.path``) holding one file per format
(``data.name`` + ``.`` + lower-case ``data.format``). Nothing here writes to the library;
tags go back through ``calibredb`` (see :mod:`forewarn.integrations.calibre`).
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

from ..errors import InputError
from .library import LibraryItem, settings


@dataclass(frozen=True, slots=True)
class CalibreBook:
    """One book of a Calibre library and the file forewarn will read for it (None: no format)."""

    id: int
    title: str
    authors: tuple[str, ...]
    tags: tuple[str, ...]
    file: Path | None


def read_library(library: Path) -> list[CalibreBook]:
    """All books of the Calibre library at ``library``, by id; raise InputError if it is not one."""
    database = library / "metadata.db"
    if not database.is_file():
        raise InputError(f"{library} is not a Calibre library (no metadata.db); pass the folder that holds metadata.db")
    preferred = [f.upper() for f in settings().calibre_formats]
    try:
        connection = sqlite3.connect(f"{database.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error as error:
        raise InputError(f"cannot open {database}: {error}; check the file is a Calibre database") from error
    try:
        books = connection.execute("SELECT id, title, path FROM books ORDER BY id").fetchall()
        authors = _grouped(connection, "SELECT l.book, a.name FROM books_authors_link l JOIN authors a ON a.id = l.author ORDER BY l.id")
        tags = _grouped(connection, "SELECT l.book, t.name FROM books_tags_link l JOIN tags t ON t.id = l.tag ORDER BY t.name")
        formats = _grouped(connection, "SELECT book, format || char(0) || name FROM data")
    except sqlite3.Error as error:
        raise InputError(f"cannot read {database}: {error}; is it a Calibre library?") from error
    finally:
        connection.close()
    result = []
    for book_id, title, folder in books:
        files = {}
        for entry in formats.get(book_id, ()):
            fmt, name = entry.split("\0", 1)
            files[fmt.upper()] = library / folder / f"{name}.{fmt.lower()}"
        chosen = next((files[f] for f in preferred if f in files), None)
        result.append(
            CalibreBook(book_id, title, tuple(authors.get(book_id, ())), tuple(tags.get(book_id, ())), chosen)
        )
    return result


def _grouped(connection: sqlite3.Connection, query: str) -> dict[int, list[str]]:
    grouped: dict[int, list[str]] = {}
    for book, value in connection.execute(query):
        grouped.setdefault(book, []).append(value)
    return grouped


def library_items(library: Path, books: list[CalibreBook]) -> tuple[list[LibraryItem], list[CalibreBook]]:
    """Items to scan for the books that have a readable format, and the books that have none."""
    items, unreadable = [], []
    for book in books:
        if book.file is None:
            unreadable.append(book)
        else:
            key = book.file.relative_to(library).as_posix()
            items.append(LibraryItem(book.file, key, title=book.title, calibre_id=book.id))
    return items, unreadable

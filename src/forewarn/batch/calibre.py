"""Read a Calibre library directly: its ``metadata.db`` (read-only) and its book folders.

Calibre keeps one folder per book (``books.path``) holding one file per format
(``data.name`` + ``.`` + lower-case ``data.format``). Nothing here writes to the library;
tags go back through ``calibredb`` (see :mod:`forewarn.integrations.calibre`).

forewarn's own files for a library (results store, the tags it wrote) live outside it, in the
user data dir keyed by a hash of the library's path: ``calibredb check_library`` reports any folder
inside a library that Calibre did not make (an old ``.forewarn/`` showed up as an extra author).
"""

from __future__ import annotations

import hashlib
import json
import shutil
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import platformdirs

from ..errors import InputError
from ..integrations.labels import settings as label_settings
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


def data_dir(library: Path | str) -> Path:
    """forewarn's folder for this Calibre library, outside it: the user data dir, keyed by the path."""
    text = str(library)
    key = text if "://" in text else str(Path(text).expanduser().resolve())
    digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]
    config = label_settings().calibre
    return Path(platformdirs.user_data_dir("forewarn")) / config.store_folder / digest


def _prepare(library: Path | str) -> Path:
    folder = data_dir(library)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        note = folder / label_settings().calibre.library_note
        if not note.exists():
            note.write_text(f"forewarn's files for the Calibre library {library}\n", encoding="utf-8")
    except OSError as error:
        raise InputError(f"cannot create {folder}: {error.strerror or error}") from None
    return folder


def calibre_store(library: Path, notify: Callable[[str], object] | None = None) -> Path:
    """The results store of a Calibre library (its folder made, an old in-library store moved in;
    ``notify`` hears about a move in one line)."""
    target = _prepare(library) / settings().store_name
    moved = migrate_old_store(library, target)
    if moved and notify is not None:
        notify(moved)
    return target


def existing_store(library: Path) -> Path | None:
    """The results store of a Calibre library if there is one, moving nothing: the one in the data
    dir, else one an older version left in ``LIBRARY/.forewarn/``."""
    for candidate in (data_dir(library) / settings().store_name, library / settings().store_dir / settings().store_name):
        if candidate.is_file():
            return candidate
    return None


def migrate_old_store(library: Path, target: Path) -> str | None:
    """Move a store that older versions kept in ``LIBRARY/.forewarn/`` to ``target``; return what was
    done, in words, or None when there was nothing to move. A store already at ``target`` wins; the
    old folder is then left for the user to delete."""
    old_dir = library / settings().store_dir
    old = old_dir / settings().store_name
    if not old.is_file():
        return None
    if target.exists():
        return f"an older forewarn store is still in {old_dir}; the one in {target.parent} is used, delete the old folder"
    try:
        for suffix in ("", "-wal", "-shm"):
            part = old.with_name(old.name + suffix)
            if part.exists():
                shutil.move(str(part), str(target.with_name(target.name + suffix)))
        if not any(old_dir.iterdir()):
            old_dir.rmdir()
    except OSError as error:
        raise InputError(f"cannot move the old store out of {old_dir}: {error.strerror or error}") from None
    return f"moved forewarn's store out of the library, to {target}"


class WrittenTags:
    """The tags forewarn wrote per Calibre book (a small JSON file in the library's data dir)."""

    def __init__(self, library: Path | str) -> None:
        self.path = data_dir(library) / label_settings().calibre.written_name
        try:
            loaded = json.loads(self.path.read_text(encoding="utf-8")) if self.path.is_file() else {}
        except (OSError, ValueError):
            loaded = {}  # unreadable: fall back to recognising forewarn's labels by their form
        self._tags: dict[str, list[str]] = {str(k): list(v) for k, v in loaded.items() if isinstance(v, list)}

    def get(self, book_id: int) -> list[str]:
        """The tags forewarn last wrote on this book (empty if none recorded)."""
        return list(self._tags.get(str(book_id), []))

    def set(self, book_id: int, tags: list[str]) -> None:
        """Record (or with an empty list forget) what forewarn wrote on this book."""
        if tags:
            self._tags[str(book_id)] = list(tags)
        else:
            self._tags.pop(str(book_id), None)

    def save(self) -> None:
        """Write the record atomically."""
        temporary = self.path.with_suffix(".tmp")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            temporary.write_text(json.dumps(self._tags, indent=1, ensure_ascii=False), encoding="utf-8")
            temporary.replace(self.path)
        except OSError as error:
            raise InputError(f"cannot write {self.path}: {error.strerror or error}") from None

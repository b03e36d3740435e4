"""The results store of a library run: one SQLite file, one row per work, one transaction each.

Why SQLite: it is in the standard library, a committed transaction survives the process being
killed at any instant (WAL journal), a primary key on the path makes a duplicate impossible, and
the content-hash index answers "was this already scanned with these detectors?" without reading
every report. Only the parent process writes, so there is never a lock to wait for.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from ..errors import InputError

_SCHEMA = """
CREATE TABLE IF NOT EXISTS works (
    path TEXT PRIMARY KEY,
    content_hash TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('ok', 'failed')),
    error TEXT,
    title TEXT,
    calibre_id INTEGER,
    size INTEGER,
    mtime_ns INTEGER,
    words INTEGER NOT NULL DEFAULT 0,
    findings TEXT NOT NULL DEFAULT '[]',
    report TEXT,
    seconds REAL NOT NULL DEFAULT 0,
    scanned_at TEXT NOT NULL,
    run INTEGER NOT NULL,
    scans INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX IF NOT EXISTS works_by_hash ON works (content_hash, fingerprint);
CREATE TABLE IF NOT EXISTS runs (
    id INTEGER PRIMARY KEY,
    started_at TEXT NOT NULL,
    root TEXT NOT NULL,
    fingerprint TEXT NOT NULL
);
"""

_COLUMNS = (
    "path", "content_hash", "fingerprint", "status", "error", "title", "calibre_id", "size",
    "mtime_ns", "words", "findings", "report", "seconds", "scanned_at", "run", "scans",
)


@dataclass(slots=True)
class WorkRecord:
    """One stored work. ``path`` is relative to the library root, with ``/`` separators."""

    path: str
    content_hash: str
    fingerprint: str
    status: str
    error: str | None = None
    title: str | None = None
    calibre_id: int | None = None
    size: int | None = None
    mtime_ns: int | None = None
    words: int = 0
    findings: list[tuple[str, str]] = field(default_factory=list)
    report: str | None = None
    seconds: float = 0.0
    scanned_at: str = ""
    run: int = 0
    scans: int = 1


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds")


class Store:
    """An open results store; use as a context manager."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(path, isolation_level=None)
            self._db.execute("PRAGMA journal_mode=WAL")
            # NORMAL in WAL mode: a commit survives the process being killed (it may roll back
            # only on power loss); FULL would add an fsync per work for no gain against kill -9.
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.executescript(_SCHEMA)
        except (OSError, sqlite3.Error) as error:
            raise InputError(f"cannot open the results store {path}: {error}; pass --store with a writable file") from error

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the database."""
        self._db.close()

    def start_run(self, root: str, fingerprint: str) -> int:
        """Record the start of a run and return its number."""
        cursor = self._db.execute(
            "INSERT INTO runs (started_at, root, fingerprint) VALUES (?, ?, ?)",
            (_now(), root, fingerprint),
        )
        return int(cursor.lastrowid or 0)

    def get(self, path: str) -> WorkRecord | None:
        """The stored work at ``path``, or None."""
        row = self._db.execute(f"SELECT {', '.join(_COLUMNS)} FROM works WHERE path = ?", (path,)).fetchone()
        return _record(row) if row else None

    def find_by_hash(self, content_hash: str, fingerprint: str) -> WorkRecord | None:
        """A work with this content already scanned with this fingerprint, or None."""
        row = self._db.execute(
            f"SELECT {', '.join(_COLUMNS)} FROM works WHERE content_hash = ? AND fingerprint = ? LIMIT 1",
            (content_hash, fingerprint),
        ).fetchone()
        return _record(row) if row else None

    def find_calibre(self, book_id: int) -> WorkRecord | None:
        """The stored work of a Calibre book, or None."""
        row = self._db.execute(
            f"SELECT {', '.join(_COLUMNS)} FROM works WHERE calibre_id = ? ORDER BY scanned_at DESC LIMIT 1", (book_id,)
        ).fetchone()
        return _record(row) if row else None

    def put(self, record: WorkRecord) -> None:
        """Insert or replace one work in its own transaction (``scans`` adds up)."""
        record.scanned_at = record.scanned_at or _now()
        values = [getattr(record, c) for c in _COLUMNS]
        values[_COLUMNS.index("findings")] = json.dumps(record.findings)
        updates = ", ".join(f"{c} = excluded.{c}" for c in _COLUMNS if c not in ("path", "scans"))
        with self._db:
            self._db.execute("BEGIN IMMEDIATE")
            self._db.execute(
                f"INSERT INTO works ({', '.join(_COLUMNS)}) VALUES ({', '.join('?' * len(_COLUMNS))}) "
                f"ON CONFLICT(path) DO UPDATE SET {updates}, scans = works.scans + excluded.scans",
                values,
            )

    def records(self, paths: Iterable[str] | None = None) -> Iterator[WorkRecord]:
        """Stored works, in path order; only those in ``paths`` when given."""
        wanted = None if paths is None else set(paths)
        for row in self._db.execute(f"SELECT {', '.join(_COLUMNS)} FROM works ORDER BY path"):
            if wanted is None or row[0] in wanted:
                yield _record(row)


def _record(row: tuple) -> WorkRecord:
    values = dict(zip(_COLUMNS, row))
    values["findings"] = [tuple(pair) for pair in json.loads(values["findings"])]
    return WorkRecord(**values)

"""A fake ``forewarn.scan`` for the batch and integration tests: fast, deterministic, no detectors.

A story mentioning "storm" gets a death finding (mentioned); one mentioning "cliff" a self-harm
finding (graphic); a story containing "BROKEN" raises InputError, "CRASH" a RuntimeError,
"KILLME" kills its own process with SIGKILL (as the out-of-memory killer would; only in a
worker pool!) and "HANG" sleeps for a minute.
"""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

from forewarn.documents.report import (
    Declared,
    Finding,
    Location,
    Report,
    Source,
    Suggested,
    WorkInfo,
)
from forewarn.errors import InputError
from forewarn.taxonomy import categories

FAKE_FINGERPRINT = "fake-detectors 1"

_RULES = {"storm": ("death", "mentioned"), "cliff": ("self-harm", "graphic")}


def fake_report(text: str, path: str | None = None) -> Report:
    """A Report built from cue words in ``text``."""
    findings = []
    for word, (category, severity) in _RULES.items():
        if word in text:
            info = categories()[category]
            location = Location(chapter=1, paragraph_start=0, paragraph_end=0, char_start=0, char_end=len(text),
                                position=0.5, severity=severity)
            findings.append(Finding(category=category, group=info.group, name=info.name, severity=severity,
                                    confidence=0.9, locations=[location]))
    rating = "Mature" if findings else "General Audiences"
    return Report(
        forewarn_version="0.1.0", source=Source(path=path, format="text"),
        work=WorkInfo(title=text.split("\n", 1)[0][:40], words=len(text.split()), chapters=[]),
        declared=Declared(), findings=findings,
        suggested=Suggested(ao3_rating=rating, ffn_rating="M" if findings else "K", ao3_warnings=[]),
        limits="A fake scan for tests.",
    )


def fake_scan(source, *, name=None, thorough=False, detectors=None, **_options) -> Report:
    """Stands in for ``forewarn.scan``: reads a path, bytes or text and applies the cue rules."""
    if isinstance(source, Path):
        data = source.read_bytes()
    elif isinstance(source, bytes):
        data = source
    else:
        data = source.encode()
    text = data.decode("utf-8", errors="replace")
    if "BROKEN" in text:
        raise InputError("the input is broken; give a real story")
    if "CRASH" in text:
        raise RuntimeError("detector fell over\nwith a second line")
    if "KILLME" in text:
        os.kill(os.getpid(), signal.SIGKILL)
    if "HANG" in text:
        time.sleep(60)
    return fake_report(text, str(source) if isinstance(source, Path) else None)


def slow_fake_scan(source, **options) -> Report:
    """``fake_scan`` taking 0.1 s a work, so that a run can be killed part-way through."""
    time.sleep(0.1)
    return fake_scan(source, **options)


CLI_WITH_FAKE_SCAN = """
import sys
from types import SimpleNamespace
import forewarn.engine
import forewarn.cli.library as library_cli
from tests.batch_fakes import FAKE_FINGERPRINT, slow_fake_scan
forewarn.engine.shared_engine = lambda *args, **kwargs: SimpleNamespace(scan_source=slow_fake_scan, scan_text=slow_fake_scan)
library_cli.fingerprint = lambda options: FAKE_FINGERPRINT
sys.argv[0] = "forewarn"
from forewarn.cli import main
main()
"""
"""Run as ``python -c CLI_WITH_FAKE_SCAN library ...``: the real CLI, with ``slow_fake_scan``."""


_CALIBRE_SCHEMA = """
CREATE TABLE books (id INTEGER PRIMARY KEY AUTOINCREMENT, title TEXT NOT NULL DEFAULT 'Unknown',
    sort TEXT, timestamp TIMESTAMP, pubdate TIMESTAMP, series_index REAL NOT NULL DEFAULT 1.0,
    author_sort TEXT, isbn TEXT DEFAULT '', lccn TEXT DEFAULT '', path TEXT NOT NULL DEFAULT '',
    flags INTEGER NOT NULL DEFAULT 1, uuid TEXT, has_cover BOOL DEFAULT 0, last_modified TIMESTAMP);
CREATE TABLE authors (id INTEGER PRIMARY KEY, name TEXT NOT NULL, sort TEXT, link TEXT NOT NULL DEFAULT '');
CREATE TABLE books_authors_link (id INTEGER PRIMARY KEY, book INTEGER NOT NULL, author INTEGER NOT NULL);
CREATE TABLE tags (id INTEGER PRIMARY KEY, name TEXT NOT NULL, link TEXT NOT NULL DEFAULT '');
CREATE TABLE books_tags_link (id INTEGER PRIMARY KEY, book INTEGER NOT NULL, tag INTEGER NOT NULL);
CREATE TABLE data (id INTEGER PRIMARY KEY, book INTEGER NOT NULL, format TEXT NOT NULL,
    uncompressed_size INTEGER NOT NULL, name TEXT NOT NULL);
"""


def make_calibre_library(root: Path) -> Path:
    """A tiny Calibre library (the real schema's columns that forewarn reads) with three books.

    Book 1 "Storm Night" by Ann Author, tags Fluff and Hurt/Comfort, formats TXT and PDF.
    Book 2 "Cliff Walk" by Ben Writer, no tags, format MD. Book 3 "Only PDF", format PDF.
    """
    import sqlite3

    books = [
        (1, "Storm Night", "Ann Author/Storm Night (1)", "Storm Night - Ann Author",
         {"TXT": "Storm Night\n\nA storm broke over the town.\n", "PDF": "%PDF-1.4"}),
        (2, "Cliff Walk", "Ben Writer/Cliff Walk (2)", "Cliff Walk - Ben Writer",
         {"MD": "# Cliff Walk\n\nThey walked up to the cliff.\n"}),
        (3, "Only PDF", "Ann Author/Only PDF (3)", "Only PDF - Ann Author", {"PDF": "%PDF-1.4"}),
    ]
    root.mkdir(parents=True, exist_ok=True)
    db = sqlite3.connect(root / "metadata.db")
    db.executescript(_CALIBRE_SCHEMA)
    db.executemany("INSERT INTO authors (id, name, sort) VALUES (?, ?, ?)", [(1, "Ann Author", "Author, Ann"), (2, "Ben Writer", "Writer, Ben")])
    db.executemany("INSERT INTO tags (id, name) VALUES (?, ?)", [(1, "Fluff"), (2, "Hurt/Comfort")])
    db.executemany("INSERT INTO books_tags_link (book, tag) VALUES (?, ?)", [(1, 2), (1, 1)])
    for book_id, title, folder, name, formats in books:
        db.execute("INSERT INTO books (id, title, path) VALUES (?, ?, ?)", (book_id, title, folder))
        db.execute("INSERT INTO books_authors_link (book, author) VALUES (?, ?)", (book_id, 2 if book_id == 2 else 1))
        (root / folder).mkdir(parents=True)
        for fmt, content in formats.items():
            (root / folder / f"{name}.{fmt.lower()}").write_text(content)
            db.execute("INSERT INTO data (book, format, uncompressed_size, name) VALUES (?, ?, ?, ?)",
                       (book_id, fmt, len(content), name))
    db.commit()
    db.close()
    return root


def use_fake_engine(monkeypatch) -> None:
    """Make the worker body's shared engine scan with ``fake_scan`` (for adapters run with ``scan=None``)."""
    from types import SimpleNamespace

    import forewarn.engine

    fake = SimpleNamespace(scan_source=fake_scan, scan_text=fake_scan)
    monkeypatch.setattr(forewarn.engine, "shared_engine", lambda *args, **kwargs: fake)

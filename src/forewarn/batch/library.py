"""Library mode: find every readable work under a folder, scan what is new, store each result.

A run first plans (cheap: a file whose size and modification time match its stored row is not
even read; otherwise its content hash decides), then scans only what is new in parallel, storing
each work in its own transaction as it finishes. Killing the run loses at most the works being
scanned at that instant; the next run picks up the rest. A file that is not a regular file (a
FIFO, a link to a device) or is over the size limit fails with its reason at planning, unread;
a file whose worker is killed (out of memory) or runs past ``work_seconds`` fails with its reason.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from ..errors import InputError
from ..readers import story_extensions
from ..config import batch_config
from ..config.batch import LibrarySettings
from ..readers.limits import default_max_bytes
from ..worker import Lost, Outcome, WorkerSetup, bounded_map, one_line
from .hashing import file_hash
from .pool import scan_file
from .scanner import ScanFunction, ScanOptions
from .store import Store, WorkRecord


@dataclass(frozen=True, slots=True)
class LibraryItem:
    """One file to scan: its absolute path, its key in the store, and what the library knows."""

    path: Path
    key: str
    title: str | None = None
    calibre_id: int | None = None


@dataclass(slots=True)
class RunSummary:
    """What one run did."""

    total: int = 0
    scanned: int = 0
    skipped: int = 0
    reused: int = 0
    words: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)
    interrupted: bool = False
    run: int = 0


class ProgressSink(Protocol):
    """Where a run reports progress (the CLI's rich progress bar; nothing in tests)."""

    def start(self, total: int) -> None:
        """The number of works that will be scanned."""

    def advance(self, words: int) -> None:
        """One more work done, with its words of story."""


def settings() -> LibrarySettings:
    """The ``[library]`` table of ``data/batch.toml``."""
    return batch_config().library


def default_store(root: Path) -> Path:
    """Where the results store of a library at ``root`` lives unless told otherwise."""
    config = settings()
    return root / config.store_dir / config.store_name


def discover(root: Path) -> list[LibraryItem]:
    """Every file under ``root`` that forewarn reads, sorted; hidden folders are skipped."""
    extensions = story_extensions()
    items = []
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            path = Path(folder) / name
            if path.suffix.lower() in extensions and not name.startswith("."):
                items.append(LibraryItem(path, path.relative_to(root).as_posix()))
    return items


def run_library(
    items: Iterable[LibraryItem],
    store: Store,
    *,
    root: str,
    fingerprint: str,
    options: ScanOptions,
    jobs: int = 0,
    scan: ScanFunction | None = None,
    progress: ProgressSink | None = None,
    retry_failed: bool = False,
) -> RunSummary:
    """Scan the items not yet stored with this fingerprint and store each result as it comes.

    ``scan`` replaces the shared engine (tests inject a fake scan function); a work that fails is stored with
    status ``failed`` and its one-line reason, and the run goes on. Ctrl-C ends the run cleanly
    with ``interrupted`` set; what was stored stays stored.
    """
    summary = RunSummary(run=store.start_run(root, fingerprint))
    to_scan: dict[str, tuple[LibraryItem, WorkRecord]] = {}
    for item in items:
        summary.total += 1
        pending = _plan(item, store, fingerprint, summary, retry_failed)
        if pending is not None:
            to_scan[str(item.path)] = (item, pending)
    if progress is not None:
        progress.start(len(to_scan))
    seconds = settings().work_seconds
    results = bounded_map(
        scan_file, list(to_scan), jobs=jobs, setup=WorkerSetup(scan, options, workers=max(jobs, 1)),
        seconds=lambda _: seconds,
    )
    try:
        for path, result in results:
            outcome = result.outcome if isinstance(result, Lost) else result
            item, record = to_scan[path]
            _fill(record, outcome)
            store.put(record)
            summary.scanned += 1
            summary.words += outcome.words
            if outcome.status == "failed":
                summary.failed.append((item.key, outcome.error or ""))
            if progress is not None:
                progress.advance(outcome.words)
    except KeyboardInterrupt:
        summary.interrupted = True
    finally:
        results.close()
    return summary


def _plan(
    item: LibraryItem, store: Store, fingerprint: str, summary: RunSummary, retry_failed: bool
) -> WorkRecord | None:
    """Decide what to do with one item; return a record to fill by scanning, or None."""
    stored = store.get(item.key)
    try:
        stat = item.path.stat()
        if (
            stored is not None
            and stored.fingerprint == fingerprint
            and (stored.size, stored.mtime_ns) == (stat.st_size, stat.st_mtime_ns)
            and (stored.status == "ok" or not retry_failed)
        ):
            summary.skipped += 1
            return None
        content_hash = file_hash(item.path, default_max_bytes())
    except (OSError, InputError) as error:
        record = WorkRecord(item.key, "", fingerprint, "failed", error=one_line(error), run=summary.run)
        store.put(record)
        summary.failed.append((item.key, record.error or ""))
        return None
    record = WorkRecord(
        item.key, content_hash, fingerprint, "failed", title=item.title, calibre_id=item.calibre_id,
        size=stat.st_size, mtime_ns=stat.st_mtime_ns, run=summary.run,
    )
    if stored is not None and (stored.content_hash, stored.fingerprint) == (content_hash, fingerprint):
        done: WorkRecord | None = stored
    else:
        done = store.find_by_hash(content_hash, fingerprint)
    if done is not None and (done.status == "ok" or not retry_failed):
        same_path = done.path == item.key
        for name in ("status", "error", "words", "findings", "report", "seconds"):
            setattr(record, name, getattr(done, name))
        record.title = item.title or done.title
        record.run, record.scans, record.scanned_at = (done.run, 0, done.scanned_at)
        store.put(record)
        if same_path:
            summary.skipped += 1
        else:
            summary.reused += 1
        return None
    return record


def _fill(record: WorkRecord, outcome: Outcome) -> None:
    record.status = outcome.status
    record.error = outcome.error
    record.report = outcome.report_json
    record.words = outcome.words
    record.findings = list(outcome.findings)
    record.seconds = outcome.seconds
    record.title = record.title or outcome.title


def category_counts(records: Iterable[WorkRecord]) -> Counter[str]:
    """How many works have each category (any severity)."""
    counts: Counter[str] = Counter()
    for record in records:
        counts.update({category for category, _ in record.findings})
    return counts

"""``forewarn library PATH`` / ``--calibre LIB``: scan a whole library, resumably."""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console, Group
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeRemainingColumn,
)
from rich.table import Table
from rich.text import Text

from ..batch import calibre
from ..batch.export import export_format, write_export
from ..batch.library import (
    LibraryItem,
    RunSummary,
    category_counts,
    default_store,
    discover,
    run_library,
)
from ..batch.scanner import ScanOptions, fingerprint
from ..batch.store import Store, WorkRecord
from ..documents.report import Report
from ..errors import ForewarnError, UsageError
from ..render.flow import prose
from ..render.safe import printable
from ..render.terminal import print_clean
from ..stages.profile import Profile, parse_avoid, verdict
from ..taxonomy import categories
from ..worker import one_line
from ._app import THOROUGH_HELP, app
from ._errors import usage_errors

EXIT_INTERRUPTED = 130


def detectors_fingerprint(options: ScanOptions) -> str:
    """The detectors' fingerprint; a detector that cannot load is a one-line error, not a traceback."""
    try:
        return fingerprint(options)
    except ForewarnError:
        raise
    except Exception as error:  # noqa: BLE001 - one line, never a traceback
        raise ForewarnError(f"the detectors could not load ({one_line(error)}); reinstall forewarn") from None


class _Bar:
    """A rich progress bar: files done of total, words per second, time left. Silent off a TTY."""

    def __init__(self, console: Console) -> None:
        self._progress = Progress(
            TextColumn("scanning"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("files  {task.fields[rate]} words/s  ETA"),
            TimeRemainingColumn(),
            console=console,
            disable=not console.is_terminal,
        )
        self._task = self._progress.add_task("scan", total=0, rate="-")
        self._words = 0
        self._started = time.perf_counter()

    def start(self, total: int) -> None:
        self._progress.start()
        self._progress.update(self._task, total=total)
        self._started = time.perf_counter()

    def advance(self, words: int) -> None:
        self._words += words
        rate = self._words / max(time.perf_counter() - self._started, 1e-6)
        self._progress.update(self._task, advance=1, rate=f"{rate:,.0f}")

    def stop(self) -> None:
        self._progress.stop()


def _items(path: Optional[Path], calibre_library: Optional[Path]) -> tuple[Path, list[LibraryItem], list[str]]:
    """The root, the items to scan, and lines about books that cannot be scanned."""
    if (path is None) == (calibre_library is None):
        raise UsageError("give a folder to scan, or --calibre LIBRARY_DIR (one of the two)")
    if calibre_library is not None:
        books = calibre.read_library(calibre_library)
        items, unreadable = calibre.library_items(calibre_library, books)
        return calibre_library, items, [f"calibre book {b.id} ({b.title}): no format forewarn reads" for b in unreadable]
    assert path is not None
    if not path.is_dir():
        raise UsageError(f"{path} is not a folder; give the folder that holds your stories (or use forewarn scan)")
    items = discover(path)
    if not items:
        raise UsageError(f"no story files under {path}; forewarn reads .txt, .md, .html, .epub and .docx")
    return path, items, []


def _verdicts(records: list[WorkRecord], profile: Profile) -> dict[str, str]:
    """Verdict status and summary per path, for the works that were scanned."""
    result = {}
    for record in records:
        if record.status == "ok" and record.report:
            held = verdict(Report.model_validate_json(record.report), profile)
            result[record.path] = f"{held.status}: {held.summary}"
    return result


def _print_summary(console: Console, summary: RunSummary, records: list[WorkRecord], store_path: Path) -> None:
    """The run's summary, word-wrapped, with every path and error made printable."""
    failed = [r for r in records if r.status == "failed"]
    verb = "Stopped after" if summary.interrupted else "Scanned"
    lines = [Text(
        f"{verb} {summary.scanned} works ({summary.words:,} words) this run; "
        f"{summary.skipped} already done, {summary.reused} copies reused. "
        f"Library: {len(records)} works, {len(records) - len(failed)} ok, {len(failed)} failed."
    )]
    for record in failed:
        path, error = printable(record.path, one_line=True), printable(record.error or "", one_line=True)
        lines.append(Text(f"  failed: {path}: {error}"))
    counts = category_counts(r for r in records if r.status == "ok")
    if counts:
        names = categories()
        ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
        lines.append(Text.assemble(("Categories (works): ", "bold"),
                                   ", ".join(f"{names[c].name if c in names else c} {n}" for c, n in ranked)))
    lines.append(Text(f"Results: {printable(str(store_path), one_line=True)}"))
    print_clean(console, Group(*lines), soft_wrap=False)


def _print_unsafe(console: Console, verdicts: dict[str, str], avoid: str) -> None:
    """The works that are not safe for the reader, one per row: path, then the verdict in words."""
    unsafe = {path: line for path, line in verdicts.items() if not line.startswith("nothing-detected")}
    table = Table.grid(padding=(0, 2))
    table.add_column(overflow="fold")
    table.add_column()
    for path, line in unsafe.items():
        table.add_row(Text("  " + printable(path, one_line=True)), prose(printable(line.partition(": ")[2])))
    heading = Text(f"Not safe for this reader ({printable(avoid, one_line=True)}): "
                   f"{len(unsafe)} of {len(verdicts)} scanned works", style="bold")
    print_clean(console, Group(heading, table) if unsafe else heading, soft_wrap=False)


@app.command("library")
def library_command(
    path: Optional[Path] = typer.Argument(None, help="Folder of stories (every format forewarn scan reads)."),
    calibre_library: Optional[Path] = typer.Option(
        None, "--calibre", metavar="LIBRARY_DIR", help="Scan a Calibre library (the folder holding metadata.db)."),
    store: Optional[Path] = typer.Option(
        None, "--store", help="Results store (SQLite); default: .forewarn/results.sqlite inside a folder, the user data dir for Calibre."),
    jobs: Optional[int] = typer.Option(
        None, "--jobs", "-j", min=0, help="Worker processes (default: one per CPU core; 0: scan in this process)."),
    avoid: Optional[str] = typer.Option(
        None, "--avoid", metavar="CATEGORY[:SEVERITY],...", help="List the works that are not safe for this avoid-list."),
    export: Optional[Path] = typer.Option(
        None, "--export", metavar="FILE", help="Write one row per work to FILE (.csv, .jsonl or .parquet)."),
    thorough: bool = typer.Option(False, "--thorough", help=THOROUGH_HELP),
    detector: Optional[list[str]] = typer.Option(None, "--detector", help="Use only these detectors (repeatable)."),
    retry_failed: bool = typer.Option(False, "--retry-failed", help="Scan again the works that failed last time."),
) -> None:
    """Scan every story in a folder or Calibre library; stop any time and run again to resume."""
    console = Console(highlight=False, soft_wrap=True)
    with usage_errors():
        profile = parse_avoid(avoid) if avoid else None
        if export is not None:
            export_format(export)
        root, items, unreadable = _items(path, calibre_library)
        options = ScanOptions(thorough=thorough, detector_names=tuple(detector or ()))
        scan_fingerprint = detectors_fingerprint(options)
        store_path = store or (calibre.calibre_store(root, notify=console.print) if calibre_library is not None else default_store(root))
    bar = _Bar(Console(stderr=True))
    with usage_errors(), Store(store_path) as results:
        try:
            summary = run_library(
                items, results, root=str(root.resolve()), fingerprint=scan_fingerprint, options=options,
                jobs=(os.cpu_count() or 1) if jobs is None else jobs, progress=bar, retry_failed=retry_failed,
            )
        finally:
            bar.stop()
        records = list(results.records(item.key for item in items))
        _print_summary(console, summary, records, store_path)
        for line in unreadable:
            console.print(Text(f"  skipped: {printable(line, one_line=True)}"))
        verdicts = _verdicts(records, profile) if profile else None
        if verdicts is not None:
            _print_unsafe(console, verdicts, avoid or "")
        if export is not None:
            count = write_export(export, records, verdicts)
            console.print(f"Exported {count} rows to {export}")
    if summary.interrupted:
        console.print("Interrupted: everything finished so far is stored; run the same command again to resume.")
        raise typer.Exit(EXIT_INTERRUPTED)

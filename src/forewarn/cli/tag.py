"""``forewarn tag``: write the warnings into an EPUB's metadata or Calibre books' tags."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from ..batch import calibre as calibre_library
from ..batch.store import Store
from ..documents.report import Report
from ..errors import ForewarnError, InputError, UsageError
from ..integrations import epub_metadata
from ..integrations.calibre import Calibredb, library_arg
from ..integrations.labels import labels_for, merge_labels, without_forewarn_labels
from ..pipeline import scan
from ..render.safe import printable
from ._app import app
from ._errors import EXIT_BAD_INPUT, usage_errors


class _Unreadable(InputError):
    """The Calibre book has no format forewarn reads."""


@dataclass
class _Tally:
    """What a Calibre run did, for the closing summary."""

    changed: int = 0
    unchanged: int = 0
    unreadable: int = 0
    failed: list[str] = field(default_factory=list)


class _Reports:
    """Reports for Calibre books: the one `forewarn library --calibre` stored, else a fresh scan."""

    def __init__(self, library: Path) -> None:
        self.library = library
        store_path = calibre_library.existing_store(library)
        self._store = Store(store_path) if store_path is not None else None
        self._books: dict[int, calibre_library.CalibreBook] | None = None

    def book(self, book_id: int) -> calibre_library.CalibreBook | None:
        """The book as metadata.db lists it (read once), or None."""
        if self._books is None:
            self._books = {b.id: b for b in calibre_library.read_library(self.library)}
        return self._books.get(book_id)

    def report(self, book_id: int) -> Report:
        """The book's report; InputError when it has no format forewarn reads."""
        if self._store is not None:
            record = self._store.find_calibre(book_id)
            if record is not None and record.status == "ok" and record.report:
                return Report.model_validate_json(record.report)
        book = self.book(book_id)
        if book is None:
            raise InputError(f"no book with id {book_id} in {self.library}; see `calibredb list` for ids")
        if book.file is None:
            raise _Unreadable(f"calibre book {book_id} has no format forewarn reads (EPUB, DOCX, HTML, TXT, Markdown)")
        return scan(book.file)

    def close(self) -> None:
        if self._store is not None:
            self._store.close()


def _select(calibredb: Calibredb, ids: list[int], all_books: bool, search: Optional[str]) -> dict[int, list[str]]:
    """Current tags of the chosen books (one calibredb call), by id."""
    if sum((bool(ids), all_books, search is not None)) != 1:
        raise UsageError("with --calibre choose books with one of --id N (repeatable), --all or --search QUERY")
    if all_books:
        return calibredb.books()
    if search is not None:
        return calibredb.books(search)
    found = calibredb.books(" or ".join(f"id:{book_id}" for book_id in dict.fromkeys(ids)))
    missing = [str(book_id) for book_id in ids if book_id not in found]
    if missing:
        raise InputError(f"no book with id {', '.join(missing)} in {calibredb.library}; see `calibredb list` for ids")
    return {book_id: found[book_id] for book_id in dict.fromkeys(ids)}


def _change(old: list[str], new: list[str]) -> str:
    added = [t for t in new if t not in old]
    removed = [t for t in old if t not in new]
    return "; ".join(part for part in (
        f"+ {', '.join(added)}" if added else "", f"- {', '.join(removed)}" if removed else "") if part)


def _progress(total: int) -> Progress:
    """A bar on stderr when it is a terminal; per-book lines print above it only when stdout is the
    terminal too (redirected, they go to the file, not into the bar's stream)."""
    stderr = Console(stderr=True)
    return Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                    console=stderr, transient=True, disable=not stderr.is_terminal or total < 2,
                    redirect_stdout=Console().is_terminal, redirect_stderr=False)


def _tag_calibre(console: Console, library: Path, chosen: dict[int, list[str]], calibredb: Calibredb, *,
                 column: Optional[str], prefix: Optional[str], undo: bool, dry_run: bool, strict: bool) -> _Tally:
    """Tag (or untag) every chosen book; one line per change, failures counted, never a traceback."""
    written = calibre_library.WrittenTags(calibredb.library)
    reports = _Reports(library)
    tally = _Tally()
    try:
        with _progress(len(chosen)) as progress:
            task = progress.add_task("Untagging" if undo else "Tagging", total=len(chosen))
            for book_id, current in chosen.items():
                try:
                    _one_book(console, book_id, current, calibredb, reports, written, tally,
                              column=column, prefix=prefix, undo=undo, dry_run=dry_run)
                except _Unreadable as error:
                    if strict:
                        tally.failed.append(str(error))
                    else:
                        tally.unreadable += 1
                except ForewarnError as error:
                    tally.failed.append(f"book {book_id}: {error}")
                except Exception as error:  # noqa: BLE001 - one book's trouble must not stop the others
                    tally.failed.append(f"book {book_id}: {type(error).__name__}: {error}")
                progress.advance(task)
    finally:
        reports.close()
        if not dry_run:
            written.save()
    return tally


def _say(console: Console, text: str, end: str = "\n") -> None:
    """Print ``text`` (book paths, Calibre tags, OPF diffs: text from outside) with control characters
    escaped and no Rich markup, so a tag can neither drive the terminal nor pose as styling."""
    console.print(printable(text), markup=False, highlight=False, end=end)


def _one_book(console: Console, book_id: int, current: list[str], calibredb: Calibredb, reports: _Reports,
              written: calibre_library.WrittenTags, tally: _Tally, *, column: Optional[str], prefix: Optional[str],
              undo: bool, dry_run: bool) -> None:
    if undo:
        if column:
            if not dry_run:
                calibredb.set_custom(book_id, column, [])
            _say(console, f"book {book_id}: #{column.removeprefix('#')} emptied")
            tally.changed += 1
            return
        labels: list[str] = []
        new = without_forewarn_labels(current, prefix, written.get(book_id))
    else:
        labels = labels_for(reports.report(book_id), prefix)
        if column:
            if not dry_run:
                calibredb.set_custom(book_id, column, labels)
            _say(console, f"book {book_id}: #{column.removeprefix('#')} = {', '.join(labels)}")
            tally.changed += 1
            return
        new = merge_labels(current, labels, prefix, written.get(book_id))
    if not dry_run:
        written.set(book_id, labels)
    if new == current:
        tally.unchanged += 1
        return
    if not dry_run:
        calibredb.write_tags(book_id, new)
    _say(console, f"book {book_id}: {_change(current, new)}")
    tally.changed += 1


def _summary(console: Console, tally: _Tally, *, undo: bool, dry_run: bool) -> None:
    verb = ("to untag" if dry_run else "untagged") if undo else ("to tag" if dry_run else "tagged")
    parts = [f"{tally.changed} book{'' if tally.changed == 1 else 's'} {verb}",
             f"{tally.unchanged} without forewarn tags" if undo else f"{tally.unchanged} already up to date"]
    if tally.unreadable:
        parts.append(f"{tally.unreadable} without a format forewarn reads (skipped)")
    parts.append(f"{len(tally.failed)} failed")
    _say(console, "Summary: " + ", ".join(parts) + ".")
    for line in tally.failed:
        _say(console, f"  failed: {line}")
    if dry_run:
        _say(console, "Dry run: nothing was written.")


def _tag_epub(console: Console, book: Path, undo: bool, dry_run: bool) -> None:
    if undo:
        if dry_run:
            raise UsageError("--undo and --dry-run cannot be combined; --undo only restores the backup")
        epub_metadata.undo(book)
        _say(console, f"Restored {book} from its backup.")
        return
    change = epub_metadata.plan(book, scan(book))
    if change.before == change.after:
        _say(console, f"{book} already carries these warnings; nothing to change.")
        return
    if dry_run:
        _say(console, change.diff(), end="")
        _say(console, "Dry run: nothing was written.")
        return
    backup = epub_metadata.apply(change)
    _say(console, f"Tagged {book} (only {change.member} changed); original kept as {backup.name}; undo with forewarn tag --undo.")


@app.command("tag")
def tag_command(
    book: Optional[Path] = typer.Argument(None, help="EPUB file to tag (its content.opf gets the warnings)."),
    dry_run: bool = typer.Option(False, "--dry-run", help="Show the change without writing it."),
    undo: bool = typer.Option(
        False, "--undo", help="EPUB: put back the file as it was. Calibre: remove the tags forewarn wrote, keep the rest."),
    calibre: Optional[Path] = typer.Option(None, "--calibre", metavar="LIBRARY", help="Tag books of this Calibre library."),
    book_ids: Optional[list[int]] = typer.Option(None, "--id", help="Calibre book id (repeatable)."),
    all_books: bool = typer.Option(False, "--all", help="Every book of the Calibre library."),
    search: Optional[str] = typer.Option(
        None, "--search", metavar="QUERY", help="The Calibre books this search selects (Calibre's search syntax)."),
    prefix: Optional[str] = typer.Option(
        None, "--prefix", metavar="TEXT", help="Start every forewarn tag with TEXT (default 'CW: ', set in integrations.toml)."),
    column: Optional[str] = typer.Option(
        None, "--column", metavar="LABEL", help="Write a Calibre custom column (text, multiple) instead of tags."),
    calibredb: str = typer.Option("calibredb", "--calibredb", help="The calibredb program to call."),
) -> None:
    """Write the detected warnings and suggested rating into an EPUB or Calibre books, keeping other tags."""
    console = Console(highlight=False, soft_wrap=True)
    with usage_errors():
        if calibre is None:
            if book_ids or all_books or search is not None or column or prefix is not None:
                raise UsageError("--id, --all, --search, --column and --prefix need --calibre LIBRARY")
            if book is None:
                raise UsageError("give an EPUB file to tag, or --calibre LIBRARY with --id N, --all or --search QUERY")
            _tag_epub(console, book, undo, dry_run)
            return
        if book is not None:
            raise UsageError("with --calibre choose books with --id, --all or --search, not a file")
        if prefix is not None and not prefix.strip():
            raise UsageError("--prefix must not be empty: forewarn's tags need a mark of their own")
        program = Calibredb(library_arg(calibre), calibredb)
        chosen = _select(program, list(book_ids or []), all_books, search)
        if not chosen:
            _say(console, "No Calibre book matches; nothing to do.")
            return
        tally = _tag_calibre(console, calibre, chosen, program, column=column, prefix=prefix, undo=undo,
                             dry_run=dry_run, strict=bool(book_ids))
        _summary(console, tally, undo=undo, dry_run=dry_run)
    if tally.failed:
        raise typer.Exit(EXIT_BAD_INPUT)

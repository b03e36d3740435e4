"""``forewarn tag``: write the warnings into an EPUB's metadata or a Calibre book's tags."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer
from rich.console import Console

from ..batch import calibre as calibre_library
from ..batch.library import default_store
from ..batch.store import Store
from ..errors import InputError, UsageError
from ..integrations import epub_metadata
from ..integrations.calibre import Calibredb, library_arg
from ..integrations.labels import labels_for, merge_labels
from ..pipeline import scan
from ..report import Report
from ._app import app
from ._errors import usage_errors


def _stored_report(library: Path, book_id: int) -> Report | None:
    """The report a `forewarn library --calibre` run stored for this book, if any."""
    store_path = default_store(library)
    if not store_path.is_file():
        return None
    with Store(store_path) as store:
        record = store.find_calibre(book_id)
    if record is None or record.status != "ok" or not record.report:
        return None
    return Report.model_validate_json(record.report)


def _calibre_report(library: Path, book_id: int) -> Report:
    stored = _stored_report(library, book_id)
    if stored is not None:
        return stored
    book = next((b for b in calibre_library.read_library(library) if b.id == book_id), None)
    if book is None:
        raise InputError(f"no book with id {book_id} in {library}; see `calibredb list` for ids")
    if book.file is None:
        raise InputError(f"calibre book {book_id} has no format forewarn reads (EPUB, DOCX, HTML, TXT, Markdown)")
    return scan(book.file)


def _tag_calibre(console: Console, library: Path, ids: list[int], column: Optional[str], program: str, dry_run: bool) -> None:
    calibredb = Calibredb(library_arg(library), program)
    for book_id in ids:
        labels = labels_for(_calibre_report(library, book_id))
        if column:
            if not dry_run:
                calibredb.set_custom(book_id, column, labels)
            console.print(f"book {book_id}: #{column.removeprefix('#')} = {', '.join(labels)}")
            continue
        if dry_run:
            old = calibredb.tags(book_id)
            console.print(f"book {book_id}: tags {', '.join(old) or '(none)'} -> {', '.join(merge_labels(old, labels))}")
        else:
            console.print(f"book {book_id}: tags now {', '.join(calibredb.set_tags(book_id, labels))}")
    if dry_run:
        console.print("Dry run: nothing was written.")


def _tag_epub(console: Console, book: Path, undo: bool, dry_run: bool) -> None:
    if undo:
        if dry_run:
            raise UsageError("--undo and --dry-run cannot be combined; --undo only restores the backup")
        epub_metadata.undo(book)
        console.print(f"Restored {book} from its backup.")
        return
    change = epub_metadata.plan(book, scan(book))
    if change.before == change.after:
        console.print(f"{book} already carries these warnings; nothing to change.")
        return
    if dry_run:
        console.print(change.diff(), markup=False, highlight=False, end="")
        console.print("Dry run: nothing was written.")
        return
    backup = epub_metadata.apply(change)
    console.print(f"Tagged {book} (only {change.member} changed); original kept as {backup.name}; undo with forewarn tag --undo.")


@app.command("tag")
def tag_command(
    book: Optional[Path] = typer.Argument(None, help="EPUB file to tag (its content.opf gets the warnings)."),
    dry_run: bool = typer.Option(False, "--dry-run", help="Show the change without writing it."),
    undo: bool = typer.Option(False, "--undo", help="Put back the EPUB as it was before forewarn tagged it."),
    calibre: Optional[Path] = typer.Option(None, "--calibre", metavar="LIBRARY", help="Tag books of this Calibre library."),
    book_ids: Optional[list[int]] = typer.Option(None, "--id", help="Calibre book id (repeatable)."),
    column: Optional[str] = typer.Option(
        None, "--column", metavar="LABEL", help="Write a Calibre custom column (text, multiple) instead of tags."),
    calibredb: str = typer.Option("calibredb", "--calibredb", help="The calibredb program to call."),
) -> None:
    """Write the detected warnings and suggested rating into an EPUB or Calibre books, keeping other tags."""
    console = Console(highlight=False, soft_wrap=True)
    with usage_errors():
        if calibre is not None:
            if book is not None or undo:
                raise UsageError("with --calibre give book ids (--id N), not a file or --undo")
            if not book_ids:
                raise UsageError("say which Calibre books to tag with --id N (repeatable)")
            _tag_calibre(console, calibre, book_ids, column, calibredb, dry_run)
        elif book is None:
            raise UsageError("give an EPUB file to tag, or --calibre LIBRARY --id N")
        else:
            _tag_epub(console, book, undo, dry_run)

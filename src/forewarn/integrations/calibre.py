"""Write forewarn's labels into a Calibre library through Calibre's own ``calibredb``.

Tags: ``calibredb set_metadata ID --field tags:...`` replaces all of a book's tags, so the current
tags are read first (``calibredb list --for-machine --fields tags``, one call for every book a
search selects), the tags forewarn wrote before are dropped (see :mod:`.labels`), every other tag
is kept, and the new ones are added. A custom column (made once with
``calibredb add_custom_column forewarn Forewarn text --is-multiple``) is set with
``calibredb set_custom`` instead, which leaves tags alone. Never touches ``metadata.db`` itself.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from ..errors import InputError, UsageError
from .labels import merge_labels


@dataclass(frozen=True, slots=True)
class Calibredb:
    """How to call calibredb on one library (``library`` may be a path or a content-server URL)."""

    library: str
    program: str = "calibredb"

    def _run(self, *arguments: str) -> str:
        program = shutil.which(self.program)
        if program is None:
            raise UsageError(f"'{self.program}' not found; install calibre or pass --calibredb /path/to/calibredb")
        command = [program, *arguments, "--with-library", self.library]
        try:
            done = subprocess.run(command, capture_output=True, text=True, timeout=300, check=False)
        except (OSError, subprocess.TimeoutExpired) as error:
            raise InputError(f"calibredb did not run: {error}") from error
        if done.returncode != 0:
            lines = [line for line in done.stderr.splitlines() if line.strip()]
            reason = lines[-1].strip() if lines else f"exit status {done.returncode}"
            raise InputError(f"calibredb {arguments[0]} failed: {reason}")
        return done.stdout

    def books(self, search: str | None = None) -> dict[int, list[str]]:
        """Tags by book id of every book ``search`` (Calibre's own search syntax) selects; all books
        without one."""
        arguments = ["list", "--for-machine", "--fields", "tags"]
        if search is not None:
            arguments += ["--search", search]
        output = self._run(*arguments)
        try:
            books = json.loads(output or "[]")
            return {int(b["id"]): list(b.get("tags") or []) for b in books}
        except (ValueError, TypeError, KeyError) as error:
            raise InputError(f"calibredb list gave output forewarn cannot read: {error}") from error

    def tags(self, book_id: int) -> list[str]:
        """The book's current tags; raise InputError if there is no such book."""
        books = self.books(f"id:{book_id}")
        if book_id not in books:
            raise InputError(f"no book with id {book_id} in {self.library}; see `calibredb list` for ids")
        return books[book_id]

    def write_tags(self, book_id: int, tags: list[str]) -> None:
        """Set the book's tags to exactly ``tags``."""
        if any("," in tag for tag in tags):
            raise InputError("a tag contains a comma, which calibredb cannot set; rename it in calibre first")
        self._run("set_metadata", "--field", f"tags:{','.join(tags)}", str(book_id))

    def set_tags(self, book_id: int, labels: list[str]) -> list[str]:
        """Replace the book's forewarn tags with ``labels``, keeping every other tag; return all tags."""
        merged = merge_labels(self.tags(book_id), labels)
        self.write_tags(book_id, merged)
        return merged

    def set_custom(self, book_id: int, column: str, labels: list[str]) -> None:
        """Set a multiple-value text custom column (forewarn's own) to ``labels``, replacing what it held."""
        self._run("set_custom", column.removeprefix("#"), str(book_id), ",".join(labels))


def library_arg(library: Path | str) -> str:
    """The ``--with-library`` value: a URL as given, a folder as an absolute path."""
    text = str(library)
    return text if "://" in text else str(Path(text).resolve())

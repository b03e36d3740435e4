"""A progress bar on stderr for scans that take longer than a second.

It is fed by ``forewarn.scan(..., progress=bar.update)``: objects with ``.stage``, ``.done`` and
``.total``. It stays silent off a terminal unless forced, and appears only once a scan has run for
``DELAY_S`` seconds, so short scans print nothing extra.
"""

from __future__ import annotations

import time
from types import TracebackType
from typing import Protocol

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

DELAY_S = 1.0


class StageProgress(Protocol):
    """What a scan reports: the stage it is in and how many of its steps are done."""

    stage: str
    done: int
    total: int


class ScanBar:
    """One bar for a run over ``files`` files; call ``next_file`` before each and pass ``update`` to scan."""

    def __init__(self, console: Console, files: int, *, enabled: bool) -> None:
        self._enabled = enabled
        self._files = files
        self._index = 0
        self._label = ""
        self._started_at = 0.0
        self._shown = False
        self._progress = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=console,
            transient=True,
        )
        self._task = self._progress.add_task("", total=None)

    def next_file(self, label: str) -> None:
        """Start counting for the next file (named ``label`` on the bar)."""
        self._index += 1
        self._label = label
        if not self._started_at:
            self._started_at = time.monotonic()

    def update(self, event: StageProgress) -> None:
        """The scan's progress callback."""
        if not self._enabled:
            return
        if not self._shown:
            if time.monotonic() - self._started_at < DELAY_S:
                return
            self._progress.start()
            self._shown = True
        which = f" ({self._index} of {self._files})" if self._files > 1 else ""
        self._progress.update(
            self._task, description=f"{self._label}{which}: {event.stage}",
            completed=event.done, total=event.total or None,
        )

    def __enter__(self) -> ScanBar:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 traceback: TracebackType | None) -> None:
        if self._shown:
            self._progress.stop()


def progress_wanted(choice: bool | None, *, stderr: Console, json_to_pipe: bool) -> bool:
    """Whether to draw the bar: ``--progress`` forces it, ``--no-progress`` hides it; by default only
    when stderr is a terminal and the output is not JSON going into a pipe."""
    if choice is not None:
        return choice
    return stderr.is_terminal and not json_to_pipe

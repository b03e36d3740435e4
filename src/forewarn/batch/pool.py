"""Local parallel runs for library and archive work: tasks over :func:`forewarn.worker.bounded_map`.

The pool itself (pebble, workers prepared once by :func:`forewarn.worker.initialise`, bounded
submission, a task past its time limit or whose worker the system killed yielding a :class:`Lost`)
lives in :mod:`forewarn.worker`, shared with ``Forewarn.pipe``; this module adds the batch tasks.
"""

from __future__ import annotations

from pathlib import Path

from ..errors import ForewarnError
from ..worker import Job, Outcome, scan_one


def scan_job(job: Job) -> Outcome:
    """Scan one job in a worker; a scanner that could not load ends the run (every work would fail)."""
    outcome = scan_one(job)
    if outcome.failure == "setup":
        raise ForewarnError(outcome.error or "the scanner could not load")
    return outcome


def scan_file(path: str) -> Outcome:
    """Task: scan one file in a worker."""
    return scan_job(Job(Path(path)))

"""The worker side of a run: load the detectors once, scan one work, never raise.

Every engine (the inline loop, the process pool, Dask workers) builds one :class:`Scanner` per
worker process and calls :meth:`Scanner.scan` per work. A bad work becomes an :class:`Outcome`
with status ``failed`` and a one-line reason; it never stops the run.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import ForewarnError

ScanFunction = Callable[..., Any]
"""``forewarn.scan``'s signature: ``(source, *, name=None, ..., detectors=None) -> Report``."""


@dataclass(frozen=True, slots=True)
class ScanOptions:
    """What every work of a run is scanned with (it is part of the fingerprint)."""

    thorough: bool = False
    detector_names: tuple[str, ...] = ()


@dataclass(slots=True)
class Outcome:
    """The result of scanning one work: ``report_json`` when ok, ``error`` when failed."""

    status: str
    error: str | None = None
    report_json: str | None = None
    words: int = 0
    title: str | None = None
    findings: list[tuple[str, str]] = field(default_factory=list)
    seconds: float = 0.0


def one_line(error: BaseException) -> str:
    """An exception as one line: forewarn's own messages as they are, others with their type."""
    text = " ".join(str(error).split()) or "no message"
    if isinstance(error, ForewarnError):
        return text
    return f"{type(error).__name__}: {text}"


def _load_detectors(options: ScanOptions) -> list[Any]:
    from ..detectors.registry import default_detectors, detectors_by_name

    if options.detector_names:
        return detectors_by_name(list(options.detector_names))
    return default_detectors(thorough=options.thorough)


def fingerprint(options: ScanOptions) -> str:
    """A string that changes whenever a rescan could give a different report: the engine's fingerprint
    (forewarn's version, the detectors and every data and model file they load); a work stored under
    the same content hash and fingerprint is never scanned again."""
    from ..engine import shared_engine

    return shared_engine(options.detector_names or None, options.thorough).fingerprint


class Scanner:
    """Scans works with detectors loaded once (one per worker process)."""

    def __init__(self, options: ScanOptions, scan: ScanFunction | None = None) -> None:
        if scan is None:
            from .. import scan as forewarn_scan

            scan = forewarn_scan
            self._detectors: list[Any] | None = _load_detectors(options)
        else:
            self._detectors = None
        self._scan = scan
        self._options = options

    def scan(self, source: str | bytes | Path, name: str | None = None) -> Outcome:
        """Scan one work (a path, bytes of a file, or story text); never raises."""
        started = time.perf_counter()
        try:
            report = self._scan(
                source, name=name, thorough=self._options.thorough, detectors=self._detectors
            )
            report_json = report.to_json(indent=None)
            title, words, findings = _summary(report)
        except Exception as error:  # noqa: BLE001 - one bad work never stops the run
            return Outcome("failed", error=one_line(error), seconds=time.perf_counter() - started)
        return Outcome(
            "ok",
            report_json=report_json,
            words=words,
            title=title,
            findings=findings,
            seconds=time.perf_counter() - started,
        )


def _summary(report: Any) -> tuple[str | None, int, list[tuple[str, str]]]:
    """Title, words of story and (category, severity) pairs of a Report."""
    return report.work.title, report.work.words, [(f.category, f.severity) for f in report.findings]

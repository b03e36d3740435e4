"""The Forewarn engine: one object, built once, that owns the flow read → segment → detect → assess →
label → verdict.

Like spaCy's ``Language``, the engine lists its stages by name (``stage_names``), lets a caller swap
one (``replace_stage``), times each (``last_timings``) and reports progress as it goes; like
Presidio's ``AnalyzerEngine`` it is built once (``Forewarn()`` or ``Forewarn.from_config(...)``) and
then scans many works. Its ``fingerprint`` hashes forewarn's version and every data and model file
it loaded, so a stored report made with other data is recognised as stale.

>>> engine = Forewarn.from_config(detectors=["cues"])          # doctest: +SKIP
>>> report = engine.scan_path("story.epub", explain=True)       # doctest: +SKIP
>>> engine.stage_names
['read', 'segment', 'detect', 'assess', 'label', 'verdict']
"""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cache, cached_property
from pathlib import Path
from typing import Literal

from .config import messages_config
from .detectors.base import Detector, Evidence, Suppression, accepts
from .detectors.registry import default_detectors, detectors_by_name
from .documents import Passage
from .documents.report import (
    ChapterInfo,
    DetectorInfo,
    Finding,
    Report,
    Source,
    Support,
    Suppressed,
    WorkInfo,
)
from .documents.work import Work
from .errors import ForewarnError, InputError, UsageError
from .readers import read_bytes, read_path, read_text, without_lone_surrogates
from .stages.assess import assess
from .stages.characters import main_characters
from .stages.profile import Profile, verdict
from .stages.ratings import declared_not_found, suggest, under_warnings
from .stages.segment import segment
from .taxonomy import data_file
from .version import __version__
from .worker import Job, Lost, ScanOptions, WorkerSetup, bounded_map, one_line, scan_report

STAGE_NAMES: tuple[str, ...] = ("read", "segment", "detect", "assess", "label", "verdict")


@dataclass(frozen=True, slots=True)
class ProgressEvent:
    """How far a scan has got: ``done`` of ``total`` units of ``stage`` (passages in ``detect``, else 0 or 1).

    Fired when each stage starts (``done == 0``) and ends (``done == total``), and inside ``detect``
    as passages get scored.
    """

    stage: str
    done: int
    total: int


ProgressCallback = Callable[[ProgressEvent], None]


@dataclass(frozen=True, slots=True)
class ReadRequest:
    """What to read: a path (``"-"`` is standard input), raw file bytes, or story text."""

    kind: Literal["path", "bytes", "text"]
    source: str | os.PathLike[str] | bytes
    name: str | None = None
    format: str | None = None
    max_bytes: int | None = None


@dataclass(slots=True)
class ScanState:
    """One scan on its way through the stages (spaCy's ``Doc`` through its pipes): each stage reads
    what the ones before it left and fills in its own part."""

    request: ReadRequest | None
    detectors: Sequence[Detector]
    spoilers: bool = False
    explain: bool = False
    profile: Profile | None = None
    progress: ProgressCallback | None = None
    work: Work | None = None
    passages: list[Passage] = field(default_factory=list)
    evidence: list[Evidence] = field(default_factory=list)
    suppressed: list[Suppression] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    main_characters: set[str] = field(default_factory=set)
    report: Report | None = None

    def tell(self, stage: str, done: int, total: int) -> None:
        """Send a progress event, if anyone listens."""
        if self.progress is not None:
            self.progress(ProgressEvent(stage, done, total))


Stage = Callable[[ScanState], None]
"""A stage reads and fills in a ScanState; replace one with ``Forewarn.replace_stage``."""


def read_work(request: ReadRequest) -> Work:
    """Read what the request names into a Work (raises InputError on bad input)."""
    if request.kind == "path":
        work = read_path(request.source, format=request.format, max_bytes=request.max_bytes)
    elif request.kind == "bytes":
        work = read_bytes(bytes(request.source), name=request.name, format=request.format,
                          max_bytes=request.max_bytes)
    elif request.format is not None:
        text, notices = without_lone_surrogates(str(request.source))  # any str encodes, with a notice
        work = read_bytes(text.encode("utf-8"), name=request.name, format=request.format,
                          max_bytes=request.max_bytes).with_source(notices=notices)
    else:
        work = read_text(str(request.source), name=request.name)
    if not work.paragraphs:
        raise InputError(f"{work.source_path or 'the input'} has no story text forewarn can read")
    return work


def run_detectors(passages: Sequence[Passage], detectors: Sequence[Detector], *,
                  progress: Callable[[int, int], None] | None = None,
                  suppressed: list[Suppression] | None = None) -> list[Evidence]:
    """All evidence from all detectors; ``progress`` hears (passages scored, passages x detectors)."""
    evidence: list[Evidence] = []
    total = len(passages) * len(detectors)
    for position, detector in enumerate(detectors):
        offset = position * len(passages)
        options: dict = {}
        if progress is not None and accepts(detector, "progress"):
            options["progress"] = lambda done, _, offset=offset: progress(offset + done, total)
        if suppressed is not None and accepts(detector, "suppressed"):
            options["suppressed"] = suppressed
        evidence.extend(detector.detect(passages, **options))
        if progress is not None:
            progress(offset + len(passages), total)
    return evidence


def _read_stage(state: ScanState) -> None:
    if state.request is not None:  # scan_work hands the stage an already-read Work
        state.work = read_work(state.request)


def _segment_stage(state: ScanState) -> None:
    state.passages = segment(state.work)


def _detect_stage(state: ScanState) -> None:
    state.evidence = run_detectors(
        state.passages, state.detectors,
        progress=lambda done, total: state.tell("detect", done, total),
        suppressed=state.suppressed if state.explain else None,
    )


def _assess_stage(state: ScanState) -> None:
    state.findings = assess(state.work, state.passages, state.evidence, spoilers=state.spoilers,
                            explain=state.explain)


def _label_stage(state: ScanState) -> None:
    """Derived labels (ratings, archive warnings, under-warning notes) and the assembled Report."""
    work, findings = state.work, state.findings
    state.main_characters = main_characters(work, state.passages)  # once per scan; labels only read it
    suggested = suggest(findings, work, state.main_characters)
    declared = work.declared.model_copy(deep=True)
    support = messages_config().support
    found = {f.category for f in findings}
    state.report = Report(
        forewarn_version=__version__,
        source=Source(path=work.source_path, format=work.source_format, encoding=work.encoding),
        work=WorkInfo(
            title=work.title,
            authors=list(work.authors),
            words=work.story_words(),
            chapters=[ChapterInfo(index=c.index + 1, title=c.title, char_start=c.start, char_end=c.end)
                      for c in work.chapters],
        ),
        declared=declared,
        findings=findings,
        suggested=suggested,
        under_warning=under_warnings(findings, suggested, declared),
        declared_not_found=declared_not_found(declared, suggested),
        support=Support(text=support.text, url=support.url) if found & support.categories else None,
        detectors=[DetectorInfo(name=d.name, version=d.version) for d in state.detectors],
        notices=list(work.reader_warnings),
        limits=messages_config().limits.text,
        suppressed=([Suppressed(category=s.category, detector=s.detector, rule=s.rule, because=s.because,
                                char_start=s.start, char_end=s.end) for s in state.suppressed]
                    if state.explain else None),
    )


def _verdict_stage(state: ScanState) -> None:
    if state.profile is not None:
        state.report.verdict = verdict(state.report, state.profile)


DEFAULT_STAGES: dict[str, Stage] = {
    "read": _read_stage,
    "segment": _segment_stage,
    "detect": _detect_stage,
    "assess": _assess_stage,
    "label": _label_stage,
    "verdict": _verdict_stage,
}


def data_dir() -> Path:
    """The folder of data files shipped with forewarn (taxonomy, thresholds, messages, cues...)."""
    return data_file("")


def _data_files() -> list[Path]:
    return sorted(p for p in data_dir().rglob("*") if p.is_file() and p.suffix == ".toml")


class Forewarn:
    """The engine: detectors loaded once, six named stages, one fingerprint.

    ``Forewarn()`` uses the default detectors; ``Forewarn.from_config(detectors=[...], thorough=...)``
    picks them by name (the same names as ``forewarn scan --detector``); ``Forewarn(detectors=[obj])``
    takes detector objects.
    """

    def __init__(self, detectors: Sequence[Detector] | None = None, *, thorough: bool = False,
                 stages: dict[str, Stage] | None = None) -> None:
        self.thorough = thorough
        self.detectors: list[Detector] = (list(detectors) if detectors is not None
                                          else default_detectors(thorough=thorough))
        # How a worker process rebuilds this engine (detector names, thorough); None when it cannot.
        self._config: tuple[tuple[str, ...] | None, bool] | None = (None, thorough) if detectors is None else None
        self._stages: dict[str, Stage] = dict(DEFAULT_STAGES)
        for name, stage in (stages or {}).items():
            self.replace_stage(name, stage)
        self.last_timings: dict[str, float] = {}
        """Seconds each stage took in this engine's most recent scan, by stage name."""

    @classmethod
    def from_config(cls, *, detectors: Sequence[str | Detector] | None = None,
                    thorough: bool = False) -> Forewarn:
        """An engine from options: detector names (or objects; default: the default detectors) and
        ``thorough`` (the encoder reads every passage). Raises UsageError for an unknown name."""
        engine = cls(_resolve_detectors(detectors, thorough), thorough=thorough)
        if detectors is None or all(isinstance(d, str) for d in detectors):
            engine._config = (None if detectors is None else tuple(detectors), thorough)
        return engine

    # --- stages ---------------------------------------------------------------------------

    @property
    def stage_names(self) -> list[str]:
        """The stages, in the order they run."""
        return list(self._stages)

    def get_stage(self, name: str) -> Stage:
        """The function that runs stage ``name``."""
        self._check_stage(name)
        return self._stages[name]

    def replace_stage(self, name: str, stage: Stage) -> Stage:
        """Run ``stage`` instead of stage ``name``; returns the stage it replaces.

        A replaced stage makes the engine a custom one: ``pipe(n_process>1)`` then refuses it (the
        worker processes could not rebuild it).
        """
        self._check_stage(name)
        previous, self._stages[name] = self._stages[name], stage
        self._config = None
        return previous

    def _check_stage(self, name: str) -> None:
        if name not in self._stages:
            raise UsageError(f"no stage named {name!r}; the stages are {', '.join(self._stages)}")

    # --- fingerprint ----------------------------------------------------------------------

    @property
    def files(self) -> list[Path]:
        """Every data and model file the engine loads: the shipped data files and the detectors' own."""
        files = _data_files()
        for detector in self.detectors:
            files.extend(p for p in getattr(detector, "files", ()) if p not in files)
        return files

    @cached_property
    def fingerprint(self) -> str:
        """A short hash of forewarn's version, the detectors (names and versions) and the bytes of
        every data and model file loaded. A stored report with another fingerprint is stale."""
        digest = hashlib.sha256(__version__.encode() + b"\0")
        for detector in self.detectors:
            digest.update(f"{detector.name}={detector.version}\0".encode())
        digest.update(f"thorough={self.thorough}\0".encode())
        for path in self.files:
            digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
        return digest.hexdigest()[:16]

    # --- scanning -------------------------------------------------------------------------

    def scan_path(self, path: str | os.PathLike[str], *, format: str | None = None,
                  max_bytes: int | None = None, **options) -> Report:
        """Scan a story file (``"-"`` reads standard input). ``options``: see ``run``."""
        return self.run(ReadRequest("path", path, format=format, max_bytes=max_bytes), **options)

    def scan_bytes(self, data: bytes | bytearray, *, name: str | None = None, format: str | None = None,
                   max_bytes: int | None = None, **options) -> Report:
        """Scan the bytes of a story file; ``name`` (a file name) is a format hint and used in messages."""
        return self.run(ReadRequest("bytes", bytes(data), name=name, format=format, max_bytes=max_bytes),
                         **options)

    def scan_text(self, text: str, *, name: str | None = None, format: str | None = None,
                  max_bytes: int | None = None, **options) -> Report:
        """Scan story text given directly (never opened as a path)."""
        return self.run(ReadRequest("text", text, name=name, format=format, max_bytes=max_bytes), **options)

    def scan_work(self, work: Work, **options) -> Report:
        """Scan an already-read Work (the read stage is skipped)."""
        return self.run(None, work=work, **options)

    def run(self, request: ReadRequest | None, *, spoilers: bool = False, explain: bool = False,
             profile: Profile | None = None, progress: ProgressCallback | None = None,
             work: Work | None = None) -> Report:
        """Run every stage. ``spoilers`` adds quotes, ``explain`` reasons and set-aside matches,
        ``profile`` a verdict; ``progress`` hears a ProgressEvent at each stage's start and end and
        as passages are scored."""
        state = ScanState(request, self.detectors, spoilers=spoilers, explain=explain, profile=profile,
                          progress=progress, work=work)
        timings: dict[str, float] = {}
        for name, stage in self._stages.items():
            total = len(state.passages) * len(self.detectors) if name == "detect" else 1
            state.tell(name, 0, total)
            started = time.perf_counter()
            stage(state)
            timings[name] = time.perf_counter() - started
            state.tell(name, total, total)
        self.last_timings = timings
        return state.report

    def scan_source(self, source: str | os.PathLike[str] | bytes | bytearray, **options) -> Report:
        """Scan a file: a ``str`` or path names it, ``bytes`` are its content (``options`` as for
        ``scan_path``/``scan_bytes``, e.g. ``name`` for bytes). What ``pipe`` and the workers scan."""
        if isinstance(source, (bytes, bytearray)):
            return self.scan_bytes(source, **options)
        options.pop("name", None)
        return self.scan_path(source, **options)

    def pipe(self, sources: Iterable[str | os.PathLike[str] | bytes], *, n_process: int = 1,
             **options) -> Iterator[Report | ForewarnError]:
        """Scan many works, yielding each one's Report, or the error it raised, in the order given.

        A ``str`` or path is a file, ``bytes`` the file's content. With ``n_process > 1`` the works are
        scanned in that many processes of the one worker body (``forewarn.worker``), each building
        the same engine once (only for an engine built by ``Forewarn()`` or ``from_config`` with
        detector names and no replaced stage).
        """
        if n_process <= 1:
            for source in sources:
                yield _as_result(lambda: self.scan_source(source, **options))
            return
        if self._config is None:
            raise UsageError("pipe(n_process > 1) needs an engine built from names (Forewarn.from_config)")
        names, thorough = self._config
        setup = WorkerSetup(options=ScanOptions(thorough, names or ()), workers=n_process)
        jobs = ((index, Job(source, options)) for index, source in enumerate(sources))
        waiting: dict[int, Report | ForewarnError] = {}
        next_index = 0
        for (index, _), result in bounded_map(_pipe_task, jobs, jobs=n_process, setup=setup):
            if isinstance(result, Lost):  # its worker was killed
                result = ForewarnError(result.outcome.error or "not scanned")
            waiting[index] = result
            while next_index in waiting:
                yield waiting.pop(next_index)
                next_index += 1


def _as_result(scan: Callable[[], Report]) -> Report | ForewarnError:
    """What ``scan()`` returns, or the error it raised as a ForewarnError (one line)."""
    try:
        return scan()
    except ForewarnError as error:
        return error
    except Exception as error:  # noqa: BLE001 - one bad work never stops the others
        return ForewarnError(one_line(error))


def _pipe_task(item: tuple[int, Job]) -> Report | ForewarnError:
    """Task run in a worker process for ``pipe``: one job's Report or its error."""
    return _as_result(lambda: scan_report(item[1]))


def _resolve_detectors(detectors: Sequence[Detector | str] | None, thorough: bool) -> list[Detector]:
    if detectors is None:
        return default_detectors(thorough=thorough)
    names = [d for d in detectors if isinstance(d, str)]
    try:
        built = iter(detectors_by_name(names))
    except ValueError as error:
        raise UsageError(str(error)) from None
    return [next(built) if isinstance(d, str) else d for d in detectors]


@cache
def shared_engine(detectors: tuple[str, ...] | None = None, thorough: bool = False) -> Forewarn:
    """One engine per process for each choice of detector names and reading mode (``forewarn.scan``,
    the server's and the library's workers use it)."""
    return Forewarn.from_config(detectors=detectors, thorough=thorough)

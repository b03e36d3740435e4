"""The one flow: read -> segment -> detect -> assess -> report."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Sequence
from functools import cache
from pathlib import Path

from . import __version__
from .assess import assess
from .detectors.base import Detector, Evidence, Passage
from .detectors.registry import default_detectors, detectors_by_name
from .errors import InputError, UsageError
from .profile import Profile, reader_profile, verdict
from .ratings import suggest, under_warnings
from .readers import read_bytes, read_path, read_text, story_extensions
from .report import (
    ChapterInfo,
    Declared,
    DetectorInfo,
    Report,
    Source,
    Support,
    WorkInfo,
)
from .segment import segment
from .taxonomy import load_data_toml
from .work import Work

ScanSource = str | os.PathLike | bytes | bytearray


@cache
def _messages() -> dict:
    return load_data_toml("messages.toml")


def _looks_like_path(text: str) -> bool:
    return "\n" not in text and len(text) < 4096 and (
        text == "-" or Path(text).suffix.lower() in story_extensions() or os.path.exists(text)
    )


def read_work(source: ScanSource, *, name: str | None = None, format: str | None = None,
              max_bytes: int | None = None) -> Work:
    """Read a path, raw bytes or story text into a Work (raises InputError on bad input)."""
    if isinstance(source, (bytes, bytearray)):
        return read_bytes(bytes(source), name=name, format=format, max_bytes=max_bytes)
    if isinstance(source, os.PathLike) or (isinstance(source, str) and _looks_like_path(source)):
        return read_path(source, format=format, max_bytes=max_bytes)
    if isinstance(source, str):
        if format is not None:
            return read_bytes(source.encode("utf-8"), name=name, format=format, max_bytes=max_bytes)
        return read_text(source, name=name)
    raise UsageError(f"cannot scan a {type(source).__name__}; pass a path, bytes or story text")


def _resolve_detectors(detectors: Sequence[Detector | str] | None, thorough: bool) -> list[Detector]:
    if detectors is None:
        return default_detectors(thorough=thorough)
    names = [d for d in detectors if isinstance(d, str)]
    try:
        built = iter(detectors_by_name(names))
    except ValueError as error:
        raise UsageError(str(error)) from None
    return [next(built) if isinstance(d, str) else d for d in detectors]


def detector_fingerprint(thorough: bool = False) -> str:
    """A short hash of forewarn's version and the default detectors' names and versions.

    Batch runs use it to tell whether a stored result was made by the same detectors.
    """
    parts = [__version__] + [f"{d.name}={d.version}" for d in default_detectors(thorough=thorough)]
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:16]


def run_detectors(passages: Sequence[Passage], detectors: Sequence[Detector]) -> list[Evidence]:
    """All evidence from all detectors."""
    evidence: list[Evidence] = []
    for detector in detectors:
        evidence.extend(detector.detect(passages))
    return evidence


def build_report(work: Work, *, detectors: Sequence[Detector], spoilers: bool = False,
                 explain: bool = False, profile: Profile | None = None) -> Report:
    """Run segment -> detect -> assess on a Work and assemble the Report."""
    passages = segment(work)
    evidence = run_detectors(passages, detectors)
    findings = assess(work, passages, evidence, spoilers=spoilers, explain=explain)
    suggested = suggest(findings, work)
    source_declared = work.declared
    declared = Declared(
        rating=source_declared.rating,
        warnings=list(source_declared.warnings),
        tags=list(source_declared.tags),
        chose_not_to_warn=source_declared.chose_not_to_warn,
        fandoms=list(source_declared.fandoms),
        relationships=list(source_declared.relationships),
        characters=list(source_declared.characters),
        summary=source_declared.summary,
    )
    support_data = _messages()["support"]
    found = {f.category for f in findings}
    report = Report(
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
        support=(Support(text=support_data["text"], url=support_data["url"])
                 if found & set(support_data["categories"]) else None),
        detectors=[DetectorInfo(name=d.name, version=d.version) for d in detectors],
        notices=list(work.reader_warnings),
        limits=_messages()["limits"]["text"],
    )
    if profile is not None:
        report.verdict = verdict(report, profile)
    return report


def scan(
    source: ScanSource,
    *,
    name: str | None = None,
    format: str | None = None,
    avoid: str | Sequence[str] | None = None,
    profile: Profile | str | Path | None = None,
    spoilers: bool = False,
    explain: bool = False,
    thorough: bool = False,
    detectors: Sequence[Detector | str] | None = None,
    max_bytes: int | None = None,
) -> Report:
    """Scan one story and return its Report.

    ``source`` is a path (``"-"`` for stdin), raw file bytes (give ``name`` for the format hint)
    or the story text itself. ``avoid`` (``"self-harm,suicide:depicted"`` or a list) and/or
    ``profile`` (a Profile or a TOML file) add a verdict. ``spoilers`` adds evidence quotes,
    ``explain`` the reasons detectors fired, ``thorough`` runs the learned model on every passage.
    Raises InputError for input that is not a readable story and UsageError for bad options.
    """
    chosen_profile = reader_profile(avoid, profile)
    chosen_detectors = _resolve_detectors(detectors, thorough)
    work = read_work(source, name=name, format=format, max_bytes=max_bytes)
    if not work.paragraphs:
        raise InputError(f"{work.source_path or 'the input'} has no story text forewarn can read")
    return build_report(work, detectors=chosen_detectors, spoilers=spoilers, explain=explain,
                        profile=chosen_profile)

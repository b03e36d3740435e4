"""The convenient front door: ``forewarn.scan()`` over a shared :class:`~forewarn.engine.Forewarn` engine.

The engine (``engine.py``) owns the flow read → segment → detect → assess → label → verdict; this
module only turns ``scan()``'s flexible arguments (a path, bytes or story text; an avoid-list or a
profile file; detector names) into one engine call.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from .detectors.base import Detector
from .documents.report import Report
from .documents.work import Work
from .engine import Forewarn, ProgressCallback, ReadRequest, run_detectors, shared_engine
from .engine import read_work as _read
from .errors import UsageError
from .readers import story_extensions
from .stages.profile import Profile, reader_profile

__all__ = ["ScanSource", "build_report", "read_work", "run_detectors", "scan"]

ScanSource = str | os.PathLike | bytes | bytearray


def _looks_like_path(text: str) -> bool:
    return "\n" not in text and len(text) < 4096 and (
        text == "-" or Path(text).suffix.lower() in story_extensions() or os.path.exists(text)
    )


def _request(source: ScanSource, name: str | None, format: str | None, max_bytes: int | None) -> ReadRequest:
    """What ``source`` is: bytes, a path, or (a string that does not look like a path) story text."""
    if isinstance(source, (bytes, bytearray)):
        return ReadRequest("bytes", bytes(source), name=name, format=format, max_bytes=max_bytes)
    if isinstance(source, os.PathLike) or (isinstance(source, str) and _looks_like_path(source)):
        return ReadRequest("path", source, format=format, max_bytes=max_bytes)
    if isinstance(source, str):
        return ReadRequest("text", source, name=name, format=format, max_bytes=max_bytes)
    raise UsageError(f"cannot scan a {type(source).__name__}; pass a path, bytes or story text")


def read_work(source: ScanSource, *, name: str | None = None, format: str | None = None,
              max_bytes: int | None = None) -> Work:
    """Read a path, raw bytes or story text into a Work (raises InputError on bad input)."""
    return _read(_request(source, name, format, max_bytes))


def _engine(detectors: Sequence[Detector | str] | None, thorough: bool) -> Forewarn:
    if detectors is None or all(isinstance(d, str) for d in detectors):
        return shared_engine(None if detectors is None else tuple(detectors), thorough)
    return Forewarn.from_config(detectors=detectors, thorough=thorough)


def build_report(work: Work, *, detectors: Sequence[Detector], spoilers: bool = False,
                 explain: bool = False, profile: Profile | None = None) -> Report:
    """Run segment → detect → assess → label → verdict on an already-read Work."""
    return Forewarn(detectors).scan_work(work, spoilers=spoilers, explain=explain, profile=profile)


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
    progress: ProgressCallback | None = None,
) -> Report:
    """Scan one story and return its Report.

    ``source`` is a path (``"-"`` for stdin), raw file bytes (give ``name`` for the format hint)
    or the story text itself (a one-line string that looks like a file name is taken as a path; use
    ``Forewarn.scan_text`` to be sure). ``avoid`` (``"self-harm,suicide:depicted"`` or a list)
    and/or ``profile`` (a Profile or a TOML file) add a verdict. ``spoilers`` adds evidence quotes,
    ``explain`` the reasons detectors fired (and what they set aside), ``thorough`` runs the learned
    model on every passage. ``progress`` is called with a ``ProgressEvent`` (``stage``, ``done``,
    ``total``) as the scan goes. Raises InputError for input that is not a readable story and
    UsageError for bad options.
    """
    chosen_profile = reader_profile(avoid, profile)
    engine = _engine(detectors, thorough)
    return engine.run(_request(source, name, format, max_bytes), spoilers=spoilers, explain=explain,
                       profile=chosen_profile, progress=progress)

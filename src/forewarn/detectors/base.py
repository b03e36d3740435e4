"""The one interface every detector implements, and the values it passes around.

A detector reads passages and returns evidence; it never decides what the reader sees
(that is the assessor's job). Like scikit-learn's ``predict``, the interface is one method:
``detect(passages)``. A detector may also accept two optional keywords, which the engine passes
only to detectors whose ``detect`` names them (see ``accepts``):

- ``progress``: a ``(done, total)`` callable, called as passages get scored;
- ``suppressed``: a list the detector appends a :class:`Suppression` to for every match it set aside.

and may list the data and model files it loaded in ``files`` (they go into the engine's fingerprint).
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal, Protocol, Sequence, runtime_checkable

from ..documents import Passage, Span
from ..taxonomy import files_digest

__all__ = ["CueSpan", "Detector", "Evidence", "Explanation", "Passage", "ProgressHook", "Suppression", "accepts", "files_version"]

ProgressHook = Callable[[int, int], None]
"""Called by a detector with (passages done, passages in all) as it scores."""


@dataclass(frozen=True, slots=True)
class CueSpan:
    """A piece of text that made a detector fire, with offsets into ``Work.text``."""

    start: int
    end: int
    label: str


@dataclass(frozen=True, slots=True)
class Explanation:
    """Why a detector fired: which rule or model head, how strongly, and on what text.

    ``rule`` is a cue rule's label or, with ``kind="head"``, the learned model's head (its category);
    ``score`` the rule's weight or the model's probability; ``spans`` the supporting text as offsets
    into ``Work.text``.
    """

    detector: str
    rule: str
    score: float
    spans: tuple[Span, ...] = ()
    kind: Literal["rule", "head"] = "rule"

    def __str__(self) -> str:
        """A few words for a reader: the rule's label, or the model's probability."""
        return f"{self.detector}: p={self.score:.2f}" if self.kind == "head" else self.rule


@dataclass(frozen=True, slots=True)
class Suppression:
    """A match a detector set aside, and why (``because``: negation, figurative, forbids, requires,
    who, not_who): what ``--explain`` shows as "not reported because"."""

    category: str
    detector: str
    rule: str
    because: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Evidence:
    """One detector's claim that a passage shows a category.

    ``score`` is in 0..1. ``severity`` is the detector's hint (mentioned / depicted / graphic)
    or None when it cannot tell. ``explanation`` says why it fired, strongest reason first.
    """

    category: str
    score: float
    passage: int
    detector: str
    severity: str | None = None
    cues: tuple[CueSpan, ...] = field(default=())
    explanation: tuple[Explanation, ...] = field(default=())


@runtime_checkable
class Detector(Protocol):
    """Anything with a name, a version and ``detect(passages) -> list[Evidence]``."""

    name: str
    version: str

    def detect(self, passages: Sequence[Passage]) -> list[Evidence]:
        """Score the passages and return evidence for the categories found."""
        ...


_VERSIONS: dict[tuple, str] = {}


def files_version(files: Sequence[Path]) -> str:
    """A short hash of the names and bytes of ``files``: a detector's version.

    Hashed once per process for each state of the files (path, size, modification time), so a
    report may ask for it on every scan and a changed file still gives a new version.
    """
    stats = [(str(p), p.stat()) for p in files]
    key = tuple((name, info.st_size, info.st_mtime_ns) for name, info in stats)
    if key not in _VERSIONS:
        _VERSIONS[key] = files_digest(files)
    return _VERSIONS[key]


def accepts(detector: Detector, keyword: str) -> bool:
    """Whether ``detector.detect`` takes the optional keyword ``keyword`` (``progress``, ``suppressed``)."""
    try:
        parameters = inspect.signature(detector.detect).parameters
    except (TypeError, ValueError):
        return False
    return keyword in parameters or any(p.kind is inspect.Parameter.VAR_KEYWORD for p in parameters.values())

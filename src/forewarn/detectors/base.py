"""The one interface every detector implements, and the values it passes around.

A detector reads passages and returns evidence; it never decides what the reader sees
(that is the assessor's job). Like scikit-learn's ``predict``, the interface is one method.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol, Sequence, runtime_checkable


@dataclass(frozen=True, slots=True)
class Passage:
    """A window of sentences inside one scene: the unit that detectors score.

    ``start``/``end`` are offsets into ``Work.text``; ``paragraph_start``/``paragraph_end`` are
    story-paragraph indices (inclusive) and ``position`` is the passage's midpoint as a fraction
    of the story.
    """

    index: int
    text: str
    start: int
    end: int
    chapter: int
    scene: int
    paragraph_start: int
    paragraph_end: int
    position: float


@dataclass(frozen=True, slots=True)
class CueSpan:
    """A piece of text that made a detector fire, with offsets into ``Work.text``."""

    start: int
    end: int
    label: str


@dataclass(frozen=True, slots=True)
class Evidence:
    """One detector's claim that a passage shows a category.

    ``score`` is in 0..1. ``severity`` is the detector's hint (mentioned / depicted / graphic)
    or None when it cannot tell. ``explanation`` says in a few words why it fired.
    """

    category: str
    score: float
    passage: int
    detector: str
    severity: str | None = None
    cues: tuple[CueSpan, ...] = field(default=())
    explanation: str = ""


@runtime_checkable
class Detector(Protocol):
    """Anything with a name, a version and ``detect(passages) -> list[Evidence]``."""

    name: str
    version: str

    def detect(self, passages: Sequence[Passage]) -> list[Evidence]:
        """Score the passages and return evidence for the categories found."""
        ...

"""The values that travel between the stages and are no stage's own: declared metadata and passages.

``Declared`` is read by the readers into a ``Work`` and copied into the ``Report`` as it is (one class
for both). ``Passage`` is made by ``segment`` and read by the detectors and the assessor; it carries the
sentence spans found while segmenting, so nothing downstream splits sentences again.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass

from pydantic import BaseModel, ConfigDict, Field


class Declared(BaseModel):
    """What the author or archive declared (read from metadata and notes, never from the story)."""

    model_config = ConfigDict(extra="forbid")

    rating: str | None = Field(None, description="Rating as written, e.g. 'T' or 'Teen And Up Audiences'.")
    warnings: list[str] = []
    tags: list[str] = Field(default_factory=list, description="Additional tags (AO3 freeform tags, FFN genres).")
    chose_not_to_warn: bool = False
    fandoms: list[str] = []
    relationships: list[str] = []
    characters: list[str] = []
    summary: str | None = Field(None, description="The author's summary, as published with the work.")


Span = tuple[int, int]
"""A (start, end) pair of 0-based, end-exclusive offsets into ``Work.text``."""


@dataclass(frozen=True, slots=True)
class Passage:
    """A window of sentences inside one scene: the unit that detectors score.

    ``start``/``end`` are offsets into ``Work.text``; ``paragraph_start``/``paragraph_end`` are
    story-paragraph indices (inclusive) and ``position`` is the passage's midpoint as a fraction
    of the story. ``sentences`` are the passage's sentences as offsets into ``Work.text``, in order
    (empty for a passage made by hand: then the whole passage counts as one sentence).
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
    sentences: tuple[Span, ...] = ()

    def sentence_at(self, offset: int) -> Span:
        """The sentence (offsets into ``Work.text``) that holds ``offset``; the whole passage if none."""
        if not self.sentences:
            return self.start, self.end
        i = bisect.bisect_right(self.sentences, (offset, float("inf"))) - 1
        return self.sentences[max(0, i)]

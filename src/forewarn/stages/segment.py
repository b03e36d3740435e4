"""Cut a Work's story paragraphs into passages: windows of whole sentences inside one scene.

Sentences are split here, once; each passage carries its sentence spans for the stages after it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..documents import Passage
from ..documents.sentences import sentence_spans
from ..documents.work import Paragraph, Work

TARGET_WORDS = 100
MAX_WORDS = 150

_WORD = re.compile(r"\S+")


def _scene_runs(paragraphs: list[Paragraph]) -> Iterator[list[Paragraph]]:
    run: list[Paragraph] = []
    for paragraph in paragraphs:
        if run and (paragraph.chapter, paragraph.scene) != (run[-1].chapter, run[-1].scene):
            yield run
            run = []
        run.append(paragraph)
    if run:
        yield run


def _long_sentence_pieces(text: str, start: int, end: int) -> Iterator[tuple[int, int, int]]:
    """Split one over-long sentence (or unpunctuated block) into pieces of MAX_WORDS words."""
    words = list(_WORD.finditer(text, start, end))
    for i in range(0, len(words), MAX_WORDS):
        chunk = words[i : i + MAX_WORDS]
        yield chunk[0].start(), chunk[-1].end(), len(chunk)


def segment(work: Work) -> list[Passage]:
    """Passages of about TARGET_WORDS words (at most MAX_WORDS) that never cross a scene break."""
    text = work.text
    total = max(1, len(text))
    story_start = work.paragraphs[0].start if work.paragraphs else 0
    story_span = max(1, (work.paragraphs[-1].end if work.paragraphs else total) - story_start)
    passages: list[Passage] = []

    def emit(units: list[tuple[int, int, int, int, int, int]]) -> None:
        start, end = units[0][0], units[-1][1]
        # A sentence cut into pieces (over MAX_WORDS words) counts up to the passage's edge.
        sentences = tuple(dict.fromkeys((max(start, u[4]), min(end, u[5])) for u in units))
        first, last = units[0][3], units[-1][3]
        midpoint = (start + end) / 2
        passages.append(
            Passage(
                index=len(passages),
                text=text[start:end],
                start=start,
                end=end,
                chapter=work.paragraphs[first].chapter,
                scene=work.paragraphs[first].scene,
                paragraph_start=first,
                paragraph_end=last,
                position=min(1.0, max(0.0, (midpoint - story_start) / story_span)),
                sentences=sentences,
            )
        )

    for run in _scene_runs(work.paragraphs):
        # (start, end, words, paragraph index, sentence start, sentence end)
        window: list[tuple[int, int, int, int, int, int]] = []
        words = 0
        for paragraph in run:
            for s_start, s_end in sentence_spans(text[paragraph.start : paragraph.end], paragraph.start):
                n = len(_WORD.findall(text, s_start, s_end))
                pieces = (
                    [(s_start, s_end, n)] if n <= MAX_WORDS else list(_long_sentence_pieces(text, s_start, s_end))
                )
                for p_start, p_end, p_words in pieces:
                    if window and words + p_words > MAX_WORDS:
                        emit(window)
                        window, words = [], 0
                    window.append((p_start, p_end, p_words, paragraph.index, s_start, s_end))
                    words += p_words
                    if words >= TARGET_WORDS:
                        emit(window)
                        window, words = [], 0
        if window:
            emit(window)
    return passages

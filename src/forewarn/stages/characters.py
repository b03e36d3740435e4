"""A rough guess at who the main characters are, for the Major Character Death warning."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from ..config import characters_config
from ..documents import Passage
from ..documents.work import Work

# A capitalised word that does not follow sentence-ending punctuation or a line start.
_NAME = re.compile(r"(?<![.!?\"“”'‘’\n]\s)(?<![.!?\"“”\n])(?<!^)\b([A-Z][a-z]+(?:'s)?)\b", re.M)


def names_in(text: str) -> Counter[str]:
    """Counts of capitalised mid-sentence words in ``text`` (possessive 's removed)."""
    not_names = characters_config().not_names
    counts: Counter[str] = Counter()
    for match in _NAME.finditer(text):
        word = match.group(1).removesuffix("'s")
        if word not in not_names:
            counts[word] += 1
    return counts


def main_characters(work: Work, passages: Sequence[Passage]) -> set[str]:
    """Names used often enough in the story to be main characters, counted sentence by sentence over
    the passages' sentence spans (split once by ``segment``; a sentence's first word is never a name)."""
    settings = characters_config()
    counts: Counter[str] = Counter()
    for passage in passages:
        for start, end in passage.sentences or ((passage.start, passage.end),):
            counts.update(names_in(work.text[start:end]))
    ranked = counts.most_common(settings.top)
    if not ranked:
        return set()
    floor = max(settings.min_count, ranked[0][1] * settings.min_share)
    return {name for name, count in ranked if count >= floor}


def main_character_dies(work: Work, start: int, end: int, main: set[str]) -> bool:
    """Whether the text between ``start`` and ``end`` ties one of ``main`` to a death."""
    if not main:
        return False
    settings = characters_config()
    names = "|".join(re.escape(name) for name in sorted(main))
    pattern = (rf"\b(?:{names})(?:'s)?{settings.death_after_name}|{settings.death_before_name}(?:{names})\b"
               rf"|\b(?:{names}){settings.death_possessive}")
    text = " ".join(work.text[start:end].replace("’", "'").split())
    return re.search(pattern, text) is not None

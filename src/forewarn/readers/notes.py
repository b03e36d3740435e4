"""Tell author's notes, disclaimers and rating lines from story paragraphs (FanFiction.Net style),
and read the declared rating and warnings out of them."""

from __future__ import annotations

import re

from ..documents.work import Declared
from .config import compiled, note_patterns, settings

# Notes are short: a long paragraph that merely mentions "review" is story.
_MAX_NOTE_WORDS_FOR_LOOSE_MATCH = 60


def note_kind(paragraph: str) -> str | None:
    """The note kind of a paragraph ("author-note", "disclaimer", "rating"), or None for story."""
    head = paragraph[:400]
    for kind, pattern in note_patterns():
        match = pattern.search(head)
        if match is None:
            continue
        if match.start() > 3 and len(paragraph.split()) > _MAX_NOTE_WORDS_FOR_LOOSE_MATCH:
            continue
        return kind
    return None


def read_declared(note: str, declared: Declared) -> None:
    """Update ``declared`` from one note's text (rating, warnings, chose-not-to-warn)."""
    if declared.rating is None:
        rating = compiled("declared", "rating", re.I).search(note)
        if rating:
            declared.rating = rating.group(1)
    if compiled("declared", "chose_not_to_warn", re.I).search(note):
        declared.chose_not_to_warn = True
        return
    empty = {value.casefold() for value in settings()["declared"]["empty_values"]}
    lists = [m.group("list") for m in compiled("declared", "rated_for", re.I).finditer(note)]
    for line in note.splitlines():
        match = compiled("declared", "warnings", re.I).match(line)
        if match is not None:
            lists.append(match.group("list"))
    for listed in lists:
        for item in re.split(r",|;|\band\b|&", listed):
            item = item.strip(" .")
            if item and item.casefold() not in empty and item not in declared.warnings:
                declared.warnings.append(item)

"""How a chapter is named on screen: "ch 3", or "Act I, Scene 2" when the reader titled it as a play's scene.

The text reader titles a play's chapters by their headings ("ACT I, SCENE II. A street", "ACT II",
"FIRST ACT"); a chapter whose title starts with an act is shown by its act and scene, so a reader of
a play finds the place as it is cited. The JSON report keeps chapter numbers; only the terminal names.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from ..documents.report import ChapterInfo

_ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}
_ACT = re.compile(
    r"(?:ACT\s+(?P<act>\d{1,3}|[IVXLC]{1,8})|(?P<ordinal>FIRST|SECOND|THIRD|FOURTH|FIFTH)\s+ACT)"
    r"(?:,\s*SCENE\s+(?P<scene>\d{1,3}|[IVXLC]{1,8}))?\b",
    re.IGNORECASE,
)
_FRAME = re.compile(r"(?:THE\s+)?(?P<part>PROLOGUE|EPILOGUE|INDUCTION)\b", re.IGNORECASE)


def _number(numeral: str) -> int:
    """A numeral ("12", "XII") as a number."""
    if numeral.isdigit():
        return int(numeral)
    values = [_ROMAN[c] for c in numeral.upper()]
    return sum(-v if i + 1 < len(values) and v < values[i + 1] else v for i, v in enumerate(values))


def act_scene(title: str | None) -> str | None:
    """ "Act I, Scene 2" for a title starting "ACT I, SCENE II"; "Act II" or "First Act" for an act
    alone; None for any other title."""
    match = _ACT.match(title or "")
    if match is None:
        return None
    act = f"Act {match['act'].upper()}" if match["act"] else f"{match['ordinal'].title()} Act"
    return f"{act}, Scene {_number(match['scene'])}" if match["scene"] else act


def chapter_names(chapters: Iterable[ChapterInfo]) -> dict[int, str]:
    """The chapters (by 1-based index) that have a play's name instead of "ch N": its acts and
    scenes, and, in a play, its prologue, epilogue or induction."""
    chapters = list(chapters)
    names = {c.index: name for c in chapters if (name := act_scene(c.title)) is not None}
    if names:
        names.update({c.index: match["part"].title() for c in chapters
                      if c.index not in names and (match := _FRAME.match(c.title or ""))})
    return names


def chapter_name(names: dict[int, str], chapter: int) -> str:
    """How chapter ``chapter`` is called in a place: its act and scene, or "ch N"."""
    return names.get(chapter, f"ch {chapter}")


def name_chapters(sentence: str, names: dict[int, str]) -> str:
    """A sentence with each "chapter N" of a named chapter replaced by its name (verdict sentences)."""
    if not names:
        return sentence
    return re.sub(r"\bchapter (\d+)\b", lambda m: names.get(int(m[1]), m[0]), sentence)

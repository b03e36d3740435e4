"""The readers' settings and compiled patterns, loaded once from ``data/readers.toml``."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from ..taxonomy import load_data_toml


@dataclass(frozen=True, slots=True)
class HeadingPattern:
    """One kind of plain-text heading line and its nesting rank (smaller = outer)."""

    kind: str
    rank: int
    regex: re.Pattern[str]


@cache
def settings() -> dict:
    """The raw contents of ``readers.toml``."""
    return load_data_toml("readers.toml")


def story_extensions() -> frozenset[str]:
    """File name endings of the formats forewarn reads (lower-case, with the dot)."""
    return frozenset(settings()["story_extensions"])


def limit(name: str) -> int | float:
    """One value of the ``[limits]`` table."""
    return settings()["limits"][name]


def text_setting(name: str) -> int | float:
    """One scalar value of the ``[text]`` table."""
    return settings()["text"][name]


@cache
def heading_patterns() -> tuple[HeadingPattern, ...]:
    """Plain-text heading patterns, outermost first (matched case-insensitively)."""
    text = settings()["text"]
    number = text["numbers"]["number"]
    return tuple(
        HeadingPattern(
            h["kind"],
            h["rank"],
            re.compile(h["pattern"].replace("{number}", number), re.I if h.get("ignore_case", True) else 0),
        )
        for h in text["headings"]
    )


@cache
def compiled(section: str, key: str, flags: int = 0) -> re.Pattern[str]:
    """Compile ``[section].key`` (a dotted section such as ``text.markdown``)."""
    table = settings()
    for part in section.split("."):
        table = table[part]
    return re.compile(table[key], flags)


@cache
def scene_break_patterns() -> tuple[re.Pattern[str], ...]:
    """Patterns of a scene-break line."""
    return tuple(re.compile(p) for p in settings()["text"]["scene_breaks"]["patterns"])


@cache
def note_patterns() -> tuple[tuple[str, re.Pattern[str]], ...]:
    """(note kind, pattern) pairs for FanFiction.Net-style notes, in priority order."""
    kinds = {"author-note": "author-note", "disclaimer": "disclaimer", "rating": "rating", "warning": "author-note"}
    return tuple(
        (kinds[key], re.compile(pattern, re.I)) for key, pattern in settings()["notes"].items()
    )

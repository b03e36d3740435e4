"""The readers' settings and compiled patterns, loaded once from ``data/readers.toml``.

The file is validated by the pydantic models below (unknown keys are errors), so a typo in
the data file fails loudly at the first read instead of silently using a default.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Literal

from pydantic import ConfigDict, Field

from ..config import DataModel, load_config


class Limits(DataModel):
    """``[limits]``: bounds on what a reader accepts."""

    max_bytes: int = Field(gt=0)
    zip_max_members: int = Field(gt=0)
    zip_max_total_bytes: int = Field(gt=0)
    zip_max_ratio: float = Field(gt=0)
    zip_ratio_min_bytes: int = Field(ge=0)
    max_paragraphs: int = Field(gt=0)
    max_elements: int = Field(gt=0)
    max_lines: int = Field(gt=0)
    binary_windows: int = Field(ge=0)
    binary_window_chars: int = Field(gt=0)
    binary_sample_bytes: int = Field(gt=0)
    max_control_ratio: float = Field(ge=0, le=1)
    max_junk_ratio: float = Field(ge=0, le=1)
    utf8_min_valid_share: float = Field(ge=0, le=1)
    charset_guess_ratio: float = Field(ge=0, le=1)


class Numbers(DataModel):
    """``[text.numbers]``: the words that number a division."""

    number: str


class HeadingSpec(DataModel):
    """One ``[[text.headings]]`` entry."""

    kind: Literal["volume", "book", "act", "chapter", "numbered"]
    rank: int = Field(ge=0, le=7)
    pattern: str
    ignore_case: bool = True


class Markdown(DataModel):
    """``[text.markdown]``."""

    heading: str
    emphasis: str


class CapsTitle(DataModel):
    """``[text.caps_title]``: collection story titles and front/back matter headings."""

    pattern: str
    front_matter: str
    back_matter: str


class SceneBreaks(DataModel):
    """``[text.scene_breaks]``."""

    patterns: list[str]


class TitlePage(DataModel):
    """``[text.title_page]``: title and author from a book's own title page."""

    by_line: str
    skip: str
    max_chars: int = Field(gt=0)
    max_title_lines: int = Field(gt=0)
    max_block_lines: int = Field(gt=0)
    max_gap_lines: int = Field(ge=0)


class TextSettings(DataModel):
    """``[text]``: plain-text structure."""

    front_matter_max_words: int = Field(ge=0)
    scene_break_blank_lines: int = Field(gt=0)
    line_per_paragraph_blank_ratio: float = Field(ge=0, le=1)
    heading_max_chars: int = Field(gt=0)
    markdown_heading_max_chars: int = Field(gt=0)
    scene_break_max_chars: int = Field(gt=0)
    subtitle_max_chars: int = Field(gt=0)
    caps_title_min_count: int = Field(gt=0)
    caps_title_count_blanks: int = Field(ge=0)
    caps_title_min_blanks: int = Field(ge=0)
    contents_entry_max_words: int = Field(ge=0)
    contents_check_entries: int = Field(gt=0)
    worded_chapters_min: int = Field(gt=0)
    division_note_max_words: int = Field(ge=0)
    division_note: str
    illustration: str
    illustration_max_blocks: int = Field(gt=0)
    numbers: Numbers
    headings: list[HeadingSpec]
    markdown: Markdown
    caps_title: CapsTitle
    scene_breaks: SceneBreaks
    title_page: TitlePage


class Gutenberg(DataModel):
    """``[gutenberg]``: Project Gutenberg header, markers and licence."""

    start: str
    end: str
    licence: str
    marker: str
    title: str
    title_drop: str
    author: str
    start_title: str


class Declared(DataModel):
    """``[declared]``: what authors declare in notes."""

    rating: str
    warnings: str
    rated_for: str
    empty_values: list[str]
    chose_not_to_warn: str


class Notes(DataModel):
    """``[notes]``: FanFiction.Net-style note paragraphs, by kind."""

    model_config = ConfigDict(populate_by_name=True)
    author_note: str = Field(alias="author-note")
    disclaimer: str
    rating: str
    warning: str


class ReadersConfig(DataModel):
    """The whole of ``readers.toml``."""

    story_extensions: list[str]
    limits: Limits
    text: TextSettings
    gutenberg: Gutenberg
    notes: Notes
    declared: Declared


@dataclass(frozen=True, slots=True)
class HeadingPattern:
    """One kind of plain-text heading line and its nesting rank (smaller = outer)."""

    kind: str
    rank: int
    regex: re.Pattern[str]


@cache
def readers_config() -> ReadersConfig:
    """``readers.toml``, validated."""
    return load_config(ReadersConfig, "readers.toml")


@cache
def settings() -> dict:
    """The validated contents of ``readers.toml`` as plain tables (keys as in the file)."""
    return readers_config().model_dump(by_alias=True)


def story_extensions() -> frozenset[str]:
    """File name endings of the formats forewarn reads (lower-case, with the dot)."""
    return frozenset(readers_config().story_extensions)


def limit(name: str) -> int | float:
    """One value of the ``[limits]`` table."""
    return getattr(readers_config().limits, name)


def text_setting(name: str) -> int | float:
    """One scalar value of the ``[text]`` table."""
    return getattr(readers_config().text, name)


@cache
def heading_patterns() -> tuple[HeadingPattern, ...]:
    """Plain-text heading patterns, outermost first (matched case-insensitively)."""
    text = readers_config().text
    return tuple(
        HeadingPattern(
            h.kind,
            h.rank,
            re.compile(h.pattern.replace("{number}", text.numbers.number), re.I if h.ignore_case else 0),
        )
        for h in text.headings
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
    return tuple(re.compile(p) for p in readers_config().text.scene_breaks.patterns)


def is_scene_break(line: str) -> bool:
    """Whether a (stripped) line is a scene-break line (``* * *``, ``o0o``, ``~*~``)."""
    return len(line) <= text_setting("scene_break_max_chars") and any(p.match(line) for p in scene_break_patterns())


@cache
def note_patterns() -> tuple[tuple[str, re.Pattern[str]], ...]:
    """(note kind, pattern) pairs for FanFiction.Net-style notes, in priority order."""
    kinds = {"author-note": "author-note", "disclaimer": "disclaimer", "rating": "rating", "warning": "author-note"}
    return tuple((kinds[key], re.compile(pattern, re.I)) for key, pattern in settings()["notes"].items())

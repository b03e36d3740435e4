"""The models of the cue detector's data: ``data/cues/lexicons.toml``, ``engine.toml`` and one file
per taxonomy group (``violence.toml``, ...). Patterns are checked when the cue book compiles them."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from ..documents.severity import Severity
from .loader import DataModel
from .types import CategoryId


class LexiconsFile(DataModel):
    """``cues/lexicons.toml``: named word lists (regex fragments) that patterns use as ``{name}``."""

    lexicons: dict[str, tuple[str, ...]]


class Negation(DataModel):
    """``[negation]``: a negator among the last ``window_words`` words of the clause cancels a cue."""

    pattern: str
    window_words: int = Field(ge=1)
    clause_break: str


class Mention(DataModel):
    """``[mention]``: patterns that make a sentence recounted or hypothetical (severity "mentioned")."""

    patterns: tuple[str, ...]


class Scoring(DataModel):
    """``[scoring]``: how repeated matches add up."""

    repeat_factor: float = Field(ge=0)
    max_score: float = Field(gt=0, le=1)


class Figurative(DataModel):
    """``[figurative]``: shared figurative phrases that cancel a cue in any category."""

    patterns: tuple[str, ...] = ()


class EngineFile(DataModel):
    """``cues/engine.toml``."""

    negation: Negation
    mention: Mention
    scoring: Scoring
    figurative: Figurative = Figurative()


class CueRule(DataModel):
    """``[[categories.rules]]``: one cue with its weight, severity hint and context conditions."""

    pattern: str
    weight: float = Field(ge=0, le=1)
    severity: Severity = Severity.DEPICTED
    label: str | None = None
    requires: tuple[str, ...] = ()
    forbids: tuple[str, ...] = ()
    who: str | None = None
    not_who: str | None = None
    who_before: int = Field(default=60, ge=0)
    who_after: int = Field(default=40, ge=0)
    negate: bool = True
    scope: Literal["sentence", "passage"] = "sentence"


class DocumentGate(DataModel):
    """``document``: the category counts only when its cues are frequent across the whole work."""

    min_hits: int = Field(ge=1)
    min_per_10k_words: float = Field(ge=0)


class CueCategory(DataModel):
    """``[[categories]]``: every cue of one category, plus its figurative and graphic patterns."""

    id: CategoryId
    rules: tuple[CueRule, ...]
    figurative: tuple[str, ...] = ()
    graphic: tuple[str, ...] = ()
    graphic_hits: int = Field(default=4, ge=1)
    document: DocumentGate | None = None


class CueGroupFile(DataModel):
    """``cues/<group>.toml``."""

    categories: tuple[CueCategory, ...]

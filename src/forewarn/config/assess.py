"""The model of ``data/assess.toml``: how evidence becomes findings."""

from __future__ import annotations

from pydantic import Field

from .loader import DataModel
from .types import CategoryId


class WorkSupport(DataModel):
    """``[work]``: how much evidence a category needs to be reported for a whole work."""

    short_work_passages: int = Field(ge=1)
    single_passage_score: float = Field(ge=0, le=1)
    min_passages: int = Field(ge=1)


class AssessFile(DataModel):
    """``assess.toml``."""

    default_threshold: float = Field(ge=0, le=1)
    merge_gap_paragraphs: int = Field(ge=0)
    prolonged_passages: int = Field(ge=1)
    prolonged_categories: frozenset[CategoryId]
    quote_chars: int = Field(ge=1)
    work: WorkSupport
    thresholds: dict[CategoryId, float] = {}

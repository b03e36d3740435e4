"""The model of ``data/learned.toml``: settings and per-category thresholds of the learned detector."""

from __future__ import annotations

from pydantic import Field, model_validator

from .loader import DataModel
from .types import CategoryId, known_category_ids


class LearnedFile(DataModel):
    """``learned.toml`` (every category needs a threshold)."""

    max_tokens: int = Field(ge=1)
    batch_size: int = Field(ge=1)
    full_read_words: int = Field(ge=0)
    first_stage: float = Field(ge=0, le=1)
    report_floor: float = Field(ge=0)
    thresholds: dict[CategoryId, float]

    @model_validator(mode="after")
    def _every_category(self) -> LearnedFile:
        missing = sorted(known_category_ids() - set(self.thresholds))
        if missing:
            raise ValueError(f"[thresholds] has no value for: {', '.join(missing)}")
        return self

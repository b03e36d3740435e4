"""The model of ``data/ratings.toml``: rating and archive-warning rules, declared-warning aliases."""

from __future__ import annotations

from pydantic import Field, model_validator

from ..documents.severity import Severity
from .loader import DataModel
from .types import CategoryId


class Condition(DataModel):
    """``{category, min}``: that category found at ``min`` severity or above."""

    category: CategoryId
    min: Severity


class RatingRule(DataModel):
    """``[[rating]]``: the ratings given when any condition matches (no conditions: the default)."""

    ao3: str
    ffn: str
    any: tuple[Condition, ...]


class WarningRule(DataModel):
    """``[[ao3_warning]]``: an AO3 archive warning and what suggests it or what it declares."""

    name: str
    any: tuple[Condition, ...]
    major_character_death: bool = False
    declares: tuple[CategoryId, ...] = Field(
        default=(), description="Categories a reader should expect when the author declares this warning.")


class RatingsFile(DataModel):
    """``ratings.toml``."""

    under_warning_categories: frozenset[CategoryId]
    rating: tuple[RatingRule, ...]
    rating_levels: dict[str, float]
    ao3_levels: dict[str, float]
    ao3_warning: tuple[WarningRule, ...]
    declared_aliases: dict[CategoryId, tuple[str, ...]]

    @model_validator(mode="after")
    def _consistent(self) -> RatingsFile:
        if not self.rating or self.rating[-1].any:
            raise ValueError("the last [[rating]] rule must have no conditions (the default)")
        unknown = sorted({r.ao3 for r in self.rating} - set(self.ao3_levels))
        if unknown:
            raise ValueError(f"[[rating]] names AO3 ratings missing from [ao3_levels]: {', '.join(unknown)}")
        return self

    def warning(self, name: str) -> WarningRule | None:
        """The archive-warning rule called ``name`` (case-insensitive), or None."""
        wanted = name.strip().lower()
        return next((rule for rule in self.ao3_warning if rule.name.lower() == wanted), None)

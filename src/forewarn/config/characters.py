"""The model of ``data/characters.toml``: the main-character heuristic for Major Character Death."""

from __future__ import annotations

import re

from pydantic import Field, field_validator

from .loader import DataModel


class CharactersFile(DataModel):
    """``characters.toml``."""

    top: int = Field(ge=1)
    min_share: float = Field(ge=0, le=1)
    min_count: int = Field(ge=1)
    death_after_name: str
    death_before_name: str
    death_possessive: str
    not_names: frozenset[str]

    @field_validator("death_after_name", "death_before_name", "death_possessive")
    @classmethod
    def _compiles(cls, value: str) -> str:
        try:
            re.compile(value)
        except re.error as error:
            raise ValueError(f"not a valid regular expression: {error}") from None
        return value

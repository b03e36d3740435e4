"""The model of ``data/integrations.toml``: the labels written into EPUB metadata and Calibre tags."""

from __future__ import annotations

from pydantic import Field, model_validator

from .loader import DataModel
from .types import Template

# Message types: a string that may use only these {fields}.
_RatingText = Template("prefix", "ao3_rating")
_FindingText = Template("prefix", "name", "severity")
_MoreText = Template("prefix", "count")
_ForewarnVersionSchemaVersionText = Template("forewarn_version", "schema_version")


class CalibreStore(DataModel):
    """``[calibre]``: where forewarn keeps its files for a Calibre library (outside the library)."""

    store_folder: str
    written_name: str
    library_note: str


class IntegrationsFile(DataModel):
    """``integrations.toml``."""

    prefix: str
    finding: _FindingText
    rating: _RatingText
    max_tags: int = Field(ge=2)
    more: _MoreText
    legacy_prefixes: list[str]
    meta_name: str
    meta_content: _ForewarnVersionSchemaVersionText
    backup_suffix: str
    calibre: CalibreStore

    @model_validator(mode="after")
    def _labels_start_with_the_prefix(self) -> IntegrationsFile:
        for key in ("finding", "rating", "more"):
            if not getattr(self, key).startswith("{prefix}"):
                raise ValueError(f"{key} must start with {{prefix}}")
        return self

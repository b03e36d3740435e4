"""The model of ``data/integrations.toml``: the labels written into EPUB metadata and Calibre tags."""

from __future__ import annotations

from pydantic import model_validator

from .loader import DataModel
from .types import Template

# Message types: a string that may use only these {fields}.
_Ao3RatingText = Template("ao3_rating")
_CategorySeverityText = Template("category", "severity")
_ForewarnVersionSchemaVersionText = Template("forewarn_version", "schema_version")


class IntegrationsFile(DataModel):
    """``integrations.toml``."""

    prefix: str
    finding: _CategorySeverityText
    rating: _Ao3RatingText
    meta_name: str
    meta_content: _ForewarnVersionSchemaVersionText
    backup_suffix: str

    @model_validator(mode="after")
    def _labels_start_with_the_prefix(self) -> IntegrationsFile:
        for key in ("finding", "rating"):
            if not getattr(self, key).startswith(self.prefix):
                raise ValueError(f"{key} must start with the prefix {self.prefix!r}")
        return self

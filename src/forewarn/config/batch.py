"""The model of ``data/batch.toml``: settings of ``forewarn library`` and ``forewarn batch``."""

from __future__ import annotations

from pydantic import Field

from .loader import DataModel


class LibrarySettings(DataModel):
    """``[library]``."""

    store_dir: str
    store_name: str
    calibre_formats: tuple[str, ...]
    work_seconds: float = Field(gt=0)


class ArchiveSettings(DataModel):
    """``[archive]``."""

    chunk_size: int = Field(ge=1)
    part_size: int = Field(ge=1)
    inflight_per_worker: int = Field(ge=1)
    flush_seconds: float = Field(gt=0)
    work_seconds: float = Field(gt=0)


class BatchFile(DataModel):
    """``batch.toml``."""

    library: LibrarySettings
    archive: ArchiveSettings

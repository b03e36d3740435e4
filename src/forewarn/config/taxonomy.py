"""The model of ``data/taxonomy.toml``: severities, groups and the 33 categories."""

from __future__ import annotations

import re

from pydantic import Field, model_validator

from ..documents.severity import Severity
from .loader import DataModel

_NOT_ALNUM = re.compile(r"[^0-9a-z]+")


def name_key(name: str) -> str:
    """How category names compare: lower case, letters and digits only (``Self Harm`` = ``self-harm``)."""
    return _NOT_ALNUM.sub("", name.casefold())


class Group(DataModel):
    """A taxonomy group (violence, mental health, ...)."""

    id: str
    name: str


class Category(DataModel):
    """One content category: stable id, group, reader-facing name and definition."""

    id: str
    group: str
    name: str
    definition: str
    pan23: tuple[str, ...]
    wtwc: tuple[str, ...]
    aliases: tuple[str, ...] = Field(
        default=(), description="Other names readers use for the category (e.g. AO3's 'noncon').")


class TaxonomyFile(DataModel):
    """``taxonomy.toml``."""

    version: str
    severities: tuple[str, ...]
    groups: tuple[Group, ...]
    categories: tuple[Category, ...]

    @model_validator(mode="after")
    def _consistent(self) -> TaxonomyFile:
        if sorted(self.severities) != sorted(s.value for s in Severity):
            raise ValueError(f"severities must name {', '.join(s.value for s in Severity)} (in rank order)")
        group_ids = {g.id for g in self.groups}
        ids = [c.id for c in self.categories]
        duplicate = next((i for i in ids if ids.count(i) > 1), None)
        if duplicate:
            raise ValueError(f"category {duplicate!r} is listed twice")
        names: dict[str, str] = {}  # every id, name and alias as name_key -> the category it names
        for category in self.categories:
            if category.group not in group_ids:
                raise ValueError(f"category {category.id!r} names unknown group {category.group!r}")
            for name in (category.id, category.name, *category.aliases):
                other = names.setdefault(name_key(name), category.id)
                if other != category.id:
                    raise ValueError(f"{name!r} names both {other} and {category.id}")
        return self

"""The 33 content categories and the severities, loaded from ``data/taxonomy.toml``."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from functools import cache
from pathlib import Path

from .config import data_file, taxonomy_config
from .config.taxonomy import Category, Group
from .documents.severity import Severity

__all__ = [
    "SEVERITIES", "Category", "Group", "Severity", "categories", "category_ids", "data_file", "files_digest",
    "groups",
]

SEVERITIES: tuple[str, ...] = taxonomy_config().severities
"""The severity names in rank order, as ``taxonomy.toml`` lists them."""


def files_digest(paths: Iterable[Path]) -> str:
    """A short hash of the names and bytes of ``paths``: the version of whatever they make up."""
    digest = hashlib.sha256()
    for path in paths:
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:12]


@cache
def categories() -> dict[str, Category]:
    """All categories by id, in taxonomy order."""
    return {c.id: c for c in taxonomy_config().categories}


def groups() -> tuple[Group, ...]:
    """All groups, in taxonomy order."""
    return taxonomy_config().groups


def category_ids() -> list[str]:
    """All category ids, in taxonomy order."""
    return list(categories())




"""The 33 content categories, loaded from ``data/taxonomy.toml``."""

from __future__ import annotations

import hashlib
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

SEVERITIES: tuple[str, ...] = ("mentioned", "depicted", "graphic")


@dataclass(frozen=True, slots=True)
class Category:
    """One content category: stable id, group, reader-facing name and definition."""

    id: str
    group: str
    name: str
    definition: str
    pan23: tuple[str, ...]
    wtwc: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Group:
    """A taxonomy group (violence, mental health, ...)."""

    id: str
    name: str


def data_file(name: str) -> Path:
    """The path of a data file shipped in ``forewarn/data``."""
    return Path(str(resources.files("forewarn").joinpath("data", name)))


def files_digest(paths: Iterable[Path]) -> str:
    """A short hash of the names and bytes of ``paths``: the version of whatever they make up."""
    digest = hashlib.sha256()
    for path in paths:
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:12]


def load_data_toml(name: str) -> dict:
    """Read a TOML file shipped in ``forewarn/data``."""
    with data_file(name).open("rb") as handle:
        return tomllib.load(handle)


@cache
def _taxonomy() -> tuple[tuple[Group, ...], dict[str, Category]]:
    data = load_data_toml("taxonomy.toml")
    groups = tuple(Group(g["id"], g["name"]) for g in data["groups"])
    categories = {
        c["id"]: Category(
            c["id"], c["group"], c["name"], c["definition"], tuple(c["pan23"]), tuple(c["wtwc"])
        )
        for c in data["categories"]
    }
    return groups, categories


def categories() -> dict[str, Category]:
    """All categories by id, in taxonomy order."""
    return _taxonomy()[1]


def groups() -> tuple[Group, ...]:
    """All groups, in taxonomy order."""
    return _taxonomy()[0]


def category_ids() -> list[str]:
    """All category ids, in taxonomy order."""
    return list(categories())


def severity_rank(severity: str) -> int:
    """0 for mentioned, 1 for depicted, 2 for graphic."""
    return SEVERITIES.index(severity)


def parse_category_list(text: str) -> list[str]:
    """Parse a comma-separated list of category ids; raise ValueError naming unknown ids."""
    ids = [part.strip().lower() for part in text.split(",") if part.strip()]
    unknown = [i for i in ids if i not in categories()]
    if unknown:
        raise ValueError(
            f"unknown categor{'y' if len(unknown) == 1 else 'ies'}: {', '.join(unknown)} "
            "(run 'forewarn categories' to list them)"
        )
    return ids

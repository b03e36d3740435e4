"""Category names as readers type them: ids, names and AO3-style aliases, with "did you mean".

``self harm``, ``Self-Harm`` and ``selfharm`` all name ``self-harm``; ``noncon`` and
``rape/non-con`` name ``sexual-assault``. Aliases live in ``data/taxonomy.toml`` (``aliases = [...]``
per category); case, spaces and punctuation never matter.
"""

from __future__ import annotations

import difflib
from functools import cache

from .config import taxonomy_config
from .config.taxonomy import name_key as normalize
from .errors import UsageError


@cache
def _names() -> dict[str, str]:
    """Every accepted name's key -> category id (taxonomy.toml refuses a name that stands for two)."""
    return {normalize(name): c.id for c in taxonomy_config().categories for name in (c.id, c.name, *c.aliases)}


@cache
def resolve_category(name: str) -> str | None:
    """The category id that ``name`` (an id, a name or an alias) stands for, or None."""
    return _names().get(normalize(name))


def suggestions(name: str, limit: int = 3) -> list[str]:
    """Category ids close to an unknown ``name``: spelling neighbours first, then names containing it."""
    key = normalize(name)
    if not key:
        return []
    table = _names()
    close = difflib.get_close_matches(key, table, n=limit * 3, cutoff=0.6)
    containing = sorted(k for k in table if len(key) >= 3 and (key in k or k in key))
    ids = dict.fromkeys(table[k] for k in close + containing)
    return list(ids)[:limit]


def canonical_category(name: str, where: str) -> str:
    """The category id for ``name``; an unknown name is a UsageError that suggests what was meant."""
    found = resolve_category(name)
    if found is not None:
        return found
    close = suggestions(name)
    hint = f"; did you mean {' or '.join(close)}?" if close else ""
    raise UsageError(
        f"unknown category '{name.strip()}' in {where}{hint} (run 'forewarn categories' to list them)"
    )


def canonical_categories(text: str, where: str) -> list[str]:
    """A comma-separated list of category names as ids, in order, without repeats."""
    parts = [part.strip() for part in text.split(",") if part.strip()]
    return list(dict.fromkeys(canonical_category(part, where) for part in parts))


def complete_categories(incomplete: str) -> list[str]:
    """Shell completion for a comma-separated category list: the ids that continue its last item."""
    done, _, last = incomplete.rpartition(",")
    prefix = f"{done}," if done else ""
    ids = dict.fromkeys(_names().values())
    return [prefix + category for category in ids if category.startswith(last.strip().lower())]

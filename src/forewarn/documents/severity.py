"""Severity: how present a category is on the page, an ordered enum (mentioned < depicted < graphic).

The names and their order are read from ``data/taxonomy.toml`` (``severities``); the members below
are the names the code uses, and loading the taxonomy refuses a file that names others. A Severity is
a ``str``: it equals, hashes and serialises as its value (``"depicted"``), and compares by rank with
another Severity or with a severity name (``finding.severity >= Severity.DEPICTED``).
"""

from __future__ import annotations

from enum import StrEnum
from functools import cache


class Severity(StrEnum):
    """How present a category is: ``MENTIONED < DEPICTED < GRAPHIC``."""

    MENTIONED = "mentioned"
    DEPICTED = "depicted"
    GRAPHIC = "graphic"

    @property
    def rank(self) -> int:
        """0 for the lowest severity in ``taxonomy.toml``, then 1, 2, ..."""
        return _ranks()[self.value]

    def _other_rank(self, other: object) -> int | None:
        if isinstance(other, str):
            return Severity(other).rank
        return None

    def __lt__(self, other: object) -> bool:
        rank = self._other_rank(other)
        return NotImplemented if rank is None else self.rank < rank

    def __le__(self, other: object) -> bool:
        rank = self._other_rank(other)
        return NotImplemented if rank is None else self.rank <= rank

    def __gt__(self, other: object) -> bool:
        rank = self._other_rank(other)
        return NotImplemented if rank is None else self.rank > rank

    def __ge__(self, other: object) -> bool:
        rank = self._other_rank(other)
        return NotImplemented if rank is None else self.rank >= rank


@cache
def _ranks() -> dict[str, int]:
    from ..config import taxonomy_config

    return {name: rank for rank, name in enumerate(taxonomy_config().severities)}

"""A cascade: a cheap detector reads every passage and settles the clear cases; a strong one reads the rest.

Rules (numbers in ``data/learned.toml``, table ``[cascade]``):

- cheap evidence at or above ``settled`` is kept as it is (the cheap detector decided);
- a passage with cheap evidence at or above ``ask`` in any category goes to the strong detector,
  which then decides each of those categories (its evidence replaces the cheap one, keeping the
  cheap severity hint and cue spans); it may add a category the cheap pass did not see only when
  its score reaches ``unseen_score`` (assessor scale, 0.5 = at the strong head's threshold);
- every other passage is settled as showing nothing.

With ``thorough=True`` the strong detector reads every passage and the cheap evidence is kept
beside it. Every piece of evidence names the detector that decided it, for ``--explain``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import cache

from ..taxonomy import load_data_toml
from .base import Detector, Evidence, Passage


@dataclass(frozen=True, slots=True)
class CascadeSettings:
    """When the cheap pass settles a passage and when the strong one is asked."""

    settled: float
    ask: float
    unseen_score: float


@cache
def load_cascade_settings() -> CascadeSettings:
    """The cascade settings shipped with forewarn."""
    data = load_data_toml("learned.toml")["cascade"]
    return CascadeSettings(
        settled=float(data["settled"]), ask=float(data["ask"]), unseen_score=float(data["unseen_score"])
    )


class CascadeDetector:
    """Runs ``cheap`` on all passages and ``strong`` only where ``cheap`` is unsure."""

    def __init__(self, cheap: Detector, strong: Detector, thorough: bool = False,
                 settings: CascadeSettings | None = None):
        self.cheap = cheap
        self.strong = strong
        self.thorough = thorough
        self.settings = settings or load_cascade_settings()
        self.name = "thorough" if thorough else "cascade"
        self.version = f"{cheap.name}-{cheap.version}+{strong.name}-{strong.version}"
        self.last_asked = 0

    def routed(self, cheap_evidence: Sequence[Evidence]) -> set[int]:
        """Indices of the passages the strong detector must read."""
        return {e.passage for e in cheap_evidence if e.score >= self.settings.ask}

    def detect(self, passages: Sequence[Passage]) -> list[Evidence]:
        """Combined evidence; each item carries the name of the detector that decided it."""
        cheap = self.cheap.detect(passages)
        if self.thorough:
            self.last_asked = len(passages)
            return [e for e in cheap if e.score >= self.settings.settled] + self.strong.detect(passages)
        asked = self.routed(cheap)
        self.last_asked = len(asked)
        by_index = {p.index: p for p in passages}
        strong = self.strong.detect([by_index[i] for i in sorted(asked) if i in by_index])
        return combine(cheap, strong, self.settings)


def combine(cheap: Sequence[Evidence], strong: Sequence[Evidence], settings: CascadeSettings) -> list[Evidence]:
    """Merge the two passes by the rules in the module docstring."""
    seen = {(e.passage, e.category): e for e in cheap if e.score >= settings.ask}
    out = [e for e in cheap if e.score >= settings.settled]
    settled = {(e.passage, e.category) for e in out}
    for item in strong:
        key = (item.passage, item.category)
        if key in settled:
            continue
        hint = seen.get(key)
        if hint is not None:
            out.append(replace(item, severity=hint.severity, cues=hint.cues,
                               explanation=f"{item.explanation}; cues: {hint.explanation}".strip("; ")))
        elif item.score >= settings.unseen_score:
            out.append(item)
    return out

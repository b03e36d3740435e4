"""A cascade: a cheap detector reads every passage; a strong one reads only where the cheap one is unsure.

The cue detector is precise but misses implicit scenes, so the strong (learned) detector is used to
*raise recall*, never to veto a cue hit. Rules (numbers in ``data/learned.toml``, table ``[cascade]``):

- cheap evidence at or above ``settled`` (the assessor's report threshold) is kept as it is;
- a passage with weak cheap evidence (``ask`` <= score < ``settled``) in any category is a candidate;
  the candidates with the strongest weak evidence go to the strong detector, at most
  ``budget_share`` of all passages (but at least ``min_budget``);
- the strong detector confirms a weakly cued category at ``confirm`` or above (its evidence is kept,
  with the cheap severity hint and cue spans), and adds a category the cheap pass did not cue at all
  only at ``unseen_score`` or above;
- every other passage is settled by the cheap pass alone.

With ``thorough=True`` every passage goes to the strong detector (no budget), under the same rules.
Every piece of evidence names the detector that decided it, for ``--explain``.
"""

from __future__ import annotations

import math
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
    confirm: float
    unseen_score: float
    budget_share: float
    min_budget: int


@cache
def load_cascade_settings() -> CascadeSettings:
    """The cascade settings shipped with forewarn."""
    data = load_data_toml("learned.toml")["cascade"]
    return CascadeSettings(
        settled=float(data["settled"]),
        ask=float(data["ask"]),
        confirm=float(data["confirm"]),
        unseen_score=float(data["unseen_score"]),
        budget_share=float(data["budget_share"]),
        min_budget=int(data["min_budget"]),
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

    def routed(self, cheap_evidence: Sequence[Evidence], passage_count: int) -> list[int]:
        """Indices of the passages the strong detector must read, strongest weak evidence first."""
        best: dict[int, float] = {}
        for item in cheap_evidence:
            if self.settings.ask <= item.score < self.settings.settled:
                best[item.passage] = max(best.get(item.passage, 0.0), item.score)
        budget = max(self.settings.min_budget, math.ceil(self.settings.budget_share * passage_count))
        return sorted(best, key=lambda i: (-best[i], i))[:budget]

    def detect(self, passages: Sequence[Passage]) -> list[Evidence]:
        """Combined evidence; each item carries the name of the detector that decided it."""
        cheap = self.cheap.detect(passages)
        if self.thorough:
            asked = list(passages)
        else:
            by_index = {p.index: p for p in passages}
            asked = [by_index[i] for i in sorted(self.routed(cheap, len(passages)))]
        self.last_asked = len(asked)
        strong = self.strong.detect(asked) if asked else []
        return combine(cheap, strong, self.settings)


def combine(cheap: Sequence[Evidence], strong: Sequence[Evidence], settings: CascadeSettings) -> list[Evidence]:
    """Merge the two passes by the rules in the module docstring."""
    out = [e for e in cheap if e.score >= settings.settled]
    settled = {(e.passage, e.category) for e in out}
    weak = {(e.passage, e.category): e for e in cheap if settings.ask <= e.score < settings.settled}
    for item in strong:
        key = (item.passage, item.category)
        if key in settled:
            continue
        hint = weak.get(key)
        if hint is not None and item.score >= settings.confirm:
            out.append(replace(item, severity=hint.severity, cues=hint.cues,
                               explanation=f"{item.explanation}; cues: {hint.explanation}".strip("; ")))
        elif hint is None and item.score >= settings.unseen_score:
            out.append(item)
    return out

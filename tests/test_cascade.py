"""The cascade: what the cheap pass settles, what the strong one reads, who decided."""

from __future__ import annotations

from collections.abc import Sequence

from forewarn.detectors.base import CueSpan, Evidence, Passage
from forewarn.detectors.cascade import CascadeDetector, CascadeSettings, load_cascade_settings
from forewarn.detectors.registry import default_detectors, detector_names, detectors_by_name

SETTINGS = CascadeSettings(settled=0.5, ask=0.2, confirm=0.5, unseen_score=0.9, budget_share=0.25, min_budget=1)


class Fixed:
    """A detector that returns canned evidence and records which passages it read."""

    def __init__(self, name: str, evidence: list[Evidence]):
        self.name, self.version, self.evidence, self.read = name, "0", evidence, []

    def detect(self, passages: Sequence[Passage]) -> list[Evidence]:
        indices = {p.index for p in passages}
        self.read.append(sorted(indices))
        return [e for e in self.evidence if e.passage in indices]


def _passages(n: int) -> list[Passage]:
    return [Passage(i, f"passage {i}", i * 10, i * 10 + 9, 0, 0, i, i, i / n) for i in range(n)]


def _cheap() -> Fixed:
    cue = (CueSpan(3, 7, "cut"),)
    return Fixed("cues", [
        Evidence("violence", 0.9, 0, "cues", "depicted"),       # settled by the cheap pass
        Evidence("self-harm", 0.4, 1, "cues", "depicted", cue, "cut"),  # unsure: ask
        Evidence("abuse", 0.3, 1, "cues"),                      # unsure, and the model disagrees
        Evidence("death", 0.1, 2, "cues"),                      # too weak to ask
        Evidence("kidnapping", 0.3, 3, "cues"),                 # unsure, but over the budget
    ])


def _strong() -> Fixed:
    return Fixed("minilm", [
        Evidence("violence", 0.3, 0, "minilm"),
        Evidence("self-harm", 0.7, 1, "minilm"),
        Evidence("abuse", 0.4, 1, "minilm"),
        Evidence("suicide", 0.95, 1, "minilm"),   # unseen by cues, but very sure
        Evidence("medical", 0.6, 1, "minilm"),    # unseen by cues, not sure enough
        Evidence("death", 0.99, 2, "minilm"),
        Evidence("war", 0.99, 3, "minilm"),
    ])


def test_strong_detector_reads_only_unsure_passages_within_the_budget():
    cheap, strong = _cheap(), _strong()
    cascade = CascadeDetector(cheap, strong, settings=SETTINGS)
    cascade.detect(_passages(4))
    assert strong.read == [[1]]  # passage 3 is unsure too, but weaker and over the 25 % budget
    assert cascade.last_asked == 1


def test_the_strong_detector_never_vetoes_a_cue_hit():
    strong = Fixed("minilm", [Evidence("violence", 0.0, 0, "minilm")])
    found = CascadeDetector(_cheap(), strong, thorough=True, settings=SETTINGS).detect(_passages(4))
    assert any(e.category == "violence" and e.detector == "cues" for e in found)


def test_each_finding_names_the_detector_that_decided():
    cascade = CascadeDetector(_cheap(), _strong(), settings=SETTINGS)
    found = {(e.passage, e.category): e for e in cascade.detect(_passages(4))}
    assert found[(0, "violence")].detector == "cues"
    assert found[(1, "self-harm")].detector == "minilm"
    assert found[(1, "suicide")].detector == "minilm"
    assert (1, "abuse") not in found
    assert (1, "medical") not in found
    assert (2, "death") not in found and (3, "war") not in found


def test_strong_evidence_keeps_the_cheap_severity_and_cue_spans():
    cascade = CascadeDetector(_cheap(), _strong(), settings=SETTINGS)
    item = next(e for e in cascade.detect(_passages(4)) if e.category == "self-harm")
    assert item.severity == "depicted"
    assert item.cues and item.cues[0].label == "cut"
    assert item.score == 0.7


def test_thorough_reads_every_passage():
    strong = _strong()
    cascade = CascadeDetector(_cheap(), strong, thorough=True, settings=SETTINGS)
    found = {(e.passage, e.category, e.detector) for e in cascade.detect(_passages(4))}
    assert strong.read == [[0, 1, 2, 3]]
    assert (3, "war", "minilm") in found and (0, "violence", "cues") in found
    assert cascade.name == "thorough"


def test_shipped_cascade_settings_are_ordered():
    settings = load_cascade_settings()
    assert 0.0 < settings.ask < settings.settled <= 1.0
    assert 0.5 <= settings.confirm <= settings.unseen_score <= 1.0
    assert 0.0 < settings.budget_share <= 1.0 and settings.min_budget >= 0


def test_registry_defaults_to_the_cascade_and_keeps_cues_selectable():
    assert [d.name for d in default_detectors()] == ["cascade"]
    assert [d.name for d in default_detectors(thorough=True)] == ["thorough"]
    assert [d.name for d in detectors_by_name(["cues"])] == ["cues"]
    assert {"cues", "minilm", "cascade", "thorough"} <= set(detector_names())

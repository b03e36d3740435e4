"""Turn detectors' evidence into findings: thresholds, merged locations, severity, confidence."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from ..config import assess_config
from ..detectors.base import Evidence, Explanation
from ..documents import Passage, Span
from ..documents.report import Finding, Location, Reason
from ..documents.work import Work
from ..taxonomy import Severity, categories


@dataclass(frozen=True, slots=True)
class AssessSettings:
    """Thresholds and merge rules, read from data/assess.toml."""

    default_threshold: float
    thresholds: dict[str, float]
    merge_gap_paragraphs: int
    prolonged_passages: int
    prolonged_categories: frozenset[str]
    quote_chars: int
    single_passage_score: float
    min_passages: int
    short_work_passages: int

    def threshold(self, category: str) -> float:
        """The score a passage needs for this category to count."""
        return self.thresholds.get(category, self.default_threshold)


@cache
def load_settings() -> AssessSettings:
    """The assessor settings shipped with forewarn."""
    data = assess_config()
    return AssessSettings(
        default_threshold=data.default_threshold,
        thresholds=dict(data.thresholds),
        merge_gap_paragraphs=data.merge_gap_paragraphs,
        prolonged_passages=data.prolonged_passages,
        prolonged_categories=data.prolonged_categories,
        quote_chars=data.quote_chars,
        single_passage_score=data.work.single_passage_score,
        min_passages=data.work.min_passages,
        short_work_passages=data.work.short_work_passages,
    )


@dataclass(slots=True)
class _Hit:
    """The strongest evidence for one category in one passage."""

    passage: Passage
    score: float
    severity: Severity
    detectors: set[str]
    explanations: list[Explanation]
    cue_start: int | None


def _hits_by_category(
    evidence: Sequence[Evidence], passages: Sequence[Passage], settings: AssessSettings
) -> dict[str, list[_Hit]]:
    hits: dict[tuple[str, int], _Hit] = {}
    for item in evidence:
        if item.category not in categories() or item.score < settings.threshold(item.category):
            continue
        severity = Severity(item.severity or "mentioned")
        cue_start = item.cues[0].start if item.cues else None
        hit = hits.get((item.category, item.passage))
        if hit is None:
            hits[(item.category, item.passage)] = _Hit(
                passages[item.passage], item.score, severity, {item.detector},
                list(item.explanation), cue_start,
            )
            continue
        hit.detectors.add(item.detector)
        hit.explanations.extend(e for e in item.explanation if e not in hit.explanations)
        if severity > hit.severity:
            hit.severity = severity
        if item.score > hit.score:
            hit.score = item.score
            hit.cue_start = cue_start if cue_start is not None else hit.cue_start
    grouped: dict[str, list[_Hit]] = defaultdict(list)
    for (category, _), hit in sorted(hits.items(), key=lambda kv: (kv[0][0], kv[1].passage.index)):
        grouped[category].append(hit)
    return grouped


def supported(hits: list[_Hit], passage_count: int, settings: AssessSettings) -> bool:
    """Does the evidence carry the category for the whole work?

    In a short work one passage at threshold does; in a longer one (where stray hits multiply) it takes
    one strong passage or several.
    """
    return (passage_count < settings.short_work_passages or len(hits) >= settings.min_passages
            or max(h.score for h in hits) >= settings.single_passage_score)


def _merge(hits: list[_Hit], gap: int) -> list[list[_Hit]]:
    groups: list[list[_Hit]] = []
    for hit in hits:
        last = groups[-1][-1] if groups else None
        if (
            last is not None
            and last.passage.chapter == hit.passage.chapter
            and hit.passage.paragraph_start - last.passage.paragraph_end <= gap
        ):
            groups[-1].append(hit)
        else:
            groups.append([hit])
    return groups


def quote(text: str, sentence: Span, limit: int) -> str:
    """One sentence of ``text`` (a span found by ``segment``) on one line, shortened to ``limit`` characters."""
    line = " ".join(text[sentence[0] : sentence[1]].split())
    return line if len(line) <= limit else line[: limit - 1].rstrip() + "…"


def _reasons(group: list[_Hit]) -> list[Reason]:
    """The structured reasons of a location: one per detector and rule, its spans gathered."""
    merged: dict[tuple[str, str], Reason] = {}
    for explanation in (e for h in group for e in h.explanations):
        key = (explanation.detector, explanation.rule)
        reason = merged.setdefault(key, Reason(detector=explanation.detector, rule=explanation.rule,
                                               score=round(explanation.score, 4)))
        reason.score = max(reason.score, round(explanation.score, 4))
        reason.spans.extend(s for s in explanation.spans if s not in reason.spans)
    return list(merged.values())


def _location(group: list[_Hit], work: Work, settings: AssessSettings, category: str,
              spoilers: bool, explain: bool) -> Location:
    severity = max(h.severity for h in group)
    depicted = sum(1 for h in group if h.severity >= Severity.DEPICTED)
    if category in settings.prolonged_categories and depicted >= settings.prolonged_passages:
        severity = max(Severity)
    first, last = group[0].passage, group[-1].passage
    best = max(group, key=lambda h: h.score)
    quoted = None
    if spoilers:
        anchor = best.cue_start if best.cue_start is not None else best.passage.start
        quoted = quote(work.text, best.passage.sentence_at(anchor), settings.quote_chars)
    explanation = reasons = None
    if explain:
        explanation = "; ".join(dict.fromkeys(str(e) for h in group for e in h.explanations)) or None
        reasons = _reasons(group)
    return Location(
        chapter=first.chapter + 1,
        scene=first.scene + 1,
        paragraph_start=first.paragraph_start,
        paragraph_end=last.paragraph_end,
        char_start=first.start,
        char_end=last.end,
        position=round(first.position, 4),
        severity=severity,
        quote=quoted,
        detectors=sorted({d for h in group for d in h.detectors}),
        explanation=explanation,
        reasons=reasons,
    )


def assess(
    work: Work,
    passages: Sequence[Passage],
    evidence: Sequence[Evidence],
    *,
    spoilers: bool = False,
    explain: bool = False,
    settings: AssessSettings | None = None,
) -> list[Finding]:
    """Findings in taxonomy order, each with merged locations and an overall severity."""
    settings = settings or load_settings()
    grouped = _hits_by_category(evidence, passages, settings)
    findings: list[Finding] = []
    for category in categories().values():
        hits = grouped.get(category.id)
        if not hits or not supported(hits, len(passages), settings):
            continue
        locations = [
            _location(group, work, settings, category.id, spoilers, explain)
            for group in _merge(hits, settings.merge_gap_paragraphs)
        ]
        miss = 1.0
        for hit in hits:
            miss *= 1.0 - min(hit.score, 0.99)
        findings.append(
            Finding(
                category=category.id,
                group=category.group,
                name=category.name,
                severity=max(loc.severity for loc in locations),
                confidence=round(min(0.99, 1.0 - miss), 3),
                locations=locations,
            )
        )
    return findings

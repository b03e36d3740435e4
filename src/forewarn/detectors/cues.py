"""The cue detector: a fast, data-driven lexicon detector for all 33 categories.

Each category's cues live in ``data/cues/*.toml`` (see ``cue_rules``). For every passage the
engine looks up which rules have a trigger word in it (``cue_index``), then runs only those
rules' patterns; a match counts unless it is
negated in its clause ("she didn't cut herself"), covered by a figurative phrase ("dying to
know"), missing a required co-occurring cue, next to a forbidden one, or about the wrong
subject ("the dog died" is not a character's death). Severity comes from the rule, lowered to
``mentioned`` in recounted or hypothetical sentences and raised to ``graphic`` by detail cues or
many cues in one passage.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ..documents.sentences import sentence_spans
from ..taxonomy import Severity
from .base import CueSpan, Evidence, Explanation, Passage, ProgressHook, Suppression, files_version
from .cue_rules import CategoryRules, CueBook, Engine, Rule, cue_book, cue_files

# Same-length folding: curly quotes to straight, dashes to "-", line breaks, odd spaces and the
# underscores of _italics_ to " " (hard-wrapped text must match multi-word cues).
_FOLD = str.maketrans(
    {"’": "'", "‘": "'", "“": '"', "”": '"', "—": "-", "–": "-", "\n": " ", "\r": " ", "\t": " ", "\u00a0": " ", "_": " "}
)
_WORD = re.compile(r"[\w']+")
_TOKEN = re.compile(r"\w+")
_PROGRESS_EVERY = 64  # passages between progress calls


@dataclass(frozen=True, slots=True)
class _Hit:
    rule: Rule
    start: int
    end: int
    severity: str
    weight: float


@dataclass(frozen=True, slots=True)
class _Skip:
    """A match set aside, and why (offsets into the passage)."""

    rule: Rule
    start: int
    end: int
    because: str


class _Text:
    """One passage, lower-cased and folded (same length as the original), with its sentences.

    The sentences are the passage's own (split once by ``segment``), as offsets into the passage; a
    passage made by hand without them is split here.
    """

    __slots__ = ("text", "_sentences", "_starts")

    def __init__(self, passage: Passage) -> None:
        text = passage.text
        folded = text.lower().translate(_FOLD)
        # lower() can change the length of a few rare characters; keep offsets exact if it does.
        self.text = folded if len(folded) == len(text) else text.translate(_FOLD)
        spans = passage.sentences or tuple(sentence_spans(text, passage.start))
        self._sentences = [(a - passage.start, b - passage.start) for a, b in spans] or [(0, len(text))]
        self._starts = [s for s, _ in self._sentences]

    def sentence(self, position: int) -> tuple[int, int]:
        """The (start, end) of the sentence containing ``position``."""
        i = max(0, bisect.bisect_right(self._starts, position) - 1)
        return self._sentences[i]


def _negated(engine: Engine, text: str, sentence_start: int, cue_start: int) -> bool:
    """True when a negation word sits in the same clause, a few words before the cue."""
    before = text[sentence_start:cue_start]
    breaks = list(engine.clause_break.finditer(before))
    clause = before[breaks[-1].end() :] if breaks else before
    words = _WORD.findall(clause)[-engine.negation_words :]
    return bool(words) and engine.negation.search(" ".join(words)) is not None


def _context_failure(rule: Rule, text: _Text, start: int, end: int, sentence: tuple[int, int]) -> str | None:
    """The context condition that does not hold (requires, forbids, who, not_who), or None."""
    s_start, s_end = sentence
    scope = (s_start, s_end) if rule.scope == "sentence" else (0, len(text.text))
    for required in rule.requires:
        if required.search(text.text, *scope) is None:
            return "requires"
    for forbidden in rule.forbids:
        if forbidden.search(text.text, s_start, s_end) is not None:
            return "forbids"
    if rule.who is not None or rule.not_who is not None:
        window = text.text[max(scope[0], start - rule.who_before) : min(scope[1], end + rule.who_after)]
        if rule.who is not None and rule.who.search(window) is None:
            return "who"
        if rule.not_who is not None and rule.not_who.search(window) is not None:
            return "not_who"
    return None


def _hits(book: CueBook, category: CategoryRules, rules: list[Rule], text: _Text,
          skipped: list[_Skip] | None = None) -> list[_Hit]:
    engine = book.engine
    figurative: list[tuple[int, int]] | None = None  # found on the first match only: it is costly
    hits: list[_Hit] = []
    for rule in rules:
        for match in rule.regex.finditer(text.text):
            start, end = match.span()
            if figurative is None:
                figurative = (
                    [m.span() for m in category.figurative.finditer(text.text)] if category.figurative else []
                )
            if any(f_start < end and start < f_end for f_start, f_end in figurative):
                because: str | None = "figurative"
            else:
                sentence = text.sentence(start)
                because = ("negation" if rule.negate and _negated(engine, text.text, sentence[0], start)
                           else _context_failure(rule, text, start, end, sentence))
            if because is not None:
                if skipped is not None:
                    skipped.append(_Skip(rule, start, end, because))
                continue
            weight = rule.weight
            if weight <= 0.0:
                continue
            severity = rule.severity
            if severity != "mentioned" and engine.mention.search(text.text, *sentence) is not None:
                severity = "mentioned"
            hits.append(_Hit(rule, start, end, severity, weight))
    return hits


def _score(engine: Engine, hits: list[_Hit]) -> float:
    missing = 1.0
    seen: set[int] = set()
    for hit in sorted(hits, key=lambda h: -h.weight):
        weight = hit.weight * (engine.repeat_factor if id(hit.rule) in seen else 1.0)
        seen.add(id(hit.rule))
        missing *= 1.0 - weight
    return min(engine.max_score, 1.0 - missing)


def _severity(category: CategoryRules, text: _Text, hits: list[_Hit]) -> str:
    strongest = max(h.weight for h in hits)
    ranked = max((h for h in hits if h.weight >= strongest / 2), key=lambda h: Severity(h.severity).rank)
    severity = ranked.severity
    if severity == "depicted":
        # Only cues near the strongest one count towards "many cues": setting words ("nurse",
        # "ward") piling up in a passage are not detail.
        distinct = {(h.start, h.end) for h in hits if h.severity != "mentioned" and h.weight >= strongest / 2}
        if len(distinct) >= category.graphic_hits or (
            category.graphic is not None and category.graphic.search(text.text) is not None
        ):
            severity = "graphic"
    return severity


def _explain(hits: list[_Hit], offset: int, detector: str) -> tuple[Explanation, ...]:
    """The three strongest rules that fired, each with the spans it matched (offsets into Work.text)."""
    spans: dict[str, list[tuple[int, int]]] = {}
    weights: dict[str, float] = {}
    for hit in sorted(hits, key=lambda h: -h.weight):
        spans.setdefault(hit.rule.label, []).append((offset + hit.start, offset + hit.end))
        weights.setdefault(hit.rule.label, hit.weight)
    return tuple(Explanation(detector, label, weights[label], tuple(sorted(spans[label])))
                 for label in list(spans)[:3])


class CueDetector:
    """Lexicon detector with negation, figurative use, co-occurrence and subject checks."""

    name = "cues"

    def __init__(self) -> None:
        self._book = cue_book()

    @property
    def version(self) -> str:
        """Derived from the cue data files, so stored results are redone when a rule changes."""
        return files_version(self.files)

    @property
    def files(self) -> list[Path]:
        """The cue data files this detector loaded (for the engine's fingerprint)."""
        return cue_files()

    def detect(self, passages: Sequence[Passage], *, progress: ProgressHook | None = None,
               suppressed: list[Suppression] | None = None) -> list[Evidence]:
        """Return evidence for every (passage, category) whose cues fire.

        ``progress`` hears (passages done, total) as the passages are read; ``suppressed`` (a list)
        receives every match set aside by negation, figurative use or a context condition.
        """
        book = self._book
        found: dict[str, list[tuple[Passage, _Text, list[_Hit]]]] = {}
        for done, passage in enumerate(passages, 1):
            text = _Text(passage)
            for c_pos, rules in _candidates(book, text.text).items():
                category = book.categories[c_pos]
                skipped: list[_Skip] | None = [] if suppressed is not None else None
                hits = _hits(book, category, [category.rules[r] for r in sorted(rules)], text, skipped)
                if hits:
                    found.setdefault(category.id, []).append((passage, text, hits))
                if suppressed is not None and skipped:
                    suppressed.extend(Suppression(category.id, self.name, s.rule.label, s.because,
                                                  passage.start + s.start, passage.start + s.end) for s in skipped)
            if progress is not None and (done % _PROGRESS_EVERY == 0 or done == len(passages)):
                progress(done, len(passages))
        words = sum(len(p.text.split()) for p in passages)
        evidence: list[Evidence] = []
        for category in book.categories:
            entries = found.get(category.id, [])
            if not entries or not _document_gate(category, entries, words):
                continue
            for passage, text, hits in entries:
                evidence.append(
                    Evidence(
                        category=category.id,
                        score=round(_score(book.engine, hits), 3),
                        passage=passage.index,
                        detector=self.name,
                        severity=_severity(category, text, hits),
                        cues=tuple(
                            CueSpan(passage.start + h.start, passage.start + h.end, h.rule.label)
                            for h in sorted(hits, key=lambda h: h.start)
                        ),
                        explanation=_explain(hits, passage.start, self.name),
                    )
                )
        evidence.sort(key=lambda e: (e.passage, e.category))
        return evidence


def _candidates(book: CueBook, text: str) -> dict[int, set[int]]:
    """Rules whose trigger words occur in the text, by category position."""
    keys = set(book.index.always)
    lookup = book.index.lookup
    for word in set(_TOKEN.findall(text)):
        keys |= lookup(word)
    grouped: dict[int, set[int]] = {}
    for c_pos, r_pos in keys:
        grouped.setdefault(c_pos, set()).add(r_pos)
    return grouped


def _document_gate(category: CategoryRules, entries: list, words: int) -> bool:
    """Categories with a document gate count only when their cues are frequent in the work."""
    gate = category.document
    if gate is None:
        return True
    count = sum(len(hits) for _, _, hits in entries)
    return count >= gate.min_hits and count * 10_000 / max(1, words) >= gate.min_per_10k_words

"""Load the cue data (``data/cues/*.toml``) and compile it into ready-to-run rules.

The data is plain TOML so that cue lists can be reviewed and extended without touching code:

- ``lexicons.toml``: named word lists (regex fragments) that patterns reference as ``{name}``;
- ``engine.toml``: negation, mention (recounted / hypothetical) and shared figurative patterns,
  scoring constants;
- one file per taxonomy group with ``[[categories]]`` entries, each holding ``[[categories.rules]]``.

Everything is compiled once and cached for the life of the process.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from ..config import load_config
from ..config.cues import CueCategory, CueGroupFile, CueRule, EngineFile, LexiconsFile
from ..taxonomy import category_ids, data_file
from .cue_index import TriggerIndex, triggers

_LEXICON_REF = re.compile(r"\{([a-z_]+)\}")


@dataclass(frozen=True, slots=True)
class Rule:
    """One cue: a pattern with its weight, severity hint and context conditions."""

    label: str
    source: str
    regex: re.Pattern[str]
    weight: float
    severity: str
    requires: tuple[re.Pattern[str], ...]
    forbids: tuple[re.Pattern[str], ...]
    who: re.Pattern[str] | None
    not_who: re.Pattern[str] | None
    who_before: int
    who_after: int
    negate: bool
    scope: str


@dataclass(frozen=True, slots=True)
class DocumentGate:
    """A category that only counts when its cues are frequent across the whole work."""

    min_hits: int
    min_per_10k_words: float


@dataclass(frozen=True, slots=True)
class CategoryRules:
    """All cues of one category, plus its figurative and graphic patterns."""

    id: str
    rules: tuple[Rule, ...]
    figurative: re.Pattern[str] | None
    graphic: re.Pattern[str] | None
    graphic_hits: int
    document: DocumentGate | None


@dataclass(frozen=True, slots=True)
class Engine:
    """Shared context patterns and scoring constants."""

    negation: re.Pattern[str]
    negation_words: int
    clause_break: re.Pattern[str]
    mention: re.Pattern[str]
    repeat_factor: float
    max_score: float


@dataclass(frozen=True, slots=True)
class CueBook:
    """The compiled cue data: engine settings, every category's rules and their trigger-word index."""

    engine: Engine
    categories: tuple[CategoryRules, ...]
    index: TriggerIndex


GROUP_FILES = (
    "violence", "mental-health", "abuse", "sexual", "discrimination",
    "pregnancy", "medical", "relationships", "language",
)


def _expand(pattern: str, lexicons: dict[str, str], where: str) -> str:
    def replace(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in lexicons:
            raise ValueError(f"{where}: unknown lexicon {{{name}}}")
        return lexicons[name]

    return _LEXICON_REF.sub(replace, pattern)


def _compile(pattern: str, lexicons: dict[str, str], where: str, bounded: bool = True) -> re.Pattern[str]:
    source = _expand(pattern, lexicons, where)
    if bounded:
        source = rf"(?<![\w-])(?:{source})(?![\w])"
    try:
        return re.compile(source)
    except re.error as error:
        raise ValueError(f"{where}: bad pattern {pattern!r}: {error}") from None


def _alternation(patterns: list[str], lexicons: dict[str, str], where: str) -> re.Pattern[str] | None:
    if not patterns:
        return None
    return _compile("|".join(f"(?:{p})" for p in patterns), lexicons, where)


def _lexicons(raw: dict[str, tuple[str, ...]]) -> dict[str, str]:
    """Turn each word list into one non-capturing group; lexicons may reference earlier ones."""
    lexicons: dict[str, str] = {}
    for name, words in raw.items():
        expanded = [_expand(w, lexicons, f"lexicon {name}") for w in words]
        # Longest first so that alternation prefers the longer form ("knives" before "knife").
        lexicons[name] = "(?:" + "|".join(sorted(expanded, key=len, reverse=True)) + ")"
    return lexicons


def _rule(raw: CueRule, lexicons: dict[str, str], where: str) -> Rule:
    return Rule(
        label=raw.label or raw.pattern,
        source=_expand(raw.pattern, lexicons, where),
        regex=_compile(raw.pattern, lexicons, where),
        weight=raw.weight,
        severity=raw.severity,
        requires=tuple(_compile(p, lexicons, where) for p in raw.requires),
        forbids=tuple(_compile(p, lexicons, where) for p in raw.forbids),
        who=_compile(raw.who, lexicons, where) if raw.who is not None else None,
        not_who=_compile(raw.not_who, lexicons, where) if raw.not_who is not None else None,
        who_before=raw.who_before,
        who_after=raw.who_after,
        negate=raw.negate,
        scope=raw.scope,
    )


def _category(raw: CueCategory, lexicons: dict[str, str], shared_figurative: list[str], where: str) -> CategoryRules:
    rules = tuple(_rule(r, lexicons, f"{where} rule {i}") for i, r in enumerate(raw.rules))
    document = raw.document
    return CategoryRules(
        id=raw.id,
        rules=rules,
        figurative=_alternation(list(raw.figurative) + shared_figurative, lexicons, where),
        graphic=_alternation(list(raw.graphic), lexicons, where),
        graphic_hits=raw.graphic_hits,
        document=DocumentGate(document.min_hits, document.min_per_10k_words) if document else None,
    )


def _engine(raw: EngineFile, lexicons: dict[str, str]) -> Engine:
    return Engine(
        negation=_compile(raw.negation.pattern, lexicons, "engine negation"),
        negation_words=raw.negation.window_words,
        clause_break=re.compile(raw.negation.clause_break),
        mention=_alternation(list(raw.mention.patterns), lexicons, "engine mention") or re.compile(r"(?!)"),
        repeat_factor=raw.scoring.repeat_factor,
        max_score=raw.scoring.max_score,
    )


def cue_files() -> list[Path]:
    """Every cue data file the cue book is compiled from."""
    return [data_file(f"cues/{name}.toml") for name in ["lexicons", "engine", *GROUP_FILES]]


@cache
def cue_book() -> CueBook:
    """Load and compile every cue file once; raise ValueError naming the file on bad data."""
    lexicons = _lexicons(load_config(LexiconsFile, "cues/lexicons.toml").lexicons)
    engine_raw = load_config(EngineFile, "cues/engine.toml")
    shared_figurative = list(engine_raw.figurative.patterns)
    by_id: dict[str, CategoryRules] = {}
    for group in GROUP_FILES:
        for i, raw in enumerate(load_config(CueGroupFile, f"cues/{group}.toml").categories):
            category = _category(raw, lexicons, shared_figurative, f"cues/{group}.toml category {i}")
            by_id[category.id] = category
    known = category_ids()
    ordered = tuple(by_id[c] for c in known if c in by_id)
    index = TriggerIndex()
    for c_pos, category in enumerate(ordered):
        for r_pos, rule in enumerate(category.rules):
            index.add((c_pos, r_pos), triggers(rule.source))
    return CueBook(_engine(engine_raw, lexicons), ordered, index)


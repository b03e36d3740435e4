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

from ..taxonomy import SEVERITIES, category_ids, data_file, load_data_toml
from .cue_index import TriggerIndex, triggers

_LEXICON_REF = re.compile(r"\{([a-z_]+)\}")
_RULE_KEYS = {
    "pattern", "weight", "severity", "label", "requires", "forbids", "who", "not_who",
    "who_before", "who_after", "negate", "scope",
}
_CATEGORY_KEYS = {"id", "rules", "figurative", "graphic", "graphic_hits", "document"}


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


def _lexicons(raw: dict[str, list[str]]) -> dict[str, str]:
    """Turn each word list into one non-capturing group; lexicons may reference earlier ones."""
    lexicons: dict[str, str] = {}
    for name, words in raw.items():
        expanded = [_expand(w, lexicons, f"lexicon {name}") for w in words]
        # Longest first so that alternation prefers the longer form ("knives" before "knife").
        lexicons[name] = "(?:" + "|".join(sorted(expanded, key=len, reverse=True)) + ")"
    return lexicons


def _rule(raw: dict, lexicons: dict[str, str], where: str) -> Rule:
    unknown = set(raw) - _RULE_KEYS
    if unknown:
        raise ValueError(f"{where}: unknown keys {sorted(unknown)}")
    severity = raw.get("severity", "depicted")
    if severity not in SEVERITIES:
        raise ValueError(f"{where}: bad severity {severity!r}")
    scope = raw.get("scope", "sentence")
    if scope not in ("sentence", "passage"):
        raise ValueError(f"{where}: scope must be sentence or passage")
    return Rule(
        label=raw.get("label", raw["pattern"]),
        source=_expand(raw["pattern"], lexicons, where),
        regex=_compile(raw["pattern"], lexicons, where),
        weight=float(raw["weight"]),
        severity=severity,
        requires=tuple(_compile(p, lexicons, where) for p in raw.get("requires", [])),
        forbids=tuple(_compile(p, lexicons, where) for p in raw.get("forbids", [])),
        who=_compile(raw["who"], lexicons, where) if "who" in raw else None,
        not_who=_compile(raw["not_who"], lexicons, where) if "not_who" in raw else None,
        who_before=int(raw.get("who_before", 60)),
        who_after=int(raw.get("who_after", 40)),
        negate=bool(raw.get("negate", True)),
        scope=scope,
    )


def _category(raw: dict, lexicons: dict[str, str], shared_figurative: list[str], where: str) -> CategoryRules:
    unknown = set(raw) - _CATEGORY_KEYS
    if unknown:
        raise ValueError(f"{where}: unknown keys {sorted(unknown)}")
    rules = tuple(_rule(r, lexicons, f"{where} rule {i}") for i, r in enumerate(raw["rules"]))
    document = raw.get("document")
    return CategoryRules(
        id=raw["id"],
        rules=rules,
        figurative=_alternation(list(raw.get("figurative", [])) + shared_figurative, lexicons, where),
        graphic=_alternation(list(raw.get("graphic", [])), lexicons, where),
        graphic_hits=int(raw.get("graphic_hits", 4)),
        document=DocumentGate(int(document["min_hits"]), float(document["min_per_10k_words"])) if document else None,
    )


def _engine(raw: dict, lexicons: dict[str, str]) -> Engine:
    return Engine(
        negation=_compile(raw["negation"]["pattern"], lexicons, "engine negation"),
        negation_words=int(raw["negation"]["window_words"]),
        clause_break=re.compile(raw["negation"]["clause_break"]),
        mention=_alternation(raw["mention"]["patterns"], lexicons, "engine mention") or re.compile(r"(?!)"),
        repeat_factor=float(raw["scoring"]["repeat_factor"]),
        max_score=float(raw["scoring"]["max_score"]),
    )


def cue_files() -> list[Path]:
    """Every cue data file the cue book is compiled from."""
    return [data_file(f"cues/{name}.toml") for name in ["lexicons", "engine", *GROUP_FILES]]


@cache
def cue_book() -> CueBook:
    """Load and compile every cue file once; raise ValueError naming the file on bad data."""
    lexicons = _lexicons(load_data_toml("cues/lexicons.toml")["lexicons"])
    engine_raw = load_data_toml("cues/engine.toml")
    shared_figurative = list(engine_raw.get("figurative", {}).get("patterns", []))
    by_id: dict[str, CategoryRules] = {}
    for group in GROUP_FILES:
        for i, raw in enumerate(load_data_toml(f"cues/{group}.toml")["categories"]):
            category = _category(raw, lexicons, shared_figurative, f"cues/{group}.toml category {i}")
            by_id[category.id] = category
    known = category_ids()
    stray = sorted(set(by_id) - set(known))
    if stray:
        raise ValueError(f"cue data names unknown categories: {', '.join(stray)}")
    ordered = tuple(by_id[c] for c in known if c in by_id)
    index = TriggerIndex()
    for c_pos, category in enumerate(ordered):
        for r_pos, rule in enumerate(category.rules):
            index.add((c_pos, r_pos), triggers(rule.source))
    return CueBook(_engine(engine_raw, lexicons), ordered, index)


"""Derived labels: AO3 archive warnings, AO3 and FanFiction.Net ratings, and under-warning notes."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from .characters import main_character_dies
from .report import Declared, Finding, Suggested, UnderWarning
from .taxonomy import load_data_toml, severity_rank
from .work import Work

_NO_WARNINGS = "No Archive Warnings Apply"


@dataclass(frozen=True, slots=True)
class _Condition:
    category: str
    min: str


def _conditions(rule: dict) -> tuple[_Condition, ...]:
    return tuple(_Condition(c["category"], c["min"]) for c in rule.get("any", []))


@cache
def _rules() -> dict:
    return load_data_toml("ratings.toml")


def _matches(condition: _Condition, findings: dict[str, Finding]) -> Finding | None:
    finding = findings.get(condition.category)
    if finding and severity_rank(finding.severity) >= severity_rank(condition.min):
        return finding
    return None


def _first_match(rule: dict, findings: dict[str, Finding]) -> Finding | None:
    return next((f for c in _conditions(rule) if (f := _matches(c, findings))), None)


def _major_character_death(rule: dict, findings: dict[str, Finding], work: Work, main: set[str]) -> bool:
    for condition in _conditions(rule):
        finding = _matches(condition, findings)
        if finding is None:
            continue
        for location in finding.locations:
            if severity_rank(location.severity) >= severity_rank(condition.min) and main_character_dies(
                work, location.char_start, location.char_end, main
            ):
                return True
    return False


def _rating_rule(by_category: dict[str, Finding]) -> tuple[dict, Finding | None]:
    """The first rating rule that matches, and the finding that made it match."""
    for rule in _rules()["rating"]:
        trigger = _first_match(rule, by_category)
        if trigger or not rule["any"]:
            return rule, trigger
    raise ValueError("ratings.toml needs a last rating rule with no conditions")


def suggest(findings: Sequence[Finding], work: Work, main_characters: set[str]) -> Suggested:
    """AO3 rating, FFN rating and AO3 archive warnings suggested by the findings.

    ``main_characters`` (``characters.main_characters(work)``, found once per scan by the engine)
    decides whether a death is a major character's.
    """
    by_category = {f.category: f for f in findings}
    rules = _rules()
    rating, _ = _rating_rule(by_category)
    warnings = []
    for rule in rules["ao3_warning"]:
        if rule.get("major_character_death"):
            if _major_character_death(rule, by_category, work, main_characters):
                warnings.append(rule["name"])
        elif _first_match(rule, by_category):
            warnings.append(rule["name"])
    return Suggested(ao3_rating=rating["ao3"], ffn_rating=rating["ffn"], ao3_warnings=warnings or [_NO_WARNINGS])


def _declared_level(rating: str | None) -> float | None:
    if not rating:
        return None
    return _rules()["rating_levels"].get(rating.strip().lower())


def describe_declared(declared: Declared) -> list[str]:
    """What the author declared, in short phrases ("rated T", "warnings: ...")."""
    parts = []
    if declared.rating:
        parts.append(f"rated {declared.rating}")
    if declared.chose_not_to_warn:
        parts.append("the author chose not to use archive warnings")
    elif declared.warnings:
        parts.append("warnings: " + ", ".join(declared.warnings))
    return parts


def _declared_words(declared: Declared) -> str:
    parts = describe_declared(declared)
    if not (declared.warnings or declared.chose_not_to_warn):
        parts.append("no warnings")
    return "; ".join(parts)


def _warned_for(category: str, declared: Declared) -> bool:
    aliases = _rules()["declared_aliases"].get(category, [])
    haystack = " | ".join(declared.warnings + declared.tags).lower()
    return any(re.search(r"\b" + re.escape(alias), haystack) for alias in aliases)


def category_note_lead(declared: Declared) -> str:
    """How a note about an unwarned category begins."""
    if declared.chose_not_to_warn:
        return "The author chose not to use archive warnings, and forewarn found"
    return "Found but not in the author's warnings or tags"


def _where(finding: Finding) -> str:
    chapters = sorted({loc.chapter for loc in finding.locations})
    shown = ", ".join(str(c) for c in chapters[:3]) + (" and later" if len(chapters) > 3 else "")
    return f"chapter{'s' if len(chapters) > 1 else ''} {shown}"


def under_warnings(findings: Sequence[Finding], suggested: Suggested, declared: Declared) -> list[UnderWarning]:
    """Polite, specific notes where what was declared is below what was found.

    Only when the author declared something (a rating, warnings, tags or the choice not to warn):
    a plain text with no metadata has nothing to compare against.
    """
    if not (declared.rating or declared.warnings or declared.tags or declared.chose_not_to_warn):
        return []
    said = _declared_words(declared)
    notes: list[UnderWarning] = []
    level = _declared_level(declared.rating)
    suggested_level = _rules()["ao3_levels"][suggested.ao3_rating]
    serious = [f for f in findings if severity_rank(f.severity) >= severity_rank("depicted")]
    by_category = {f.category: f for f in findings}
    _, top = _rating_rule(by_category)
    if level is not None and suggested_level > level and top is not None:
        notes.append(UnderWarning(
            kind="rating",
            category=top.category,
            declared=said,
            note=(f"The work is rated {declared.rating}, but forewarn found {top.name.lower()} "
                  f"({top.severity}) in {_where(top)}, which usually rates "
                  f"{suggested.ao3_rating} on AO3 / {suggested.ffn_rating} on FanFiction.Net."),
        ))
    declared_lower = {w.lower() for w in declared.warnings}
    for rule in _rules()["ao3_warning"]:
        warning = rule["name"]
        if warning not in suggested.ao3_warnings or warning.lower() in declared_lower or declared.chose_not_to_warn:
            continue
        trigger = _first_match(rule, by_category)
        notes.append(UnderWarning(
            kind="archive-warning",
            category=trigger.category if trigger else "death",
            declared=said,
            note=f"The AO3 archive warning '{warning}' seems to apply but was not declared.",
        ))
    watched = set(_rules()["under_warning_categories"])
    for finding in serious:
        if finding.category not in watched:
            continue
        if _warned_for(finding.category, declared) or any(n.category == finding.category for n in notes):
            continue
        notes.append(UnderWarning(
            kind="category",
            category=finding.category,
            declared=said,
            note=f"{category_note_lead(declared)}: {finding.name.lower()} ({finding.severity}) in {_where(finding)}.",
        ))
    return notes

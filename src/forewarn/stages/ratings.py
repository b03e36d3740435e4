"""Derived labels: AO3 archive warnings, AO3 and FanFiction.Net ratings, and under-warning notes."""

from __future__ import annotations

import re
from collections.abc import Sequence

from .. import messages
from ..config import ratings_config
from ..config.ratings import Condition, RatingRule, WarningRule
from ..documents.report import Declared, DeclaredNotFound, Finding, Severity, Suggested, UnderWarning
from ..documents.work import Work
from .characters import main_character_dies

_NO_WARNINGS = "No Archive Warnings Apply"


def _matches(condition: Condition, findings: dict[str, Finding]) -> Finding | None:
    finding = findings.get(condition.category)
    if finding and finding.severity >= condition.min:
        return finding
    return None


def _first_match(rule: RatingRule | WarningRule, findings: dict[str, Finding]) -> Finding | None:
    return next((f for c in rule.any if (f := _matches(c, findings))), None)


def _major_character_death(rule: WarningRule, findings: dict[str, Finding], work: Work, main: set[str]) -> bool:
    for condition in rule.any:
        finding = _matches(condition, findings)
        if finding is None:
            continue
        for location in finding.locations:
            if location.severity >= condition.min and main_character_dies(
                work, location.char_start, location.char_end, main
            ):
                return True
    return False


def _rating_rule(by_category: dict[str, Finding]) -> tuple[RatingRule, Finding | None]:
    """The first rating rule that matches, and the finding that made it match (the last rule has no conditions)."""
    for rule in ratings_config().rating:
        trigger = _first_match(rule, by_category)
        if trigger or not rule.any:
            return rule, trigger
    raise AssertionError("unreachable: ratings.toml's last rating rule has no conditions")


def suggest(findings: Sequence[Finding], work: Work, main_characters: set[str]) -> Suggested:
    """AO3 rating, FFN rating and AO3 archive warnings suggested by the findings.

    ``main_characters`` (``characters.main_characters(work)``, found once per scan by the engine)
    decides whether a death is a major character's.
    """
    by_category = {f.category: f for f in findings}
    rating, _ = _rating_rule(by_category)
    warnings = []
    for rule in ratings_config().ao3_warning:
        if rule.major_character_death:
            if _major_character_death(rule, by_category, work, main_characters):
                warnings.append(rule.name)
        elif _first_match(rule, by_category):
            warnings.append(rule.name)
    return Suggested(ao3_rating=rating.ao3, ffn_rating=rating.ffn, ao3_warnings=warnings or [_NO_WARNINGS])


def _declared_level(rating: str | None) -> float | None:
    if not rating:
        return None
    return ratings_config().rating_levels.get(rating.strip().lower())


def describe_declared(declared: Declared) -> list[str]:
    """What the author declared, in short phrases ("rated T", "warnings: ...")."""
    parts = []
    if declared.rating:
        parts.append(messages.text("declared.rated", rating=declared.rating))
    if declared.chose_not_to_warn:
        parts.append(messages.text("declared.chose_not_to_warn"))
    elif declared.warnings:
        parts.append(messages.text("declared.warnings", warnings=", ".join(declared.warnings)))
    return parts


def _declared_words(declared: Declared) -> str:
    parts = describe_declared(declared)
    if not (declared.warnings or declared.chose_not_to_warn):
        parts.append(messages.text("declared.no_warnings"))
    return "; ".join(parts)


def _warned_for(category: str, declared: Declared) -> bool:
    aliases = ratings_config().declared_aliases.get(category, ())
    haystack = " | ".join(declared.warnings + declared.tags).lower()
    return any(re.search(r"\b" + re.escape(alias), haystack) for alias in aliases)


def category_note_lead(declared: Declared) -> str:
    """How a note about an unwarned category begins."""
    if declared.chose_not_to_warn:
        return messages.text("under_warning.lead_chose_not_to_warn")
    return messages.text("under_warning.lead")


def _where(finding: Finding) -> str:
    chapters = sorted({loc.chapter for loc in finding.locations})
    shown = ", ".join(str(c) for c in chapters[:3])
    if len(chapters) > 3:
        shown += messages.text("under_warning.and_later")
    key = "under_warning.several_chapters" if len(chapters) > 1 else "under_warning.one_chapter"
    return messages.text(key, chapters=shown)


def declared_warning_rules(declared: Declared) -> list[WarningRule]:
    """The AO3 archive warnings the author declared that forewarn knows (in the author's order)."""
    rules = (ratings_config().warning(w) for w in declared.warnings)
    return list(dict.fromkeys(rule for rule in rules if rule is not None))


def declared_not_found(declared: Declared, suggested: Suggested) -> list[DeclaredNotFound]:
    """Archive warnings the author declared that forewarn's findings do not suggest.

    The author's word is evidence too: the report says so instead of silently suggesting less.
    """
    found = {w.lower() for w in suggested.ao3_warnings}
    return [
        DeclaredNotFound(warning=rule.name, categories=list(rule.declares), note=messages.text("declared.not_found"))
        for rule in declared_warning_rules(declared)
        if rule.name.lower() not in found
    ]


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
    suggested_level = ratings_config().ao3_levels[suggested.ao3_rating]
    serious = [f for f in findings if f.severity >= Severity.DEPICTED]
    by_category = {f.category: f for f in findings}
    _, top = _rating_rule(by_category)
    if level is not None and suggested_level > level and top is not None:
        notes.append(UnderWarning(
            kind="rating",
            category=top.category,
            declared=said,
            note=messages.text("under_warning.rating", rating=declared.rating, name=top.name.lower(),
                               severity=top.severity, where=_where(top), ao3_rating=suggested.ao3_rating,
                               ffn_rating=suggested.ffn_rating),
        ))
    declared_lower = {w.lower() for w in declared.warnings}
    for rule in ratings_config().ao3_warning:
        warning = rule.name
        if warning not in suggested.ao3_warnings or warning.lower() in declared_lower or declared.chose_not_to_warn:
            continue
        trigger = _first_match(rule, by_category)
        notes.append(UnderWarning(
            kind="archive-warning",
            category=trigger.category if trigger else "death",
            declared=said,
            note=messages.text("under_warning.archive_warning", warning=warning),
        ))
    watched = ratings_config().under_warning_categories
    for finding in serious:
        if finding.category not in watched:
            continue
        if _warned_for(finding.category, declared) or any(n.category == finding.category for n in notes):
            continue
        notes.append(UnderWarning(
            kind="category",
            category=finding.category,
            declared=said,
            note=messages.text("under_warning.category", lead=category_note_lead(declared),
                               found=messages.text("under_warning.category_found", name=finding.name.lower(),
                                                   severity=finding.severity, where=_where(finding))),
        ))
    return notes

"""A reader's profile (what to avoid, from which severity) and the verdict it gives on a report.

The profile file is TOML in the user's config directory (``forewarn profile-path`` prints it)::

    [avoid]
    self-harm = "mentioned"   # any mention
    suicide = "depicted"      # only when it happens on the page
"""

from __future__ import annotations

import tomllib
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import platformdirs

from .. import messages
from ..category_names import canonical_category
from ..documents.report import Report, Verdict, VerdictDeclared, VerdictLocation
from ..errors import UsageError
from ..taxonomy import SEVERITIES, Severity, categories
from .ratings import declared_warning_rules


@dataclass(slots=True)
class Profile:
    """An avoid-list: category id -> minimum severity that matters to this reader."""

    avoid: dict[str, Severity] = field(default_factory=dict)

    def merged(self, other: Profile) -> Profile:
        """This profile with ``other``'s entries added (the lower minimum severity wins)."""
        avoid = dict(self.avoid)
        for category, severity in other.avoid.items():
            if category not in avoid or severity < avoid[category]:
                avoid[category] = severity
        return Profile(avoid)


def default_profile_path() -> Path:
    """Where forewarn looks for the reader's profile."""
    return Path(platformdirs.user_config_dir("forewarn")) / "profile.toml"


def _check_severity(category: str, severity: str, where: str) -> None:
    """Refuse an unknown severity (the category was already resolved by ``canonical_category``)."""
    if severity not in SEVERITIES:
        raise UsageError(f"unknown severity '{severity}' for {category} in {where}; use one of {', '.join(SEVERITIES)}")


def parse_avoid(text: str | list[str]) -> Profile:
    """Parse ``self-harm,suicide:depicted`` (or a list of such items) into a Profile."""
    items = text.split(",") if isinstance(text, str) else [p for t in text for p in t.split(",")]
    avoid: dict[str, Severity] = {}
    for item in (i.strip().lower() for i in items):
        if not item:
            continue
        category, _, severity = item.partition(":")
        severity = severity or SEVERITIES[0]
        category = canonical_category(category, "--avoid")
        _check_severity(category, severity, "--avoid")
        avoid[category] = Severity(severity)
    return Profile(avoid)


def load_profile(path: str | Path | None = None) -> Profile:
    """Read a profile file; the default path may be missing (empty profile), an explicit one may not."""
    target = Path(path) if path else default_profile_path()
    if not target.is_file():
        if path:
            raise UsageError(f"profile file {target} not found; create it or drop --profile")
        return Profile()
    try:
        data = tomllib.loads(target.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise UsageError(f"profile file {target} is not valid TOML ({error}); fix it or drop --profile") from None
    avoid = data.get("avoid", {})
    if not isinstance(avoid, dict):
        raise UsageError(f"profile file {target}: [avoid] must be a table of category = \"severity\"")
    avoid = {canonical_category(str(name), str(target)): severity for name, severity in avoid.items()}
    for category, severity in avoid.items():
        _check_severity(category, str(severity), str(target))
    return Profile({k: Severity(str(v)) for k, v in avoid.items()})


def reader_profile(
    avoid: str | Sequence[str] | None = None,
    profile: Profile | str | Path | None = None,
    *,
    use_default_file: bool = False,
) -> Profile | None:
    """The profile a scan holds its report against: ``profile`` (a Profile or a TOML file; else the
    default file when ``use_default_file``) plus ``avoid``; None when nothing is to be avoided."""
    if isinstance(profile, Profile):
        chosen = profile
    elif profile:
        chosen = load_profile(profile)
    else:
        chosen = load_profile() if use_default_file else Profile()
    if avoid:
        chosen = chosen.merged(parse_avoid(avoid if isinstance(avoid, str) else list(avoid)))
    return chosen if chosen.avoid else None


def _declared_hits(report: Report, profile: Profile) -> list[VerdictDeclared]:
    """Avoided categories the author declared through an archive warning (at any minimum severity:
    a declaration does not say how graphic the content is)."""
    return [
        VerdictDeclared(category=category, warning=rule.name)
        for rule in declared_warning_rules(report.declared)
        for category in rule.declares
        if category in profile.avoid
    ]


def _declared_summary(declared: list[VerdictDeclared]) -> str:
    by_warning: dict[str, list[str]] = {}
    for item in declared:
        by_warning.setdefault(item.warning, []).append(categories()[item.category].name.lower())
    items = [messages.text("verdict.declared_item", warning=warning, categories=", ".join(names))
             for warning, names in by_warning.items()]
    return messages.text("verdict.declared", declared="; ".join(items))


def verdict(report: Report, profile: Profile) -> Verdict:
    """Hold a report against a profile: not-safe, safe-until chapter N, or nothing-detected (never 'safe').

    An archive warning the author declared for an avoided category makes it not-safe, whatever the
    detectors found: the author's word is evidence too.
    """
    hits = [
        VerdictLocation(category=f.category, severity=loc.severity, chapter=loc.chapter, position=loc.position)
        for f in report.findings
        if f.category in profile.avoid
        for loc in f.locations
        if loc.severity >= profile.avoid[f.category]
    ]
    hits.sort(key=lambda h: (h.position, h.chapter))
    declared = _declared_hits(report, profile)
    listed = ", ".join(profile.avoid)
    if not hits and not declared:
        return Verdict(
            status="nothing-detected",
            summary=messages.text("verdict.nothing_detected", listed=listed),
            avoid=profile.avoid,
        )
    found = ", ".join(dict.fromkeys(categories()[h.category].name.lower() for h in hits))
    if declared:
        summary = _declared_summary(declared)
        if hits:
            summary += " " + messages.text("verdict.also_found", found=found, chapter=hits[0].chapter,
                                           position=hits[0].position)
        return Verdict(status="not-safe", summary=summary, hits=hits, declared=declared, avoid=profile.avoid)
    first = hits[0]
    first_chapter = report.work.chapters[0].index if report.work.chapters else 1
    if len(report.work.chapters) > 1 and first.chapter > first_chapter:
        return Verdict(
            status="safe-until",
            safe_until_chapter=first.chapter,
            summary=messages.text("verdict.safe_until", chapter=first.chapter, found=found),
            hits=hits,
            avoid=profile.avoid,
        )
    return Verdict(
        status="not-safe",
        summary=messages.text("verdict.not_safe", found=found, chapter=first.chapter, position=first.position),
        hits=hits,
        avoid=profile.avoid,
    )

"""The labels (tags, subjects) forewarn writes into a book's metadata, and how they merge.

Labels read as a reader would say them ("CW: Blood and gore (depicted)"), start with a configurable
prefix (``data/integrations.toml``, ``forewarn tag --prefix``) and are capped at ``max_tags`` per
book: the most severe categories are named, the rest counted in one "CW: +N more" label.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable
from functools import cache
from typing import Any

from ..config import IntegrationsFile, integrations_config
from ..taxonomy import SEVERITIES, Severity, categories

AO3_RATINGS = ("General Audiences", "Teen And Up Audiences", "Mature", "Explicit", "Not Rated")


def settings() -> IntegrationsFile:
    """``data/integrations.toml``."""
    return integrations_config()


def word(severity: Any) -> str:
    """A severity as its plain word, whether it is a string or a string-valued enum."""
    return str(getattr(severity, "value", severity))


def finding_label(name: str, severity: Any, prefix: str | None = None) -> str:
    """The readable label of one category at one severity."""
    config = settings()
    return config.finding.format(prefix=config.prefix if prefix is None else prefix, name=name, severity=word(severity))


def rating_label(ao3_rating: str, prefix: str | None = None) -> str:
    """The label naming the suggested AO3 rating."""
    config = settings()
    return config.rating.format(prefix=config.prefix if prefix is None else prefix, ao3_rating=ao3_rating)


def finding_labels(report: Any, prefix: str | None = None, limit: int | None = None) -> list[str]:
    """One label per finding, most severe first (taxonomy order among equals); over ``limit``, the
    last label counts the rest ("CW: +3 more")."""
    config = settings()
    order = {category: index for index, category in enumerate(categories())}
    findings = sorted(report.findings, key=lambda f: (-Severity(word(f.severity)).rank, order.get(f.category, 99)))
    labels = [finding_label(f.name, f.severity, prefix) for f in findings]
    if limit is None or len(labels) <= limit:
        return labels
    shown = max(0, limit - 1)
    more = config.more.format(prefix=config.prefix if prefix is None else prefix, count=len(labels) - shown)
    return labels[:shown] + [more]


def labels_for(report: Any, prefix: str | None = None) -> list[str]:
    """The labels for a book: the capped finding labels, then the suggested rating."""
    limit = settings().max_tags - 1
    return finding_labels(report, prefix, limit) + [rating_label(report.suggested.ao3_rating, prefix)]


@cache
def _scheme(prefix: str) -> re.Pattern[str]:
    """A pattern matching every label the current format could write with ``prefix``."""
    config = settings()
    names = sorted((re.escape(c.name) for c in categories().values()), key=len, reverse=True)
    severities = "|".join(SEVERITIES)
    choices = [
        re.escape(config.finding.format(prefix=prefix, name="@@0@@", severity="@@1@@"))
        .replace("@@0@@", f"(?:{'|'.join(names)})").replace("@@1@@", f"(?:{severities})"),
        re.escape(config.rating.format(prefix=prefix, ao3_rating="@@0@@")).replace(
            "@@0@@", f"(?:{'|'.join(re.escape(r) for r in AO3_RATINGS)})"),
        re.escape(config.more.format(prefix=prefix, count="@@0@@")).replace("@@0@@", r"\d+"),
    ]
    return re.compile("|".join(f"(?:{c})" for c in choices))


def is_forewarn_label(label: str, prefix: str | None = None, written: Collection[str] = ()) -> bool:
    """True for a label forewarn wrote: one it recorded writing (``written``), one of the labels the
    current format writes with ``prefix`` (default the configured one), or an old-style label."""
    config = settings()
    if label in written or any(label.startswith(old) for old in config.legacy_prefixes):
        return True
    return _scheme(config.prefix if prefix is None else prefix).fullmatch(label) is not None


def without_forewarn_labels(existing: Iterable[str], prefix: str | None = None, written: Collection[str] = ()) -> list[str]:
    """The labels that are not forewarn's, in their order."""
    return [label for label in existing if not is_forewarn_label(label, prefix, written)]


def merge_labels(existing: Iterable[str], new: Iterable[str], prefix: str | None = None, written: Collection[str] = ()) -> list[str]:
    """Existing labels minus forewarn's, then the new ones; order kept, no duplicates."""
    merged = without_forewarn_labels(existing, prefix, written)
    merged += [label for label in new if label not in merged]
    return list(dict.fromkeys(merged))

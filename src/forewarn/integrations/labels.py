"""The labels (tags, subjects) forewarn writes into a book's metadata, and how they merge."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ..config import IntegrationsFile, integrations_config


def settings() -> IntegrationsFile:
    """``data/integrations.toml``."""
    return integrations_config()


def labels_for(report: Any) -> list[str]:
    """One label per finding (taxonomy order as in the report) and one for the suggested rating."""
    config = settings()
    labels = [config.finding.format(category=f.category, severity=f.severity) for f in report.findings]
    labels.append(config.rating.format(ao3_rating=report.suggested.ao3_rating))
    return labels


def is_forewarn_label(label: str) -> bool:
    """True for a label forewarn wrote (it starts with the prefix)."""
    return label.startswith(settings().prefix)


def merge_labels(existing: Iterable[str], new: Iterable[str]) -> list[str]:
    """Existing labels minus old forewarn ones, then the new ones; order kept, no duplicates."""
    merged = [label for label in existing if not is_forewarn_label(label)]
    merged += [label for label in new if label not in merged]
    return list(dict.fromkeys(merged))

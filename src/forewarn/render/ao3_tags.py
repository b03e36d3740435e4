"""A report as text an author can paste into AO3's posting form: rating, archive warnings, additional tags.

Every category becomes one additional tag ("CW: Self-harm (depicted)"), most severe first; each tag
carries the prefix so that it still reads as a content warning once AO3 splits the line at commas.
Suggestions only: the author knows the story, forewarn can miss things.
"""

from __future__ import annotations

from ..documents.report import Report
from ..integrations.labels import finding_labels
from .safe import printable

_NOT_WARNINGS = {"no archive warnings apply", "creator chose not to use archive warnings"}


def ao3_tags_text(report: Report) -> str:
    """The lines to paste: Rating, Archive Warnings, Additional Tags, and what the author declared that
    forewarn did not find."""
    suggested = report.suggested
    warnings = suggested.ao3_warnings or ["No Archive Warnings Apply"]
    tags = [label.replace(",", "") for label in finding_labels(report)]  # AO3 tags cannot hold a comma
    lines = [
        f"Rating: {suggested.ao3_rating}",
        f"Archive Warnings: {', '.join(warnings)}",
        f"Additional Tags: {', '.join(tags) if tags else '(none detected)'}",
    ]
    found = {w.casefold() for w in suggested.ao3_warnings} | _NOT_WARNINGS
    declared_only = [w for w in report.declared.warnings if w.casefold() not in found]
    if declared_only:
        shown = ", ".join(printable(w, one_line=True) for w in declared_only)  # the author's text, made safe
        lines.append(f"Declared by the author, not found by forewarn: {shown}")
    lines.append("Suggested by forewarn, which can miss things or flag what a reader would not: check before posting.")
    return "\n".join(lines) + "\n"

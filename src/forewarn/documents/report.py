"""The Report: what forewarn found in one work, as a versioned pydantic schema.

``docs/report-schema.json`` is generated from these models (``forewarn schema``); other tools
rely on the fields listed in the README's JSON contract, so rename nothing without bumping
``SCHEMA_VERSION``.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, SerializerFunctionWrapHandler, WithJsonSchema, model_serializer

from . import Declared
from .severity import Severity

SCHEMA_VERSION = "1.1"

# In the JSON report a severity is its name; the schema lists the names as a plain string enum.
_SeverityName = Annotated[Severity, WithJsonSchema({"enum": [s.value for s in Severity], "type": "string"})]


def _empty(value: list) -> bool:
    """Fields added after schema 1.0 are left out of the JSON while empty, so older reports stay byte-identical."""
    return not value


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class _ExplainedModel(_Model):
    """A model whose --explain-only fields are left out of the JSON when unset (reports without
    --explain stay exactly as they were before those fields existed)."""

    _explain_only: tuple[str, ...] = ()

    @model_serializer(mode="wrap")
    def _drop_unset_explanations(self, handler: SerializerFunctionWrapHandler) -> dict:
        data = handler(self)
        for name in self._explain_only:
            if data.get(name) is None:
                data.pop(name, None)
        return data


class Source(_Model):
    """Where the report's text came from."""

    path: str | None = Field(None, description="File path, '-' for stdin, null for text given directly.")
    format: str = Field(description="Detected format: text, ffn-text, gutenberg, markdown, ao3-html, html, epub, ao3-epub, fanficfare-epub, docx.")
    encoding: str | None = Field(None, description="Text encoding used to decode the input, when it was text.")


class ChapterInfo(_Model):
    """One chapter of the work."""

    index: int = Field(description="1-based chapter number.")
    title: str
    char_start: int
    char_end: int


class WorkInfo(_Model):
    """Basic facts about the work."""

    title: str | None = None
    authors: list[str] = []
    words: int = Field(description="Words of story text (notes and front matter excluded).")
    chapters: list[ChapterInfo]


class Reason(_Model):
    """One structured reason a detector gave: which rule or model head, how strongly, on what text."""

    detector: str
    rule: str = Field(description="The cue rule's label, or the learned model's head (its category).")
    score: float = Field(description="The rule's weight or the model's probability, 0..1.")
    spans: list[tuple[int, int]] = Field(
        default_factory=list, description="Supporting text as [char_start, char_end] offsets (no quotes).")


class Suppressed(_Model):
    """A cue that matched but was not counted, and why (shown by --explain as 'not reported because')."""

    category: str
    detector: str
    rule: str
    because: str = Field(description="negation, figurative, forbids, requires, who or not_who.")
    char_start: int
    char_end: int


class Location(_ExplainedModel):
    """One place in the story where a finding occurs (neighbouring passages merged)."""

    chapter: int = Field(description="1-based chapter number (matches work.chapters[].index).")
    scene: int = Field(1, description="1-based scene number within the chapter (scenes are split by scene breaks).")
    paragraph_start: int = Field(description="0-based index of the first story paragraph.")
    paragraph_end: int = Field(description="0-based index of the last story paragraph (inclusive).")
    char_start: int
    char_end: int
    position: float = Field(ge=0, le=1, description="Where in the story, 0 = start, 1 = end.")
    severity: _SeverityName = Field(title="Severity")
    quote: str | None = Field(None, description="Short evidence quote; only with --spoilers.")
    detectors: list[str] = Field(default_factory=list, description="Detectors that produced this location.")
    explanation: str | None = Field(None, description="Why the detectors fired (cue classes); only with --explain.")
    reasons: list[Reason] | None = Field(
        None, description="Why the detectors fired, one entry per rule or model head; only with --explain.")

    _explain_only = ("reasons",)


class Finding(_Model):
    """One category found in the work."""

    category: str = Field(description="Taxonomy id.")
    group: str
    name: str
    severity: _SeverityName = Field(title="Severity", description="Highest severity over all locations.")
    confidence: float = Field(ge=0, le=1)
    locations: list[Location]


class Suggested(_Model):
    """Labels derived from the findings."""

    ao3_rating: str
    ffn_rating: str
    ao3_warnings: list[str]


class UnderWarning(_Model):
    """A category found above what the author declared."""

    kind: Literal["rating", "archive-warning", "category"] = Field(
        description="What is under-declared: the rating, an AO3 archive warning, or a category not warned for.")
    category: str
    declared: str = Field(description="What was declared, in words (e.g. 'Rated T, no archive warnings').")
    note: str


class DeclaredNotFound(_Model):
    """An archive warning the author declared that forewarn's findings do not support."""

    warning: str = Field(
        description="The AO3 archive warning as forewarn knows it, e.g. 'Graphic Depictions Of Violence'.")
    categories: list[str] = Field(description="Taxonomy ids a reader should expect from this warning.")
    note: str = Field(description="In words: declared by the author, not found by forewarn.")


class VerdictDeclared(_Model):
    """An avoided category the author declared (an archive warning), whatever forewarn found."""

    category: str
    warning: str


class VerdictLocation(_Model):
    """Where an avoided category first appears."""

    category: str
    severity: _SeverityName = Field(title="Severity")
    chapter: int
    position: float


class Verdict(_Model):
    """The report held against a reader's avoid-list."""

    status: Literal["not-safe", "safe-until", "nothing-detected"]
    safe_until_chapter: int | None = Field(None, description="With status safe-until: chapters before this one are clear.")
    summary: str
    hits: list[VerdictLocation] = []
    declared: list[VerdictDeclared] = Field(
        default_factory=list, exclude_if=_empty,
        description="Avoided categories the author declared; they make the status not-safe.")
    avoid: dict[str, _SeverityName] = Field(description="The avoid-list used: category -> minimum severity.")


class Support(_Model):
    """One neutral line of support resources, shown when self-harm or suicide is found."""

    text: str
    url: str


class DetectorInfo(_Model):
    """A detector that read the work."""

    name: str
    version: str


class Report(_ExplainedModel):
    """Everything forewarn found in one work."""

    schema_version: str = SCHEMA_VERSION
    forewarn_version: str
    source: Source
    work: WorkInfo
    declared: Declared
    findings: list[Finding]
    suggested: Suggested
    under_warning: list[UnderWarning] = []
    declared_not_found: list[DeclaredNotFound] = Field(
        default_factory=list, exclude_if=_empty,
        description="Archive warnings the author declared that forewarn did not find.")
    verdict: Verdict | None = None
    support: Support | None = None
    detectors: list[DetectorInfo] = []
    notices: list[str] = Field(default_factory=list, description="Reader warnings, e.g. legacy encoding guessed.")
    limits: str = Field(description="What the detector cannot promise, in one sentence.")
    suppressed: list[Suppressed] | None = Field(
        None, description="Cue matches the detectors set aside (negated, figurative...); only with --explain.")

    _explain_only = ("suppressed",)

    def __repr__(self) -> str:
        words = f"{self.work.words:,} words"
        return (f"<Report {self.work.title or self.source.path or 'untitled'!r}: {words}, "
                f"{len(self.findings)} finding{'s' if len(self.findings) != 1 else ''}"
                f"{': ' + ', '.join(self.categories) if self.findings else ''}>")

    def __iter__(self) -> Iterator[Finding]:  # type: ignore[override]
        """The findings, in taxonomy order."""
        return iter(self.findings)

    def __len__(self) -> int:
        """The number of findings."""
        return len(self.findings)

    def __bool__(self) -> bool:
        """Always true: a report with no findings is still a report (nothing detected is not 'no report')."""
        return True

    def __getitem__(self, category: str) -> Finding:
        """The finding for one category id (``report["self-harm"]``); KeyError when it was not found."""
        found = self.finding(category)
        if found is None:
            raise KeyError(category)
        return found

    def __contains__(self, category: object) -> bool:
        """Whether a category id was found (``"self-harm" in report``)."""
        return any(f.category == category for f in self.findings)

    @property
    def categories(self) -> list[str]:
        """The ids of the categories found, in taxonomy order."""
        return [f.category for f in self.findings]

    def to_json(self, indent: int | None = 2) -> str:
        """The report as JSON text."""
        return self.model_dump_json(indent=indent)

    def to_dict(self) -> dict:
        """The report as plain JSON-compatible data."""
        return json.loads(self.model_dump_json())

    def finding(self, category: str) -> Finding | None:
        """The finding for one category, or None."""
        return next((f for f in self.findings if f.category == category), None)


def report_json_schema() -> dict:
    """The JSON Schema of the Report, as committed in docs/report-schema.json."""
    schema = Report.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = f"https://forewarn.invalid/report-{SCHEMA_VERSION}.json"
    return schema

"""The model of ``data/messages.toml``: every sentence a reader sees, with its ``{fields}`` checked."""

from __future__ import annotations

from .loader import DataModel
from .types import CategoryId, FreeTemplate, Template

# Message types: a string that may use only these {fields}.
_ChapterFoundText = Template("chapter", "found")
_ChaptersText = Template("chapters")
_DeclaredText = Template("declared")
_FoundChapterPositionText = Template("found", "chapter", "position")
_LeadFoundText = Template("lead", "found")
_ListedText = Template("listed")
_NameSeverityWhereText = Template("name", "severity", "where")
_RatingText = Template("rating")
_RatingNoteText = Template("rating", "name", "severity", "where", "ao3_rating", "ffn_rating")
_WarningText = Template("warning")
_WarningCategoriesText = Template("warning", "categories")
_WarningsText = Template("warnings")
_PlainText = Template()


class SupportMessage(DataModel):
    """``[support]``: one neutral line of support resources, shown when these categories are found."""

    categories: frozenset[CategoryId]
    text: _PlainText
    url: str


class LimitsMessage(DataModel):
    """``[limits]``: what the detector cannot promise, in one sentence."""

    text: _PlainText


class VerdictMessages(DataModel):
    """``[verdict]``: the summary of a report held against a reader's avoid-list."""

    nothing_detected: _ListedText
    safe_until: _ChapterFoundText
    not_safe: _FoundChapterPositionText
    declared: _DeclaredText
    declared_item: _WarningCategoriesText
    also_found: _FoundChapterPositionText


class DeclaredMessages(DataModel):
    """``[declared]``: what the author declared, in short phrases, and declared-but-not-found."""

    rated: _RatingText
    chose_not_to_warn: _PlainText
    warnings: _WarningsText
    no_warnings: _PlainText
    not_found: _PlainText


class UnderWarningMessages(DataModel):
    """``[under_warning]``: notes where what the author declared is below what forewarn found."""

    rating: _RatingNoteText
    archive_warning: _WarningText
    category: _LeadFoundText
    category_found: _NameSeverityWhereText
    lead: _PlainText
    lead_chose_not_to_warn: _PlainText
    one_chapter: _ChaptersText
    several_chapters: _ChaptersText
    and_later: _PlainText


class MessagesFile(DataModel):
    """``messages.toml``. ``[cli]`` is a free table of the command line's sentences."""

    support: SupportMessage
    limits: LimitsMessage
    verdict: VerdictMessages
    declared: DeclaredMessages
    under_warning: UnderWarningMessages
    cli: dict[str, FreeTemplate] = {}

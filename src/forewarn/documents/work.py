"""The document model every reader produces: a Work with chapters, scenes and paragraphs.

All offsets are 0-based, end-exclusive character offsets into ``Work.text``. For plain-text
input ``Work.text`` is the decoded file with any BOM removed and CRLF/CR turned into LF, so an
offset in a report points back at the same spot in the file. For structured formats (HTML,
EPUB, DOCX, Markdown) ``Work.text`` is the extracted text, paragraphs separated by blank lines.

Story paragraphs live in ``Work.paragraphs``; author's notes, disclaimers, summaries and
front/back matter live in ``Work.notes`` and are never scored as story.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from . import Declared

__all__ = ["Chapter", "Declared", "Note", "Paragraph", "Work", "WorkBuilder"]


@dataclass(frozen=True, slots=True)
class Chapter:
    """A chapter (or act, part, story in a collection) of the work."""

    index: int
    title: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Paragraph:
    """One story paragraph; ``index`` counts story paragraphs across the whole work from 0."""

    index: int
    chapter: int
    scene: int
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Note:
    """Text that is not story: an author's note, disclaimer, summary, preface or licence."""

    kind: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Work:
    """A story as read from one file or text: its text, structure and declared metadata.

    Frozen: a reader builds it complete (``with_source`` gives a copy with where it came from).
    """

    text: str
    chapters: list[Chapter]
    paragraphs: list[Paragraph]
    notes: list[Note] = field(default_factory=list)
    declared: Declared = field(default_factory=Declared)
    title: str | None = None
    authors: list[str] = field(default_factory=list)
    source_format: str = "text"
    source_path: str | None = None
    reader_warnings: list[str] = field(default_factory=list)
    encoding: str | None = None

    def with_source(self, *, path: str | None = None, encoding: str | None = None,
                    notices: list[str] | tuple[str, ...] = ()) -> Work:
        """A copy that also says where the text came from: the file path, the encoding it was decoded
        with, and the decoder's notices (put before the reader's own)."""
        return replace(
            self,
            source_path=path if path is not None else self.source_path,
            encoding=encoding if encoding is not None else self.encoding,
            reader_warnings=[*notices, *self.reader_warnings],
        )

    def paragraph_text(self, paragraph: Paragraph) -> str:
        """The text of one paragraph."""
        return self.text[paragraph.start : paragraph.end]

    def story_words(self) -> int:
        """Number of words in the story paragraphs (notes excluded)."""
        return sum(len(self.text[p.start : p.end].split()) for p in self.paragraphs)


class WorkBuilder:
    """Assembles a Work from blocks of extracted text (used by the structured-format readers).

    Paragraphs are joined with a blank line; offsets are computed as text is appended, so they
    are always consistent with ``Work.text``.
    """

    def __init__(self, source_format: str) -> None:
        self._parts: list[str] = []
        self._length = 0
        self._chapters: list[tuple[str, int]] = []
        self._paragraphs: list[tuple[int, int, int, int]] = []
        self._notes: list[Note] = []
        self._scene = 0
        self.source_format = source_format
        self.declared = Declared()
        self.title: str | None = None
        self.authors: list[str] = []
        self.reader_warnings: list[str] = []

    def _append(self, text: str) -> tuple[int, int]:
        if self._parts:
            self._parts.append("\n\n")
            self._length += 2
        start = self._length
        self._parts.append(text)
        self._length += len(text)
        return start, self._length

    def start_chapter(self, title: str) -> None:
        """Begin a new chapter; its title is recorded but not scored."""
        self._chapters.append((title.strip(), self._length + (2 if self._parts else 0)))
        self._scene = 0
        if title.strip():
            self._append(title.strip())

    def scene_break(self) -> None:
        """Mark a scene break before the next paragraph."""
        if self._paragraphs and self._paragraphs[-1][0] == len(self._chapters) - 1:
            self._scene += 1

    def add_paragraph(self, text: str) -> None:
        """Append one story paragraph (blank text is ignored)."""
        text = text.strip()
        if not text:
            return
        if not self._chapters:
            self._chapters.append(("", self._length + (2 if self._parts else 0)))
        start, end = self._append(text)
        self._paragraphs.append((len(self._chapters) - 1, self._scene, start, end))

    def add_note(self, kind: str, text: str) -> None:
        """Append a non-story block (author's note, summary, disclaimer, ...)."""
        text = text.strip()
        if text:
            start, end = self._append(text)
            self._notes.append(Note(kind, start, end))

    def build(self, source_path: str | None = None) -> Work:
        """Finish the Work."""
        text = "".join(self._parts)
        starts = [s for _, s in self._chapters]
        starts = [min(s, len(text)) for s in starts]
        chapters = [
            Chapter(i, title, start, max(start, starts[i + 1] - 2) if i + 1 < len(starts) else len(text))
            for i, (title, _) in enumerate(self._chapters)
            for start in (starts[i],)
        ]
        paragraphs = [Paragraph(i, c, s, a, b) for i, (c, s, a, b) in enumerate(self._paragraphs)]
        return Work(
            text=text,
            chapters=chapters,
            paragraphs=paragraphs,
            notes=self._notes,
            declared=self.declared,
            title=self.title,
            authors=self.authors,
            source_format=self.source_format,
            source_path=source_path,
            reader_warnings=self.reader_warnings,
        )

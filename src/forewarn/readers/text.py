"""Plain text (plain, FanFiction.Net style, Project Gutenberg, Markdown) -> Work.

``Work.text`` is the normalized file text itself; paragraphs, notes and chapters are offsets
into it. A paragraph is a maximal run of non-blank lines (or one line, for texts that put each
paragraph on one line with no blank lines). Heading lines, scene-break lines, author's notes
and Gutenberg header/licence are never story paragraphs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import NamedTuple

from ..documents.work import Chapter, Declared, Note, Paragraph, Work
from ..errors import InputError
from .config import compiled, heading_patterns, is_scene_break, text_setting
from .decode import SUPPORTED
from .notes import note_kind, read_declared
from .titlepage import gutenberg_meta, title_page

_DIVISIONS = ("volume", "book")
_NOT_WORD = re.compile(r"[^\w\s]")
_SENTENCE_END = re.compile(r"[.!?…]['\"”’)]*$")


@dataclass(slots=True)
class _Block:
    """A run of non-blank lines: (start, end) of the stripped content, and its lines."""

    start: int
    end: int
    lines: list[tuple[int, int]]
    blanks_before: int
    # paragraph | heading | break | contents | caps | matter | illustration | end | back | division-note
    kind: str = "paragraph"
    rank: int = 0
    label: str = ""
    title: str = ""
    rest: list[tuple[int, int]] | None = None
    division: bool = False
    key: str = ""  # what a contents entry and its chapter heading share ("chapter iv")
    worded: bool = False  # a heading with a word ("CHAPTER X", "ACT II"), not a bare numeral
    inner: str | None = None  # the heading line found inside an illustration ("Chapter I.")


class _HeadingMatch(NamedTuple):
    """What a heading line says: see the fields of the same names on :class:`_Block`."""

    rank: int
    label: str
    title: str
    division: bool
    key: str
    worded: bool


@dataclass(slots=True)
class _Heading:
    rank: int
    label: str
    title: str
    start: int


@dataclass(slots=True)
class _Builder:
    """Collects chapters, paragraphs and notes while walking the blocks in order."""

    text: str
    chapters: list[Chapter] = field(default_factory=list)
    paragraphs: list[Paragraph] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    scene: int = 0
    scene_open: bool = False

    def chapter(self, title: str, start: int) -> None:
        self.chapters.append(Chapter(len(self.chapters), title, start, start))
        self.scene, self.scene_open = 0, False

    def scene_break(self) -> None:
        if self.scene_open:
            self.scene += 1
            self.scene_open = False

    def paragraph(self, start: int, end: int) -> None:
        self.paragraphs.append(
            Paragraph(len(self.paragraphs), len(self.chapters) - 1, self.scene, start, end)
        )
        self.scene_open = True


def _lines(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """(start, end) of each line of text[start:end], without the newline."""
    spans = []
    position = start
    while position <= end:
        newline = text.find("\n", position, end)
        if newline < 0:
            spans.append((position, end))
            break
        spans.append((position, newline))
        position = newline + 1
    return spans


def _strip_span(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _blocks(text: str, start: int, end: int) -> list[_Block]:
    """Group lines into blocks; split every line apart in texts with (almost) no blank lines."""
    lines = _lines(text, start, end)
    blank = [not text[a:b].strip() for a, b in lines]
    nonblank = len(blank) - sum(blank)
    first = blank.index(False) if nonblank else 0
    last = len(blank) - blank[::-1].index(False) if nonblank else 0
    inner_blank = sum(blank[first:last])
    per_line = nonblank >= 3 and inner_blank < text_setting("line_per_paragraph_blank_ratio") * nonblank
    blocks: list[_Block] = []
    run: list[tuple[int, int]] = []
    blanks = 0

    def flush() -> None:
        nonlocal run, blanks
        if run:
            a, b = _strip_span(text, run[0][0], run[-1][1])
            blocks.append(_Block(a, b, run, blanks))
            run, blanks = [], 0

    for span, is_blank in zip(lines, blank):
        if is_blank:
            flush()
            blanks += 1
        else:
            run.append(span)
            if per_line:
                flush()
    flush()
    return blocks


def _clean_title(line: str) -> str:
    return " ".join(line.split()).strip("“”\"‘ ").rstrip(".;").strip()


def _key(label: str) -> str:
    """"CHAPTER IV." and "Chapter IV" share the key "chapter iv"."""
    return " ".join(_NOT_WORD.sub(" ", label.casefold()).split())


def _match_heading(line: str, single: bool, markdown: bool) -> _HeadingMatch | None:
    """The heading's rank, label, title, ... if ``line`` is a heading line."""
    if markdown and len(line) <= text_setting("markdown_heading_max_chars"):
        atx = compiled("text.markdown", "heading").match(line)
        if atx:
            title = _clean_title(atx.group(2))
            return _HeadingMatch(len(atx.group(1)), title, title, False, _key(title), True)
    if len(line) > text_setting("heading_max_chars"):
        return None
    for pattern in heading_patterns():
        if pattern.kind == "numbered" and not single:
            continue
        match = pattern.regex.match(line)
        if match:
            title = _clean_title(line)
            label = title if pattern.kind == "numbered" else _clean_title(match.group("label"))
            numbered = pattern.kind == "numbered"
            return _HeadingMatch(
                pattern.rank, label, title, pattern.kind in _DIVISIONS, _key(match.group("label")), not numbered
            )
    return None


def _classify(text: str, blocks: list[_Block], markdown: bool) -> None:
    """Mark headings, scene breaks, contents blocks and caps-title candidates."""
    caps = compiled("text.caps_title", "pattern")
    matter = compiled("text.caps_title", "front_matter", re.I)
    end = compiled("text.caps_title", "back_matter", re.I)
    _mark_illustrations(text, blocks, end)
    previous_number = 0  # of the last bare-numeral heading: "X" after "IX" is chapter X, not a scene break
    for block in blocks:
        if block.kind in ("illustration", "end"):
            continue
        first = block.inner or text[block.lines[0][0] : block.lines[0][1]].strip()
        single = len(block.lines) == 1 or block.inner is not None
        if single and end.match(first):
            block.kind = "end"
            continue
        heading = _match_heading(first, single, markdown)
        expected = False
        if heading is not None and not heading.worded:
            value = _numeral_value(heading.key)
            expected = value is not None and value == previous_number + 1
            previous_number = value or previous_number
        if (
            single
            and not expected
            and is_scene_break(first)
            and not (markdown and first.startswith("#") and len(first) > 1 and first[1:2] == " ")
        ):
            block.kind = "break"
            continue
        if not single and len(block.lines) >= 3:
            hits = sum(
                1
                for a, b in block.lines
                if _match_heading(text[a:b].strip(), True, markdown) or matter.match(text[a:b].strip())
            )
            if hits >= 0.8 * len(block.lines):
                block.kind = "contents"
                continue
        if heading is not None:
            block.kind, block.rank, block.label, block.title = "heading", heading.rank, heading.label, heading.title
            block.division, block.key, block.worded = heading.division, heading.key, heading.worded
            if not single:
                _split_heading(text, block)
            continue
        if single and matter.match(first):
            block.kind, block.rank, block.title = "matter", 2, _clean_title(first)
        elif single and caps.match(first) and len(first) <= text_setting("subtitle_max_chars"):
            block.kind, block.label, block.title = "caps", _clean_title(first), _clean_title(first)
            block.key, block.worded = _key(block.title), True


def _mark_illustrations(text: str, blocks: list[_Block], end: re.Pattern[str]) -> None:
    """Illustration markers are notes, also when they span several blocks ("[Illustration:" ...
    "]"). A heading drawn into one as its last line ("[Illustration: ·TITLE· / Chapter I.]")
    is kept as the heading; "[Illustration: THE / END ]" marks the end of the story."""
    start = compiled("text", "illustration")
    longest = int(text_setting("illustration_max_blocks"))
    index = 0
    while index < len(blocks):
        block = blocks[index]
        if not start.match(text[block.start : block.end]):
            index += 1
            continue
        group = [block]
        depth = _bracket_depth(text[block.start : block.end])
        while depth > 0 and index + len(group) < len(blocks) and len(group) < longest:
            following = blocks[index + len(group)]
            group.append(following)
            depth += _bracket_depth(text[following.start : following.end])
        inner = " ".join(text[group[0].start : group[-1].end].split())[1:].rstrip("]").partition(":")[2].strip()
        for member in group:
            member.kind = "end" if end.match(inner) else "illustration"
        last = group[-1]
        bare = text[last.lines[-1][0] : last.lines[-1][1]].strip().rstrip("]").strip(" _")
        heading = _match_heading(bare, True, False) if len(group) > 1 or len(last.lines) > 1 else None
        if heading is not None and heading.worded:
            last.kind, last.inner = "paragraph", bare
        index += len(group)


def _bracket_depth(chunk: str) -> int:
    return chunk.count("[") - chunk.count("]")


_ROMAN = {"i": 1, "v": 5, "x": 10, "l": 50, "c": 100, "d": 500, "m": 1000}


def _numeral_value(numeral: str) -> int | None:
    """12 for "12" or "xii"; None for anything else."""
    if numeral.isdigit():
        return int(numeral)
    if not numeral or any(c not in _ROMAN for c in numeral):
        return None
    values = [_ROMAN[c] for c in numeral]
    return sum(-v if i + 1 < len(values) and v < values[i + 1] else v for i, v in enumerate(values))


def _split_heading(text: str, block: _Block) -> None:
    """A heading line glued to text below it: keep the heading, the rest is a new block."""
    (a, b), rest = block.lines[0], block.lines[1:]
    second = text[rest[0][0] : rest[0][1]].strip()
    if len(rest) == 1 and len(second) <= text_setting("subtitle_max_chars") and not _SENTENCE_END.search(second):
        block.title = _join_title(block.title, second)
        return
    block.start, block.end = _strip_span(text, a, b)
    block.lines = [(a, b)]
    block.label = block.label or block.title
    block.rest = rest


def _join_title(title: str, subtitle: str) -> str:
    subtitle = _clean_title(subtitle)
    return f"{title} {subtitle}" if title.endswith((":", "—", "-")) else f"{title}: {subtitle}"


def _expand(text: str, blocks: list[_Block]) -> list[_Block]:
    """Insert the paragraph that followed a glued heading as its own block."""
    out: list[_Block] = []
    for block in blocks:
        out.append(block)
        if block.rest:
            a, b = _strip_span(text, block.rest[0][0], block.rest[-1][1])
            out.append(_Block(a, b, block.rest, 0))
    return out


def _resolve_caps(blocks: list[_Block], work_title: str | None) -> None:
    """ALL-CAPS lines set off by blank lines are story titles only when a collection has several
    different ones. The work's own title and title-page lines before the first numbered heading
    (unless a heading follows them directly) do not count."""
    title = _clean_title(work_title or "").casefold()
    first_heading = next((i for i, b in enumerate(blocks) if b.kind == "heading"), -1)
    candidates = [
        b
        for i, b in enumerate(blocks)
        if b.kind == "caps"
        and b.blanks_before >= text_setting("caps_title_min_blanks")
        and b.title.casefold() != title
        and i + 1 < len(blocks)
        and (blocks[i + 1].kind == "heading" or (blocks[i + 1].kind == "paragraph" and i > first_heading))
    ]
    counted = {b.title for b in candidates if b.blanks_before >= text_setting("caps_title_count_blanks")}
    chosen = {id(b) for b in candidates} if len(counted) >= text_setting("caps_title_min_count") else set()
    for block in blocks:
        if block.kind == "caps":
            block.kind, block.rank = ("heading", 2) if id(block) in chosen else ("paragraph", 0)


def _merge_subtitles(text: str, blocks: list[_Block]) -> list[_Block]:
    """A short unpunctuated line right under a heading (illustrations aside) is its subtitle
    ("The Maiden"); an ALL-CAPS one may be as long as a heading."""
    out: list[_Block] = []
    previous: _Block | None = None  # the last block kept that is not an illustration
    for block in blocks:
        line = text[block.start : block.end]
        longest = text_setting("heading_max_chars" if line.isupper() else "subtitle_max_chars")
        if (
            previous is not None
            and previous.kind == "heading"
            and block.kind in ("paragraph", "caps")
            and (block.blanks_before < 4 or previous.title.endswith(":"))
            and len(block.lines) == 1
            and len(line) <= longest
            and not _SENTENCE_END.search(line)
            and not previous.rest
        ):
            previous.title = _join_title(previous.title, line)
            continue
        out.append(block)
        if block.kind != "illustration":
            previous = block
    return out


def _demote_inner_divisions(blocks: list[_Block]) -> None:
    """A BOOK/VOLUME line inside a chapter that is followed by story text is part of the story."""
    previous_rank = None
    for i, block in enumerate(blocks):
        if block.kind != "heading":
            continue
        following = blocks[i + 1] if i + 1 < len(blocks) else None
        if (
            block.division
            and previous_rank is not None
            and previous_rank > block.rank
            and following is not None
            and following.kind == "paragraph"
        ):
            block.kind = "paragraph"
            continue
        previous_rank = block.rank


def _drop_repeated_contents(text: str, blocks: list[_Block]) -> None:
    """A heading that comes back later with next to no story in between (a contents list that
    repeats the chapter headings, with page numbers or one entry per line) opens a contents
    list: it and every block up to its second appearance are front matter. The list's first
    headings (two or more) must come back in the same order (a play's "SCENE I" of the next act
    does not)."""
    per_entry = text_setting("contents_entry_max_words")
    headings = [i for i, b in enumerate(blocks) if b.kind == "heading" and b.key]
    next_same: dict[int, int] = {}
    last_seen: dict[str, int] = {}
    for i in reversed(headings):
        if blocks[i].key in last_seen:
            next_same[i] = last_seen[blocks[i].key]
        last_seen[blocks[i].key] = i
    ordinal = {i: n for n, i in enumerate(headings)}
    heading_count = [0]
    story_words = [0]
    for block in blocks:
        heading_count.append(heading_count[-1] + (block.kind == "heading"))
        words = len(text[block.start : block.end].split()) if block.kind in ("paragraph", "caps") else 0
        story_words.append(story_words[-1] + words)
    resume = 0
    for i in headings:
        again = next_same.get(i)
        if i < resume or again is None:
            continue
        entries = heading_count[again] - heading_count[i]
        if story_words[again] - story_words[i] > per_entry * entries:
            continue
        listed = _listed_keys(text, blocks[i:again])
        repeated = [blocks[h].key for h in headings[ordinal[again] : ordinal[again] + len(listed)]]
        if len(listed) == text_setting("contents_check_entries") and listed == repeated:
            for block in blocks[i:again]:
                if block.kind in ("heading", "paragraph", "caps"):
                    block.kind = "contents"
            resume = again


def _nest_titled_numerals(blocks: list[_Block]) -> None:
    """Titled numeral headings of which one is followed at once by a bare one ("I. A SCANDAL IN
    BOHEMIA" / "I." / story) are the stories of a collection whose parts are numbered: every
    titled one encloses the bare numerals after it."""

    def titled(block: _Block) -> bool:
        return block.kind == "heading" and not block.worded and _key(block.title) != block.key

    def bare(block: _Block) -> bool:
        return block.kind == "heading" and not block.worded and _key(block.title) == block.key

    if not any(titled(a) and bare(b) and a.rank == b.rank for a, b in zip(blocks, blocks[1:])):
        return
    rank = min(b.rank for b in blocks if bare(b))
    for block in blocks:
        if titled(block) and block.rank == rank:
            block.rank -= 1


def _drop_inner_numerals(blocks: list[_Block]) -> None:
    """In a book with worded chapter headings ("CHAPTER 89"), a numbered line such as
    "II. A Loose-Fish is fair game." is a list item in the story, not a chapter."""
    enough = text_setting("worded_chapters_min")
    worded: dict[int, int] = {}
    for block in blocks:
        if block.kind == "heading" and block.worded:
            worded[block.rank] = worded.get(block.rank, 0) + 1
    for block in blocks:
        if block.kind == "heading" and not block.worded and worded.get(block.rank, 0) >= enough:
            block.kind = "paragraph"


def _listed_keys(text: str, blocks: list[_Block]) -> list[str]:
    """The first heading keys of a contents region, counting the lines of contents blocks."""
    count = int(text_setting("contents_check_entries"))
    keys: list[str] = []
    for block in blocks:
        if block.kind == "heading":
            keys.append(block.key)
        elif block.kind == "contents":
            for a, b in block.lines:
                match = _match_heading(text[a:b].strip(), True, False)
                if match is not None:
                    keys.append(match.key)
        if len(keys) >= count:
            break
    return keys[:count]


def _mark_back_matter(blocks: list[_Block]) -> None:
    """After "THE END" only a worded heading ("CHAPTER X", "BOOK II") opens more story; bare
    numerals there (transcriber's notes, errata) and the text under them are back matter."""
    back = False
    for block in blocks:
        if block.kind == "end":
            back = True
        elif back and block.kind == "heading" and block.worded:
            back = False
        elif back:
            block.kind = "back"


def _mark_division_notes(text: str, blocks: list[_Block]) -> None:
    """An imprint line between a division heading and its first chapter heading ("IVAN THE FOOL"
    / "Copyright, 1891, by ..." / "CHAPTER I") belongs to the division's title page, not to a
    chapter of its own (other short text there, such as a play's chorus, stays story)."""
    most = text_setting("division_note_max_words")
    imprint = compiled("text", "division_note", re.I)
    for i, block in enumerate(blocks):
        if block.kind != "heading":
            continue
        j = i + 1
        while j < len(blocks) and blocks[j].kind in ("paragraph", "illustration"):
            j += 1
        between = blocks[i + 1 : j]
        prose = [text[b.start : b.end] for b in between if b.kind == "paragraph"]
        words = sum(len(p.split()) for p in prose)
        following = blocks[j] if j < len(blocks) else None
        if prose and words <= most and all(imprint.match(p) for p in prose) and following is not None and following.kind == "heading" and following.rank > block.rank:
            for b in between:
                if b.kind == "paragraph":
                    b.kind = "division-note"


def _drop_empty_headings(blocks: list[_Block]) -> None:
    """Headings with no story before the next heading of the same or an outer rank (contents
    pages, "CHAPTER I" lists) are not chapters."""
    seen_story: dict[int, bool] = {}
    for block in reversed(blocks):
        if block.kind == "paragraph":
            seen_story = {rank: True for rank in range(8)}
        elif block.kind in ("heading", "matter"):
            if not seen_story.get(block.rank, False):
                block.kind = "contents"
                continue
            for rank in range(block.rank, 8):
                seen_story[rank] = False


def _gutenberg_bounds(text: str, builder: _Builder, work_meta: dict) -> tuple[int, int, bool]:
    """Story region inside the Gutenberg markers; header and licence become notes."""
    start_marker = compiled("gutenberg", "start", re.M).search(text)
    licence = compiled("gutenberg", "licence", re.M)
    lo, hi, found = 0, len(text), False
    if start_marker:
        newline = text.find("\n", start_marker.end())
        lo = len(text) if newline < 0 else newline + 1
        builder.notes.append(Note("front-matter", 0, start_marker.end()))
        found = True
        work_meta.update(gutenberg_meta(text[: start_marker.start()], text[start_marker.start() : lo]))
    end_marker = licence.search(text, lo)
    if end_marker:
        hi = end_marker.start()
        builder.notes.append(Note("licence", hi, len(text.rstrip())))
        found = True
    if not found and compiled("gutenberg", "marker").search(text[:3000]):
        found = True
    return lo, hi, found


def read_plain(text: str, *, markdown: bool = False, name: str = "the input") -> Work:
    """Build a Work from normalized plain text (``Work.text`` is ``text`` unchanged)."""
    if not text.strip():
        raise InputError(f"{name} is empty; give a story file with some text in it")
    builder = _Builder(text)
    meta: dict[str, str] = {}
    lo, hi, gutenberg = _gutenberg_bounds(text, builder, meta)
    blocks = _blocks(text, lo, hi)
    _classify(text, blocks, markdown)
    if not markdown and "title" not in meta:
        first = next((b.start for b in blocks if b.kind in ("heading", "contents")), hi)
        for key, value in title_page(text, lo, first).items():
            meta.setdefault(key, value)
    blocks = _expand(text, blocks)
    blocks = _merge_subtitles(text, blocks)
    _resolve_caps(blocks, meta.get("title"))
    _drop_repeated_contents(text, blocks)
    _drop_inner_numerals(blocks)
    _nest_titled_numerals(blocks)
    _mark_back_matter(blocks)
    _demote_inner_divisions(blocks)
    _mark_division_notes(text, blocks)
    title = meta.get("title")
    if markdown:
        title = _markdown_title(blocks) or title
    _drop_empty_headings(blocks)
    declared = Declared()
    is_ffn = _emit(text, blocks, builder, declared, gutenberg)
    if not builder.paragraphs:
        raise InputError(f"{name} has no story text that forewarn can read; {_HINT}")
    _close_chapters(builder, hi)
    builder.notes.sort(key=lambda note: note.start)
    source_format = "markdown" if markdown else "gutenberg" if gutenberg else "ffn-text" if is_ffn else "text"
    return Work(
        text=text,
        chapters=builder.chapters,
        paragraphs=builder.paragraphs,
        notes=builder.notes,
        declared=declared,
        title=title,
        authors=[meta["author"]] if "author" in meta else [],
        source_format=source_format,
    )


_HINT = f"check that it is a story ({SUPPORTED})"
_NOTE_KINDS = {
    "illustration": "illustration",
    "end": "back-matter",
    "back": "back-matter",
    "division-note": "front-matter",
}


def _markdown_title(blocks: list[_Block]) -> str | None:
    """One top-level ``#`` heading first, above other headings, is the work's title."""
    headings = [b for b in blocks if b.kind == "heading"]
    top = [b for b in headings if b.rank == 1]
    if len(top) == 1 and headings[0] is top[0] and len(headings) > 1:
        top[0].kind = "matter-title"
        return top[0].title
    return None


def _emit(text: str, blocks: list[_Block], builder: _Builder, declared: Declared, gutenberg: bool) -> bool:
    """Walk the classified blocks, filling the builder; return whether FFN-style notes were seen."""
    stack: list[_Heading] = []
    pending: _Heading | None = None
    matter = False
    ffn = False
    has_headings = any(b.kind == "heading" for b in blocks)
    pre_story: list[_Block] = []
    blank_break = int(text_setting("scene_break_blank_lines"))
    for block in blocks:
        if block.kind == "heading":
            while stack and stack[-1].rank >= block.rank:
                stack.pop()
            leaf = _Heading(block.rank, block.label, block.title, block.start)
            stack.append(leaf)
            pending, matter = leaf, False
            continue
        if block.kind in ("matter", "matter-title", "contents"):
            builder.notes.append(Note("front-matter", block.start, block.end))
            matter = block.kind == "matter"
            continue
        if block.kind in _NOTE_KINDS:
            builder.notes.append(Note(_NOTE_KINDS[block.kind], block.start, block.end))
            continue
        if block.kind == "break":
            builder.scene_break()
            continue
        if matter:
            builder.notes.append(Note("front-matter", block.start, block.end))
            continue
        paragraph = text[block.start : block.end]
        kind = None if gutenberg else note_kind(paragraph)
        if kind is not None:
            ffn = True
            builder.notes.append(Note(kind, block.start, block.end))
            read_declared(paragraph, declared)
            continue
        if pending is not None:
            if pre_story:
                _settle_pre_story(builder, pre_story, gutenberg)
                pre_story = []
            title = ", ".join([h.label for h in stack[:-1]] + [pending.title])
            builder.chapter(title, pending.start)
            pending = None
        elif not builder.chapters and has_headings:
            pre_story.append(block)
            continue
        elif not builder.chapters:
            builder.chapter("", block.start)
        if block.blanks_before >= blank_break:
            builder.scene_break()
        builder.paragraph(block.start, block.end)
    if pre_story:
        _settle_pre_story(builder, pre_story, gutenberg, force_story=not builder.chapters)
    return ffn


def _settle_pre_story(builder: _Builder, blocks: list[_Block], gutenberg: bool, force_story: bool = False) -> None:
    """Text before the first heading: front matter if short (or Gutenberg), else chapter 0."""
    words = sum(len(builder.text[b.start : b.end].split()) for b in blocks)
    if not force_story and (gutenberg or words < text_setting("front_matter_max_words")):
        builder.notes.extend(Note("front-matter", b.start, b.end) for b in blocks)
        return
    builder.chapter("", blocks[0].start)
    for block in blocks:
        builder.paragraph(block.start, block.end)


def _close_chapters(builder: _Builder, story_end: int) -> None:
    """Set each chapter's end to the next chapter's start (the last one ends with the story)."""
    chapters = builder.chapters
    last_end = max(builder.paragraphs[-1].end, len(builder.text[:story_end].rstrip()))
    builder.chapters = [
        Chapter(c.index, c.title, c.start, chapters[i + 1].start if i + 1 < len(chapters) else last_end)
        for i, c in enumerate(chapters)
    ]


def heading_title(line: str) -> str | None:
    """The chapter title if one line of text is a chapter heading (for formats without styles)."""
    match = _match_heading(line.strip(), True, False)
    return match[2] if match else None

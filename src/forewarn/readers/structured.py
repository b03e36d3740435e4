"""Turning parsed (X)HTML documents into a Work: the AO3 download layout, FanFicFare chapters
and generic books. Shared by the HTML and EPUB readers."""

from __future__ import annotations

from collections.abc import Iterable

import lxml.etree as etree

from ..documents.work import Declared, WorkBuilder
from .config import is_scene_break
from .limits import TextBudget
from .markup import Block, classes, clean_text, iter_blocks, local
from .notes import note_kind, read_declared

# AO3 note labels: the <p> before a blockquote.userstuff says what the note is.
_AO3_LABELS = {
    "summary": "summary",
    "notes": "author-note",
    "chapter summary": "summary",
    "chapter notes": "author-note",
    "chapter end notes": "author-note",
    "end notes": "author-note",
    "works inspired by this one": "back-matter",
}
_AO3_SKIP_CLASSES = {"message", "endnote-link", "toc-heading", "byline", "landmark"}
_AO3_FIELDS = {
    "fandom": "fandoms",
    "fandoms": "fandoms",
    "relationship": "relationships",
    "relationships": "relationships",
    "character": "characters",
    "characters": "characters",
    "additional tags": "tags",
}


def add_story_block(builder: WorkBuilder, text: str) -> None:
    """Add one block of story text: a scene break, an FFN-style note, or a paragraph."""
    if is_scene_break(text):
        builder.scene_break()
        return
    kind = note_kind(text)
    if kind is not None:
        builder.add_note(kind, text)
        read_declared(text, builder.declared)
        return
    builder.add_paragraph(text)


def body_of(root: etree._Element) -> etree._Element:
    """The <body> of a parsed document (the root itself when there is none)."""
    body = next(root.iter("body"), None)
    return root if body is None else body


def head_title(root: etree._Element) -> str | None:
    """Text of <head><title>, if any."""
    title = next(root.iter("title"), None)
    text = clean_text(title.text_content()) if title is not None else ""
    return text or None


# ----------------------------------------------------------------------------- AO3


def is_ao3(roots: Iterable[etree._Element]) -> bool:
    """Whether the documents have AO3's download layout (a preface with a tag list)."""
    for root in roots:
        for element in root.iter("div", "dl"):
            if element.get("id") == "preface" or (local(element.tag) == "dl" and "tags" in classes(element)):
                return True
    return False


def _ao3_tags(dl: etree._Element, declared: Declared) -> None:
    label = ""
    for child in dl:
        tag = local(child.tag)
        if tag == "dt":
            label = clean_text(child.text_content()).rstrip(":").casefold()
        elif tag == "dd":
            links = [clean_text(a.text_content()) for a in child.iter("a")]
            values = [v for v in links if v] or [clean_text(child.text_content())]
            values = [v for v in values if v]
            if label == "rating":
                declared.rating = ", ".join(values)
            elif label in ("archive warning", "archive warnings"):
                declared.warnings.extend(values)
                if any("not to use archive warnings" in v.casefold() for v in values):
                    declared.chose_not_to_warn = True
            elif label in _AO3_FIELDS:
                getattr(declared, _AO3_FIELDS[label]).extend(values)


def _ao3_context(element: etree._Element) -> tuple[str, bool, bool, bool]:
    """(section, in_quote, in_endnotes, skip) for a block element."""
    section, quote, endnotes, skip = "", False, False, False
    for node in (element, *element.iterancestors()):
        node_id = node.get("id") or ""
        names = classes(node)
        tag = local(node.tag)
        if names & _AO3_SKIP_CLASSES or (tag == "dl" and "tags" in names):
            skip = True
        if tag == "blockquote" and "userstuff" in names:
            quote = True
        if node_id.startswith("endnotes") or "end" in names and "notes" in names:
            endnotes = True
        if not section and node_id in ("preface", "chapters", "afterword"):
            section = node_id
    return section, quote, endnotes, skip


def read_ao3(roots: list[etree._Element], builder: WorkBuilder, budget: TextBudget) -> None:
    """Fill ``builder`` from AO3 download documents (one HTML file, or an EPUB's spine)."""
    for root in roots:
        for dl in root.iter("dl"):
            if "tags" in classes(dl):
                _ao3_tags(dl, builder.declared)
        for element in root.iter("div"):
            if "byline" in classes(element) and not builder.authors:
                names = [clean_text(a.text_content()) for a in element.iter("a")]
                builder.authors = [n for n in names if n]
    pending = "author-note"
    summary: list[str] = []
    for root in roots:
        for block in iter_blocks(body_of(root), budget):
            section, quote, endnotes, skip = _ao3_context(block.element)
            if skip or block.kind == "hr" and section != "chapters":
                continue
            if block.kind == "heading":
                if local(block.element.tag) == "h2" and "heading" in classes(block.element):
                    builder.start_chapter(block.text)
                elif local(block.element.tag) == "h1" and section == "preface" and builder.title is None:
                    builder.title = block.text
                continue
            if block.kind == "hr":
                builder.scene_break()
                continue
            label = _AO3_LABELS.get(block.text.casefold())
            if label and not quote:
                pending = label
                continue
            if quote or endnotes or section in ("preface", "afterword"):
                kind = pending if quote else "author-note" if endnotes else "back-matter"
                builder.add_note(kind, block.text)
                if kind == "summary" and section == "preface":
                    summary.append(block.text)
                continue
            add_story_block(builder, block.text)
    if summary:
        builder.declared.summary = "\n\n".join(summary)


# ----------------------------------------------------------------------------- FanFicFare


def read_fanficfare_title_page(root: etree._Element, builder: WorkBuilder) -> None:
    """Read ``<b>Label:</b> value<br/>`` lines of FanFicFare's title page into declared."""
    for bold in root.iter("b"):
        label = clean_text(bold.text_content()).rstrip(":").casefold()
        value = clean_text(bold.tail or "")
        if not value:
            continue
        values = [v.strip() for v in value.split(",") if v.strip()]
        declared = builder.declared
        if label == "rating":
            declared.rating = value
        elif label == "warnings":
            declared.warnings.extend(values)
            if "chose not to" in value.casefold() or "choose not to" in value.casefold():
                declared.chose_not_to_warn = True
        elif label == "characters":
            declared.characters.extend(values)
        elif label in ("relationships", "pairing", "ships"):
            declared.relationships.extend(values)
        elif label in ("category", "fandom", "fandoms"):
            declared.fandoms.extend(values)
        elif label in ("genre", "additional tags", "freeform tags", "tags"):
            declared.tags.extend(values)


def read_fanficfare_chapter(root: etree._Element, builder: WorkBuilder, budget: TextBudget) -> None:
    """One FanFicFare chapter file: its title heading, notes and story."""
    started = False
    for block in iter_blocks(body_of(root), budget):
        in_notes = any("fff_chapter_notes" in classes(node) for node in (block.element, *block.element.iterancestors()))
        if block.kind == "heading" and "fff_chapter_title" in classes(block.element):
            builder.start_chapter(block.text)
            started = True
            continue
        if not started:
            builder.start_chapter("")
            started = True
        if in_notes:
            builder.add_note("author-note", block.text)
        elif block.kind == "hr":
            builder.scene_break()
        elif block.kind == "text":
            add_story_block(builder, block.text)


# ----------------------------------------------------------------------------- generic


def read_generic(root: etree._Element, builder: WorkBuilder, *, chapter_per_document: bool,
                 budget: TextBudget) -> None:
    """A generic (X)HTML document: h1-h3 start chapters, <hr> and break lines are scene breaks."""
    blocks: list[Block] = list(iter_blocks(body_of(root), budget))
    has_heading = any(b.kind == "heading" and local(b.element.tag) in ("h1", "h2", "h3") for b in blocks)
    if chapter_per_document and not has_heading and any(b.kind == "text" for b in blocks):
        builder.start_chapter("")
    for block in blocks:
        if block.kind == "heading" and local(block.element.tag) in ("h1", "h2", "h3"):
            builder.start_chapter(block.text)
        elif block.kind == "hr":
            builder.scene_break()
        elif block.text:
            add_story_block(builder, block.text)

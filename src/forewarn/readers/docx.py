"""DOCX -> Work: ``Heading``/``Title`` styles (or heading-like lines) start chapters.

The body (``word/document.xml``) is streamed with ``lxml.etree.iterparse`` one paragraph at a time,
so memory stays bounded however large it unpacks; the text is charged to a :class:`TextBudget`.
XML is parsed without DTDs, entities or network, and a part that declares a DOCTYPE is refused.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import lxml.etree as etree

from ..documents.work import Work, WorkBuilder
from ..errors import InputError
from .html import finish
from .limits import ZIP_ERRORS, SafeZip, TextBudget
from .markup import refuse_entities
from .structured import add_story_block
from .text import heading_title

_HEADING_STYLE = re.compile(r"^(?:Heading [1-3]|Title)$", re.I)
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_DC = "{http://purl.org/dc/elements/1.1/}"
_BODY = "word/document.xml"
# A DOCTYPE (where entities are declared) must come before the root element, at the very start.
_PROLOGUE_BYTES = 65536
_RUN_TEXT = {f"{_W}t": None, f"{_W}tab": "\t", f"{_W}br": "\n", f"{_W}cr": "\n"}


def read_docx(data: bytes, name: str, max_chars: int) -> Work:
    """Build a Work from DOCX bytes (the zip is checked for bombs first; the body is streamed)."""
    book = SafeZip(data, name, "DOCX")
    if not book.has(_BODY):
        raise InputError(f"{name} is not a readable DOCX (word/document.xml is missing); re-download it")
    for member in book.names:
        if member.endswith(".xml"):
            _refuse_doctype(book, member)
    builder = WorkBuilder("docx")
    title, author = _core_properties(book)
    builder.title = title or None
    builder.authors = [author] if author else []
    styles = _style_names(book)
    budget = TextBudget(name, max_chars)
    try:
        for style_id, text in _paragraphs(book, budget):
            style = styles.get(style_id, style_id)
            if style == "Title" and builder.title is None:
                builder.title = text
                continue
            heading = heading_title(text)
            if _HEADING_STYLE.match(style) or heading is not None:
                builder.start_chapter(heading or text)
            else:
                add_story_block(builder, text)
    except (etree.XMLSyntaxError, *ZIP_ERRORS):
        raise InputError(f"{name} is not a readable DOCX (the file is damaged); open and save it again") from None
    return finish(builder, name)


def _refuse_doctype(book: SafeZip, member: str) -> None:
    head = book.head(member, _PROLOGUE_BYTES).decode("utf-8", errors="replace")
    refuse_entities(re.sub("<!DOCTYPE", "<!ENTITY", head, flags=re.I), book.name)


def _parser_options() -> dict:
    return {"resolve_entities": False, "no_network": True, "load_dtd": False, "huge_tree": False}


def _small_xml(book: SafeZip, member: str, root_tag: str) -> etree._Element | None:
    """A small part (styles, core properties) parsed whole; None when missing, refused when it is
    not the part it should be."""
    if not book.has(member):
        return None
    try:
        root = etree.fromstring(book.read(member), etree.XMLParser(recover=True, **_parser_options()))
    except etree.XMLSyntaxError:
        root = None
    if root is None or not isinstance(root.tag, str) or not root.tag.endswith(root_tag):
        raise book.corrupt()
    return root


def _core_properties(book: SafeZip) -> tuple[str, str]:
    root = _small_xml(book, "docProps/core.xml", "}coreProperties")
    if root is None:
        return "", ""
    title, creator = root.find(f"{_DC}title"), root.find(f"{_DC}creator")
    return (
        (title.text or "").strip() if title is not None else "",
        (creator.text or "").strip() if creator is not None else "",
    )


def _style_names(book: SafeZip) -> dict[str, str]:
    """Paragraph style id -> style name ("Heading1" -> "heading 1")."""
    root = _small_xml(book, "word/styles.xml", f"{_W}styles")
    names: dict[str, str] = {}
    for style in root.iter(f"{_W}style") if root is not None else ():
        name = style.find(f"{_W}name")
        if name is not None and style.get(f"{_W}styleId"):
            names[style.get(f"{_W}styleId")] = name.get(f"{_W}val") or ""
    return names


def _paragraph_text(paragraph: etree._Element) -> str:
    """Text of a paragraph's runs (also inside hyperlinks and insertions), as Word shows it."""
    parts = []
    for run in paragraph.iter(f"{_W}r"):
        if run.getparent() is not paragraph and run.getparent().getparent() is not paragraph:
            continue  # runs of nested text boxes are not the paragraph's own text
        for child in run:
            if child.tag in _RUN_TEXT:
                parts.append(child.text or "" if _RUN_TEXT[child.tag] is None else _RUN_TEXT[child.tag])
    return "".join(parts)


def _paragraphs(book: SafeZip, budget: TextBudget) -> Iterator[tuple[str, str]]:
    """(style id, stripped text) of each non-empty top-level body paragraph, streamed."""
    with book.open(_BODY) as stream:
        context = etree.iterparse(stream, events=("end",), tag=f"{_W}p", **_parser_options())
        for _, element in context:
            parent = element.getparent()
            if parent is None or parent.tag != f"{_W}body":
                continue  # paragraphs in tables and text boxes are not story paragraphs
            text = _paragraph_text(element).strip()
            style = element.find(f"{_W}pPr/{_W}pStyle")
            style_id = (style.get(f"{_W}val") or "") if style is not None else ""
            element.clear(keep_tail=True)  # drop this paragraph and everything before it
            while element.getprevious() is not None:
                del parent[0]
            if text:
                budget.text(len(text))
                budget.paragraph()
                yield style_id, text
        root = context.root
        if root is None or root.tag != f"{_W}document" or root.find(f"{_W}body") is None:
            raise book.corrupt()

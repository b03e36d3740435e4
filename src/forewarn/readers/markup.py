"""Safe parsing of HTML/XHTML/XML and extraction of text blocks from a parsed tree.

Nothing is fetched or executed: DTDs are not loaded, entities are never expanded (a document
that declares entities is refused), scripts, styles and comments are dropped.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

import lxml.etree as etree
import lxml.html

from ..errors import InputError
from .limits import TextBudget

_ENTITY_DECLARATION = re.compile(r"<!ENTITY", re.I)
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)
# Characters lxml keeps from the HTML parser but refuses when a tree is edited (drop_tree).
_XML_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_DROP = ("script", "style", "noscript", "template", "iframe", "object", "embed", "svg", "math")
BLOCK_TAGS = frozenset(
    "p div h1 h2 h3 h4 h5 h6 blockquote li dd dt pre section article center table tr td th ul ol dl "
    "header footer aside main nav figure figcaption address body".split()
)
HEADING_TAGS = frozenset("h1 h2 h3 h4 h5 h6".split())
_SPACE = re.compile(r"[ \t\r\n\f\v\u00a0\u200b]+")


def refuse_entities(text: str, name: str) -> None:
    """Refuse documents that declare XML entities (billion laughs, external entities)."""
    if _ENTITY_DECLARATION.search(text):
        raise InputError(
            f"{name} declares XML entities (<!ENTITY>), which forewarn never expands; "
            "save the story again as plain HTML or EPUB"
        )


def parse_html(text: str, name: str, budget: TextBudget) -> etree._Element:
    """Parse (X)HTML text into an lxml tree with scripts, styles and comments removed; the markup's
    elements (before parsing) and its text (after) are charged to ``budget``."""
    refuse_entities(text, name)
    budget.markup(text)
    text = _XML_DECLARATION.sub("", text, count=1)
    text = _XML_UNSAFE.sub(lambda match: " " if match.group() in "\x0b\x0c" else "", text)
    parser = lxml.html.HTMLParser(remove_comments=True, remove_pis=True, no_network=True, recover=True)
    try:
        root = lxml.html.document_fromstring(text, parser=parser)
    except etree.ParserError:  # "Document is empty" (only blanks, comments or a declaration)
        root = lxml.html.document_fromstring("<html><body></body></html>", parser=parser)
    except ValueError:
        raise InputError(f"{name} has no story text found; check that it is a story page") from None
    if any(_over_limit(entry) for entry in parser.error_log):
        raise InputError(
            f"{name} is nested over 255 levels deep or has a 10 MB run of text (unclosed tags?), so part of it "
            "cannot be read; fix the HTML or save the story as plain text"
        )
    for element in list(root.iter(*_DROP)):
        element.drop_tree()
    for element in root.iter():
        if isinstance(element.tag, str) and "}" in element.tag:
            try:
                element.tag = element.tag.rsplit("}", 1)[1]
            except ValueError:  # junk such as "<a}>" or "<a}<b>" leaves no valid name: keep its text
                element.tag = "span"
    budget.text(sum(len(piece) for piece in root.itertext()))
    return root


def _over_limit(entry: etree._LogEntry) -> bool:
    """Whether libxml2 stopped at its depth or text-size limit (it then drops the rest silently)."""
    return entry.type == etree.ErrorTypes.ERR_RESOURCE_LIMIT or "Excessive depth" in entry.message


def parse_xml(data: bytes, name: str, kind: str) -> etree._Element:
    """Parse a small XML file (EPUB container or package) without DTDs, entities or network."""
    refuse_entities(data.decode("utf-8", errors="replace"), name)
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False, recover=True
    )
    try:
        root = etree.fromstring(data, parser=parser)
    except etree.XMLSyntaxError:
        root = None
    if root is None:
        raise InputError(f"{name} is not a readable {kind} (its XML is broken); re-download it")
    return root


def clean_text(text: str) -> str:
    """Collapse whitespace to single spaces."""
    return _SPACE.sub(" ", text).strip()


def local(tag: object) -> str:
    """The tag name without namespace ("" for comments and processing instructions)."""
    return tag.split("}", 1)[-1].lower() if isinstance(tag, str) else ""


def classes(element: etree._Element) -> set[str]:
    """The element's class names."""
    return set((element.get("class") or "").split())


@dataclass(slots=True)
class Block:
    """A leaf block of text, a heading, or a horizontal rule (``kind`` "hr", empty text)."""

    kind: str  # "text" | "heading" | "hr"
    text: str
    element: etree._Element


def _join_inline(element: etree._Element) -> str:
    parts: list[str] = [element.text or ""]
    for child in element:
        if local(child.tag) == "br":
            parts.append("\n")
        elif local(child.tag):
            parts.append(_join_inline(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _paragraphs(raw: str) -> list[str]:
    """Split text on blank lines (``<br><br>``) and collapse whitespace in each piece."""
    pieces = re.split(r"\n[ \t\u00a0]*\n", raw)
    return [clean_text(piece) for piece in pieces if clean_text(piece)]


def _has_block_child(element: etree._Element) -> bool:
    return any(local(node.tag) in BLOCK_TAGS or local(node.tag) == "hr" for node in element.iterdescendants())


def iter_blocks(element: etree._Element, budget: TextBudget) -> Iterator[Block]:
    """Leaf blocks in document order; loose inline text between blocks is a block of its own.
    Each block is charged to ``budget`` as a paragraph."""
    for block in _blocks(element):
        budget.paragraph()
        yield block


def _blocks(element: etree._Element) -> Iterator[Block]:
    tag = local(element.tag)
    if tag == "hr":
        yield Block("hr", "", element)
        return
    if tag in HEADING_TAGS:
        text = clean_text(_join_inline(element))
        if text:
            yield Block("heading", text, element)
        return
    if not _has_block_child(element):
        for text in _paragraphs(_join_inline(element)):
            yield Block("text", text, element)
        return
    run = [element.text or ""]
    for child in element:
        child_tag = local(child.tag)
        if child_tag in BLOCK_TAGS or child_tag == "hr" or child_tag in HEADING_TAGS or _has_block_child(child):
            for text in _paragraphs("".join(run)):
                yield Block("text", text, element)
            yield from _blocks(child)
            run = [child.tail or ""]
        elif child_tag == "br":
            run.append("\n" + (child.tail or ""))
        elif child_tag:
            run.append(_join_inline(child) + (child.tail or ""))
        else:
            run.append(child.tail or "")
    for text in _paragraphs("".join(run)):
        yield Block("text", text, element)

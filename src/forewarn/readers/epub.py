"""EPUB -> Work: AO3 (made by calibre), FanFicFare and generic EPUB 2/3 books.

The zip is opened with :class:`SafeZip` (member count, size and ratio checked first, bounded
reads); XML is parsed without DTDs, entities or network.
"""

from __future__ import annotations

import posixpath
import re

import lxml.etree as etree

from ..documents.work import Work, WorkBuilder
from ..errors import InputError
from .decode import decode
from .html import finish
from .limits import SafeZip, TextBudget
from .markup import clean_text, local, parse_html, parse_xml
from .structured import is_ao3, read_ao3, read_fanficfare_chapter, read_fanficfare_title_page, read_generic

_SKIP_ITEM = re.compile(r"(?:^|[/_\-.])(?:nav|toc|cover|title_?page|titlepage|copyright|colophon|contents)(?:[_\-.\d]|$)", re.I)
_FANFICFARE = re.compile(r"fanficfare", re.I)


def _children(element: etree._Element, name: str) -> list[etree._Element]:
    return [node for node in element.iter() if local(node.tag) == name]


def _package(book: SafeZip) -> tuple[str, etree._Element]:
    """(path, root) of the OPF package named by META-INF/container.xml."""
    if not book.has("META-INF/container.xml"):
        raise InputError(f"{book.name} is not a readable EPUB (META-INF/container.xml is missing); re-download it")
    container = parse_xml(book.read("META-INF/container.xml"), book.name, "EPUB")
    rootfiles = [r.get("full-path") for r in _children(container, "rootfile") if r.get("full-path")]
    if not rootfiles or not book.has(rootfiles[0]):
        raise InputError(f"{book.name} is not a readable EPUB (its package file is missing); re-download it")
    return rootfiles[0], parse_xml(book.read(rootfiles[0]), book.name, "EPUB")


def _spine(opf_path: str, opf: etree._Element) -> list[tuple[str, str]]:
    """(href inside the zip, manifest properties/id) of each spine item, in reading order."""
    base = posixpath.dirname(opf_path)
    manifest = {
        item.get("id"): (item.get("href") or "", (item.get("properties") or "") + " " + (item.get("id") or ""), item.get("media-type") or "")
        for item in _children(opf, "item")
    }
    items = []
    for ref in _children(opf, "itemref"):
        entry = manifest.get(ref.get("idref"))
        if entry is None or "html" not in entry[2] or ref.get("linear") == "no":
            continue
        href = posixpath.normpath(posixpath.join(base, entry[0].split("#")[0]))
        items.append((href, entry[1]))
    return items


def _metadata(opf: etree._Element) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for node in opf.iter():
        name = local(node.tag)
        if name in ("title", "creator", "contributor", "identifier", "publisher", "subject"):
            text = clean_text("".join(node.itertext()))
            if text:
                found.setdefault(name, []).append(text)
    return found


def read_epub(data: bytes, name: str, max_chars: int) -> Work:
    """Build a Work from EPUB bytes whose story text is at most ``max_chars`` characters (charged
    chapter by chapter, so an EPUB that unpacks to far more stops at the first one over)."""
    book = SafeZip(data, name, "EPUB")
    budget = TextBudget(name, max_chars)
    opf_path, opf = _package(book)
    meta = _metadata(opf)
    documents = []
    for href, props in _spine(opf_path, opf):
        if not book.has(href):
            continue
        text = decode(book.read(href), name).text
        documents.append((href, props, parse_html(text, name, budget)))
    if not documents:
        raise InputError(f"{name}: no story text found (the EPUB has no readable chapters)")
    fanficfare = any(_FANFICFARE.search(v) for v in meta.get("contributor", []) + meta.get("identifier", []))
    roots = [root for _, _, root in documents]
    if fanficfare:
        builder = WorkBuilder("fanficfare-epub")
        for href, props, root in documents:
            if "title_page" in href or "title_page" in props:
                read_fanficfare_title_page(root, builder)
            elif not _SKIP_ITEM.search(posixpath.basename(href)) and "nav" not in props.split():
                read_fanficfare_chapter(root, builder, budget)
    elif is_ao3(roots):
        builder = WorkBuilder("ao3-epub")
        read_ao3(roots, builder, budget)
    else:
        builder = WorkBuilder("epub")
        for href, props, root in documents:
            if _SKIP_ITEM.search(posixpath.basename(href)) or "nav" in props.split():
                continue
            read_generic(root, builder, chapter_per_document=True, budget=budget)
    builder.title = builder.title or (meta.get("title") or [None])[0]
    if not builder.authors:
        builder.authors = meta.get("creator", [])
    return finish(builder, name)

"""DOCX -> Work with python-docx: ``Heading`` styles (or heading-like lines) start chapters."""

from __future__ import annotations

import io
import re

from ..errors import InputError
from ..work import Work, WorkBuilder
from .html import finish
from .limits import SafeZip
from .markup import refuse_entities
from .structured import add_story_block
from .text import heading_title

_HEADING_STYLE = re.compile(r"^(?:Heading [1-3]|Title)$", re.I)


def read_docx(data: bytes, name: str) -> Work:
    """Build a Work from DOCX bytes (the zip is checked for bombs before python-docx opens it)."""
    book = SafeZip(data, name, "DOCX")
    for member in book.names:
        if member.endswith(".xml"):
            refuse_entities(book.read(member).decode("utf-8", errors="replace"), name)
    try:
        title, author, paragraphs = _extract(data)
    except Exception:  # python-docx raises many types for broken packages, even while reading parts lazily
        raise InputError(f"{name} is not a readable DOCX (the file is damaged); open and save it again") from None
    builder = WorkBuilder("docx")
    builder.title = title or None
    builder.authors = [author] if author else []
    for style, text in paragraphs:
        if style == "Title" and builder.title is None:
            builder.title = text
            continue
        heading = heading_title(text)
        if _HEADING_STYLE.match(style or "") or heading is not None:
            builder.start_chapter(heading or text)
        else:
            add_story_block(builder, text)
    return finish(builder, name)


def _extract(data: bytes) -> tuple[str, str, list[tuple[str, str]]]:
    """(title, author, [(style name, stripped text) of each non-empty paragraph]) via python-docx."""
    import docx  # python-docx; imported here so text-only use does not pay for it

    document = docx.Document(io.BytesIO(data))
    core = document.core_properties
    paragraphs = []
    for paragraph in document.paragraphs:
        text = paragraph.text.strip()
        if text:
            style = paragraph.style
            paragraphs.append(((style.name if style is not None else None) or "", text))
    return core.title, core.author, paragraphs

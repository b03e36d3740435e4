"""Which reader a file needs, from its content (magic bytes, markup) with the name as a hint."""

from __future__ import annotations

import re
import zipfile
from io import BytesIO
from pathlib import PurePath

from .config import compiled
from .limits import ZIP_ERRORS

# HTML, XHTML or any XML document (so a DOCTYPE with entities reaches the safe markup parser).
_HTML = re.compile(rb"^\s*(?:<!--.*?-->\s*)*(?:<\?xml\b|<!DOCTYPE\b|<html\b)", re.I | re.S)
_ZIP_MAGIC = b"PK\x03\x04"
_MARKDOWN_EXTENSIONS = (".md", ".markdown", ".mdown", ".mkd")


def container_kind(data: bytes) -> str | None:
    """"epub", "docx" or "zip" for a zip container (None if not a zip)."""
    if not data.startswith(_ZIP_MAGIC):
        return None
    if data[30:38] == b"mimetype" and b"application/epub+zip" in data[38:100]:
        return "epub"
    try:
        names = set(zipfile.ZipFile(BytesIO(data)).namelist())
    except ZIP_ERRORS:  # unreadable: guess from the member names so the error names the format
        if b"META-INF/container.xml" in data or b"mimetype" in data[:100]:
            return "epub"
        return "docx" if b"word/document.xml" in data else "zip"
    if "word/document.xml" in names:
        return "docx"
    if "META-INF/container.xml" in names or "mimetype" in names:
        return "epub"
    return "zip"


def is_html(data: bytes) -> bool:
    """Whether the bytes start like an HTML, XHTML or other XML document."""
    head = data[:4096].lstrip(b"\xef\xbb\xbf")
    return bool(_HTML.match(head))


def text_is_html(text: str) -> bool:
    """Whether decoded text starts like an HTML, XHTML or other XML document."""
    return is_html(text[:4096].encode("utf-8", errors="replace"))


def looks_like_markdown(text: str, name: str | None = None) -> bool:
    """A light heuristic: the .md extension, or ``#`` headings with Markdown emphasis."""
    if name and PurePath(name).suffix.lower() in _MARKDOWN_EXTENSIONS:
        return True
    sample = text[:200_000]
    headings = len(re.findall(r"(?m)^#{1,6} +\S", sample))
    emphasis = len(compiled("text.markdown", "emphasis").findall(sample))
    return headings >= 2 or (headings >= 1 and emphasis >= 3)

"""Readers: every input format -> Work, with safe handling of bad input.

``read_path``, ``read_bytes`` and ``read_text`` detect the format from the content (magic
bytes, markup) and use the file name only as a hint. Every problem with the input raises
:class:`forewarn.errors.InputError` with a one-line message.
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path, PurePath

from ..documents.work import Work
from ..errors import InputError
from .config import story_extensions
from .decode import SUPPORTED, decode
from .detect import container_kind, is_html, looks_like_markdown, text_is_html
from .limits import check_plain_parts, default_max_bytes, read_file, read_stream, too_large
from .text import read_plain

FORMATS: tuple[str, ...] = (
    "text",
    "ffn-text",
    "gutenberg",
    "markdown",
    "ao3-html",
    "html",
    "ao3-epub",
    "fanficfare-epub",
    "epub",
    "docx",
)

# What a caller may force with format=: a family, or any exact format name.
_FAMILIES = {"txt": "text", "text": "text", "ffn-text": "text", "gutenberg": "text", "markdown": "markdown",
             "md": "markdown", "html": "html", "ao3-html": "html", "epub": "epub", "ao3-epub": "epub",
             "fanficfare-epub": "epub", "docx": "docx"}

__all__ = ["FORMATS", "read_bytes", "read_path", "read_text", "story_extensions", "without_lone_surrogates"]


def read_path(path: str | os.PathLike[str], *, format: str | None = None, max_bytes: int | None = None) -> Work:
    """Read a story file ("-" reads standard input), bounded by ``max_bytes``."""
    limit = default_max_bytes() if max_bytes is None else max_bytes
    if str(path) == "-":
        data = read_stream(sys.stdin.buffer, limit)
        return read_bytes(data, name="standard input", format=format, max_bytes=limit).with_source(path="-")
    file_path = Path(path)
    data = read_file(file_path, limit)
    return read_bytes(data, name=str(file_path), format=format, max_bytes=limit).with_source(path=str(file_path))


def read_bytes(data: bytes, *, name: str | None = None, format: str | None = None, max_bytes: int | None = None) -> Work:
    """Read a story from bytes; ``name`` (a file name) is used in messages and as a format hint."""
    label = name or "the input"
    limit = default_max_bytes() if max_bytes is None else max_bytes
    if len(data) > limit:
        raise too_large(label, limit)
    if not data.strip():
        raise InputError(f"{label} is empty; give a story file with some text in it")
    family = _family(data, name, format)
    if family == "epub":
        from .epub import read_epub

        return read_epub(data, label, limit)
    if family == "docx":
        from .docx import read_docx

        return read_docx(data, label, limit)
    if family == "zip":
        raise InputError(f"{label} is a zip archive but not an EPUB or DOCX; {SUPPORTED}")
    text, encoding, warnings = decode(data, label)
    if format is None and family != "html" and text_is_html(text):
        family = "html"  # markup in UTF-16 (or another encoding the byte check cannot see)
    if family == "html":
        from .html import read_html

        work = read_html(text, label, limit)
    else:
        forced = None if format is None else family == "markdown"
        work = _read_decoded(text, label, name, markdown=forced)
    return work.with_source(encoding=encoding, notices=warnings)


def read_text(text: str, *, name: str | None = None, max_bytes: int | None = None) -> Work:
    """Read already-decoded story text (plain text or Markdown; HTML markup is detected too) of at
    most ``max_bytes`` characters."""
    from .decode import normalize_newlines

    label = name or "the input"
    limit = default_max_bytes() if max_bytes is None else max_bytes
    if len(text) > limit:
        raise too_large(label, limit)
    text, warnings = without_lone_surrogates(normalize_newlines(text))
    if text_is_html(text):
        from .html import read_html

        work = read_html(text, label, limit)
    else:
        work = _read_decoded(text, label, name, markdown=None)
    return work.with_source(notices=warnings)


_SURROGATE = re.compile("[\ud800-\udfff]")


def without_lone_surrogates(text: str) -> tuple[str, list[str]]:
    """Join surrogate pairs into the characters they stand for and replace lone surrogates (which
    cannot be encoded, e.g. from a bad JSON escape) with U+FFFD, with a warning."""
    if _SURROGATE.search(text) is None:
        return text, []
    cleaned = text.encode("utf-16-le", errors="surrogatepass").decode("utf-16-le", errors="replace")
    lone = cleaned.count("\ufffd") - text.count("\ufffd")
    return cleaned, [f"{lone:,} lone surrogate code point(s) in the text; they show as \ufffd"] if lone else []


def _read_decoded(text: str, label: str, name: str | None, markdown: bool | None) -> Work:
    check_plain_parts(text, label)
    if markdown is None:
        markdown = looks_like_markdown(text, name)
    return read_plain(text, markdown=markdown, name=label)


def _family(data: bytes, name: str | None, format: str | None) -> str:
    if format is not None:
        family = _FAMILIES.get(format.lower())
        if family is None:
            raise InputError(f"unknown format {format!r}; use one of: {', '.join(FORMATS)}")
        return family
    container = container_kind(data)
    if container is not None:
        return container
    if is_html(data):
        return "html"
    suffix = PurePath(name).suffix.lower() if name else ""
    if suffix in (".epub", ".docx"):
        raise InputError(f"{name} is not a readable {suffix[1:].upper()} (the zip is truncated or corrupt); re-download it")
    return "markdown" if suffix in (".md", ".markdown") else "text"

"""Format detection from content, with the name as a hint; forced and unknown formats."""

import io
import zipfile

import pytest

from forewarn.errors import InputError
from forewarn.readers import FORMATS, read_bytes
from forewarn.readers.detect import container_kind, is_html, looks_like_markdown


def test_formats_tuple():
    assert FORMATS == ("text", "ffn-text", "gutenberg", "markdown", "ao3-html", "html", "ao3-epub", "fanficfare-epub", "epub", "docx")


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"<!DOCTYPE html><html><body><p>Hi there.</p></body></html>", True),
        (b"\xef\xbb\xbf  <html lang='en'><body>x</body></html>", True),
        (b"<?xml version='1.0'?>\n<html xmlns='http://www.w3.org/1999/xhtml'/>", True),
        (b"Chapter 1\n\nShe said <html> was a word.", False),
    ],
)
def test_html_detection(data, expected):
    assert is_html(data) is expected


def test_zip_kinds():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w/>")
    assert container_kind(buffer.getvalue()) == "docx"
    assert container_kind(b"plain text") is None


def test_plain_zip_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("notes.txt", "hello")
    with pytest.raises(InputError, match="not an EPUB or DOCX"):
        read_bytes(buffer.getvalue(), name="stuff.zip")


def test_markdown_heuristic_and_extension_hint():
    assert looks_like_markdown("plain words", "a.md")
    assert looks_like_markdown("# One\n\ntext\n\n# Two\n\nmore")
    assert not looks_like_markdown("#\n\nA scene break made of a hash.\n\n#\n\nAnother.")


def test_ffn_and_gutenberg_and_text_detection():
    assert read_bytes(b"Disclaimer: I don't own it.\n\nThe story begins.\n").source_format == "ffn-text"
    assert read_bytes(b"*** START OF THE PROJECT GUTENBERG EBOOK X ***\n\nThe story begins.\n").source_format == "gutenberg"
    assert read_bytes(b"The story begins.\n").source_format == "text"


def test_forced_and_unknown_format():
    markdown = b"# Title\n\nText *here* and *there*.\n\n# Next\n\nMore.\n"
    assert read_bytes(markdown).source_format == "markdown"
    assert read_bytes(markdown, format="text").source_format == "text"
    with pytest.raises(InputError, match="unknown format"):
        read_bytes(b"Some text.", format="pdf")

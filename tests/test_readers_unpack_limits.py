"""Limits on what an input unpacks to: extracted text, paragraphs, markup tags and lines.

Inputs are generated here and kept small by small limits (``max_bytes=`` and patched settings).
"""

from __future__ import annotations

import io
import zipfile

import docx
import pytest

from forewarn.errors import InputError
from forewarn.readers import limits, read_bytes, read_text

PARAGRAPH = "The keeper climbed the stairs as the storm came in over the grey water."


def make_epub(chapters: int, paragraphs: int) -> bytes:
    manifest = "".join(f'<item id="c{i}" href="c{i}.xhtml" media-type="application/xhtml+xml"/>' for i in range(chapters))
    spine = "".join(f'<itemref idref="c{i}"/>' for i in range(chapters))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as book:
        book.writestr("mimetype", "application/epub+zip", compress_type=zipfile.ZIP_STORED)
        book.writestr(
            "META-INF/container.xml",
            '<?xml version="1.0"?><container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">'
            '<rootfiles><rootfile full-path="content.opf" media-type="application/oebps-package+xml"/></rootfiles></container>',
        )
        book.writestr(
            "content.opf",
            '<?xml version="1.0"?><package xmlns="http://www.idpf.org/2007/opf" version="2.0">'
            '<metadata xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>Storm</dc:title></metadata>'
            f"<manifest>{manifest}</manifest><spine>{spine}</spine></package>",
        )
        for i in range(chapters):
            body = "".join(f"<p>{PARAGRAPH}</p>" for _ in range(paragraphs))
            book.writestr(f"c{i}.xhtml", f'<html xmlns="http://www.w3.org/1999/xhtml"><body><h1>Chapter {i}</h1>{body}</body></html>')
    return buffer.getvalue()


def make_docx(paragraphs: int) -> bytes:
    document = docx.Document()
    for _ in range(paragraphs):
        document.add_paragraph(PARAGRAPH)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def small_parts(monkeypatch):
    """At most 50 paragraphs, 120 markup tags and 400 lines."""
    real = limits.limit
    small = {"max_paragraphs": 50, "max_elements": 120, "max_lines": 400}
    monkeypatch.setattr(limits, "limit", lambda name: small.get(name, real(name)))


def test_epub_that_unpacks_past_the_text_limit_is_refused():
    data = make_epub(chapters=20, paragraphs=40)  # about 58,000 characters of text
    assert len(data) < 20_000
    with pytest.raises(InputError, match="unpacks to more than 20,000 characters"):
        read_bytes(data, name="big.epub", max_bytes=20_000)
    assert len(read_bytes(data, name="big.epub", max_bytes=200_000).paragraphs) == 800


def test_docx_whose_body_unpacks_past_the_text_limit_is_refused():
    data = make_docx(paragraphs=1500)  # about 108,000 characters of text
    with pytest.raises(InputError, match="unpacks to more than 60,000 characters"):
        read_bytes(data, name="big.docx", max_bytes=60_000)
    assert len(read_bytes(data, name="big.docx", max_bytes=200_000).paragraphs) == 1500


def test_text_string_over_the_limit_is_refused():
    with pytest.raises(InputError, match="limit"):
        read_text((PARAGRAPH + "\n\n") * 100, max_bytes=1_000)


def test_html_with_too_many_tags_is_refused_before_parsing(small_parts):
    page = "<html><body>" + "<p>a</p>" * 100 + "</body></html>"
    with pytest.raises(InputError, match="more than 120 markup tags"):
        read_bytes(page.encode(), name="page.html")


def test_html_with_too_many_paragraphs_is_refused(small_parts):
    page = "<html><body><pre>" + "a\n\n" * 80 + "</pre></body></html>"
    with pytest.raises(InputError, match="more than 50 paragraphs"):
        read_bytes(page.encode(), name="page.html")


def test_epub_with_too_many_paragraphs_is_refused(small_parts):
    with pytest.raises(InputError, match="more than 50 paragraphs"):
        read_bytes(make_epub(chapters=1, paragraphs=55), name="book.epub")


def test_docx_with_too_many_paragraphs_is_refused(small_parts):
    with pytest.raises(InputError, match="more than 50 paragraphs"):
        read_bytes(make_docx(paragraphs=60), name="book.docx")


@pytest.mark.parametrize(
    ("text", "what"),
    [
        ("a\n\n" * 60, "paragraphs"),  # blank-line paragraphs
        ("a\n" * 60, "paragraphs"),  # one paragraph per line
        ("a" + "\n" * 500, "lines"),
    ],
)
def test_plain_text_with_too_many_parts_is_refused(small_parts, text, what):
    with pytest.raises(InputError, match=f"more than [0-9,]+ {what}"):
        read_bytes(text.encode(), name="story.txt")


def test_plain_text_under_the_limits_is_read(small_parts):
    text = ("A line of the story\ngoes on here.\n\n") * 45
    assert len(read_bytes(text.encode(), name="story.txt").paragraphs) == 45


def test_cli_refuses_an_epub_over_the_size_option_in_one_line(tmp_path):
    from typer.testing import CliRunner

    from forewarn.cli import app

    path = tmp_path / "big.epub"
    path.write_bytes(make_epub(chapters=20, paragraphs=40))
    result = CliRunner().invoke(app, ["scan", str(path), "--max-size", "0.02"])
    assert result.exit_code == 2
    assert "unpacks to more than" in result.output and len(result.output.strip().splitlines()) == 1

"""DOCX: heading styles and heading-like lines start chapters; broken and unsafe files are refused."""

import io
import zipfile

import docx
import pytest

from forewarn.errors import InputError
from forewarn.readers import read_bytes


def make_docx(build) -> bytes:
    document = docx.Document()
    build(document)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_heading_styles_and_plain_headings():
    def build(d):
        d.core_properties.title = "The Orchard"
        d.core_properties.author = "P. Author"
        d.add_paragraph("A/N: first story, be kind")
        d.add_heading("The First Day", level=1)
        d.add_paragraph("Apples fell in the orchard.")
        d.add_paragraph("* * *")
        d.add_paragraph("Night came.")
        d.add_paragraph("Chapter 2")
        d.add_paragraph("The harvest began.")

    work = read_bytes(make_docx(build), name="orchard.docx")
    assert work.source_format == "docx"
    assert work.title == "The Orchard" and work.authors == ["P. Author"]
    assert [c.title for c in work.chapters] == ["The First Day", "Chapter 2"]
    assert [work.text[p.start : p.end] for p in work.paragraphs] == ["Apples fell in the orchard.", "Night came.", "The harvest began."]
    assert [p.scene for p in work.paragraphs] == [0, 1, 0]
    assert [n.kind for n in work.notes] == ["author-note"]


def test_docx_detected_without_name():
    data = make_docx(lambda d: d.add_paragraph("A short tale."))
    assert read_bytes(data).source_format == "docx"


def test_truncated_docx():
    data = make_docx(lambda d: d.add_paragraph("A short tale."))
    with pytest.raises(InputError, match="DOCX|EPUB"):
        read_bytes(data[:600], name="cut.docx")


def test_docx_with_entity_declaration_is_refused():
    data = make_docx(lambda d: d.add_paragraph("A short tale."))
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "word/document.xml":
                content = content.replace(b"?>", b'?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>', 1)
            target.writestr(info, content)
    with pytest.raises(InputError, match="entities"):
        read_bytes(buffer.getvalue())


def test_empty_docx_has_no_story():
    with pytest.raises(InputError, match="no story text"):
        read_bytes(make_docx(lambda d: None))

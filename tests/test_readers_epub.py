"""EPUB: generic, AO3-style and FanFicFare books built in the test; corrupt, truncated and unsafe ones."""

import io
import zipfile
from pathlib import Path

import pytest

from forewarn.errors import InputError
from forewarn.readers import read_bytes, read_path

CONTAINER = b"""<?xml version="1.0"?><container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">
<rootfiles><rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/></rootfiles></container>"""


def opf(items, metadata=""):
    manifest = "".join(f'<item id="i{n}" href="{href}" media-type="application/xhtml+xml"/>' for n, href in enumerate(items))
    spine = "".join(f'<itemref idref="i{n}"/>' for n in range(len(items)))
    return f"""<?xml version="1.0"?><package xmlns="http://www.idpf.org/2007/opf" version="3.0">
<metadata xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>Salt Road</dc:title><dc:creator>R. Writer</dc:creator>{metadata}</metadata>
<manifest>{manifest}</manifest><spine>{spine}</spine></package>""".encode()


def xhtml(body):
    return f'<?xml version="1.0" encoding="utf-8"?><!DOCTYPE html><html xmlns="http://www.w3.org/1999/xhtml"><head><title>x</title></head><body>{body}</body></html>'.encode()


def epub(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as book:
        book.writestr(zipfile.ZipInfo("mimetype"), "application/epub+zip")
        book.writestr("META-INF/container.xml", CONTAINER)
        for name, data in files.items():
            book.writestr(name, data)
    return buffer.getvalue()


def generic_book():
    return epub(
        {
            "OEBPS/content.opf": opf(["nav.xhtml", "ch1.xhtml", "ch2.xhtml"]),
            "OEBPS/nav.xhtml": xhtml("<nav><ol><li>Chapter One</li><li>Chapter Two</li></ol></nav>"),
            "OEBPS/ch1.xhtml": xhtml("<h2>Chapter One</h2><p>The road was white with salt.</p><hr/><p>They walked&nbsp;on.</p>"),
            "OEBPS/ch2.xhtml": xhtml("<p>No heading in this file.</p><div>A/N: thanks for reading</div>"),
        }
    )


def story(work):
    return [work.text[p.start : p.end] for p in work.paragraphs]


def test_generic_epub_spine_chapters_and_breaks():
    work = read_bytes(generic_book(), name="salt.epub")
    assert work.source_format == "epub"
    assert work.title == "Salt Road" and work.authors == ["R. Writer"]
    assert [c.title for c in work.chapters] == ["Chapter One", ""]
    assert story(work) == ["The road was white with salt.", "They walked on.", "No heading in this file."]
    assert [p.scene for p in work.paragraphs] == [0, 1, 0]
    assert [work.text[n.start : n.end] for n in work.notes] == ["A/N: thanks for reading"]


def test_format_is_detected_from_content_not_name():
    assert read_bytes(generic_book(), name="story.txt").source_format == "epub"


def test_ao3_epub():
    preface = xhtml(
        '<div id="preface"><dl class="tags"><dt>Rating:</dt><dd><a>Mature</a></dd><dt>Archive Warning:</dt>'
        '<dd><a>Graphic Depictions Of Violence</a></dd></dl><h1>Salt Road</h1><div class="byline">by <a>rw</a></div>'
        '<p>Summary</p><blockquote class="userstuff"><p>A walk.</p></blockquote></div>'
    )
    chapter = xhtml('<div id="chapters"><h2 class="heading">Chapter 1</h2><div><p>They walked to the sea.</p></div></div>')
    data = epub({"OEBPS/content.opf": opf(["a_split_000.xhtml", "a_split_001.xhtml"], "<dc:publisher>Archive of Our Own</dc:publisher>"),
                 "OEBPS/a_split_000.xhtml": preface, "OEBPS/a_split_001.xhtml": chapter})
    work = read_bytes(data)
    assert work.source_format == "ao3-epub"
    assert work.declared.rating == "Mature"
    assert work.declared.warnings == ["Graphic Depictions Of Violence"]
    assert work.declared.summary == "A walk."
    assert story(work) == ["They walked to the sea."]
    assert [c.title for c in work.chapters] == ["Chapter 1"]


def test_fanficfare_epub():
    title_page = xhtml("<h3>Salt Road by rw</h3><div><b>Rating:</b> T<br/><b>Warnings:</b> Violence, Character Death<br/><b>Genre:</b> Angst<br/></div>")
    chapter = xhtml('<h3 class="fff_chapter_title">1. The Start</h3><div class="fff_chapter_notes fff_head_notes"><p>Hello readers.</p></div>'
                    "<div><p>Disclaimer: I don't own this world.</p><p>The tide came in.</p></div>")
    data = epub({"OEBPS/content.opf": opf(["title_page.xhtml", "file0001.xhtml"], "<dc:contributor>FanFicFare [https://github.com/JimmXinu/FanFicFare]</dc:contributor>"),
                 "OEBPS/title_page.xhtml": title_page, "OEBPS/file0001.xhtml": chapter})
    work = read_bytes(data)
    assert work.source_format == "fanficfare-epub"
    assert work.declared.rating == "T"
    assert work.declared.warnings == ["Violence", "Character Death"]
    assert [c.title for c in work.chapters] == ["1. The Start"]
    assert story(work) == ["The tide came in."]
    assert {n.kind for n in work.notes} == {"author-note", "disclaimer"}


def test_truncated_epub():
    data = generic_book()
    with pytest.raises(InputError, match="truncated or corrupt"):
        read_bytes(data[: len(data) // 2], name="cut.epub")


def test_corrupt_zip_named_epub():
    with pytest.raises(InputError, match="EPUB"):
        read_bytes(b"this is not a zip at all", name="broken.epub")


def test_zip_bomb_epub():
    data = epub({"OEBPS/content.opf": opf(["ch1.xhtml"]), "OEBPS/ch1.xhtml": xhtml("<p>" + "a" * 20_000_000 + "</p>")})
    with pytest.raises(InputError, match="zip bomb"):
        read_bytes(data)


def test_billion_laughs_in_package_is_refused():
    laughs = b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]><package>&lol2;</package>'
    with pytest.raises(InputError, match="entities"):
        read_bytes(epub({"OEBPS/content.opf": laughs}))


def test_external_entity_in_chapter_is_refused():
    chapter = b'<?xml version="1.0"?><!DOCTYPE html [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><html><body><p>&xxe;</p></body></html>'
    with pytest.raises(InputError, match="entities"):
        read_bytes(epub({"OEBPS/content.opf": opf(["ch1.xhtml"]), "OEBPS/ch1.xhtml": chapter}))


def test_epub_without_text():
    data = epub({"OEBPS/content.opf": opf(["ch1.xhtml"]), "OEBPS/ch1.xhtml": xhtml("<script>x()</script>")})
    with pytest.raises(InputError, match="no story text"):
        read_bytes(data)


FORMATS_DIR = Path(__file__).resolve().parents[2] / "shared" / "data" / "formats"


@pytest.mark.skipif(not FORMATS_DIR.is_dir(), reason="../shared/data/formats not present")
def test_real_epubs():
    ao3 = read_path(FORMATS_DIR / "workInSeries.epub")
    assert ao3.source_format == "ao3-epub" and ao3.declared.chose_not_to_warn
    assert ao3.declared.rating == "Teen And Up Audiences" and len(ao3.chapters) == 8
    assert read_path(FORMATS_DIR / "epubTest.epub").declared.warnings == ["Graphic Depictions Of Violence"]
    fff = read_path(FORMATS_DIR / "fff_test1_sid1.epub")
    assert fff.source_format == "fanficfare-epub"
    assert fff.declared.rating == "Tweenie" and fff.declared.warnings == ["Swearing", "Violence"]
    assert len(fff.chapters) == 9

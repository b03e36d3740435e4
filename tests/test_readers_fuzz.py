"""Fuzzing the readers: any input is either a Work or an InputError with a one-line message.

Random bytes and text, random HTML, and EPUB/DOCX files built here and then damaged (truncated,
bytes flipped, members dropped or replaced, hostile paths, lying sizes, encrypted or nested
members). Another exception type escaping a reader is a bug.
"""

from __future__ import annotations

import io
import struct
import zipfile
from functools import cache

import docx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from forewarn.documents.work import Work
from forewarn.errors import InputError
from forewarn.readers import read_bytes, read_text

pytestmark = pytest.mark.filterwarnings("ignore:Duplicate name:UserWarning")  # duplicate members are part of the fuzz
FUZZ = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
NAMES = st.sampled_from([None, "story.txt", "story.md", "story.html", "story.epub", "story.docx", "story"])


def outcome(data: bytes, name: str | None = None) -> Work | InputError:
    """Read bytes; only a Work or a one-line InputError may come out."""
    try:
        work = read_bytes(data, name=name)
    except InputError as error:
        message = str(error)
        assert message.strip() and "\n" not in message and "\r" not in message, repr(message)
        return error
    assert isinstance(work, Work)
    assert work.paragraphs
    assert all(0 <= p.start < p.end <= len(work.text) for p in work.paragraphs)
    return work


# ----------------------------------------------------------------------------- bytes and text


@FUZZ
@given(st.binary(max_size=4096), NAMES)
def test_random_bytes(data, name):
    outcome(data, name)


@FUZZ
@given(
    st.binary(max_size=64),
    st.sampled_from([b"PK\x03\x04", b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"\xff\xfe\x00\x00", b"<?xml ", b"<!DOCTYPE", b"<html>"]),
    NAMES,
)
def test_random_bytes_after_magic(data, magic, name):
    outcome(magic + data, name)


ENCODINGS = ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "utf-32", "cp1252", "latin-1", "shift_jis", "koi8-r", "gb18030"]
STORY_TEXT = st.lists(
    st.one_of(
        st.text(st.characters(blacklist_categories=("Cs",)), max_size=30),
        st.sampled_from(["\n", "\n\n", "\r\n", "\r", "# ", "Chapter 1\n", "* * *", "A/N: ", "Rating: T\n", "*** START OF THE PROJECT"]),
    ),
    max_size=30,
).map("".join)


@FUZZ
@given(STORY_TEXT, st.sampled_from(ENCODINGS), NAMES)
def test_random_text_in_many_encodings(text, encoding, name):
    outcome(text.encode(encoding, errors="replace"), name)


@FUZZ
@given(st.text(max_size=400))
def test_random_str_for_read_text(text):
    try:
        work = read_text(text)
    except InputError as error:
        assert "\n" not in str(error)
    else:
        assert isinstance(work, Work)


# ----------------------------------------------------------------------------- HTML

TAGS = ["p", "div", "span", "h1", "h2", "h3", "h5", "br", "hr", "blockquote", "dl", "dt", "dd", "b", "a", "li", "table",
        "td", "body", "html", "head", "title", "script", "style", "svg", "template", "x-tag", "ns:p", "a}", "x}p", "{ns}p"]
ATTRIBUTES = ['class="userstuff"', 'id="preface"', 'class="tags"', 'class="heading"', 'id="chapters"', 'id="afterword"',
              'class="end notes"', 'id="endnotes1"', 'class="fff_chapter_title"', 'class="fff_chapter_notes"',
              'class="byline"', 'class="message"', "class", "id=", 'xmlns="http://www.w3.org/1999/xhtml"', "a='<p>'"]
PIECES = ["The lamp was lit.", "Rating: Mature", "A/N: thanks", "Chapter 2", "* * *", "Summary", "Notes", "Archive Warning",
          "&amp;", "&nbsp;", "&#0;", "&#x110000;", "&#xD800;", "&#99999999999;", "&bogus;", "&", "&#;", "<", ">", "</p>",
          "<!-- note -->", "<!--", "-->", "<![CDATA[ x < y ]]>", "<![CDATA[", "<?pi data?>", "<!DOCTYPE html>", "<p", "\x0c"]


def _element(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.builds(
        lambda tag, attributes, inner, closed: f"<{tag}{''.join(' ' + a for a in attributes)}>{''.join(inner)}"
        + (f"</{tag}>" if closed else ""),
        st.sampled_from(TAGS),
        st.lists(st.sampled_from(ATTRIBUTES), max_size=3),
        st.lists(children, max_size=5),
        st.booleans(),
    )


HTML = st.recursive(st.one_of(st.sampled_from(PIECES), st.text(max_size=20)), _element, max_leaves=40)
PROLOGUES = st.sampled_from(["", "<!DOCTYPE html>", '<?xml version="1.0" encoding="utf-16"?>', "<html>", "<!-- c --><html>",
                             '<?xml version="1.0"?><!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.1//EN" "http://x/y.dtd">'])


@FUZZ
@given(PROLOGUES, st.lists(HTML, max_size=6), st.sampled_from(["utf-8", "utf-16", "cp1252"]))
def test_random_html(prologue, parts, encoding):
    page = prologue + "".join(parts)
    outcome(page.encode(encoding, errors="replace"), "page.html")
    try:
        read_text(page)
    except InputError as error:
        assert "\n" not in str(error)


# ----------------------------------------------------------------------------- EPUB and DOCX

CONTAINER = """<?xml version="1.0"?>
<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">
<rootfiles><rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/></rootfiles></container>"""
OPF = """<?xml version="1.0" encoding="utf-8"?>
<package xmlns="http://www.idpf.org/2007/opf" version="2.0"><metadata xmlns:dc="http://purl.org/dc/elements/1.1/">
<dc:title>Fuzz</dc:title><dc:creator>Nobody</dc:creator></metadata>
<manifest><item id="a" href="one.xhtml" media-type="application/xhtml+xml"/>
<item id="b" href="text/two.xhtml" media-type="application/xhtml+xml"/></manifest>
<spine><itemref idref="a"/><itemref idref="b"/></spine></package>"""
XHTML = """<?xml version="1.0" encoding="utf-8"?>
<html xmlns="http://www.w3.org/1999/xhtml"><head><title>{0}</title></head>
<body><h1>{0}</h1><p>The ferry left at d\u00e9but of dawn.</p><hr/><p>Gulls followed it home.</p></body></html>"""
EPUB_MEMBERS = {
    "mimetype": b"application/epub+zip",
    "META-INF/container.xml": CONTAINER.encode(),
    "OEBPS/content.opf": OPF.encode(),
    "OEBPS/one.xhtml": XHTML.format("One").encode(),
    "OEBPS/text/two.xhtml": XHTML.format("Two").encode(),
}
HOSTILE_PATHS = ["../../etc/passwd", "/etc/passwd", "C:\\Windows\\win.ini", "", "OEBPS/", ".", "..", "a" * 3000,
                 "OEBPS/../../one.xhtml", "%2e%2e/one.xhtml", "OEBPS/one.xhtml\x00.jpg", "file:///etc/passwd", "\u202e.xhtml"]
LAUGHS = '<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]><l>&b;</l>'
WORD_NS = b"http://schemas.openxmlformats.org/wordprocessingml/2006/main"
METHODS = [zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA]


def build_zip(members: dict[str, bytes], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members.items():
            archive.writestr(zipfile.ZipInfo(name), data, compress_type=zipfile.ZIP_STORED if name == "mimetype" else method)
    return buffer.getvalue()


STYLES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">
<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/></w:style>
<w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/></w:style></w:styles>"""


@cache
def docx_members() -> dict[str, bytes]:
    document = docx.Document()
    document.core_properties.title = "Fuzz"
    document.add_heading("Chapter One", level=1)
    document.add_paragraph("The ferry left at dawn.")
    document.add_paragraph("* * *")
    document.add_heading("Chapter Two", level=1)
    document.add_paragraph("Gulls followed it home.")
    buffer = io.BytesIO()
    document.save(buffer)
    with zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    # The template's style sheets are ~800 kB; small ones keep each example fast.
    for name in ("word/styles.xml", "word/stylesWithEffects.xml"):
        members[name] = STYLES.encode()
    return members


def _member_edit(draw, members: dict[str, bytes]) -> None:
    """Damage one member of the archive in place."""
    name = draw(st.sampled_from(sorted(members)))
    data = members[name]
    kind = draw(st.sampled_from(
        ["drop", "garbage", "empty", "truncate", "flip", "encode", "laughs", "nested", "rename", "not-xml", "other-xml"]
    ))
    if kind == "drop":
        del members[name]
    elif kind == "garbage":
        members[name] = draw(st.binary(max_size=300))
    elif kind == "empty":
        members[name] = b""
    elif kind == "truncate":
        members[name] = data[: draw(st.integers(0, len(data)))]
    elif kind == "flip" and data:
        position = draw(st.integers(0, len(data) - 1))
        members[name] = data[:position] + bytes([data[position] ^ draw(st.integers(1, 255))]) + data[position + 1 :]
    elif kind == "encode":
        encoding = draw(st.sampled_from(["utf-16", "utf-16-be", "latin-1", "cp1252", "shift_jis", "utf-32"]))
        members[name] = data.decode("utf-8", errors="replace").encode(encoding, errors="replace")
    elif kind == "laughs":
        members[name] = LAUGHS.encode()
    elif kind == "nested":
        members[name] = build_zip(dict(members))
    elif kind == "rename":
        members[draw(st.sampled_from(HOSTILE_PATHS))] = members.pop(name)
    elif kind == "not-xml":
        members[name] = b"<<this is not {xml}>>\x00" if draw(st.booleans()) else b"<a><b></a>"
    elif kind == "other-xml":  # well-formed, but not the element the format expects
        members[name] = draw(st.sampled_from([b"<a/>", b'<w:document xmlns:w="%s"/>' % WORD_NS, b"<html><p>Text.</p></html>"]))


def _patch_headers(draw, data: bytes) -> bytes:
    """Rewrite fields of the central-directory and local headers: sizes, flags, method, version."""
    out = bytearray(data)
    field = draw(st.sampled_from(["size", "encrypted", "method", "version", "offset"]))
    value = draw(st.sampled_from([0, 1, 7, 0x7FFFFFFF, 0xFFFFFFFF, 150_000_000]))
    for signature, offsets in ((b"PK\x01\x02", {"size": 24, "encrypted": 8, "method": 10, "version": 6, "offset": 42}),
                               (b"PK\x03\x04", {"size": 22, "encrypted": 6, "method": 8, "version": 4})):
        position = out.find(signature)
        while position >= 0 and field in offsets:
            at = position + offsets[field]
            if at + 4 <= len(out):
                if field == "encrypted":
                    out[at] |= 1
                elif field == "method":
                    out[at : at + 2] = struct.pack("<H", draw(st.sampled_from([1, 6, 9, 14, 98, 99, 0xFFFF])))
                elif field == "version":
                    out[at : at + 2] = struct.pack("<H", draw(st.sampled_from([63, 64, 100, 0xFFFF])))
                else:
                    out[at : at + 4] = struct.pack("<I", value)
            position = out.find(signature, position + 4)
    return bytes(out)


@st.composite
def damaged_container(draw, base: dict[str, bytes]) -> bytes:
    members = dict(base)
    for _ in range(draw(st.integers(0, 3))):
        if members:
            _member_edit(draw, members)
    data = build_zip(members, draw(st.sampled_from(METHODS)))
    for _ in range(draw(st.integers(0, 2))):
        kind = draw(st.sampled_from(["truncate", "flip", "headers"]))
        if kind == "truncate":
            data = data[: draw(st.integers(0, len(data)))]
        elif kind == "flip" and data:
            position = draw(st.integers(0, len(data) - 1))
            data = data[:position] + bytes([draw(st.integers(0, 255))]) + data[position + 1 :]
        elif kind == "headers":
            data = _patch_headers(draw, data)
    return data


@st.composite
def hostile_epub(draw) -> bytes:
    """A well-formed zip whose container, package or spine point somewhere odd."""
    members = dict(EPUB_MEMBERS)
    target = draw(st.sampled_from(HOSTILE_PATHS + ["OEBPS/missing.opf", "mimetype", "OEBPS/one.xhtml"]))
    where = draw(st.sampled_from(["container", "href", "idref", "media-type"]))
    if where == "container":
        members["META-INF/container.xml"] = CONTAINER.replace("OEBPS/content.opf", target).encode()
    elif where == "href":
        members["OEBPS/content.opf"] = OPF.replace("one.xhtml", target).encode()
    elif where == "idref":
        members["OEBPS/content.opf"] = OPF.replace('idref="a"', 'idref="zz"').replace('idref="b"', 'idref=""').encode()
    else:
        members["OEBPS/content.opf"] = OPF.replace("application/xhtml+xml", target).encode()
    return build_zip(members)


@FUZZ
@given(damaged_container(EPUB_MEMBERS), NAMES)
def test_damaged_epub(data, name):
    outcome(data, name)


@FUZZ
@given(hostile_epub())
def test_epub_with_hostile_paths(data):
    result = outcome(data, "book.epub")
    if isinstance(result, Work):
        assert "root:" not in result.text


@FUZZ
@given(damaged_container(docx_members()), NAMES)
def test_damaged_docx(data, name):
    outcome(data, name)


def test_undamaged_bases_are_read():
    """The fuzzed files start from readable ones (otherwise the fuzzing proves little)."""
    assert isinstance(outcome(build_zip(EPUB_MEMBERS), "book.epub"), Work)
    work = outcome(build_zip(docx_members()), "book.docx")
    assert [c.title for c in work.chapters] == ["Chapter One", "Chapter Two"]
    for method in METHODS:
        assert outcome(build_zip(EPUB_MEMBERS, method)).source_format == "epub"


# ----------------------------------------------------------------------------- crashes found by fuzzing


def _corrupt_member_stream(method: int) -> bytes:
    data = build_zip(EPUB_MEMBERS, method)
    start = data.index(b"OEBPS/one.xhtml") + len("OEBPS/one.xhtml") + 10
    return data[:start] + bytes(40) + data[start + 40 :]


def _zip_version(data: bytes, version: int) -> bytes:
    out = bytearray(data)
    position = out.find(b"PK\x01\x02")
    while position >= 0:
        out[position + 6 : position + 8] = struct.pack("<H", version)
        position = out.find(b"PK\x01\x02", position + 4)
    return bytes(out)


def _docx_with(member: str, data: bytes) -> bytes:
    return build_zip({**docx_members(), member: data})


REGRESSIONS = {
    "corrupt LZMA member": _corrupt_member_stream(zipfile.ZIP_LZMA),
    "corrupt bzip2 member": _corrupt_member_stream(zipfile.ZIP_BZIP2),
    "zip version 10.0 (EPUB)": _zip_version(build_zip(EPUB_MEMBERS), 100),
    "zip version 10.0 (DOCX)": _zip_version(build_zip(docx_members()), 100),
    "document.xml of another kind": _docx_with("word/document.xml", b"<a/>"),
    "document.xml without a body": _docx_with("word/document.xml", b'<w:document xmlns:w="%s"/>' % WORD_NS),
    "core.xml of another kind": _docx_with("docProps/core.xml", b"<a/>"),
    "styles.xml of another kind": _docx_with("word/styles.xml", b"<a/>"),
}


@pytest.mark.parametrize("data", REGRESSIONS.values(), ids=REGRESSIONS.keys())
def test_damaged_containers_are_refused_in_one_line(data):
    error = outcome(data, "book")
    assert isinstance(error, InputError)
    assert "not a readable" in str(error)


def test_control_characters_next_to_a_dropped_script_are_read():
    story = "The keeper climbed the stairs as the storm came in. " * 4
    page = f"<html><body><p>{story}The lamp\x0c<script>x()</script>was lit.\x01</p></body></html>"
    assert read_text(page).text.endswith("storm came in. The lamp was lit.")
    assert outcome(page.encode(), "page.html").text.endswith("storm came in. The lamp was lit.")


@pytest.mark.parametrize("blank", [b"", b"  \n", b'<?xml version="1.0"?>', b"<!-- blank page -->"])
def test_a_blank_spine_document_does_not_refuse_the_book(blank):
    work = outcome(build_zip({**EPUB_MEMBERS, "OEBPS/one.xhtml": blank}), "book.epub")
    assert [c.title for c in work.chapters] == ["Two"]


@pytest.mark.parametrize("unit", ["<div>", "<span>", "<p><font color=red>The storm came in."])
def test_html_past_the_parser_depth_limit_is_refused_not_cut_short(unit):
    """libxml2 stops at 255 levels and silently drops the rest; forewarn says so instead."""
    page = "<html><body>" + unit * 400 + "<p>The storm came in.</p></body></html>"
    error = outcome(page.encode(), "deep.html")
    assert isinstance(error, InputError) and "nested over 255 levels" in str(error)
    assert isinstance(outcome(build_zip({**EPUB_MEMBERS, "OEBPS/one.xhtml": page.encode()}, zipfile.ZIP_STORED)), InputError)


@pytest.mark.parametrize("tag", ["a}", "a}}", "x}b}", "ns}i", "a}<b", "x}<"])
def test_junk_tag_names_with_a_brace_keep_their_text(tag):
    assert read_text(f"<html><body><p>The storm <{tag}>came in.</p></body></html>").text == "The storm came in."

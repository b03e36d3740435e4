"""Decoding plain-text bytes: encodings, BOMs, line ends, binary refusal."""

import pytest

from forewarn.errors import InputError
from forewarn.readers import read_bytes
from forewarn.readers.decode import decode

STORY = "Chapter 1\n\nThe café was quiet when Anna arrived.\n\nShe ordered tea – and waited.\n"


@pytest.mark.parametrize(
    ("data", "expected_warning"),
    [
        (STORY.encode("utf-8"), None),
        (b"\xef\xbb\xbf" + STORY.encode("utf-8"), None),
        (STORY.encode("utf-16"), None),  # BOM + native order
        (b"\xff\xfe" + STORY.encode("utf-16-le"), None),
        (b"\xfe\xff" + STORY.encode("utf-16-be"), None),
        (STORY.encode("cp1252"), "cp1252"),
    ],
)
def test_encodings_decode_to_the_same_text(data, expected_warning):
    text, _, warnings = decode(data)
    assert text == STORY
    if expected_warning:
        assert any(expected_warning in w for w in warnings)
    else:
        assert warnings == []


def test_latin1_only_bytes_fall_back_to_latin1_with_warning():
    # 0x81 is undefined in cp1252, so only latin-1 can decode it.
    text, encoding, warnings = decode("Ein Mädchen ging.\n".encode("latin-1") * 20 + b"\x81 ok\n")
    assert text.startswith("Ein Mädchen ging.")
    assert encoding == "latin-1"
    assert any("latin-1" in w for w in warnings)


def test_warning_is_kept_on_the_work():
    work = read_bytes(STORY.encode("cp1252"), name="story.txt")
    assert any("cp1252" in w for w in work.reader_warnings)
    assert work.encoding == "cp1252"


@pytest.mark.parametrize("newline", ["\r\n", "\r"])
def test_crlf_and_cr_become_lf_and_offsets_point_at_paragraphs(newline):
    paragraphs = ["The first paragraph\nspans two lines.", "The second one is short."]
    raw = ("Chapter 1" + "\n\n" + "\n\n".join(paragraphs) + "\n").replace("\n", newline)
    work = read_bytes(b"\xef\xbb\xbf" + raw.encode("utf-8"))
    assert "\r" not in work.text
    assert work.text == raw.replace(newline, "\n")
    assert [work.text[p.start : p.end] for p in work.paragraphs] == paragraphs


def test_nul_bytes_mean_binary():
    with pytest.raises(InputError, match="binary"):
        read_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4, name="x.png")


def test_many_control_characters_mean_binary():
    with pytest.raises(InputError, match="binary"):
        decode(bytes([1, 2, 3, 4, 5, 6, 7, 8, 65]) * 200)


def test_utf16_without_bom_is_recognised():
    text, _, warnings = decode(STORY.encode("utf-16-le"))
    assert text == STORY
    assert warnings


def test_binary_message_is_one_line():
    with pytest.raises(InputError) as error:
        read_bytes(b"\x00\x01\x02" * 100)
    assert "\n" not in str(error.value)


def test_mostly_non_ascii_legacy_text_uses_charset_guess():
    story = "Глава 1\n\nВ маленьком городе жила девочка, которая любила читать книги.\n\nОднажды она нашла ключ.\n" * 5
    text, encoding, warnings = decode(story.encode("cp1251"))
    assert text == story
    assert encoding == "cp1251"
    assert warnings


_CURLY = "“Chapter 1”\n\nThe café was quiet when Anna arrived — she said “hello”.\n\n" * 100


def test_utf8_story_with_one_stray_byte_is_read_as_utf8_with_a_notice():
    data = _CURLY.encode("utf-8")
    work = read_bytes(data[:2000] + b"\x92" + data[2000:], name="story.txt")
    assert work.encoding == "utf-8"
    assert "“hello”" in work.text and "\ufffd" in work.text
    assert any("not valid UTF-8" in w for w in work.reader_warnings)


def test_cp1252_story_still_decodes_as_cp1252():
    text, encoding, _ = decode(_CURLY.encode("cp1252"))
    assert encoding == "cp1252" and text == _CURLY


@pytest.mark.parametrize(
    "data",
    [
        b"\xff\xfe" + bytes((i * 7919 + 13) % 251 for i in range(40_000)),  # junk after a UTF-16 BOM
        b"\xfe\xff" + bytes((i * 104729 + 7) % 253 for i in range(40_000)),
        _CURLY.encode("utf-8") + b"\x00" * 20_000,  # NUL bytes after the first 8 KB
        _CURLY.encode("utf-8") * 8 + bytes(range(1, 9)) * 3000 + _CURLY.encode("utf-8") * 8,  # controls mid-file
    ],
)
def test_garbage_after_a_good_start_is_refused(data):
    with pytest.raises(InputError, match="binary"):
        read_bytes(data, name="story.txt")


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16_html_is_read_as_html(encoding):
    page = "<!DOCTYPE html><html><head><title>Rain</title></head><body><p>The storm came at night.</p><p>She waited.</p></body></html>"
    work = read_bytes(page.encode(encoding), name="page.html")
    assert work.source_format == "html"
    assert "<p>" not in work.text and work.title == "Rain"


def test_lone_surrogates_in_text_are_replaced_with_a_notice():
    from forewarn.readers import read_text

    work = read_text("She said \ud800 hello.\n\nThen \ud83d\ude00 she left.\n")
    assert "\ud800" not in work.text and "\U0001f600" in work.text
    assert any("surrogate" in w for w in work.reader_warnings)
    work.text.encode("utf-8")


def test_scan_of_a_string_with_a_lone_surrogate_works():
    import forewarn

    report = forewarn.scan("The rain fell on the roof \ud800 all night.\n\nIn the morning they walked to the sea.\n")
    assert any("surrogate" in notice for notice in report.notices)

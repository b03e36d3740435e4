"""Replacing one ZIP member while every other member's bytes stay the same."""

from __future__ import annotations

import io
import zipfile

import pytest

from forewarn.errors import InputError
from forewarn.integrations.zip_patch import member_names, replace_member
from tests.epub_fakes import make_epub, raw_members

NEW = b"<package>new</package>"


@pytest.mark.parametrize("descriptors", [False, True])
def test_other_members_are_byte_identical(tmp_path, descriptors):
    data = make_epub(tmp_path / "b.epub", descriptors=descriptors, comment=b"kept comment").read_bytes()
    patched = replace_member(data, "OEBPS/content.opf", NEW)
    before, after = raw_members(data), raw_members(patched)
    assert list(before) == list(after)
    for name in before:
        if name != "OEBPS/content.opf":
            assert after[name] == before[name], name
    archive = zipfile.ZipFile(io.BytesIO(patched))
    assert archive.testzip() is None
    assert archive.read("OEBPS/content.opf") == NEW
    assert archive.comment == b"kept comment"


def test_mimetype_stays_first_and_stored(tmp_path):
    data = make_epub(tmp_path / "b.epub").read_bytes()
    patched = replace_member(data, "OEBPS/content.opf", NEW)
    first = zipfile.ZipFile(io.BytesIO(patched)).infolist()[0]
    assert (first.filename, first.compress_type, first.header_offset) == ("mimetype", zipfile.ZIP_STORED, 0)
    assert patched[30:38] == b"mimetype" and patched[38:58] == b"application/epub+zip"


def test_patching_twice_gives_the_same_bytes(tmp_path):
    data = make_epub(tmp_path / "b.epub").read_bytes()
    once = replace_member(data, "OEBPS/content.opf", NEW)
    assert replace_member(once, "OEBPS/content.opf", NEW) == once
    assert member_names(once) == member_names(data)


@pytest.mark.parametrize("data", [b"", b"plain text, not a zip", b"PK\x05\x06" + b"\0" * 18])
def test_not_a_zip_is_input_error(data):
    with pytest.raises(InputError):
        replace_member(data, "x", NEW)


def test_missing_member_is_input_error(tmp_path):
    data = make_epub(tmp_path / "b.epub").read_bytes()
    with pytest.raises(InputError, match="no member"):
        replace_member(data, "nope.opf", NEW)

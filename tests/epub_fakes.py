"""Synthetic EPUBs for the write-back tests (written by the tests, no third-party text)."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

OPF = """<?xml version="1.0" encoding="utf-8"?>
<package xmlns="http://www.idpf.org/2007/opf" version="2.0" unique-identifier="uid">
  <metadata xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:opf="http://www.idpf.org/2007/opf">
    <dc:title>The Lighthouse Keeper</dc:title>
    <dc:creator opf:role="aut">Test Author</dc:creator>
    <dc:subject>Fluff</dc:subject>
    <dc:identifier id="uid">urn:uuid:0000</dc:identifier>
  </metadata>
  <manifest>
    <item id="c1" href="chapter1.xhtml" media-type="application/xhtml+xml"/>
  </manifest>
  <spine><itemref idref="c1"/></spine>
</package>
"""

CONTAINER = """<?xml version="1.0"?>
<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">
  <rootfiles><rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/></rootfiles>
</container>
"""

CHAPTER = """<?xml version="1.0" encoding="utf-8"?>
<html xmlns="http://www.w3.org/1999/xhtml"><head><title>One</title></head>
<body><h1>Chapter 1</h1><p>The keeper climbed the stairs as a storm came in.</p></body></html>
"""


class _Unseekable(io.RawIOBase):
    """A write-only stream without seek, so zipfile writes data descriptors (flag bit 3)."""

    def __init__(self) -> None:
        self.buffer = bytearray()

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        self.buffer += data
        return len(data)


def make_epub(path: Path, opf: str = OPF, *, descriptors: bool = False, comment: bytes = b"") -> Path:
    """Write a small EPUB: mimetype first and stored, the rest deflated (a PNG-like member stored)."""
    target = _Unseekable() if descriptors else io.BytesIO()
    with zipfile.ZipFile(target, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), "application/epub+zip", compress_type=zipfile.ZIP_STORED)
        archive.writestr("META-INF/container.xml", CONTAINER, compress_type=zipfile.ZIP_DEFLATED)
        archive.writestr("OEBPS/content.opf", opf, compress_type=zipfile.ZIP_DEFLATED)
        archive.writestr("OEBPS/chapter1.xhtml", CHAPTER, compress_type=zipfile.ZIP_DEFLATED, compresslevel=1)
        archive.writestr("OEBPS/cover.png", bytes(range(256)) * 4, compress_type=zipfile.ZIP_STORED)
        archive.comment = comment
    data = target.buffer if descriptors else target.getvalue()
    path.write_bytes(bytes(data))
    return path


def raw_members(data: bytes) -> dict[str, bytes]:
    """Each member's local header + compressed bytes, exactly as stored in the file."""
    archive = zipfile.ZipFile(io.BytesIO(data))
    result = {}
    for info in archive.infolist():
        start = info.header_offset
        name_length, extra_length = int.from_bytes(data[start + 26 : start + 28], "little"), int.from_bytes(data[start + 28 : start + 30], "little")
        end = start + 30 + name_length + extra_length + info.compress_size
        result[info.filename] = data[start:end]
    return result

"""Replace one member of a ZIP file while copying every other member's bytes verbatim.

Python's ``zipfile`` can only rewrite a member by decompressing and compressing it again. Here
the archive is rebuilt from its own bytes: every other member's local header, compressed data and
data descriptor are copied as they are, in their original order (so an EPUB's ``mimetype`` stays
first and stored); the central directory is copied too, with only offsets (and the replaced
member's sizes and CRC) updated. ZIP64 archives are refused.
"""

from __future__ import annotations

import struct
import zlib
from dataclasses import dataclass

from ..errors import InputError

_EOCD = struct.Struct("<4sHHHHIIH")
_CENTRAL = struct.Struct("<4sHHHHHHIIIHHHHHII")
_LOCAL = struct.Struct("<4sHHHHHIIIHH")
_EOCD_SIG, _CENTRAL_SIG, _LOCAL_SIG = b"PK\x05\x06", b"PK\x01\x02", b"PK\x03\x04"
_DESCRIPTOR_FLAG = 0x08


@dataclass(frozen=True, slots=True)
class _Entry:
    name: str
    central: bytes
    offset: int


def _end_record(data: bytes) -> tuple[int, tuple]:
    position = data.rfind(_EOCD_SIG, max(0, len(data) - 65_557))
    if position < 0 or position + _EOCD.size > len(data):
        raise InputError("not a ZIP file (no end of central directory); is this a real EPUB?")
    return position, _EOCD.unpack_from(data, position)


def _entries(data: bytes) -> tuple[list[_Entry], int, int]:
    """Central directory entries, the directory's offset, and the end record's position."""
    end, (_, disk, cd_disk, _, count, _, cd_offset, _) = _end_record(data)
    if disk or cd_disk or count == 0xFFFF or cd_offset == 0xFFFFFFFF:
        raise InputError("this ZIP is split or ZIP64, which forewarn does not rewrite; convert the EPUB first")
    entries, position = [], cd_offset
    for _ in range(count):
        if data[position : position + 4] != _CENTRAL_SIG:
            raise InputError("the EPUB's central directory is damaged; repair the file (e.g. with calibre) first")
        fields = _CENTRAL.unpack_from(data, position)
        name_length, extra_length, comment_length, offset = fields[10], fields[11], fields[12], fields[16]
        size = _CENTRAL.size + name_length + extra_length + comment_length
        raw_name = data[position + _CENTRAL.size : position + _CENTRAL.size + name_length]
        name = raw_name.decode("utf-8" if fields[3] & 0x800 else "cp437")
        entries.append(_Entry(name, data[position : position + size], offset))
        position += size
    return entries, cd_offset, end


def member_names(data: bytes) -> list[str]:
    """Member names in central-directory order."""
    return [entry.name for entry in _entries(data)[0]]


def replace_member(data: bytes, name: str, content: bytes) -> bytes:
    """A copy of the ZIP ``data`` with member ``name`` holding ``content``; all else verbatim."""
    entries, cd_offset, end = _entries(data)
    target = next((e for e in entries if e.name == name), None)
    if target is None:
        raise InputError(f"the ZIP has no member {name}")
    by_offset = sorted(entries, key=lambda e: e.offset)
    bounds = [e.offset for e in by_offset[1:]] + [cd_offset]
    out = bytearray(data[: by_offset[0].offset])
    new_offsets: dict[int, int] = {}
    replaced = b""
    for entry, bound in zip(by_offset, bounds):
        new_offsets[entry.offset] = len(out)
        if entry is target:
            segment, replaced = _local_member(data, entry.offset, content)
            out += segment
        else:
            out += data[entry.offset : bound]
    new_cd_offset = len(out)
    for entry in entries:
        central = bytearray(entry.central)
        struct.pack_into("<I", central, 42, new_offsets[entry.offset])
        if entry is target:
            central[8:28] = replaced
        out += central
    end_record = bytearray(data[end:])
    struct.pack_into("<I", end_record, 16, new_cd_offset)
    out += end_record
    return bytes(out)


def _local_member(data: bytes, offset: int, content: bytes) -> tuple[bytes, bytes]:
    """A new local header + data for ``content``, and the 20 bytes to patch in its central record."""
    fields = _LOCAL.unpack_from(data, offset)
    if fields[0] != _LOCAL_SIG:
        raise InputError("the EPUB has a damaged member header; repair the file (e.g. with calibre) first")
    version, flags, method, time, date = fields[1], fields[2] & ~_DESCRIPTOR_FLAG, fields[3], fields[4], fields[5]
    name_length, extra_length = fields[9], fields[10]
    name_and_extra = data[offset + _LOCAL.size : offset + _LOCAL.size + name_length + extra_length]
    if method != 0:
        method = 8
        compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
        payload = compressor.compress(content) + compressor.flush()
    else:
        payload = content
    crc = zlib.crc32(content) & 0xFFFFFFFF
    header = _LOCAL.pack(_LOCAL_SIG, version, flags, method, time, date, crc, len(payload), len(content), name_length, extra_length)
    central_fields = struct.pack("<HHHHIII", flags, method, time, date, crc, len(payload), len(content))
    return header + name_and_extra + payload, central_fields

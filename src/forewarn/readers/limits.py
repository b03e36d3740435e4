"""Bounded reading: size limits for files and streams, and a zip reader that refuses bombs."""

from __future__ import annotations

import io
import lzma
import os
import re
import stat
import zipfile
import zlib
from pathlib import Path
from typing import BinaryIO

from ..errors import InputError
from .config import limit, text_setting

# What zipfile and its decompressors raise for a damaged or unsupported archive (a newer zip
# version or compression method, a corrupt deflate/bzip2/LZMA stream, an encrypted member).
ZIP_ERRORS = (
    zipfile.BadZipFile, zlib.error, lzma.LZMAError, EOFError, ValueError, OSError, NotImplementedError, RuntimeError,
)


def default_max_bytes() -> int:
    """The default largest input, in bytes."""
    return int(limit("max_bytes"))


def too_large(name: str, max_bytes: int) -> InputError:
    """The error for an input over the size limit."""
    return InputError(
        f"{name} is larger than the {max_bytes:,}-byte limit; "
        "raise it with --max-size (or max_bytes=) if you trust this file"
    )


def read_file(path: Path, max_bytes: int) -> bytes:
    """Read a regular file, refusing missing paths, directories, FIFOs, devices and sockets (which
    could block or never end) and files over ``max_bytes``."""
    try:
        info = path.stat()
    except FileNotFoundError:
        raise InputError(f"{path} does not exist; check the path") from None
    except OSError as error:
        raise InputError(f"{path} cannot be read ({error.strerror}); check the path") from None
    if stat.S_ISDIR(info.st_mode):
        raise InputError(f"{path} is a directory; give a story file (forewarn library scans folders)")
    if not stat.S_ISREG(info.st_mode):
        raise not_regular(str(path), info.st_mode)
    if info.st_size > max_bytes:
        raise too_large(str(path), max_bytes)
    try:
        # O_NONBLOCK: a path swapped for a FIFO after the check cannot block the open.
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except OSError as error:
        raise InputError(f"{path} cannot be read ({error.strerror}); check its permissions") from None
    with os.fdopen(descriptor, "rb") as handle:
        mode = os.fstat(handle.fileno()).st_mode
        if not stat.S_ISREG(mode):
            raise not_regular(str(path), mode)
        try:
            return read_stream(handle, max_bytes, str(path))
        except OSError as error:
            raise InputError(f"{path} cannot be read ({error.strerror}); check its permissions") from None


def not_regular(name: str, mode: int) -> InputError:
    """The error for a path that is not a regular file (a FIFO, device or socket)."""
    kind = (
        "a named pipe (FIFO)" if stat.S_ISFIFO(mode)
        else "a device" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode)
        else "a socket" if stat.S_ISSOCK(mode)
        else "not a regular file"
    )
    return InputError(f"{name} is {kind}, not a story file; give a regular file (or - for standard input)")


def read_stream(stream: BinaryIO, max_bytes: int, name: str = "standard input") -> bytes:
    """Read at most ``max_bytes`` from a stream; one byte more means the input is too large."""
    data = stream.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise too_large(name, max_bytes)
    return data


class TextBudget:
    """How much story one input may unpack to: characters of text (the limit for a plain-text
    file), markup elements and paragraphs (each costs memory whatever its length). Readers charge
    it as they go, so a hostile file stops early with one line."""

    def __init__(self, name: str, max_chars: int) -> None:
        self.name = name
        self.max_chars = max_chars
        self.chars = self.elements = self.paragraphs = 0

    def text(self, chars: int) -> None:
        """Charge ``chars`` characters of extracted text."""
        self.chars += chars
        if self.chars > self.max_chars:
            raise text_too_large(self.name, self.max_chars)

    def markup(self, markup: str) -> None:
        """Charge the elements of a markup document before it is parsed (one per ``<``)."""
        self.elements += markup.count("<")
        if self.elements > limit("max_elements"):
            raise too_many_parts(self.name, "markup tags", int(limit("max_elements")))

    def paragraph(self) -> None:
        """Charge one paragraph (or other block) of a Work."""
        self.paragraphs += 1
        if self.paragraphs > limit("max_paragraphs"):
            raise too_many_parts(self.name, "paragraphs", int(limit("max_paragraphs")))


def text_too_large(name: str, max_chars: int) -> InputError:
    """The error for an input whose story text (once unpacked or extracted) is over the limit."""
    return InputError(
        f"{name} unpacks to more than {max_chars:,} characters of text, the size limit; "
        "raise it with --max-size (or max_bytes=) if you trust this file"
    )


_BLANK_LINE = re.compile(r"^[ \t\f\v\u00a0]*$", re.M)
_PARAGRAPH_GAP = re.compile(r"\n[ \t\f\v\u00a0]*\n\s*")


def check_plain_parts(text: str, name: str) -> None:
    """Refuse plain text with more lines, or more paragraphs (runs of non-blank lines; every line
    where blank lines are rare), than any story has, before the text reader builds them."""
    lines = text.count("\n") + 1
    if lines > limit("max_lines"):
        raise too_many_parts(name, "lines", int(limit("max_lines")))
    blank = len(_BLANK_LINE.findall(text))
    nonblank = lines - blank
    if nonblank <= limit("max_paragraphs"):
        return
    one_per_line = blank < text_setting("line_per_paragraph_blank_ratio") * nonblank
    paragraphs = nonblank if one_per_line else len(_PARAGRAPH_GAP.findall(text)) + 1
    if paragraphs > limit("max_paragraphs"):
        raise too_many_parts(name, "paragraphs", int(limit("max_paragraphs")))


def too_many_parts(name: str, what: str, most: int) -> InputError:
    """The error for an input with more paragraphs, elements or lines than any story has."""
    return InputError(f"{name} has more than {most:,} {what}, more than any story forewarn reads; check that it is a story")


class SafeZip:
    """A zip archive opened from bytes after checking member count, total size and ratio.

    Members are read with a bounded read, so a member that lies about its size cannot
    unpack more than the total budget.
    """

    def __init__(self, data: bytes, name: str, kind: str) -> None:
        self.name = name
        self.kind = kind
        try:
            self._zip = zipfile.ZipFile(io.BytesIO(data))
            infos = self._zip.infolist()
        except ZIP_ERRORS:
            raise self.corrupt() from None
        if len(infos) > limit("zip_max_members"):
            raise self.bomb(f"it has {len(infos):,} files")
        total = sum(i.file_size for i in infos)
        if total > limit("zip_max_total_bytes"):
            raise self.bomb(f"it would unpack to {total:,} bytes")
        for info in infos:
            ratio = info.file_size / max(1, info.compress_size)
            if info.file_size >= limit("zip_ratio_min_bytes") and ratio > limit("zip_max_ratio"):
                raise self.bomb(f"{info.filename} is compressed {ratio:,.0f} to 1")
        self._budget = int(limit("zip_max_total_bytes"))
        self.names = [i.filename for i in infos]

    def corrupt(self) -> InputError:
        """The error for an unreadable archive."""
        return InputError(
            f"{self.name} is not a readable {self.kind} (the zip is truncated or corrupt); re-download it"
        )

    def bomb(self, why: str) -> InputError:
        """The error for an archive that would unpack too much."""
        return InputError(
            f"{self.name} looks like a zip bomb ({why}); forewarn refuses to unpack it"
        )

    def has(self, member: str) -> bool:
        """Whether the archive holds ``member``."""
        return member in self.names

    def size(self, member: str) -> int:
        """The declared unpacked size of ``member`` (0 when it is missing)."""
        try:
            return self._zip.getinfo(member).file_size
        except KeyError:
            return 0

    def open(self, member: str) -> BinaryIO:
        """A stream of one member (a member never unpacks past its declared size); charged to the
        unpacking budget by its declared size."""
        size = self.size(member)
        if size > self._budget:
            raise self.bomb(f"{member} unpacks to more than the unpacking budget")
        self._budget -= size
        try:
            return self._zip.open(member)
        except KeyError:
            raise InputError(f"{self.name} is not a readable {self.kind} ({member} is missing); re-download it") from None
        except ZIP_ERRORS:
            raise self.corrupt() from None

    def head(self, member: str, size: int) -> bytes:
        """The first ``size`` bytes of ``member`` (not charged to the budget)."""
        try:
            with self._zip.open(member) as handle:
                return handle.read(size)
        except KeyError:
            return b""
        except ZIP_ERRORS:
            raise self.corrupt() from None

    def read(self, member: str) -> bytes:
        """Read one member, bounded by what is left of the unpacking budget."""
        try:
            with self._zip.open(member) as handle:
                data = handle.read(self._budget + 1)
        except KeyError:
            raise InputError(f"{self.name} is not a readable {self.kind} ({member} is missing); re-download it") from None
        except ZIP_ERRORS:
            raise self.corrupt() from None
        if len(data) > self._budget:
            raise self.bomb(f"{member} unpacks to more than it declares")
        self._budget -= len(data)
        return data


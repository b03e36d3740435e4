"""Bounded reading: size limits for files and streams, and a zip reader that refuses bombs."""

from __future__ import annotations

import io
import lzma
import os
import stat
import zipfile
import zlib
from pathlib import Path
from typing import BinaryIO

from ..errors import InputError
from .config import limit

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


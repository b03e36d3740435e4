"""Content hashes: a work is identified by what is in it, not by its name or date."""

from __future__ import annotations

import hashlib
import os
import stat
from pathlib import Path

from ..errors import InputError
from ..readers.limits import too_large

_BLOCK = 1 << 20


def file_hash(path: Path, max_bytes: int) -> str:
    """SHA-256 of a regular file's bytes, as ``sha256:<hex>``, read in 1 MiB blocks.

    Refuses (InputError) anything that is not a regular file: a FIFO would block for ever and a
    link to ``/dev/zero`` never end. Opened without blocking and checked on the open handle, so a
    file swapped for one of those after a check is refused too; reads stop past ``max_bytes``.
    """
    descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    with os.fdopen(descriptor, "rb") as handle:
        mode = os.fstat(handle.fileno()).st_mode
        if not stat.S_ISREG(mode):
            raise InputError(f"{path.name} is not a regular file ({_kind(mode)}); forewarn reads only story files")
        digest = hashlib.sha256()
        total = 0
        while block := handle.read(_BLOCK):
            total += len(block)
            if total > max_bytes:
                raise too_large(path.name, max_bytes)
            digest.update(block)
    return f"sha256:{digest.hexdigest()}"


def _kind(mode: int) -> str:
    """What a non-regular file is, in words."""
    kinds = ((stat.S_ISFIFO, "a FIFO"), (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"),
             (stat.S_ISSOCK, "a socket"), (stat.S_ISDIR, "a folder"))
    return next((name for test, name in kinds if test(mode)), "not a plain file")

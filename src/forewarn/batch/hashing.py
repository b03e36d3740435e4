"""Content hashes: a work is identified by what is in it, not by its name or date."""

from __future__ import annotations

import hashlib
from pathlib import Path

_BLOCK = 1 << 20


def file_hash(path: Path) -> str:
    """SHA-256 of a file's bytes, as ``sha256:<hex>``, read in 1 MiB blocks."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while block := handle.read(_BLOCK):
            digest.update(block)
    return f"sha256:{digest.hexdigest()}"


"""Train / dev / test splits by author (a book or an AO3 work counts as its own author)."""

from __future__ import annotations

import hashlib

SPLITS = ("train", "dev", "test")
# Shares of authors in train and dev; the rest is test.
TRAIN_SHARE = 70
DEV_SHARE = 15


def split_of(author: str) -> str:
    """The split every passage of ``author`` belongs to (stable: a hash of the author's name)."""
    bucket = int(hashlib.sha256(author.encode("utf-8")).hexdigest(), 16) % 100
    if bucket < TRAIN_SHARE:
        return "train"
    return "dev" if bucket < TRAIN_SHARE + DEV_SHARE else "test"

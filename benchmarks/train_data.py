"""Training data for forewarn's learned heads, read from ../shared/data (never copied here).

Every source yields ``Example(text, category, target, weight, source)``: ``target`` is the
probability that ``text`` shows ``category`` (soft vote share for the AO3 passages), ``weight``
how much to trust it. Embeddings are cached under a directory outside the repository.
"""

from __future__ import annotations

import csv
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np


AO3_CATEGORY = {"abduction": "kidnapping"}


@dataclass(frozen=True, slots=True)
class Example:
    """One training text with a soft target for one category."""

    text: str
    category: str
    target: float
    weight: float
    source: str


def embed_cached(texts: list[str], path: Path) -> np.ndarray:
    """Embed ``texts`` with forewarn's shipped encoder, caching the result at ``path``."""
    from forewarn.detectors.learned import Encoder, models_dir

    digest = hashlib.sha256(("\x00".join(texts)).encode()).hexdigest()[:16]
    digest += hashlib.sha256((models_dir() / "encoder.int8.onnx").read_bytes()).hexdigest()[:8]
    target = path.with_name(f"{path.stem}-{digest}.npy")
    if target.exists():
        return np.load(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    embeddings = Encoder().encode(texts)
    np.save(target, embeddings)
    return embeddings


def ao3(data: Path) -> list[Example]:
    """AO3 passages: soft target = share of the 3 votes for the passage's one warning."""
    rows = [json.loads(line) for line in (data / "passages-aacl24" / "train.jsonl").open(encoding="utf-8")]
    return [
        Example(r["text"], AO3_CATEGORY.get(r["warning"], r["warning"]), sum(r["labels"]) / 3, 1.0, "ao3")
        for r in rows
    ]

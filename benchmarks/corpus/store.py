"""The labelled corpus as stored in ``benchmarks/annotations/corpus/`` and its loader.

Files (JSON lines):

- ``labels.jsonl``: third-party passages: ``id`` (see ``sources.py``), ``fp`` (fingerprint of the
  text that was labelled), ``labels`` (category -> severity, the settled label), ``annotator``,
  ``batch``; no text.
- ``second.jsonl``: the blind second annotation of a sample: ``id``, ``labels`` (second), ``first``
  (the first annotator's labels before any settling), ``annotator``.
- ``written.jsonl``: passages the team wrote: ``id``, ``text``, ``labels``, ``annotator``.

``load`` rebuilds every passage's text from ``../shared/data`` and checks its fingerprint.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from .sources import author_of, fingerprint, text_of
from .splits import split_of

CORPUS_DIR = Path(__file__).resolve().parents[1] / "annotations" / "corpus"


@dataclass(frozen=True, slots=True)
class Record:
    """One labelled passage with its text, split and where it came from."""

    id: str
    text: str
    labels: dict[str, str]
    split: str
    source: str
    author: str


def read_jsonl(path: Path) -> list[dict]:
    """The JSON objects of a JSON-lines file (empty when the file does not exist)."""
    if not path.exists():
        return []
    return [json.loads(line) for line in path.open(encoding="utf-8") if line.strip()]


def _written_author(passage_id: str) -> str:
    """The pseudo-author of a written passage: its writer batch and its number modulo 20
    (``written:mh1-12`` -> ``written-mh1-12``), so every batch contributes to every split."""
    prefix, number = passage_id.split(":", 1)[1].rsplit("-", 1)
    return f"written-{prefix}-{int(number) % 20}"


def load(data: Path, directory: Path = CORPUS_DIR) -> list[Record]:
    """Every labelled passage, third-party text rebuilt from ``data``; raises on a changed text."""
    records: list[Record] = []
    drifted: list[str] = []
    for row in sorted(read_jsonl(directory / "labels.jsonl"), key=lambda r: r["id"]):
        text = text_of(data, row["id"])
        if fingerprint(text) != row["fp"]:
            drifted.append(row["id"])
            continue
        author = author_of(data, row["id"])
        records.append(Record(row["id"], text, row["labels"], split_of(author), row["id"].split(":")[0], author))
    if drifted:
        raise ValueError(f"{len(drifted)} labelled passages no longer match their text, e.g. {drifted[0]}")
    for row in read_jsonl(directory / "written.jsonl"):
        author = _written_author(row["id"])
        records.append(Record(row["id"], row["text"], row["labels"], split_of(author), "written", author))
    return records

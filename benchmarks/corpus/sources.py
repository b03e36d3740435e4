"""Passages of the shared data, identified by source id and character offsets (text never copied).

Every passage has an id ``SOURCE:DOC:START-END``:

- ``pool:ao3-<work>:S-E`` - offsets into ``Work.text`` of ``fanfic-pool/works/ao3-<work>.epub`` as
  forewarn's own EPUB reader reads it (passages are forewarn's segments: whole sentences, one scene);
- ``book:<pgid>:S-E`` - offsets into ``Work.text`` of ``books/texts/<pgid>.txt`` read the same way;
- ``aacl:<example_id>:0-N`` - the whole text of one AO3 passage of ``passages-aacl24/train.jsonl``;
- ``written:<name>`` - passages the team wrote; their text is stored with the label.

``text_of`` rebuilds any passage from ``../shared/data``; ``fingerprint`` (first 10 hex digits of
the SHA-256 of the text) lets a loader check that the rebuilt text is the one that was labelled.
"""

from __future__ import annotations

import csv
import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

from forewarn.pipeline import read_work
from forewarn.stages.segment import segment


@dataclass(frozen=True, slots=True)
class SourcePassage:
    """One passage of shared data: id, text, the document it belongs to and who wrote it."""

    id: str
    text: str
    doc: str
    author: str
    chapter: int = 0


def fingerprint(text: str) -> str:
    """A short hash of a passage's text, stored with its labels to detect drift."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:10]


def document_order(passage_id: str) -> tuple[str, int]:
    """Sort key: by document, then by start offset (so each document is read once, in story order)."""
    source, doc, span = passage_id.split(":", 2)
    return f"{source}:{doc}", int(span.split("-")[0])


def parse_id(passage_id: str) -> tuple[str, str, int, int]:
    """Split ``SOURCE:DOC:START-END`` into its parts (``written`` ids have no offsets)."""
    source, doc, span = passage_id.split(":", 2)
    start, end = span.split("-")
    return source, doc, int(start), int(end)


@cache
def pool_works(data: Path) -> dict[str, dict[str, str]]:
    """Rows of ``fanfic-pool/works.tsv`` by work id (``ao3-<n>``)."""
    with (data / "fanfic-pool" / "works.tsv").open(encoding="utf-8", newline="") as handle:
        return {row["id"]: row for row in csv.DictReader(handle, delimiter="\t")}


@lru_cache(maxsize=64)
def _work_text(path: Path) -> str:
    return read_work(path).text


def _document_path(data: Path, source: str, doc: str) -> Path:
    if source == "pool":
        return data / "fanfic-pool" / "works" / f"{doc}.epub"
    if source == "book":
        return data / "books" / "texts" / f"{doc}.txt"
    raise ValueError(f"no document file for source {source!r}")


def document_passages(data: Path, source: str, doc: str) -> list[SourcePassage]:
    """forewarn's passages of one pool work or book, with their ids."""
    work = read_work(_document_path(data, source, doc))
    author = pool_works(data)[doc]["author"] if source == "pool" else f"book-{doc}"
    return [
        SourcePassage(f"{source}:{doc}:{p.start}-{p.end}", p.text, f"{source}:{doc}", author, p.chapter)
        for p in segment(work)
    ]


@cache
def aacl_rows(data: Path) -> dict[str, dict]:
    """The AO3 passages of ``passages-aacl24/train.jsonl`` by example id."""
    rows = (json.loads(line) for line in (data / "passages-aacl24" / "train.jsonl").open(encoding="utf-8"))
    return {str(row["example_id"]): row for row in rows}


def aacl_passages(data: Path) -> Iterator[SourcePassage]:
    """Every AO3 passage as a SourcePassage (the work id stands in for the unknown author)."""
    for example, row in aacl_rows(data).items():
        yield SourcePassage(f"aacl:{example}:0-{len(row['text'])}", row["text"], f"aacl:{row['work_id']}",
                            f"aacl-work-{row['work_id']}")


def text_of(data: Path, passage_id: str) -> str:
    """Rebuild the text of a third-party passage from ``data`` (the shared data folder)."""
    source, doc, start, end = parse_id(passage_id)
    if source == "aacl":
        return aacl_rows(data)[doc]["text"][start:end]
    return _work_text(_document_path(data, source, doc))[start:end]


def author_of(data: Path, passage_id: str) -> str:
    """Who wrote the passage's document: the AO3 author, the book, or the AO3 work (aacl)."""
    source, doc, _, _ = parse_id(passage_id)
    if source == "pool":
        return pool_works(data)[doc]["author"]
    if source == "book":
        return f"book-{doc}"
    return f"aacl-work-{aacl_rows(data)[doc]['work_id']}"

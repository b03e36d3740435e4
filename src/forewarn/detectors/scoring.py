"""Score raw passages with the learned detector: ``score_passages(texts)`` and JSONL streaming.

Each result is ``{"scores": {category: probability}, "labels": [categories at or above their
threshold]}``; the JSONL form adds the input line's ``id``. The thresholds are the ones scans use
(``data/learned.toml``, ``[thresholds]``: each category's operating point for a stated precision on
the corpus dev split).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from typing import IO

from ..errors import InputError

BATCH = 64


def score_passages(texts: Sequence[str]) -> list[dict]:
    """Probabilities of all categories and the labels above threshold, one dict per text."""
    from .learned import shared_detector

    if isinstance(texts, str) or not all(isinstance(t, str) for t in texts):
        raise InputError("score_passages takes a list of strings; wrap a single text in a list")
    detector = shared_detector()
    probabilities = detector.probabilities(list(texts))
    settings = detector.settings
    results = []
    for row in probabilities:
        scores = {c: round(float(p), 4) for c, p in zip(detector.categories, row)}
        labels = [c for c, p in scores.items() if p >= settings.threshold(c)]
        results.append({"scores": scores, "labels": labels})
    return results


def _records(lines: Iterable[str]) -> Iterator[tuple[object, str]]:
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError:
            raise InputError(f"line {number} is not JSON; each line must be {{\"id\": ..., \"text\": ...}}") from None
        if not isinstance(record, dict) or not isinstance(record.get("text"), str) or "id" not in record:
            raise InputError(f"line {number} needs an \"id\" and a string \"text\"")
        yield record["id"], record["text"]


def score_jsonl(source: IO[str], sink: IO[str], batch: int = BATCH) -> int:
    """Read {"id", "text"} lines from ``source``, write {"id", "scores", "labels"} lines; return the count."""
    count = 0
    pending: list[tuple[object, str]] = []

    def flush() -> None:
        for (ident, _), result in zip(pending, score_passages([text for _, text in pending])):
            sink.write(json.dumps({"id": ident, **result}, ensure_ascii=False) + "\n")
        pending.clear()

    for record in _records(source):
        pending.append(record)
        count += 1
        if len(pending) >= batch:
            flush()
    if pending:
        flush()
    return count

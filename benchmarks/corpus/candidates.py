"""Choose passages to annotate and cut them into batches for annotators.

    python benchmarks/corpus/candidates.py --data ../shared/data --scores CACHE/passages.jsonl \
        --out CACHE/batches --wave 1 [--batch-size 300]

Strata (each candidate records why it was chosen, in ``benchmarks/annotations/selection.jsonl``):

- ``cue-strong`` / ``cue-weak``: passages where the cue detector fired at >= 0.5 or 0.25..0.5 for a
  category, up to ``PER_CATEGORY`` per category and level (all of them for rare categories);
- ``tagged``: random passages of pool works whose authors' tags name a category the cues rarely see;
- ``random``: random passages of all pool works and books (realistic negatives);
- ``book-event``: the passage holding each located book event and its neighbours;
- ``aacl``: every AO3 passage of passages-aacl24 (relabelled for all 33 categories).

Batches (id + text, outside the repository) are shuffled so no annotator sees one stratum only.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import sys
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from corpus.batches import SELECTION, write_batches  # noqa: E402
from corpus.sources import aacl_passages, document_order, pool_works, text_of  # noqa: E402

PER_CATEGORY = 150
TAGGED_PER_WORK = 25
RANDOM_POOL = 2500
RANDOM_BOOKS = 400
RARE_TAGS = {"self-harm", "suicide", "eating-disorder", "addiction", "child-abuse", "abuse", "child-death",
             "mental-illness", "infidelity", "kidnapping", "miscarriage", "homophobia", "death",
             "sexual-assault", "transphobia", "racism", "childbirth", "pregnancy", "war"}


def _book_events(data: Path) -> dict[str, list[str]]:
    with (data / "books" / "events.tsv").open(encoding="utf-8", newline="") as handle:
        events: dict[str, list[str]] = defaultdict(list)
        for row in csv.DictReader(handle, delimiter="\t"):
            events[row["pgid"]].append(" ".join(row["anchor"].lower().split()))
    return events


def choose(data: Path, rows: list[dict], rng: random.Random) -> dict[str, str]:
    """Candidate id -> stratum."""
    chosen: dict[str, str] = {}
    by_level: dict[tuple[str, str], list[str]] = defaultdict(list)
    for row in rows:
        for category, score in row["cues"].items():
            level = "cue-strong" if score >= 0.5 else "cue-weak"
            by_level[(category, level)].append(row["id"])
    for (category, level), ids in sorted(by_level.items()):
        for passage_id in rng.sample(ids, min(PER_CATEGORY, len(ids))):
            chosen.setdefault(passage_id, f"{level}:{category}")
    works = pool_works(data)
    by_doc: dict[str, list[str]] = defaultdict(list)
    for row in rows:
        by_doc[row["doc"]].append(row["id"])
    for doc, ids in sorted(by_doc.items()):
        source, name = doc.split(":", 1)
        tags = set(works[name]["tag_categories"].split(",")) if source == "pool" else set()
        if tags & RARE_TAGS:
            for passage_id in rng.sample(ids, min(TAGGED_PER_WORK, len(ids))):
                chosen.setdefault(passage_id, "tagged:" + "+".join(sorted(tags & RARE_TAGS)))
    pool_ids = [r["id"] for r in rows if r["doc"].startswith("pool:")]
    book_ids = [r["id"] for r in rows if r["doc"].startswith("book:")]
    for passage_id in rng.sample(pool_ids, RANDOM_POOL):
        chosen.setdefault(passage_id, "random:pool")
    for passage_id in rng.sample(book_ids, RANDOM_BOOKS):
        chosen.setdefault(passage_id, "random:book")
    events = _book_events(data)
    for doc, ids in sorted(by_doc.items()):
        if not doc.startswith("book:"):
            continue
        anchors = events.get(doc.split(":", 1)[1], [])
        ids = sorted(ids, key=document_order)
        texts = [" ".join(text_of(data, i).lower().split()) for i in ids]
        for k, text in enumerate(texts):
            if any(anchor in text for anchor in anchors):
                for j in range(max(0, k - 1), min(len(ids), k + 2)):
                    chosen.setdefault(ids[j], "book-event")
    for passage in aacl_passages(data):
        chosen.setdefault(passage.id, "aacl")
    return chosen


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path("../shared/data"))
    parser.add_argument("--scores", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--selection", type=Path,
                        default=SELECTION)
    parser.add_argument("--batch-size", type=int, default=300)
    parser.add_argument("--seed", type=int, default=9)
    args = parser.parse_args()
    data = args.data.resolve()
    rng = random.Random(args.seed)
    rows = [json.loads(line) for line in args.scores.open(encoding="utf-8")]
    chosen = choose(data, rows, rng)
    ids = sorted(chosen)
    rng.shuffle(ids)
    texts = {passage_id: text_of(data, passage_id) for passage_id in sorted(ids, key=document_order)}
    batches = write_batches(ids, texts, chosen, args.out, "w1", args.batch_size, args.selection, append=False)
    strata = defaultdict(int)
    for stratum in chosen.values():
        strata[stratum.split(":")[0]] += 1
    print(f"{len(ids)} candidates in {batches} batches:",
          dict(strata))


if __name__ == "__main__":
    main()

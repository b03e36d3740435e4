"""Wave-2 candidates: embedding neighbours of labelled positives and the current model's top scores.

    python benchmarks/corpus/neighbours.py --data ../shared/data --cache CACHE --out CACHE/batches \
        [--per-category 120] [--batch-size 300]

For every category with fewer than ``TARGET_POSITIVES`` labelled positives, among the embedded pool
and book passages not chosen before (``annotations/selection.jsonl``):

- ``neighbour:<category>``: the passages closest (cosine) to any labelled positive of the category;
- ``model:<category>``: the passages the shipped heads score highest for the category (this also
  brings the model's confident mistakes: hard negatives).

Both halves are capped at ``--per-category``. Batches are shuffled and appended to the selection file.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from corpus.batches import SELECTION, write_batches  # noqa: E402
from corpus.sources import document_order, text_of  # noqa: E402
from corpus.store import load, read_jsonl  # noqa: E402

TARGET_POSITIVES = 400


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path("../shared/data"))
    parser.add_argument("--cache", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--wave", default="w2")
    parser.add_argument("--per-category", type=int, default=120)
    parser.add_argument("--batch-size", type=int, default=300)
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args()
    from forewarn.detectors.learned import Heads
    from forewarn.taxonomy import category_ids

    data = args.data.resolve()
    rng = random.Random(args.seed)
    ids = [json.loads(line)["id"] for line in (args.cache / "passages.jsonl").open(encoding="utf-8")]
    vectors = np.load(args.cache / "embeddings.npy", mmap_mode="r")
    embedded = np.nonzero(np.abs(np.asarray(vectors[:, :4], dtype=np.float32)).sum(axis=1) > 0)[0]
    taken = {row["id"] for row in read_jsonl(SELECTION)}
    pool = np.array([i for i in embedded if ids[i] not in taken])
    matrix = np.asarray(vectors[pool], dtype=np.float32)
    row_of = {ids[i]: i for i in embedded}
    records = load(data)
    probabilities = Heads.load().probabilities(matrix)
    chosen: dict[str, str] = {}
    for column, category in enumerate(category_ids()):
        positives = [r for r in records if category in r.labels and r.id in row_of]
        count = sum(1 for r in records if category in r.labels)
        if count >= TARGET_POSITIVES:
            continue
        if positives:
            anchors = np.asarray(vectors[[row_of[r.id] for r in positives]], dtype=np.float32)
            closeness = (matrix @ anchors.T).max(axis=1)
            for k in np.argsort(-closeness)[: args.per_category]:
                chosen.setdefault(ids[pool[k]], f"neighbour:{category}")
        for k in np.argsort(-probabilities[:, column])[: args.per_category]:
            chosen.setdefault(ids[pool[k]], f"model:{category}")
    order = sorted(chosen)
    rng.shuffle(order)
    texts = {i: text_of(data, i) for i in sorted(order, key=document_order)}
    batches = write_batches(order, texts, chosen, args.out, args.wave, args.batch_size)
    print(f"{len(order)} wave-2 candidates in {batches} batches")


if __name__ == "__main__":
    main()

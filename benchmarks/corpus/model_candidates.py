"""More candidates for chosen categories: the shipped word model's top-scoring unlabelled passages.

    python benchmarks/corpus/model_candidates.py --data ../shared/data --scores CACHE/passages.jsonl \
        --out CACHE/batches --wave w3 --categories self-harm,suicide [--per-category 300]

Scores every cached pool and book passage not chosen before with the word model (fast enough for the
whole pool), takes the top ``--per-category`` per category, and writes shuffled batches, appending the
strata (``model-words:<category>``) to ``annotations/selection.jsonl``.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from itertools import groupby
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from corpus.batches import SELECTION, write_batches  # noqa: E402
from corpus.sources import document_passages  # noqa: E402
from corpus.store import read_jsonl  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path("../shared/data"))
    parser.add_argument("--scores", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--wave", required=True)
    parser.add_argument("--categories", required=True)
    parser.add_argument("--per-category", type=int, default=300)
    parser.add_argument("--batch-size", type=int, default=300)
    args = parser.parse_args()
    from forewarn.detectors.learned import models_dir
    from forewarn.detectors.words import WordModel
    from forewarn.taxonomy import category_ids

    data = args.data.resolve()
    taken = {row["id"] for row in read_jsonl(SELECTION)}
    docs = [doc for doc, _ in groupby(json.loads(line)["doc"] for line in args.scores.open(encoding="utf-8"))]
    texts: dict[str, str] = {}
    for doc in docs:
        source, name = doc.split(":", 1)
        texts.update({p.id: p.text for p in document_passages(data, source, name) if p.id not in taken})
    ids = list(texts)
    probabilities = WordModel.load(models_dir()).probabilities([texts[i] for i in ids])
    chosen: dict[str, str] = {}
    for category in args.categories.split(","):
        column = category_ids().index(category)
        for k in np.argsort(-probabilities[:, column])[: args.per_category]:
            chosen.setdefault(ids[k], f"model-words:{category}")
    order = sorted(chosen)
    random.Random(13).shuffle(order)
    batches = write_batches(order, texts, chosen, args.out, args.wave, args.batch_size)
    print(f"{len(order)} candidates in {batches} batches")


if __name__ == "__main__":
    main()

"""Draw a blind second-annotation batch: a share of each finished first-annotation batch.

    python benchmarks/corpus/second_sample.py --labels CACHE/labels --batches CACHE/batches \
        --name x2 --from w1-012 --to w1-029 [--per-batch 30]

Writes ``BATCHES/NAME.jsonl`` (id + text only, no labels: the second annotator works blind), drawing
``--per-batch`` passages at random from every first-annotation file ``<batch>.a.jsonl`` whose batch
name lies between ``--from`` and ``--to``.
"""

from __future__ import annotations

import argparse
import json
import random
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--labels", type=Path, required=True)
    parser.add_argument("--batches", type=Path, required=True)
    parser.add_argument("--name", required=True)
    parser.add_argument("--from", dest="first", required=True)
    parser.add_argument("--to", dest="last", required=True)
    parser.add_argument("--per-batch", type=int, default=30)
    parser.add_argument("--seed", type=int, default=5)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    chosen: list[dict] = []
    for path in sorted(args.labels.glob("*.a.jsonl")):
        batch = path.name.split(".")[0]
        if not args.first <= batch <= args.last:
            continue
        texts = {json.loads(line)["id"]: json.loads(line)["text"]
                 for line in (args.batches / f"{batch}.jsonl").open(encoding="utf-8")}
        ids = [json.loads(line)["id"] for line in path.open(encoding="utf-8") if line.strip()]
        chosen += [{"id": i, "text": texts[i]} for i in rng.sample(ids, min(args.per_batch, len(ids)))]
    rng.shuffle(chosen)
    with (args.batches / f"{args.name}.jsonl").open("w", encoding="utf-8") as out:
        out.writelines(json.dumps(row) + "\n" for row in chosen)
    print(f"{len(chosen)} passages in {args.name}")


if __name__ == "__main__":
    main()

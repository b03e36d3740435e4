"""Size of the labelled corpus: passages per split and source, positives per category, hard negatives.

    python benchmarks/corpus/stats.py --data ../shared/data [--out FILE.md]

A hard negative is a real fan-fiction passage labelled with no category although it was chosen because a
detector, a tag, or an embedding neighbour pointed at it (any stratum but ``random``); ``random``
negatives are counted apart.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from corpus.batches import emit  # noqa: E402
from corpus.store import load, read_jsonl  # noqa: E402

SELECTION = Path(__file__).resolve().parents[1] / "annotations" / "selection.jsonl"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path("../shared/data"))
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    from forewarn.taxonomy import category_ids

    records = load(args.data.resolve())
    strata = {row["id"]: row["stratum"] for row in read_jsonl(SELECTION)}
    by_split = Counter(r.split for r in records)
    by_source = Counter(r.source for r in records)
    pool_negatives = [r for r in records if r.source == "pool" and not r.labels]
    hard = sum(1 for r in pool_negatives if not strata.get(r.id, "random").startswith("random"))
    lines = [f"{len(records):,} labelled passages: " + ", ".join(f"{n:,} {s}" for s, n in sorted(by_split.items()))
             + "; by source: " + ", ".join(f"{n:,} {s}" for s, n in sorted(by_source.items())) + ".",
             f"Real fan-fiction passages with no category: {len(pool_negatives):,} ({hard:,} hard negatives chosen "
             f"by a detector, tag or neighbour; {len(pool_negatives) - hard:,} random).", "",
             "| category | positives | real | written | train | dev | test |", "|---|---|---|---|---|---|---|"]
    for category in category_ids():
        having = [r for r in records if category in r.labels]
        real = sum(1 for r in having if r.source != "written")
        splits = Counter(r.split for r in having)
        lines.append(f"| {category} | {len(having)} | {real} | {len(having) - real} | {splits['train']} | "
                     f"{splits['dev']} | {splits['test']} |")
    emit(lines, args.out)


if __name__ == "__main__":
    main()

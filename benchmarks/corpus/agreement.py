"""Inter-annotator agreement on the blind second annotation: Cohen's kappa per category.

    python benchmarks/corpus/agreement.py [--out FILE.md]

Reads ``second.jsonl`` (each row holds both independent label sets). Presence of a category is the
unit (severity agreement is reported separately, over passages both annotators labelled with it).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from corpus.batches import emit  # noqa: E402
from corpus.store import CORPUS_DIR, read_jsonl  # noqa: E402


def kappa(a: list[bool], b: list[bool]) -> float | None:
    """Cohen's kappa of two binary label lists (None when both are constant and equal)."""
    n = len(a)
    observed = sum(x == y for x, y in zip(a, b)) / n
    pa, pb = sum(a) / n, sum(b) / n
    expected = pa * pb + (1 - pa) * (1 - pb)
    return None if expected == 1 else (observed - expected) / (1 - expected)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    from forewarn.taxonomy import category_ids

    rows = read_jsonl(CORPUS_DIR / "second.jsonl")
    lines = [f"Blind second annotation of {len(rows)} passages.", "",
             "| category | first | second | both | kappa | same severity |", "|---|---|---|---|---|---|"]
    pooled_a, pooled_b = [], []
    for category in category_ids():
        a = [category in r["first"] for r in rows]
        b = [category in r["labels"] for r in rows]
        if not any(a) and not any(b):
            continue
        both = [r for r in rows if category in r["first"] and category in r["labels"]]
        same = sum(r["first"][category] == r["labels"][category] for r in both)
        value = kappa(a, b)
        lines.append(f"| {category} | {sum(a)} | {sum(b)} | {len(both)} | "
                     f"{'-' if value is None else f'{value:.2f}'} | {same}/{len(both)} |")
        pooled_a += a
        pooled_b += b
    pooled = kappa(pooled_a, pooled_b) if pooled_a else None
    lines.append(f"| **all (pooled)** | {sum(pooled_a)} | {sum(pooled_b)} | | "
                 f"{'-' if pooled is None else f'{pooled:.2f}'} | |")
    exact = sum(set(r["first"]) == set(r["labels"]) for r in rows)
    lines += ["", f"Passages with identical category sets: {exact}/{len(rows)}."]
    emit(lines, args.out)


if __name__ == "__main__":
    main()

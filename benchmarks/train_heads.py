"""Train forewarn's per-category logistic heads over the MiniLM embedding.

    python benchmarks/train_heads.py --data ../shared/data --out src/forewarn/models/heads.npz
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

import train_data as td  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


@dataclass(frozen=True, slots=True)
class Head:
    """A logistic head: weights over the embedding and a bias."""

    weights: np.ndarray
    bias: float

    def probability(self, embeddings: np.ndarray) -> np.ndarray:
        """P(category | passage) for each row."""
        return 1.0 / (1.0 + np.exp(-(embeddings @ self.weights + self.bias)))


AO3_SOURCE = "ao3"
# Where a category has labelled AO3 passages, every other source together gets this share of the
# training weight (the AO3 passages get 1.0): enough to teach book and social-media language, too
# little to move the heads' operating point on fiction passages (see docs/benchmarks.md, section 2).
OTHER_SHARE = 0.1
# The AO3 block is class-balanced, so 0.5 is a head's balanced operating point on fiction passages:
# the threshold at which `forewarn score-passages` labels a passage with an AO3-trained category.
PASSAGE_THRESHOLD = 0.5


@dataclass(frozen=True, slots=True)
class Block:
    """Training rows that share one weight budget: embeddings, soft targets, per-row trust, block share."""

    x: np.ndarray
    target: np.ndarray
    weight: np.ndarray
    share: float


def fit_head(blocks: Sequence[Block], c: float = 1.0) -> Head:
    """Fit a logistic head on soft targets (each row counts as yes with weight t, no with 1-t).

    Inside each block, yes and no get equal weight mass (``share / 2`` each), so every block is
    class-balanced and 0.5 is the head's balanced operating point on the main block.
    """
    from sklearn.linear_model import LogisticRegression

    xs, ys, ws = [], [], []
    for block in blocks:
        yes, no = block.target * block.weight, (1 - block.target) * block.weight
        for label, mass in ((1.0, yes), (0.0, no)):
            if mass.sum() > 0:
                xs.append(block.x)
                ys.append(np.full(len(block.x), label))
                ws.append(mass / mass.sum() * block.share / 2)
    x, y, w = np.concatenate(xs), np.concatenate(ys), np.concatenate(ws)
    keep = w > 0
    model = LogisticRegression(C=c, max_iter=3000)
    model.fit(x[keep], y[keep], sample_weight=w[keep] / w[keep].mean())
    return Head(model.coef_[0].astype(np.float32), float(model.intercept_[0]))


def category_blocks(rows: Sequence[td.Example], embeddings: np.ndarray) -> list[Block]:
    """One category's examples as blocks: AO3 passages (share 1) and the rest (OTHER_SHARE), or one block.

    ``embeddings`` holds one row per example, in order.
    """
    target = np.array([e.target for e in rows])
    weight = np.array([e.weight for e in rows])
    ao3 = np.array([e.source == AO3_SOURCE for e in rows])
    if not ao3.any() or ao3.all():
        return [Block(embeddings, target, weight, 1.0)]
    return [
        Block(embeddings[ao3], target[ao3], weight[ao3], 1.0),
        Block(embeddings[~ao3], target[~ao3], weight[~ao3], OTHER_SHARE),
    ]


def other_examples(data: Path) -> list[td.Example]:
    """Every training source except the AO3 passages."""
    return (
        td.hatecheck(data)
        + td.cssrs(data)
        + td.written(ROOT / "benchmarks" / "annotations" / "written_examples.toml", data)
        + td.book_negatives(data, training_books(data)[0], per_book=150)
    )


def training_books(data: Path) -> tuple[set[str], set[str]]:
    """The dev books split in two: even-indexed ones give training negatives, odd-indexed ones calibrate."""
    books = sorted(p.stem for p in (data / "books" / "texts").glob("*.txt"))
    return set(books[0::2]), set(books[1::2])


def calibration_negatives(data: Path) -> list[td.Example]:
    """Held-out book paragraphs asserted free of a category, for the scan thresholds."""
    return td.book_negatives(data, training_books(data)[1], per_book=300, seed=1)


SCAN_QUANTILE = 0.995  # of held-out book negatives' probabilities


def scan_threshold(head: Head, negatives: np.ndarray, quantile: float = SCAN_QUANTILE) -> float:
    """The scan threshold: a high quantile of held-out negatives' probabilities, clipped to 0.5..0.95.

    Categories with no held-out negatives (books assert none for them) get 0.8.
    """
    if len(negatives) == 0:
        return 0.8
    return float(np.clip(np.quantile(head.probability(negatives), quantile), 0.5, 0.95))


def write_thresholds(path: Path, thresholds: dict[str, float], passage_thresholds: dict[str, float],
                     command: str) -> None:
    """Rewrite learned.toml's [thresholds] and [passage_thresholds] tables, keeping the settings above them."""
    text = path.read_text(encoding="utf-8")
    head = text.split("\n[thresholds]\n")[0].rstrip() + "\n"
    lines = ["[thresholds]", f"# Written by: {command}"]
    lines += [f"{category} = {value:.3f}" for category, value in thresholds.items()]
    lines += ["", "[passage_thresholds]", f"# Written by: {command}"]
    lines += [f"{category} = {value:.3f}" for category, value in passage_thresholds.items()]
    path.write_text(head + "\n".join(lines) + "\n", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--cache", type=Path, default=Path("/tmp/forewarn-cache"))
    parser.add_argument("--out", type=Path, default=ROOT / "src" / "forewarn" / "models" / "heads.npz")
    parser.add_argument("--settings", type=Path, default=ROOT / "src" / "forewarn" / "data" / "learned.toml")
    parser.add_argument("--c", type=float, default=1.0)
    parser.add_argument("--quantile", type=float, default=SCAN_QUANTILE, help="of held-out book negatives")
    args = parser.parse_args()

    from forewarn.taxonomy import category_ids

    examples = td.ao3(args.data) + other_examples(args.data)
    held_out = calibration_negatives(args.data)
    texts = sorted({e.text for e in examples} | {e.text for e in held_out})
    index = {t: i for i, t in enumerate(texts)}
    embeddings = td.embed_cached(texts, args.cache / "train.npy")

    weights, biases, thresholds, passage_thresholds = [], [], {}, {}
    for category in category_ids():
        rows = [e for e in examples if e.category == category]
        head = fit_head(category_blocks(rows, embeddings[[index[e.text] for e in rows]]), c=args.c)
        if any(e.source == AO3_SOURCE for e in rows):
            passage_thresholds[category] = PASSAGE_THRESHOLD
        negatives = embeddings[[index[e.text] for e in held_out if e.category == category]]
        thresholds[category] = scan_threshold(head, negatives, args.quantile)
        weights.append(head.weights)
        biases.append(head.bias)
        sources = sorted({e.source.split("-")[0] for e in rows})
        positives = sum(e.target >= 0.5 for e in rows)
        print(f"{category:16} n={len(rows):5} pos={positives:5} threshold={thresholds[category]:.2f} "
              f"{','.join(sources)}")
    np.savez_compressed(
        args.out,
        categories=np.array(category_ids()),
        weights=np.stack(weights).astype(np.float32),
        bias=np.array(biases, dtype=np.float32),
    )
    write_thresholds(args.settings, thresholds, passage_thresholds, "python " + " ".join(sys.argv))


if __name__ == "__main__":
    main()

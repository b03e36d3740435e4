"""Train forewarn's per-category logistic heads over the MiniLM embedding.

    python benchmarks/train_heads.py --data ../shared/data --out src/forewarn/models/heads.npz
"""

from __future__ import annotations

import argparse
import sys
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


def fit_head(x: np.ndarray, target: np.ndarray, c: float = 1.0, weight: np.ndarray | None = None) -> Head:
    """Fit a balanced logistic head on soft targets (each row counts as yes with weight t, no with 1-t)."""
    from sklearn.linear_model import LogisticRegression

    weight = np.ones(len(x)) if weight is None else weight
    xs = np.concatenate([x, x])
    ys = np.concatenate([np.ones(len(x)), np.zeros(len(x))])
    ws = np.concatenate([target * weight, (1 - target) * weight])
    keep = ws > 0
    xs, ys, ws = xs[keep], ys[keep], ws[keep]
    pos, neg = ws[ys == 1].sum(), ws[ys == 0].sum()
    ws = np.where(ys == 1, ws * len(ws) / (2 * pos), ws * len(ws) / (2 * neg))
    model = LogisticRegression(C=c, max_iter=2000)
    model.fit(xs, ys, sample_weight=ws)
    return Head(model.coef_[0].astype(np.float32), float(model.intercept_[0]))


def calibrate(probabilities: np.ndarray, quantile: float, low: float, high: float, fallback: float) -> float:
    """The decision threshold: a high quantile of held-out negatives' probabilities, clipped.

    ``fallback`` serves categories with no held-out negatives (books assert none for them).
    """
    if len(probabilities) == 0:
        return fallback
    return float(np.clip(np.quantile(probabilities, quantile), low, high))


def write_thresholds(path: Path, thresholds: dict[str, float], command: str) -> None:
    """Rewrite learned.toml's [thresholds] table, keeping the settings above it."""
    text = path.read_text(encoding="utf-8")
    head = text.split("[thresholds]")[0].rstrip() + "\n\n"
    lines = ["[thresholds]", f"# Written by: {command}"]
    lines += [f'{category} = {value:.3f}' for category, value in thresholds.items()]
    path.write_text(head + "\n".join(lines) + "\n", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--cache", type=Path, default=Path("/tmp/forewarn-cache"))
    parser.add_argument("--out", type=Path, default=ROOT / "src" / "forewarn" / "models" / "heads.npz")
    parser.add_argument("--settings", type=Path, default=ROOT / "src" / "forewarn" / "data" / "learned.toml")
    parser.add_argument("--c", type=float, default=1.0)
    parser.add_argument("--quantile", type=float, default=0.995, help="of held-out book negatives")
    args = parser.parse_args()

    from forewarn.taxonomy import category_ids

    books = sorted(p.stem for p in (args.data / "books" / "texts").glob("*.txt"))
    train_books, calibration_books = set(books[0::2]), set(books[1::2])
    examples = (
        td.ao3(args.data)
        + td.hatecheck(args.data)
        + td.cssrs(args.data)
        + td.written(ROOT / "benchmarks" / "annotations" / "written_examples.toml", args.data)
        + td.book_negatives(args.data, train_books, per_book=150)
    )
    held_out = td.book_negatives(args.data, calibration_books, per_book=300, seed=1)
    texts = sorted({e.text for e in examples} | {e.text for e in held_out})
    index = {t: i for i, t in enumerate(texts)}
    embeddings = td.embed_cached(texts, args.cache / "train.npy")

    weights, biases, thresholds = [], [], {}
    for category in category_ids():
        rows = [e for e in examples if e.category == category]
        x = embeddings[[index[e.text] for e in rows]]
        head = fit_head(
            x, np.array([e.target for e in rows]), c=args.c, weight=np.array([e.weight for e in rows])
        )
        negatives = embeddings[[index[e.text] for e in held_out if e.category == category]]
        thresholds[category] = calibrate(head.probability(negatives), args.quantile, 0.5, 0.95, 0.8)
        weights.append(head.weights)
        biases.append(head.bias)
        sources = sorted({e.source.split("-")[0] for e in rows})
        positives = sum(e.target >= 0.5 for e in rows)
        print(f"{category:16} n={len(rows):5} pos={positives:5} threshold={thresholds[category]:.2f} {','.join(sources)}")
    np.savez_compressed(
        args.out,
        categories=np.array(category_ids()),
        weights=np.stack(weights).astype(np.float32),
        bias=np.array(biases, dtype=np.float32),
    )
    write_thresholds(args.settings, thresholds, "python " + " ".join(sys.argv))


if __name__ == "__main__":
    main()

"""Train forewarn's per-category logistic heads over the MiniLM embedding.

    python benchmarks/train_heads.py --data ../shared/data --out src/forewarn/models/heads.npz
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


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

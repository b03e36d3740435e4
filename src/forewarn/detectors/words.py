"""The word model: TF-IDF over words and word pairs with one logistic head per category.

It reads every passage in well under a second even for a novel, so it serves twice: its
probabilities are averaged with the encoder heads' (the two read different things: exact wording
and overall meaning), and its **gate** head (does the passage show any category at all?) is the first
stage for works longer than ``full_read_words``: it picks the passages the encoder must read, at the
``first_stage`` probability of ``data/learned.toml`` (set to pass 98% of the passages the combined
model flags, measured out of fold on the corpus). The features are computed exactly as scikit-learn's ``TfidfVectorizer``
(lower-cased ``\\b\\w\\w+\\b`` tokens, unigrams and bigrams, sublinear tf, smoothed idf, L2 norm) was
configured in ``benchmarks/train_detector.py``; only NumPy runs here.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import numpy as np

WORDS_FILE = "words.npz"
_TOKEN = re.compile(r"(?u)\b\w\w+\b")


def terms(text: str) -> Counter:
    """Counts of the lower-cased words and adjacent word pairs of ``text``."""
    tokens = _TOKEN.findall(text.lower())
    return Counter(tokens + [f"{a} {b}" for a, b in zip(tokens, tokens[1:])])


class WordModel:
    """TF-IDF features over a fixed vocabulary and linear heads, one per category."""

    def __init__(self, vocabulary: Sequence[str], idf: np.ndarray, weights: np.ndarray, bias: np.ndarray,
                 gate_weights: np.ndarray, gate_bias: float):
        self.index = {term: k for k, term in enumerate(vocabulary)}
        self.idf = np.asarray(idf, dtype=np.float32)
        # One matrix: the category heads, then the gate as the last row.
        self.weights = np.vstack([np.asarray(weights, dtype=np.float32), np.asarray(gate_weights, dtype=np.float32)])
        self.bias = np.append(np.asarray(bias, dtype=np.float32), np.float32(gate_bias))
        if self.weights.shape != (len(self.bias), len(self.index)) or self.idf.shape != (len(self.index),):
            raise ValueError("word model: vocabulary, idf and weights do not match")

    @classmethod
    def load(cls, directory: Path) -> WordModel:
        """The word model stored in ``directory / words.npz``."""
        with np.load(directory / WORDS_FILE, allow_pickle=False) as data:
            return cls(data["vocabulary"].tolist(), data["idf"], data["weights"], data["bias"],
                       data["gate_weights"], float(data["gate_bias"]))

    def scores(self, texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        """Per-category probabilities, shape (len(texts), categories), and the gate's, shape (len(texts),)."""
        out = np.zeros((len(texts), len(self.bias)), dtype=np.float32)
        for row, text in enumerate(texts):
            found = [(self.index[t], 1.0 + math.log(n)) for t, n in terms(text).items() if t in self.index]
            logits = self.bias.copy()
            if found:
                columns = np.array([k for k, _ in found])
                values = np.array([v for _, v in found], dtype=np.float32) * self.idf[columns]
                logits += self.weights[:, columns] @ (values / np.linalg.norm(values))
            out[row] = logits
        probabilities = 1.0 / (1.0 + np.exp(-np.clip(out, -30, 30)))
        return probabilities[:, :-1], probabilities[:, -1]

    def probabilities(self, texts: Sequence[str]) -> np.ndarray:
        """Per-category probabilities, shape (len(texts), categories)."""
        return self.scores(texts)[0]

"""The learned passage detector: an int8 ONNX MiniLM encoder with one logistic head per category.

Everything loads from the files shipped in ``forewarn/models`` (see its MODEL_CARD.md): the
encoder graph, its ``tokenizer.json``, the trained heads (``heads.npz``) and the per-category
decision thresholds (``data/learned.toml``): one for a passage judged on its own (``score-passages``)
and a stricter one for scans, where a novel's thousands of passages multiply every false alarm. Only
ONNX Runtime, ``tokenizers`` and NumPy run here; nothing is fetched from a network, and PyTorch is
never imported.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

import numpy as np

from ..taxonomy import category_ids, load_data_toml
from .base import Evidence, Passage

ENCODER_FILE = "encoder.int8.onnx"
TOKENIZER_FILE = "tokenizer.json"
HEADS_FILE = "heads.npz"


def models_dir() -> Path:
    """The directory of the model files shipped inside the package."""
    return Path(str(resources.files("forewarn").joinpath("models")))


@dataclass(frozen=True, slots=True)
class LearnedSettings:
    """Encoder and decision settings read from ``data/learned.toml``."""

    max_tokens: int
    batch_size: int
    default_threshold: float
    thresholds: dict[str, float]
    report_floor: float
    passage_thresholds: dict[str, float]

    def threshold(self, category: str) -> float:
        """The probability at which a scan counts this category as present in a passage."""
        return self.thresholds.get(category, self.default_threshold)

    def passage_threshold(self, category: str) -> float:
        """The probability at which one passage judged on its own is labelled with this category.

        Categories trained on labelled fiction passages have their own (balanced) operating point;
        the others fall back to the scan threshold.
        """
        return self.passage_thresholds.get(category, self.threshold(category))


@cache
def load_settings() -> LearnedSettings:
    """The learned-detector settings shipped with forewarn."""
    data = load_data_toml("learned.toml")
    known = set(category_ids())
    thresholds = {k: float(v) for k, v in data.get("thresholds", {}).items()}
    passage_thresholds = {k: float(v) for k, v in data.get("passage_thresholds", {}).items()}
    unknown = sorted((set(thresholds) | set(passage_thresholds)) - known)
    if unknown:
        raise ValueError(f"learned.toml names unknown categories: {', '.join(unknown)}")
    return LearnedSettings(
        max_tokens=int(data["max_tokens"]),
        batch_size=int(data["batch_size"]),
        default_threshold=float(data["default_threshold"]),
        thresholds=thresholds,
        report_floor=float(data["report_floor"]),
        passage_thresholds=passage_thresholds,
    )


THREADS_VARIABLE = "FOREWARN_THREADS"


def encoder_threads() -> int:
    """Threads the encoder may use: ``$FOREWARN_THREADS`` (set by worker pools), else up to 4 cores."""
    configured = os.environ.get(THREADS_VARIABLE, "")
    return int(configured) if configured.isdigit() and int(configured) > 0 else min(4, os.cpu_count() or 1)


def share_cores(workers: int) -> None:
    """Give each of ``workers`` processes its share of the cores, unless ``$FOREWARN_THREADS`` is set.

    Call it in the worker before scanning.
    """
    os.environ.setdefault(THREADS_VARIABLE, str(max(1, (os.cpu_count() or 1) // max(1, workers))))


class Encoder:
    """Sentence embeddings (L2-normalised, mean-pooled MiniLM) computed with ONNX Runtime."""

    def __init__(self, directory: Path | None = None, max_tokens: int = 256, threads: int | None = None):
        import onnxruntime as ort
        from tokenizers import Tokenizer

        directory = directory or models_dir()
        self.tokenizer = Tokenizer.from_file(str(directory / TOKENIZER_FILE))
        self.tokenizer.enable_truncation(max_length=max_tokens)
        self.tokenizer.no_padding()
        options = ort.SessionOptions()
        options.intra_op_num_threads = threads or encoder_threads()
        options.inter_op_num_threads = 1
        options.log_severity_level = 3
        self.session = ort.InferenceSession(
            str(directory / ENCODER_FILE), options, providers=["CPUExecutionProvider"]
        )
        self.dimension = int(self.session.get_outputs()[0].shape[-1])

    def encode(self, texts: Sequence[str], batch_size: int = 32) -> np.ndarray:
        """Embed ``texts``; returns a float32 array of shape (len(texts), dimension)."""
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        if not texts:
            return out
        encodings = self.tokenizer.encode_batch(list(texts))
        order = np.argsort([len(e.ids) for e in encodings], kind="stable")
        for begin in range(0, len(order), batch_size):
            rows = order[begin : begin + batch_size]
            width = max(len(encodings[i].ids) for i in rows)
            ids = np.zeros((len(rows), width), dtype=np.int64)
            mask = np.zeros((len(rows), width), dtype=np.int64)
            for r, i in enumerate(rows):
                n = len(encodings[i].ids)
                ids[r, :n] = encodings[i].ids
                mask[r, :n] = 1
            out[rows] = self.session.run(None, {"input_ids": ids, "attention_mask": mask})[0]
        return out


class Heads:
    """One logistic-regression head per category over the sentence embedding."""

    def __init__(self, categories: Sequence[str], weights: np.ndarray, bias: np.ndarray):
        self.categories: list[str] = [str(c) for c in categories]
        self.weights = np.asarray(weights, dtype=np.float32)
        self.bias = np.asarray(bias, dtype=np.float32)
        if self.weights.shape[0] != len(self.categories) or self.bias.shape != (len(self.categories),):
            raise ValueError("heads: weights and categories do not match")

    @classmethod
    def load(cls, path: Path | None = None) -> Heads:
        """The heads stored in ``path`` (default: the ``heads.npz`` shipped with forewarn)."""
        with np.load(path or models_dir() / HEADS_FILE, allow_pickle=False) as data:
            return cls(data["categories"], data["weights"], data["bias"])

    def probabilities(self, embeddings: np.ndarray) -> np.ndarray:
        """Per-category probabilities, shape (len(embeddings), len(categories))."""
        logits = embeddings @ self.weights.T + self.bias
        return 1.0 / (1.0 + np.exp(-np.clip(logits, -30, 30)))


def to_score(probability: float, threshold: float) -> float:
    """Map a probability onto the assessor's scale, where 0.5 means "at the threshold"."""
    if probability >= threshold:
        return 0.5 + 0.5 * (probability - threshold) / max(1e-9, 1.0 - threshold)
    return 0.5 * probability / max(1e-9, threshold)


class LearnedDetector:
    """Reads every passage it is given with the MiniLM encoder and the trained heads."""

    name = "minilm"
    version = "1"

    def __init__(self, encoder: Encoder | None = None, heads: Heads | None = None):
        self.settings = load_settings()
        self._encoder = encoder
        self.heads = heads or Heads.load()

    @property
    def encoder(self) -> Encoder:
        """The ONNX encoder, loaded on first use so that building the detector is cheap."""
        if self._encoder is None:
            self._encoder = Encoder(max_tokens=self.settings.max_tokens)
        return self._encoder

    @property
    def categories(self) -> list[str]:
        """The categories the heads score, in column order."""
        return self.heads.categories

    def probabilities(self, texts: Sequence[str]) -> np.ndarray:
        """Per-category probabilities for raw texts, shape (len(texts), len(categories))."""
        embeddings = self.encoder.encode(texts, batch_size=self.settings.batch_size)
        return self.heads.probabilities(embeddings)

    def detect(self, passages: Sequence[Passage]) -> list[Evidence]:
        """Evidence for every (passage, category) whose score reaches the report floor."""
        probs = self.probabilities([p.text for p in passages])
        floor = self.settings.report_floor
        evidence: list[Evidence] = []
        for row, passage in zip(probs, passages):
            for column, category in enumerate(self.categories):
                score = to_score(float(row[column]), self.settings.threshold(category))
                if score >= floor:
                    evidence.append(
                        Evidence(
                            category=category,
                            score=round(score, 4),
                            passage=passage.index,
                            detector=self.name,
                            explanation=f"MiniLM head: p={row[column]:.2f}",
                        )
                    )
        return evidence


@cache
def shared_detector() -> LearnedDetector:
    """One LearnedDetector per process (loading the encoder takes a moment)."""
    return LearnedDetector()

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
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

import numpy as np

from ..config import learned_config
from ..taxonomy import SEVERITIES, data_file
from .base import Evidence, Explanation, Passage, ProgressHook, files_version
from .words import WORDS_FILE, WordModel

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
    full_read_words: int
    report_floor: float
    first_stage: float
    thresholds: dict[str, float]

    def threshold(self, category: str) -> float:
        """The probability at which a passage counts as showing this category."""
        return self.thresholds[category]


@cache
def load_settings() -> LearnedSettings:
    """The learned-detector settings shipped with forewarn (every category needs a threshold)."""
    data = learned_config()
    return LearnedSettings(
        max_tokens=data.max_tokens,
        batch_size=data.batch_size,
        full_read_words=data.full_read_words,
        report_floor=data.report_floor,
        first_stage=data.first_stage,
        thresholds=dict(data.thresholds),
    )


def write_thresholds(path: Path, first_stage: float, thresholds: dict[str, float], note: str) -> None:
    """Rewrite ``first_stage`` and the ``[thresholds]`` table of ``learned.toml`` (used by the trainer).

    The table must be the file's last; everything above it except the ``first_stage`` line is kept.
    """
    text = path.read_text(encoding="utf-8")
    head = text[: text.index("\n[thresholds]")] if "\n[thresholds]" in text else text
    head = re.sub(r"(?m)^first_stage = .*$", f"first_stage = {first_stage:.4f}", head)
    lines = ["[thresholds]", f"# {note}"] + [f"{c} = {v:.4f}" for c, v in thresholds.items()]
    path.write_text(head.rstrip("\n") + "\n\n" + "\n".join(lines) + "\n", encoding="utf-8")


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
        # ONNX Runtime's official builds send telemetry (1DS, mobile.events.data.microsoft.com) and keep an
        # event queue and device id under ~/.cache/Microsoft; only this variable, read when the library is
        # first imported, stops all of it (disable_telemetry_events() alone still uploads).
        os.environ["ORT_DISABLE_TELEMETRY"] = "1"
        import onnxruntime as ort
        from tokenizers import Tokenizer

        ort.disable_telemetry_events()

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

    def encode(self, texts: Sequence[str], batch_size: int = 32,
               progress: ProgressHook | None = None) -> np.ndarray:
        """Embed ``texts``; returns a float32 array of shape (len(texts), dimension).

        ``progress`` hears (texts embedded, len(texts)) after each batch.
        """
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
            if progress is not None:
                progress(begin + len(rows), len(texts))
        return out


class Heads:
    """The category heads (one hidden ReLU layer, a sigmoid per category) and the severity head.

    ``arrays`` holds ``hidden_weights`` (H x D), ``hidden_bias`` (H), ``weights`` (C x H), ``bias`` (C),
    and the severity head over [embedding, one-hot category]: ``severity_weights`` (3 x (D + C)),
    ``severity_bias`` (3).
    """

    def __init__(self, categories: Sequence[str], arrays: dict[str, np.ndarray]):
        self.categories: list[str] = [str(c) for c in categories]
        self.hidden_weights = np.asarray(arrays["hidden_weights"], dtype=np.float32)
        self.hidden_bias = np.asarray(arrays["hidden_bias"], dtype=np.float32)
        self.weights = np.asarray(arrays["weights"], dtype=np.float32)
        self.bias = np.asarray(arrays["bias"], dtype=np.float32)
        self.severity_weights = np.asarray(arrays["severity_weights"], dtype=np.float32)
        self.severity_bias = np.asarray(arrays["severity_bias"], dtype=np.float32)
        if self.weights.shape[0] != len(self.categories) or self.bias.shape != (len(self.categories),):
            raise ValueError("heads: weights and categories do not match")
        if self.severity_weights.shape[1] != self.hidden_weights.shape[1] + len(self.categories):
            raise ValueError("heads: the severity head does not match the embedding and categories")

    @classmethod
    def load(cls, path: Path | None = None) -> Heads:
        """The heads stored in ``path`` (default: the ``heads.npz`` shipped with forewarn)."""
        with np.load(path or models_dir() / HEADS_FILE, allow_pickle=False) as data:
            return cls(data["categories"], {key: data[key] for key in data.files if key != "categories"})

    def probabilities(self, embeddings: np.ndarray) -> np.ndarray:
        """Per-category probabilities, shape (len(embeddings), len(categories))."""
        hidden = np.maximum(embeddings @ self.hidden_weights.T + self.hidden_bias, 0.0)
        logits = hidden @ self.weights.T + self.bias
        return 1.0 / (1.0 + np.exp(-np.clip(logits, -30, 30)))

    def severity(self, embedding: np.ndarray, category: str) -> str:
        """The most likely severity of ``category`` in the passage with this embedding."""
        onehot = np.zeros(len(self.categories), dtype=np.float32)
        onehot[self.categories.index(category)] = 1.0
        logits = self.severity_weights @ np.concatenate([embedding, onehot]) + self.severity_bias
        return SEVERITIES[int(np.argmax(logits))]


def to_score(probability: float, threshold: float) -> float:
    """Map a probability onto the assessor's scale, where 0.5 means "at the threshold"."""
    if probability >= threshold:
        return 0.5 + 0.5 * (probability - threshold) / max(1e-9, 1.0 - threshold)
    return 0.5 * probability / max(1e-9, threshold)


def model_files(directory: Path | None = None) -> list[Path]:
    """Every model and settings file the learned detector loads."""
    directory = directory or models_dir()
    return [directory / ENCODER_FILE, directory / TOKENIZER_FILE, directory / HEADS_FILE,
            directory / WORDS_FILE, data_file("learned.toml")]


class LearnedDetector:
    """Reads every passage of a story with the word model and the MiniLM encoder heads.

    A passage's probability for a category is the mean of the two models'. Stories longer than
    ``full_read_words`` are first read by the word model alone, whose gate passes the passages worth the
    encoder's time (at ``first_stage``); ``thorough=True`` sends every passage to the encoder.
    """

    name = "learned"

    def __init__(self, encoder: Encoder | None = None, heads: Heads | None = None,
                 words: WordModel | None = None, thorough: bool = False):
        self.settings = load_settings()
        self._encoder = encoder
        self.heads = heads or Heads.load()
        self.words = words or WordModel.load(models_dir())
        self.thorough = thorough
        self.last_read = 0

    @property
    def version(self) -> str:
        """Derived from the shipped model and settings files (and the reading mode)."""
        return files_version(self.files) + ("-thorough" if self.thorough else "")

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
        """Per-category probabilities for raw texts (both models), shape (len(texts), categories)."""
        embeddings = self.encoder.encode(texts, batch_size=self.settings.batch_size)
        return (self.heads.probabilities(embeddings) + self.words.probabilities(texts)) / 2

    def to_read(self, passages: Sequence[Passage], gate: np.ndarray) -> list[int]:
        """Positions of the passages the encoder reads: all, or the first stage's pick in a long work."""
        words = sum(len(p.text.split()) for p in passages)
        if self.thorough or words <= self.settings.full_read_words:
            return list(range(len(passages)))
        return [int(i) for i in np.nonzero(gate >= self.settings.first_stage)[0]]

    @property
    def files(self) -> list[Path]:
        """Every model and settings file this detector loads (for the engine's fingerprint)."""
        return model_files()

    def detect(self, passages: Sequence[Passage], *, progress: ProgressHook | None = None) -> list[Evidence]:
        """Evidence for every (passage, category) whose score reaches the report floor.

        ``progress`` hears (passages scored, total) as the encoder works through its batches.
        """
        word_probabilities, gate = self.words.scores([p.text for p in passages])
        read = self.to_read(passages, gate)
        self.last_read = len(read)
        skipped = len(passages) - len(read)  # the first stage has already judged these
        hook = None if progress is None else (lambda done, _: progress(skipped + done, len(passages)))
        if hook is not None:
            hook(0, len(read))
        embeddings = self.encoder.encode([passages[i].text for i in read], batch_size=self.settings.batch_size,
                                         progress=hook)
        probabilities = (self.heads.probabilities(embeddings) + word_probabilities[read]) / 2
        thresholds = [self.settings.threshold(c) for c in self.categories]
        floor = self.settings.report_floor
        evidence: list[Evidence] = []
        for embedding, row, position in zip(embeddings, probabilities, read):
            for column, category in enumerate(self.categories):
                score = to_score(float(row[column]), thresholds[column])
                if score >= floor:
                    evidence.append(
                        Evidence(
                            category=category,
                            score=round(score, 4),
                            passage=passages[position].index,
                            detector=self.name,
                            severity=self.heads.severity(embedding, category),
                            explanation=(Explanation(self.name, category, float(row[column]),
                                                     ((passages[position].start, passages[position].end),),
                                                     kind="head"),),
                        )
                    )
        return evidence


@cache
def shared_detector(thorough: bool = False) -> LearnedDetector:
    """One LearnedDetector per process and reading mode (loading the encoder takes a moment)."""
    if thorough:
        base = shared_detector()
        return LearnedDetector(encoder=base.encoder, heads=base.heads, words=base.words, thorough=True)
    return LearnedDetector()

"""Passage benchmark: the protocol of Wiegmann et al. (ACL 2024) on the AO3 passages.

For each warning: balanced test samples of 20 positive + 20 negative passages (fewer positives
when the pool has fewer), 5 random resamples, a classifier trained on the remaining passages;
mean and per-warning accuracy, positive rate and F1; majority (>= 2 of 3 votes) and minority
(>= 1 vote) gold; in-distribution (all sets) and out-of-distribution (train on set_id 0,
test on set_id 1).

The classifier is the one forewarn ships, made by the code that makes the shipped heads
(``benchmarks/train_heads.py``): a logistic head over the int8 MiniLM embedding, fitted on the
warning's training passages (class-balanced, vote-share targets) plus forewarn's other sources
(HateCheck, C-SSRS, our sentences, book negatives) at a tenth of the weight; never on a test passage.
A test passage is positive when the head reaches its passage threshold: exactly what
``forewarn score-passages`` labels.

``--detectors`` also scans every test passage as a story with ``forewarn scan``'s detectors (cues
only, the default cascade, ``--thorough``), the learned ones using the resample's head and its scan
threshold; a passage counts as positive when the report has a finding of the warning's category.

    python benchmarks/passages.py --data ../shared/data [--detectors] [--cache /tmp/forewarn-cache]
"""

from __future__ import annotations

import argparse
import datetime
import json
import platform
import sys
import time
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

import train_data as td  # noqa: E402
from train_heads import (  # noqa: E402
    AO3_SOURCE,
    PASSAGE_THRESHOLD,
    calibration_negatives,
    category_blocks,
    fit_head,
    other_examples,
    scan_threshold,
)

WARNINGS = ("violence", "war", "death", "abduction", "misogyny", "homophobia", "racism", "ableism")
RESAMPLES = 5
PER_CLASS = 20
SCAN_MODES = ("cues", "cascade", "thorough")


def load_passages(data: Path) -> list[dict]:
    """The AO3 passages (train part) as dicts with warning, votes, text and set_id."""
    path = data / "passages-aacl24" / "train.jsonl"
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def gold(rows: list[dict], minority: bool) -> np.ndarray:
    """1 where the passage is positive under majority (>=2 votes) or minority (>=1 vote) gold."""
    need = 1 if minority else 2
    return np.array([int(sum(r["labels"]) >= need) for r in rows])


def draw_test_sample(pool: np.ndarray, y: np.ndarray, seed: int) -> np.ndarray:
    """Indices of a balanced test sample from ``pool``: PER_CLASS positives and negatives (fewer when
    the pool has fewer), drawn with a generator seeded by ``seed``."""
    rng = np.random.default_rng(seed)
    pos, neg = np.flatnonzero(pool & (y == 1)), np.flatnonzero(pool & (y == 0))
    k = min(PER_CLASS, len(pos), len(neg))
    return np.concatenate([rng.choice(pos, k, replace=False), rng.choice(neg, k, replace=False)])


def soft(rows: list[dict], minority: bool) -> np.ndarray:
    """Training targets: the share of votes (minority gold counts one vote as a full yes)."""
    votes = np.array([sum(r["labels"]) for r in rows], dtype=np.float64)
    return np.clip(votes, 0, 1) if minority else votes / 3.0


@dataclass
class Corpus:
    """The passages, forewarn's other training sources and the book negatives, embedded once."""

    rows: list[dict]
    passages: np.ndarray
    others: list[td.Example]
    held_out: list[td.Example]
    index: dict[str, int]
    embeddings: np.ndarray

    def embed(self, examples: list[td.Example]) -> np.ndarray:
        """Embeddings of training examples (cached texts)."""
        return self.embeddings[[self.index[e.text] for e in examples]]


def load_corpus(data: Path, cache: Path) -> Corpus:
    """Read and embed everything the benchmark trains and tests on (cached after the first run)."""
    rows = load_passages(data)
    others, held_out = other_examples(data), calibration_negatives(data)
    texts = sorted({r["text"] for r in rows} | {e.text for e in others} | {e.text for e in held_out})
    index = {t: i for i, t in enumerate(texts)}
    embeddings = td.embed_cached(texts, cache / "train.npy")
    passages = embeddings[[index[r["text"]] for r in rows]]
    return Corpus(rows, passages, others, held_out, index, embeddings)


class CachedEncoder:
    """The shipped encoder with a memory of texts it has embedded (test passages recur across resamples)."""

    def __init__(self) -> None:
        from forewarn.detectors.learned import Encoder

        self.encoder = Encoder()
        self.memory: dict[str, np.ndarray] = {}

    def encode(self, texts: list[str], batch_size: int = 32) -> np.ndarray:
        """Embeddings of ``texts``, computing only the new ones."""
        new = [t for t in dict.fromkeys(texts) if t not in self.memory]
        if new:
            self.memory.update(zip(new, self.encoder.encode(new, batch_size=batch_size)))
        return np.stack([self.memory[t] for t in texts])


def scan_predictions(texts: list[str], category: str, head, threshold: float, encoder: CachedEncoder) -> dict:
    """Per scan mode, 1 where scanning the text as a story reports ``category``."""
    from forewarn.detectors.cascade import CascadeDetector
    from forewarn.detectors.cues import CueDetector
    from forewarn.detectors.learned import Heads, LearnedDetector

    heads = Heads([category], head.weights[None, :], np.array([head.bias]))
    learned = LearnedDetector(encoder=encoder, heads=heads)
    learned.settings = replace(learned.settings, thresholds={category: threshold})
    cues = CueDetector()
    detectors = {
        "cues": cues,
        "cascade": CascadeDetector(cues, learned),
        "thorough": CascadeDetector(cues, learned, thorough=True),
    }
    out = {}
    for mode, detector in detectors.items():
        out[mode] = np.array([int(category in scanned_categories(text, detector)) for text in texts])
    return out


def scanned_categories(text: str, detector) -> set[str]:
    """Categories a scan of ``text`` reports; none when forewarn refuses the text as having no story
    (3 of the 2,893 passages are a disclaimer or warning note only)."""
    import forewarn

    try:
        return {f.category for f in forewarn.scan(text, detectors=[detector]).findings}
    except forewarn.InputError:
        return set()


def metrics(pred: np.ndarray, truth: np.ndarray) -> tuple[float, float, float]:
    """Accuracy, positive rate and F1 of binary predictions."""
    tp = int(((pred == 1) & (truth == 1)).sum())
    precision = tp / max(1, pred.sum())
    recall = tp / max(1, truth.sum())
    return float((pred == truth).mean()), float(pred.mean()), 2 * precision * recall / max(1e-9, precision + recall)


def run(corpus: Corpus, minority: bool, ood: bool, c: float, encoder: CachedEncoder | None) -> dict:
    """Run the protocol for one setting; return per-warning and mean metrics."""
    rows = corpus.rows
    y = gold(rows, minority)
    target = soft(rows, minority)
    warning = np.array([r["warning"] for r in rows])
    set_id = np.array([r["set_id"] for r in rows])
    modes = ("passage", *SCAN_MODES) if encoder else ("passage",)
    per_warning: dict[str, dict] = {}
    for w in WARNINGS:
        category = td.AO3_CATEGORY.get(w, w)
        others = [e for e in corpus.others if e.category == category]
        other_embeddings = corpus.embed(others)
        negatives = corpus.embed([e for e in corpus.held_out if e.category == category])
        in_w = warning == w
        pool = in_w & (set_id == 1) if ood else in_w
        scores: dict[str, list[tuple[float, float, float]]] = {m: [] for m in modes}
        for seed in range(RESAMPLES):
            test = draw_test_sample(pool, y, seed)
            train = in_w & (set_id == 0) if ood else in_w.copy()
            train[test] = False
            ao3 = [td.Example(rows[i]["text"], category, float(target[i]), 1.0, AO3_SOURCE)
                   for i in np.flatnonzero(train)]
            embeddings = np.concatenate([corpus.passages[train], other_embeddings])
            head = fit_head(category_blocks(ao3 + others, embeddings), c=c)
            truth = y[test]
            predictions = {"passage": (head.probability(corpus.passages[test]) >= PASSAGE_THRESHOLD).astype(int)}
            if encoder:
                threshold = scan_threshold(head, negatives)
                texts = [rows[i]["text"] for i in test]
                predictions |= scan_predictions(texts, category, head, threshold, encoder)
            for mode, pred in predictions.items():
                scores[mode].append(metrics(pred, truth))
        per_warning[w] = {
            mode: {
                "accuracy": float(np.mean([s[0] for s in got])),
                "accuracy_sd": float(np.std([s[0] for s in got])),
                "positive_rate": float(np.mean([s[1] for s in got])),
                "f1": float(np.mean([s[2] for s in got])),
            }
            for mode, got in scores.items()
        } | {"test_per_class": len(test) // 2}
    return {
        "gold": "minority" if minority else "majority",
        "split": "out-of-distribution" if ood else "in-distribution",
        "mean": {
            mode: {
                "accuracy": float(np.mean([per_warning[w][mode]["accuracy"] for w in WARNINGS])),
                "f1": float(np.mean([per_warning[w][mode]["f1"] for w in WARNINGS])),
                "positive_rate": float(np.mean([per_warning[w][mode]["positive_rate"] for w in WARNINGS])),
            }
            for mode in modes
        },
        "per_warning": per_warning,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path(__file__).resolve().parents[2] / "shared" / "data")
    parser.add_argument("--cache", type=Path, default=Path("/tmp/forewarn-cache"))
    parser.add_argument("--c", type=float, default=1.0, help="inverse regularisation of the heads")
    parser.add_argument("--detectors", action="store_true",
                        help="also scan the test passages with cues / cascade / thorough (majority gold)")
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args()
    started = time.time()
    corpus = load_corpus(args.data, args.cache)
    encoder = CachedEncoder() if args.detectors else None
    results = [
        run(corpus, minority, ood, args.c, None if minority else encoder)
        for minority in (False, True)
        for ood in (False, True)
    ]
    header = f"{'gold':9} {'split':20} {'mode':9} {'mean acc':>8} {'mean F1':>8} {'pos rate':>8}  "
    print(header + " ".join(f"{w[:8]:>8}" for w in WARNINGS))
    for r in results:
        for mode, mean in r["mean"].items():
            accs = " ".join(f"{r['per_warning'][w][mode]['accuracy']:8.2f}" for w in WARNINGS)
            print(f"{r['gold']:9} {r['split']:20} {mode:9} {mean['accuracy']:8.3f} {mean['f1']:8.3f} "
                  f"{mean['positive_rate']:8.2f}  {accs}")
    meta = {
        "command": " ".join(sys.argv),
        "machine": f"{platform.machine()} {platform.processor() or ''} python {platform.python_version()}".strip(),
        "date": datetime.date.today().isoformat(),
        "seconds": round(time.time() - started, 1),
    }
    print(json.dumps(meta))
    if args.json:
        args.json.write_text(json.dumps({"meta": meta, "results": results}, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()

"""Train forewarn's learned detector on the labelled corpus and write the files it ships.

    python benchmarks/train_detector.py --data ../shared/data --cache ~/.cache/forewarn-corpus \
        [--out src/forewarn] [--precision 0.6] [--folds 4]

Reads the corpus (``benchmarks/annotations/corpus``, text rebuilt from ``--data``) and uses its
**train and dev** splits only (the test split is never read). It fits

- the encoder heads: a one-hidden-layer network over the frozen MiniLM embedding with one sigmoid
  output per category, and a severity head (multinomial logistic regression over the embedding and
  the category) trained on every labelled (passage, category) pair (``models/heads.npz``);
- the word model: TF-IDF over words and word pairs with one logistic head per category and a gate
  head (does the passage show any category?) (``models/words.npz``).

A passage's probability is the mean of the two. The decision values in ``data/learned.toml`` are
chosen on **out-of-fold** predictions (``--folds`` folds grouped by author over train + dev, each
fold predicted by models that never saw its authors): ``[thresholds]`` is each category's lowest
probability reaching ``--precision`` (its best-F1 point where none does, 0.5 with fewer than
``MIN_POSITIVES`` positives) and ``first_stage`` the gate probability that keeps 98% of the passages
the combined model flags. It prints the dev split's out-of-fold precision and recall, and the share of
realistic passages (the corpus's random stratum) the first stage passes.
"""

from __future__ import annotations

import argparse
import json
import sys
import warnings
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus.store import Record, load, read_jsonl  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SELECTION = ROOT / "benchmarks" / "annotations" / "selection.jsonl"
HIDDEN = 512
HIDDEN_ALPHA = 0.1
WORD_FEATURES = 50_000
WORD_C = 16.0
FIRST_STAGE_RECALL = 0.98
MIN_POSITIVES = 5


def embed(records: list[Record], cache: Path) -> np.ndarray:
    """Embeddings of the records: from the pool cache (embed_pool.py) where present, else encoded."""
    from forewarn.detectors.learned import Encoder

    out = np.zeros((len(records), 384), dtype=np.float32)
    rows: dict[str, int] = {}
    pool = None
    if (cache / "embeddings.npy").exists():
        pool = np.load(cache / "embeddings.npy", mmap_mode="r")
        with (cache / "passages.jsonl").open(encoding="utf-8") as handle:
            rows = {json.loads(line)["id"]: k for k, line in enumerate(handle)}
    missing = []
    for k, record in enumerate(records):
        row = rows.get(record.id)
        if pool is not None and row is not None and np.any(pool[row]):
            out[k] = pool[row]
        else:
            missing.append(k)
    if missing:
        store = cache / "corpus-embeddings.npz"
        known: dict[str, np.ndarray] = {}
        if store.exists():
            with np.load(store) as data:
                known = dict(zip(data["ids"].tolist(), data["vectors"]))
        todo = [k for k in missing if records[k].id not in known]
        if todo:
            vectors = Encoder().encode([records[k].text for k in todo])
            known.update({records[k].id: v for k, v in zip(todo, vectors)})
            np.savez(store, ids=np.array(list(known)), vectors=np.stack(list(known.values())))
        for k in missing:
            out[k] = known[records[k].id]
    return out


def label_matrix(records: list[Record], categories: list[str]) -> np.ndarray:
    """0/1 matrix: does the passage carry the category?"""
    return np.array([[c in r.labels for c in categories] for r in records], dtype=np.float32)


def fit_heads(x: np.ndarray, y: np.ndarray, seed: int = 0) -> dict[str, np.ndarray]:
    """The encoder heads (one hidden ReLU layer, sigmoid outputs) as arrays for heads.npz."""
    from sklearn.neural_network import MLPClassifier

    model = MLPClassifier(hidden_layer_sizes=(HIDDEN,), alpha=HIDDEN_ALPHA, max_iter=200, early_stopping=True,
                          random_state=seed)
    model.fit(x, y.astype(int))
    return {
        "hidden_weights": model.coefs_[0].T.astype(np.float32),
        "hidden_bias": model.intercepts_[0].astype(np.float32),
        "weights": model.coefs_[1].T.astype(np.float32),
        "bias": model.intercepts_[1].astype(np.float32),
    }


def fit_severity(x: np.ndarray, records: list[Record], categories: list[str]) -> dict[str, np.ndarray]:
    """Multinomial logistic regression: severity from [embedding, one-hot category]."""
    from sklearn.linear_model import LogisticRegression

    from forewarn.taxonomy import SEVERITIES

    features, targets = [], []
    for vector, record in zip(x, records):
        for category, severity in record.labels.items():
            onehot = np.zeros(len(categories), dtype=np.float32)
            onehot[categories.index(category)] = 1.0
            features.append(np.concatenate([vector, onehot]))
            targets.append(SEVERITIES.index(severity))
    model = LogisticRegression(C=1.0, max_iter=3000, class_weight="balanced")
    model.fit(np.array(features), np.array(targets))
    return {"severity_weights": model.coef_.astype(np.float32),
            "severity_bias": model.intercept_.astype(np.float32)}


def fit_words(texts: list[str], y: np.ndarray) -> dict[str, np.ndarray]:
    """The word model (see forewarn/detectors/words.py) as arrays for words.npz."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    vectorizer = TfidfVectorizer(ngram_range=(1, 2), min_df=3, sublinear_tf=True, max_features=WORD_FEATURES,
                                 dtype=np.float32)
    features = vectorizer.fit_transform(texts)
    weights = np.zeros((y.shape[1], features.shape[1]), dtype=np.float32)
    bias = np.full(y.shape[1], -10.0, dtype=np.float32)
    for k in range(y.shape[1]):
        if y[:, k].sum() >= 2:
            model = LogisticRegression(C=WORD_C, max_iter=3000, class_weight="balanced").fit(features, y[:, k])
            weights[k], bias[k] = model.coef_[0], model.intercept_[0]
    gate = LogisticRegression(C=WORD_C, max_iter=3000, class_weight="balanced").fit(features, y.max(axis=1))
    vocabulary = sorted(vectorizer.vocabulary_, key=vectorizer.vocabulary_.get)
    return {"vocabulary": np.array(vocabulary), "idf": vectorizer.idf_.astype(np.float32),
            "weights": weights.astype(np.float16), "bias": bias,
            "gate_weights": gate.coef_[0].astype(np.float16), "gate_bias": np.float32(gate.intercept_[0])}


def models(categories: list[str], heads: dict[str, np.ndarray], words: dict[str, np.ndarray]):
    """The runtime objects for arrays just fitted."""
    from forewarn.detectors.learned import Heads
    from forewarn.detectors.words import WordModel

    return (Heads(categories, heads),
            WordModel(words["vocabulary"].tolist(), words["idf"], words["weights"], words["bias"],
                      words["gate_weights"], float(words["gate_bias"])))


def out_of_fold(records: list[Record], x: np.ndarray, y: np.ndarray, categories: list[str],
                folds: int) -> tuple[np.ndarray, np.ndarray]:
    """(combined probabilities, gate probability) of every record, each from models that never saw its author."""
    authors = sorted({r.author for r in records})
    fold_of = {a: k % folds for k, a in enumerate(np.random.default_rng(0).permutation(authors))}
    fold = np.array([fold_of[r.author] for r in records])
    combined = np.zeros_like(y)
    gate = np.zeros(len(records), dtype=np.float32)
    for k in range(folds):
        held, kept = fold == k, fold != k
        kept_records = [r for r, keep in zip(records, kept) if keep]
        heads, words = models(categories, {**fit_heads(x[kept], y[kept]), **fit_severity(x[kept], kept_records, categories)},
                              fit_words([r.text for r in kept_records], y[kept]))
        texts = [r.text for r, hold in zip(records, held) if hold]
        word_probabilities, gate[held] = words.scores(texts)
        combined[held] = (heads.probabilities(x[held]) + word_probabilities) / 2
        print(f"fold {k + 1}/{folds} done", file=sys.stderr, flush=True)
    return combined, gate


def precision_threshold(probabilities: np.ndarray, truth: np.ndarray, precision: float) -> float:
    """The lowest probability at which precision reaches ``precision`` (else the best-F1 point)."""
    if truth.sum() < MIN_POSITIVES:
        return 0.5
    order = np.argsort(-probabilities)
    hits = np.cumsum(truth[order])
    ranks = np.arange(1, len(order) + 1)
    reach = np.nonzero((hits / ranks >= precision) & (truth[order] == 1))[0]
    if len(reach):
        return float(np.clip(probabilities[order][reach.max()], 0.02, 0.98))
    f1 = 2 * hits / (ranks + truth.sum())
    return float(np.clip(probabilities[order][int(np.argmax(f1))], 0.02, 0.98))


def first_stage_threshold(gate: np.ndarray, flagged: np.ndarray) -> float:
    """The gate probability that keeps FIRST_STAGE_RECALL of the passages the combined model flags."""
    return float(np.quantile(gate[flagged], 1 - FIRST_STAGE_RECALL)) if flagged.any() else 0.5


def report(name: str, categories: list[str], probabilities: np.ndarray, truth: np.ndarray,
           thresholds: np.ndarray) -> None:
    """Print precision / recall / AP per category at the chosen thresholds (to stderr)."""
    from sklearn.metrics import average_precision_score

    for k, category in enumerate(categories):
        positives = int(truth[:, k].sum())
        predicted = probabilities[:, k] >= thresholds[k]
        tp = int((predicted & (truth[:, k] == 1)).sum())
        ap = average_precision_score(truth[:, k], probabilities[:, k]) if positives else float("nan")
        print(f"{name} {category:16s} pos {positives:4d} AP {ap:.2f} thr {thresholds[k]:.2f} "
              f"P {tp / max(1, predicted.sum()):.2f} R {tp / max(1, positives):.2f}", file=sys.stderr)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path("../shared/data"))
    parser.add_argument("--cache", type=Path, default=Path.home() / ".cache" / "forewarn-corpus")
    parser.add_argument("--out", type=Path, default=ROOT / "src" / "forewarn")
    parser.add_argument("--precision", type=float, default=0.6)
    parser.add_argument("--folds", type=int, default=4)
    args = parser.parse_args()
    warnings.filterwarnings("ignore", category=UserWarning)
    from forewarn.detectors.learned import write_thresholds
    from forewarn.taxonomy import category_ids

    categories = category_ids()
    records = [r for r in load(args.data.resolve()) if r.split in ("train", "dev")]
    x = embed(records, args.cache)
    y = label_matrix(records, categories)
    print(f"{len(records)} passages (train + dev)", file=sys.stderr)
    combined, gate = out_of_fold(records, x, y, categories, args.folds)
    thresholds = np.array([precision_threshold(combined[:, k], y[:, k], args.precision)
                           for k in range(len(categories))])
    flagged = (combined >= thresholds).any(axis=1)
    first_stage = first_stage_threshold(gate, flagged)
    dev = np.array([r.split == "dev" for r in records])
    report("oof-all", categories, combined, y, thresholds)
    report("oof-dev", categories, combined[dev], y[dev], thresholds)
    strata = {row["id"]: row["stratum"] for row in read_jsonl(SELECTION)}
    realistic = np.array([strata.get(r.id, "").startswith("random") for r in records])
    passed = gate >= first_stage
    print(f"first stage at {first_stage:.3f}: passes {passed[flagged].mean():.3f} of flagged passages and "
          f"{passed[realistic].mean():.2f} of the {realistic.sum()} random-stratum passages", file=sys.stderr)

    heads = {**fit_heads(x, y), **fit_severity(x, records, categories)}
    words = fit_words([r.text for r in records], y)
    np.savez_compressed(args.out / "models" / "heads.npz", categories=np.array(categories), **heads)
    np.savez_compressed(args.out / "models" / "words.npz", **words)
    note = f"Written by: python benchmarks/train_detector.py (out-of-fold precision {args.precision})"
    write_thresholds(args.out / "data" / "learned.toml", first_stage, dict(zip(categories, thresholds.tolist())), note)


if __name__ == "__main__":
    main()

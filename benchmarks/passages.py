"""Passage benchmark: the protocol of Wiegmann et al. (ACL 2024) on the AO3 passages.

For each warning: balanced test samples of 20 positive + 20 negative passages (fewer positives
when the pool has fewer), 5 random resamples, a classifier trained on the remaining passages;
mean and per-warning accuracy, positive rate and F1; majority (>= 2 of 3 votes) and minority
(>= 1 vote) gold; in-distribution (all sets) and out-of-distribution (train on set_id 0,
test on set_id 1).

The classifier is the one forewarn ships: logistic heads over the int8 MiniLM embedding
(``forewarn.detectors.learned.Encoder``), trained here per warning exactly as
``benchmarks/train_heads.py`` trains the shipped heads (soft vote labels, balanced weights).

    python benchmarks/passages.py --data ../shared/data [--cache /tmp/forewarn-cache]
"""

from __future__ import annotations

import argparse
import datetime
import json
import platform
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from train_data import embed_cached  # noqa: E402
from train_heads import fit_head  # noqa: E402

WARNINGS = ("violence", "war", "death", "abduction", "misogyny", "homophobia", "racism", "ableism")
RESAMPLES = 5
PER_CLASS = 20


def load_passages(data: Path) -> list[dict]:
    """The AO3 passages (train part) as dicts with warning, votes, text and set_id."""
    path = data / "passages-aacl24" / "train.jsonl"
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def gold(rows: list[dict], minority: bool) -> np.ndarray:
    """1 where the passage is positive under majority (>=2 votes) or minority (>=1 vote) gold."""
    need = 1 if minority else 2
    return np.array([int(sum(r["labels"]) >= need) for r in rows])


def soft(rows: list[dict], minority: bool) -> np.ndarray:
    """Training targets: the share of votes (minority gold counts one vote as a full yes)."""
    votes = np.array([sum(r["labels"]) for r in rows], dtype=np.float64)
    return np.clip(votes, 0, 1) if minority else votes / 3.0


def run(data: Path, cache: Path, minority: bool, ood: bool, c: float) -> dict:
    """Run the protocol for one setting; return per-warning and mean metrics."""
    rows = load_passages(data)
    emb = embed_cached([r["text"] for r in rows], cache / "aacl24.npy")
    y = gold(rows, minority)
    target = soft(rows, minority)
    warning = np.array([r["warning"] for r in rows])
    set_id = np.array([r["set_id"] for r in rows])
    per_warning: dict[str, dict] = {}
    for w in WARNINGS:
        in_w = warning == w
        pool = in_w & (set_id == 1) if ood else in_w
        accs, rates, f1s = [], [], []
        for seed in range(RESAMPLES):
            rng = np.random.default_rng(seed)
            pos = np.flatnonzero(pool & (y == 1))
            neg = np.flatnonzero(pool & (y == 0))
            k = min(PER_CLASS, len(pos), len(neg))
            test = np.concatenate([rng.choice(pos, k, replace=False), rng.choice(neg, k, replace=False)])
            train = in_w & (set_id == 0) if ood else in_w.copy()
            train[test] = False
            head = fit_head(emb[train], target[train], c=c)
            pred = (head.probability(emb[test]) >= 0.5).astype(int)
            truth = y[test]
            tp = int(((pred == 1) & (truth == 1)).sum())
            accs.append(float((pred == truth).mean()))
            rates.append(float(pred.mean()))
            precision = tp / max(1, pred.sum())
            recall = tp / max(1, truth.sum())
            f1s.append(2 * precision * recall / max(1e-9, precision + recall))
        per_warning[w] = {
            "accuracy": float(np.mean(accs)),
            "accuracy_sd": float(np.std(accs)),
            "positive_rate": float(np.mean(rates)),
            "f1": float(np.mean(f1s)),
            "test_per_class": int(k),
        }
    return {
        "gold": "minority" if minority else "majority",
        "split": "out-of-distribution" if ood else "in-distribution",
        "mean_accuracy": float(np.mean([m["accuracy"] for m in per_warning.values()])),
        "mean_f1": float(np.mean([m["f1"] for m in per_warning.values()])),
        "per_warning": per_warning,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path(__file__).resolve().parents[2] / "shared" / "data")
    parser.add_argument("--cache", type=Path, default=Path("/tmp/forewarn-cache"))
    parser.add_argument("--c", type=float, default=1.0, help="inverse regularisation of the heads")
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args()
    started = time.time()
    results = [
        run(args.data, args.cache, minority, ood, args.c) for minority in (False, True) for ood in (False, True)
    ]
    header = f"{'gold':9} {'split':20} {'mean acc':>8} {'mean F1':>8}  " + " ".join(f"{w[:8]:>8}" for w in WARNINGS)
    print(header)
    for r in results:
        accs = " ".join(f"{r['per_warning'][w]['accuracy']:8.2f}" for w in WARNINGS)
        print(f"{r['gold']:9} {r['split']:20} {r['mean_accuracy']:8.3f} {r['mean_f1']:8.3f}  {accs}")
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

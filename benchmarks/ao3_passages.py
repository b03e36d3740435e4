"""AO3 passage benchmark (Wiegmann et al. 2024 protocol) for the shipped learned detector.

    python benchmarks/ao3_passages.py --data ../shared/data [--minority] [--out FILE.md]

The published protocol: per warning, balanced test sets of 20 positive and 20 negative passages
(gold = majority of 3 votes, or minority = at least one vote), 5 random resamples, accuracy per
warning and their mean. Here the test passages are drawn **only from AO3 works in the corpus test
split** (by work), so the shipped detector never trained on them; a passage counts as predicted
positive when the shipped detector's probability for the warning's category reaches its threshold
(``data/learned.toml``). The out-of-distribution variant of the paper (train on one keyword set,
test on the other) needs a model trained without one set and is not run here: the shipped model
trained on both sets of train-split works.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus.batches import emit  # noqa: E402
from corpus.sources import aacl_rows  # noqa: E402
from corpus.splits import split_of  # noqa: E402

WARNING_CATEGORY = {"abduction": "kidnapping"}
PER_CLASS = 20
RESAMPLES = 5


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path("../shared/data"))
    parser.add_argument("--minority", action="store_true", help="gold = at least one vote")
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    from forewarn.detectors.learned import shared_detector

    rows = [r for r in aacl_rows(args.data.resolve()).values() if split_of(f"aacl-work-{r['work_id']}") == "test"]
    detector = shared_detector()
    probabilities = detector.probabilities([r["text"] for r in rows])
    warnings = sorted({r["warning"] for r in rows})
    lines = [f"AO3 passages, {'minority' if args.minority else 'majority'} gold, test-split works only "
             f"({len(rows)} passages), {date.today().isoformat()}", "",
             "| warning | positives / negatives available | mean accuracy (5 resamples) |", "|---|---|---|"]
    means = []
    for warning in warnings:
        column = detector.categories.index(WARNING_CATEGORY.get(warning, warning))
        threshold = detector.settings.threshold(detector.categories[column])
        picked = [k for k, r in enumerate(rows) if r["warning"] == warning]
        gold = np.array([sum(rows[k]["labels"]) >= (1 if args.minority else 2) for k in picked])
        predicted = np.array([probabilities[k, column] >= threshold for k in picked])
        positives, negatives = np.nonzero(gold)[0], np.nonzero(~gold)[0]
        size = min(PER_CLASS, len(positives), len(negatives))
        if size == 0:
            lines.append(f"| {warning} | {len(positives)} / {len(negatives)} | - |")
            continue
        accuracies = []
        for seed in range(RESAMPLES):
            rng = np.random.default_rng(seed)
            sample = np.concatenate([rng.choice(positives, size, replace=False),
                                     rng.choice(negatives, size, replace=False)])
            accuracies.append(float((predicted[sample] == gold[sample]).mean()))
        means.append(float(np.mean(accuracies)))
        lines.append(f"| {warning} | {len(positives)} / {len(negatives)} (sample {size}+{size}) | {means[-1]:.3f} |")
    lines.append(f"| **mean** | | **{np.mean(means):.3f}** |")
    emit(lines, args.out)


if __name__ == "__main__":
    main()

"""Corpus benchmark: per-category precision, recall and F1 of a detector on the labelled corpus.

    python benchmarks/corpus_eval.py --data ../shared/data [--split test] [--detector NAME ...]
                                     [--real-only] [--out FILE.json]

Each passage of the split is scanned on its own through forewarn's whole pipeline (read the text,
segment, detect, assess); a category counts as predicted when the report has a finding for it.
Gold: the stored (settled) labels of ``benchmarks/annotations/corpus``. Run it on the test split
only to report; nothing is chosen on it.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus.store import load  # noqa: E402


def scores(gold: list[set[str]], predicted: list[set[str]], categories: list[str]) -> dict[str, dict]:
    """Precision, recall, F1 and support per category, and their micro and macro averages."""
    table: dict[str, dict] = {}
    totals = Counter()
    for category in categories:
        tp = sum(1 for g, p in zip(gold, predicted) if category in g and category in p)
        fp = sum(1 for g, p in zip(gold, predicted) if category not in g and category in p)
        fn = sum(1 for g, p in zip(gold, predicted) if category in g and category not in p)
        totals.update(tp=tp, fp=fp, fn=fn)
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        table[category] = {"precision": precision, "recall": recall, "f1": f1, "support": tp + fn,
                           "predicted": tp + fp}
    tp, fp, fn = totals["tp"], totals["fp"], totals["fn"]
    micro_p = tp / (tp + fp) if tp + fp else 0.0
    micro_r = tp / (tp + fn) if tp + fn else 0.0
    supported = [table[c] for c in categories if table[c]["support"]]
    table["micro"] = {"precision": micro_p, "recall": micro_r,
                      "f1": 2 * micro_p * micro_r / (micro_p + micro_r) if micro_p + micro_r else 0.0,
                      "support": tp + fn, "predicted": tp + fp}
    table["macro"] = {key: sum(row[key] for row in supported) / max(1, len(supported))
                      for key in ("precision", "recall", "f1")}
    return table


def predict(texts: list[str], detectors: list[str]) -> list[dict[str, str]]:
    """The categories (with their severity) forewarn reports for each text scanned on its own."""
    from forewarn.errors import InputError
    from forewarn.pipeline import scan

    out = []
    for text in texts:
        try:
            out.append({f.category: f.severity for f in scan(text, name="passage", detectors=detectors).findings})
        except InputError:
            out.append({})
    return out


def severity_agreement(gold: list[dict[str, str]], predicted: list[dict[str, str]]) -> tuple[int, int]:
    """(same severity, both found) over the (passage, category) pairs that gold and prediction share."""
    shared = [(g[c], p[c]) for g, p in zip(gold, predicted) for c in g if c in p]
    return sum(a == b for a, b in shared), len(shared)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path("../shared/data"))
    parser.add_argument("--split", default="test")
    parser.add_argument("--detector", action="append",
                        help="detector name (repeatable; default: the default scan, learned + cues)")
    parser.add_argument("--real-only", action="store_true", help="leave out the passages the team wrote")
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    from forewarn.taxonomy import category_ids

    from forewarn.detectors.registry import default_detectors

    detectors = args.detector or [d.name for d in default_detectors()]
    records = [r for r in load(args.data.resolve())
               if r.split == args.split and not (args.real_only and r.source == "written")]
    predicted = predict([r.text for r in records], detectors)
    table = scores([set(r.labels) for r in records], [set(p) for p in predicted], category_ids())
    same, shared = severity_agreement([r.labels for r in records], predicted)
    print(f"{'+'.join(detectors)} on {len(records)} {args.split} passages"
          f"{' (real text only)' if args.real_only else ''}; severity right on {same}/{shared} found pairs")
    print("| category | support | precision | recall | F1 |\n|---|---|---|---|---|")
    for category, row in table.items():
        if row.get("support", 1):
            print(f"| {category} | {row.get('support', '')} | {row['precision']:.2f} | {row['recall']:.2f} | "
                  f"{row['f1']:.2f} |")
    if args.out:
        args.out.write_text(json.dumps({"detectors": detectors, "split": args.split, "real_only": args.real_only,
                                        "passages": len(records), "severity": [same, shared], "table": table},
                                       indent=1))


if __name__ == "__main__":
    main()

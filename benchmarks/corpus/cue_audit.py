"""Audit the cue rules on the labelled corpus and remove the noisy ones.

    python benchmarks/corpus/cue_audit.py --data ../shared/data [--prune] [--min-fired 8] [--max-precision 0.4]

Runs the cue detector on every real (not written) train and dev passage of the corpus (never test:
written passages include hard negatives made to fool rules) and counts, per
(category, rule label), how often the rule was among the reasons a category was reported at the
assessor's threshold and how often the passage's gold label agrees. ``--prune`` deletes from
``data/cues/*.toml`` every rule that fired at least ``--min-fired`` times with a precision at or
below ``--max-precision``: rules the corpus shows to be noisy go, and so does a category left with no rule
(the learned detector covers every category).
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from corpus.store import load  # noqa: E402

CUES_DIR = Path(__file__).resolve().parents[2] / "src" / "forewarn" / "data" / "cues"
_RULE_BLOCK = re.compile(r"\n\[\[categories\.rules\]\]\n(?:(?!\n\[\[).)*", re.S)
_LABEL = re.compile(r'^label = "(.*)"$', re.M)
_CATEGORY_HEADER = re.compile(r'\n\[\[categories\]\]\nid = "([^"]+)"')


def audit(data: Path) -> tuple[Counter, Counter]:
    """(fired, correct) counts per (category, rule label) on the train and dev passages."""
    from forewarn.detectors.base import Passage
    from forewarn.detectors.cues import CueDetector

    records = [r for r in load(data) if r.split in ("train", "dev") and r.source != "written"]
    detector = CueDetector()
    fired: Counter = Counter()
    correct: Counter = Counter()
    for record in records:
        passage = Passage(0, record.text, 0, len(record.text), 0, 0, 0, 0, 0.5)
        for item in detector.detect([passage]):
            if item.score < 0.5:
                continue
            for label in (reason.rule for reason in item.explanation):
                fired[(item.category, label)] += 1
                correct[(item.category, label)] += item.category in record.labels
    return fired, correct


def prune(noisy: set[tuple[str, str]]) -> int:
    """Delete the noisy rules' blocks from the cue files; return how many went."""
    removed = 0
    for path in sorted(CUES_DIR.glob("*.toml")):
        text = path.read_text(encoding="utf-8")
        headers = [(m.start(), m.group(1)) for m in _CATEGORY_HEADER.finditer(text)]

        def category_at(offset: int) -> str | None:
            before = [c for start, c in headers if start <= offset]
            return before[-1] if before else None

        pieces, last = [], 0
        for block in _RULE_BLOCK.finditer(text):
            label = _LABEL.search(block.group(0))
            if label and (category_at(block.start()), label.group(1)) in noisy:
                pieces.append(text[last : block.start()])
                last = block.end()
                removed += 1
        pieces.append(text[last:])
        if last:
            path.write_text(_drop_empty_categories("".join(pieces)), encoding="utf-8")
    return removed


def _drop_empty_categories(text: str) -> str:
    """Remove category blocks that have no rule left (the learned detector covers them)."""
    starts = [m.start() for m in _CATEGORY_HEADER.finditer(text)] + [len(text)]
    kept = [text[: starts[0]]]
    for begin, end in zip(starts, starts[1:]):
        block = text[begin:end]
        if "[[categories.rules]]" in block:
            kept.append(block)
    return "".join(kept)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path("../shared/data"))
    parser.add_argument("--prune", action="store_true")
    parser.add_argument("--min-fired", type=int, default=8)
    parser.add_argument("--max-precision", type=float, default=0.4)
    args = parser.parse_args()
    fired, correct = audit(args.data.resolve())
    noisy = set()
    print("| category | rule | fired | precision |\n|---|---|---|---|")
    for key, count in sorted(fired.items(), key=lambda kv: (kv[0][0], -kv[1])):
        precision = correct[key] / count
        flag = count >= args.min_fired and precision <= args.max_precision
        if flag:
            noisy.add(key)
        print(f"| {key[0]} | {key[1]} | {count} | {precision:.2f}{' (noisy)' if flag else ''} |")
    print(f"\n{len(noisy)} noisy rules (fired >= {args.min_fired}, precision <= {args.max_precision})")
    if args.prune:
        print(f"removed {prune(noisy)} rule blocks", file=sys.stderr)


if __name__ == "__main__":
    main()

"""Check an annotator's JSONL file against its batch and the taxonomy.

    python benchmarks/corpus/validate.py LABELS.jsonl [--batch BATCH.jsonl] [--written]

Every line must be ``{"id", "labels", "reason"}`` (written passages also ``text``); ``labels`` maps
taxonomy ids to mentioned / depicted / graphic; with ``--batch`` every batch id must appear exactly
once. Prints one line per problem and exits 1 when there is any, else prints a summary.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

from forewarn.taxonomy import SEVERITIES, category_ids
MAX_REASON_WORDS = 25


def problems(lines: list[str], expected: list[str] | None, written: bool) -> tuple[list[str], Counter]:
    """The problems found in ``lines`` and a count of labels by category."""
    known = set(category_ids())
    found: list[str] = []
    seen: Counter = Counter()
    labels: Counter = Counter()
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as error:
            found.append(f"line {number}: not JSON ({error.msg})")
            continue
        keys = {"id", "labels", "reason"} | ({"text"} if written else set())
        if not isinstance(row, dict) or set(row) != keys:
            found.append(f"line {number}: keys must be exactly {sorted(keys)}")
            continue
        seen[row["id"]] += 1
        if not isinstance(row["labels"], dict):
            found.append(f"line {number}: labels must be an object")
            continue
        for category, severity in row["labels"].items():
            if category not in known:
                found.append(f"line {number}: unknown category {category!r}")
            if severity not in SEVERITIES:
                found.append(f"line {number}: severity {severity!r} is not one of {SEVERITIES}")
            labels[category] += 1
        if not isinstance(row["reason"], str) or len(row["reason"].split()) > MAX_REASON_WORDS:
            found.append(f"line {number}: reason must be a string of at most {MAX_REASON_WORDS} words")
        if written and (not isinstance(row["text"], str) or len(row["text"].split()) < 15):
            found.append(f"line {number}: written text must be at least 15 words")
    found += [f"id {i} appears {n} times" for i, n in seen.items() if n > 1]
    if expected is not None:
        missing = [i for i in expected if i not in seen]
        extra = [i for i in seen if i not in set(expected)]
        found += [f"missing id {i}" for i in missing[:20]] + ([f"... {len(missing)} missing"] if missing else [])
        found += [f"unexpected id {i}" for i in extra[:20]]
    return found, labels


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("labels", type=Path)
    parser.add_argument("--batch", type=Path)
    parser.add_argument("--written", action="store_true")
    args = parser.parse_args()
    lines = args.labels.read_text(encoding="utf-8").splitlines()
    expected = None
    if args.batch:
        expected = [json.loads(line)["id"] for line in args.batch.open(encoding="utf-8") if line.strip()]
    found, labels = problems(lines, expected, args.written)
    for problem in found:
        print(problem)
    if not found:
        print(f"OK: {sum(1 for line in lines if line.strip())} lines; labels: {dict(labels.most_common())}")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())

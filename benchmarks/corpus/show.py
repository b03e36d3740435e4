"""Print passages START..START+COUNT of a batch file for an annotator to read.

    python benchmarks/corpus/show.py BATCH.jsonl START COUNT
"""

from __future__ import annotations

import json
import sys


def main() -> None:
    path, start, count = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    with open(path, encoding="utf-8") as handle:
        rows = [json.loads(line) for line in handle if line.strip()]
    for number, row in enumerate(rows[start : start + count], start):
        current = f"\ncurrent labels: {json.dumps(row['current'])}" if "current" in row else ""
        print(f"=== [{number}] {row['id']}{current}\n{row['text'].strip()}\n")
    print(f"--- shown {start}..{min(len(rows), start + count) - 1} of {len(rows)}")


if __name__ == "__main__":
    main()

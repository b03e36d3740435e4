"""Embed every cached passage (see score_pool.py) with forewarn's shipped encoder.

    python benchmarks/corpus/embed_pool.py --data ../shared/data --scores CACHE/passages.jsonl --out CACHE/embeddings.npy

Writes a float16 array with one row per line of the scores file, in the same order, plus
``OUT.done`` (how many documents are finished) so an interrupted run resumes where it stopped.
"""

from __future__ import annotations

import argparse
import json
import sys
from itertools import groupby
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from corpus.sources import text_of  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path("../shared/data"))
    parser.add_argument("--scores", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    from forewarn.detectors.learned import Encoder

    data = args.data.resolve()
    ids = [json.loads(line)["id"] for line in args.scores.open(encoding="utf-8")]
    done_file = args.out.with_suffix(".done")
    if args.out.exists() and done_file.exists():
        out = np.load(args.out, mmap_mode="r+")
        done = int(done_file.read_text())
    else:
        out = np.lib.format.open_memmap(args.out, mode="w+", dtype=np.float16, shape=(len(ids), 384))
        done = 0
    encoder = Encoder()
    row = 0
    for number, (_, group) in enumerate(groupby(ids, key=lambda i: i.rsplit(":", 1)[0])):
        group = list(group)
        if number >= done:
            out[row : row + len(group)] = encoder.encode([text_of(data, i) for i in group]).astype(np.float16)
            out.flush()
            done_file.write_text(str(number + 1))
            if number % 25 == 0:
                print(f"{number} documents, {row + len(group)} passages", file=sys.stderr, flush=True)
        row += len(group)


if __name__ == "__main__":
    main()

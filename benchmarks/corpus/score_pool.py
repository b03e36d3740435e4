"""Cache every passage of the fan-fiction pool and the books with the cue detector's scores.

    python benchmarks/corpus/score_pool.py --data ../shared/data --out ~/.cache/forewarn-corpus/passages.jsonl

One JSON line per passage: ``id``, ``doc``, ``author``, ``chapter``, ``words`` and ``cues`` (the
strongest cue score per category, when any). The text is not written: ``sources.text_of`` rebuilds
it. The cache lives outside the repository (third-party text never enters it) and feeds
``candidates.py``.
"""

from __future__ import annotations

import argparse
import json
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from corpus.sources import document_passages, pool_works  # noqa: E402


def _score(job: tuple[Path, str, str]) -> list[dict]:
    from forewarn.detectors.base import Passage
    from forewarn.detectors.cues import CueDetector

    data, source, doc = job
    passages = document_passages(data, source, doc)
    probes = [Passage(i, p.text, 0, len(p.text), 0, 0, 0, 0, 0.0) for i, p in enumerate(passages)]
    best: dict[int, dict[str, float]] = {}
    for item in CueDetector().detect(probes):
        row = best.setdefault(item.passage, {})
        row[item.category] = max(row.get(item.category, 0.0), round(item.score, 3))
    return [
        {"id": p.id, "doc": p.doc, "author": p.author, "chapter": p.chapter,
         "words": len(p.text.split()), "cues": best.get(i, {})}
        for i, p in enumerate(passages)
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path("../shared/data"))
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    data = args.data.resolve()
    jobs = [(data, "pool", doc) for doc in pool_works(data)]
    jobs += [(data, "book", p.stem) for p in sorted((data / "books" / "texts").glob("*.txt"))]
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with args.out.open("w", encoding="utf-8") as out, ProcessPoolExecutor(args.jobs) as pool:
        for done, rows in enumerate(pool.map(_score, jobs, chunksize=4), 1):
            out.writelines(json.dumps(row) + "\n" for row in rows)
            if done % 50 == 0:
                print(f"{done}/{len(jobs)} documents", file=sys.stderr, flush=True)


if __name__ == "__main__":
    main()

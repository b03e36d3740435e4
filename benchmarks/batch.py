"""Batch throughput: works per second with 1 and 2 workers, memory per worker, and a projection.

Works of about 5,000 words (the size of an average AO3 work) are cut at run time from the
public-domain books in ``../shared/data/books/texts`` (their text never enters the repository),
written to a temporary JSONL file, and scanned with ``forewarn batch``'s local engine.

    python benchmarks/batch.py --data ../shared/data --works 40 --jobs 1 2

prints a Markdown table and the projection for 15 million works; ``--json FILE`` keeps the numbers.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil

from forewarn.batch.archive import run_batch
from forewarn.batch.scanner import ScanOptions

ARCHIVE_WORKS = 15_000_000
WORDS_PER_WORK = 5_000


def make_works(data: Path, count: int, words: int) -> list[dict]:
    """``count`` works of ``words`` words, cut round-robin from the books (skipping PG headers)."""
    texts = []
    for path in sorted((data / "books" / "texts").glob("*.txt")):
        body = path.read_text(encoding="utf-8", errors="replace")
        start = body.find("*** START OF")
        body = body[body.find("\n", start) + 1 :] if start >= 0 else body
        texts.append(body.split())
    if not texts:
        sys.exit(f"no books under {data / 'books' / 'texts'}; pass --data pointing at shared/data")
    works, offsets = [], [0] * len(texts)
    for number in range(count):
        book = number % len(texts)
        tokens = texts[book]
        start = offsets[book] if offsets[book] + words <= len(tokens) else 0
        offsets[book] = start + words
        piece = tokens[start : start + words]
        paragraphs = [" ".join(piece[i : i + 120]) for i in range(0, len(piece), 120)]
        works.append({"id": f"w{number}", "text": "\n\n".join(paragraphs)})
    return works


class _MemoryWatch:
    """Samples resident memory and CPU time of this process's children (the workers) every 0.2 s."""

    def __init__(self) -> None:
        self.peak: dict[int, int] = {}
        self.cpu: dict[int, float] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        me = psutil.Process()
        while not self._stop.is_set():
            for child in me.children(recursive=True):
                try:
                    rss = child.memory_info().rss
                    times = child.cpu_times()
                except psutil.Error:
                    continue
                self.peak[child.pid] = max(self.peak.get(child.pid, 0), rss)
                self.cpu[child.pid] = times.user + times.system
            time.sleep(0.2)

    def __enter__(self) -> _MemoryWatch:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def measure(works_file: Path, jobs: int, options: ScanOptions) -> dict:
    """Scan the works with ``jobs`` worker processes into a fresh folder; return the numbers."""
    with tempfile.TemporaryDirectory() as output, _MemoryWatch() as watch:
        summary = run_batch(works_file, Path(output), jobs=jobs, options=options, chunk_size=1)
    peaks = sorted(watch.peak.values(), reverse=True)[:jobs]
    cpu = sum(watch.cpu.values())
    return {
        "jobs": jobs,
        "works": summary.scanned,
        "failed": summary.failed,
        "words": summary.words,
        "seconds": round(summary.seconds, 2),
        "works_per_s": round(summary.scanned / summary.seconds, 3),
        "words_per_s": round(summary.words / summary.seconds),
        "worker_rss_mib": [round(p / 2**20) for p in peaks],
        "worker_cpu_s": round(cpu, 2),
        "works_per_cpu_s": round(summary.scanned / cpu, 3) if cpu else None,
        "load_average": round(psutil.getloadavg()[0], 2),
    }


def projection(per_core: float, efficiency: float, label: str) -> str:
    """The arithmetic for 15 million works at ``per_core`` works/s per core, as Markdown."""
    core_seconds = ARCHIVE_WORKS / per_core
    lines = [
        f"{label}: {per_core:.2f} works/s per core, {efficiency:.0%} parallel efficiency",
        (f"- {ARCHIVE_WORKS:,} works / {per_core:.2f} works/s = {core_seconds:,.0f} core-seconds "
         f"= {core_seconds / 3600:,.0f} core-hours"),
    ]
    for cores in (16, 64):
        rate = per_core * efficiency * cores
        hours = ARCHIVE_WORKS / rate / 3600
        lines.append(
            f"- one {cores}-core machine: {per_core:.2f} x {efficiency:.2f} x {cores} = {rate:,.0f} works/s "
            f"-> {hours:,.1f} h on one machine; machines to finish in a day: ceil({hours:,.1f} / 24) = "
            f"{-(-hours // 24):.0f}, in an hour: {-(-hours // 1):.0f}"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path(__file__).resolve().parents[2] / "shared" / "data")
    parser.add_argument("--works", type=int, default=40)
    parser.add_argument("--words", type=int, default=WORDS_PER_WORK)
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--thorough", action="store_true")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    options = ScanOptions(thorough=args.thorough)
    with tempfile.TemporaryDirectory() as folder:
        works_file = Path(folder) / "works.jsonl"
        with works_file.open("w") as handle:
            for work in make_works(args.data, args.works, args.words):
                handle.write(json.dumps(work) + "\n")
        results = [measure(works_file, jobs, options) for jobs in args.jobs]
    print(f"{args.works} works of {args.words:,} words, thorough={args.thorough}, {psutil.cpu_count()} CPUs\n")
    print("| workers | works/s | words/s | seconds | failed | peak RSS per worker (MiB) | worker CPU s | works per CPU-second | load avg |")
    print("|---|---|---|---|---|---|---|---|---|")
    for r in results:
        print(f"| {r['jobs']} | {r['works_per_s']} | {r['words_per_s']:,} | {r['seconds']} | {r['failed']} | "
              f"{', '.join(map(str, r['worker_rss_mib']))} | {r['worker_cpu_s']} | {r['works_per_cpu_s']} | {r['load_average']} |")
    base, best = results[0], results[-1]
    scaling = best["works_per_s"] / base["works_per_s"]
    print(f"\nscaling {best['jobs']} workers / {base['jobs']} worker: {scaling:.2f}x\n")
    print(projection(base["works_per_s"] / base["jobs"], min(scaling / (best["jobs"] / base["jobs"]), 1.0),
                     "From wall-clock time (as measured, shared machine)"))
    if base["works_per_cpu_s"]:
        print()
        print(projection(base["works_per_cpu_s"], 0.9, "From worker CPU time (a core to itself; 90% efficiency assumed)"))
    if args.json:
        args.json.write_text(json.dumps({"results": results, "scaling": scaling}, indent=2))


if __name__ == "__main__":
    main()

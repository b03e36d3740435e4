"""Speed and memory: words per second of forewarn.scan for a 5,000-word story and a 350,000-word
novel (cues only, the default learned + cues scan, --thorough in the same run), cold start and peak
memory.

The texts are cut from a public-domain book of ../shared/data/books (default: Les Misérables).

    python benchmarks/speed.py --data ../shared/data
"""

from __future__ import annotations

import argparse
import datetime
import json
import platform
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from books import load_book  # noqa: E402

SIZES = {"story": 5_000, "novel": 350_000}
MODES = {"cues": ["cues"], "default": ["learned", "cues"], "thorough": ["thorough", "cues"]}


def words(text: str, n: int) -> str:
    """The first ``n`` words of ``text`` with its line breaks kept."""
    lines, count = [], 0
    for line in text.splitlines():
        lines.append(line)
        count += len(line.split())
        if count >= n:
            break
    return "\n".join(lines)


def child(code: str) -> dict:
    """Run ``code`` in a fresh interpreter; it prints one JSON line, returned with peak memory in MiB."""
    wrapper = code + "\nimport resource, json as _j; print(_j.dumps({**RESULT, 'peak_mib': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))"
    out = subprocess.run([sys.executable, "-c", wrapper], capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def measure(path: Path, mode: str, repeats: int) -> dict:
    """Warm seconds (best of ``repeats`` after one warm-up), passages the encoder read, peak memory."""
    code = f"""
import time, forewarn
from forewarn.detectors.registry import detectors_by_name
text = open({str(path)!r}, encoding='utf-8').read()
dets = detectors_by_name({MODES[mode]!r})
forewarn.scan(text[:2000], detectors=dets)
best = 1e9
for _ in range({repeats}):
    t = time.perf_counter(); forewarn.scan(text, detectors=dets); best = min(best, time.perf_counter() - t)
RESULT = {{'seconds': best, 'encoder_read': getattr(dets[0], 'last_read', 0)}}
"""
    return child(code)


def cold_start(path: Path) -> float:
    """Seconds from a fresh interpreter to a finished default scan of ``path`` (import included)."""
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", f"import forewarn; forewarn.scan(open({str(path)!r}).read())"], check=True)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path(__file__).resolve().parents[2] / "shared" / "data")
    parser.add_argument("--book", default="135")
    parser.add_argument("--work", type=Path, default=Path("/tmp/forewarn-speed"))
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    text = load_book(args.data / "books" / "texts" / f"{args.book}.txt").text
    start = text.find("\n\n", len(text) // 50)
    results: dict = {"cold_start_seconds": None, "runs": []}
    for label, n in SIZES.items():
        path = args.work / f"{label}.txt"
        path.write_text(words(text[start:], n), encoding="utf-8")
        count = len(path.read_text(encoding="utf-8").split())
        for mode in MODES:
            run = measure(path, mode, repeats=3 if label == "story" else 1)
            run.update(text=label, words=count, mode=mode, words_per_second=round(count / run["seconds"]))
            results["runs"].append(run)
            print(f"{label:6} {count:7} words  {mode:9} {run['seconds']:7.2f} s  {run['words_per_second']:8} w/s  "
                  f"encoder read {run['encoder_read']:5}  peak {run['peak_mib']:6.0f} MiB", flush=True)
        if label == "story":
            results["cold_start_seconds"] = round(cold_start(path), 2)
            print(f"cold start (import + first 5,000-word scan): {results['cold_start_seconds']} s", flush=True)
    results["meta"] = {
        "command": " ".join(sys.argv),
        "machine": f"{platform.machine()} python {platform.python_version()}",
        "date": datetime.date.today().isoformat(),
    }
    print(json.dumps(results["meta"]))
    if args.json:
        args.json.write_text(json.dumps(results, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()

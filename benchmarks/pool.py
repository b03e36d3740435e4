"""Fan-fiction pool benchmark: document-level recall of tagged categories and false alarms.

    python benchmarks/pool.py --data ../shared/data [--split test] [--detector learned] [--grid] [--out FILE.md]

Works of the chosen split (by author, ``corpus/splits.py``; the heads are trained on train authors
only) are scanned with forewarn's detectors and assessor. Gold, from ``fanfic-pool/works.tsv``:

- **tagged**: (work, category) for each category in the work's ``tag_categories`` (the authors' own
  warnings and tags). Recall = share of these pairs that forewarn reports.
- **confidently absent**: for works rated General or Teen, whose only archive warning is "No
  Archive Warnings Apply" and whose tags name no category: every category of ``ABSENT_IN_LIGHT``
  (plus ``sexual-content`` for General works), unless an annotated passage of the work shows it.
  False-alarm rate = share of these pairs that forewarn reports.

``--grid`` re-assesses the same evidence under other work-level rules (``[work]`` in assess.toml)
to choose them; use it on the dev split only.
"""

from __future__ import annotations

import argparse
import platform
import sys
import time
from collections import defaultdict
from dataclasses import replace
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus.sources import pool_works  # noqa: E402
from corpus.splits import split_of  # noqa: E402
from corpus.store import CORPUS_DIR, read_jsonl  # noqa: E402

ABSENT_IN_LIGHT = ("self-harm", "suicide", "sexual-assault", "underage", "child-abuse", "eating-disorder",
                   "child-death", "abortion", "miscarriage", "addiction", "kidnapping", "racism",
                   "homophobia", "transphobia", "religious-hate", "ableism", "infidelity")
LIGHT_RATINGS = ("General Audiences", "Teen And Up Audiences")
GRID_SCORES = (0.6, 0.7, 0.75, 0.8, 0.85, 0.9, 1.01)
GRID_PASSAGES = (1, 2, 3, 4)


def absent_categories(work: dict[str, str], annotated: dict[str, set[str]]) -> list[str]:
    """The categories confidently absent from a pool work (see the module docstring)."""
    warnings = {w.strip() for w in work["archive_warnings"].split("|") if w.strip()}
    if work["rating"] not in LIGHT_RATINGS or warnings != {"No Archive Warnings Apply"} or work["tag_categories"]:
        return []
    absent = list(ABSENT_IN_LIGHT) + (["sexual-content"] if work["rating"] == "General Audiences" else [])
    return [c for c in absent if c not in annotated.get(work["id"], set())]


def annotated_categories() -> dict[str, set[str]]:
    """Per pool work, the categories that some annotated passage of it shows."""
    found: dict[str, set[str]] = defaultdict(set)
    for row in read_jsonl(CORPUS_DIR / "labels.jsonl"):
        if row["id"].startswith("pool:"):
            found[row["id"].split(":")[1]].update(row["labels"])
    return found


def evidence_of(path: Path, detector: str):
    """(work, passages, evidence) of one work read and scanned by forewarn's detectors."""
    from forewarn.detectors.registry import default_detectors, detectors_by_name
    from forewarn.pipeline import read_work, run_detectors
    from forewarn.stages.segment import segment

    work = read_work(path)
    passages = segment(work)
    detectors = detectors_by_name(["cues"]) if detector == "cues" else default_detectors(detector == "thorough")
    return work, passages, run_detectors(passages, detectors)


def reported(scanned, settings) -> set[str]:
    """Categories the assessor reports for one scanned work under ``settings``."""
    from forewarn.stages.assess import assess

    work, passages, evidence = scanned
    return {f.category for f in assess(work, passages, evidence, settings=settings)}


def measure(works: list[dict], scans: dict, settings, annotated: dict[str, set[str]]) -> dict:
    """Recall per tagged category and the false-alarm rate on confidently absent pairs."""
    tagged: dict[str, list[bool]] = defaultdict(list)
    alarms: dict[str, list[bool]] = defaultdict(list)
    for work in works:
        found = reported(scans[work["id"]], settings)
        for category in filter(None, work["tag_categories"].split(",")):
            tagged[category].append(category in found)
        for category in absent_categories(work, annotated):
            alarms[category].append(category in found)
    return {"tagged": dict(tagged), "alarms": dict(alarms)}


def _rate(values: list[bool]) -> str:
    return f"{sum(values) / len(values):.2f} ({sum(values)}/{len(values)})" if values else "-"


def table(result: dict) -> str:
    """Markdown: recall per tagged category, overall, and false alarms."""
    tagged, alarms = result["tagged"], result["alarms"]
    lines = ["| category | tagged works found | false alarms (absent pairs) |", "|---|---|---|"]
    for category in sorted(set(tagged) | set(alarms)):
        lines.append(f"| {category} | {_rate(tagged.get(category, []))} | {_rate(alarms.get(category, []))} |")
    every_tag = [v for values in tagged.values() for v in values]
    every_alarm = [v for values in alarms.values() for v in values]
    lines.append(f"| **all** | **{_rate(every_tag)}** | **{_rate(every_alarm)}** |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path("../shared/data"))
    parser.add_argument("--split", default="test", choices=("train", "dev", "test"))
    parser.add_argument("--detector", default="learned", help="learned, thorough or cues")
    parser.add_argument("--grid", action="store_true", help="sweep the work-level rule (dev split only)")
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    from forewarn.stages.assess import load_settings

    data = args.data.resolve()
    works = [w for w in pool_works(data).values() if split_of(w["author"]) == args.split]
    annotated = annotated_categories()
    started = time.perf_counter()
    scans = {w["id"]: evidence_of(data / "fanfic-pool" / w["file"], args.detector) for w in works}
    elapsed = time.perf_counter() - started
    words = sum(int(w["words"]) for w in works)
    settings = load_settings()
    header = (f"Pool benchmark, `{args.detector}`, {args.split} split: {len(works)} works by "
              f"{len({w['author'] for w in works})} authors, {words:,} words, {elapsed:.0f} s, "
              f"{date.today().isoformat()}, {platform.python_implementation()} {platform.python_version()}")
    output = header + "\n\n" + table(measure(works, scans, settings, annotated)) + "\n"
    if args.grid:
        rows = ["| single passage score | min passages | recall (tagged) | false alarms |", "|---|---|---|---|"]
        for score in GRID_SCORES:
            for count in GRID_PASSAGES:
                variant = replace(settings, single_passage_score=score, min_passages=count)
                result = measure(works, scans, variant, annotated)
                tagged = [v for values in result["tagged"].values() for v in values]
                alarms = [v for values in result["alarms"].values() for v in values]
                rows.append(f"| {score} | {count} | {_rate(tagged)} | {_rate(alarms)} |")
        output += "\n" + "\n".join(rows) + "\n"
    print(output)
    if args.out:
        args.out.write_text(output, encoding="utf-8")


if __name__ == "__main__":
    main()

"""Book benchmark: event recall and false alarms on the public-domain books in ../shared/data/books.

    python benchmarks/books.py --data ../shared/data/books [--mode learned|thorough|cues]
                               [--out FILE.md] [--books 43,76] [--held-out] [--grid]

For every ``texts/<PGID>.txt`` it runs ``forewarn.scan`` and scores the findings against
``events.tsv`` and ``negatives.tsv`` (see that folder's README):

- near-anchor recall: the event's category is reported at a location overlapping the anchor
  +/- 3,000 characters (offsets in the decoded, CRLF-normalised text, which is ``Work.text``);
- README-rule recall: reported in the same chapter as the anchor (the reader's chapter title must
  match the event's chapter label) or within 5 paragraphs of the anchor's paragraph;
- document recall: reported anywhere in the book;
- false-alarm rate: rows of negatives.tsv whose category is reported anywhere in that book.

It prints a markdown table (overall and per category) and writes it to ``--out``.
"""

from __future__ import annotations

import argparse
import bisect
import csv
import platform
import re
import sys
import time
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import forewarn
from corpus.splits import split_of
from forewarn.detectors.cues import CueDetector

NEAR_CHARS = 3000
PARAGRAPH_WINDOW = 5


@dataclass
class Book:
    """One benchmark book: its normalised text and where its paragraphs start."""

    pgid: str
    text: str
    paragraph_starts: list[int]

    def paragraph_of(self, offset: int) -> int:
        """README paragraph number (maximal runs of non-blank lines) of a character offset."""
        return max(0, bisect.bisect_right(self.paragraph_starts, offset) - 1)


def load_book(path: Path) -> Book:
    """Decode like the README (UTF-8, else Latin-1), drop a BOM, normalise line ends."""
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        text = raw.decode("latin-1")
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    starts: list[int] = []
    offset, previous_blank = 0, True
    for line in text.split("\n"):
        blank = not line.strip()
        if not blank and previous_blank:
            starts.append(offset)
        previous_blank = blank
        offset += len(line) + 1
    return Book(path.stem, text, starts)


def _norm(label: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", label.lower()).strip()


def read_tsv(path: Path) -> list[dict[str, str]]:
    """Rows of a TSV file with a header row."""
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))


def scan(path: Path, mode: str):
    """Run forewarn on one book in the chosen mode."""
    if mode == "cues":
        return forewarn.scan(str(path), detectors=[CueDetector()])
    return forewarn.scan(str(path), thorough=mode == "thorough")


def _chapter_matches(report, anchor: int, label: str) -> int | None:
    """The reader's chapter index (1-based) holding the anchor, if its title matches the label."""
    if label == "-":
        return None
    for chapter in report.work.chapters:
        if chapter.char_start <= anchor < max(chapter.char_end, chapter.char_start + 1):
            title = _norm(chapter.title)
            wanted = _norm(label)
            last = _norm(label.split(",")[-1])
            same_last = sum(1 for c in report.work.chapters if _norm(c.title) == title) == 1
            if title and (title == wanted or (title == last and same_last) or wanted.endswith(" " + title)):
                return chapter.index
            return None
    return None


def score_book(book: Book, report, events: list[dict], negatives: list[dict]) -> tuple[list, list]:
    """Per-event (category, near, rule, doc, severity) and per-negative (category, alarm) results."""
    by_category = {f.category: f for f in report.findings}
    event_rows = []
    for event in events:
        anchor = book.text.find(event["anchor"])
        if anchor < 0:
            print(f"warning: anchor not found in {book.pgid}: {event['anchor']!r}", file=sys.stderr)
            continue
        finding = by_category.get(event["category"])
        locations = finding.locations if finding else []
        lo, hi = anchor - NEAR_CHARS, anchor + len(event["anchor"]) + NEAR_CHARS
        near = any(loc.char_start < hi and lo < loc.char_end for loc in locations)
        anchor_paragraph = book.paragraph_of(anchor)
        chapter = _chapter_matches(report, anchor, event["chapter"])
        rule = any(
            (chapter is not None and loc.chapter == chapter)
            or (book.paragraph_of(loc.char_start) - PARAGRAPH_WINDOW <= anchor_paragraph
                <= book.paragraph_of(max(loc.char_start, loc.char_end - 1)) + PARAGRAPH_WINDOW)
            for loc in locations
        )
        event_rows.append((event["category"], near, rule, finding is not None, event["severity"]))
    negative_rows = [(row["category"], row["category"] in by_category) for row in negatives]
    return event_rows, negative_rows


def _ratio(hits: int, total: int) -> str:
    return f"{hits / total:.2f} ({hits}/{total})" if total else "–"


def table(event_rows: list, negative_rows: list) -> str:
    """Markdown table: overall and per category."""
    lines = [
        "| category | events | near-anchor recall | README-rule recall | document recall | negatives | false-alarm rate |",
        "|---|---|---|---|---|---|---|",
    ]
    categories = sorted({r[0] for r in event_rows} | {r[0] for r in negative_rows})

    def row(name: str, events: list, negatives: list) -> str:
        return (
            f"| {name} | {len(events)} | {_ratio(sum(e[1] for e in events), len(events))} | "
            f"{_ratio(sum(e[2] for e in events), len(events))} | {_ratio(sum(e[3] for e in events), len(events))} | "
            f"{len(negatives)} | {_ratio(sum(n[1] for n in negatives), len(negatives))} |"
        )

    lines.append(row("**all**", event_rows, negative_rows))
    for category in categories:
        lines.append(
            row(category, [e for e in event_rows if e[0] == category], [n for n in negative_rows if n[0] == category])
        )
    severities = defaultdict(list)
    for event in event_rows:
        severities[event[4]].append(event)
    lines += ["", "| event severity | events | near-anchor recall |", "|---|---|---|"]
    for severity in ("mentioned", "depicted", "graphic"):
        rows = severities.get(severity, [])
        lines.append(f"| {severity} | {len(rows)} | {_ratio(sum(e[1] for e in rows), len(rows))} |")
    return "\n".join(lines)


def grid(data: Path, events: list[dict], negatives: list[dict]) -> str:
    """Document recall and false alarms of the dev-split books under other work-level rules."""
    from dataclasses import replace

    from forewarn.stages.assess import load_settings
    from pool import GRID_PASSAGES, GRID_SCORES, evidence_of, reported

    books = sorted(p.stem for p in (data / "texts").glob("*.txt") if split_of(f"book-{p.stem}") == "dev")
    scans = {b: evidence_of(data / "texts" / f"{b}.txt", "learned") for b in books}
    rows = [f"Dev-split books {', '.join(books)}", "",
            "| single passage score | min passages | document recall | false alarms |", "|---|---|---|---|"]
    settings = load_settings()
    book_events = [e for e in events if e["pgid"] in books]
    book_negatives = [n for n in negatives if n["pgid"] in books]
    for score in GRID_SCORES:
        for count in GRID_PASSAGES:
            found = {b: reported(scans[b], replace(settings, single_passage_score=score, min_passages=count))
                     for b in books}
            hits = sum(e["category"] in found[e["pgid"]] for e in book_events)
            alarms = sum(n["category"] in found[n["pgid"]] for n in book_negatives)
            rows.append(f"| {score} | {count} | {hits}/{len(book_events)} | {alarms}/{len(book_negatives)} |")
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark; return 0 (or 2 when the data folder is missing)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path(__file__).resolve().parents[2] / "shared/data/books")
    parser.add_argument("--mode", choices=("cues", "learned", "thorough"), default="learned")
    parser.add_argument("--held-out", action="store_true",
                        help="only books outside the corpus train split (the learned heads never saw them)")
    parser.add_argument("--out", type=Path)
    parser.add_argument("--books", help="comma-separated PG ids (default: all)")
    parser.add_argument("--misses", action="store_true", help="list missed events and false alarms")
    parser.add_argument("--grid", action="store_true",
                        help="sweep the work-level rule on the dev-split books (document recall, false alarms)")
    args = parser.parse_args(argv)
    if not (args.data / "events.tsv").exists():
        print(f"no events.tsv in {args.data}; pass --data ../shared/data/books", file=sys.stderr)
        return 2
    events = read_tsv(args.data / "events.tsv")
    negatives = read_tsv(args.data / "negatives.tsv")
    if args.grid:
        print(grid(args.data, events, negatives))
        return 0
    chosen = set(args.books.split(",")) if args.books else None
    paths = sorted((args.data / "texts").glob("*.txt"), key=lambda p: int(p.stem))
    paths = [p for p in paths if chosen is None or p.stem in chosen]
    if args.held_out:
        paths = [p for p in paths if split_of(f"book-{p.stem}") != "train"]
    all_events, all_negatives, details = [], [], []
    words = 0
    elapsed = 0.0
    for path in paths:
        book = load_book(path)
        started = time.perf_counter()
        report = scan(path, args.mode)
        elapsed += time.perf_counter() - started
        words += report.work.words
        book_events = [e for e in events if e["pgid"] == book.pgid]
        book_negatives = [n for n in negatives if n["pgid"] == book.pgid]
        event_rows, negative_rows = score_book(book, report, book_events, book_negatives)
        all_events += event_rows
        all_negatives += negative_rows
        details += [f"miss  {book.pgid} {e['category']}: {e['note']}" for e, r in zip(book_events, event_rows) if not r[1]]
        details += [f"alarm {book.pgid} {n[0]}" for n in negative_rows if n[1]]
        print(f"{book.pgid}: {report.work.words} words, {len(report.findings)} categories", file=sys.stderr)
    header = (
        f"Book benchmark, mode `{args.mode}`, {len(paths)} books{' (held out)' if args.held_out else ''}, {date.today().isoformat()}, "
        f"{platform.python_implementation()} {platform.python_version()}: {words:,} words in {elapsed:.1f} s "
        f"({words / max(elapsed, 1e-9):,.0f} words/s, reading + segmenting + detecting + assessing).\n"
    )
    output = header + "\n" + table(all_events, all_negatives) + "\n"
    print(output)
    if args.misses:
        print("\n".join(details))
    if args.out:
        args.out.write_text(output, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())

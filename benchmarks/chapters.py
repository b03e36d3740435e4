"""Book structure on the development books: title, author and chapter count as forewarn reads
them, against the chapter count of the book itself (chapter_counts.tsv, counted by hand).

Reading only (no detection), so it takes a few seconds. It also reports how many events of
books/events.tsv fall in a chapter whose title carries the event's printed chapter label.

    python benchmarks/chapters.py --data ../shared/data

To measure another checkout (e.g. main before a change), put its src first on PYTHONPATH.
"""

from __future__ import annotations

import argparse
import csv
import time
from pathlib import Path

from forewarn.readers import read_path

HERE = Path(__file__).resolve().parent
_FIRST_CHARS = 40


def real_counts() -> dict[str, int]:
    """pgid -> chapters, from chapter_counts.tsv (comment lines start with #)."""
    with (HERE / "chapter_counts.tsv").open(encoding="utf-8") as handle:
        rows = csv.DictReader((line for line in handle if not line.startswith("#")), delimiter="\t")
        return {row["pgid"]: int(row["chapters"]) for row in rows}


def events(books: Path) -> dict[str, list[tuple[str, str]]]:
    """pgid -> [(anchor, printed chapter label)]."""
    found: dict[str, list[tuple[str, str]]] = {}
    with (books / "events.tsv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            found.setdefault(row["pgid"], []).append((row["anchor"], row["chapter"]))
    return found


def _norm(label: str) -> str:
    return " ".join(label.upper().replace(".", " ").replace(",", " ").split())


def placed(work, anchors: list[tuple[str, str]]) -> int:
    """How many anchors lie in a chapter whose title carries their label ("-": no title)."""
    hits = 0
    for anchor, label in anchors:
        position = work.text.find(anchor)
        chapter = next((c for c in work.chapters if c.start <= position < c.end), None)
        title = chapter.title if chapter else ""
        if (label == "-" and not title) or (label != "-" and _norm(label) in _norm(title)):
            hits += 1
    return hits


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=HERE.parent.parent / "shared" / "data")
    args = parser.parse_args()
    books = args.data / "books"
    counts = real_counts()
    labels = events(books)
    print("| book | title | author | format | chapters read | chapters in the book | first chapter | events in their chapter |")
    print("|---|---|---|---|---|---|---|---|")
    exact = titled = authored = events_ok = events_all = 0
    started = time.perf_counter()
    for pgid in sorted(counts, key=int):
        work = read_path(books / "texts" / f"{pgid}.txt")
        read, real = len(work.chapters), counts[pgid]
        anchors = labels.get(pgid, [])
        hits = placed(work, anchors)
        exact += read == real
        titled += bool(work.title)
        authored += bool(work.authors)
        events_ok += hits
        events_all += len(anchors)
        mark = "" if read == real else " ✗"
        first = work.chapters[0].title[:_FIRST_CHARS].replace("|", "/") if work.chapters else ""
        print(
            f"| {pgid} | {work.title or '—'} | {', '.join(work.authors) or '—'} | {work.source_format} "
            f"| {read}{mark} | {real} | {first or '(untitled)'} | {hits}/{len(anchors)} |"
        )
    seconds = time.perf_counter() - started
    print()
    print(
        f"{exact}/{len(counts)} books with the right chapter count; {titled} with a title, {authored} with an "
        f"author; {events_ok}/{events_all} events in their printed chapter; read in {seconds:.1f} s"
    )


if __name__ == "__main__":
    main()

"""Import validated annotator files into the stored corpus (labels only for third-party text).

    python benchmarks/corpus/import_labels.py --data ../shared/data --labels CACHE/labels --written CACHE/written

First annotations are ``<batch>.a.jsonl``; blind second annotations ``<batch>.b.jsonl`` (of
third-party or written passages); settled labels (a recheck or an adjudication) are in
``<name>.settled.jsonl`` and replace the stored label, applied in file-name order. Written passages are
``<prefix>.jsonl``. Files that do not validate are skipped with a message.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from corpus.sources import document_order, fingerprint, text_of  # noqa: E402
from corpus.store import CORPUS_DIR  # noqa: E402
from corpus.validate import problems  # noqa: E402


def _valid(path: Path, written: bool = False) -> list[dict]:
    lines = path.read_text(encoding="utf-8").splitlines()
    found, _ = problems(lines, None, written)
    if found:
        print(f"skipped {path.name}: {found[0]} ({len(found)} problems)", file=sys.stderr)
        return []
    return [json.loads(line) for line in lines if line.strip()]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path("../shared/data"))
    parser.add_argument("--labels", type=Path, required=True)
    parser.add_argument("--written", type=Path, required=True)
    parser.add_argument("--out", type=Path, default=CORPUS_DIR)
    args = parser.parse_args()
    data = args.data.resolve()
    first: dict[str, dict] = {}
    for path in sorted(args.labels.glob("*.a.jsonl")):
        batch = path.name.split(".")[0]
        for row in _valid(path):
            first[row["id"]] = {"labels": row["labels"], "annotator": f"{batch}.a", "batch": batch}
    raw_first = {i: dict(row) for i, row in first.items()}
    written = []
    for path in sorted(args.written.glob("*.jsonl")):
        written += [{"id": r["id"], "text": r["text"], "labels": r["labels"], "annotator": path.stem}
                    for r in _valid(path, written=True)]
    # A second annotation is compared with the first labels as they were before any settling (third-party
    # passages) or with the writer's own labels (written passages).
    compared = {**{i: row["labels"] for i, row in raw_first.items()}, **{r["id"]: r["labels"] for r in written}}
    written_by_id = {r["id"]: r for r in written}
    for path in sorted(args.labels.glob("*.settled.jsonl")):
        for row in _valid(path):
            target = first.get(row["id"]) or written_by_id.get(row["id"])
            if target is not None:
                target["labels"] = row["labels"]
                target["annotator"] += "+settled"
    second: list[dict] = []
    for path in sorted(args.labels.glob("*.b.jsonl")):
        second += [{"id": r["id"], "labels": r["labels"], "first": compared[r["id"]],
                    "annotator": path.name.split(".")[0] + ".b"}
                   for r in _valid(path) if r["id"] in compared]
    args.out.mkdir(parents=True, exist_ok=True)
    order = sorted(first, key=document_order)
    with (args.out / "labels.jsonl").open("w", encoding="utf-8") as out:
        for passage_id in order:
            row = first[passage_id]
            out.write(json.dumps({"id": passage_id, "fp": fingerprint(text_of(data, passage_id)),
                                  "labels": row["labels"], "annotator": row["annotator"],
                                  "batch": row["batch"]}) + "\n")
    with (args.out / "second.jsonl").open("w", encoding="utf-8") as out:
        out.writelines(json.dumps(row) + "\n" for row in sorted(second, key=lambda r: r["id"]))
    with (args.out / "written.jsonl").open("w", encoding="utf-8") as out:
        out.writelines(json.dumps(row, ensure_ascii=False) + "\n" for row in written)
    print(f"{len(first)} labelled passages, {len(second)} second annotations, {len(written)} written passages")


if __name__ == "__main__":
    main()

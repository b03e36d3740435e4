"""Write annotation batches and record why each passage was chosen; print and save a report."""

from __future__ import annotations

import json
from pathlib import Path

SELECTION = Path(__file__).resolve().parents[1] / "annotations" / "selection.jsonl"


def write_batches(order: list[str], texts: dict[str, str], strata: dict[str, str], out: Path, wave: str,
                  batch_size: int, selection: Path = SELECTION, append: bool = True) -> int:
    """Cut ``order`` into batches ``<wave>-NNN.jsonl`` (id + text) under ``out`` and log the strata.

    Returns the number of batches written.
    """
    out.mkdir(parents=True, exist_ok=True)
    selection.parent.mkdir(parents=True, exist_ok=True)
    count = 0
    with selection.open("a" if append else "w", encoding="utf-8") as log:
        for k in range(0, len(order), batch_size):
            batch = f"{wave}-{k // batch_size:03d}"
            with (out / f"{batch}.jsonl").open("w", encoding="utf-8") as handle:
                for passage_id in order[k : k + batch_size]:
                    handle.write(json.dumps({"id": passage_id, "text": texts[passage_id]}) + "\n")
                    log.write(json.dumps({"id": passage_id, "stratum": strata[passage_id], "batch": batch}) + "\n")
            count += 1
    return count


def emit(lines: list[str], out: Path | None) -> None:
    """Print a report and, when ``out`` is given, write it there too."""
    output = "\n".join(lines)
    print(output)
    if out:
        out.write_text(output + "\n", encoding="utf-8")

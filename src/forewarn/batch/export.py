"""Write stored results as one row per work: CSV, JSONL or Parquet, chosen by the file's extension.

Every format has ``path``, ``status`` (ok / failed), ``error``, ``title``, ``calibre_id``,
``words``, ``warnings`` (e.g. ``self-harm (graphic); death (mentioned)``) and ``verdict`` (with an
avoid-list); JSONL adds the full JSON report under ``report``, Parquet the same as JSON text.
"""

from __future__ import annotations

import csv
import json
import os
from collections.abc import Iterable
from pathlib import Path

from ..errors import UsageError
from .store import WorkRecord

FORMATS = (".csv", ".jsonl", ".parquet")
COLUMNS = ("path", "status", "error", "title", "calibre_id", "words", "warnings", "verdict", "report")
_INTEGER_COLUMNS = ("calibre_id", "words")


def export_format(path: Path) -> str:
    """The export format named by the file's extension; raise UsageError for another one."""
    suffix = path.suffix.lower()
    if suffix not in FORMATS:
        raise UsageError(f"cannot export to '{path.name}': name the file .csv, .jsonl or .parquet")
    return suffix


def rows(records: Iterable[WorkRecord], verdicts: dict[str, str] | None = None) -> list[dict]:
    """The export rows (``report`` holds the report as JSON text, or None)."""
    return [
        {
            "path": r.path,
            "status": r.status,
            "error": r.error,
            "title": r.title,
            "calibre_id": r.calibre_id,
            "words": r.words,
            "warnings": "; ".join(f"{category} ({severity})" for category, severity in r.findings),
            "verdict": (verdicts or {}).get(r.path),
            "report": r.report,
        }
        for r in records
    ]


def write_export(path: Path, records: Iterable[WorkRecord], verdicts: dict[str, str] | None = None) -> int:
    """Write one row per work to ``path`` atomically; return the number of rows."""
    suffix = export_format(path)
    table = rows(records, verdicts)
    partial = path.with_name(f".{path.name}.partial")
    if suffix == ".csv":
        _write_csv(partial, table)
    elif suffix == ".jsonl":
        _write_jsonl(partial, table)
    else:
        _write_parquet(partial, table)
    os.replace(partial, path)
    return len(table)


def _write_csv(path: Path, table: list[dict]) -> None:
    columns = [c for c in COLUMNS if c != "report"]
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(table)


def _write_jsonl(path: Path, table: list[dict]) -> None:
    with path.open("w", encoding="utf-8") as handle:
        for row in table:
            row = {**row, "report": json.loads(row["report"]) if row["report"] else None}
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")


def _write_parquet(path: Path, table: list[dict]) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = pa.schema([(c, pa.int64() if c in _INTEGER_COLUMNS else pa.string()) for c in COLUMNS])
    pq.write_table(pa.Table.from_pylist(table, schema=schema), path)

"""Archive scale: scan a JSONL or Parquet file of works into a Parquet dataset, resumable by id.

Input rows have ``id`` and ``text``; any other field is carried to the output as JSON under
``metadata``. The output is a folder of Parquet part files (any Parquet reader opens the folder
as one table), one row per work: ``id``, ``status``, ``error``, ``words``, ``findings`` (the
report's findings as a JSON list), ``ao3_rating``, ``ffn_rating``, ``seconds``, ``metadata``.
Each part is written to a temporary name and renamed, so a part is either whole or absent; a
new run reads the ids already in the folder and skips them.

Engines: ``local`` is a process pool on this machine; ``dask`` runs the same task on a
dask.distributed cluster (a local one, or ``--scheduler tcp://host:8786``). Either way every
worker loads the detectors once and works get sent in small chunks.
"""

from __future__ import annotations

import json
import os
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import InputError, UsageError
from ..taxonomy import load_data_toml
from .pool import bounded_map, take, worker_scanner
from .scanner import ScanFunction, ScanOptions

ENGINES = ("local", "dask")
_PROBLEM = "_forewarn_problem"  # key of the reason an input row cannot be scanned


@dataclass(slots=True)
class BatchSummary:
    """What one batch run did."""

    total: int = 0
    skipped: int = 0
    scanned: int = 0
    failed: int = 0
    words: int = 0
    parts: int = 0
    seconds: float = 0.0
    interrupted: bool = False


def settings() -> dict:
    """The ``[archive]`` table of ``data/batch.toml``."""
    return load_data_toml("batch.toml")["archive"]


def read_works(path: Path) -> Iterator[dict[str, Any]]:
    """Rows of a .jsonl or .parquet input, streamed; a bad JSONL line yields a row with its problem."""
    suffix = path.suffix.lower()
    if not path.is_file():
        raise InputError(f"input {path} does not exist; give a .jsonl or .parquet file of works")
    if suffix == ".jsonl":
        return _read_jsonl(path)
    if suffix == ".parquet":
        return _read_parquet(path)
    raise InputError(f"cannot read works from '{path.name}': give a .jsonl or .parquet file with id and text")


def _read_jsonl(path: Path) -> Iterator[dict[str, Any]]:
    with path.open("r", encoding="utf-8", errors="replace") as handle:
        for number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except ValueError as error:
                yield {"id": f"{path.name}:{number}", _PROBLEM: f"line {number} is not JSON: {error}"}
                continue
            if isinstance(row, dict):
                yield row
            else:
                yield {"id": f"{path.name}:{number}", _PROBLEM: f"line {number} is not a JSON object with id and text"}


def _read_parquet(path: Path) -> Iterator[dict[str, Any]]:
    import pyarrow.parquet as pq

    try:
        parquet = pq.ParquetFile(path)
    except Exception as error:
        raise InputError(f"cannot read {path.name} as Parquet: {error}") from error
    if not {"id", "text"} <= set(parquet.schema_arrow.names):
        raise InputError(f"{path.name} needs columns id and text; it has {', '.join(parquet.schema_arrow.names)}")
    for batch in parquet.iter_batches(batch_size=512):
        yield from batch.to_pylist()


def done_ids(output: Path) -> set[str]:
    """Ids already written to the output folder (by earlier, possibly killed, runs)."""
    import pyarrow.parquet as pq

    ids: set[str] = set()
    for part in sorted(output.glob("part-*.parquet")):
        ids.update(pq.read_table(part, columns=["id"]).column("id").to_pylist())
    return ids


def scan_chunk(chunk: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Task run on a worker: scan a chunk of input rows, return output rows."""
    scanner = worker_scanner()
    out = []
    for row in chunk:
        work_id = row["id"]
        metadata = {k: v for k, v in row.items() if k not in ("id", "text", _PROBLEM)}
        result: dict[str, Any] = {
            "id": work_id, "status": "failed", "error": row.get(_PROBLEM), "words": 0, "findings": None,
            "ao3_rating": None, "ffn_rating": None, "seconds": 0.0,
            "metadata": json.dumps(metadata, ensure_ascii=False, default=str) if metadata else None,
        }
        text = row.get("text")
        if result["error"] is None and not isinstance(text, str):
            result["error"] = "no text: the row needs a text field holding the story"
        if result["error"] is None:
            # bytes, never str: a str that looks like a path would be read from the worker's disk
            outcome = scanner.scan(text.encode("utf-8"), name=work_id)
            result.update(status=outcome.status, error=outcome.error, words=outcome.words, seconds=outcome.seconds)
            if outcome.report_json is not None:
                report = json.loads(outcome.report_json)
                result["findings"] = json.dumps(report["findings"], ensure_ascii=False)
                result["ao3_rating"] = report["suggested"]["ao3_rating"]
                result["ffn_rating"] = report["suggested"]["ffn_rating"]
        out.append(result)
    return out


def _chunks(rows: Iterator[dict[str, Any]], skip: set[str], size: int, summary: BatchSummary) -> Iterator[list[dict[str, Any]]]:
    chunk: list[dict[str, Any]] = []
    seen: set[str] = set()
    for row in rows:
        row["id"] = str(row.get("id")) if row.get("id") is not None else None
        if row["id"] is None:
            continue
        summary.total += 1
        if row["id"] in skip or row["id"] in seen:
            summary.skipped += 1
            continue
        seen.add(row["id"])
        chunk.append(row)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


class _PartWriter:
    """Buffers output rows and writes them as atomically renamed Parquet parts."""

    def __init__(self, output: Path, part_size: int) -> None:
        import pyarrow as pa

        self._output = output
        self._part_size = part_size
        self._rows: list[dict[str, Any]] = []
        self._stamp = time.strftime("%Y%m%dT%H%M%S") + f"-{uuid.uuid4().hex[:8]}"
        self._count = 0
        self._schema = pa.schema(
            [("id", pa.string()), ("status", pa.string()), ("error", pa.string()), ("words", pa.int64()),
             ("findings", pa.string()), ("ao3_rating", pa.string()), ("ffn_rating", pa.string()),
             ("seconds", pa.float64()), ("metadata", pa.string())]
        )

    def add(self, rows: list[dict[str, Any]]) -> None:
        self._rows.extend(rows)
        if len(self._rows) >= self._part_size:
            self.flush()

    def flush(self) -> None:
        import pyarrow as pa
        import pyarrow.parquet as pq

        if not self._rows:
            return
        name = f"part-{self._stamp}-{self._count:06d}.parquet"
        temporary = self._output / f".{name}.tmp"
        pq.write_table(pa.Table.from_pylist(self._rows, schema=self._schema), temporary)
        with temporary.open("rb") as handle:
            os.fsync(handle.fileno())
        os.replace(temporary, self._output / name)
        self._count += 1
        self._rows = []

    @property
    def parts(self) -> int:
        return self._count


def run_batch(
    input_path: Path,
    output: Path,
    *,
    engine: str = "local",
    jobs: int = 0,
    options: ScanOptions = ScanOptions(),
    scheduler: str | None = None,
    scan: ScanFunction | None = None,
    chunk_size: int | None = None,
    part_size: int | None = None,
) -> BatchSummary:
    """Scan every work of ``input_path`` not yet in ``output`` and write the rows there.

    ``jobs`` is the number of worker processes (0: scan in this process; with Dask, the number
    of workers of the local cluster). ``scan`` replaces ``forewarn.scan`` (tests inject a fake).
    """
    if engine not in ENGINES:
        raise UsageError(f"unknown engine '{engine}'; choose {' or '.join(ENGINES)}")
    if output.exists() and not output.is_dir():
        raise UsageError(f"output {output} is a file; give a folder for the Parquet parts")
    config = settings()
    rows = read_works(input_path)
    output.mkdir(parents=True, exist_ok=True)
    for leftover in output.glob(".part-*.tmp"):
        leftover.unlink()
    summary = BatchSummary()
    chunks = _chunks(rows, done_ids(output), chunk_size or config["chunk_size"], summary)
    writer = _PartWriter(output, part_size or config["part_size"])
    started = time.perf_counter()
    if engine == "local":
        results = (r for _, r in bounded_map(scan_chunk, chunks, jobs=jobs, options=options, scan=scan, inflight_per_worker=config["inflight_per_worker"]))
    else:
        results = _dask_results(chunks, jobs, options, scan, scheduler, config["inflight_per_worker"])
    try:
        for result_rows in results:
            writer.add(result_rows)
            summary.scanned += len(result_rows)
            summary.failed += sum(r["status"] == "failed" for r in result_rows)
            summary.words += sum(r["words"] for r in result_rows)
    except KeyboardInterrupt:
        summary.interrupted = True
    finally:
        results.close()
        writer.flush()
    summary.parts = writer.parts
    summary.seconds = time.perf_counter() - started
    return summary


def _dask_results(
    chunks: Iterator[list[dict[str, Any]]],
    jobs: int,
    options: ScanOptions,
    scan: ScanFunction | None,
    scheduler: str | None,
    inflight_per_worker: int,
) -> Iterator[list[dict[str, Any]]]:
    from distributed import Client, LocalCluster, as_completed

    from .dask_plugin import ScannerPlugin

    cluster = None if scheduler else LocalCluster(
        n_workers=max(jobs, 1), threads_per_worker=1, processes=True, dashboard_address=None
    )
    client = Client(scheduler or cluster)
    try:
        client.register_plugin(ScannerPlugin(options, scan))
        workers = max(len(client.scheduler_info()["workers"]), 1)
        pending = as_completed()
        for chunk in take(chunks, workers * inflight_per_worker):
            pending.add(client.submit(scan_chunk, chunk, pure=False))
        for future in pending:
            result = future.result()
            future.release()
            for chunk in take(chunks, 1):
                pending.add(client.submit(scan_chunk, chunk, pure=False))
            yield result
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


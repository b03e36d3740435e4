"""Archive scale: scan a JSONL or Parquet file of works into a Parquet dataset, resumable by id.

Input rows have ``id`` and ``text``; any other field is carried to the output as JSON under
``metadata``. The output is a folder of Parquet part files (any Parquet reader opens the folder
as one table), one row per work: ``id``, ``status``, ``error``, ``words``, ``findings`` (the
report's findings as a JSON list), ``ao3_rating``, ``ffn_rating``, ``seconds``, ``metadata``.
Each part is written to a temporary name and renamed, so a part is either whole or absent; a
new run reads the ids already in the folder and skips them. A part is written every
``part_size`` rows or ``flush_seconds`` after its first row, whichever comes first, so a run
killed at any moment redoes at most those few seconds of work (plus the works being scanned).

A work whose worker is killed by the system (out of memory) or runs past ``work_seconds`` gets a
row with status ``failed`` and the reason; its chunk's other works are scanned again one by one.
A row that cannot be scanned (not JSON, no text, text that is not valid Unicode) fails with its
reason; the run goes on.

Engines: ``local`` is a process pool on this machine; ``dask`` runs the same task on a
dask.distributed cluster (a local one, or ``--scheduler tcp://host:8786``). Either way every
worker loads the detectors once and works get sent in small chunks.
"""

from __future__ import annotations

import asyncio
import json
import os
import time
import uuid
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import InputError, UsageError
from ..config import batch_config
from ..config.batch import ArchiveSettings
from ..worker import Job, Lost, WorkerSetup, bounded_map, lost, take
from .pool import scan_job
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


def settings() -> ArchiveSettings:
    """The ``[archive]`` table of ``data/batch.toml``."""
    return batch_config().archive


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
            if not isinstance(row, dict):
                yield {"id": f"{path.name}:{number}", _PROBLEM: f"line {number} is not a JSON object with id and text"}
            elif isinstance(row.get("text"), str) and _has_lone_surrogate(row["text"]):
                yield {**_valid_unicode(row), "text": None,
                       _PROBLEM: f"line {number}: the text holds a lone surrogate escape (such as \\ud800), "
                                 "which is not valid Unicode; fix the text"}
            else:
                yield _valid_unicode(row)


def _has_lone_surrogate(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def _valid_unicode(value: Any) -> Any:
    """``value`` with lone surrogates in its strings (JSON allows ``"\\ud800"``) replaced by "?"."""
    if isinstance(value, str):
        return value.encode("utf-8", "replace").decode("utf-8") if _has_lone_surrogate(value) else value
    if isinstance(value, dict):
        return {_valid_unicode(k): _valid_unicode(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_valid_unicode(v) for v in value]
    return value


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
    out = []
    for row in chunk:
        result = _row(row, row.get(_PROBLEM))
        text = row.get("text")
        if result["error"] is None and not isinstance(text, str):
            result["error"] = "no text: the row needs a text field holding the story"
        if result["error"] is None:
            # bytes, never str: a str that looks like a path would be read from the worker's disk
            outcome = scan_job(Job(text.encode("utf-8"), {"name": row["id"]}))
            result.update(status=outcome.status, error=outcome.error, words=outcome.words, seconds=outcome.seconds)
            if outcome.report_json is not None:
                report = json.loads(outcome.report_json)
                result["findings"] = json.dumps(report["findings"], ensure_ascii=False)
                result["ao3_rating"] = report["suggested"]["ao3_rating"]
                result["ffn_rating"] = report["suggested"]["ffn_rating"]
        out.append(result)
    return out


def _row(row: dict[str, Any], error: str | None) -> dict[str, Any]:
    """The output row of an input row, failed with ``error`` until a scan fills it."""
    metadata = {k: v for k, v in row.items() if k not in ("id", "text", _PROBLEM)}
    return {
        "id": row["id"], "status": "failed", "error": error, "words": 0, "findings": None,
        "ao3_rating": None, "ffn_rating": None, "seconds": 0.0,
        "metadata": json.dumps(metadata, ensure_ascii=False, default=str) if metadata else None,
    }


def _settle(chunk: list[dict[str, Any]], result: list[dict[str, Any]] | Lost,
            retry: deque[list[dict[str, Any]]]) -> list[dict[str, Any]]:
    """Output rows of a finished task; a lost chunk is queued again work by work, a lost work fails."""
    if not isinstance(result, Lost):
        return result
    if len(chunk) > 1:
        retry.extend([row] for row in chunk)
        return []
    return [_row(chunk[0], result.outcome.error)]


class _WithRetries:
    """The chunks, with those queued in ``retry`` while running handed out first.

    An iterator that may be asked again after it ran dry (a generator could not): a chunk lost
    at the very end of a run is queued again after the input is exhausted.
    """

    def __init__(self, chunks: Iterator[list[dict[str, Any]]], retry: deque[list[dict[str, Any]]]) -> None:
        self._chunks = chunks
        self._retry = retry

    def __iter__(self) -> _WithRetries:
        return self

    def __next__(self) -> list[dict[str, Any]]:
        if self._retry:
            return self._retry.popleft()
        return next(self._chunks)


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
    """Buffers output rows and writes them as atomically renamed Parquet parts.

    A part is written when ``part_size`` rows are buffered, or when the oldest buffered row is
    ``flush_seconds`` old (by ``clock``), so a kill loses at most that much finished work.
    """

    def __init__(self, output: Path, part_size: int, flush_seconds: float,
                 clock: Callable[[], float] = time.monotonic) -> None:
        import pyarrow as pa

        self._output = output
        self._part_size = part_size
        self._flush_seconds = flush_seconds
        self._clock = clock
        self._oldest = 0.0
        self._rows: list[dict[str, Any]] = []
        self._stamp = time.strftime("%Y%m%dT%H%M%S") + f"-{uuid.uuid4().hex[:8]}"
        self._count = 0
        self._schema = pa.schema(
            [("id", pa.string()), ("status", pa.string()), ("error", pa.string()), ("words", pa.int64()),
             ("findings", pa.string()), ("ao3_rating", pa.string()), ("ffn_rating", pa.string()),
             ("seconds", pa.float64()), ("metadata", pa.string())]
        )

    def add(self, rows: list[dict[str, Any]]) -> None:
        """Buffer ``rows``; write a part if the buffer is full or old enough."""
        if rows and not self._rows:
            self._oldest = self._clock()
        self._rows.extend(rows)
        if len(self._rows) >= self._part_size:
            self.flush()
        else:
            self.flush_if_due()

    def flush_if_due(self) -> None:
        """Write a part if the oldest buffered row is ``flush_seconds`` old."""
        if self._rows and self._clock() - self._oldest >= self._flush_seconds:
            self.flush()

    def flush(self) -> None:
        """Write the buffered rows as one part (nothing when the buffer is empty)."""
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
        """Parts written so far."""
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
    clock: Callable[[], float] = time.monotonic,
) -> BatchSummary:
    """Scan every work of ``input_path`` not yet in ``output`` and write the rows there.

    ``jobs`` is the number of worker processes (0: scan in this process; with Dask, the number
    of workers of the local cluster). ``scan`` replaces the shared engine (tests inject a fake scan function);
    ``clock`` times the flushes (tests inject one).
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
    retry: deque[list[dict[str, Any]]] = deque()
    chunks = _WithRetries(_chunks(rows, done_ids(output), chunk_size or config.chunk_size, summary), retry)
    writer = _PartWriter(output, part_size or config.part_size, config.flush_seconds, clock)
    setup = WorkerSetup(scan, options, workers=max(jobs, 1))
    started = time.perf_counter()
    if engine == "local":
        results = bounded_map(
            scan_chunk, chunks, jobs=jobs, setup=setup, seconds=lambda chunk: config.work_seconds * len(chunk),
            inflight_per_worker=config.inflight_per_worker, on_tick=writer.flush_if_due,
        )
    else:
        results = _dask_results(chunks, jobs, setup, scheduler, config.inflight_per_worker, writer.flush_if_due)
    try:
        for chunk, result in results:
            result_rows = _settle(chunk, result, retry)
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
    setup: WorkerSetup,
    scheduler: str | None,
    inflight_per_worker: int,
    on_tick: Callable[[], None],
) -> Iterator[tuple[list[dict[str, Any]], list[dict[str, Any]] | Lost]]:
    """``bounded_map`` on a dask.distributed cluster: (chunk, rows) as done; a killed worker's chunk is Lost."""
    from distributed import Client, LocalCluster, wait
    from distributed.scheduler import KilledWorker

    from .dask_plugin import ScannerPlugin

    cluster = None if scheduler else LocalCluster(
        n_workers=max(jobs, 1), threads_per_worker=1, processes=True, dashboard_address=None
    )
    client = Client(scheduler or cluster)
    try:
        client.register_plugin(ScannerPlugin(setup))
        workers = max(len(client.scheduler_info()["workers"]), 1)
        pending: dict[Any, list[dict[str, Any]]] = {}
        while True:
            for chunk in take(chunks, workers * inflight_per_worker - len(pending)):
                pending[client.submit(scan_chunk, chunk, pure=False)] = chunk
            if not pending:
                return
            try:
                done = wait(list(pending), timeout=1.0, return_when="FIRST_COMPLETED").done
            except asyncio.TimeoutError:  # what distributed.wait raises
                on_tick()
                continue
            for future in done:
                chunk = pending.pop(future)
                try:
                    result: list[dict[str, Any]] | Lost = future.result()
                except KilledWorker:
                    result = Lost(lost("killed"))
                future.release()
                yield chunk, result
    finally:
        client.close()
        if cluster is not None:
            cluster.close()

"""Local parallel engine: a process pool whose workers each load the detectors once.

``ProcessPoolExecutor``'s initializer builds one :class:`~forewarn.batch.scanner.Scanner` per
worker process; tasks then only carry the work. Submission is bounded (a few tasks per worker in
flight), so a run over millions of works keeps memory flat. Workers ignore Ctrl-C: the parent
catches it, stops handing out work, and keeps everything already stored.
"""

from __future__ import annotations

import os
import signal
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import TypeVar

from ..detectors.learned import share_cores
from ..errors import ForewarnError
from .scanner import Outcome, ScanFunction, Scanner, ScanOptions

T = TypeVar("T")
R = TypeVar("R")

_SCANNER: Scanner | None = None


def init_worker(options: ScanOptions, scan: ScanFunction | None, workers: int = 1) -> None:
    """Pool initializer: load the detectors once for this worker process.

    The worker ignores Ctrl-C (the parent handles it), exits on its own if the parent dies
    (``kill -9``), so no orphan keeps scanning, and uses only its share of the cores for the model.
    """
    global _SCANNER
    share_cores(workers)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    threading.Thread(target=_exit_with_parent, args=(os.getppid(),), daemon=True).start()
    _SCANNER = Scanner(options, scan)


def _exit_with_parent(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(0.5)
    os._exit(1)


def worker_scanner() -> Scanner:
    """The scanner of this worker process (set by :func:`init_worker`)."""
    if _SCANNER is None:
        raise RuntimeError("init_worker was not called in this process")
    return _SCANNER


def scan_file(path: str) -> Outcome:
    """Task: scan one file in a worker."""
    return worker_scanner().scan(Path(path))


def bounded_map(
    task: Callable[[T], R],
    items: Iterable[T],
    *,
    jobs: int,
    options: ScanOptions,
    scan: ScanFunction | None = None,
    inflight_per_worker: int = 2,
) -> Iterator[tuple[T, R]]:
    """Run ``task`` over ``items`` on ``jobs`` worker processes; yield (item, result) as done.

    With ``jobs`` 0 it runs in this process (no pool; what tests with fake scans use); with 1 or
    more, in that many worker processes. Closing
    the iterator early (or Ctrl-C in the caller) cancels the tasks not yet started; a worker that
    dies (killed, out of memory, detectors failing to load) ends the run with a ForewarnError.
    """
    if jobs <= 0:
        init_worker_inline(options, scan)
        for item in items:
            yield item, task(item)
        return
    pending: dict[Future[R], T] = {}
    source = iter(items)
    executor = ProcessPoolExecutor(max_workers=jobs, initializer=init_worker, initargs=(options, scan, jobs))
    try:
        for item in take(source, jobs * inflight_per_worker):
            pending[executor.submit(task, item)] = item
        while pending:
            done, _ = wait(pending, return_when=FIRST_COMPLETED)
            for future in done:
                item = pending.pop(future)
                for following in take(source, 1):
                    pending[executor.submit(task, following)] = following
                yield item, future.result()
    except BrokenProcessPool as error:
        raise ForewarnError(
            f"a worker process died ({error}); what was finished is kept, run the same command again to resume"
        ) from None
    finally:
        executor.shutdown(wait=True, cancel_futures=True)


def init_worker_inline(options: ScanOptions, scan: ScanFunction | None) -> None:
    """Load the detectors in this process, keeping Ctrl-C working (``jobs=0``, and Dask workers)."""
    global _SCANNER
    _SCANNER = Scanner(options, scan)


def take(source: Iterator[T], count: int) -> list[T]:
    """Up to ``count`` next items of ``source``."""
    taken = []
    for item in source:
        taken.append(item)
        if len(taken) == count:
            break
    return taken

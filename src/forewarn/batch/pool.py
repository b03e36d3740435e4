"""Local parallel engine: a pebble process pool whose workers run :mod:`forewarn.worker`.

Each worker process is prepared once (:func:`forewarn.worker.initialise`: detectors loaded
there); tasks then only carry the work. Submission is bounded (a few tasks per worker in
flight), so a run over millions of works keeps memory flat. A task past its time limit has its
worker killed and replaced by the pool; a worker the system kills (out of memory, ``kill -9``)
is replaced too; either way the caller gets a :class:`Lost` for that task and the run goes on.
Workers ignore Ctrl-C: the parent catches it, stops handing out work, and keeps everything stored.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, TimeoutError, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from pebble import ProcessExpired, ProcessPool

from ..errors import ForewarnError
from ..worker import Job, Outcome, WorkerSetup, initialise, lost, prepare, scan_one

T = TypeVar("T")
R = TypeVar("R")


@dataclass(frozen=True, slots=True)
class Lost:
    """A task that gave no result: its worker was stopped past the time limit or killed."""

    outcome: Outcome


def scan_job(job: Job) -> Outcome:
    """Scan one job in a worker; a scanner that could not load ends the run (every work would fail)."""
    outcome = scan_one(job)
    if outcome.failure == "setup":
        raise ForewarnError(outcome.error or "the scanner could not load")
    return outcome


def scan_file(path: str) -> Outcome:
    """Task: scan one file in a worker."""
    return scan_job(Job(Path(path)))


def bounded_map(
    task: Callable[[T], R],
    items: Iterable[T],
    *,
    jobs: int,
    setup: WorkerSetup,
    seconds: Callable[[T], float] | None = None,
    inflight_per_worker: int = 2,
    tick_seconds: float = 1.0,
    on_tick: Callable[[], None] | None = None,
) -> Iterator[tuple[T, R | Lost]]:
    """Run ``task`` over ``items`` on ``jobs`` worker processes; yield (item, result) as done.

    With ``jobs`` 0 it runs in this process (no pool, no time limit; what tests with fake scans
    use). ``seconds(item)`` is the time limit of one task; a task past it, or whose worker is
    killed, yields a :class:`Lost`. ``items`` is read lazily, after each result is handled, so
    the caller may feed it more (a chunk to retry work by work). ``on_tick`` is called every
    ``tick_seconds`` while no result comes. Closing the iterator early (or Ctrl-C in the caller)
    stops the workers; a pool that breaks ends the run with a ForewarnError.
    """
    if jobs <= 0:
        prepare(setup)
        for item in items:
            yield item, task(item)
        return
    pending: dict[Future[R], T] = {}
    source = iter(items)
    pool = ProcessPool(max_workers=jobs, initializer=initialise, initargs=(setup,))
    finished = False
    try:
        while True:
            for item in take(source, jobs * inflight_per_worker - len(pending)):
                limit = seconds(item) if seconds is not None else None
                pending[pool.schedule(task, args=(item,), timeout=limit)] = item
            if not pending:
                break
            done, _ = wait(pending, timeout=tick_seconds, return_when=FIRST_COMPLETED)
            if not done and on_tick is not None:
                on_tick()
            for future in done:
                item = pending.pop(future)
                yield item, _result(future, seconds(item) if seconds is not None else None)
        finished = True
    except (BrokenProcessPool, RuntimeError) as error:
        raise ForewarnError(
            f"the worker pool broke ({error}); what was finished is kept, run the same command again to resume"
        ) from None
    finally:
        if finished:
            pool.close()
        else:
            pool.stop()
        pool.join()


def _result(future: Future[R], seconds: float | None) -> R | Lost:
    """The task's result, or a Lost for a task stopped past its time limit or killed."""
    try:
        return future.result()
    except TimeoutError:
        return Lost(lost("timeout", seconds=seconds))
    except ProcessExpired as error:
        return Lost(lost("killed", code=error.exitcode))


def take(source: Iterator[T], count: int) -> list[T]:
    """Up to ``count`` next items of ``source``."""
    taken: list[T] = []
    if count <= 0:
        return taken
    for item in source:
        taken.append(item)
        if len(taken) == count:
            break
    return taken

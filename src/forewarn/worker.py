"""The one worker body: prepare a process once, then scan one job at a time, never raising.

Every pool runs this: the server's pool (``server/pool.py``), library and archive runs on this
machine (``batch/pool.py``), ``Forewarn.pipe(n_process>1)`` and Dask workers
(``batch/dask_plugin.py``). :func:`initialise` runs once per worker process; the scan engine is
built once per process and reused (``engine.shared_engine``, one per choice of detectors);
:func:`scan_one` scans one job and returns an :class:`Outcome`: the report, or a failure with its
kind and a one-line reason. :func:`bounded_map` is the local pebble pool that runs a task over many
items on prepared workers, a few at a time, killing a task past its time limit.
"""

from __future__ import annotations

import importlib
import os
import signal
import threading
import time
import traceback
from collections.abc import Callable, Iterable, Iterator, Mapping
from concurrent.futures import FIRST_COMPLETED, Future, TimeoutError, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, Protocol, TypeVar

from pebble import ProcessExpired, ProcessPool

from .errors import ForewarnError, InputError, UsageError

ScanFunction = Callable[..., Any]
"""``forewarn.scan``'s signature: ``(source, *, name=None, ..., detectors=None) -> Report``."""

WARM_UP_TEXT = "The rain stopped. She walked home and made tea."


@dataclass(frozen=True, slots=True)
class ScanOptions:
    """What every work of a library or archive run is scanned with (part of the fingerprint)."""

    thorough: bool = False
    detector_names: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class WorkerSetup:
    """How each worker process of a pool is prepared (pickled to the process once).

    ``scan`` is the scan function: ``None`` for the shared engine (``Forewarn.scan_source``: a path
    or file bytes), a ``"module:function"`` name (the server), or a callable (tests inject fakes).
    With ``options`` every job is scanned with those detectors and reading mode (the engine is
    built once per process and reused); ``warm_up`` loads the models and scans a short text before
    the first job; ``ready`` is a multiprocessing queue told ``("ready", "")`` or
    ``("failed", reason)`` once the process is prepared.
    """

    scan: str | ScanFunction | None = None
    options: ScanOptions | None = None
    workers: int = 1
    warm_up: bool = False
    ready: Any = None


class ScanJob(Protocol):
    """One scan: the source (path, file bytes or text) and ``scan``'s keyword options."""

    @property
    def source(self) -> str | bytes | Path: ...

    @property
    def options(self) -> Mapping[str, object]: ...


@dataclass(frozen=True, slots=True)
class Job:
    """A :class:`ScanJob` as a plain value."""

    source: str | bytes | Path
    options: Mapping[str, object] = field(default_factory=dict)


Failure = Literal["input", "usage", "bug", "setup", "timeout", "killed"]
"""Why a job failed: unreadable input, a bad option, a bug in forewarn, a scanner that did not
load, a worker stopped past the time limit, a worker killed by the system."""


@dataclass(slots=True)
class Outcome:
    """The result of one job: ``report_json`` when ok; ``failure`` (a kind) and ``error`` when failed.

    ``error`` is one line; for a bug it is the exception type and message, and ``where`` the type
    and the line it was raised at without the message (a message may quote the story: the server
    logs ``where`` only).
    """

    status: str
    error: str | None = None
    failure: Failure | None = None
    where: str | None = None
    report_json: str | None = None
    words: int = 0
    title: str | None = None
    findings: list[tuple[str, str]] = field(default_factory=list)
    seconds: float = 0.0

    @classmethod
    def failed(cls, failure: Failure, error: str, seconds: float = 0.0, where: str | None = None) -> Outcome:
        """A failed outcome of kind ``failure`` with its one-line reason."""
        return cls("failed", error=error, failure=failure, where=where, seconds=seconds)


def one_line(error: BaseException) -> str:
    """An exception as one line: forewarn's own messages as they are, others with their type."""
    text = " ".join(str(error).split()) or "no message"
    if isinstance(error, ForewarnError):
        return text
    return f"{type(error).__name__}: {text}"


def resolve(target: str) -> ScanFunction:
    """The callable named by ``"package.module:attribute"``."""
    module_name, _, attribute = target.partition(":")
    return getattr(importlib.import_module(module_name), attribute)


@dataclass(slots=True)
class _Prepared:
    scan: ScanFunction
    fixed: dict[str, Any]


_PREPARED: _Prepared | None = None
_SETUP_ERROR: str | None = None


def initialise(setup: WorkerSetup) -> None:
    """Pool initializer: prepare this worker process once; never raises.

    The process ignores Ctrl-C (the parent handles it), exits on its own if the parent dies
    (``kill -9``) so no orphan keeps scanning, and uses only its share of the cores. A scanner
    that cannot load makes every job fail with kind ``setup`` (a pool whose initializer raised
    would restart the process forever).
    """
    from .detectors.learned import share_cores

    share_cores(setup.workers)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    threading.Thread(target=_exit_with_parent, args=(os.getppid(),), daemon=True).start()
    prepare(setup)
    if setup.ready is not None:
        setup.ready.put(("ready", "") if _SETUP_ERROR is None else ("failed", _SETUP_ERROR))


def prepare(setup: WorkerSetup) -> None:
    """Load the scanner in this process, leaving signals alone (no pool, and Dask workers)."""
    global _PREPARED, _SETUP_ERROR
    try:
        _PREPARED = _prepared(setup)
        _SETUP_ERROR = None
    except Exception as error:  # noqa: BLE001 - reported with every job instead
        _PREPARED, _SETUP_ERROR = None, f"the scanner could not load ({one_line(error)}); reinstall forewarn"


def _prepared(setup: WorkerSetup) -> _Prepared:
    options = setup.options or ScanOptions()
    fixed: dict[str, Any] = {}
    if setup.scan is None:
        from .engine import shared_engine

        engine = shared_engine(options.detector_names or None, options.thorough)
        scan: ScanFunction = engine.scan_source
        warm_up: ScanFunction = engine.scan_text
    else:
        scan = resolve(setup.scan) if isinstance(setup.scan, str) else setup.scan
        if setup.options is not None:
            fixed["thorough"] = options.thorough
            fixed["detectors"] = list(options.detector_names) or None
        warm_up = scan
    if setup.warm_up:
        from .detectors.registry import preload

        preload()
        try:
            warm_up(WARM_UP_TEXT, **fixed)
        except ForewarnError:
            pass
    return _Prepared(scan, fixed)


def _exit_with_parent(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(0.5)
    os._exit(1)


def _not_prepared() -> str:
    """Why this process cannot scan: its scanner did not load, or it was never prepared."""
    return _SETUP_ERROR or "the worker was not prepared (initialise was not called)"


def scan_report(job: ScanJob) -> Any:
    """Scan one job in this (prepared) process and return its Report; raises what the scan raises."""
    if _PREPARED is None:
        raise ForewarnError(_not_prepared())
    return _PREPARED.scan(job.source, **{**_PREPARED.fixed, **job.options})


def scan_one(job: ScanJob) -> Outcome:
    """Scan one job in this (prepared) process; a failure becomes an Outcome, never an exception."""
    started = time.perf_counter()
    if _PREPARED is None:
        return Outcome.failed("setup", _not_prepared())
    try:
        report = scan_report(job)
        report_json = report.to_json(indent=None)
    except InputError as error:
        return Outcome.failed("input", one_line(error), time.perf_counter() - started)
    except UsageError as error:
        return Outcome.failed("usage", one_line(error), time.perf_counter() - started)
    except Exception as error:  # noqa: BLE001 - one bad work never stops a run or a server
        frame = traceback.extract_tb(error.__traceback__)[-1]
        where = f"{type(error).__name__} at {frame.filename}:{frame.lineno}"
        return Outcome.failed("bug", one_line(error), time.perf_counter() - started, where)
    return Outcome(
        "ok",
        report_json=report_json,
        words=report.work.words,
        title=report.work.title,
        findings=[(f.category, f.severity) for f in report.findings],
        seconds=time.perf_counter() - started,
    )


def lost(failure: Literal["timeout", "killed"], seconds: float | None = None, code: int | None = None) -> Outcome:
    """The outcome of a job whose worker was stopped past the time limit or killed by the system."""
    if failure == "timeout":
        return Outcome.failed("timeout", f"the scan took longer than the limit of {seconds:g} s and was stopped")
    how = "" if code is None else f" by signal {-code}" if code < 0 else f" (exit code {code})"
    return Outcome.failed(
        "killed", f"the worker process scanning this was killed{how}, perhaps out of memory; it was not scanned"
    )


def expired(error: BaseException, seconds: float | None) -> Outcome:
    """The outcome of a pebble task stopped past its time limit (a TimeoutError) or killed (ProcessExpired)."""
    if isinstance(error, ProcessExpired):
        return lost("killed", code=error.exitcode)
    return lost("timeout", seconds=seconds)


T = TypeVar("T")
R = TypeVar("R")


@dataclass(frozen=True, slots=True)
class Lost:
    """A task that gave no result: its worker was stopped past the time limit or killed."""

    outcome: Outcome


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
    except (TimeoutError, ProcessExpired) as error:
        return Lost(expired(error, seconds))


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

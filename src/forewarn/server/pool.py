"""A fixed set of worker processes that run scans: bounded, killable, never piled up.

Why processes and not threads: a scan is CPU-bound Python, so threads would share one core
through the GIL, and a thread cannot be stopped when a scan runs too long. Each worker here is
a process started once (with ``spawn``, so models load once per worker, not per request) and
fed jobs over a pipe. A request takes an idle worker or is refused at once (``PoolBusy`` -> 503
with Retry-After) so load never queues up in memory; a scan past the time limit gets its
worker killed and replaced (``ScanTimedOut`` -> 504), so a runaway text cannot hold a slot.
"""

from __future__ import annotations

import asyncio
import importlib
import logging
import multiprocessing
import signal
import traceback
from collections.abc import Callable
from multiprocessing.connection import Connection

import anyio
import anyio.to_thread

from ..detectors.learned import share_cores
from ..detectors.registry import preload
from ..errors import ForewarnError, InputError, UsageError
from .intake import ScanJob

log = logging.getLogger("forewarn.server")

WARM_UP_TEXT = "The rain stopped. She walked home and made tea."


class PoolBusy(Exception):
    """Every worker is busy."""


class ScanTimedOut(Exception):
    """A scan ran past the time limit; its worker was replaced."""


class ScanFailed(Exception):
    """A scan failed for a reason that is not the input's fault (a bug or a crashed worker)."""


def resolve(target: str) -> Callable[..., object]:
    """The callable named by ``"package.module:attribute"``."""
    module_name, _, attribute = target.partition(":")
    return getattr(importlib.import_module(module_name), attribute)


def _worker_main(conn: Connection, target: str, workers: int) -> None:
    """Body of a worker process: load the scanner, warm it up, then answer jobs until EOF.

    Replies are ``(kind, text)``: ``ok`` with the report JSON, ``input``/``usage`` with the
    one-line error message, or ``error`` with the exception type and where it was raised
    (never its message, which could quote the story).
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    share_cores(workers)
    preload()
    scan = resolve(target)
    try:
        scan(WARM_UP_TEXT)
    except ForewarnError:
        pass
    conn.send(("ready", ""))
    while True:
        try:
            job: ScanJob = conn.recv()
        except EOFError:
            return
        try:
            report = scan(job.source, **job.options)
            conn.send(("ok", report.to_json(indent=None)))
        except InputError as error:
            conn.send(("input", str(error)))
        except UsageError as error:
            conn.send(("usage", str(error)))
        except Exception as error:  # reported to the parent, which answers 500
            frame = traceback.extract_tb(error.__traceback__)[-1]
            conn.send(("error", f"{type(error).__name__} at {frame.filename}:{frame.lineno}"))


class _Worker:
    """One worker process and the parent's end of its pipe."""

    def __init__(self, context: multiprocessing.context.SpawnContext, target: str, workers: int) -> None:
        self.target = target
        self.conn, child_conn = context.Pipe()
        self.process = context.Process(
            target=_worker_main, args=(child_conn, target, workers), name="forewarn-scan", daemon=True
        )
        self.process.start()
        child_conn.close()

    def wait_ready(self, timeout: float) -> None:
        """Block until the worker has loaded its scanner; raise RuntimeError if it cannot."""
        try:
            if self.conn.poll(timeout) and self.conn.recv()[0] == "ready":
                return
        except (EOFError, OSError):
            pass
        self.stop()
        if self.process.exitcode not in (None, -9):
            raise RuntimeError(
                f"a scan worker exited while loading {self.target} "
                f"(exit code {self.process.exitcode}); see its error above"
            )
        raise RuntimeError(f"a scan worker did not start within {timeout:g} s")

    def run(self, job: ScanJob, timeout: float) -> tuple[str, str]:
        """Send one job and wait for its reply; ``("timeout", "")`` or ``("crashed", "")`` if none."""
        try:
            self.conn.send(job)
            if not self.conn.poll(timeout):
                return "timeout", ""
            return self.conn.recv()
        except (EOFError, OSError):
            return "crashed", ""

    def stop(self) -> None:
        """End the process: close its pipe, then kill it if it does not leave."""
        self.conn.close()
        self.process.join(0.5)
        if self.process.is_alive():
            self.process.kill()
            self.process.join()


class ScanPool:
    """``size`` worker processes running ``target`` (``"module:function"``)."""

    def __init__(self, size: int, target: str, scan_seconds: float, start_seconds: float) -> None:
        self.size = size
        self.target = target
        self.scan_seconds = scan_seconds
        self.start_seconds = start_seconds
        self._context = multiprocessing.get_context("spawn")
        self._idle: list[_Worker] = []
        self._busy: set[_Worker] = set()
        self._limiter = anyio.CapacityLimiter(size)
        self._replacing: set[asyncio.Task[None]] = set()
        self._closed = False

    @property
    def idle(self) -> int:
        """Workers ready for a job now."""
        return len(self._idle)

    async def start(self) -> None:
        """Start every worker and wait until all are ready."""
        workers = await asyncio.gather(
            *(anyio.to_thread.run_sync(self._start_worker) for _ in range(self.size))
        )
        self._idle.extend(workers)

    async def scan(self, job: ScanJob) -> str:
        """Run one job on an idle worker and return the report JSON.

        Raises PoolBusy, ScanTimedOut, ScanFailed, or the InputError/UsageError of the scan.
        """
        if not self._idle:
            raise PoolBusy()
        worker = self._idle.pop()
        self._busy.add(worker)
        kind, text = await anyio.to_thread.run_sync(
            worker.run, job, self.scan_seconds, limiter=self._limiter
        )
        self._busy.discard(worker)
        if kind in {"timeout", "crashed"}:
            if not self._closed:
                self._replace(worker)
            if kind == "timeout":
                raise ScanTimedOut()
            raise ScanFailed("the scan worker stopped unexpectedly")
        self._idle.append(worker)
        if kind == "input":
            raise InputError(text)
        if kind == "usage":
            raise UsageError(text)
        if kind == "error":
            raise ScanFailed(text)
        return text

    async def close(self) -> None:
        """Stop every worker, busy or not."""
        self._closed = True
        for task in self._replacing:
            task.cancel()
        workers = [*self._idle, *self._busy]
        self._idle.clear()
        self._busy.clear()
        for worker in workers:
            await anyio.to_thread.run_sync(worker.stop)

    def _start_worker(self) -> _Worker:
        worker = _Worker(self._context, self.target, self.size)
        worker.wait_ready(self.start_seconds)
        return worker

    def _replace(self, worker: _Worker) -> None:
        """Kill ``worker`` and start a fresh one in the background."""
        task = asyncio.get_running_loop().create_task(self._replace_async(worker))
        self._replacing.add(task)
        task.add_done_callback(self._replacing.discard)

    async def _replace_async(self, worker: _Worker) -> None:
        await anyio.to_thread.run_sync(worker.stop)
        while True:
            try:
                fresh = await anyio.to_thread.run_sync(self._start_worker)
            except RuntimeError:
                log.exception("could not start a scan worker; trying again")
                await asyncio.sleep(1)
                continue
            if self._closed:
                await anyio.to_thread.run_sync(fresh.stop)
            else:
                self._idle.append(fresh)
            return

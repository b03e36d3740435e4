"""A fixed set of worker processes that run scans: bounded, killable, never piled up.

Why processes and not threads: a scan is CPU-bound Python, so threads would share one core
through the GIL, and a thread cannot be stopped when a scan runs too long. The workers are a
pebble ``ProcessPool`` started with ``spawn``, each prepared once by :mod:`forewarn.worker`
(models loaded and warmed up per worker, not per request). A request takes an idle worker or is
refused at once (``PoolBusy`` -> 503 with Retry-After) so load never queues up in memory; a scan
past the time limit has its worker killed by the pool and replaced (``ScanTimedOut`` -> 504),
so a runaway text cannot hold a slot; a worker that dies is replaced too (``ScanFailed`` -> 500).
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import queue
import time

import anyio.to_thread
from pebble import ProcessExpired, ProcessPool

from ..errors import InputError, UsageError
from ..worker import Outcome, ScanJob, WorkerSetup, expired, initialise, lost, scan_one

log = logging.getLogger("forewarn.server")


class PoolBusy(Exception):
    """Every worker is busy."""


class ScanTimedOut(Exception):
    """A scan ran past the time limit; its worker was replaced."""


class ScanFailed(Exception):
    """A scan failed for a reason that is not the input's fault (a bug or a crashed worker)."""


class ScanPool:
    """``size`` worker processes running ``target`` (``"module:function"``)."""

    def __init__(self, size: int, target: str, scan_seconds: float, start_seconds: float) -> None:
        self.size = size
        self.target = target
        self.scan_seconds = scan_seconds
        self.start_seconds = start_seconds
        self._context = multiprocessing.get_context("spawn")
        self._ready = self._context.Queue()
        self._pool: ProcessPool | None = None
        self._busy = 0
        self._starting = size
        self._tasks: set[asyncio.Task[object]] = set()
        self._closed = True

    @property
    def idle(self) -> int:
        """Workers ready for a job now."""
        return max(self.size - self._busy - self._starting, 0)

    def _new_pool(self) -> ProcessPool:
        setup = WorkerSetup(self.target, workers=self.size, warm_up=True, ready=self._ready)
        return ProcessPool(max_workers=self.size, initializer=initialise, initargs=(setup,), context=self._context)

    async def start(self) -> None:
        """Start every worker and wait until all are ready; RuntimeError if one cannot load.

        A pool may be started again after :meth:`close` (an app's lifespan may run more than once).
        """
        self._ready = self._context.Queue()
        self._pool = self._new_pool()
        self._busy, self._starting, self._closed = 0, self.size, False
        self._pool.schedule(int)  # a no-op: pebble starts its workers with the first task
        deadline = time.monotonic() + self.start_seconds
        for _ in range(self.size):
            kind, reason = await anyio.to_thread.run_sync(self._next_ready, deadline)
            if kind == "failed":
                raise RuntimeError(f"a scan worker could not load {self.target}: {reason}")
            self._starting -= 1

    def _next_ready(self, deadline: float) -> tuple[str, str]:
        """The next worker's ``("ready" | "failed", reason)``; RuntimeError at the deadline or on close."""
        ready = self._ready
        while time.monotonic() < deadline and not self._closed:
            try:
                return ready.get(timeout=0.2)
            except queue.Empty:
                continue
        if self._closed:
            raise RuntimeError("the scan pool was closed while a worker started")
        raise RuntimeError(f"a scan worker did not start within {self.start_seconds:g} s")

    async def scan(self, job: ScanJob) -> str:
        """Run one job on an idle worker and return the report JSON.

        Raises PoolBusy, ScanTimedOut, ScanFailed, or the InputError/UsageError of the scan. A
        request that goes away leaves its scan running to the end (or its time limit).
        """
        if self._pool is None or self._closed:
            raise PoolBusy()
        if not self._pool.active:
            self._restart()  # a worker died between jobs and pebble gave up the pool
        if self.idle == 0:
            raise PoolBusy()
        self._busy += 1
        outcome = await asyncio.shield(self._keep(self._run(job)))
        if outcome.status == "ok" and outcome.report_json is not None:
            return outcome.report_json
        if outcome.failure == "input":
            raise InputError(outcome.error or "")
        if outcome.failure == "usage":
            raise UsageError(outcome.error or "")
        if outcome.failure == "timeout":
            raise ScanTimedOut()
        if outcome.failure == "killed":
            raise ScanFailed("the scan worker stopped unexpectedly")
        raise ScanFailed(outcome.where or outcome.error or "unknown failure")

    async def _run(self, job: ScanJob) -> Outcome:
        """Scan on the pool; a killed or timed-out worker is counted as starting until replaced."""
        pool = self._pool
        assert pool is not None
        try:
            return await asyncio.wrap_future(pool.schedule(scan_one, args=(job,), timeout=self.scan_seconds))
        except (asyncio.TimeoutError, ProcessExpired) as error:  # pebble's TimeoutError, as wrap_future hands it on
            self._replacing()
            return expired(error, self.scan_seconds)
        except RuntimeError:  # pebble gave up the pool (a worker died between jobs): start a fresh one
            if pool is self._pool:
                self._restart()
            return lost("killed")
        finally:
            self._busy -= 1

    def _keep(self, coroutine: object) -> asyncio.Task[object]:
        task = asyncio.get_running_loop().create_task(coroutine)  # type: ignore[arg-type]
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    def _replacing(self) -> None:
        """The pool is starting a worker in place of one it lost; count it busy until it is ready."""
        if self._closed:
            return
        self._starting += 1
        self._keep(self._await_ready())

    async def _await_ready(self) -> None:
        try:
            kind, reason = await anyio.to_thread.run_sync(self._next_ready, time.monotonic() + self.start_seconds)
            if kind == "failed":
                log.error("a replacement scan worker could not load: %s", reason)
        except RuntimeError as error:
            if not self._closed:
                log.error("%s", error)
        finally:
            self._starting -= 1

    def _restart(self) -> None:
        """Replace a broken pebble pool with a fresh one."""
        if self._closed or self._pool is None:
            return
        log.error("the scan pool broke; starting fresh workers")
        broken, self._pool = self._pool, self._new_pool()
        broken.stop()
        self._keep(anyio.to_thread.run_sync(broken.join))
        self._pool.schedule(int)
        for _ in range(self.size):
            self._replacing()

    async def close(self) -> None:
        """Stop every worker, busy or not."""
        self._closed = True
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        pool, self._pool = self._pool, None
        if pool is not None:
            pool.stop()
            await anyio.to_thread.run_sync(pool.join)

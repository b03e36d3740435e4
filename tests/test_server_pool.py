"""The server's scan pool (pebble under the server's async API): killed workers are replaced."""

from __future__ import annotations

import asyncio
import os
import signal

import psutil
import pytest

from forewarn.server.pool import PoolBusy, ScanFailed, ScanPool
from forewarn.worker import Job

SCANNER = "tests.test_server_api:fake_scan"


def _workers() -> list[psutil.Process]:
    return [p for p in psutil.Process().children() if "spawn_main" in " ".join(p.cmdline())]


async def _scan_when_ready(pool: ScanPool, attempts: int = 240) -> str:
    for _ in range(attempts):
        try:
            return await pool.scan(Job(b"A story.", {}))
        except (PoolBusy, ScanFailed):
            await asyncio.sleep(0.25)
    raise AssertionError("the pool never came back")


@pytest.mark.slow
def test_a_worker_killed_between_jobs_is_replaced():
    async def scenario() -> None:
        pool = ScanPool(2, SCANNER, scan_seconds=5, start_seconds=60)
        try:
            await pool.start()
            assert pool.idle == 2
            assert '"self-harm"' in await pool.scan(Job(b"A story.", {}))
            os.kill(_workers()[0].pid, signal.SIGKILL)  # as the out-of-memory killer would
            await asyncio.sleep(0.5)
            assert '"self-harm"' in await _scan_when_ready(pool)
            for _ in range(240):
                if pool.idle == 2:
                    break
                await asyncio.sleep(0.25)
            assert pool.idle == 2
        finally:
            await pool.close()

    asyncio.run(scenario())
    assert _workers() == []


@pytest.mark.slow
def test_a_scanner_that_cannot_load_stops_the_start_with_one_line():
    async def scenario() -> None:
        pool = ScanPool(1, "tests.test_server_api:no_such_function", scan_seconds=5, start_seconds=60)
        try:
            with pytest.raises(RuntimeError, match="could not load tests.test_server_api:no_such_function"):
                await pool.start()
        finally:
            await pool.close()

    asyncio.run(scenario())

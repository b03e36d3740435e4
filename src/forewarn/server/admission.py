"""Admission of scan requests: how many are let in at once, and how many are scanned.

Two semaphores keep the server's memory bounded whatever the number of clients:

- ``uploads`` (``Settings.upload_slots``) is taken *before* a body is read and held until the
  answer; a request that finds none free is refused at once (503), its body never read;
- ``scans`` (``Settings.max_concurrent``, one per worker) is taken once the body has arrived;
  only then is the body loaded into memory, so at most ``max_concurrent`` bodies are in
  memory at a time, and the others wait in their spools.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager


class SlotsFull(Exception):
    """Every upload slot is taken."""


class Admission:
    """The upload and scan semaphores of one server."""

    def __init__(self, upload_slots: int, scan_slots: int) -> None:
        self.upload_slots = upload_slots
        self._uploads = asyncio.Semaphore(upload_slots)
        self._scans = asyncio.Semaphore(scan_slots)
        self._admitted = 0

    @property
    def admitted(self) -> int:
        """Requests holding an upload slot now."""
        return self._admitted

    @asynccontextmanager
    async def upload(self) -> AsyncIterator[None]:
        """Hold an upload slot, or raise SlotsFull at once when there is none."""
        if self._uploads.locked():
            raise SlotsFull()
        await self._uploads.acquire()  # does not wait: a slot is free and nothing ran since
        self._admitted += 1
        try:
            yield
        finally:
            self._admitted -= 1
            self._uploads.release()

    @asynccontextmanager
    async def scan(self) -> AsyncIterator[None]:
        """Hold a scan slot, waiting for one (the wait is bounded by the upload slots)."""
        async with self._scans:
            yield

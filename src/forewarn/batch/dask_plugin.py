"""The Dask side of the archive engine: load the detectors once in every worker process."""

from __future__ import annotations

import os

from distributed import Worker, WorkerPlugin

from ..detectors.learned import share_cores
from .pool import init_worker_inline
from .scanner import ScanFunction, ScanOptions


class ScannerPlugin(WorkerPlugin):
    """Registered on the client; ``setup`` runs once in each worker (and in workers that join later)."""

    name = "forewarn-scanner"

    def __init__(self, options: ScanOptions, scan: ScanFunction | None = None) -> None:
        self.options = options
        self.scan = scan

    def setup(self, worker: Worker) -> None:
        """Build this worker's scanner (detectors loaded here, once); Dask's own threads share the cores."""
        share_cores(os.cpu_count() or 1)
        init_worker_inline(self.options, self.scan)
